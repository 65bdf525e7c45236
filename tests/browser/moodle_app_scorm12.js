/* A test double of the Moodle app's SCORM 1.2 runtime (what the app puts in window.API), for
 * tests/test_moodle_app.py, as tests/moodle_double.py is for Moodle's web services.
 *
 * Written from a reading of moodlehq/moodleapp, never copied from it:
 *   src/addons/mod/scorm/classes/data-model-12.ts   (commit 023d9da46d5156a1381383e255eb565e3af985c9)
 *   src/addons/mod/scorm/services/scorm.ts          (saveTracksSync, saveTracksSyncOnline; 17b9b23fe968)
 *   src/core/services/ws.ts                         (syncCall; 77aef7171fbf)
 *   src/addons/mod/scorm/pages/player/player.ts     (window.API, ngOnDestroy; 11cd81a5c95a)
 * What it reproduces, because the packages depend on it:
 * - the data model: each element's access (r, w, rw), its format (a regular expression tried on
 *   the value as a string), its range, and the error code a refusal leaves (201, 301, 403, 404,
 *   405…); CMIIdentifier is printable ASCII without space, at most 255 characters; CMIFeedback
 *   (student_response, correct_responses pattern) at most 255 UTF-16 units whatever the site's
 *   "scormstandard" setting (the app captures that format before the setting is read), while
 *   lesson_location (255) and suspend_data (4096) are widened to 64000 when the setting is off;
 * - array elements: an index equal to _count creates the next record, a larger one is 201;
 * - LMSCommit sends what changed since the last save, never cmi.core.session_time; LMSFinish
 *   also turns "not attempted" into "completed", in normal mode with credit compares the raw
 *   score with cmi.student_data.mastery_score when both are known (passed or failed), and adds
 *   cmi.core.total_time (the attempt's total plus this session's time);
 * - saving online is one *synchronous* XMLHttpRequest to mod_scorm_insert_scorm_tracks (form
 *   encoded, tracks[i][element] / tracks[i][value], elements with "_n." for indexes); when it
 *   fails the model goes offline (event "go_offline") and keeps the tracks in its offline store,
 *   as the app does in its database until a later sync. Chromium refuses a synchronous request
 *   made while a frame is being dismissed, so a save at page close goes to the offline store.
 * Not reproduced: the autocommit timer (off by default in Moodle), objectives' score children,
 * browse and review modes' TOC, SCO navigation events (only recorded).
 */
(function (root) {
  "use strict";

  var STRING_255 = "^[\\u0000-\\uFFFF]{0,255}$";
  var STRING_4096 = "^[\\u0000-\\uFFFF]{0,4096}$";
  var STRING_LAX = "^[\\u0000-\\uFFFF]{0,64000}$";
  var FEEDBACK = STRING_255; /* fixed: the app reads it before the site's setting */
  var TIME = "^([0-2]{1}[0-9]{1}):([0-5]{1}[0-9]{1}):([0-5]{1}[0-9]{1})(.[0-9]{1,2})?$";
  var TIMESPAN = "^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(.[0-9]{1,2})?$";
  var SINTEGER = "^-?([0-9]+)$";
  var DECIMAL = "^-?([0-9]{0,3})(.[0-9]*)?$";
  var IDENTIFIER = "^[\\u0021-\\u007E]{0,255}$";
  var INDEX = "[._](\\d+).";
  var STATUS = "^passed$|^completed$|^failed$|^incomplete$|^browsed$";
  var STATUS_OBJECTIVE = "^passed$|^completed$|^failed$|^incomplete$|^browsed$|^not attempted$";
  var EXIT = "^time-out$|^suspend$|^logout$|^$";
  var TYPE = "^true-false$|^choice$|^fill-in$|^matching$|^performance$|^sequencing$|^likert$|^numeric$";
  var RESULT = "^correct$|^wrong$|^unanticipated$|^neutral$|^([0-9]{0,3})?(.[0-9]*)?$";
  var NAV = "^previous$|^continue$";
  var MESSAGES = {
    "0": "No error", "101": "General exception", "201": "Invalid argument error", "202": "Element cannot have children",
    "203": "Element not an array - cannot have count", "301": "Not initialized", "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword", "403": "Element is read only", "404": "Element is write only",
    "405": "Incorrect data type"
  };

  function generic(element) { return String(element).replace(new RegExp(INDEX, "g"), ".n."); }

  /* config: scoId, attempt, defaultdata {element: value} (what mod_scorm_get_scorm_user_data gives
   * online, or what the app builds for an offline attempt: no mastery score), userdata (earlier
   * tracks, "cmi.interactions_0.id" style), offline, network (false: the device has none),
   * scormStandard, mode ("normal"), siteUrl, token. */
  function Model(config) {
    this.config = config;
    this.scoId = config.scoId;
    this.attempt = config.attempt || 1;
    this.offline = Boolean(config.offline);
    this.mode = config.mode || "normal";
    this.initialized = false;
    this.errorCode = "0";
    this.calls = [];        /* every API call, its arguments, result and error code */
    this.events = [];       /* go_offline, update_toc, launch_next_sco… */
    this.requests = [];     /* each online save: {tracks, ok, error} */
    this.offlineTracks = []; /* the app's database of tracks waiting for a sync */
    this.build(config.defaultdata || {}, config.userdata || {}, config.scormStandard !== false);
    var self = this;
    ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]
      .forEach(function (name) {
        var method = self["_" + name];
        self[name] = function () {
          var args = Array.prototype.slice.call(arguments);
          var result = method.apply(self, args);
          if (name.indexOf("LMSGet") !== 0 || name === "LMSGetValue") {
            self.calls.push({ call: name, args: args, result: String(result), code: self.errorCode });
          }
          return result;
        };
      });
  }

  Model.prototype.build = function (def, extra, standard) {
    var s255 = standard ? STRING_255 : STRING_LAX;
    var s4096 = standard ? STRING_4096 : STRING_LAX;
    function rw(format, more) { var e = { format: format, mod: "rw", writeerror: "405" }; for (var k in more || {}) { e[k] = more[k]; } return e; }
    function ro(value, error) { return { defaultvalue: value, mod: "r", writeerror: error || "403" }; }
    function wo(format, more) { var e = { format: format, mod: "w", readerror: "404", writeerror: "405" }; for (var k in more || {}) { e[k] = more[k]; } return e; }
    var score = { range: "0#100" };
    this.model = {
      "cmi._children": ro("core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions", "402"),
      "cmi._version": ro("3.4", "402"),
      "cmi.core._children": ro("student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time", "402"),
      "cmi.core.student_id": ro(def["cmi.core.student_id"]),
      "cmi.core.student_name": ro(def["cmi.core.student_name"]),
      "cmi.core.lesson_location": rw(s255, { defaultvalue: def["cmi.core.lesson_location"] }),
      "cmi.core.credit": ro(def["cmi.core.credit"]),
      "cmi.core.lesson_status": rw(STATUS, { defaultvalue: def["cmi.core.lesson_status"] }),
      "cmi.core.entry": ro(def["cmi.core.entry"]),
      "cmi.core.score._children": ro("raw,min,max", "402"),
      "cmi.core.score.raw": rw(DECIMAL, { defaultvalue: def["cmi.core.score.raw"], range: score.range }),
      "cmi.core.score.max": rw(DECIMAL, { defaultvalue: def["cmi.core.score.max"], range: score.range }),
      "cmi.core.score.min": rw(DECIMAL, { defaultvalue: def["cmi.core.score.min"], range: score.range }),
      "cmi.core.total_time": ro(def["cmi.core.total_time"]),
      "cmi.core.lesson_mode": ro(def["cmi.core.lesson_mode"]),
      "cmi.core.exit": wo(EXIT, { defaultvalue: def["cmi.core.exit"] }),
      "cmi.core.session_time": wo(TIMESPAN, { defaultvalue: "00:00:00" }),
      "cmi.suspend_data": rw(s4096, { defaultvalue: def["cmi.suspend_data"] }),
      "cmi.launch_data": ro(def["cmi.launch_data"]),
      "cmi.comments": rw(s4096, { defaultvalue: def["cmi.comments"] }),
      "cmi.evaluation.comments._count": ro("0", "402"),
      "cmi.evaluation.comments._children": ro("content,location,time", "402"),
      "cmi.evaluation.comments.n.content": rw(s255, { defaultvalue: "" }),
      "cmi.evaluation.comments.n.location": rw(s255, { defaultvalue: "" }),
      "cmi.evaluation.comments.n.time": rw(TIME, { defaultvalue: "" }),
      "cmi.comments_from_lms": { mod: "r", writeerror: "403" },
      "cmi.objectives._children": ro("id,score,status", "402"),
      "cmi.objectives._count": ro("0", "402"),
      "cmi.objectives.n.id": rw(IDENTIFIER),
      "cmi.objectives.n.score._children": { mod: "r", writeerror: "402" },
      "cmi.objectives.n.score.raw": rw(DECIMAL, { defaultvalue: "", range: score.range }),
      "cmi.objectives.n.score.min": rw(DECIMAL, { defaultvalue: "", range: score.range }),
      "cmi.objectives.n.score.max": rw(DECIMAL, { defaultvalue: "", range: score.range }),
      "cmi.objectives.n.status": rw(STATUS_OBJECTIVE),
      "cmi.student_data._children": ro("mastery_score,max_time_allowed,time_limit_action", "402"),
      "cmi.student_data.mastery_score": ro(def["cmi.student_data.mastery_score"]),
      "cmi.student_data.max_time_allowed": ro(def["cmi.student_data.max_time_allowed"]),
      "cmi.student_data.time_limit_action": ro(def["cmi.student_data.time_limit_action"]),
      "cmi.student_preference._children": ro("audio,language,speed,text", "402"),
      "cmi.student_preference.audio": rw(SINTEGER, { defaultvalue: def["cmi.student_preference.audio"], range: "-1#100" }),
      "cmi.student_preference.language": rw(s255, { defaultvalue: def["cmi.student_preference.language"] }),
      "cmi.student_preference.speed": rw(SINTEGER, { defaultvalue: def["cmi.student_preference.speed"], range: "-100#100" }),
      "cmi.student_preference.text": rw(SINTEGER, { defaultvalue: def["cmi.student_preference.text"], range: "-1#1" }),
      "cmi.interactions._children": ro("id,objectives,time,type,correct_responses,weighting,student_response,result,latency", "402"),
      "cmi.interactions._count": ro("0", "402"),
      "cmi.interactions.n.id": wo(IDENTIFIER),
      "cmi.interactions.n.objectives._count": { mod: "r", defaultvalue: "0", writeerror: "402" },
      "cmi.interactions.n.objectives.n.id": wo(IDENTIFIER),
      "cmi.interactions.n.time": wo(TIME),
      "cmi.interactions.n.type": wo(TYPE),
      "cmi.interactions.n.correct_responses._count": { mod: "r", defaultvalue: "0", writeerror: "402" },
      "cmi.interactions.n.correct_responses.n.pattern": wo(FEEDBACK),
      "cmi.interactions.n.weighting": wo(DECIMAL, { range: "-100#100" }),
      "cmi.interactions.n.student_response": wo(FEEDBACK),
      "cmi.interactions.n.result": wo(RESULT),
      "cmi.interactions.n.latency": wo(TIMESPAN),
      "nav.event": wo(NAV, { defaultvalue: "" })
    };
    var data = {};
    var element;
    for (element in this.model) {
      if (!/\.n\./.test(element) && this.model[element].defaultvalue !== undefined) { data[element] = this.model[element].defaultvalue; }
    }
    for (element in def) {
      if (/\.n\./.test(element)) { continue; }
      var known = this.model[element];
      data[element] = known && known.defaultvalue !== undefined ? known.defaultvalue : extra[element] !== undefined ? extra[element] : "";
    }
    /* earlier interactions and objectives come back as "cmi.interactions_0.id": dots again, counters set */
    for (element in extra) {
      var indexed = new RegExp(INDEX, "g");
      if (!indexed.test(element)) { continue; }
      var dotted = element.replace(new RegExp(INDEX, "g"), ".$1.");
      data[dotted] = extra[element];
      var counter = null;
      var index = "0";
      var m;
      if (dotted.indexOf("cmi.interactions.") === 0 && (m = /^cmi\.interactions\.(\d+)\.(objectives|correct_responses)\.(\d+)\./.exec(dotted))) {
        counter = "cmi.interactions." + m[1] + "." + m[2] + "._count";
        index = m[3];
      } else if ((m = /^(cmi\.interactions|cmi\.objectives|cmi\.evaluation\.comments)\.(\d+)\./.exec(dotted))) {
        counter = m[1] + "._count";
        index = m[2];
      }
      if (counter) {
        var count = data[counter];
        if (count === undefined) { data[counter] = 0; count = 0; }
        if (Number(index) === Number(count)) { data[counter] = Number(count) + 1; }
      }
    }
    if (data["cmi.core.lesson_status"] === "") { data["cmi.core.lesson_status"] = "not attempted"; }
    data["cmi.core.credit"] = this.mode === "normal" ? "credit" : "no-credit";
    data["cmi.core.lesson_mode"] = this.mode;
    this.data = data;
  };

  Model.prototype.getEl = function (element) { return this.data[element] !== undefined ? this.data[element] : ""; };
  Model.prototype.setEl = function (element, value) { this.data[element] = value; };

  Model.prototype._LMSInitialize = function (param) {
    this.errorCode = "0";
    if (param !== "") { this.errorCode = "201"; return "false"; }
    if (this.initialized) { this.errorCode = "101"; return "false"; }
    this.initialized = true;
    return "true";
  };

  Model.prototype._LMSGetValue = function (element) {
    this.errorCode = "0";
    if (!this.initialized) { this.errorCode = "301"; return ""; }
    if (element === "") { this.errorCode = "201"; return ""; }
    var entry = this.model[generic(element)];
    if (entry) {
      if (entry.mod !== "w") { return this.getEl(element); }
      this.errorCode = entry.readerror || "0";
      return "";
    }
    var name = generic(element);
    var parent = name.replace(/\._(children|count)$/, "");
    if (parent !== name) {
      this.errorCode = this.model[parent] !== undefined ? (/_children$/.test(name) ? "202" : "203") : "201";
    } else {
      this.errorCode = "201";
    }
    return "";
  };

  Model.prototype._LMSSetValue = function (element, value) {
    this.errorCode = "0";
    if (!this.initialized) { this.errorCode = "301"; return "false"; }
    if (element === "") { this.errorCode = "201"; return "false"; }
    var name = generic(element);
    var entry = this.model[name];
    if (!entry) { this.errorCode = "201"; return "false"; }
    if (entry.mod === "r") { this.errorCode = entry.writeerror; return "false"; }
    value = String(value);
    if (!new RegExp(entry.format || "").test(value)) { this.errorCode = entry.writeerror; return "false"; }
    if (element !== name) {
      var m = /^cmi\.interactions\.(\d+)\./.exec(element);
      if (m) {
        ["objectives", "correct_responses"].forEach(function (child) {
          var counter = "cmi.interactions." + m[1] + "." + child + "._count";
          if (this.data[counter] === undefined) { this.setEl(counter, 0); }
        }, this);
      }
      /* each index on the way: equal to its _count, a new record; above it, 201 */
      var parts = element.split(".");
      var path = "cmi";
      for (var i = 1; i < parts.length - 1; i += 1) {
        if (/^\d+$/.test(parts[i + 1])) {
          var count = path + "." + parts[i] + "._count";
          if (this.data[count] === undefined) { this.setEl(count, 0); }
          if (Number(parts[i + 1]) === Number(this.getEl(count))) { this.setEl(count, Number(this.getEl(count)) + 1); }
          if (Number(parts[i + 1]) > Number(this.getEl(count))) { this.errorCode = "201"; }
          path += "." + parts[i] + "." + parts[i + 1];
          i += 1;
        } else {
          path += "." + parts[i];
        }
      }
      if (this.errorCode !== "0") { return "false"; }
    }
    if (entry.range !== undefined) {
      var bounds = entry.range.split("#");
      var number = Number(value);
      if (number >= Number(bounds[0]) && number <= Number(bounds[1])) { this.setEl(element, number); return "true"; }
      this.errorCode = entry.writeerror;
      return "false";
    }
    this.setEl(element, element === "cmi.comments" ? this.getEl("cmi.comments") + value : value);
    return "true";
  };

  Model.prototype._LMSCommit = function (param) {
    this.errorCode = "0";
    if (param !== "") { this.errorCode = "201"; return "false"; }
    if (!this.initialized) { this.errorCode = "301"; return "false"; }
    var ok = this.store(false);
    this.events.push("update_toc");
    this.errorCode = ok ? "0" : "101";
    return ok ? "true" : "false";
  };

  Model.prototype._LMSFinish = function (param) {
    this.errorCode = "0";
    if (param !== "") { this.errorCode = "201"; return "false"; }
    if (!this.initialized) { this.errorCode = "301"; return "false"; }
    this.initialized = false;
    var ok = this.store(true);
    var nav = this.getEl("nav.event");
    if (nav !== "") { this.events.push(nav === "continue" ? "launch_next_sco" : "launch_prev_sco"); }
    this.errorCode = ok ? "0" : "101";
    this.events.push("update_toc");
    return ok ? "true" : "false";
  };

  Model.prototype._LMSGetLastError = function () { return this.errorCode; };
  Model.prototype._LMSGetErrorString = function (code) { return code !== "" ? MESSAGES[code] : ""; };
  Model.prototype._LMSGetDiagnostic = function (code) { return code === "" ? this.errorCode : code; };

  /* What changed since the last save, Moodle's way of naming indexes; never the session time. */
  Model.prototype.collect = function () {
    var tracks = [];
    for (var element in this.data) {
      if (element.substring(0, 3) !== "cmi" || element === "cmi.core.session_time") { continue; }
      var name = generic(element);
      if (this.model[element] === undefined && this.model[name] !== undefined) {
        this.model[element] = JSON.parse(JSON.stringify(this.model[name]));
      }
      var entry = this.model[element];
      if (entry === undefined || entry.mod === "r") { continue; }
      var value = this.getEl(element);
      if (entry.defaultvalue === undefined || entry.defaultvalue !== value) {
        tracks.push({ element: element.replace(new RegExp(INDEX, "g"), "_$1."), value: value });
        entry.defaultvalue = value;
      }
    }
    return tracks;
  };

  /* Adds "hh:mm:ss(.cc)" times as the app does (its result keeps two-digit hours). */
  function addTime(first, second) {
    function split(t) {
      var p = String(t).split(":");
      var s = (p[2] || "0").split(".");
      return { h: parseInt(p[0], 10) || 0, m: parseInt(p[1], 10) || 0, s: parseInt(s[0], 10) || 0, c: s.length > 1 ? parseInt(s[1], 10) || 0 : 0 };
    }
    function two(n) { return n < 10 ? "0" + n : String(n); }
    var a = split(first);
    var b = split(second);
    var c = a.c + b.c;
    var s = a.s + b.s + Math.floor(c / 100);
    c %= 100;
    var m = a.m + b.m + Math.floor(s / 60);
    s %= 60;
    var h = a.h + b.h + Math.floor(m / 60);
    m %= 60;
    return two(h) + ":" + two(m) + ":" + two(s) + (c ? "." + two(c) : "");
  }

  Model.prototype.store = function (finishing) {
    var tracks;
    if (finishing) {
      if (this.getEl("cmi.core.lesson_status") === "not attempted") { this.setEl("cmi.core.lesson_status", "completed"); }
      if (this.getEl("cmi.core.lesson_mode") === "normal" && this.getEl("cmi.core.credit") === "credit") {
        var mastery = this.getEl("cmi.student_data.mastery_score");
        var raw = this.getEl("cmi.core.score.raw");
        if (mastery !== "" && raw !== "") {
          this.setEl("cmi.core.lesson_status", parseFloat(raw) >= parseFloat(mastery) ? "passed" : "failed");
        }
      }
      tracks = this.collect();
      tracks.push({ element: "cmi.core.total_time", value: addTime(this.getEl("cmi.core.total_time"), this.getEl("cmi.core.session_time")) });
    } else {
      tracks = this.collect();
    }
    if (this.offline) { return this.keepOffline(tracks); }
    if (this.sendOnline(tracks)) { return true; }
    this.offline = true;
    this.events.push("go_offline");
    return this.keepOffline(tracks);
  };

  Model.prototype.keepOffline = function (tracks) {
    var self = this;
    tracks.forEach(function (t) { self.offlineTracks.push({ scoid: self.scoId, attempt: self.attempt, element: t.element, value: t.value }); });
    return true;
  };

  /* mod_scorm_insert_scorm_tracks by a synchronous XMLHttpRequest, form encoded. */
  Model.prototype.sendOnline = function (tracks) {
    if (!tracks.length) { return true; }
    var record = { tracks: tracks, ok: false, error: null };
    this.requests.push(record);
    try {
      if (this.config.network === false) { throw new Error("no network"); }
      var fields = [["scoid", this.scoId], ["attempt", this.attempt]];
      tracks.forEach(function (t, i) { fields.push(["tracks[" + i + "][element]", t.element], ["tracks[" + i + "][value]", t.value]); });
      fields.push(["wsfunction", "mod_scorm_insert_scorm_tracks"], ["wstoken", this.config.token]);
      var body = fields.map(function (f) { return encodeURIComponent(f[0]) + "=" + encodeURIComponent(String(f[1])); }).join("&");
      var xhr = new XMLHttpRequest();
      xhr.open("post", this.config.siteUrl + "/webservice/rest/server.php?moodlewsrestformat=json", false);
      xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded;charset=utf-8");
      xhr.send(body);
      if (xhr.status < 200 || xhr.status >= 300) { throw new Error("HTTP " + xhr.status); }
      var answer = JSON.parse(xhr.responseText);
      if (!answer || answer.exception !== undefined || answer.debuginfo !== undefined) { throw new Error(answer && answer.message); }
      record.ok = Boolean(answer.trackids);
      return record.ok;
    } catch (e) {
      record.error = String(e && e.message || e);
      return false;
    }
  };

  /* The tests' view: the elements a later sync would send (the offline store, in order). */
  Model.prototype.pending = function () { return this.offlineTracks.slice(); };

  root.MoodleAppScorm12 = Model;
  root.MoodleAppScorm12.addTime = addTime;
}(typeof window !== "undefined" ? window : globalThis));
