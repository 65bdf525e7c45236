/* What xAPI and cmi5 share: statements about this module, and its resume state. */
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
