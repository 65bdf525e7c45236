"""Packages played in Debian's Chromium against an independent LMS runtime (npm scorm-again).

The harness page (tests/browser/harness.html) gives the SCO scorm-again's API, records every
call and every API error, and launches the package in a frame, as Moodle's player does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from browser_support import StaticServer, harness_site, unpack, watched_page
from conftest import SETTINGS, dedent, plain
from packager.packaging.pipeline import build_catalogue
from packager.model.catalogue import Catalogue
from packager.model.checks import validate_catalogue
from packager.model.resume import max_suspend_data_length

COURSE = """\
kind: tool
id: essai
title: Cours d'essai
summary: Toutes les questions.
duration_minutes: 10
audience: Tests
completion: {rule: both, mastery_score: 80}
modules:
  - id: tout
    title: Toutes les questions
    pages:
      - id: debut
        title: Début
        blocks:
          - text: Première page.
      - id: milieu
        title: Milieu
        blocks:
          - steps: [Ouvrez., Écrivez.]
      - id: quiz
        title: Quiz
        blocks:
          - quiz:
              attempts: 2
              questions:
                - id: choix-unique
                  type: single
                  prompt: Une seule bonne réponse.
                  choices:
                    - {text: Bonne réponse, correct: true, feedback: Oui.}
                    - {text: Mauvaise réponse, feedback: Non.}
                - id: choix-multiple
                  type: multiple
                  prompt: Deux bonnes réponses.
                  choices: [{text: Un, correct: true}, {text: Deux, correct: true}, {text: Trois}]
                - id: vrai-faux
                  type: true_false
                  prompt: Le ciel est vert.
                  answer: false
                - id: a-saisir
                  type: fill_in
                  prompt: La barre de …
                  answers: [recherche]
                - id: ordre
                  type: ordering
                  prompt: Dans l'ordre.
                  items: [Ouvrir, Écrire, Envoyer]
                - id: paires
                  type: matching
                  prompt: Associez.
                  pairs:
                    - {left: Accepter, right: Ajoute à l'agenda}
                    - {left: Refuser, right: Prévient l'organisateur}
                    - {left: Provisoire, right: Peut-être}
  - id: lecture
    title: Lecture seule
    completion: {rule: pages}
    pages:
      - {id: un, title: Un, blocks: [{text: Un.}]}
      - {id: deux, title: Deux, blocks: [{text: Deux.}]}
"""

FILL_IN = "Récherche "  # accents and case are tolerated
TIMESPAN_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
DURATION_2004 = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)$")


def essai_catalogue(root: Path) -> Catalogue:
    """A one-course catalogue holding COURSE, every question type in it."""
    (root / "outils").mkdir(parents=True)
    (root / "catalogue.yml").write_text(SETTINGS, encoding="utf-8")
    (root / "outils" / "essai.yml").write_text(dedent(COURSE), encoding="utf-8")
    catalogue = validate_catalogue(root)
    assert catalogue.problems == []
    return catalogue


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Any:
    root = tmp_path_factory.mktemp("site")
    catalogue = essai_catalogue(root / "catalogue")
    web = harness_site(root / "web")
    for fmt in ("scorm12", "scorm2004"):
        build_catalogue(catalogue, fmt, root / "dist")
        for module in ("tout", "lecture"):
            unpack(root / "dist" / f"essai.{module}.{fmt}.zip", web / fmt / module)
    server = StaticServer(web)
    yield {"url": server.url, "catalogue": catalogue}
    server.close()


@pytest.fixture
def page(browser, site) -> Any:
    with watched_page(browser, site["url"] + "/harness.html") as page:
        yield page


def launch(page: Any, fmt: str, module: str = "tout", initial: dict | None = None) -> Any:
    version = "12" if fmt == "scorm12" else "2004"
    page.evaluate("([v, src, init]) => lms.launch(v, src, init)", [version, f"{fmt}/{module}/index.html", initial])
    frame = page.frame_locator("#sco")
    frame.locator("html.cp-js").wait_for(state="attached")
    return frame


def close(page: Any) -> None:
    page.evaluate("lms.close()")
    page.wait_for_function("document.getElementById('sco').contentWindow.location.href === 'about:blank'")


def walk_to_quiz(frame: Any) -> None:
    for expected in ("Page 2 sur 3", "Page 3 sur 3"):
        frame.locator("#cp-next").click()
        assert frame.locator("#cp-progress-text").text_content() == expected
    assert frame.locator("#h-quiz").evaluate("el => document.activeElement === el")


def order_items(frame: Any, wanted: list[str]) -> None:
    question = frame.locator("#q-ordre")
    for position, text in enumerate(wanted):
        while True:
            texts = question.locator(".cp-order-text").all_text_contents()
            index = texts.index(text)
            if index == position:
                break
            question.locator("li", has_text=text).locator("[data-move='-1']").click()


def answer(frame: Any, right: bool) -> None:
    q = frame.locator
    q("#q-choix-unique label", has_text="Bonne réponse" if right else "Mauvaise réponse").click()
    for text in (("Un", "Deux") if right else ("Trois",)):
        q("#q-choix-multiple label", has_text=text).click()
    q("#q-vrai-faux label", has_text="Faux" if right else "Vrai").click()
    q("#q-a-saisir input").fill(FILL_IN if right else "autre chose")
    if right:
        order_items(frame, ["Ouvrir", "Écrire", "Envoyer"])
    for left in range(3):
        q(f"#q-paires select[data-left='{left}']").select_option(str(left if right else (left + 1) % 3))
    for check in q(".cp-check").all():
        check.click()


def interactions(cmi: dict) -> list[dict]:
    return [cmi["interactions"][str(i)] for i in range(len(cmi["interactions"]))]


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_right_answers_pass_and_resume(page, site, fmt) -> None:
    frame = launch(page, fmt)
    assert frame.locator("#cp-progress-text").text_content() == "Page 1 sur 3"
    walk_to_quiz(frame)
    answer(frame, right=True)
    assert "Votre score : 100 %." in plain(frame.locator("#cp-quiz-result").text_content())
    close(page)
    cmi = page.evaluate("lms.cmi()")
    assert page.evaluate("lms.errors") == [] and page.js_errors == []
    first, finish, commit = ("LMSInitialize", "LMSFinish", "LMSCommit") if fmt == "scorm12" else ("Initialize", "Terminate", "Commit")
    assert page.evaluate(f"lms.count('{first}')") == 1 and page.evaluate(f"lms.count('{finish}')") == 1
    assert page.evaluate(f"lms.count('{commit}')") >= 3 + 6  # after each page and each answer

    sep, dot = (",", ".") if fmt == "scorm12" else ("[,]", "[.]")
    found = interactions(cmi)
    assert [i["type"] for i in found] == ["choice", "choice", "true-false", "fill-in", "sequencing", "matching"]
    response_key = "student_response" if fmt == "scorm12" else "learner_response"
    assert [i[response_key] for i in found] == [
        "0", f"0{sep}1", "f" if fmt == "scorm12" else "false", FILL_IN.strip(), f"0{sep}1{sep}2", f"0{dot}0{sep}1{dot}1{sep}2{dot}2"]
    patterns = [i["correct_responses"]["0"]["pattern"] for i in found]
    assert patterns[0] == "0" and patterns[4] == f"0{sep}1{sep}2"
    assert {i["result"] for i in found} == {"correct"}
    latency = TIMESPAN_12 if fmt == "scorm12" else DURATION_2004
    assert all(latency.match(i["latency"]) for i in found)
    if fmt == "scorm12":
        core = cmi["core"]
        assert (core["lesson_status"], core["score"]["raw"], core["score"]["min"], core["score"]["max"]) == ("passed", "100", "0", "100")
        assert core["lesson_location"] == "2" and core["exit"] == "suspend"
        assert TIMESPAN_12.match(core["session_time"])
        assert [i["id"] for i in found][:2] == ["choix-unique", "choix-multiple"]
        saved = {"core": {"lesson_location": core["lesson_location"], "lesson_status": core["lesson_status"], "entry": "resume"},
                 "suspend_data": cmi["suspend_data"]}
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
        assert (cmi["score"]["raw"], cmi["score"]["min"], cmi["score"]["max"], cmi["score"]["scaled"]) == ("100", "0", "100", "1")
        assert cmi["location"] == "2" and cmi["exit"] == "suspend"
        assert DURATION_2004.match(cmi["session_time"])
        assert found[0]["id"] == "https://formation.example.org/xapi/essai/tout/questions/choix-unique"
        saved = {"location": cmi["location"], "entry": "resume", "suspend_data": cmi["suspend_data"],
                 "completion_status": cmi["completion_status"], "success_status": cmi["success_status"]}
    assert cmi["suspend_data"] == f"1|7|1.100~0;01;f;{FILL_IN.strip()};012;012"
    unit = site["catalogue"].module("essai/tout")
    quiz = [b.quiz for b in unit.module.pages[2].blocks][0]
    assert len(cmi["suspend_data"]) <= max_suspend_data_length(3, list(quiz.questions))

    frame = launch(page, fmt, initial=saved)
    assert frame.locator("#cp-progress-text").text_content() == "Page 3 sur 3"
    assert frame.locator("#p-quiz").is_visible() and not frame.locator("#p-debut").is_visible()
    assert frame.locator("#q-choix-unique input[value='0']").is_checked()
    assert frame.locator("#q-vrai-faux input[value='f']").is_checked()
    assert frame.locator("#q-a-saisir input").input_value() == FILL_IN.strip()
    assert frame.locator("#q-ordre .cp-order-text").all_text_contents() == ["Ouvrir", "Écrire", "Envoyer"]
    assert frame.locator("#q-paires select[data-left='2']").input_value() == "2"
    assert "Bonne réponse." in frame.locator("#q-choix-unique .cp-feedback").text_content()
    assert "100 %" in plain(frame.locator("#cp-quiz-result").text_content())
    close(page)
    assert page.evaluate("lms.errors") == [] and page.js_errors == []
    assert page.evaluate(f"lms.count('{first}')") == 1 and page.evaluate(f"lms.count('{finish}')") == 1


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_wrong_answers_fail_then_a_retry_passes(page, fmt) -> None:
    frame = launch(page, fmt)
    walk_to_quiz(frame)
    answer(frame, right=False)
    result = plain(frame.locator("#cp-quiz-result").text_content())
    assert "Votre score : 0 %." in result and "Il faut 80 % pour réussir." in result and "Il vous reste un essai." in result
    assert "Non." in frame.locator("#q-choix-unique .cp-feedback").text_content()
    # an attempt is left: the right answers stay hidden, and the focus is on the result, not the top
    assert frame.locator("#q-paires .cp-feedback li").count() == 0
    assert "La bonne réponse" not in plain(frame.locator("#cp-quiz").text_content())
    assert frame.locator("#cp-quiz-result").evaluate("el => document.activeElement === el")
    assert frame.locator("#cp-quiz-next").is_hidden()
    cmi = page.evaluate("lms.cmi()")
    found = interactions(cmi)
    if fmt == "scorm12":
        assert (cmi["core"]["lesson_status"], cmi["core"]["score"]["raw"]) == ("failed", "0")
        assert {i["result"] for i in found} == {"wrong"}
    else:
        assert (cmi["success_status"], cmi["score"]["raw"]) == ("failed", "0")
        assert {i["result"] for i in found} == {"incorrect"}

    frame.locator("#cp-retry").click()
    assert frame.locator("#q-choix-unique .cp-feedback").text_content() == ""
    answer(frame, right=True)
    cmi = page.evaluate("lms.cmi()")
    status = cmi["core"]["lesson_status"] if fmt == "scorm12" else cmi["success_status"]
    assert status == "passed"
    assert len(interactions(cmi)) == 12
    assert frame.locator("#cp-retry").is_hidden()
    close(page)
    assert page.evaluate("lms.errors") == [] and page.js_errors == []


def test_last_failed_attempt_shows_the_answers_and_what_to_do(page) -> None:
    frame = launch(page, "scorm12")
    walk_to_quiz(frame)
    answer(frame, right=False)
    frame.locator("#cp-retry").click()
    answer(frame, right=False)
    assert frame.locator("#q-paires .cp-feedback li").all_text_contents() == [
        "Accepter → Ajoute à l'agenda", "Refuser → Prévient l'organisateur", "Provisoire → Peut-être"]
    assert "La bonne réponse : Faux" in plain(frame.locator("#q-vrai-faux .cp-feedback").text_content())
    assert "Vous avez utilisé tous vos essais." in plain(frame.locator("#cp-quiz-result").text_content())
    after = frame.locator("#cp-quiz-next")
    assert after.is_visible() and after.locator("a[href='mailto:mediation@example.org']").is_visible()
    frame.locator("#cp-restart").click()
    assert frame.locator("#cp-progress-text").text_content() == "Page 1 sur 3"
    assert frame.locator("#h-debut").evaluate("el => document.activeElement === el")
    close(page)
    assert page.evaluate("lms.errors") == [] and page.js_errors == []


def test_a_passing_score_waits_for_the_rule(page) -> None:
    """A quiz passed before every page is read ("both"): SCORM 1.2 runtimes turn a raw score into
    passed at LMSFinish when they know the mastery score (Moodle, the Moodle app online), not when
    they do not (the app offline). The score waits until the rule decides; a failing one is at once."""
    frame = launch(page, "scorm12")
    frame.locator("#cp-toc-toggle").click()
    frame.locator(".cp-toc a[data-page='2']").click()
    answer(frame, right=False)
    cmi = page.evaluate("lms.cmi()")
    assert (cmi["core"]["score"]["raw"], cmi["core"]["lesson_status"]) == ("0", "failed")
    frame.locator("#cp-retry").click()
    answer(frame, right=True)
    cmi = page.evaluate("lms.cmi()")
    assert (cmi["core"]["score"]["raw"], cmi["core"]["lesson_status"]) == ("0", "failed")  # what the LMS holds, unchanged
    frame.locator("#cp-toc-toggle").click()
    frame.locator(".cp-toc a[data-page='0']").click()
    frame.locator("#cp-next").click()
    cmi = page.evaluate("lms.cmi()")
    assert (cmi["core"]["score"]["raw"], cmi["core"]["lesson_status"]) == ("100", "passed")
    close(page)
    assert page.evaluate("lms.errors") == [] and page.js_errors == []


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_pages_rule_completes_when_every_page_is_seen(page, fmt) -> None:
    frame = launch(page, fmt, module="lecture")
    status = "cmi.core.lesson_status" if fmt == "scorm12" else "cmi.completion_status"
    read = f"lms.api.{'LMSGetValue' if fmt == 'scorm12' else 'GetValue'}('{status}')"
    assert page.evaluate(read) == "incomplete"
    frame.locator("#cp-next").click()
    assert page.evaluate(read) == "completed"
    assert "Vous avez terminé ce module." in frame.locator("#cp-end").text_content()
    close(page)
    assert page.evaluate("lms.errors") == [] and page.js_errors == []


def test_hiding_the_page_commits(page) -> None:
    """A phone switching apps may never come back: the state is committed when the page is hidden."""
    frame = launch(page, "scorm12", module="lecture")
    before = page.evaluate("lms.count('LMSCommit')")
    frame.locator("html").evaluate(
        "() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }")
    assert page.evaluate("lms.count('LMSCommit')") == before + 1
    assert page.evaluate("lms.count('LMSFinish')") == 0
    close(page)
    assert page.evaluate("lms.count('LMSFinish')") == 1


def test_popup_finds_the_api_through_its_opener(page) -> None:
    with page.expect_popup() as popup_info:
        page.evaluate("lms.launch('12', 'scorm12/lecture/index.html', null, true)")
    popup = popup_info.value
    popup.locator("html.cp-js").wait_for(state="attached")
    popup.locator("#cp-next").click()
    assert page.evaluate("lms.api.LMSGetValue('cmi.core.lesson_status')") == "completed"
    popup.close()
    assert page.evaluate("lms.count('LMSInitialize')") == 1 and page.evaluate("lms.count('LMSFinish')") == 1


def test_standalone_without_an_lms(browser, site) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site["url"] + "/scorm12/tout/index.html")
    page.locator("html.cp-js").wait_for(state="attached")  # the script runs after the first paint
    page.locator("#cp-next").click()
    page.locator("#cp-next").click()
    page.locator("#q-vrai-faux label", has_text="Faux").click()
    page.locator("#q-vrai-faux .cp-check").click()
    assert "Bonne réponse." in page.locator("#q-vrai-faux .cp-feedback").text_content()
    page.close()
    assert errors == []


def test_keyboard_only(page) -> None:
    frame = launch(page, "scorm12")
    frame.locator("#cp-toc-toggle").focus()
    page.keyboard.press("Enter")
    assert frame.locator("#cp-toc-toggle").get_attribute("aria-expanded") == "true"
    assert frame.locator(".cp-toc a[data-page='0']").evaluate("el => document.activeElement === el")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # third page of the table of contents
    page.keyboard.press("Enter")
    assert frame.locator("#cp-progress-text").text_content() == "Page 3 sur 3"
    assert frame.locator("#h-quiz").evaluate("el => document.activeElement === el")
    frame.locator("#q-vrai-faux input[value='f']").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # a radio group is one tab stop: next is its "check" button
    page.keyboard.press("Enter")
    assert "Bonne réponse." in frame.locator("#q-vrai-faux .cp-feedback").text_content()
    close(page)


FOCUSED = ("() => { const e = document.activeElement; return e.id ? '#' + e.id : e.tagName.toLowerCase()"
           " + (e.getAttribute('href') ? '[' + e.getAttribute('href') + ']' : ''); }")


def test_keyboard_walk_focus(page) -> None:
    """Every stop of a keyboard-only walk: skip link, contents, help, pages, an answer, its feedback."""
    frame = launch(page, "scorm12")
    focused = lambda: frame.locator("html").evaluate(FOCUSED)  # noqa: E731

    def tab(expected: str) -> None:
        page.keyboard.press("Tab")
        assert focused() == expected

    frame.locator(".cp-skip").focus()
    assert focused() == "a[#cp-main]"
    tab("#cp-toc-toggle")
    tab("summary")  # « Besoin d'aide ? »
    page.keyboard.press("Enter")
    assert frame.locator("#cp-help").get_attribute("open") is not None
    tab("a[mailto:mediation@example.org]")
    tab("#cp-next")
    page.keyboard.press("Enter")
    assert focused() == "#h-milieu" and frame.locator("#cp-progress-text").text_content() == "Page 2 sur 3"
    tab("#cp-prev")
    tab("#cp-next")
    page.keyboard.press("Enter")
    assert focused() == "#h-quiz"
    tab("input")  # the first choice of the first question
    page.keyboard.press("Space")
    tab("button")  # its « Valider ma réponse »
    page.keyboard.press("Enter")
    assert frame.locator("#q-choix-unique .cp-feedback").evaluate("el => document.activeElement === el")
    assert "Bonne réponse." in frame.locator("#q-choix-unique .cp-feedback").text_content()
    close(page)
