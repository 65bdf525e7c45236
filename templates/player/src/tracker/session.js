/* What xAPI and cmi5 share: statements about this module, its resume state, and what has been
 * sent for this registration (completed, passed, failed), known from every source at hand: this
 * browser's other tabs (localStorage, its storage events and a BroadcastChannel), the resume
 * state, and the LRS's own statements read back at start. A fact, once known, is never lost. */
T.Session = (function () {
  var ADL = T.launch.ADL;
  var RESUME = T.launch.RESUME;
  var uuid = T.launch.uuid;
  var retryable = T.queue.retryable;

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
    this.sentKey = "coursepack-sent:" + activityId + ":" + (registration || "") + ":" + JSON.stringify(actor);
    this.unsure = false; /* true while the LRS could not tell what it holds */
    var self = this;
    window.addEventListener("online", function () { self.pushState(); });
    window.addEventListener("storage", function (event) { if (event.key === self.sentKey) { self.known(); } });
    try {
      this.channel = new window.BroadcastChannel("coursepack-sent");
      this.channel.onmessage = function (event) {
        if (event.data && event.data.key === self.sentKey) { self.merge(event.data.sent); }
      };
    } catch (e) { this.channel = null; /* an old browser: localStorage alone */ }
  }
  Session.prototype.merge = function (facts) {
    var self = this;
    Object.keys(facts || {}).forEach(function (verb) { if (facts[verb]) { self.sent[verb] = true; } });
    return self.sent;
  };
  /* What this browser's tabs have sent for the registration, read now (another tab may have
   * passed a second ago). */
  Session.prototype.known = function () {
    var stored;
    try { stored = JSON.parse(window.localStorage.getItem(this.sentKey) || "null"); } catch (e) { stored = null; }
    return this.merge(stored);
  };
  /* ``verb`` is sent: every tab of the registration knows it at once. */
  Session.prototype.mark = function (verb) {
    this.known();
    if (verb) { this.sent[verb] = true; }
    try { window.localStorage.setItem(this.sentKey, JSON.stringify(this.sent)); } catch (e) { /* memory and channel */ }
    if (this.channel) { try { this.channel.postMessage({ key: this.sentKey, sent: this.sent }); } catch (e) { /* closed */ } }
  };
  /* Whether what the LRS holds is known: asked again when it could not answer before. */
  Session.prototype.sure = function () {
    var self = this;
    return self.unsure ? self.history().then(function () { return !self.unsure; }) : Promise.resolve(true);
  };
  /* The LRS's own statements of this learner, activity and registration: a second completed or
   * passed, or a failed after passed, would contradict them. An LRS that cannot answer now
   * leaves the tracker unsure (no failed is sent then); one that refuses reads is not asked again. */
  Session.prototype.history = function () {
    var self = this;
    var found = {};
    var pages = 0;
    /* Filtered by learner and registration only, then by activity and verb here: Ralph's file
     * backend answers nothing to the verb and activity filters. */
    var take = function (answer) {
      ((answer && answer.statements) || []).forEach(function (st) {
        var verb = st && st.verb && st.verb.id;
        if (st.object && st.object.id === self.activityId && (verb === ADL + "completed" || verb === ADL + "passed")) { found[verb.slice(ADL.length)] = true; }
      });
      if (answer && answer.more && (pages += 1) < 10) {
        return fetch(new URL(answer.more, self.lrs.endpoint).href, { headers: self.lrs.headers() }).then(function (r) {
          if (!r.ok) { var e = new Error("HTTP " + r.status); e.status = r.status; throw e; }
          return r.json();
        }).then(take);
      }
      return null;
    };
    /* Without a registration the learner's statements are those of every module: ask for this
     * activity's (each statement is checked here all the same). */
    var query = self.registration ? { agent: JSON.stringify(self.actor), registration: self.registration, limit: "500" }
      : { agent: JSON.stringify(self.actor), activity: self.activityId, limit: "500" };
    return self.lrs.getDocument("statements", query).then(take).then(function () {
      self.unsure = false;
      self.merge(found);
      self.mark(null);
    }, function (error) {
      self.unsure = !(error && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429);
    });
  };
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
  Session.prototype.load = function (localOnly) {
    var self = this;
    var asked = localOnly ? Promise.resolve() : self.history();
    var local = null;
    try { local = JSON.parse(window.localStorage.getItem(self.stateKey) || "null"); } catch (e) { local = null; }
    var remoteState = localOnly ? Promise.resolve(null) : self.lrs.getState(self.stateParams(RESUME));
    return remoteState.then(null, function (error) {
      if (error && (error.status === 405 || error.status === 501)) { self.stateSupported = false; }
      return null;
    }).then(function (remote) {
      var doc = remote && (!local || (remote.saved || 0) > (local.saved || 0)) ? remote : local;
      self.merge(remote && remote.sent);
      self.merge(local && local.sent);
      self.known();
      return asked.then(function () {
        return doc ? { location: doc.location, suspend: doc.suspend } : { fresh: true };
      });
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
  /* A page or a question belongs to this module: its IRI as the context's parent (docs/report.md),
   * beside whatever the LMS's template gives (cmi5 allows adding, never overwriting). */
  Session.prototype.partContext = function () {
    var context = this.context(false);
    var activities = context.contextActivities = context.contextActivities || {};
    var parent = (activities.parent || []).slice();
    var iri = this.data.iri;
    if (!parent.some(function (a) { return a && a.id === iri; })) { parent.push({ objectType: "Activity", id: iri }); }
    activities.parent = parent;
    return context;
  };
  Session.prototype.page = function (index) {
    var page = this.data.pages[index];
    this.statement("experienced", { objectType: "Activity", id: page.iri,
      definition: { type: "http://adlnet.gov/expapi/activities/lesson", name: this.names(page.title) } }, null, this.partContext());
  };
  Session.prototype.interaction = function (q, answer, right, latency) {
    this.statement("answered", { objectType: "Activity", id: q.iri, definition: q.definition }, {
      response: this.helpers.responseText(q, answer, true), success: right, duration: this.helpers.duration(latency)
    }, this.partContext());
  };
  Session.prototype.score = function (r) {
    return { scaled: r.score / 100, raw: r.score, min: 0, max: 100 };
  };

  return Session;
}());
