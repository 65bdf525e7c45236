// The SCORM 1.2 tracker (templates/player/src/lms.js) against the Moodle app's runtime as the tests
// model it (tests/browser/moodle_app_scorm12.js), in Node, offline: the model's rules, and what the
// tracker does with them. The whole package is played against it in Chromium by test_moodle_app.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.join(HERE, "..", "..", "templates", "player", "src");
new Function(readFileSync(path.join(HERE, "..", "browser", "moodle_app_scorm12.js"), "utf8"))();
const Model = globalThis.MoodleAppScorm12;

function load(...names) {
  const CP = {};
  for (const name of names) {
    new Function("CP", "window", '"use strict";\n' + readFileSync(path.join(SRC, name), "utf8"))(CP, {});
  }
  return CP;
}
const { lms, responses } = load("format.js", "time.js", "responses.js", "lms.js");

function model(mastery = "", more = {}) {
  return new Model({
    scoId: 7, attempt: 1, offline: true, network: false, scormStandard: false,
    defaultdata: { "cmi.core.lesson_status": "", "cmi.core.score.raw": "", "cmi.core.total_time": "00:01:00",
      "cmi.student_data.mastery_score": mastery, "cmi.core.entry": "ab-initio", ...more },
  });
}
const quiet = (fn) => { const warn = console.warn; console.warn = () => {}; try { return fn(); } finally { console.warn = warn; } };
const last = (m) => Object.fromEntries(m.pending().map((t) => [t.element, t.value]));

test("the app's model: identifiers, 255-unit feedback, array indexes, what a commit and a finish send", () => {
  const m = model("80");
  assert.equal(m.LMSSetValue("cmi.core.lesson_status", "passed"), "false");
  assert.equal(m.LMSGetLastError(), "301");
  m.LMSInitialize("");
  assert.equal(m.LMSSetValue("cmi.interactions.0.id", "Café crème"), "false");
  assert.equal(m.LMSGetLastError(), "405");
  assert.equal(m.LMSSetValue("cmi.interactions.1.id", "q1"), "false");
  assert.equal(m.LMSGetLastError(), "201"); // index above _count
  assert.equal(m.LMSSetValue("cmi.interactions.0.id", "q1"), "true");
  assert.equal(m.LMSGetValue("cmi.interactions._count"), 1);
  assert.equal(m.LMSSetValue("cmi.interactions.0.student_response", "x".repeat(256)), "false"); // even with scormstandard off
  assert.equal(m.LMSSetValue("cmi.core.lesson_location", "x".repeat(300)), "true"); // widened when it is off
  assert.equal(m.LMSSetValue("cmi.core.score.raw", "101"), "false");
  assert.equal(m.LMSGetValue("cmi.core.session_time"), "");
  assert.equal(m.LMSGetLastError(), "404");
  m.LMSSetValue("cmi.core.score.raw", "90");
  m.LMSSetValue("cmi.core.lesson_status", "incomplete");
  m.LMSSetValue("cmi.core.session_time", "0000:02:30.50");
  m.LMSCommit("");
  assert.ok(!m.pending().some((t) => t.element === "cmi.core.session_time" || t.element === "cmi.core.total_time"));
  assert.ok(m.pending().some((t) => t.element === "cmi.interactions_0.id"));
  const before = m.pending().length;
  m.LMSCommit("");
  assert.equal(m.pending().length, before); // nothing changed, nothing sent
  m.LMSFinish("");
  assert.deepEqual(m.pending().slice(before).map((t) => [t.element, t.value]),
    [["cmi.core.lesson_status", "passed"], ["cmi.core.total_time", "00:03:30.50"]]); // mastery 80 known: 90 is passed
});

test("tracker: a passing score waits for the rule, so the app's mastery check changes nothing", () => {
  const questions = [{ id: "q", type: "true_false", correct: true }];
  for (const mastery of ["75", ""]) { // online (the app has Moodle's mastery score) and offline (none)
    const m = model(mastery);
    const tracker = lms.ScormTracker(m, false, { questions, mastery: 75 });
    tracker.start();
    tracker.report({ location: "2", suspend: "s", completed: false, success: null, score: 100, progress: 0.5, elapsed: 1000 });
    tracker.commit();
    tracker.finish();
    assert.equal(last(m)["cmi.core.lesson_status"], "incomplete", `mastery "${mastery}"`);
    assert.equal(last(m)["cmi.core.score.raw"], undefined);
  }
  // a failing score is known at once; a retry passed with pages unread keeps it until the rule decides
  const m = model("75");
  const tracker = lms.ScormTracker(m, false, { questions, mastery: 75 });
  tracker.start();
  tracker.report({ location: "2", suspend: "s", completed: false, success: "failed", score: 0, progress: 0.5, elapsed: 1000 });
  tracker.report({ location: "2", suspend: "s", completed: false, success: null, score: 100, progress: 0.5, elapsed: 2000 });
  tracker.finish();
  assert.deepEqual([last(m)["cmi.core.lesson_status"], last(m)["cmi.core.score.raw"]], ["failed", 0]);
});

test("tracker: ids folded to CMIIdentifier and unique, answers cut at 255 units, refusals logged and survived", () => {
  assert.deepEqual(responses.interactionIds([{ id: "choix-unique" }, { id: "Café crème" }, { id: "Cafe creme" }, { id: "  " }, {}]),
    ["choix-unique", "Cafe-creme", "Cafe-creme-2", "q4", "q5"]);
  const emoji = "😀".repeat(200);
  const cut = responses.feedback12(emoji);
  assert.ok(cut.length <= 255 && cut.endsWith("…") && !/[\ud800-\udbff]…$/.test(cut));
  assert.equal(responses.feedback12("court"), "court");

  const questions = [{ id: "Réponse libre ?", type: "fill_in", answers: ["oui"] }, { id: "vf", type: "true_false", correct: true }];
  const m = model("", { "cmi.core.entry": "resume", "cmi.core.lesson_location": "1", "cmi.suspend_data": "1|1|0~" });
  const refusing = Object.create(m);
  refusing.LMSSetValue = (name, value) => (name.endsWith(".type") ? (m.errorCode = "405", "false") : m.LMSSetValue(name, value));
  const tracker = lms.ScormTracker(refusing, false, { questions, mastery: null });
  assert.deepEqual(tracker.start(), { location: "1", suspend: "1|1|0~" });
  quiet(() => {
    tracker.interaction(questions[0], "x".repeat(400), false, 1000);
    tracker.interaction(questions[1], true, true, 1000);
    tracker.report({ location: "1", suspend: "s", completed: true, success: null, score: null, progress: 1, elapsed: 1000 });
    tracker.commit();
  });
  assert.deepEqual(tracker.refusals.map((r) => [r.call, r.code]), [["cmi.interactions.0.type", "405"], ["cmi.interactions.1.type", "405"]]);
  const saved = last(m);
  assert.equal(saved["cmi.interactions_0.id"], "Reponse-libre");
  assert.equal(saved["cmi.interactions_0.student_response"].length, 255);
  assert.equal(saved["cmi.interactions_1.result"], "correct"); // the rest of the session went on
  assert.equal(saved["cmi.core.lesson_status"], "completed");
});
