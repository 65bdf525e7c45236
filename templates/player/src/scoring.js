/* Quiz rules without the page: is an answer right, the score, and what the LMS must hear
 * (completion from the module's rule, success from the quiz when it decides). */
CP.scoring = (function () {
  function normalise(text, tolerant) {
    var t = String(text).replace(/\s+/g, " ").trim();
    if (tolerant) { t = t.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
    return t;
  }
  function isRight(q, a) {
    var i;
    switch (q.type) {
      case "single": return q.correct[0] === a;
      case "multiple": return a.length === q.correct.length && q.correct.every(function (c) { return a.indexOf(c) >= 0; });
      case "true_false": return a === q.correct;
      case "fill_in": return q.answers.some(function (x) { return normalise(x, q.tolerant) === normalise(a, q.tolerant); });
      default:
        for (i = 0; i < a.length; i += 1) { if (a[i] !== i) { return false; } }
        return a.length === q.count;
    }
  }
  /* Percent of right answers, rounded: what SCORM's score.raw holds. */
  function score(questions, answers) {
    var right = questions.filter(function (q, k) { return answers[k] !== null && isRight(q, answers[k]); }).length;
    return Math.round(100 * right / questions.length);
  }
  /* The mastery score is a fraction compared unrounded: 0.7549 is not met by 75 %. */
  function passes(value, mastery) { return value !== null && value / 100 >= mastery; }
  /* rules: {rule: "pages"|"quiz"|"both", quizDecides, mastery} */
  function outcome(state, rules) {
    var allSeen = state.seen.every(Boolean);
    var value = state.lastScore;
    var passed = passes(value, rules.mastery);
    var r = { completed: false, success: null, score: value, progress: state.seen.filter(Boolean).length / state.seen.length };
    if (!rules.quizDecides) {
      r.completed = allSeen;
      return r;
    }
    /* the score is reported as soon as the quiz decides, even before every page is read */
    if (value !== null && !passed) {
      r.success = "failed";
    } else if (passed && (rules.rule === "quiz" || allSeen)) {
      r.success = "passed";
    }
    r.completed = rules.rule === "quiz" ? value !== null : allSeen && value !== null;
    return r;
  }
  return { isRight: isRight, score: score, passes: passes, outcome: outcome };
}());
