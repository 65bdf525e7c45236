"""The xAPI and cmi5 tracker when things go wrong: offline, a network blip, two tabs, a reload, a
Browse session before a Normal one, an LMS that refuses the statements of an ended session.
Played in Chromium against the strict cmi5 LMS of ``cmi5_lms`` in front of a real Ralph."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Iterator
from urllib.parse import quote

import pytest

from browser_support import StaticServer
from cmi5_lms import ACTOR, MOVEON_CATEGORY, SESSION_ID, StrictLms, verb_of
from conftest import plain
from lrs_support import Ralph
from test_lrs_packages import ACTIVITY, AUTH, BASE, packages, verbs  # noqa: F401 - the packages fixture
from test_player_e2e import answer

__all__ = ["packages"]


@pytest.fixture
def lms(packages, tmp_path) -> Iterator[StrictLms]:  # noqa: F811
    ralph = Ralph(tmp_path / "ralph")
    ralph.start()
    server = StrictLms(packages, ralph, ACTIVITY, BASE + "essai")
    yield server
    server.close()
    ralph.stop()


def session_statements(lms: StrictLms, sid: str, until: str = "terminated", timeout: float = 15) -> list[dict]:
    """What Ralph stored for one session, in order, once ``until`` is there (or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [s for s in lms.ralph.statements() if s["context"].get("extensions", {}).get(SESSION_ID) == sid]
        if any(verb_of(s) == until for s in found) or time.monotonic() > deadline:
            return sorted(found, key=lambda s: s["timestamp"])
        time.sleep(0.2)


def wait_until(condition: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def started(page: Any, url: str) -> Any:
    page.goto(url)
    page.locator("html.cp-js").wait_for(state="attached")
    return page


def to_quiz(page: Any) -> None:
    page.locator("#cp-next").click()
    page.locator("#cp-next").click()


def leave(page: Any) -> None:
    page.locator("#cp-exit").click()
    page.wait_for_url("**/returned.html")


def queued(page: Any) -> list[str]:
    """Ids of the statements still waiting in this browser."""
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('coursepack-queue:'))"
                         ".flatMap(k => JSON.parse(localStorage.getItem(k)).map(s => s.id))")


def test_cmi5_session_rules_moveon_and_one_judgement(browser, lms) -> None:
    """Failed then passed in one session: only failed (§9.3); passed comes at the next session;
    completed once per registration; the moveOn category on every completed, passed and failed."""
    context = browser.new_context()
    lms.preferences = {"languagePreference": "fr-FR,en-US", "audioPreference": "off"}
    page = started(context.new_page(), lms.launch())
    assert lms.preference_reads == 1 and page.locator("html").get_attribute("data-cp-audio") == "off"  # §11
    first = lms.current
    to_quiz(page)
    answer(page, right=False)
    page.locator("#cp-retry").click()
    answer(page, right=True)
    leave(page)
    found = session_statements(lms, first)
    assert lms.violations == [] and lms.refused == []
    assert [v for v in verbs(found) if v not in ("experienced", "answered")] == ["initialized", "completed", "failed", "terminated"]
    for statement in found:
        if verb_of(statement) in ("completed", "failed"):
            assert MOVEON_CATEGORY in [a["id"] for a in statement["context"]["contextActivities"]["category"]]
    page = started(context.new_page(), lms.launch())
    leave(page)
    second = session_statements(lms, lms.current)
    assert [v for v in verbs(second) if v not in ("experienced", "answered")] == ["initialized", "passed", "terminated"]
    # what the first session sent on its way out (keepalive, answer unseen) is offered again: refused, dropped
    assert lms.violations == [] and all(status == 403 for status, _verb in lms.refused)
    context.close()


def test_cmi5_browse_answers_never_count_later(browser, lms) -> None:
    context = browser.new_context()
    page = started(context.new_page(), lms.launch(mode="Browse"))
    to_quiz(page)
    answer(page, right=True)
    leave(page)
    session_statements(lms, lms.current)
    page = started(context.new_page(), lms.launch())
    assert page.locator("#cp-progress-text").text_content() == "Page 1 sur 3"
    leave(page)
    found = verbs(session_statements(lms, lms.current))
    assert found[0] == "initialized" and found[-1] == "terminated"
    assert not {"completed", "passed", "failed"} & set(found)
    assert lms.violations == []
    context.close()


def test_cmi5_reload_fetches_once_and_says_the_session_ended(browser, lms) -> None:
    context = browser.new_context()
    url = lms.launch()
    page = started(context.new_page(), url)
    page.locator("#cp-next").click()
    page.reload()
    page.locator("html.cp-js").wait_for(state="attached")
    assert lms.fetches == 1  # the token came from sessionStorage, not a second POST
    assert "session est terminée" in plain(page.locator("#cp-notice[role=alert]").text_content())
    session_statements(lms, lms.current)
    assert lms.refused == [] and lms.violations == []  # nothing sent after terminated
    # the same launch link in another tab: the fetch URL answers error-code 1, said in French
    other = started(browser.new_context().new_page(), url)
    assert lms.fetches == 2
    assert "Ce lien a déjà servi" in plain(other.locator("#cp-notice").text_content())
    other.context.close()
    context.close()


def test_cmi5_refused_statements_of_an_ended_session_block_nothing(browser, lms) -> None:
    """Statements left in the browser by a session the LMS has ended are refused (403) and leave
    the queue; the next session's statements all arrive."""
    context = browser.new_context()
    lms.down = True
    page = started(context.new_page(), lms.launch())
    page.locator("#cp-next").click()
    leave(page)
    left = queued(page)
    assert len(left) >= 3  # initialized, experienced, terminated: still in this browser
    lms.down = False
    page = started(context.new_page(), lms.launch())
    page.locator("#cp-next").click()
    leave(page)
    found = verbs(session_statements(lms, lms.current))
    assert found[0] == "initialized" and found[-1] == "terminated" and "experienced" in found
    assert lms.refused and all(status == 403 for status, _verb in lms.refused)
    wait_until(lambda: not set(left) & set(queued(page)))  # refused for good: out of the queue
    assert lms.violations == []
    context.close()


def test_cmi5_state_survives_a_network_blip(browser, lms) -> None:
    """One State PUT lost on the way: the next ones still go, and another device resumes."""
    context = browser.new_context()
    lost: list[str] = []

    def drop_first(route: Any) -> None:
        if route.request.method == "PUT" and not lost:
            lost.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/lrs/activities/state*", drop_first)
    page = started(context.new_page(), lms.launch())
    to_quiz(page)
    answer(page, right=True)
    leave(page)
    assert lost
    wait_until(lambda: (lms.resume_state() or {}).get("location") == "2")
    other = browser.new_context()  # another device: nothing in its browser
    page = started(other.new_page(), lms.launch())
    assert page.locator("#cp-progress-text").text_content() == "Page 3 sur 3"
    assert page.locator("#q-choix-unique input[value='0']").is_checked()
    other.close()
    context.close()


def test_cmi5_newer_browser_copy_beats_a_stale_lms_document(browser, lms) -> None:
    """Offline after page 1: the LMS keeps page 1, the browser knows better; at relaunch the
    newer copy wins, and the LMS gets it."""
    context = browser.new_context()
    page = started(context.new_page(), lms.launch())
    wait_until(lambda: (lms.resume_state() or {}).get("location") == "0")
    context.route("**/lrs/**", lambda route: route.abort())  # offline
    to_quiz(page)
    answer(page, right=True)
    leave(page)
    context.unroute("**/lrs/**")
    assert (lms.resume_state() or {}).get("location") == "0"  # stale
    page = started(context.new_page(), lms.launch())
    assert page.locator("#cp-progress-text").text_content() == "Page 3 sur 3"
    assert page.locator("#q-vrai-faux input[value='f']").is_checked()
    wait_until(lambda: (lms.resume_state() or {}).get("location") == "2")
    leave(page)
    context.close()


def test_xapi_two_tabs_lose_no_statement(browser, packages, tmp_path) -> None:  # noqa: F811
    """Two tabs of one module while the LRS is unreachable: both tabs' statements survive in the
    shared queue and all reach the LRS at the next launch."""
    server = StaticServer(packages)
    ralph = Ralph(tmp_path / "ralph", cors_origins=[server.url])  # not started: nothing answers
    try:
        registration = str(uuid.uuid4())
        url = (f"{server.url}/xapi/index.html?endpoint={quote(ralph.endpoint)}&auth={quote(AUTH)}"
               f"&actor={quote(json.dumps(ACTOR))}&registration={registration}&activity_id={quote(ACTIVITY)}")
        context = browser.new_context()
        first = started(context.new_page(), url)
        second = started(context.new_page(), url)
        first.locator("#cp-next").click()
        second.locator("#cp-next").click()
        for tab in (first, second):  # each leaves: terminated, queued
            with tab.expect_event("close"):
                tab.close(run_before_unload=True)
        probe = context.new_page()
        probe.goto(server.url + "/returned.html")
        waiting = probe.evaluate("Object.keys(localStorage).filter(k => k.startsWith('coursepack-queue:'))"
                                 ".flatMap(k => JSON.parse(localStorage.getItem(k)).map(s => s.verb.id.split('/').pop()))")
        assert waiting.count("initialized") == 2 and waiting.count("terminated") == 2  # merged, not overwritten
        ralph.start()
        third = started(context.new_page(), url)
        deadline = time.monotonic() + 30
        while True:
            found = verbs([s for s in ralph.statements() if s["context"].get("registration") == registration])
            if found.count("terminated") >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert found.count("initialized") == 3 and found.count("terminated") == 2
        assert found.count("experienced") >= 4  # page 1 and page 2 in each tab, then the third tab's page
        third.locator("#cp-next").click()  # a flush after the first one's answers are in
        wait_until(lambda: queued(third) == [])
        context.close()
    finally:
        ralph.stop()
        server.close()
