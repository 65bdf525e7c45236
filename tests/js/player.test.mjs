// Unit tests of the player's files, each on its own, in Node (node --test): the parts that need
// no page. The page's files are in page.test.mjs; whole packages are played in Chromium by the
// Python browser tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

// CP_PLAYER_SRC: the same files minified as packages ship them (tests/test_build.py sets it).
const SRC = process.env.CP_PLAYER_SRC || path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "templates", "player", "src");

/** The CP namespace after loading the given files, in order, as the build joins them. */
function load(...names) {
  const CP = {};
  for (const name of names) {
    new Function("CP", "window", '"use strict";\n' + readFileSync(path.join(SRC, name), "utf8"))(CP, {});
  }
  return CP;
}

test("format: templates, base-36 digits, HTML escaping", () => {
  const { format: text } = load("format.js");
  assert.equal(text.fmt("Page {n} sur {total}, {x}", { n: 2, total: 3 }), "Page 2 sur 3, {x}");
  assert.equal(text.digit(35), "z");
  assert.equal(text.undigit("a"), 10);
  assert.equal(text.pad(7, 3), "007");
  assert.equal(text.escapeHtml('<a href="x">&</a>'), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
});

test("time: SCORM 1.2 timespan and ISO 8601 durations", () => {
  const { time } = load("format.js", "time.js");
  assert.equal(time.timespan12(3723450), "0001:02:03.45");
  assert.equal(time.duration2004(3723450), "PT1H2M3.45S");
  assert.equal(time.duration2004(500), "PT0.5S");
  assert.equal(time.duration2004(0), "PT0S");
  assert.equal(time.timestamp2004(new Date(2026, 0, 2, 3, 4, 5)), "2026-01-02T03:04:05");
});

const QUESTIONS = [
  { type: "single", correct: [0], count: 2 },
  { type: "multiple", correct: [0, 1], count: 3 },
  { type: "true_false", correct: false },
  { type: "fill_in", answers: ["recherche"], tolerant: true },
  { type: "ordering", count: 3 },
  { type: "matching", count: 3 },
];
const RIGHT = [0, [0, 1], false, "Récherche ", [0, 1, 2], [0, 1, 2]];

test("responses: each SCORM version's formats", () => {
  const { responses } = load("format.js", "responses.js");
  assert.deepEqual(QUESTIONS.map((q, k) => responses.responseText(q, RIGHT[k], false)),
    ["0", "0,1", "f", "Récherche ", "0,1,2", "0.0,1.1,2.2"]);
  assert.deepEqual(QUESTIONS.map((q, k) => responses.responseText(q, RIGHT[k], true)),
    ["0", "0[,]1", "false", "Récherche ", "0[,]1[,]2", "0[.]0[,]1[.]1[,]2[.]2"]);
  assert.deepEqual(responses.correctPatterns(QUESTIONS[3], true), ["{case_matters=false}recherche"]);
  assert.deepEqual(responses.correctPatterns(QUESTIONS[5], false), ["0.0,1.1,2.2"]);
});

test("codec: the resume state round trip, escapes and the empty quiz", () => {
  const { codec } = load("format.js", "codec.js");
  const state = { seen: [true, false, true, true, true], attempts: 1295, lastScore: 100, answers: [1, [0, 2], true, "a|b;c~d%", [2, 0, 1], null] };
  const text = codec.encode(state, QUESTIONS);
  assert.equal(text, "1|1d|zz.100~1;02;t;a%7Cb%3Bc%7Ed%25;201;");
  const back = { seen: [false, false, false, false, false], attempts: 0, lastScore: null, answers: QUESTIONS.map(() => null) };
  assert.equal(codec.decode(text, back, QUESTIONS), true);
  assert.deepEqual(back, state);
  assert.equal(codec.decode("not ours", back, QUESTIONS), false);
  assert.equal(codec.encode({ seen: [true], attempts: 0, lastScore: null, answers: [] }, []), "1|1|0~");
});

test("scoring: right answers, unrounded mastery, outcome per rule", () => {
  const { scoring } = load("scoring.js");
  assert.ok(QUESTIONS.every((q, k) => scoring.isRight(q, RIGHT[k])));
  assert.equal(scoring.isRight(QUESTIONS[1], [0]), false);
  assert.equal(scoring.score(QUESTIONS, [0, [0], false, null, [0, 1, 2], [1, 0, 2]]), 50);
  assert.equal(scoring.passes(75, 0.7549), false);
  assert.equal(scoring.passes(70, 0.7), true);
  const both = { rule: "both", quizDecides: true, mastery: 0.8 };
  const early = scoring.outcome({ seen: [true, false, true], lastScore: 100 }, both);
  assert.deepEqual([early.completed, early.success, early.score], [false, null, 100]);  // score at once
  const done = scoring.outcome({ seen: [true, true, true], lastScore: 100 }, both);
  assert.deepEqual([done.completed, done.success], [true, "passed"]);
  const failed = scoring.outcome({ seen: [true, true, true], lastScore: 50 }, both);
  assert.equal(failed.success, "failed");
  const pages = scoring.outcome({ seen: [true, true], lastScore: null }, { rule: "pages", quizDecides: false, mastery: 0.8 });
  assert.deepEqual([pages.completed, pages.success, pages.progress], [true, null, 1]);
});

test("lms: the ADL search climbs parents, then the opener; SCORM 1.2 tracker", () => {
  const { lms } = load("format.js", "time.js", "responses.js", "lms.js");
  const api = { name: "API" };
  const top = { API: api };
  top.parent = top;
  const frame = { parent: { parent: top } };
  assert.equal(lms.findApi("API", frame), api);
  const popup = { parent: null, opener: frame };
  popup.parent = popup;
  assert.equal(lms.findApi("API", popup), api);
  assert.equal(lms.findApi("API_1484_11", frame), null);

  const values = { "cmi.core.entry": "resume", "cmi.core.lesson_location": "2", "cmi.suspend_data": "1|7|0~", "cmi.interactions._count": "0" };
  const calls = [];
  const scorm = {
    LMSInitialize: () => "true", LMSGetValue: (n) => values[n] || "", LMSCommit: () => calls.push("commit"),
    LMSSetValue: (n, v) => { values[n] = v; return "true"; }, LMSFinish: () => calls.push("finish"),
  };
  const tracker = lms.ScormTracker(scorm, false);
  assert.deepEqual(tracker.start(), { location: "2", suspend: "1|7|0~" });
  tracker.report({ location: "1", suspend: "x", completed: false, success: "failed", score: 40, progress: 0.5, elapsed: 61000 });
  assert.equal(values["cmi.core.lesson_status"], "failed");
  assert.equal(values["cmi.core.score.raw"], "40");
  assert.equal(values["cmi.core.session_time"], "0000:01:01.00");
  tracker.interaction(QUESTIONS[2], true, false, 1500);
  assert.equal(values["cmi.interactions.0.student_response"], "t");
  assert.equal(values["cmi.interactions.0.result"], "wrong");
  tracker.finish();
  tracker.finish();
  tracker.commit();
  assert.deepEqual(calls, ["finish"]);  // once, and no commit after finishing
});
