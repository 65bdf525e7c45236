"""xAPI and cmi5 packages: manifests against the official schemas, and the player in Chromium
sending statements to a real Ralph LRS."""

from __future__ import annotations

import base64
import json
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from browser_support import StaticServer, unpack
from cmi5_lms import StrictLms
from conftest import plain
from lrs_support import PASSWORD, USERNAME, Ralph
from packager.packaging.pipeline import build_catalogue
from polling import poll
from test_build import xsd_validate
from test_player_e2e import answer, essai_catalogue

CMI5 = "https://w3id.org/xapi/cmi5/context/"
BASE = "https://formation.example.org/xapi/"
ACTIVITY = BASE + "essai/tout"
AUTH = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
ACTOR = {"objectType": "Agent", "name": "Agent Un", "mbox": "mailto:agent1@example.org"}


@pytest.mark.parametrize("fmt, schema, manifest", [("xapi", "tincan", "tincan.xml"), ("cmi5", "cmi5", "cmi5.xml")])
def test_manifests_validate(tmp_path, courses_dist, fmt, schema, manifest) -> None:
    dist = courses_dist(fmt)
    for package in sorted(dist.glob("*.zip")):
        archive = zipfile.ZipFile(package)
        assert xsd_validate(archive.read(manifest), schema, tmp_path) == [], package.name
        assert "player/tracker-xapi.js" in archive.namelist()
    cmi5 = zipfile.ZipFile(dist / f"messagerie.lire-ses-messages.{fmt}.zip").read(manifest).decode()
    # French text is tagged French only, in the packages and in the activity definitions
    activities = (dist / "xapi-activities.json").read_text(encoding="utf-8")
    assert '"en-US"' not in activities and '"fr-FR"' in activities
    if fmt == "cmi5":
        course_ids = [re.search(r'<course id="([^"]+)"', zipfile.ZipFile(p).read(manifest).decode()).group(1)
                      for p in sorted(dist.glob("*.zip"))]
        assert len(set(course_ids)) == len(course_ids)  # one course id per package (§13.1.1)
        assert 'moveOn="CompletedAndPassed" masteryScore="0.75"' in cmi5
        intro = zipfile.ZipFile(dist / "agent-voirie.intro.cmi5.zip").read(manifest).decode()
        assert 'moveOn="Completed"' in intro and "masteryScore" not in intro
    else:
        assert 'id="https://formation.cc-troisvallees.fr/xapi/messagerie/lire-ses-messages"' in cmi5


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lrs-packages")
    catalogue = essai_catalogue(root / "catalogue")
    web = root / "web"
    for fmt in ("xapi", "cmi5"):
        build_catalogue(catalogue, fmt, root / "dist")
        unpack(root / "dist" / f"essai.tout.{fmt}.zip", web / fmt)
    (web / "returned.html").write_text("<!DOCTYPE html><title>LMS</title><p>Retour au LMS</p>", encoding="utf-8")
    return web


def wait_for(ralph: Ralph, registration: str, *wanted: str, timeout: float = 15) -> list[dict]:
    """The registration's statements once every verb in ``wanted`` is stored, in the order the
    learner's events happened: a statement still on the wire when the page went away is sent
    again on its own, so it may be stored after "terminated"."""
    found = poll(lambda: [s for s in ralph.statements() if s.get("context", {}).get("registration") == registration],
                 lambda found: set(wanted) <= set(verbs(found)), timeout=timeout)
    return sorted(found, key=lambda s: (s["timestamp"], s["stored"]))


def verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def walk_and_answer(page: Any) -> None:
    page.locator("html.cp-js").wait_for(state="attached")
    page.locator("#cp-next").click()
    page.locator("#cp-next").click()
    answer(page, right=True)


def test_xapi_package_sends_statements_to_ralph(browser, packages, tmp_path) -> None:
    server = StaticServer(packages)
    ralph = Ralph(tmp_path / "ralph", cors_origins=[server.url])
    ralph.start()
    try:
        registration = str(uuid.uuid4())
        url = (f"{server.url}/xapi/index.html?endpoint={quote(ralph.endpoint)}&auth={quote(AUTH)}"
               f"&actor={quote(json.dumps(ACTOR))}&registration={registration}&activity_id={quote(ACTIVITY)}")
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url)
        walk_and_answer(page)
        assert "Votre score : 100 %." in plain(page.locator("#cp-quiz-result").text_content())
        page.goto("about:blank")  # pagehide: terminated, sent with keepalive
        stored = wait_for(ralph, registration, "terminated", "completed", "passed")
        found = verbs(stored)
        assert found[0] == "initialized" and found[-1] == "terminated"
        assert found.count("experienced") == 3 and found.count("answered") == 6
        assert found.count("completed") == 1 and found.count("passed") == 1
        for statement in stored:
            BaseXapiStatement.model_validate(statement)
            assert statement["actor"]["mbox"] == ACTOR["mbox"]
        passed = next(s for s in stored if s["verb"]["id"].endswith("/passed"))
        assert passed["object"]["id"] == ACTIVITY and passed["result"]["score"]["scaled"] == 1
        answered = [s for s in stored if s["verb"]["id"].endswith("/answered")]
        assert answered[0]["object"]["definition"]["interactionType"] == "choice"
        assert answered[0]["result"] == {**answered[0]["result"], "response": "0", "success": True}
        assert {s["object"]["id"] for s in stored if s["verb"]["id"].endswith("/experienced")} == {
            BASE + "essai/tout/pages/" + p for p in ("debut", "milieu", "quiz")}
        # pages and answers name their module as the parent, and the attempt (docs/report.md)
        for part in (s for s in stored if s["verb"]["id"].endswith(("/experienced", "/answered"))):
            assert part["context"]["contextActivities"]["parent"] == [{"objectType": "Activity", "id": BASE + "essai/tout"}]
            assert part["context"]["registration"] == registration
        assert errors == []

        # Ralph has no State API: the player resumes from this browser instead
        page.goto(url)
        page.locator("html.cp-js").wait_for(state="attached")
        assert page.locator("#cp-progress-text").text_content() == "Page 3 sur 3"
        assert page.locator("#q-choix-unique input[value='0']").is_checked()
        context.close()
    finally:
        ralph.stop()
        server.close()


def run_cmi5(browser: Any, packages: Path, tmp_path: Path, launch_mode: str) -> tuple[list[dict], StrictLms, str]:
    ralph = Ralph(tmp_path / "ralph")
    ralph.start()
    lms = StrictLms(packages, ralph, ACTIVITY, BASE + "essai")
    try:
        page = browser.new_page()
        page.goto(lms.launch(launch_mode))
        walk_and_answer(page)
        page.locator("#cp-exit").click()
        page.wait_for_url("**/returned.html")
        final_url = page.url
        page.close()
        return wait_for(ralph, lms.registration, "terminated"), lms, final_url
    finally:
        lms.close()
        ralph.stop()


def test_cmi5_launch_sequence_and_rules(browser, packages, tmp_path) -> None:
    stored, launcher, final_url = run_cmi5(browser, packages, tmp_path, "Normal")
    assert final_url.endswith("/returned.html")  # returnURL honoured at exit
    assert launcher.fetches == 1
    found = verbs(stored)
    assert found[0] == "initialized" and found[-1] == "terminated"
    assert found.count("completed") == 1 and found.count("passed") == 1 and "failed" not in found
    for verb, statement in zip(found, stored, strict=False):
        BaseXapiStatement.model_validate(statement)
        context = statement["context"]
        assert context["registration"] == launcher.registration
        assert context["extensions"][CMI5 + "extensions/sessionid"] == launcher.current
        assert {"id": BASE + "essai"} in [{"id": a["id"]} for a in context["contextActivities"]["grouping"]]
        categories = [a["id"] for a in context["contextActivities"].get("category", [])]
        cmi5_defined = verb in ("initialized", "completed", "passed", "failed", "terminated")
        assert (CMI5 + "categories/cmi5" in categories) == cmi5_defined
        if "score" in statement.get("result", {}):  # a score only where something is judged: of the
            # statements cmi5 defines, only passed and failed may carry one (cmi5 9.5.4.1); answered too
            assert verb in ("passed", "failed", "answered"), verb
    passed = next(s for s in stored if s["verb"]["id"].endswith("/passed"))
    assert passed["result"]["score"]["scaled"] == 1 and passed["result"]["success"] is True
    assert passed["context"]["extensions"][CMI5 + "extensions/masteryscore"] == 0.8
    assert CMI5 + "categories/moveon" in [a["id"] for a in passed["context"]["contextActivities"]["category"]]


def test_cmi5_browse_mode_sends_no_completion(browser, packages, tmp_path) -> None:
    stored, _launcher, _url = run_cmi5(browser, packages, tmp_path, "Browse")
    found = verbs(stored)
    assert found[0] == "initialized" and found[-1] == "terminated"
    assert not {"completed", "passed", "failed"} & set(found)


def test_xapi_statements_wait_while_the_lrs_is_unreachable(browser, packages, tmp_path) -> None:
    """A phone without network in the field: statements queue up and leave when the LRS is back."""
    server = StaticServer(packages)
    ralph = Ralph(tmp_path / "ralph", cors_origins=[server.url])  # not started yet: nothing answers
    try:
        registration = str(uuid.uuid4())
        url = (f"{server.url}/xapi/index.html?endpoint={quote(ralph.endpoint)}&auth={quote(AUTH)}"
               f"&actor={quote(json.dumps(ACTOR))}&registration={registration}&activity_id={quote(ACTIVITY)}")
        page = browser.new_page()
        page.goto(url)
        walk_and_answer(page)
        queued = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('coursepack-queue:'))"
                               ".map(k => JSON.parse(localStorage.getItem(k)).length)")
        assert queued and queued[0] >= 1 + 3 + 6  # initialized, pages, answers: all still waiting
        ralph.start()
        found = verbs(wait_for(ralph, registration, "passed", timeout=30))
        assert found[0] == "initialized" and found.count("answered") == 6 and "passed" in found
        page.close()
    finally:
        ralph.stop()
        server.close()
