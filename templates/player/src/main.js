/* The page: pages, quiz, saving, start. The course data comes from <script id="cp-data">. */
CP.main = (function () {
  var fmt = CP.format.fmt;
  var escapeHtml = CP.format.escapeHtml;
  var isRight = CP.scoring.isRight;
  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  var data = JSON.parse(document.getElementById("cp-data").textContent);
  var S = data.strings;
  var questions = data.questions;
  var started = Date.now();

  var findApi = CP.lms.findApi;
  var ScormTracker = CP.lms.ScormTracker;
  var standalone = CP.lms.standalone;
  var helpers = { responseText: CP.responses.responseText, duration: CP.time.duration2004 };
  /* The catalogue's rule, embedded at build time: the package decides its SCORM 1.2 status itself and
   * never waits for cmi.student_data.mastery_score (the Moodle app has none offline). */
  var rules12 = { questions: questions, mastery: data.quiz_decides ? data.mastery_score : null };

  function chooseTracker() {
    if (data.api === "preview") {
      var simulator = findApi("API");
      var log = window.CoursePackTrackers && window.CoursePackTrackers.xapi(data, helpers);
      if (simulator && log) { return CP.lms.both(ScormTracker(simulator, false, rules12), log); }
    }
    if (data.api === "scorm12") {
      var a12 = findApi("API");
      /* the Moodle app saves with a synchronous request that Chromium refuses once the page is
       * closing: a SCORM 1.2 session ends while the page is alive, as soon as it is settled */
      if (a12) { return ScormTracker(a12, false, { questions: questions, mastery: rules12.mastery, endsWhenSettled: true }); }
    }
    if (data.api === "scorm2004") { var a04 = findApi("API_1484_11"); if (a04) { return ScormTracker(a04, true, { questions: questions }); } }
    if (window.CoursePackTrackers && window.CoursePackTrackers[data.api]) {
      var external = window.CoursePackTrackers[data.api](data, helpers);
      if (external) { return external; }
    }
    return standalone;
  }

  /* ---------------------------------------------------------------- state and its encoding */
  var state = { page: 0, seen: data.pages.map(function () { return false; }), attempts: 0, lastScore: null, answers: questions.map(function () { return null; }) };

  /* ---------------------------------------------------------------- quiz logic */
  /* The mastery score as a fraction, never rounded: 0.7549 is not met by 75 %. */
  var mastery = data.mastery_score / 100;
  function passes(score) { return CP.scoring.passes(score, mastery); }
  function masteryText() { return String(Math.round(mastery * 10000) / 100); }
  function attemptsLeft() { return data.attempts === 0 ? Infinity : data.attempts - state.attempts; }

  function outcome() { return CP.scoring.outcome(state, { rule: data.rule, quizDecides: data.quiz_decides, mastery: mastery }); }
  function quizDone() { return questions.length > 0 && state.answers.every(function (a) { return a !== null; }); }

  /* ---------------------------------------------------------------- DOM: the quiz */
  var fieldsets = $$(".cp-question");
  var shownAt = Date.now();

  function readAnswer(q, fs) {
    if (q.type === "single" || q.type === "true_false") {
      var checked = $("input:checked", fs);
      if (!checked) { return null; }
      return q.type === "single" ? parseInt(checked.value, 10) : checked.value === "t";
    }
    if (q.type === "multiple") {
      var chosen = $$("input:checked", fs).map(function (input) { return parseInt(input.value, 10); });
      return chosen.length ? chosen.sort(function (x, y) { return x - y; }) : null;
    }
    if (q.type === "fill_in") {
      var value = $("input", fs).value.trim();
      return value ? value : null;
    }
    if (q.type === "ordering") { return $$("li", fs).map(function (li) { return parseInt(li.getAttribute("data-item"), 10); }); }
    var rights = $$("select", fs).map(function (select) { return select.value === "" ? null : parseInt(select.value, 10); });
    return rights.indexOf(null) >= 0 ? null : rights;
  }

  function writeAnswer(q, fs, a) {
    if (q.type === "single" || q.type === "multiple" || q.type === "true_false") {
      $$("input", fs).forEach(function (input) {
        var v = q.type === "true_false" ? input.value === "t" : parseInt(input.value, 10);
        input.checked = q.type === "multiple" ? a.indexOf(v) >= 0 : v === a;
      });
    } else if (q.type === "fill_in") {
      $("input", fs).value = a;
    } else if (q.type === "ordering") {
      var list = $("ol", fs);
      a.forEach(function (item) { list.appendChild($('li[data-item="' + item + '"]', list)); });
    } else {
      $$("select", fs).forEach(function (select, left) { select.value = String(a[left]); });
    }
  }

  /* The right answer in words, one entry per line when there are several. */
  function answerLabels(q, fs) {
    var choices = $$(".cp-choice span", fs);
    if (q.type === "single") { return [choices[q.correct[0]].textContent]; }
    if (q.type === "multiple") { return q.correct.map(function (c) { return choices[c].textContent; }); }
    if (q.type === "true_false") { return [q.correct ? S["true"] : S["false"]]; }
    if (q.type === "fill_in") { return [q.answers[0]]; }
    if (q.type === "ordering") {
      var texts = [];
      $$("li", fs).forEach(function (li) { texts[parseInt(li.getAttribute("data-item"), 10)] = $(".cp-order-text", li).textContent; });
      return [texts.join(" → ")];
    }
    return $$(".cp-match", fs).map(function (row, left) {
      return $("label", row).textContent + " → " + $('option[value="' + left + '"]', row).textContent;
    });
  }

  function showFeedback(k) {
    var q = questions[k];
    var fs = fieldsets[k];
    var a = state.answers[k];
    var right = isRight(q, a);
    var html = "<p><strong>" + (right ? S.right : S.wrong) + "</strong></p>";
    if (q.choice_feedback) {
      (q.type === "single" ? [a] : a).forEach(function (c) { html += q.choice_feedback[c] || ""; });
    }
    html += right ? q.correct_feedback : q.incorrect_feedback;
    if (!right && !q.incorrect_feedback && revealAnswers()) {
      var labels = answerLabels(q, fs).map(escapeHtml);
      html += labels.length === 1 ? "<p>" + fmt(S.the_answer_was, { answer: labels[0] }) + "</p>"
        : "<p>" + fmt(S.the_answer_was, { answer: "" }).trim() + "</p><ul><li>" + labels.join("</li><li>") + "</li></ul>";
    }
    fs.classList.toggle("cp-right", right);
    fs.classList.toggle("cp-wrong", !right);
    lock(fs, true);
    $(".cp-feedback", fs).innerHTML = html;
  }

  /* The right answer only once no attempt is left (or when the author asks for it). */
  function revealAnswers() {
    if (data.show_answers) { return true; }
    var used = quizDone() ? state.attempts : state.attempts + 1;
    return data.attempts > 0 && used >= data.attempts;
  }

  function lock(fs, locked) {
    $$("input, select, button", fs).forEach(function (el) { el.disabled = locked; });
  }

  function showResult() {
    var box = $("#cp-quiz-result");
    var retry = $("#cp-retry");
    if (!box) { return; }
    if (!quizDone()) { box.innerHTML = ""; retry.hidden = true; return; }
    var score = state.lastScore;
    var passed = passes(score);
    var html = "<p><strong>" + fmt(S.score, { score: score }) + "</strong></p>";
    if (data.quiz_decides) {
      html += "<p>" + (passed ? S.passed : fmt(S.failed, { mastery: masteryText() })) + "</p>";
    }
    var canRetry = !passed && attemptsLeft() > 0;
    if (!passed && data.attempts > 0) {
      var left = attemptsLeft();
      html += "<p>" + (!canRetry ? S.no_attempt_left : left === 1 ? S.attempts_left_one : fmt(S.attempts_left, { n: left })) + "</p>";
    }
    box.innerHTML = html;
    retry.hidden = !canRetry;
    var stuck = !passed && !canRetry;
    var next = $("#cp-quiz-next");
    if (next) { next.hidden = !stuck; }
  }

  function check(k) {
    var q = questions[k];
    var fs = fieldsets[k];
    var a = readAnswer(q, fs);
    if (a === null) {
      $(".cp-feedback", fs).innerHTML = "<p>" + S.answer_first + "</p>";
      $(".cp-feedback", fs).focus();
      return;
    }
    state.answers[k] = a;
    showFeedback(k);
    tracker.interaction(q, a, isRight(q, a), Date.now() - shownAt);
    var feedback = $(".cp-feedback", fs);
    if (quizDone()) {
      state.attempts = Math.min(state.attempts + 1, data.max_attempts); /* the resume state keeps two base-36 digits */
      state.lastScore = CP.scoring.score(questions, state.answers);
      questions.forEach(function (unused, j) { showFeedback(j); }); /* the last attempt reveals every answer */
      showResult();
      feedback = $("#cp-quiz-result");
    }
    save(true);
    feedback.focus(); /* the button just pressed is disabled: the learner hears and sees the feedback */
  }

  function retryQuiz() {
    state.answers = questions.map(function () { return null; });
    fieldsets.forEach(function (fs) {
      lock(fs, false);
      fs.classList.remove("cp-right", "cp-wrong");
      $(".cp-feedback", fs).innerHTML = "";
      $$("input[type=radio], input[type=checkbox]", fs).forEach(function (input) { input.checked = false; });
      $$("input[type=text]", fs).forEach(function (input) { input.value = ""; });
      $$("select", fs).forEach(function (select) { select.value = ""; });
    });
    showResult();
    shownAt = Date.now();
    save(true);
    var first = $("input, select, button", fieldsets[0]);
    if (first) { first.focus(); }
  }

  function moveItem(button) {
    var li = button.closest("li");
    var list = li.parentNode;
    var step = parseInt(button.getAttribute("data-move"), 10);
    var sibling = step < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) { return; }
    list.insertBefore(li, step < 0 ? sibling : sibling.nextElementSibling);
    button.focus();
    var position = $$("li", list).indexOf(li) + 1;
    announce(fmt(S.moved, { item: $(".cp-order-text", li).textContent, n: position }));
  }

  /* ---------------------------------------------------------------- DOM: pages */
  var sections = $$(".cp-page");
  var tocLinks = $$(".cp-toc a");
  var toc = $("#cp-toc");
  var tocToggle = $("#cp-toc-toggle");
  var prev = $("#cp-prev");
  var next = $("#cp-next");

  /* A launch that cannot be tracked says so, in plain words, at the top of the page. */
  function notice(text) {
    var box = $("#cp-notice");
    box.textContent = text;
    box.hidden = false;
  }

  function announce(text) {
    var region = $("#cp-announce");
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  /* In an LMS frame, on screen below the LMS's own bars (frame.js). */
  function fitFrame() { CP.frame.fit(window); }

  function show(index, moveFocus) {
    index = Math.max(0, Math.min(sections.length - 1, index));
    state.page = index;
    state.seen[index] = true;
    sections.forEach(function (section, i) { section.hidden = i !== index; });
    tocLinks.forEach(function (link, i) {
      if (i === index) { link.setAttribute("aria-current", "page"); } else { link.removeAttribute("aria-current"); }
      link.nextElementSibling.hidden = !state.seen[i];
    });
    $("#cp-progress-text").textContent = fmt(S.progress, { n: index + 1, total: sections.length });
    $("#cp-progress-fill").style.width = Math.round(100 * (index + 1) / sections.length) + "%";
    prev.hidden = index === 0;
    next.hidden = index === sections.length - 1;
    if ($(".cp-quiz", sections[index])) { shownAt = Date.now(); }
    if (ready && tracker.page) { tracker.page(index); }
    if (moveFocus) {
      window.scrollTo(0, 0);
      $("h1", sections[index]).focus({ preventScroll: true });
    }
    fitFrame();
    save(true);
  }

  function showEndMessage(r) {
    var done = r.success === "passed" || (r.completed && r.success !== "failed");
    var onLast = state.page === sections.length - 1;
    var box = $("#cp-end");
    if (!box) { return; }
    var text = done ? S.finished : (onLast && !state.seen.every(Boolean) ? S.pages_left : "");
    box.hidden = !text;
    box.textContent = text;
  }

  /* ---------------------------------------------------------------- saving */
  var tracker = chooseTracker();
  var ready = false;
  var settledAtStart = false;

  /* Nothing the learner can still do changes what the LMS holds: every page read, the module
   * completed, and the quiz passed or out of attempts. */
  function settled(r) {
    if (!state.seen.every(Boolean) || !r.completed) { return false; }
    return questions.length === 0 || (quizDone() && (passes(state.lastScore) || attemptsLeft() <= 0));
  }

  /* A save commits on every page change, answer and hidden page: a runtime that can only save while
   * the page is alive (the Moodle app) has it all before the page goes. */
  function save(commit) {
    if (!ready) { return; }
    var r = outcome();
    showEndMessage(r);
    tracker.report({
      location: String(state.page), suspend: CP.codec.encode(state, questions), completed: r.completed, success: r.success,
      score: r.score, progress: Math.round(r.progress * 100) / 100, elapsed: Date.now() - started, attempts: state.attempts
    });
    if (commit) { tracker.commit(); }
    if (tracker.endsWhenSettled && !settledAtStart && settled(r)) {
      tracker.finish(); /* the session time and the verdict reach the LMS now, not in a closing page */
    }
  }

  /* SCORM 1.2 commits once more before LMSFinish, so that LMSFinish itself brings nothing new; an
   * LRS back-end sends its last statements on the way out (keepalive) instead. */
  function leave() {
    if (!ready) { return; }
    save(tracker.endsWhenSettled);
    tracker.finish();
    ready = false;
  }

  /* ---------------------------------------------------------------- start */
  function begin(saved) {
    if (saved && saved.suspend && CP.codec.decode(saved.suspend, state, questions)) {
      state.page = parseInt(saved.location, 10) || 0;
    }
    if (typeof tracker.masteryScore === "number") {
      mastery = tracker.masteryScore; /* the launcher's mastery score wins (cmi5), compared unrounded */
    }
    if (tracker.preferences && tracker.preferences.audio) { /* cmi5LearnerPreferences (§11.2): audio at startup */
      document.documentElement.setAttribute("data-cp-audio", tracker.preferences.audio);
      $$("video").forEach(function (video) { video.muted = tracker.preferences.audio === "off"; });
    }
    questions.forEach(function (q, k) {
      if (state.answers[k] !== null) {
        writeAnswer(q, fieldsets[k], state.answers[k]);
        showFeedback(k);
      }
    });
    showResult();
    var exit = $("#cp-exit");
    if (tracker.returnUrl && exit) {
      exit.hidden = false;
      exit.addEventListener("click", function () {
        leave();
        window.location.href = tracker.returnUrl;
      });
    }
    settledAtStart = settled(outcome());
    ready = true;
    show(state.page, false);
    document.documentElement.classList.add("cp-js");
    CP.frame.watchNav(document, $(".cp-nav"));
  }

  /* The table of contents starts closed in the HTML itself: nothing moves after the first paint. */
  tocToggle.addEventListener("click", function () {
    var open = toc.hidden;
    toc.hidden = !open;
    tocToggle.setAttribute("aria-expanded", String(open));
    if (open) { tocLinks[state.page].focus(); }
  });
  tocLinks.forEach(function (link, i) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      toc.hidden = true;
      tocToggle.setAttribute("aria-expanded", "false");
      show(i, true);
    });
  });
  toc.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { toc.hidden = true; tocToggle.setAttribute("aria-expanded", "false"); tocToggle.focus(); }
  });
  prev.addEventListener("click", function () { show(state.page - 1, true); });
  next.addEventListener("click", function () { show(state.page + 1, true); });
  fieldsets.forEach(function (fs, k) {
    $(".cp-check", fs).addEventListener("click", function () { check(k); });
    $$("[data-move]", fs).forEach(function (button) { button.addEventListener("click", function () { moveItem(button); }); });
  });
  var retryButton = $("#cp-retry");
  if (retryButton) { retryButton.addEventListener("click", retryQuiz); }
  var restartButton = $("#cp-restart");
  if (restartButton) { restartButton.addEventListener("click", function () { show(0, true); }); }
  var printButton = $("#cp-print");
  if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { save(true); } });
  window.addEventListener("pagehide", leave);
  window.CoursePack = { state: state, leave: leave, refusals: function () { return tracker.refusals || []; } };

  /* SCORM answers at once; an LRS (xAPI, cmi5) answers later: both go through a promise. */
  Promise.resolve().then(function () { return tracker.start(); }).then(function (saved) {
    if (saved === null) { tracker = standalone; } /* the LMS refused to initialise: do not talk to it */
    begin(saved);
    if (tracker.notice) { notice(S["launch_error_" + tracker.notice]); } /* tracked locally only, said why */
  }, function (error) {
    tracker = standalone;
    begin(null);
    notice(S["launch_error_" + (error && error.code)] || S.launch_error_3);
  });
}());
