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

    tracker = {
      start: function () {
        return token().then(function (value) {
          lrs.auth = "Basic " + value;
          return lrs.getState(session.stateParams("LMS.LaunchData")).then(null, function () { throw new LaunchError("3"); });
        }).then(function (launchData) {
          if (!launchData) { throw new LaunchError("3"); }
          launch = launchData;
          tracker.returnUrl = launch.returnURL || null;
          tracker.masteryScore = launch.masteryScore;
          if (memo.terminated) { throw new LaunchError("ended"); } /* reloaded after terminated: the LMS refuses this session now */
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
      page: function (index) { session.page(index); },
      interaction: function (q, answer, right, latency) { session.interaction(q, answer, right, latency); },
      report: function (r) {
        if (!normal()) { return; } /* no satisfaction data and no state in Browse or Review (§10) */
        if (startAttempts === null) { startAttempts = r.attempts; }
        if (r.completed && !session.sent.completed) {
          session.sent.completed = true;
          cmi5Statement("completed", { completion: true, duration: session.elapsed() });
        }
        /* passed at most once per registration; failed only for an attempt made in this session */
        var failedNow = r.success === "failed" && r.attempts > startAttempts;
        if (!judged && !session.sent.passed && (r.success === "passed" || failedNow)) {
          judged = true;
          if (r.success === "passed") { session.sent.passed = true; }
          cmi5Statement(r.success, { score: session.score(r), success: r.success === "passed", duration: session.elapsed() });
        }
        session.store(r);
      },
      commit: function () { lrs.flush(); },
      finish: function () {
        if (done || lrs.paused) { return; }
        done = true;
        lrs.exiting = true;
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
