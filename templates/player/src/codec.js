/* The resume state in cmi.suspend_data: the format and its worst case are in
 * packager/model/resume.py, whose encoder a test compares with this one character for character. */
CP.codec = (function () {
  var digit = CP.format.digit;
  var undigit = CP.format.undigit;
  function escapeText(text) { return text.replace(/[%|;~]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); }); }
  function unescapeText(text) { return text.replace(/%([0-9A-F]{2})/g, function (all, hex) { return String.fromCharCode(parseInt(hex, 16)); }); }
  function encodeAnswer(q, a) {
    if (a === null) { return ""; }
    if (q.type === "single") { return digit(a); }
    if (q.type === "true_false") { return a ? "t" : "f"; }
    if (q.type === "fill_in") { return escapeText(a); }
    return a.map(digit).join("");
  }
  function decodeAnswer(q, text) {
    if (text === "") { return null; }
    if (q.type === "single") { return undigit(text); }
    if (q.type === "true_false") { return text === "t"; }
    if (q.type === "fill_in") { return unescapeText(text); }
    return text.split("").map(undigit);
  }
  /* state: {seen: [bool], attempts, lastScore, answers: [answer or null]} */
  function encode(state, questions) {
    var bits = "";
    for (var i = 0; i < state.seen.length; i += 4) {
      var nibble = 0;
      for (var b = 0; b < 4; b += 1) { if (state.seen[i + b]) { nibble |= 1 << b; } }
      bits = nibble.toString(16) + bits;
    }
    var quiz = questions.length ? state.attempts.toString(36) + "." + (state.lastScore === null ? "" : state.lastScore) + "~" +
      questions.map(function (q, k) { return encodeAnswer(q, state.answers[k]); }).join(";") : "0~";
    return "1|" + bits + "|" + quiz;
  }
  /* Fills ``state`` from ``text``; false (state untouched) when the text is not a state of ours. */
  function decode(text, state, questions) {
    var fields = String(text || "").split("|");
    if (fields.length !== 3 || fields[0] !== "1") { return false; }
    var bits = fields[1];
    state.seen = state.seen.map(function (unused, i) {
      var nibble = parseInt(bits.charAt(bits.length - 1 - Math.floor(i / 4)) || "0", 16);
      return Boolean(nibble & (1 << (i % 4)));
    });
    var quiz = fields[2].split("~");
    var head = quiz[0].split(".");
    state.attempts = parseInt(head[0], 36) || 0;
    state.lastScore = head[1] ? parseInt(head[1], 10) : null;
    if (questions.length && quiz.length === 2) {
      var answers = quiz[1].split(";");
      state.answers = questions.map(function (q, k) { return answers[k] ? decodeAnswer(q, answers[k]) : null; });
    }
    return true;
  }
  return { encode: encode, decode: decode };
}());
