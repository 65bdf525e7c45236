/* The cmi5 back-end, by the letter of AICC CMI-5_Spec_Current: fetch URL once per session,
 * LMS.LaunchData, learner preferences, the verb rules of §9.3, moveOn (§9.6.2.2), launch modes.
 * One launch's state is one object (``s``) that the functions below share. */
T.cmi5 = (function () {
  var CMI5 = T.launch.CMI5;

  /* A launch the AU cannot track: the learner is told why, in plain words (cmi5 §8.2.3). */
  function LaunchError(code) {
    this.code = code;
    this.message = "cmi5 launch failed (" + code + ")";
  }

  /* The fetch URL answers once per session (§8.2.1): the token is kept for reloads. */
  function readMemo(key) {
    try { return JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function keepMemo(s) {
    try { window.sessionStorage.setItem(s.memoKey, JSON.stringify(s.memo)); } catch (e) { /* memory only */ }
  }

  /* Every statement carries the LMS's context template; cmi5-defined ones also the cmi5
   * category, and those whose result has success or completion the moveOn one (§9.6.2.2). */
  function context(launch, cmi5Defined, moveOn) {
    var template = JSON.parse(JSON.stringify(launch.contextTemplate || {}));
    template.contextActivities = template.contextActivities || {};
    template.extensions = template.extensions || {};
    if (cmi5Defined) {
      var categories = (template.contextActivities.category || []).slice();
      categories.push({ id: CMI5 + "categories/cmi5" });
      if (moveOn) { categories.push({ id: CMI5 + "categories/moveon" }); }
      template.contextActivities.category = categories;
    }
    return template;
  }
  function normal(s) { return (s.launch.launchMode || "Normal") === "Normal"; }
  function cmi5Statement(s, verb, result) {
    var extra = s.session.context(true, Boolean(result && (result.success !== undefined || result.completion !== undefined)));
    if ((verb === "passed" || verb === "failed") && s.launch.masteryScore !== undefined) {
      extra.extensions[CMI5 + "extensions/masteryscore"] = s.launch.masteryScore;
    }
    return s.session.statement(verb, s.session.module(), result, extra);
  }

  /* The held failure goes out when nothing contradicts it: not after passed, not unsure. */
  function judge(s) {
    var failure = s.held;
    s.held = null;
    var sent = s.session.known();
    if (!failure || s.judged || sent.passed || s.session.unsure) { return; }
    s.judged = true;
    failure.duration = s.session.elapsed();
    cmi5Statement(s, "failed", failure);
  }

  function token(s) {
    if (s.memo && s.memo.token) { return Promise.resolve(s.memo.token); }
    return fetch(s.p.fetch, { method: "POST" }).then(function (r) {
      if (!r.ok) { throw new LaunchError("3"); }
      return r.json();
    }, function () { throw new LaunchError("offline"); }).then(function (answer) {
      if (!answer || answer["error-code"] || !answer["auth-token"]) {
        throw new LaunchError(String(answer && answer["error-code"] || "3"));
      }
      s.memo = { token: answer["auth-token"] };
      keepMemo(s);
      return s.memo.token;
    });
  }

  /* cmi5LearnerPreferences (§11): audio on or off at startup; the module has one language. */
  function preferences(s) {
    return s.lrs.getDocument("agents/profile", { agent: JSON.stringify(s.session.actor), profileId: "cmi5LearnerPreferences" })
      .then(function (doc) { return doc || {}; }, function () { return {}; });
  }

  /* Reloaded after terminated: the LMS takes nothing more from this session (§9.3.8), so
   * nothing is sent; the learner goes on from this browser's copy, which the next session
   * picks up (Session.load: the newer copy wins) and reports. */
  function ended(s) {
    var tracker = s.tracker;
    tracker.ended = true;
    tracker.notice = "ended";
    tracker.returnUrl = s.memo.returnURL || null;
    tracker.masteryScore = s.memo.masteryScore;
    s.session.stateSupported = false;
    return s.session.load(true);
  }

  /* The launch: the token, LMS.LaunchData (kept in the memo for reloads), the preferences, then
   * initialized once per session; the answer is the saved state, as the SCORM trackers give it. */
  function start(s) {
    if (s.memo && s.memo.terminated) { return Promise.resolve().then(function () { return ended(s); }); }
    var tracker = s.tracker;
    return token(s).then(function (value) {
      s.lrs.auth = "Basic " + value;
      return s.lrs.getState(s.session.stateParams("LMS.LaunchData")).then(null, function () { throw new LaunchError("3"); });
    }).then(function (launchData) {
      if (!launchData) { throw new LaunchError("3"); }
      s.launch = launchData;
      tracker.returnUrl = s.launch.returnURL || null;
      tracker.masteryScore = s.launch.masteryScore;
      s.memo.returnURL = tracker.returnUrl;
      s.memo.masteryScore = s.launch.masteryScore;
      s.memo.normal = normal(s);
      keepMemo(s);
      s.lrs.paused = false;
      if (!normal(s)) { s.session.stateSupported = false; } /* Browse and Review answers never count later */
      return preferences(s);
    }).then(function (prefs) {
      tracker.preferences = { audio: prefs.audioPreference || null, languages: String(prefs.languagePreference || "").split(",").filter(Boolean) };
      if (!s.memo.initialized) {
        s.memo.initialized = true;
        keepMemo(s);
        cmi5Statement(s, "initialized", null);
      }
      return s.session.load();
    });
  }

  /* completed and passed once per registration, whichever tab or device sent them
   * (session.known, session.history); one of passed or failed per session (§9.3), never failed
   * after passed. A failed attempt with a retry left is held until the session ends, so that
   * a retry passed in the same session sends passed there, and the failure only if none is. */
  function report(s, r) {
    var session = s.session;
    if (s.tracker.ended) { if (s.memo.normal) { session.store(r); } return; } /* Browse and Review answers never count later */
    if (!normal(s)) { return; } /* no satisfaction data and no state in Browse or Review (§10) */
    if (s.startAttempts === null) { s.startAttempts = r.attempts; }
    var sent = session.known();
    if (r.completed && !sent.completed) {
      session.mark("completed");
      cmi5Statement(s, "completed", { completion: true, duration: session.elapsed() });
    }
    if (!s.judged && r.success === "passed" && !sent.passed) {
      s.judged = true;
      s.held = null;
      session.mark("passed");
      cmi5Statement(s, "passed", { score: session.score(r), success: true, duration: session.elapsed() });
    } else if (!s.judged && r.success === "failed" && r.attempts > s.startAttempts && !sent.passed) {
      s.held = { score: session.score(r), success: false };
      var left = s.data.attempts === 0 ? Infinity : s.data.attempts - r.attempts;
      if (left <= 0) { judge(s); } /* no retry: the verdict is final now */
    }
    session.store(r);
  }

  function finish(s) {
    if (s.done || s.lrs.paused) { return; }
    s.done = true;
    s.lrs.exiting = true;
    judge(s);
    s.memo.terminated = true;
    keepMemo(s);
    cmi5Statement(s, "terminated", { duration: s.session.elapsed() });
    s.lrs.flushOnExit();
    s.session.pushState(true);
  }

  function cmi5(data, helpers) {
    var p = T.launch.params();
    if (!p.endpoint || !p.fetch || !p.actor || !p.registration || !p.activityId) { return null; }
    var lrs = new T.Lrs(p.endpoint, null, p.registration);
    lrs.paused = true; /* nothing leaves before the auth token is known */
    var s = {
      data: data, p: p, lrs: lrs, launch: {}, tracker: null, memoKey: "coursepack-cmi5:" + p.fetch, memo: null,
      session: new T.Session(data, helpers, lrs, T.launch.agent(p.actor), p.activityId, p.registration),
      done: false,
      judged: false, /* one of passed/failed per session (§9.3) */
      startAttempts: null,
      held: null /* a failed attempt's result, sent at the end of the session unless a retry passes */
    };
    s.memo = readMemo(s.memoKey);
    s.session.context = function (cmi5Defined, moveOn) { return context(s.launch, cmi5Defined, moveOn); };
    s.tracker = {
      start: function () { return start(s); },
      page: function (index) { if (!s.tracker.ended) { s.session.page(index); } },
      interaction: function (q, answer, right, latency) { if (!s.tracker.ended) { s.session.interaction(q, answer, right, latency); } },
      report: function (r) { report(s, r); },
      commit: function () { lrs.flush(); },
      finish: function () { finish(s); }
    };
    return s.tracker;
  }

  return cmi5;
}());
