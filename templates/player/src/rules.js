/* The module's rules applied to the learner's state: mastery, attempts, when the quiz is done,
 * when the right answers show, when nothing the learner can still do changes what the LMS holds.
 * ``page``: the page's shared object (main.js); only its data, questions, state and mastery here. */
CP.rules = (function () {
  function passes(page, score) { return CP.scoring.passes(score, page.mastery); }
  function masteryText(page) { return String(Math.round(page.mastery * 10000) / 100); }
  function attemptsLeft(page) { return page.data.attempts === 0 ? Infinity : page.data.attempts - page.state.attempts; }

  function outcome(page) {
    return CP.scoring.outcome(page.state, { rule: page.data.rule, quizDecides: page.data.quiz_decides, mastery: page.mastery });
  }
  function quizDone(page) { return page.questions.length > 0 && page.state.answers.every(function (a) { return a !== null; }); }

  /* The right answer only once no attempt is left (or when the author asks for it). */
  function revealAnswers(page) {
    var data = page.data;
    if (data.show_answers) { return true; }
    var used = quizDone(page) ? page.state.attempts : page.state.attempts + 1;
    return data.attempts > 0 && used >= data.attempts;
  }

  /* Settled: every page read, the module completed (``r``, an outcome), and the quiz passed or out
   * of attempts. */
  function settled(page, r) {
    if (!page.state.seen.every(Boolean) || !r.completed) { return false; }
    return page.questions.length === 0 || (quizDone(page) && (passes(page, page.state.lastScore) || attemptsLeft(page) <= 0));
  }

  return {
    passes: passes, masteryText: masteryText, attemptsLeft: attemptsLeft, outcome: outcome,
    quizDone: quizDone, revealAnswers: revealAnswers, settled: settled
  };
}());
