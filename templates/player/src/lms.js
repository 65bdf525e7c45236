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

  /* The API's calls, each result checked: a refusal is logged and kept in ``refusals``, and the
   * session goes on with the rest. */
  function Calls(api, v2004) {
    var refusals = [];
    function lastError() {
      try { return String(v2004 ? api.GetLastError() : api.LMSGetLastError()); } catch (e) { return "101"; }
    }
    function refused(what, result) {
      if (String(result) === "true") { return false; }
      var code = lastError();
      if (code === "0" && String(result) !== "false") { return false; } /* an LMS answering "" or nothing, without error */
      var text = "";
      try { text = String(v2004 ? api.GetErrorString(code) : api.LMSGetErrorString(code)); } catch (e) { /* optional */ }
      refusals.push({ call: what, code: code });
      if (typeof console !== "undefined" && console.warn) {
        console.warn("CoursePack: the LMS refused " + what + " (error " + code + (text ? ", " + text : "") + ")");
      }
      return true;
    }
    function invoke(name, args) {
      try { return api[name].apply(api, args); } catch (e) { return "false"; }
    }
    function get(name) { var v = invoke(v2004 ? "GetValue" : "LMSGetValue", [name]); return v === undefined || v === null ? "" : String(v); }
    function set(name, value) {
      return !refused(name, invoke(v2004 ? "SetValue" : "LMSSetValue", [name, String(value)]));
    }
    return { refusals: refusals, refused: refused, invoke: invoke, get: get, set: set };
  }

  /* The session's status, score, time and exit, in each version's names. */
  function writeStatus(calls, v2004, r, decided) {
    var set = calls.set;
    if (v2004) {
      set("cmi.completion_status", r.completed ? "completed" : "incomplete");
      set("cmi.success_status", r.success || "unknown");
      set("cmi.progress_measure", r.progress);
      set("cmi.session_time", time.duration2004(r.elapsed));
      set("cmi.exit", "suspend");
    } else {
      set("cmi.core.lesson_status", decided.status);
      set("cmi.core.session_time", time.timespan12(r.elapsed));
      set("cmi.core.exit", "suspend");
    }
  }

  /* One answer as the next cmi.interactions.n record; ``id`` is its SCORM 1.2 identifier. */
  function writeInteraction(calls, v2004, id, q, answer, right, latency) {
    var set = calls.set;
    var n = parseInt(calls.get("cmi.interactions._count"), 10);
    if (isNaN(n)) { calls.refused("cmi.interactions._count", "false"); return; }
    var base = "cmi.interactions." + n + ".";
    /* without its id the record would be an orphan: the rest of this one is dropped, not the session */
    if (!set(base + "id", v2004 ? q.iri : id)) { return; }
    set(base + "type", responses.TYPES[q.type]);
    responses.correctPatterns(q, v2004).forEach(function (pattern, k) {
      set(base + "correct_responses." + k + ".pattern", v2004 ? pattern : responses.feedback12(pattern));
    });
    if (v2004) {
      set(base + "timestamp", time.timestamp2004(new Date()));
      set(base + "learner_response", responses.responseText(q, answer, true));
      set(base + "result", right ? "correct" : "incorrect");
      set(base + "latency", time.duration2004(latency));
    } else {
      set(base + "time", time.clock(new Date()));
      set(base + "student_response", responses.feedback12(responses.responseText(q, answer, false)));
      set(base + "result", right ? "correct" : "wrong");
      set(base + "latency", time.timespan12(latency));
    }
  }

  /* SCORM 1.2 runtimes (Moodle's player, the Moodle app's) turn a raw score into passed or failed
   * at LMSFinish when they know a mastery score, and the app knows one only online. A status the
   * rule has not decided yet (a passing score, pages still to read) must not carry a new score:
   * the score waits for the rule, and the status stays what the score the LMS holds says, so
   * online and offline, Moodle and the app, all end with the catalogue's verdict. */
  function status12(r, mastery, heldRaw) {
    var status = r.success || (r.completed ? "completed" : "incomplete");
    if (mastery === null || r.score === null || r.success) { return { status: status, score: r.score }; }
    return { status: heldRaw === null ? "incomplete" : heldRaw >= mastery ? "passed" : "failed", score: null };
  }

  /* options: questions (the module's, for the SCORM 1.2 interaction ids), mastery (the catalogue's
   * mastery score in percent when the quiz decides, else null), endsWhenSettled (the page finishes
   * the session once nothing can change, saving.js). */
  function ScormTracker(api, v2004, options) {
    options = options || {};
    var prefix = v2004 ? "cmi." : "cmi.core.";
    var ids = v2004 ? null : responses.interactionIds(options.questions || []);
    var mastery = typeof options.mastery === "number" ? options.mastery : null;
    var calls = Calls(api, v2004);
    var get = calls.get;
    var set = calls.set;
    var heldRaw = null; /* the raw score the LMS holds (SCORM 1.2) */
    var done = false;
    function interactionId(q) {
      var k = (options.questions || []).indexOf(q);
      return k >= 0 ? ids[k] : responses.identifier(q.id) || "q";
    }
    function call(name12, name2004) {
      var name = v2004 ? name2004 : name12;
      calls.refused(name, calls.invoke(name, [""]));
    }
    return {
      refusals: calls.refusals,
      endsWhenSettled: Boolean(options.endsWhenSettled),
      start: function () {
        var ok = String(calls.invoke(v2004 ? "Initialize" : "LMSInitialize", [""])) === "true";
        if (!ok) { calls.refused(v2004 ? "Initialize" : "LMSInitialize", "false"); return null; }
        if (!v2004) {
          var raw = get("cmi.core.score.raw");
          heldRaw = raw === "" || isNaN(parseFloat(raw)) ? null : parseFloat(raw);
        }
        var entry = get(prefix + "entry");
        if (entry !== "resume") { return { fresh: true }; }
        return { location: get(v2004 ? "cmi.location" : "cmi.core.lesson_location"), suspend: get("cmi.suspend_data") };
      },
      report: function (r) {
        if (done) { return; }
        set(v2004 ? "cmi.location" : "cmi.core.lesson_location", r.location);
        set("cmi.suspend_data", r.suspend);
        var decided = v2004 ? { score: r.score } : status12(r, mastery, heldRaw);
        if (decided.score !== null) {
          set(prefix + "score.min", "0");
          set(prefix + "score.max", "100");
          if (set(prefix + "score.raw", decided.score) && !v2004) { heldRaw = decided.score; }
          if (v2004) { set("cmi.score.scaled", decided.score / 100); }
        }
        writeStatus(calls, v2004, r, decided);
      },
      interaction: function (q, answer, right, latency) {
        if (done) { return; }
        writeInteraction(calls, v2004, v2004 ? null : interactionId(q), q, answer, right, latency);
      },
      commit: function () {
        if (!done) { call("LMSCommit", "Commit"); }
      },
      finish: function () {
        if (done) { return; }
        done = true;
        call("LMSFinish", "Terminate");
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
