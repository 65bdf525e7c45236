/* Answers as interactions: the response and correct-response formats of each SCORM version
 * (1.2: single characters and commas; 2004 and xAPI: [,] and [.]). */
CP.responses = (function () {
  var digit = CP.format.digit;
  var TYPES = { single: "choice", multiple: "choice", true_false: "true-false", fill_in: "fill-in", ordering: "sequencing", matching: "matching" };
  function responseText(q, answer, v2004) {
    var sep = v2004 ? "[,]" : ",";
    var dot = v2004 ? "[.]" : ".";
    switch (q.type) {
      case "single": return digit(answer);
      case "multiple": case "ordering": return answer.map(digit).join(sep);
      case "true_false": return v2004 ? String(answer) : (answer ? "t" : "f");
      case "fill_in": return answer;
      default: return answer.map(function (right, left) { return digit(left) + dot + digit(right); }).join(sep);
    }
  }
  function correctPatterns(q, v2004) {
    var identity = [];
    for (var i = 0; i < (q.count || 0); i += 1) { identity.push(i); }
    switch (q.type) {
      case "single": return [digit(q.correct[0])];
      case "multiple": return [responseText(q, q.correct, v2004)];
      case "true_false": return [responseText(q, q.correct, v2004)];
      case "fill_in": return q.answers.map(function (a) { return v2004 && q.tolerant ? "{case_matters=false}" + a : a; });
      default: return [responseText(q, identity, v2004)];
    }
  }
  /* SCORM 1.2 CMIIdentifier: printable ASCII, no space, at most 255 characters; runtimes refuse the
   * rest (the Moodle app answers 405). Question ids are slugs, kept as they are; anything else is
   * folded to ASCII (accents dropped, other characters as "-"), and a clash within the module gets
   * "-2", "-3"… in question order, so an id never depends on the order of the answers. */
  var ID_MAX = 255;
  function identifier(text) {
    var folded = String(text === undefined || text === null ? "" : text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return folded.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, ID_MAX - 8);
  }
  function interactionIds(questions) {
    var taken = {};
    return questions.map(function (q, k) {
      var base = identifier(q.id) || "q" + (k + 1);
      var id = base;
      for (var n = 2; taken[id]; n += 1) { id = base + "-" + n; }
      taken[id] = true;
      return id;
    });
  }
  /* SCORM 1.2 CMIFeedback (student_response, correct_responses pattern): at most 255 characters, as
   * the runtimes count them (UTF-16 units); a longer text is cut, never inside a character, and ends
   * with "…" so that a reader of the report sees it was cut. */
  var FEEDBACK_MAX = 255;
  function feedback12(text) {
    text = String(text);
    if (text.length <= FEEDBACK_MAX) { return text; }
    var cut = FEEDBACK_MAX - 1;
    var code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) { cut -= 1; } /* do not keep half of a surrogate pair */
    return text.slice(0, cut) + "\u2026";
  }
  return { TYPES: TYPES, responseText: responseText, correctPatterns: correctPatterns, identifier: identifier,
    interactionIds: interactionIds, feedback12: feedback12 };
}());
