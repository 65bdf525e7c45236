/* What the LMS holds: the state reported after every change, the session ended once settled or
 * on the way out, and the end-of-module box that says where the learner stands. */
CP.saving = (function () {
  var one = CP.dom.one;
  var rules = CP.rules;

  /* ``r``: the outcome just reported. */
  function endMessage(page, r) {
    var S = page.strings;
    var done = r.success === "passed" || (r.completed && r.success !== "failed");
    var onLast = page.state.page === page.sections.length - 1;
    var box = one("#cp-end");
    if (!box) { return; }
    var text = done ? S.finished : (onLast && !page.state.seen.every(Boolean) ? S.pages_left : "");
    box.hidden = !text;
    box.textContent = text;
  }

  /* A save commits on every page change, answer and hidden page: a runtime that can only save while
   * the page is alive (the Moodle app) has it all before the page goes. Nothing before the start
   * (``page.ready``). */
  function save(page, commit) {
    if (!page.ready) { return; }
    var state = page.state;
    var tracker = page.tracker;
    var r = rules.outcome(page);
    endMessage(page, r);
    tracker.report({
      location: String(state.page), suspend: CP.codec.encode(state, page.questions), completed: r.completed, success: r.success,
      score: r.score, progress: Math.round(r.progress * 100) / 100, elapsed: Date.now() - page.started, attempts: state.attempts
    });
    if (commit) { tracker.commit(); }
    if (tracker.endsWhenSettled && !page.settledAtStart && rules.settled(page, r)) {
      tracker.finish(); /* the session time and the verdict reach the LMS now, not in a closing page */
    }
  }

  /* SCORM 1.2 commits once more before LMSFinish, so that LMSFinish itself brings nothing new; an
   * LRS back-end sends its last statements on the way out (keepalive) instead. */
  function leave(page) {
    if (!page.ready) { return; }
    save(page, page.tracker.endsWhenSettled);
    page.tracker.finish();
    page.ready = false;
  }

  return { save: save, leave: leave, endMessage: endMessage };
}());
