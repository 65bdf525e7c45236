/* Which back-end tracks this launch: the LMS's SCORM API (lms.js), an LRS (the xAPI and cmi5
 * back-ends of tracker-xapi.js), both at once in the preview, or none (standalone). */
CP.tracking = (function () {
  var lms = CP.lms;
  var findApi = lms.findApi;
  var ScormTracker = lms.ScormTracker;
  /* What the LRS back-ends borrow from the player's files. */
  var helpers = { responseText: CP.responses.responseText, duration: CP.time.duration2004 };

  function external(data) {
    return window.CoursePackTrackers && window.CoursePackTrackers[data.api] ? window.CoursePackTrackers[data.api](data, helpers) : null;
  }

  /* ``data``: the course data of the page (its api, questions, mastery score). */
  function choose(data) {
    var questions = data.questions;
    /* The catalogue's rule, embedded at build time: the package decides its SCORM 1.2 status itself and
     * never waits for cmi.student_data.mastery_score (the Moodle app has none offline). */
    var rules12 = { questions: questions, mastery: data.quiz_decides ? data.mastery_score : null };
    if (data.api === "preview") {
      var simulator = findApi("API");
      var log = window.CoursePackTrackers && window.CoursePackTrackers.xapi(data, helpers);
      if (simulator && log) { return lms.both(ScormTracker(simulator, false, rules12), log); }
    }
    if (data.api === "scorm12") {
      var a12 = findApi("API");
      /* the Moodle app saves with a synchronous request that Chromium refuses once the page is
       * closing: a SCORM 1.2 session ends while the page is alive, as soon as it is settled */
      if (a12) { return ScormTracker(a12, false, { questions: questions, mastery: rules12.mastery, endsWhenSettled: true }); }
    }
    if (data.api === "scorm2004") { var a04 = findApi("API_1484_11"); if (a04) { return ScormTracker(a04, true, { questions: questions }); } }
    return external(data) || lms.standalone;
  }

  return { choose: choose, helpers: helpers };
}());
