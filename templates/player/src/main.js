/* The page's start: the course data (<script id="cp-data">), the tracker, the saved state, then
 * the learner's turn. Everything the other files share about the page is one object, ``page``:
 *   data, strings, questions   the course data as the build wrote it;
 *   state                      page, seen, attempts, lastScore, answers (what codec.js saves);
 *   mastery                    the mastery score as a fraction, never rounded (0.7549 is not met
 *                              by 75 %), the launcher's when it gives one (cmi5);
 *   fieldsets, shownAt         the quiz's questions, and when the quiz was last shown (latency);
 *   sections, tocLinks, toc, tocToggle, prev, next   the pages and their navigation;
 *   tracker, ready, settledAtStart, started          the back-end and the session's moments. */
CP.main = (function () {
  var one = CP.dom.one;
  var all = CP.dom.all;

  function create() {
    var data = JSON.parse(document.getElementById("cp-data").textContent);
    var page = {
      data: data, strings: data.strings, questions: data.questions, started: Date.now(),
      state: {
        page: 0, seen: data.pages.map(function () { return false; }), attempts: 0, lastScore: null,
        answers: data.questions.map(function () { return null; })
      },
      mastery: data.mastery_score / 100,
      fieldsets: all(".cp-question"), shownAt: Date.now(),
      sections: all(".cp-page"), tocLinks: all(".cp-toc a"), toc: one("#cp-toc"), tocToggle: one("#cp-toc-toggle"),
      prev: one("#cp-prev"), next: one("#cp-next"),
      tracker: null, ready: false, settledAtStart: false
    };
    page.tracker = CP.tracking.choose(data);
    return page;
  }

  /* ``saved``: what the back-end gave at start (null when nothing). */
  function begin(page, saved) {
    var state = page.state;
    var tracker = page.tracker;
    if (saved && saved.suspend && CP.codec.decode(saved.suspend, state, page.questions)) {
      state.page = parseInt(saved.location, 10) || 0;
    }
    if (typeof tracker.masteryScore === "number") {
      page.mastery = tracker.masteryScore; /* the launcher's mastery score wins (cmi5), compared unrounded */
    }
    if (tracker.preferences && tracker.preferences.audio) { /* cmi5LearnerPreferences (§11.2): audio at startup */
      document.documentElement.setAttribute("data-cp-audio", tracker.preferences.audio);
      all("video").forEach(function (video) { video.muted = tracker.preferences.audio === "off"; });
    }
    CP.quiz.restore(page);
    var exit = one("#cp-exit");
    if (tracker.returnUrl && exit) {
      exit.hidden = false;
      exit.addEventListener("click", function () {
        CP.saving.leave(page);
        window.location.href = page.tracker.returnUrl;
      });
    }
    page.settledAtStart = CP.rules.settled(page, CP.rules.outcome(page));
    page.ready = true;
    CP.pages.show(page, state.page, false);
    document.documentElement.classList.add("cp-js");
    CP.frame.watchNav(document, one(".cp-nav"));
  }

  /* SCORM answers at once; an LRS (xAPI, cmi5) answers later: both go through a promise. */
  function launch(page) {
    var S = page.strings;
    return Promise.resolve().then(function () { return page.tracker.start(); }).then(function (saved) {
      if (saved === null) { page.tracker = CP.lms.standalone; } /* the LMS refused to initialise: do not talk to it */
      begin(page, saved);
      if (page.tracker.notice) { CP.dom.notice(S["launch_error_" + page.tracker.notice]); } /* tracked locally only, said why */
    }, function (error) {
      page.tracker = CP.lms.standalone;
      begin(page, null);
      CP.dom.notice(S["launch_error_" + (error && error.code)] || S.launch_error_3);
    });
  }

  function start() {
    var page = create();
    var leave = function () { CP.saving.leave(page); };
    CP.pages.bind(page);
    CP.quiz.bind(page);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { CP.saving.save(page, true); } });
    window.addEventListener("pagehide", leave);
    window.CoursePack = { state: page.state, leave: leave, refusals: function () { return page.tracker.refusals || []; } };
    launch(page);
    return page;
  }

  return { start: start, begin: begin };
}());
CP.main.start();
