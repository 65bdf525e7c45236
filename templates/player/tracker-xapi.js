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
  function Lrs(endpoint, auth) {
    this.endpoint = endpoint.charAt(endpoint.length - 1) === "/" ? endpoint : endpoint + "/";
    this.auth = auth;
    this.key = "coursepack-queue:" + this.endpoint;
    this.queue = [];
    try { this.queue = JSON.parse(window.localStorage.getItem(this.key) || "[]"); } catch (e) { this.queue = []; }
    this.sending = false;
    this.inflight = 0;
    this.delay = 1000;
    var self = this;
    window.addEventListener("online", function () { self.flush(); });
  }
  Lrs.prototype.headers = function () {
    var h = { "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json" };
    if (this.auth) { h.Authorization = this.auth; }
    return h;
  };
  Lrs.prototype.keep = function () {
    try { window.localStorage.setItem(this.key, JSON.stringify(this.queue)); } catch (e) { /* private mode: memory only */ }
  };
  Lrs.prototype.send = function (statement) {
    this.queue.push(statement);
    this.keep();
    if (!this.exiting) { this.flush(); } /* leaving: a plain request would be cancelled, see flushOnExit */
  };
  Lrs.prototype.flush = function () {
    var self = this;
    if (self.sending || !self.queue.length) { return Promise.resolve(); }
    self.sending = true;
    var batch = self.queue.slice();
    self.inflight = batch.length;
    return fetch(self.endpoint + "statements", { method: "POST", headers: self.headers(), body: JSON.stringify(batch) })
      .then(function (response) {
        if (response.status === 409) { return self.oneByOne(batch); }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return true;
      })
      .then(function () {
        self.queue = self.queue.slice(batch.length);
        self.keep();
        self.sending = false;
        self.delay = 1000;
        return self.flush();
      }, function () {
        self.sending = false;
        window.setTimeout(function () { self.flush(); }, self.delay); /* offline: try again later */
        self.delay = Math.min(self.delay * 2, 60000);
      });
  };
  /* Statement ids already stored (409) count as stored: our ids are unique per statement. */
  Lrs.prototype.oneByOne = function (batch) {
    var self = this;
    return batch.reduce(function (previous, statement) {
      return previous.then(function () {
        return fetch(self.endpoint + "statements?statementId=" + encodeURIComponent(statement.id),
          { method: "PUT", headers: self.headers(), body: JSON.stringify(statement) }).then(function (r) {
          if (!r.ok && r.status !== 409) { throw new Error("HTTP " + r.status); }
        });
      });
    }, Promise.resolve());
  };
  /* On the way out a page cannot wait: keepalive lets the browser finish the request. */
  Lrs.prototype.flushOnExit = function () {
    this.exiting = true;
    var rest = this.queue.slice(this.sending ? this.inflight : 0); /* what is not already on its way */
    if (!rest.length) { return; }
    try {
      fetch(this.endpoint + "statements", { method: "POST", headers: this.headers(), body: JSON.stringify(rest), keepalive: true });
    } catch (e) { /* the queue stays in localStorage for the next launch */ }
  };
  Lrs.prototype.stateUrl = function (params) {
    var query = Object.keys(params).filter(function (k) { return params[k]; }).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    }).join("&");
    return this.endpoint + "activities/state?" + query;
  };
  Lrs.prototype.getState = function (params) {
    return fetch(this.stateUrl(params), { headers: this.headers() }).then(function (r) {
      if (r.status === 404) { return null; }
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  };
  Lrs.prototype.putState = function (params, doc) {
    return fetch(this.stateUrl(params), { method: "PUT", headers: this.headers(), body: JSON.stringify(doc), keepalive: true })
      .then(function (r) { return r.ok; }, function () { return false; });
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
    this.context = function () { return {}; };
    this.stateKey = "coursepack-state:" + activityId + ":" + (registration || "") + ":" + JSON.stringify(actor);
  }
  Session.prototype.statement = function (verb, object, result, context) {
    var statement = {
      id: uuid(), actor: this.actor, verb: { id: verb.indexOf("http") === 0 ? verb : ADL + verb, display: { "en-US": verb.split("/").pop() } },
      object: object, timestamp: new Date().toISOString(), context: context || this.context(false)
    };
    if (this.registration) { statement.context.registration = this.registration; }
    statement.context.language = this.data.language === "en" ? "en-US" : "fr-FR";
    if (result) { statement.result = result; }
    this.lrs.send(statement);
    return statement;
  };
  Session.prototype.module = function () {
    var name = {};
    name[this.data.language === "en" ? "en-US" : "fr-FR"] = this.data.title;
    return { objectType: "Activity", id: this.activityId, definition: { type: "http://adlnet.gov/expapi/activities/module", name: name } };
  };
  Session.prototype.elapsed = function () { return this.helpers.duration(Date.now() - this.started); };
  Session.prototype.stateParams = function (stateId) {
    return { stateId: stateId, activityId: this.activityId, agent: JSON.stringify(this.actor), registration: this.registration };
  };
  /* Resume from the LRS's State API when it has one, else from this browser. */
  Session.prototype.load = function () {
    var self = this;
    var local = function () {
      try { return JSON.parse(window.localStorage.getItem(self.stateKey) || "null"); } catch (e) { return null; }
    };
    return self.lrs.getState(self.stateParams(RESUME)).then(function (doc) { return doc || local(); }, local).then(function (doc) {
      if (doc && doc.sent) { self.sent = doc.sent; }
      return doc ? { location: doc.location, suspend: doc.suspend } : { fresh: true };
    });
  };
  Session.prototype.store = function (r) {
    var doc = { location: r.location, suspend: r.suspend, sent: this.sent };
    try { window.localStorage.setItem(this.stateKey, JSON.stringify(doc)); } catch (e) { /* memory only */ }
    if (this.stateSupported !== false) {
      var self = this;
      this.lrs.putState(this.stateParams(RESUME), doc).then(function (ok) { self.stateSupported = ok; });
    }
  };
  Session.prototype.page = function (index) {
    var page = this.data.pages[index];
    var name = {};
    name[this.data.language === "en" ? "en-US" : "fr-FR"] = page.title;
    this.statement("experienced", { objectType: "Activity", id: page.iri,
      definition: { type: "http://adlnet.gov/expapi/activities/lesson", name: name } });
  };
  Session.prototype.interaction = function (q, answer, right, latency) {
    this.statement("answered", { objectType: "Activity", id: q.iri, definition: q.definition }, {
      response: this.helpers.responseText(q, answer, true), success: right, duration: this.helpers.duration(latency)
    });
  };
  Session.prototype.score = function (r) {
    return { scaled: Math.round(r.score) / 100, raw: r.score, min: 0, max: 100 };
  };

  /* ---------------------------------------------------------------- xAPI */
  function xapi(data, helpers) {
    var p = launchParams();
    if (!p.endpoint || !p.actor) { return null; }
    var session = new Session(data, helpers, new Lrs(p.endpoint, p.auth), agent(p.actor), p.activity_id || data.iri,
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
      }
    };
  }

  /* ---------------------------------------------------------------- cmi5 */
  function cmi5(data, helpers) {
    var p = launchParams();
    if (!p.endpoint || !p.fetch || !p.actor || !p.registration || !p.activityId) { return null; }
    var lrs = new Lrs(p.endpoint, null);
    var session = new Session(data, helpers, lrs, agent(p.actor), p.activityId, p.registration);
    var launch = {};
    var sessionId = uuid();
    var done = false;
    var tracker;

    /* Every statement carries the LMS's context template; cmi5-defined ones also the cmi5 category. */
    session.context = function (cmi5Defined, moveOn) {
      var template = JSON.parse(JSON.stringify(launch.contextTemplate || {}));
      template.contextActivities = template.contextActivities || {};
      template.extensions = template.extensions || {};
      template.extensions[CMI5 + "extensions/sessionid"] = template.extensions[CMI5 + "extensions/sessionid"] || sessionId;
      if (cmi5Defined) {
        var categories = (template.contextActivities.category || []).slice();
        categories.push({ id: CMI5 + "categories/cmi5" });
        if (moveOn) { categories.push({ id: CMI5 + "categories/moveon" }); }
        template.contextActivities.category = categories;
      }
      return template;
    };
    var normal = function () { return (launch.launchMode || "Normal") === "Normal"; };
    var moveOnSatisfied = function (verb) {
      var rule = launch.moveOn || "NotApplicable";
      var sent = session.sent;
      return rule === "NotApplicable" || (rule === "Completed" && verb === "completed") || (rule === "Passed" && verb === "passed") ||
        (rule === "CompletedOrPassed") || (rule === "CompletedAndPassed" && (sent.completed || verb === "completed") && (sent.passed || verb === "passed"));
    };
    var cmi5Statement = function (verb, result) {
      var satisfied = moveOnSatisfied(verb) && verb !== "failed";
      session.sent[verb] = true;
      var context = session.context(true, satisfied && verb !== "terminated" && verb !== "initialized");
      if (verb === "passed" || verb === "failed") {
        if (launch.masteryScore !== undefined) { context.extensions[CMI5 + "extensions/masteryscore"] = launch.masteryScore; }
      }
      return session.statement(verb, session.module(), result, context);
    };

    tracker = {
      start: function () {
        return fetch(p.fetch, { method: "POST" }).then(function (r) {
          if (!r.ok) { throw new Error("fetch URL answered HTTP " + r.status); }
          return r.json();
        }).then(function (token) {
          lrs.auth = "Basic " + token["auth-token"];
          return lrs.getState(session.stateParams("LMS.LaunchData"));
        }).then(function (launchData) {
          launch = launchData || {};
          tracker.returnUrl = launch.returnURL || null;
          tracker.masteryScore = launch.masteryScore;
          cmi5Statement("initialized", null);
          return session.load();
        });
      },
      page: function (index) { session.page(index); },
      interaction: function (q, answer, right, latency) { session.interaction(q, answer, right, latency); },
      report: function (r) {
        if (normal()) {
          if (r.completed && !session.sent.completed) {
            cmi5Statement("completed", { completion: true, duration: session.elapsed() });
          }
          if (r.success && !session.sent.passed && !(r.success === "failed" && session.sent.failed)) {
            cmi5Statement(r.success, { score: session.score(r), success: r.success === "passed", duration: session.elapsed() });
          }
        }
        session.store(r);
      },
      commit: function () { lrs.flush(); },
      finish: function () {
        if (done) { return; }
        done = true;
        lrs.exiting = true;
        cmi5Statement("terminated", { duration: session.elapsed() });
        lrs.flushOnExit();
      }
    };
    return tracker;
  }

  window.CoursePackTrackers = window.CoursePackTrackers || {};
  window.CoursePackTrackers.xapi = xapi;
  window.CoursePackTrackers.cmi5 = cmi5;
}());
