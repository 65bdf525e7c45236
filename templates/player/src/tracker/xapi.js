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
      /* completed and passed once per registration, failed never after passed, whichever tab or
       * device sent them (session.known, session.history). */
      report: function (r) {
        var sent = session.known();
        if (r.completed && !sent.completed) {
          session.mark("completed");
          session.statement("completed", session.module(), { completion: true, duration: session.elapsed() });
        }
        var result = { score: session.score(r), success: r.success === "passed", completion: r.completed || undefined, duration: session.elapsed() };
        var failed = function () {
          var now = session.known();
          if (now.failed || now.passed) { return; }
          session.mark("failed");
          session.statement("failed", session.module(), result);
        };
        if (r.success === "passed" && !sent.passed) {
          session.mark("passed");
          session.statement("passed", session.module(), result);
        } else if (r.success === "failed" && !sent.failed && !sent.passed) {
          if (session.unsure) { session.sure().then(function (sure) { if (sure) { failed(); } }); } else { failed(); }
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
