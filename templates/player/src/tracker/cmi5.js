/* The cmi5 back-end, by the letter of AICC CMI-5_Spec_Current: fetch URL once per session,
 * LMS.LaunchData, learner preferences, the verb rules of §9.3, moveOn (§9.6.2.2), launch modes. */
T.cmi5 = (function () {
  var CMI5 = T.launch.CMI5;

  /* A launch the AU cannot track: the learner is told why, in plain words (cmi5 §8.2.3). */
  function LaunchError(code) {
    this.code = code;
    this.message = "cmi5 launch failed (" + code + ")";
  }

  function cmi5(data, helpers) {
    var p = T.launch.params();
    if (!p.endpoint || !p.fetch || !p.actor || !p.registration || !p.activityId) { return null; }
    var lrs = new T.Lrs(p.endpoint, null, p.registration);
    lrs.paused = true; /* nothing leaves before the auth token is known */
    var session = new T.Session(data, helpers, lrs, T.launch.agent(p.actor), p.activityId, p.registration);
    var launch = {};
    var done = false;
    var judged = false; /* one of passed/failed per session (§9.3) */
    var startAttempts = null;
    var held = null; /* a failed attempt's result, sent at the end of the session unless a retry passes */
    /* The held failure goes out when nothing contradicts it: not after passed, not unsure. */
    var judge = function () {
      var failure = held;
      held = null;
      var sent = session.known();
      if (!failure || judged || sent.passed || session.unsure) { return; }
      judged = true;
      failure.duration = session.elapsed();
      cmi5Statement("failed", failure);
    };
    var tracker;
    /* The fetch URL answers once per session (§8.2.1): the token is kept for reloads. */
    var memoKey = "coursepack-cmi5:" + p.fetch;
    var memo = null;
    try { memo = JSON.parse(window.sessionStorage.getItem(memoKey) || "null"); } catch (e) { memo = null; }
    var keepMemo = function () {
      try { window.sessionStorage.setItem(memoKey, JSON.stringify(memo)); } catch (e) { /* memory only */ }
    };

    /* Every statement carries the LMS's context template; cmi5-defined ones also the cmi5
     * category, and those whose result has success or completion the moveOn one (§9.6.2.2). */
    session.context = function (cmi5Defined, moveOn) {
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
    };
    var normal = function () { return (launch.launchMode || "Normal") === "Normal"; };
    var cmi5Statement = function (verb, result) {
      var context = session.context(true, Boolean(result && (result.success !== undefined || result.completion !== undefined)));
      if ((verb === "passed" || verb === "failed") && launch.masteryScore !== undefined) {
        context.extensions[CMI5 + "extensions/masteryscore"] = launch.masteryScore;
      }
      return session.statement(verb, session.module(), result, context);
    };
    var token = function () {
      if (memo && memo.token) { return Promise.resolve(memo.token); }
      return fetch(p.fetch, { method: "POST" }).then(function (r) {
        if (!r.ok) { throw new LaunchError("3"); }
        return r.json();
      }, function () { throw new LaunchError("offline"); }).then(function (answer) {
        if (!answer || answer["error-code"] || !answer["auth-token"]) {
          throw new LaunchError(String(answer && answer["error-code"] || "3"));
        }
        memo = { token: answer["auth-token"] };
        keepMemo();
        return memo.token;
      });
    };
    /* cmi5LearnerPreferences (§11): audio on or off at startup; the module has one language. */
    var preferences = function () {
      return lrs.getDocument("agents/profile", { agent: JSON.stringify(session.actor), profileId: "cmi5LearnerPreferences" })
        .then(function (doc) { return doc || {}; }, function () { return {}; });
    };

    /* Reloaded after terminated: the LMS takes nothing more from this session (§9.3.8), so
     * nothing is sent; the learner goes on from this browser's copy, which the next session
     * picks up (Session.load: the newer copy wins) and reports. */
    var ended = function () {
      tracker.ended = true;
      tracker.notice = "ended";
      tracker.returnUrl = memo.returnURL || null;
      tracker.masteryScore = memo.masteryScore;
      session.stateSupported = false;
      return session.load(true);
    };

    tracker = {
      start: function () {
        if (memo && memo.terminated) { return Promise.resolve().then(ended); }
        return token().then(function (value) {
          lrs.auth = "Basic " + value;
          return lrs.getState(session.stateParams("LMS.LaunchData")).then(null, function () { throw new LaunchError("3"); });
        }).then(function (launchData) {
          if (!launchData) { throw new LaunchError("3"); }
          launch = launchData;
          tracker.returnUrl = launch.returnURL || null;
          tracker.masteryScore = launch.masteryScore;
          memo.returnURL = tracker.returnUrl;
          memo.masteryScore = launch.masteryScore;
          memo.normal = normal();
          keepMemo();
          lrs.paused = false;
          if (!normal()) { session.stateSupported = false; } /* Browse and Review answers never count later */
          return preferences();
        }).then(function (prefs) {
          tracker.preferences = { audio: prefs.audioPreference || null, languages: String(prefs.languagePreference || "").split(",").filter(Boolean) };
          if (!memo.initialized) {
            memo.initialized = true;
            keepMemo();
            cmi5Statement("initialized", null);
          }
          return session.load();
        });
      },
      page: function (index) { if (!tracker.ended) { session.page(index); } },
      interaction: function (q, answer, right, latency) { if (!tracker.ended) { session.interaction(q, answer, right, latency); } },
      /* completed and passed once per registration, whichever tab or device sent them
       * (session.known, session.history); one of passed or failed per session (§9.3), never failed
       * after passed. A failed attempt with a retry left is held until the session ends, so that
       * a retry passed in the same session sends passed there, and the failure only if none is. */
      report: function (r) {
        if (tracker.ended) { if (memo.normal) { session.store(r); } return; } /* Browse and Review answers never count later */
        if (!normal()) { return; } /* no satisfaction data and no state in Browse or Review (§10) */
        if (startAttempts === null) { startAttempts = r.attempts; }
        var sent = session.known();
        if (r.completed && !sent.completed) {
          session.mark("completed");
          cmi5Statement("completed", { completion: true, duration: session.elapsed() });
        }
        if (!judged && r.success === "passed" && !sent.passed) {
          judged = true;
          held = null;
          session.mark("passed");
          cmi5Statement("passed", { score: session.score(r), success: true, duration: session.elapsed() });
        } else if (!judged && r.success === "failed" && r.attempts > startAttempts && !sent.passed) {
          held = { score: session.score(r), success: false };
          var left = data.attempts === 0 ? Infinity : data.attempts - r.attempts;
          if (left <= 0) { judge(); } /* no retry: the verdict is final now */
        }
        session.store(r);
      },
      commit: function () { lrs.flush(); },
      finish: function () {
        if (done || lrs.paused) { return; }
        done = true;
        lrs.exiting = true;
        judge();
        memo.terminated = true;
        keepMemo();
        cmi5Statement("terminated", { duration: session.elapsed() });
        lrs.flushOnExit();
        session.pushState(true);
      }
    };
    return tracker;
  }

  return cmi5;
}());
