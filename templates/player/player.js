/* CoursePack player: pages, quiz, resume state and tracking. No framework, nothing fetched.
 * The course data comes from <script id="cp-data">; the resume-state format is described in
 * packager/model/resume.py, which checks that it fits SCORM 1.2's 4,096 characters. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("cp-data").textContent);
  var S = data.strings;
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
  var questions = data.questions;
  var started = Date.now();

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function digit(n) { return DIGITS.charAt(n); }
  function undigit(c) { return DIGITS.indexOf(c); }
  function pad(n, width) { n = String(n); while (n.length < width) { n = "0" + n; } return n; }

  /* ---------------------------------------------------------------- time formats */
  function parts(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    return { h: Math.floor(cs / 360000), m: Math.floor(cs / 6000) % 60, s: Math.floor(cs / 100) % 60, cs: cs % 100 };
  }
  function timespan12(ms) { /* CMITimespan HHHH:MM:SS.SS */
    var p = parts(ms);
    return pad(Math.min(p.h, 9999), 4) + ":" + pad(p.m, 2) + ":" + pad(p.s, 2) + "." + pad(p.cs, 2);
  }
  function duration2004(ms) { /* ISO 8601 duration, as SCORM 2004 timeinterval */
    var p = parts(ms);
    var seconds = String(p.s) + (p.cs ? ("." + pad(p.cs, 2)).replace(/0$/, "") : "");
    return "PT" + (p.h ? p.h + "H" : "") + (p.m ? p.m + "M" : "") + seconds + "S";
  }
  function clock(d) { return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2); }
  function timestamp2004(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2) + "T" + clock(d);
  }

  /* ---------------------------------------------------------------- LMS discovery */
  /* The ADL algorithm: the window, then its parents, then the opener and its parents. */
  function findApi(name) {
    function climb(win) {
      for (var i = 0; win && i < 500; i += 1) {
        try { if (win[name]) { return win[name]; } } catch (e) { /* another origin: keep climbing */ }
        if (!win.parent || win.parent === win) { return null; }
        win = win.parent;
      }
      return null;
    }
    var api = climb(window);
    if (!api) {
      try { api = window.opener ? climb(window.opener) : null; } catch (e) { api = null; }
    }
    return api;
  }

  /* ---------------------------------------------------------------- tracking back-ends */
  var TYPES = { single: "choice", multiple: "choice", true_false: "true-false", fill_in: "fill-in", ordering: "sequencing", matching: "matching" };

  /* Responses in the format each SCORM version requires (1.2: single characters and commas). */
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

  function ScormTracker(api, v2004) {
    var prefix = v2004 ? "cmi." : "cmi.core.";
    function get(name) { return String(v2004 ? api.GetValue(name) : api.LMSGetValue(name)); }
    function set(name, value) { return v2004 ? api.SetValue(name, String(value)) : api.LMSSetValue(name, String(value)); }
    var done = false;
    return {
      start: function () {
        var ok = String(v2004 ? api.Initialize("") : api.LMSInitialize("")) === "true";
        if (!ok) { return null; }
        var entry = get(prefix + "entry");
        if (entry !== "resume") { return { fresh: true }; }
        return { location: get(v2004 ? "cmi.location" : "cmi.core.lesson_location"), suspend: get("cmi.suspend_data") };
      },
      report: function (r) {
        set(v2004 ? "cmi.location" : "cmi.core.lesson_location", r.location);
        set("cmi.suspend_data", r.suspend);
        if (r.score !== null) {
          set(prefix + "score.min", "0");
          set(prefix + "score.max", "100");
          set(prefix + "score.raw", r.score);
          if (v2004) { set("cmi.score.scaled", r.score / 100); }
        }
        if (v2004) {
          set("cmi.completion_status", r.completed ? "completed" : "incomplete");
          set("cmi.success_status", r.success || "unknown");
          set("cmi.progress_measure", r.progress);
          set("cmi.session_time", duration2004(r.elapsed));
          set("cmi.exit", "suspend");
        } else {
          set("cmi.core.lesson_status", r.success || (r.completed ? "completed" : "incomplete"));
          set("cmi.core.session_time", timespan12(r.elapsed));
          set("cmi.core.exit", "suspend");
        }
      },
      interaction: function (q, answer, right, latency) {
        var n = get("cmi.interactions._count");
        var base = "cmi.interactions." + n + ".";
        set(base + "id", v2004 ? q.iri : q.id);
        set(base + "type", TYPES[q.type]);
        correctPatterns(q, v2004).forEach(function (pattern, k) { set(base + "correct_responses." + k + ".pattern", pattern); });
        if (v2004) {
          set(base + "timestamp", timestamp2004(new Date()));
          set(base + "learner_response", responseText(q, answer, true));
          set(base + "result", right ? "correct" : "incorrect");
          set(base + "latency", duration2004(latency));
        } else {
          set(base + "time", clock(new Date()));
          set(base + "student_response", responseText(q, answer, false));
          set(base + "result", right ? "correct" : "wrong");
          set(base + "latency", timespan12(latency));
        }
      },
      commit: function () { if (!done) { if (v2004) { api.Commit(""); } else { api.LMSCommit(""); } } },
      finish: function () {
        if (done) { return; }
        done = true;
        if (v2004) { api.Terminate(""); } else { api.LMSFinish(""); }
      }
    };
  }

  /* Without an LMS (opened from disk, or in a preview) the module works and tracks nothing. */
  var standalone = { start: function () { return null; }, report: function () {}, interaction: function () {}, commit: function () {}, finish: function () {} };

  /* The preview plays both back-ends at once: the simulator's SCORM API and an xAPI log. */
  function both(first, second) {
    var call = function (name, args) {
      [first, second].forEach(function (t) { if (t[name]) { t[name].apply(t, args); } });
    };
    return {
      start: function () {
        return Promise.resolve(first.start()).then(function (saved) {
          return Promise.resolve(second.start()).then(function () { return saved; });
        });
      },
      page: function () { call("page", arguments); },
      report: function () { call("report", arguments); },
      interaction: function () { call("interaction", arguments); },
      commit: function () { call("commit", arguments); },
      finish: function () { call("finish", arguments); }
    };
  }

  function chooseTracker() {
    if (data.api === "preview") {
      var simulator = findApi("API");
      var log = window.CoursePackTrackers && window.CoursePackTrackers.xapi(data, { responseText: responseText, duration: duration2004 });
      if (simulator && log) { return both(ScormTracker(simulator, false), log); }
    }
    if (data.api === "scorm12") { var a12 = findApi("API"); if (a12) { return ScormTracker(a12, false); } }
    if (data.api === "scorm2004") { var a04 = findApi("API_1484_11"); if (a04) { return ScormTracker(a04, true); } }
    if (window.CoursePackTrackers && window.CoursePackTrackers[data.api]) {
      var external = window.CoursePackTrackers[data.api](data, { responseText: responseText, duration: duration2004 });
      if (external) { return external; }
    }
    return standalone;
  }

  /* ---------------------------------------------------------------- state and its encoding */
  var state = { page: 0, seen: data.pages.map(function () { return false; }), attempts: 0, lastScore: null, answers: questions.map(function () { return null; }) };

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
  function encodeState() {
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
  function decodeState(text) {
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

  /* ---------------------------------------------------------------- quiz logic */
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
  function quizDone() { return questions.length > 0 && state.answers.every(function (a) { return a !== null; }); }
  function currentScore() {
    var right = questions.filter(function (q, k) { return state.answers[k] !== null && isRight(q, state.answers[k]); }).length;
    return Math.round(100 * right / questions.length);
  }
  /* The mastery score as a fraction, never rounded: 0.7549 is not met by 75 %. */
  var mastery = data.mastery_score / 100;
  function passes(score) { return score !== null && score / 100 >= mastery; }
  function masteryText() { return String(Math.round(mastery * 10000) / 100); }
  function attemptsLeft() { return data.attempts === 0 ? Infinity : data.attempts - state.attempts; }

  /* What the LMS must hear: completion from the rule, success from the quiz when it decides. */
  function outcome() {
    var allSeen = state.seen.every(Boolean);
    var score = state.lastScore;
    var passed = passes(score);
    var r = { completed: false, success: null, score: null, progress: state.seen.filter(Boolean).length / state.seen.length };
    if (!data.quiz_decides) {
      r.completed = allSeen;
      r.score = score;
      return r;
    }
    r.score = score; /* reported as soon as the quiz decides, even before every page is read */
    if (score !== null && !passed) {
      r.success = "failed";
    } else if (passed && (data.rule === "quiz" || allSeen)) {
      r.success = "passed";
    }
    r.completed = data.rule === "quiz" ? score !== null : allSeen && score !== null;
    return r;
  }

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

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
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
      html += "<p>" + (canRetry ? fmt(S.attempts_left, { n: attemptsLeft() }) : S.no_attempt_left) + "</p>";
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
      state.lastScore = currentScore();
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
      $("h1", sections[index]).focus();
    }
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

  function save(commit) {
    if (!ready) { return; }
    var r = outcome();
    showEndMessage(r);
    tracker.report({
      location: String(state.page), suspend: encodeState(), completed: r.completed, success: r.success,
      score: r.score, progress: Math.round(r.progress * 100) / 100, elapsed: Date.now() - started, attempts: state.attempts
    });
    if (commit) { tracker.commit(); }
  }

  function leave() {
    if (!ready) { return; }
    save(false);
    tracker.finish();
    ready = false;
  }

  /* ---------------------------------------------------------------- start */
  function begin(saved) {
    if (saved && saved.suspend && decodeState(saved.suspend)) {
      state.page = parseInt(saved.location, 10) || 0;
    }
    if (typeof tracker.masteryScore === "number") {
      mastery = tracker.masteryScore; /* the launcher's mastery score wins (cmi5), compared unrounded */
    }
    if (tracker.preferences && tracker.preferences.audio === "off") { /* cmi5LearnerPreferences */
      $$("video").forEach(function (video) { video.muted = true; });
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
    ready = true;
    show(state.page, false);
    document.documentElement.classList.add("cp-js");
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
  window.CoursePack = { state: state, encodeState: encodeState, leave: leave };

  /* SCORM answers at once; an LRS (xAPI, cmi5) answers later: both go through a promise. */
  Promise.resolve().then(function () { return tracker.start(); }).then(function (saved) {
    if (saved === null) { tracker = standalone; } /* the LMS refused to initialise: do not talk to it */
    begin(saved);
  }, function (error) {
    tracker = standalone;
    begin(null);
    notice(S["launch_error_" + (error && error.code)] || S.launch_error_3);
  });
}());
