"""Every module played in Chromium against the Moodle app's SCORM 1.2 runtime (tests/moodle_app.py):
online, offline, and at page close, where Chromium refuses the runtime's synchronous save.

Issue 16, 8 (a) a session closed online loses nothing the package decided, and a settled module's
time reaches Moodle; (b) the status is the catalogue's, online (the app knows the mastery score)
and offline (it does not) alike; (d) interaction ids and answers are within what the runtime takes.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from browser_support import unpack, watched_page
from conftest import COURSES, SETTINGS, dedent
from moodle_app import MoodleApp, eventual
from packager.packaging.pipeline import build_catalogue, package_name
from packager.model.checks import validate_catalogue

CATALOGUE = validate_catalogue(COURSES)
UNITS = list(CATALOGUE.modules())
QUIZ_UNITS = [u for u in UNITS if u.has_quiz]
TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
IDENTIFIER = re.compile(r"^[\x21-\x7e]{1,255}$")

#: Answers every question of the page, all right or all wrong, from the package's own data (any catalogue).
ANSWER = """(el, right) => {
  const data = JSON.parse(document.getElementById("cp-data").textContent);
  const sets = Array.from(document.querySelectorAll(".cp-question"));
  data.questions.forEach((q, k) => {
    const fs = sets[k];
    const pick = (v) => fs.querySelector(`input[value="${v}"]`).click();
    const n = q.count || 0;
    if (q.type === "single") { pick(right ? q.correct[0] : [...Array(n).keys()].find((c) => c !== q.correct[0])); }
    else if (q.type === "multiple") { (right ? q.correct : [...Array(n).keys()].filter((c) => !q.correct.includes(c)).slice(0, 1)).forEach(pick); }
    else if (q.type === "true_false") { pick(q.correct === right ? "t" : "f"); }
    else if (q.type === "fill_in") { fs.querySelector("input").value = right ? q.answers[0] : "zzz"; }
    else if (q.type === "ordering") {
      const list = fs.querySelector("ol");
      for (let i = 0; i < n; i += 1) { list.appendChild(list.querySelector(`li[data-item="${right ? i : n - 1 - i}"]`)); }
    } else { fs.querySelectorAll("select").forEach((s, left) => { s.value = String(right ? left : (left + 1) % n); }); }
    fs.querySelector(".cp-check").click();
  });
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory, courses_dist) -> Any:
    root = tmp_path_factory.mktemp("moodle-app")
    site = MoodleApp(root / "web")
    for unit in UNITS:
        unpack(courses_dist("scorm12") / package_name(unit, "scorm12"), site.web / unit.key)
    yield site
    site.close()


@pytest.fixture
def page(browser, app) -> Any:
    with watched_page(browser, app.url + "/moodle_app.html") as page:
        yield page


def launch(page: Any, app: MoodleApp, key: str, *, online: bool, attempt: int, standard: bool = False) -> Any:
    config = app.config(app.web / key, online=online, attempt=attempt, standard=standard)
    page.evaluate("([config, src]) => app.launch(config, src)", [config, f"{key}/index.html"])
    frame = page.frame_locator("#sco")
    frame.locator("html.cp-js").wait_for(state="attached")
    return frame


def leave(page: Any) -> dict[str, Any]:
    """The learner leaves the player (the app empties the frame); what the runtime did."""
    page.evaluate("app.leave()")
    page.wait_for_function("document.getElementById('sco').contentWindow.location.href === 'about:blank'")
    return page.evaluate("app.view()")


def refused(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in view["calls"] if c["code"] != "0"]


def play(frame: Any, *, every_page: bool, right: bool = True) -> None:
    """Every page in order, the quiz answered on its way; or straight to the quiz (TOC)."""
    if not every_page:
        frame.locator("#cp-toc-toggle").click()
        frame.locator(".cp-toc a").last.click()
    while True:
        if frame.locator(".cp-page:not([hidden]) .cp-question").count():
            frame.locator("html").evaluate(ANSWER, right)
        if not every_page or frame.locator("#cp-next").is_hidden():
            return
        frame.locator("#cp-next").click()


def session(page: Any, app: MoodleApp, key: str, *, online: bool, attempt: int, every_page: bool, right: bool = True) -> dict[str, str]:
    frame = launch(page, app, key, online=online, attempt=attempt)
    play(frame, every_page=every_page, right=right)
    view = leave(page)
    assert refused(view) == [] and page.js_errors == []
    return eventual(app.tracks.get(attempt, {}), view["pending"]) | {"_offline": str(view["offline"])}


@pytest.mark.parametrize("unit", UNITS, ids=[u.key for u in UNITS])
def test_every_module_has_one_status_online_and_offline(page, app, unit) -> None:
    """(b) The same play gives the same status whether the app knows the mastery score or not:
    the quiz passed with pages left, every page and the quiz passed (or failed)."""
    attempt = 100 + UNITS.index(unit) * 10
    plays = [(False, True, "incomplete"), (True, True, "passed")] if unit.has_quiz else [(True, True, "completed")]
    if unit is QUIZ_UNITS[0]:
        plays.append((True, False, "failed"))  # one module is enough for this one: the suite's time is counted
    for n, (every_page, right, wanted) in enumerate(plays):
        online = session(page, app, unit.key, online=True, attempt=attempt + 2 * n, every_page=every_page, right=right)
        offline = session(page, app, unit.key, online=False, attempt=attempt + 2 * n + 1, every_page=every_page, right=right)
        keys = ("cmi.core.lesson_status", "cmi.core.score.raw")
        assert [online.get(k) for k in keys] == [offline.get(k) for k in keys], (unit.key, every_page, right)
        assert online["cmi.core.lesson_status"] == wanted, (unit.key, every_page, right)
        assert online.get("cmi.core.score.raw") == {"incomplete": None, "passed": "100", "failed": "0", "completed": None}[wanted]
        if wanted in ("passed", "completed"):
            assert online["_offline"] == "False"  # settled while the page was alive: nothing went offline


def test_closing_a_settled_module_loses_nothing_online(page, app) -> None:
    """(a) A module finished and then closed: its time and verdict are on Moodle, nothing waits."""
    key = QUIZ_UNITS[0].key
    frame = launch(page, app, key, online=True, attempt=1, standard=True)  # the strict limits too
    play(frame, every_page=True)
    view = leave(page)
    stored = app.tracks[1]
    assert stored["cmi.core.lesson_status"] == "passed" and stored["cmi.core.score.raw"] == "100"
    assert TIMESPAN.match(stored["cmi.core.total_time"])
    assert view["pending"] == [] and "go_offline" not in view["events"]
    assert all(r["ok"] for r in view["requests"]) and refused(view) == []


def test_closing_mid_module_online_keeps_the_last_state(page, app) -> None:
    """(a) Closed on page 2: location, status and resume state of that page reached Moodle while the
    page was alive; the closing page's LMSFinish (refused by Chromium, kept by the app for a later
    sync) carries only the time the runtime adds itself."""
    unit = QUIZ_UNITS[1]
    frame = launch(page, app, unit.key, online=True, attempt=2)
    frame.locator("#cp-next").click()
    view = leave(page)
    stored = app.tracks[2]
    assert stored["cmi.core.lesson_location"] == "1" and stored["cmi.core.lesson_status"] == "incomplete"
    assert stored["cmi.suspend_data"].startswith("1|3|")
    assert [t["element"] for t in view["pending"]] == ["cmi.core.total_time"]
    closing = view["requests"][-1]
    assert not closing["ok"] and "Synchronous XHR in page dismissal" in closing["error"]
    assert refused(view) == [] and page.js_errors == []

    # the next launch resumes on that page from what Moodle holds; then the app itself goes away
    frame = launch(page, app, unit.key, online=True, attempt=2)
    assert frame.locator("#cp-progress-text").text_content() == f"Page 2 sur {len(unit.module.pages)}"
    frame.locator("#cp-next").click()
    page.goto(app.url + "/moodle_app_scorm12.js")
    assert app.tracks[2]["cmi.core.lesson_location"] == "2"


ODD_COURSE = """\
kind: tool
id: essai
title: Cours d'essai
summary: Des réponses longues.
duration_minutes: 10
audience: Tests
completion: {rule: quiz, mastery_score: 50}
modules:
  - id: tout
    title: Quiz
    pages:
      - id: quiz
        title: Quiz
        blocks:
          - quiz:
              questions:
                - {id: premiere, type: true_false, prompt: Vrai ?, answer: true}
                - {id: deuxieme, type: true_false, prompt: Faux ?, answer: false}
                - {id: saisie, type: fill_in, prompt: Le mot ?, answers: [recherche]}
"""


def test_ids_and_answers_within_the_runtime(page, app, tmp_path) -> None:
    """(d) Ids with accents, spaces and a clash, and a typed answer of 300 characters: the runtime
    takes every call, each interaction is recorded whole, its id stable and unique."""
    (tmp_path / "cat" / "outils").mkdir(parents=True)
    (tmp_path / "cat" / "catalogue.yml").write_text(SETTINGS, encoding="utf-8")
    (tmp_path / "cat" / "outils" / "essai.yml").write_text(dedent(ODD_COURSE), encoding="utf-8")
    catalogue = validate_catalogue(tmp_path / "cat")
    assert catalogue.problems == []
    build_catalogue(catalogue, "scorm12", tmp_path / "dist")
    target = unpack(tmp_path / "dist" / "essai.tout.scorm12.zip", app.web / "odd")
    index = target / "index.html"
    html = index.read_text(encoding="utf-8")
    # ids an older catalogue, a hand-edited package or a future id rule could carry
    for old, new in (("premiere", "Café crème"), ("deuxieme", "Cafe creme"), ("saisie", "réponse libre ?")):
        html = html.replace(f'"id":"{old}"', f'"id":{json.dumps(new, ensure_ascii=False)}')
    index.write_text(html, encoding="utf-8")

    frame = launch(page, app, "odd", online=True, attempt=3, standard=True)
    long_answer = "é" * 150 + "x" * 150
    frame.locator("input[type=text]").evaluate("(el, v) => { el.removeAttribute('maxlength'); el.value = v; }", long_answer)
    frame.locator("label", has_text="Vrai").first.click()
    frame.locator(".cp-question").nth(1).locator("label", has_text="Faux").click()
    for check in frame.locator(".cp-check").all():
        check.click()
    logged = frame.locator("html").evaluate("() => window.CoursePack.refusals ? window.CoursePack.refusals() : null")
    view = leave(page)
    assert refused(view) == [] and page.js_errors == []
    assert logged == []
    stored = app.tracks[3]
    ids = [stored[f"cmi.interactions_{n}.id"] for n in range(3)]
    assert ids == ["Cafe-creme", "Cafe-creme-2", "reponse-libre"]
    assert all(IDENTIFIER.match(i) for i in ids)
    response = stored["cmi.interactions_2.student_response"]
    assert len(response) == 255 and response.startswith(long_answer[:254]) and response.endswith("…")
    assert [stored[f"cmi.interactions_{n}.result"] for n in range(3)] == ["correct", "correct", "wrong"]
    assert stored["cmi.core.lesson_status"] == "passed"  # 2 of 3 right, mastery 50
