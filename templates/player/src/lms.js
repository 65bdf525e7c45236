/* The LMS side of SCORM 1.2 and 2004: finding the API, and the tracker that talks to it. The
 * LRS back-ends (xAPI, cmi5) are in tracker-xapi.js; the preview plays both at once. */
CP.lms = (function () {
  var time = CP.time;
  var responses = CP.responses;

  /* The ADL algorithm: the window, then its parents, then the opener and its parents. */
  function findApi(name, start) {
    start = start || window;
    function climb(win) {
      for (var i = 0; win && i < 500; i += 1) {
        try { if (win[name]) { return win[name]; } } catch (e) { /* another origin: keep climbing */ }
        if (!win.parent || win.parent === win) { return null; }
        win = win.parent;
      }
      return null;
    }
    var api = climb(start);
    if (!api) {
      try { api = start.opener ? climb(start.opener) : null; } catch (e) { api = null; }
    }
    return api;
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
          set("cmi.session_time", time.duration2004(r.elapsed));
          set("cmi.exit", "suspend");
        } else {
          set("cmi.core.lesson_status", r.success || (r.completed ? "completed" : "incomplete"));
          set("cmi.core.session_time", time.timespan12(r.elapsed));
          set("cmi.core.exit", "suspend");
        }
      },
      interaction: function (q, answer, right, latency) {
        var n = get("cmi.interactions._count");
        var base = "cmi.interactions." + n + ".";
        set(base + "id", v2004 ? q.iri : q.id);
        set(base + "type", responses.TYPES[q.type]);
        responses.correctPatterns(q, v2004).forEach(function (pattern, k) { set(base + "correct_responses." + k + ".pattern", pattern); });
        if (v2004) {
          set(base + "timestamp", time.timestamp2004(new Date()));
          set(base + "learner_response", responses.responseText(q, answer, true));
          set(base + "result", right ? "correct" : "incorrect");
          set(base + "latency", time.duration2004(latency));
        } else {
          set(base + "time", time.clock(new Date()));
          set(base + "student_response", responses.responseText(q, answer, false));
          set(base + "result", right ? "correct" : "wrong");
          set(base + "latency", time.timespan12(latency));
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

  return { findApi: findApi, ScormTracker: ScormTracker, standalone: standalone, both: both };
}());
