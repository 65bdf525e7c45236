/* CoursePack tracking back-ends that talk to an LRS: xAPI (launched with endpoint, auth, actor,
 * registration, activity_id) and cmi5 (launched with endpoint, fetch, actor, registration,
 * activityId). Credentials come only from the launch; statements wait in a queue (kept in
 * localStorage) until the LRS has them, so a learner offline in the field loses nothing. */
(function () {
  "use strict";

  var ADL = "http://adlnet.gov/expapi/verbs/";
  var CMI5 = "https://w3id.org/xapi/cmi5/context/";
  var RESUME = "coursepack-resume";

  function launchParams() {
    var found = {};
    window.location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var at = pair.indexOf("=");
      var key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
      found[key] = at < 0 ? "" : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " "));
    });
    return found;
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.floor(Math.random() * 16);
      return (c === "x" ? r : (r % 4) + 8).toString(16);
    });
  }

  /* The launch may give an old TinCan actor ({"name": ["…"], "mbox": ["mailto:…"]}). */
  function agent(text) {
    var a = JSON.parse(text);
    var one = function (v) { return Array.isArray(v) ? v[0] : v; };
    var out = { objectType: "Agent" };
    if (a.name) { out.name = one(a.name); }
    ["mbox", "mbox_sha1sum", "openid"].forEach(function (key) { if (a[key]) { out[key] = one(a[key]); } });
    if (a.account) { out.account = one(a.account); }
    if (!out.mbox && !out.mbox_sha1sum && !out.openid && !out.account && a.account_name) {
      out.account = { name: one(a.account_name), homePage: one(a.account_homePage) };
    }
    if (out.account && out.account.accountName) {
      out.account = { name: out.account.accountName, homePage: out.account.accountServiceHomePage };
    }
    return out;
  }

  /* ---------------------------------------------------------------- the LRS */
  /* Statements that may be tried again later; any other 4xx refuses the statement for good. */
  function retryable(status) { return status === 401 || status === 408 || status === 429 || status >= 500 || status === 0; }
  function storage(kind) { try { return window[kind]; } catch (e) { return null; } }

  /* One queue per (endpoint, registration) in localStorage. Every change re-reads the stored
   * list and writes it back at once (merge on write), so two tabs or two modules sharing the key
   * never write over each other's statements; a statement leaves only once the LRS has it. */
  function Queue(key) { this.key = key; this.memory = []; }
  Queue.prototype.read = function () {
    var store = storage("localStorage");
    try { return store ? JSON.parse(store.getItem(this.key) || "[]") : this.memory.slice(); } catch (e) { return this.memory.slice(); }
  };
  Queue.prototype.write = function (list) {
    this.memory = list;
    var store = storage("localStorage");
    try {
      if (!store) { return; }
      if (list.length) { store.setItem(this.key, JSON.stringify(list)); } else { store.removeItem(this.key); }
    } catch (e) { /* private mode or full: memory only */ }
  };
  Queue.prototype.add = function (statement) { var list = this.read(); list.push(statement); this.write(list); };
  Queue.prototype.remove = function (ids) {
    var gone = {};
    ids.forEach(function (id) { gone[id] = true; });
    this.write(this.read().filter(function (s) { return !gone[s.id]; }));
  };

  function Lrs(endpoint, auth, registration) {
    this.endpoint = endpoint.charAt(endpoint.length - 1) === "/" ? endpoint : endpoint + "/";
    this.auth = auth;
    this.queue = new Queue("coursepack-queue:" + this.endpoint + "|" + (registration || ""));
    this.sending = false;
    this.inflight = [];
    this.delay = 1000;
    this.timer = null;
    var self = this;
    window.addEventListener("online", function () { self.flush(); });
    /* another tab queued statements under the same key: whichever tab is online sends them */
    window.addEventListener("storage", function (event) { if (event.key === self.queue.key && event.newValue) { self.flush(); } });
  }
  Lrs.prototype.headers = function () {
    var h = { "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json" };
    if (this.auth) { h.Authorization = this.auth; }
    return h;
  };
  Lrs.prototype.send = function (statement) {
    this.queue.add(statement);
    if (!this.exiting) { this.flush(); } /* leaving: a plain request would be cancelled, see flushOnExit */
  };
  Lrs.prototype.later = function () {
    var self = this;
    if (self.timer || self.exiting) { return; }
    self.timer = window.setTimeout(function () { self.timer = null; self.flush(); }, self.delay); /* offline: try again later */
    self.delay = Math.min(self.delay * 2, 60000);
  };
  /* Whatever is queued goes in one POST; when the LRS refuses the batch, one PUT per statement
   * tells which ones it refuses, so one refused statement never holds back the others. */
  Lrs.prototype.flush = function () {
    var self = this;
    if (self.sending || self.paused) { return Promise.resolve(); }
    var batch = self.queue.read();
    if (!batch.length) { return Promise.resolve(); }
    self.sending = true;
    self.inflight = batch.map(function (s) { return s.id; }); /* on the wire now */
    return fetch(self.endpoint + "statements", { method: "POST", headers: self.headers(), body: JSON.stringify(batch) })
      .then(function (response) {
        if (response.ok) { self.queue.remove(batch.map(function (s) { return s.id; })); return true; }
        if (retryable(response.status)) { return false; }
        return self.oneByOne(batch);
      }, function () { return false; })
      .then(function (delivered) {
        self.sending = false;
        self.inflight = [];
        if (!delivered) { self.later(); return null; }
        self.delay = 1000;
        return self.flush();
      });
  };
  /* Statement ids already stored (409) count as stored: our ids are unique per statement. */
  Lrs.prototype.oneByOne = function (batch) {
    var self = this;
    return batch.reduce(function (previous, statement) {
      return previous.then(function (going) {
        if (!going) { return false; }
        self.inflight = [statement.id];
        return fetch(self.endpoint + "statements?statementId=" + encodeURIComponent(statement.id),
          { method: "PUT", headers: self.headers(), body: JSON.stringify(statement) }).then(function (r) {
          if (retryable(r.status)) { return false; }
          if (!r.ok && r.status !== 409) {
            window.console.warn("CoursePack: the LRS refused statement " + statement.id + " (HTTP " + r.status + "); it is dropped.");
          }
          self.queue.remove([statement.id]);
          return true;
        }, function () { return false; });
      });
    }, Promise.resolve(true));
  };
  /* On the way out a page cannot wait: keepalive lets the browser finish the request. */
  Lrs.prototype.flushOnExit = function () {
    this.exiting = true;
    var inflight = this.inflight;
    var rest = this.queue.read().filter(function (s) { return inflight.indexOf(s.id) < 0; }); /* not already on its way */
    if (!rest.length || this.paused) { return; }
    try {
      fetch(this.endpoint + "statements", { method: "POST", headers: this.headers(), body: JSON.stringify(rest), keepalive: true });
    } catch (e) { /* the queue stays in localStorage for the next launch */ }
  };
  Lrs.prototype.resourceUrl = function (resource, params) {
    var query = Object.keys(params).filter(function (k) { return params[k]; }).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    }).join("&");
    return this.endpoint + resource + "?" + query;
  };
  /* A document, null when there is none (404); an error when the LRS cannot answer now. */
  Lrs.prototype.getDocument = function (resource, params) {
    return fetch(this.resourceUrl(resource, params), { headers: this.headers() }).then(function (r) {
      if (r.status === 404) { return null; }
      if (!r.ok) { var e = new Error("HTTP " + r.status); e.status = r.status; throw e; }
      return r.json();
    });
  };
  Lrs.prototype.getState = function (params) { return this.getDocument("activities/state", params); };
  /* The answer's status, 0 for a network error. */
  Lrs.prototype.putState = function (params, doc, keepalive) {
    return fetch(this.resourceUrl("activities/state", params), { method: "PUT", headers: this.headers(), body: JSON.stringify(doc), keepalive: Boolean(keepalive) })
      .then(function (r) { return r.status; }, function () { return 0; });
  };

  /* ---------------------------------------------------------------- shared statement logic */
  function Session(data, helpers, lrs, actor, activityId, registration) {
    this.data = data;
    this.helpers = helpers;
    this.lrs = lrs;
    this.actor = actor;
    this.activityId = activityId;
    this.registration = registration;
    this.started = Date.now();
    this.sent = {};
    this.tag = data.language === "en" ? "en-US" : "fr-FR"; /* the text's own language, nothing else */
    this.context = function () { return {}; };
    this.stateKey = "coursepack-state:" + activityId + ":" + (registration || "") + ":" + JSON.stringify(actor);
    this.pending = null;
    this.pushing = false;
    this.stateDelay = 1000;
    var self = this;
    window.addEventListener("online", function () { self.pushState(); });
  }
  Session.prototype.statement = function (verb, object, result, context) {
    var statement = {
      id: uuid(), actor: this.actor, verb: { id: verb.indexOf("http") === 0 ? verb : ADL + verb, display: { "en-US": verb.split("/").pop() } },
      object: object, timestamp: new Date().toISOString(), context: context || this.context(false)
    };
    if (this.registration) { statement.context.registration = this.registration; }
    statement.context.language = this.tag;
    if (result) { statement.result = result; }
    this.lrs.send(statement);
    return statement;
  };
  Session.prototype.names = function (text) { var name = {}; name[this.tag] = text; return name; };
  Session.prototype.module = function () {
    return { objectType: "Activity", id: this.activityId, definition: { type: "http://adlnet.gov/expapi/activities/module", name: this.names(this.data.title) } };
  };
  Session.prototype.elapsed = function () { return this.helpers.duration(Date.now() - this.started); };
  Session.prototype.stateParams = function (stateId) {
    return { stateId: stateId, activityId: this.activityId, agent: JSON.stringify(this.actor), registration: this.registration };
  };
  /* Resume from the newer of the LRS's State API document and this browser's copy: a learner
   * who went on offline keeps what they did, and one who changed device finds it there. */
  Session.prototype.load = function () {
    var self = this;
    var local = null;
    try { local = JSON.parse(window.localStorage.getItem(self.stateKey) || "null"); } catch (e) { local = null; }
    return self.lrs.getState(self.stateParams(RESUME)).then(null, function (error) {
      if (error && (error.status === 405 || error.status === 501)) { self.stateSupported = false; }
      return null;
    }).then(function (remote) {
      var doc = remote && (!local || (remote.saved || 0) > (local.saved || 0)) ? remote : local;
      if (doc && doc.sent) { self.sent = doc.sent; }
      return doc ? { location: doc.location, suspend: doc.suspend } : { fresh: true };
    });
  };
  Session.prototype.store = function (r) {
    var doc = { location: r.location, suspend: r.suspend, sent: this.sent, saved: Date.now() };
    try { window.localStorage.setItem(this.stateKey, JSON.stringify(doc)); } catch (e) { /* memory only */ }
    this.pending = doc;
    this.pushState();
  };
  /* The State API gets the latest document with the statements' patience: a network error or a
   * busy LRS means later, only 404/405/501 mean the LRS has no State API. */
  Session.prototype.pushState = function (keepalive) {
    var self = this;
    var doc = self.pending;
    if (!doc || self.stateSupported === false || (self.pushing && !keepalive) || self.lrs.paused) { return; }
    self.pushing = true;
    self.lrs.putState(self.stateParams(RESUME), doc, keepalive).then(function (status) {
      self.pushing = false;
      if (status === 404 || status === 405 || status === 501) { self.stateSupported = false; return; }
      if ((status >= 200 && status < 300) || (status >= 400 && !retryable(status))) {
        if (self.pending === doc) { self.pending = null; }
        self.stateDelay = 1000;
        self.pushState();
        return;
      }
      window.setTimeout(function () { self.pushState(); }, self.stateDelay);
      self.stateDelay = Math.min(self.stateDelay * 2, 60000);
    });
  };
  Session.prototype.page = function (index) {
    var page = this.data.pages[index];
    this.statement("experienced", { objectType: "Activity", id: page.iri,
      definition: { type: "http://adlnet.gov/expapi/activities/lesson", name: this.names(page.title) } });
  };
  Session.prototype.interaction = function (q, answer, right, latency) {
    this.statement("answered", { objectType: "Activity", id: q.iri, definition: q.definition }, {
      response: this.helpers.responseText(q, answer, true), success: right, duration: this.helpers.duration(latency)
    });
  };
  Session.prototype.score = function (r) {
    return { scaled: r.score / 100, raw: r.score, min: 0, max: 100 };
  };

  /* ---------------------------------------------------------------- xAPI */
  function xapi(data, helpers) {
    var p = launchParams();
    if (!p.endpoint || !p.actor) { return null; }
    var session = new Session(data, helpers, new Lrs(p.endpoint, p.auth, p.registration), agent(p.actor), p.activity_id || data.iri,
      p.registration || null);
    var done = false;
    return {
      start: function () {
        session.statement("initialized", session.module());
        return session.load();
      },
      page: function (index) { session.page(index); },
      interaction: function (q, answer, right, latency) { session.interaction(q, answer, right, latency); },
      report: function (r) {
        if (r.completed && !session.sent.completed) {
          session.sent.completed = true;
          session.statement("completed", session.module(), { completion: true, duration: session.elapsed() });
        }
        if (r.success && !session.sent[r.success]) {
          session.sent[r.success] = true;
          session.statement(r.success, session.module(), { score: session.score(r), success: r.success === "passed",
            completion: r.completed || undefined, duration: session.elapsed() });
        }
        session.store(r);
      },
      commit: function () { session.lrs.flush(); },
      finish: function () {
        if (done) { return; }
        done = true;
        session.lrs.exiting = true;
        session.statement("terminated", session.module(), { duration: session.elapsed() });
        session.lrs.flushOnExit();
        session.pushState(true);
      }
    };
  }

  /* ---------------------------------------------------------------- cmi5 */
  /* A launch the AU cannot track: the learner is told why, in plain words (cmi5 §8.2.3). */
  function LaunchError(code) {
    this.code = code;
    this.message = "cmi5 launch failed (" + code + ")";
  }

  function cmi5(data, helpers) {
    var p = launchParams();
    if (!p.endpoint || !p.fetch || !p.actor || !p.registration || !p.activityId) { return null; }
    var lrs = new Lrs(p.endpoint, null, p.registration);
    lrs.paused = true; /* nothing leaves before the auth token is known */
    var session = new Session(data, helpers, lrs, agent(p.actor), p.activityId, p.registration);
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

  window.CoursePackTrackers = window.CoursePackTrackers || {};
  window.CoursePackTrackers.xapi = xapi;
  window.CoursePackTrackers.cmi5 = cmi5;
}());
