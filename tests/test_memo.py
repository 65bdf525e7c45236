"""« Fiche mémo »: a catalogue module's steps, tips and warnings on one A4 page, printed to PDF by
Chromium, from the standalone page ``coursepack build`` writes and from the player's print view."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from browser_support import StaticServer, unpack
from conftest import COURSES, plain
from packager.packaging.pipeline import build_catalogue, memo_name, package_name
from packager.model.checks import validate_catalogue
from packager.model.format import QuizBlock, StepsBlock

CATALOGUE = validate_catalogue(COURSES)
UNIT = CATALOGUE.module("messagerie/lire-ses-messages")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("memo")
    build_catalogue(CATALOGUE, "scorm12", out / "dist", units=[UNIT])
    unpack(out / "dist" / package_name(UNIT, "scorm12"), out / "dist" / "package")
    return out / "dist"


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), plain(" ".join(p.extract_text() for p in reader.pages))


def steps_and_quiz() -> tuple[list[str], list[str]]:
    steps = [s.text for p in UNIT.module.pages for b in p.blocks if isinstance(b, StepsBlock) for s in b.steps]
    prompts = [q.prompt for p in UNIT.module.pages for b in p.blocks if isinstance(b, QuizBlock) for q in b.quiz.questions]
    return steps, prompts


def words(text: str) -> str:
    """Markdown's emphasis, spaces and the PDF's line breaks (even inside a word) apart."""
    return "".join(unicodedata.normalize("NFKC", plain(text)).replace("*", "").replace("`", "").replace("-", "").split())


@pytest.mark.parametrize("source", ["standalone", "player"])
def test_memo_prints_on_one_page_with_the_steps_not_the_quiz(browser, built, source) -> None:
    server = StaticServer(built)
    try:
        page = browser.new_page()
        page.goto(f"{server.url}/{memo_name(UNIT) if source == 'standalone' else 'package/index.html'}")
        pages, text = pdf_text(page.pdf(format="A4"))
        page.close()
    finally:
        server.close()
    steps, prompts = steps_and_quiz()
    assert steps and prompts
    assert pages == 1
    flat = words(text)
    for step in steps:
        assert words(step)[:40] in flat, step
    for prompt in prompts:
        assert words(prompt) not in flat, prompt
    assert UNIT.module.title in text and UNIT.course.title.split(" ")[0] in text
    assert "mediation.numerique@cctroisvallees.fr" in flat
    assert "Page suivante" not in text and "Valider ma réponse" not in text and "Question 1 sur" not in text


def test_print_button_opens_the_print_dialog(browser, built) -> None:
    server = StaticServer(built)
    try:
        page = browser.new_page()
        page.goto(f"{server.url}/package/index.html")
        page.locator("html.cp-js").wait_for(state="attached")  # the script runs after the first paint
        page.evaluate("window.print = () => { window.printed = true; }")
        while page.locator("#cp-next").is_visible():
            page.locator("#cp-next").click()
        page.locator("#cp-print").click()
        assert page.evaluate("window.printed") is True
        page.close()
    finally:
        server.close()


def test_every_catalogue_memo_fits_one_page(browser, tmp_path) -> None:
    build_catalogue(CATALOGUE, "scorm12", tmp_path)
    page = browser.new_page()
    too_long = []
    for unit in CATALOGUE.modules():
        page.goto((tmp_path / memo_name(unit)).as_uri())
        if pdf_text(page.pdf(format="A4"))[0] != 1:
            too_long.append(unit.key)
    page.close()
    assert too_long == []
