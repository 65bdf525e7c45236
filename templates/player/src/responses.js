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
  return { TYPES: TYPES, responseText: responseText, correctPatterns: correctPatterns };
}());
