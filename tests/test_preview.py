"""``coursepack preview`` in Chromium: the catalogue page, the simulator panel, live reload."""

from __future__ import annotations

import shutil
import time

import pytest

from conftest import COURSES
from packager.preview.server import PreviewServer


@pytest.fixture
def preview(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    server = PreviewServer(root).start()
    yield server, root
    server.close()


def test_catalogue_page(browser, preview) -> None:
    server, _root = preview
    page = browser.new_page()
    page.goto(server.url + "/")
    assert page.locator("h2").all_text_contents()[:2] == ["Par outil", "Par métier"]
    assert page.locator("#tool-messagerie").text_content() == "La messagerie électronique"
    assert page.locator("a[href='/play/messagerie/lire-ses-messages/']").count() == 4  # its tool course and three job paths
    assert page.locator("#job-agent-voirie + ol a").nth(1).text_content() == "Signaler un dépôt sauvage"
    assert page.locator("a[href='/play/agent-voirie/intro/']").count() == 1
    assert page.locator("#cp-problems").count() == 0
    page.close()


def test_simulator_panel_follows_the_module(browser, preview) -> None:
    server, _root = preview
    page = browser.new_page()
    page.goto(server.url + "/play/messagerie/lire-ses-messages/")
    frame = page.frame_locator("#sco")
    frame.locator("html.cp-js").wait_for(state="attached")
    page.wait_for_function("document.getElementById('sim-status').textContent === 'incomplete'")
    for _ in range(3):
        frame.locator("#cp-next").click()
    assert page.locator("#sim-location").text_content() == "3"
    frame.locator("#q-message-non-lu label", has_text="Il est écrit en gras.").click()
    frame.locator("#q-message-non-lu .cp-check").click()
    page.wait_for_function("document.getElementById('sim-interaction-count').textContent === '1'")
    assert page.locator("#sim-interactions li").first.text_content() == "message-non-lu : 0 (correct)"
    page.wait_for_function("document.getElementById('sim-statements').textContent.includes('answered')")
    statements = page.locator("#sim-statements li").all_text_contents()
    assert statements[0].startswith("initialized") and sum(s.startswith("experienced") for s in statements) == 4
    assert "answered · questions/message-non-lu · réussi" in statements
    page.close()


def test_edited_yaml_is_picked_up_without_restart(browser, preview) -> None:
    server, root = preview
    page = browser.new_page()
    page.goto(server.url + "/play/messagerie/lire-ses-messages/")
    frame = page.frame_locator("#sco")
    frame.locator("html.cp-js").wait_for(state="attached")
    assert frame.locator("#h-la-boite-de-reception").text_content() == "La boîte de réception"
    course = root / "outils" / "messagerie.yml"
    time.sleep(0.05)
    course.write_text(course.read_text(encoding="utf-8").replace("title: La boîte de réception", "title: Votre boîte de réception"),
                      encoding="utf-8")
    frame.locator("#h-la-boite-de-reception", has_text="Votre boîte de réception").wait_for(timeout=10000)

    course.write_text(course.read_text(encoding="utf-8").replace("duration_minutes: 45", "duration_minutes: beaucoup"),
                      encoding="utf-8")
    page.locator("#cp-problems").wait_for(timeout=10000)
    text = page.locator("#cp-problems").text_content()
    assert "outils/messagerie.yml:9:19" in text and "un nombre entier est attendu" in text
    page.close()


def test_reset_starts_again_from_nothing_and_a_reload_terminates_once(browser, preview) -> None:
    server, _root = preview
    page = browser.new_page()
    page.goto(server.url + "/play/messagerie/lire-ses-messages/")
    frame = page.frame_locator("#sco")
    frame.locator("html.cp-js").wait_for(state="attached")
    frame.locator("#cp-next").click()
    page.wait_for_function("document.getElementById('sim-location').textContent === '1'")
    page.reload()
    frame.locator("html.cp-js").wait_for(state="attached")
    assert frame.locator("#cp-progress-text").text_content() == "Page 2 sur 4"  # resumed
    page.wait_for_function("document.getElementById('sim-statements').textContent.includes('terminated')")
    page.wait_for_timeout(1500)
    shown = page.locator("#sim-statements li").all_text_contents()
    assert sum(s.startswith("terminated") for s in shown) == 1  # one reload, one terminated
    page.locator("#sim-reset").click()
    page.wait_for_load_state()
    frame.locator("html.cp-js").wait_for(state="attached")
    assert frame.locator("#cp-progress-text").text_content() == "Page 1 sur 4"
    page.wait_for_function("document.getElementById('sim-location').textContent === '0'")
    assert page.locator("#sim-interaction-count").text_content() == "0"
    page.wait_for_timeout(1200)
    assert not any(s.startswith("terminated") for s in page.locator("#sim-statements li").all_text_contents())
    page.close()
