// Unit tests of the tracker's files (templates/player/src/tracker), each with what it needs
// faked: localStorage, fetch, timers. The whole tracker is played in Chromium by test_tracker.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

// CP_PLAYER_SRC: the same files minified as packages ship them (tests/test_build.py sets it).
const SRC = path.join(process.env.CP_PLAYER_SRC || path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "templates", "player", "src"), "tracker");

function fakeStorage() {
  const data = new Map();
  return { getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)), removeItem: (k) => data.delete(k) };
}

/** The T namespace after loading the given files, with a fake window and fetch. */
function load(names, { fetch = () => Promise.reject(new Error("offline")), storage = fakeStorage(), tab = fakeStorage(), search = "" } = {}) {
  const timers = [];
  const warnings = [];
  const window = {
    localStorage: storage, sessionStorage: tab, location: { search },
    addEventListener: () => {}, setTimeout: (fn, ms) => { timers.push(ms); return timers.length; },
    console: { warn: (text) => warnings.push(text) },
  };
  const T = {};
  for (const name of names) {
    new Function("T", "window", "fetch", '"use strict";\n' + readFileSync(path.join(SRC, name), "utf8"))(T, window, fetch);
  }
  return { T, timers, warnings, window };
}

const answer = (status, body) => Promise.resolve({ ok: status >= 200 && status < 300, status, json: () => Promise.resolve(body) });

test("launch: query string and old TinCan actors", () => {
  const { T } = load(["launch.js"], { search: "?endpoint=https%3A%2F%2Flrs%2F&actor=%7B%7D&x" });
  assert.deepEqual(T.launch.params(), { endpoint: "https://lrs/", actor: "{}", x: "" });
  assert.deepEqual(T.launch.agent('{"name": ["Agent"], "mbox": ["mailto:a@b.fr"]}'), { objectType: "Agent", name: "Agent", mbox: "mailto:a@b.fr" });
  assert.match(T.launch.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("queue: two tabs on one key merge, never overwrite", () => {
  const storage = fakeStorage();
  const { T } = load(["queue.js"], { storage });
  const first = new T.queue.Queue("k");
  const second = new T.queue.Queue("k");
  first.add({ id: "a" });
  second.add({ id: "b" });
  first.add({ id: "c" });
  assert.deepEqual(second.read().map((s) => s.id), ["a", "b", "c"]);
  second.remove(["b"]);
  assert.deepEqual(first.read().map((s) => s.id), ["a", "c"]);
  first.remove(["a", "c"]);
  assert.equal(storage.getItem("k"), null);
  assert.deepEqual([401, 408, 429, 500, 503, 0].map(T.queue.retryable), [true, true, true, true, true, true]);
  assert.deepEqual([400, 403, 404, 409].map(T.queue.retryable), [false, false, false, false]);
});

test("lrs: a refused batch goes one by one; the refused statement leaves, the others arrive", async () => {
  const calls = [];
  const fetch = (url, init) => {
    calls.push(init.method + " " + url.split("/").pop());
    if (init.method === "POST") { return answer(403); }
    return answer(url.includes("old") ? 403 : 204);
  };
  const { T, warnings } = load(["queue.js", "lrs.js"], { fetch });
  const lrs = new T.Lrs("https://lrs/xapi", "Basic x", "reg");
  lrs.queue.add({ id: "old" });
  lrs.exiting = true;  // queue only, flush by hand
  lrs.send({ id: "new" });
  await lrs.flush();
  assert.deepEqual(calls, ["POST statements", "PUT statements?statementId=old", "PUT statements?statementId=new"]);
  assert.deepEqual(lrs.queue.read(), []);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /old.*403/);
});

test("lrs: an LRS that cannot answer now keeps everything, and is tried again later", async () => {
  const { T, timers } = load(["queue.js", "lrs.js"], { fetch: () => answer(503) });
  const lrs = new T.Lrs("https://lrs/xapi/", "Basic x", "reg");
  lrs.exiting = true;
  lrs.send({ id: "a" });
  lrs.send({ id: "b" });
  lrs.exiting = false;
  await lrs.flush();
  assert.deepEqual(lrs.queue.read().map((s) => s.id), ["a", "b"]);
  assert.deepEqual(timers, [1000]);
  assert.equal(lrs.delay, 2000);
});

test("session: the newer of the LRS's and the browser's resume document wins", async () => {
  for (const [remoteSaved, localSaved, expected] of [[2000, 1000, "remote"], [1000, 2000, "local"], [null, 1000, "local"]]) {
    const remote = remoteSaved === null ? null : { location: "remote", suspend: "r", saved: remoteSaved };
    const fetch = () => (remote ? answer(200, remote) : answer(404));
    const { T, window } = load(["launch.js", "queue.js", "lrs.js", "session.js"], { fetch });
    const lrs = new T.Lrs("https://lrs/", "Basic x", "reg");
    const session = new T.Session({ language: "fr", pages: [] }, { duration: () => "PT0S" }, lrs, { mbox: "mailto:a@b.fr" }, "https://a", "reg");
    window.localStorage.setItem(session.stateKey, JSON.stringify({ location: "local", suspend: "l", saved: localSaved }));
    const found = await session.load();
    assert.equal(found.location, expected);
  }
});

test("session: a network error on the State API means later, a 404 means none", async () => {
  let status = 0;
  const fetch = () => (status ? answer(status) : Promise.reject(new Error("offline")));
  const { T, timers } = load(["launch.js", "queue.js", "lrs.js", "session.js"], { fetch });
  const lrs = new T.Lrs("https://lrs/", "Basic x", "reg");
  const session = new T.Session({ language: "fr", pages: [] }, { duration: () => "PT0S" }, lrs, { mbox: "mailto:a@b.fr" }, "https://a", "reg");
  session.store({ location: "1", suspend: "x" });
  await new Promise((resolve) => setImmediate(resolve));
  assert.notEqual(session.stateSupported, false);
  assert.ok(timers.length === 1 && session.pending !== null);  // kept, to be sent again
  status = 404;
  session.pushState();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(session.stateSupported, false);
});

test("session: what the LRS holds for the registration, read back and filtered here, page after page", async () => {
  const ADL = "http://adlnet.gov/expapi/verbs/";
  const st = (verb, id) => ({ verb: { id: ADL + verb }, object: { id } });
  const asked = [];
  const fetch = (url) => {
    asked.push(url);
    if (url.includes("activities/state")) { return answer(404); }
    if (url.includes("page2")) { return answer(200, { statements: [st("passed", "https://a")], more: "" }); }
    return answer(200, { statements: [st("completed", "https://other"), st("failed", "https://a"), st("completed", "https://a")], more: "/xapi/statements?page2" });
  };
  const { T, window } = load(["launch.js", "queue.js", "lrs.js", "session.js"], { fetch });
  const lrs = new T.Lrs("https://lrs/xapi/", "Basic x", "reg");
  const session = new T.Session({ language: "fr", pages: [] }, { duration: () => "PT0S" }, lrs, { mbox: "mailto:a@b.fr" }, "https://a", "reg");
  await session.load();
  assert.deepEqual(session.sent, { completed: true, passed: true });  // failed is not read back: it never blocks a verdict
  assert.ok(asked.some((u) => u.includes("statements?agent=") && u.includes("registration=reg")));
  assert.equal(asked.filter((u) => u === "https://lrs/xapi/statements?page2").length, 1);
  assert.equal(session.unsure, false);
  // another tab of the registration learns it through localStorage
  const other = new T.Session({ language: "fr", pages: [] }, { duration: () => "PT0S" }, lrs, { mbox: "mailto:a@b.fr" }, "https://a", "reg");
  assert.equal(other.known().passed, true);
  assert.ok(window.localStorage.getItem(session.sentKey));
  // no registration: the learner's statements of this activity only
  asked.length = 0;
  const alone = new T.Session({ language: "fr", pages: [] }, { duration: () => "PT0S" }, lrs, { mbox: "mailto:a@b.fr" }, "https://a", null);
  await alone.history();
  assert.ok(asked[0].includes("activity=https%3A%2F%2Fa") && !asked[0].includes("registration="));
});

test("session: an LRS that cannot say what it holds leaves the tracker unsure; one that refuses reads does not", async () => {
  for (const [reply, unsure] of [[() => Promise.reject(new Error("offline")), true], [() => answer(503), true], [() => answer(403), false]]) {
    const fetch = (url) => (url.includes("activities/state") ? answer(404) : reply());
    const { T } = load(["launch.js", "queue.js", "lrs.js", "session.js"], { fetch });
    const lrs = new T.Lrs("https://lrs/", "Basic x", "reg");
    const session = new T.Session({ language: "fr", pages: [] }, { duration: () => "PT0S" }, lrs, { mbox: "mailto:a@b.fr" }, "https://a", "reg");
    await session.load();
    assert.equal(session.unsure, unsure);
  }
});

/** An LMS and its LRS for a cmi5 launch: the fetch URL, LMS.LaunchData, the statements received. */
function cmi5Lms(launchData) {
  const verbs = [];  // one per statement id: delivery is at least once, the LRS keeps one
  const ids = new Set();
  const asked = [];
  const fetch = (url, init = {}) => {
    const method = init.method || "GET";
    asked.push(method + " " + url.split("?")[0].split("/").slice(-2).join("/"));
    if (url === "https://lms/fetch") { return answer(200, { "auth-token": "dG9r" }); }
    if (method !== "GET" && url.includes("/statements")) {
      const body = JSON.parse(init.body);
      (Array.isArray(body) ? body : [body]).filter((st) => !ids.has(st.id)).forEach((st) => {
        ids.add(st.id);
        verbs.push(st.verb.id.split("/").pop());
      });
      return answer(200, []);
    }
    if (url.includes("stateId=LMS.LaunchData")) { return answer(200, launchData); }
    if (url.includes("/statements")) { return answer(200, { statements: [], more: "" }); }
    return answer(method === "GET" ? 404 : 204);
  };
  const search = "?" + new URLSearchParams({
    endpoint: "https://lrs/xapi/", fetch: "https://lms/fetch", actor: JSON.stringify({ mbox: "mailto:a@b.fr" }),
    registration: "reg-1", activityId: "https://a",
  });
  return { fetch, search, verbs, asked };
}
const CMI5_FILES = ["launch.js", "queue.js", "lrs.js", "session.js", "cmi5.js"];
const CMI5_DATA = { language: "fr", pages: [], iri: "https://a", title: "Module", attempts: 2 };
const settle = () => new Promise((resolve) => setImmediate(resolve));

test("cmi5: the token once, LMS.LaunchData, initialized; a failure with a retry left waits for the end of the session", async () => {
  const lms = cmi5Lms({ launchMode: "Normal", masteryScore: 0.8, returnURL: "https://lms/back", contextTemplate: { extensions: { x: 1 } } });
  const tab = fakeStorage();
  const { T } = load(CMI5_FILES, { fetch: lms.fetch, search: lms.search, tab });
  const tracker = T.cmi5(CMI5_DATA, { duration: () => "PT1S", responseText: String });
  await tracker.start();
  assert.deepEqual([tracker.returnUrl, tracker.masteryScore], ["https://lms/back", 0.8]);
  assert.equal(lms.asked.filter((a) => a === "POST lms/fetch").length, 1);
  tracker.report({ location: "0", suspend: "", completed: false, success: null, score: null, attempts: 0 });
  tracker.report({ location: "1", suspend: "", completed: true, success: "failed", score: 40, attempts: 1 });
  await settle();
  assert.deepEqual(lms.verbs, ["initialized", "completed"]); // failed is held: a retry is left
  tracker.finish();
  await settle();
  assert.deepEqual(lms.verbs, ["initialized", "completed", "failed", "terminated"]);
  assert.equal(JSON.parse(tab.getItem("coursepack-cmi5:https://lms/fetch")).terminated, true);

  // the same tab reloaded after terminated: nothing more is sent, the learner is told why
  const again = load(CMI5_FILES, { fetch: lms.fetch, search: lms.search, tab }).T.cmi5(CMI5_DATA, { duration: () => "PT1S" });
  const before = lms.asked.length;
  await again.start();
  again.report({ location: "1", suspend: "", completed: true, success: "passed", score: 100, attempts: 2 });
  again.finish();
  await settle();
  assert.deepEqual([again.notice, again.returnUrl], ["ended", "https://lms/back"]);
  assert.equal(lms.asked.slice(before).filter((a) => !a.startsWith("GET")).length, 0);
});

test("cmi5: passed on a retry in the same session sends passed, never the failure before it", async () => {
  const lms = cmi5Lms({ launchMode: "Normal", masteryScore: 0.8 });
  const { T } = load(CMI5_FILES, { fetch: lms.fetch, search: lms.search });
  const tracker = T.cmi5(CMI5_DATA, { duration: () => "PT1S" });
  await tracker.start();
  tracker.report({ location: "1", suspend: "", completed: true, success: "failed", score: 40, attempts: 1 });
  tracker.report({ location: "1", suspend: "", completed: true, success: "passed", score: 100, attempts: 2 });
  tracker.finish();
  await settle();
  assert.deepEqual(lms.verbs, ["initialized", "completed", "passed", "terminated"]);
});

test("cmi5: in Browse mode nothing counts; without the launch parameters there is no cmi5 tracker", async () => {
  const lms = cmi5Lms({ launchMode: "Browse" });
  const { T } = load(CMI5_FILES, { fetch: lms.fetch, search: lms.search });
  const tracker = T.cmi5(CMI5_DATA, { duration: () => "PT1S" });
  await tracker.start();
  tracker.report({ location: "1", suspend: "", completed: true, success: "passed", score: 100, attempts: 1 });
  tracker.finish();
  await settle();
  assert.deepEqual(lms.verbs, ["initialized", "terminated"]);
  assert.equal(load(CMI5_FILES, { search: "?endpoint=x" }).T.cmi5(CMI5_DATA, {}), null);
});
