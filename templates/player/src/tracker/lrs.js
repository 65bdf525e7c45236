/* The LRS: statements (batch, then one by one when refused), documents, the State API. */
T.Lrs = (function () {
  var Queue = T.queue.Queue;
  var retryable = T.queue.retryable;

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
  /* On the way out a page cannot wait: keepalive lets the browser finish the request. A request
   * still on the wire is cancelled with the page, so its statements go again, each on its own
   * (PUT by id: the LRS keeps one copy, and a 409 only says it had it), never in a batch, which a
   * strict LRS would refuse whole for one known id. */
  Lrs.prototype.flushOnExit = function () {
    this.exiting = true;
    if (this.paused) { return; }
    var self = this;
    var inflight = this.inflight;
    var queued = this.queue.read();
    var rest = queued.filter(function (s) { return inflight.indexOf(s.id) < 0; });
    try {
      queued.filter(function (s) { return inflight.indexOf(s.id) >= 0; }).forEach(function (statement) {
        fetch(self.endpoint + "statements?statementId=" + encodeURIComponent(statement.id),
          { method: "PUT", headers: self.headers(), body: JSON.stringify(statement), keepalive: true });
      });
      if (rest.length) {
        fetch(this.endpoint + "statements", { method: "POST", headers: this.headers(), body: JSON.stringify(rest), keepalive: true });
      }
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

  return Lrs;
}());
