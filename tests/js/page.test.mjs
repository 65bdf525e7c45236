// The page's files (dom, tracking, rules, answers, saving, quiz, pages, main) in Node, on a small
// page built like templates/player/index.html.j2 (jsdom, from tests/browser), against a fake
// SCORM 1.2 API: what the learner sees and what the LMS receives. The real pages are played in
// Chromium against scorm-again by the Python browser tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.join(HERE, "..", "..");
// CP_PLAYER_SRC: the same files minified as packages ship them (tests/test_build.py sets it).
const SRC = process.env.CP_PLAYER_SRC || path.join(REPO, "templates", "player", "src");
// The join order has one home, the build (packager/packaging/runtime.py): read from there.
const ORDER = readFileSync(path.join(REPO, "packager", "packaging", "runtime.py"), "utf8").match(/PLAYER_SOURCES = \(([^)]*)\)/)[1].match(/[\w]+\.js/g);
let JSDOM = null;
try { ({ JSDOM } = createRequire(path.join(REPO, "tests", "browser", "package.json"))("jsdom")); } catch { /* skipped below */ }
const skip = JSDOM ? false : "jsdom is not installed (make test installs the npm packages of tests/browser)";

const STRINGS = {
  right: "Bonne réponse.", wrong: "Mauvaise réponse.", answer_first: "Choisissez une réponse.", the_answer_was: "La réponse était : {answer}",
  score: "Score : {score} %", passed: "Réussi.", failed: "Il faut {mastery} %.", attempts_left: "Encore {n} essais.",
  attempts_left_one: "Encore 1 essai.", no_attempt_left: "Plus d'essai.", progress: "Page {n} sur {total}", moved: "{item} : position {n}",
  finished: "Module terminé.", pages_left: "Des pages restent à lire.", launch_error_3: "Suivi impossible.", true: "Vrai", false: "Faux",
};
const QUESTIONS = [
  { id: "a", type: "single", correct: [0], count: 2, choices: ["Semaine", "Jour"], correct_feedback: "", incorrect_feedback: "", choice_feedback: ["<p>Oui.</p>", "<p>Non.</p>"] },
  { id: "b", type: "ordering", count: 3, items: ["Ouvrir", "Lire", "Fermer"], correct_feedback: "", incorrect_feedback: "" },
  { id: "c", type: "matching", count: 2, pairs: [["Rouge", "Stop"], ["Vert", "Passez"]], correct_feedback: "", incorrect_feedback: "" },
];

function question(q, k) {
  let body = "";
  if (q.type === "single") {
    body = q.choices.map((text, i) => `<label class="cp-choice"><input type="radio" name="q-${q.id}" value="${i}"><span>${text}</span></label>`).join("");
  } else if (q.type === "ordering") {
    body = `<ol class="cp-order">${q.items.map((text, i) => `<li data-item="${i}"><span class="cp-order-text">${text}</span><span><button type="button" data-move="-1">↑</button><button type="button" data-move="1">↓</button></span></li>`).join("")}</ol>`;
  } else {
    body = q.pairs.map(([left], l) => `<div class="cp-match"><label>${left}</label><select><option value="">Choisir</option>${q.pairs.map(([, right], j) => `<option value="${j}">${right}</option>`).join("")}</select></div>`).join("");
  }
  return `<fieldset class="cp-question" data-question="${k}"><legend>${q.id}</legend>${body}<button type="button" class="cp-check">Valider</button><div class="cp-feedback" tabindex="-1"></div></fieldset>`;
}

function html(data) {
  const pages = data.pages.map((p, i) => `<section class="cp-page" data-page="${i}"${i ? " hidden" : ""}><h1 tabindex="-1">${p.title}</h1>${i === data.pages.length - 1 ? `<div class="cp-quiz">${data.questions.map(question).join("")}<div id="cp-quiz-result" tabindex="-1"></div><button type="button" id="cp-retry" hidden>Réessayer</button><div id="cp-quiz-next" hidden><button type="button" id="cp-restart">Revoir</button></div></div>` : ""}</section>`).join("");
  return `<!doctype html><html><body><button id="cp-toc-toggle" aria-expanded="false">Sommaire</button><p id="cp-progress-text"></p><div id="cp-progress-fill"></div>
<nav class="cp-toc" id="cp-toc" hidden><ol>${data.pages.map((p) => `<li><a href="#">${p.title}</a><span hidden> (vu)</span></li>`).join("")}</ol></nav><div id="cp-notice" hidden></div>
<main>${pages}</main><p id="cp-end" hidden></p><div class="cp-nav"><button id="cp-prev" hidden>Précédent</button><button id="cp-next">Suivant</button></div><div id="cp-announce"></div>
<script type="application/json" id="cp-data">${JSON.stringify(data)}</script></body></html>`;
}

/** A fake SCORM 1.2 API: the values it holds and the calls it received. */
function scorm12(values = {}, { initialize = "true" } = {}) {
  const calls = [];
  values = { "cmi.interactions._count": "0", ...values };
  return {
    values, calls,
    LMSInitialize: () => { calls.push("initialize"); return initialize; },
    LMSGetValue: (n) => values[n] || "", LMSGetLastError: () => (initialize === "true" ? "0" : "101"), LMSGetErrorString: () => "",
    LMSSetValue: (n, v) => {
      values[n] = v;
      const m = /^cmi\.interactions\.(\d+)\.id$/.exec(n);
      if (m) { values["cmi.interactions._count"] = String(Number(m[1]) + 1); }
      return "true";
    },
    LMSCommit: () => { calls.push("commit"); return "true"; }, LMSFinish: () => { calls.push("finish"); return "true"; },
  };
}

/** The page with the player's files joined in the build's order, started; ``api``: window.API. */
async function open({ api = scorm12(), attempts = 2, pages = 2 } = {}) {
  const data = {
    api: "scorm12", strings: STRINGS, questions: QUESTIONS, rule: "both", mastery_score: 100, quiz_decides: true, attempts,
    show_answers: false, max_attempts: 1295, pages: Array.from({ length: pages }, (_, i) => ({ id: `p${i}`, title: `Page ${i + 1}` })),
  };
  const dom = new JSDOM(html(data), { runScripts: "outside-only", pretendToBeVisual: true });
  const { window } = dom;
  window.scrollTo = () => {};
  if (api) { window.API = api; }
  const code = ORDER.map((name) => readFileSync(path.join(SRC, name), "utf8")).join("\n");
  window.eval(`(function () { "use strict"; var CP = {}; window.CP = CP;\n${code}\n}());`);
  await new Promise((resolve) => window.setTimeout(resolve, 0));
  const $ = (s) => window.document.querySelector(s);
  const fieldset = (k) => window.document.querySelectorAll(".cp-question")[k];
  return { window, document: window.document, CP: window.CP, api, $, fieldset, click: (el) => el.dispatchEvent(new window.MouseEvent("click", { bubbles: true })) };
}

/** A value of the page's realm as plain JSON, to compare with this one's. */
const plain = (value) => JSON.parse(JSON.stringify(value));

/** Every question of QUESTIONS answered right (or not). */
function answer(p, right) {
  p.fieldset(0).querySelectorAll("input")[right ? 0 : 1].checked = true;
  p.fieldset(2).querySelectorAll("select").forEach((select, l) => { select.value = String(right ? l : 1 - l); });
}

test("answers: each question type read from its fieldset, written back, and the right answer in words", { skip }, async () => {
  const p = await open();
  const { answers } = p.CP;
  assert.equal(answers.read(QUESTIONS[0], p.fieldset(0)), null);
  assert.equal(answers.read(QUESTIONS[2], p.fieldset(2)), null); // a pair still to choose
  answers.write(QUESTIONS[0], p.fieldset(0), 1);
  answers.write(QUESTIONS[1], p.fieldset(1), [2, 0, 1]);
  answers.write(QUESTIONS[2], p.fieldset(2), [1, 0]);
  assert.deepEqual(plain(QUESTIONS.map((q, k) => answers.read(q, p.fieldset(k)))), [1, [2, 0, 1], [1, 0]]);
  assert.deepEqual(plain(answers.labels(QUESTIONS[0], p.fieldset(0), STRINGS)), ["Semaine"]);
  assert.deepEqual(plain(answers.labels(QUESTIONS[1], p.fieldset(1), STRINGS)), ["Ouvrir → Lire → Fermer"]);
  assert.deepEqual(plain(answers.labels(QUESTIONS[2], p.fieldset(2), STRINGS)), ["Rouge → Stop", "Vert → Passez"]);
});

test("pages: next, previous and contents move the page; the LMS has the place and the pages seen", { skip }, async () => {
  const p = await open({ pages: 3 });
  assert.equal(p.$("#cp-progress-text").textContent, "Page 1 sur 3");
  assert.equal(p.$("#cp-prev").hidden, true);
  p.click(p.$("#cp-next"));
  assert.equal(p.api.values["cmi.core.lesson_location"], "1");
  assert.deepEqual([...p.document.querySelectorAll(".cp-page")].map((s) => s.hidden), [true, false, true]);
  assert.equal(p.document.activeElement, p.document.querySelectorAll("h1")[1]);
  p.click(p.$("#cp-toc-toggle"));
  assert.equal(p.$("#cp-toc").hidden, false);
  p.click(p.document.querySelectorAll(".cp-toc a")[2]);
  assert.equal(p.$("#cp-toc").hidden, true);
  assert.equal(p.$("#cp-progress-text").textContent, "Page 3 sur 3");
  assert.equal(p.$("#cp-next").hidden, true);
  assert.deepEqual([...p.document.querySelectorAll("#cp-toc span")].map((s) => s.hidden), [false, false, false]);
  assert.equal(p.api.values["cmi.core.lesson_status"], "incomplete"); // read, the quiz not yet passed
  p.click(p.$("#cp-prev"));
  assert.equal(p.api.values["cmi.core.lesson_location"], "1");
});

test("quiz: an answer first, a failure with a retry left, then passed and the session ended once settled", { skip }, async () => {
  const p = await open();
  p.click(p.$("#cp-next"));
  p.click(p.fieldset(0).querySelector(".cp-check"));
  assert.equal(p.fieldset(0).querySelector(".cp-feedback").textContent, STRINGS.answer_first);
  answer(p, false);
  QUESTIONS.forEach((q, k) => p.click(p.fieldset(k).querySelector(".cp-check")));
  assert.equal(p.api.values["cmi.interactions._count"], "3");
  assert.equal(p.api.values["cmi.interactions.0.result"], "wrong");
  assert.equal(p.api.values["cmi.core.lesson_status"], "failed");
  assert.match(p.$("#cp-quiz-result").textContent, /Score : 33 %Il faut 100 %\.Encore 1 essai\./);
  assert.equal(p.$("#cp-retry").hidden, false);
  assert.equal(p.document.activeElement, p.$("#cp-quiz-result"));
  assert.ok(!p.api.calls.includes("finish"));
  p.click(p.$("#cp-retry"));
  assert.equal(p.fieldset(0).querySelector("input").disabled, false);
  answer(p, true);
  QUESTIONS.forEach((q, k) => p.click(p.fieldset(k).querySelector(".cp-check")));
  assert.equal(p.api.values["cmi.core.lesson_status"], "passed");
  assert.equal(p.api.values["cmi.core.score.raw"], "100");
  assert.equal(p.$("#cp-end").textContent, STRINGS.finished);
  assert.equal(p.api.calls.filter((c) => c === "finish").length, 1); // settled: SCORM 1.2 ends while the page is alive
});

test("quiz: the ordering buttons move an item and say where it went", { skip }, async () => {
  const p = await open();
  const second = p.fieldset(1).querySelectorAll("li")[1];
  p.click(second.querySelector('[data-move="-1"]'));
  assert.deepEqual([...p.fieldset(1).querySelectorAll("li")].map((li) => li.getAttribute("data-item")), ["1", "0", "2"]);
  await new Promise((resolve) => p.window.setTimeout(resolve, 80));
  assert.equal(p.$("#cp-announce").textContent, "Lire : position 1");
});

test("resume: the saved page and answers come back with their feedback; no attempt left, the answers show", { skip }, async () => {
  const first = await open({ attempts: 1 });
  first.click(first.$("#cp-next"));
  answer(first, false);
  QUESTIONS.forEach((q, k) => first.click(first.fieldset(k).querySelector(".cp-check")));
  assert.equal(first.$("#cp-retry").hidden, true);
  assert.equal(first.$("#cp-quiz-next").hidden, false); // stuck: the way on is shown
  const saved = first.api.values;
  const again = await open({ attempts: 1, api: scorm12({ "cmi.core.entry": "resume", "cmi.core.lesson_location": saved["cmi.core.lesson_location"], "cmi.suspend_data": saved["cmi.suspend_data"] }) });
  assert.equal(again.document.querySelectorAll(".cp-page")[1].hidden, false);
  assert.equal(again.fieldset(0).querySelectorAll("input")[1].checked, true);
  assert.match(again.fieldset(0).querySelector(".cp-feedback").textContent, /Mauvaise réponse\.Non\.La réponse était : Semaine/);
  assert.match(again.$("#cp-quiz-result").textContent, /Plus d'essai\./);
});

test("tracking: no API or one that refuses to start, the module plays untracked and says why", { skip }, async () => {
  const alone = await open({ api: null });
  alone.click(alone.$("#cp-next"));
  assert.equal(alone.$("#cp-progress-text").textContent, "Page 2 sur 2");
  assert.equal(alone.$("#cp-notice").hidden, true);
  const refused = scorm12({}, { initialize: "false" });
  const p = await open({ api: refused });
  p.click(p.$("#cp-next"));
  assert.deepEqual(refused.calls, ["initialize"]); // nothing more is sent to it
  assert.equal(refused.values["cmi.core.lesson_location"], undefined);
  assert.deepEqual(plain(p.window.CoursePack.refusals()), []); // the standalone tracker now
});
