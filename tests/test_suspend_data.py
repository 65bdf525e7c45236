"""SCORM 1.2's 4,096 characters of suspend data: the validator's bound is the player's own
encoder run on the worst case, checked at exactly 4,096 (accepted) and 4,097 (refused), and the
player really writes that worst case, character for character, accepted by scorm-again (which,
unlike Moodle's runtime, does not itself enforce the 4,096 limit). And a title holding
``<!--<script>`` (which the page's embedded JSON once let through) plays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser_support import StaticServer, harness_site, unpack
from conftest import SETTINGS, dedent
from packager.packaging.pipeline import build_catalogue
from packager.model.checks import validate_catalogue
from packager.model.resume import SCORM12_SUSPEND_DATA_MAX, max_suspend_data_length

FILL_INS = 22


def course(extra_choices: int) -> str:
    """22 fill-ins (180 characters each at worst) and three multiple choices: 4,095 + extra_choices - 29."""
    questions = [f"{{id: f{i}, type: fill_in, prompt: Saisie {i}, answers: [a]}}" for i in range(FILL_INS)]
    for k, count in enumerate((36, 36, extra_choices)):
        choices = ", ".join(f"{{text: c{j}{', correct: true' if j == 0 else ''}}}" for j in range(count))
        questions.append(f"{{id: m{k}, type: multiple, prompt: Choix {k}, choices: [{choices}]}}")
    return dedent(f"""\
        kind: tool
        id: limite
        title: Limite
        summary: Au plus juste.
        duration_minutes: 5
        audience: Tests
        completion: {{rule: quiz, mastery_score: 80}}
        modules:
          - id: quiz
            title: Quiz
            pages:
              - id: q
                title: Quiz
                blocks:
                  - quiz: {{questions: [{", ".join(questions)}]}}
        """)


def catalogue_with(root: Path, extra_choices: int) -> Any:
    (root / "outils").mkdir(parents=True, exist_ok=True)
    (root / "catalogue.yml").write_text(SETTINGS, encoding="utf-8")
    (root / "outils" / "limite.yml").write_text(course(extra_choices), encoding="utf-8")
    return validate_catalogue(root)


def worst_case(catalogue: Any) -> int:
    unit = catalogue.module("limite/quiz")
    return max_suspend_data_length(len(unit.module.pages), list(unit.module.pages[0].blocks[0].quiz.questions))


@pytest.mark.parametrize("extra, size, accepted", [(29, 4096, True), (30, 4097, False)])
def test_validator_bound_at_4096_and_4097(tmp_path, extra, size, accepted) -> None:
    catalogue = catalogue_with(tmp_path / "cat", extra)
    assert worst_case(catalogue) == size
    codes = [p.code for p in catalogue.problems]
    assert ("scorm12.suspend_data" not in codes) == accepted, codes


def worst_state(questions: int) -> str:
    """What the player writes at worst for the 4,096 module: 'zz' attempts, 100 %, every field full."""
    fill = "%7C" * 60
    multiples = ["0123456789abcdefghijklmnopqrstuvwxyz"] * 2 + ["0123456789abcdefghijklmnopqrs"]
    return "1|1|zz.100~" + ";".join([fill] * FILL_INS + multiples)


def test_the_player_writes_the_worst_case_and_scorm_again_keeps_it(browser, tmp_path) -> None:
    catalogue = catalogue_with(tmp_path / "cat", 29)
    assert catalogue.problems == []
    web = harness_site(tmp_path / "web")
    build_catalogue(catalogue, "scorm12", tmp_path / "dist")
    unpack(tmp_path / "dist" / "limite.quiz.scorm12.zip", web / "limite")
    server = StaticServer(web)
    try:
        page = browser.new_page()
        page.goto(server.url + "/harness.html")
        state = worst_state(FILL_INS + 3)
        assert len(state) == SCORM12_SUSPEND_DATA_MAX == worst_case(catalogue)
        initial = {"core": {"entry": "resume", "lesson_location": "0"}, "suspend_data": state}
        page.evaluate("([src, init]) => lms.launch('12', src, init)", ["limite/index.html", initial])
        frame = page.frame_locator("#sco")
        frame.locator("html.cp-js").wait_for(state="attached")
        assert frame.locator("#q-f0 input").input_value() == "|" * 60  # decoded by the player
        frame.locator("#cp-toc-toggle").click()  # any save: the player encodes its state again
        page.evaluate("lms.close()")
        page.wait_for_function("document.getElementById('sco').contentWindow.location.href === 'about:blank'")
        assert page.evaluate("lms.cmi().suspend_data") == state  # the same encoder, character for character
        assert page.evaluate("lms.errors") == []
        page.close()
    finally:
        server.close()


def test_a_title_with_comment_and_script_plays(browser, tmp_path) -> None:
    root = tmp_path / "cat"
    (root / "outils").mkdir(parents=True)
    (root / "catalogue.yml").write_text(SETTINGS, encoding="utf-8")
    (root / "outils" / "piege.yml").write_text(dedent("""\
        kind: tool
        id: piege
        title: "Cours <!--<script>"
        summary: "Résumé </script> & <b>"
        duration_minutes: 5
        audience: Tests
        modules:
          - id: module
            title: "Module <!--<script>"
            pages:
              - {id: un, title: "Page <!--<script>", blocks: [{text: "Texte <!--<script> & </script>"}]}
              - {id: deux, title: "Deux", blocks: [{quiz: {questions: [{id: q, type: true_false, prompt: "Vrai <!--<script>", answer: true}]}}]}
        """), encoding="utf-8")
    catalogue = validate_catalogue(root)
    assert catalogue.errors == []
    assert {p.code for p in catalogue.problems} == {"text.html"}  # the markup shows as written: the author is told
    for fmt in ("scorm12", "cmi5"):
        build_catalogue(catalogue, fmt, tmp_path / "dist")
        unpack(tmp_path / "dist" / f"piege.module.{fmt}.zip", tmp_path / "web" / fmt)
    server = StaticServer(tmp_path / "web")
    try:
        for fmt in ("scorm12", "cmi5"):
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            page.goto(f"{server.url}/{fmt}/index.html")
            page.locator("html.cp-js").wait_for(state="attached", timeout=5000)
            assert page.locator("#h-un").text_content() == "Page <!--<script>"
            page.locator("#cp-next").click()
            page.locator("#q-q label", has_text="Vrai").click()
            page.locator("#q-q .cp-check").click()
            assert "Bonne réponse." in page.locator("#q-q .cp-feedback").text_content()
            assert errors == []
            page.close()
    finally:
        server.close()
