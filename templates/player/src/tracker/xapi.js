/* The xAPI back-end (tincan.xml launch: endpoint, auth, actor, registration, activity_id). */
T.xapi = (function () {
  function xapi(data, helpers) {
    var p = T.launch.params();
    if (!p.endpoint || !p.actor) { return null; }
    var session = new T.Session(data, helpers, new T.Lrs(p.endpoint, p.auth, p.registration), T.launch.agent(p.actor), p.activity_id || data.iri,
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

  return xapi;
}());
