"""The xAPI and cmi5 tracker when things go wrong: offline, a network blip, two tabs, a reload, a
Browse session before a Normal one, an LMS that refuses the statements of an ended session.
Played in Chromium against the strict cmi5 LMS of ``cmi5_lms`` in front of a real Ralph."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from browser_support import StaticServer
from cmi5_lms import ACTOR, MOVEON_CATEGORY, SESSION_ID, StrictLms, verb_of
from conftest import plain
from lrs_support import Ralph
from polling import poll
from test_lrs_packages import ACTIVITY, AUTH, BASE, packages, verbs
from test_player_e2e import answer

__all__ = ["packages"]


@pytest.fixture
def lms(packages, tmp_path) -> Iterator[StrictLms]:
    ralph = Ralph(tmp_path / "ralph")
    ralph.start()
    server = StrictLms(packages, ralph, ACTIVITY, BASE + "essai")
    yield server
    server.close()
    ralph.stop()


def session_statements(lms: StrictLms, sid: str, until: str = "terminated", timeout: float = 15) -> list[dict]:
    """What Ralph stored for one session, in order, once ``until`` is there (or the time is up)."""
    found = poll(lambda: [s for s in lms.ralph.statements() if s["context"].get("extensions", {}).get(SESSION_ID) == sid],
                 lambda found: any(verb_of(s) == until for s in found), timeout=timeout)
    return sorted(found, key=lambda s: s["timestamp"])


def wait_until(condition: Any, timeout: float = 10) -> None:
    assert poll(condition, timeout=timeout, every=0.1), "timed out"


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


def judged(found: list[dict]) -> list[str]:
    return [v for v in verbs(found) if v not in ("experienced", "answered")]


def test_cmi5_a_retry_passed_in_the_session_sends_passed_there(browser, lms) -> None:
    """Failed then passed in one session: passed in that session, and no failed (one of the two
    per session, §9.3); the next session sends neither again. The learner preferences are read."""
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
    assert judged(found) == ["initialized", "completed", "passed", "terminated"]
    page = started(context.new_page(), lms.launch())
    leave(page)
    assert judged(session_statements(lms, lms.current)) == ["initialized", "terminated"]
    assert lms.violations == [] and all(status == 403 for status, _verb in lms.refused)
    context.close()


def test_cmi5_a_failure_with_a_retry_left_is_sent_when_the_session_ends(browser, lms) -> None:
    """Failed with a retry left, and the learner leaves: failed, before terminated, in that
    session; passed at the next one. The moveOn category on every completed, passed and failed."""
    context = browser.new_context()
    page = started(context.new_page(), lms.launch())
    first = lms.current
    to_quiz(page)
    answer(page, right=False)
    leave(page)
    found = session_statements(lms, first)
    assert judged(found) == ["initialized", "completed", "failed", "terminated"]
    page = started(context.new_page(), lms.launch())
    page.locator("#cp-retry").click()
    answer(page, right=True)
    leave(page)
    second = session_statements(lms, lms.current)
    assert judged(second) == ["initialized", "passed", "terminated"]
    for statement in found + second:
        if verb_of(statement) in ("completed", "passed", "failed"):
            assert MOVEON_CATEGORY in [a["id"] for a in statement["context"]["contextActivities"]["category"]]
    assert lms.violations == [] and all(status == 403 for status, _verb in lms.refused)
    context.close()


def test_cmi5_the_last_attempt_failed_is_sent_at_once(browser, lms) -> None:
    context = browser.new_context()
    page = started(context.new_page(), lms.launch())
    to_quiz(page)
    answer(page, right=False)
    page.locator("#cp-retry").click()
    answer(page, right=False)  # no attempt left: the verdict is final
    assert judged(session_statements(lms, lms.current, until="failed")).count("failed") == 1
    leave(page)
    assert judged(session_statements(lms, lms.current)) == ["initialized", "completed", "failed", "terminated"]
    assert lms.violations == []
    context.close()


def test_cmi5_completed_once_per_registration_when_the_state_cannot_load(browser, lms) -> None:
    """Another device, and the LMS cannot give the resume state: the LRS's own statements, read
    back at start, keep a second completed and a second passed from going out."""
    context = browser.new_context()
    page = started(context.new_page(), lms.launch())
    to_quiz(page)
    answer(page, right=True)
    leave(page)
    assert judged(session_statements(lms, lms.current)) == ["initialized", "completed", "passed", "terminated"]
    other = browser.new_context()  # nothing in this browser
    other.route("**/lrs/activities/state?*stateId=coursepack-resume*",
                lambda route: route.fulfill(status=503) if route.request.method == "GET" else route.continue_())
    page = started(other.new_page(), lms.launch())
    assert page.locator("#cp-progress-text").text_content() == "Page 1 sur 3"  # the state did not come
    to_quiz(page)
    answer(page, right=True)
    leave(page)
    assert judged(session_statements(lms, lms.current)) == ["initialized", "terminated"]
    assert lms.violations == [] and lms.statement_reads >= 2
    other.close()
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


def test_cmi5_reload_keeps_the_work_and_sends_nothing_after_terminated(browser, lms) -> None:
    """A reload ends the session (terminated went out with the page, §9.3.8): the reloaded page
    fetches nothing, sends nothing, says so, and goes on where the learner was; what is done
    there is kept in the browser and reported by the next session."""
    context = browser.new_context()
    url = lms.launch()
    page = started(context.new_page(), url)
    page.locator("#cp-next").click()
    page.reload()
    page.locator("html.cp-js").wait_for(state="attached")
    assert lms.fetches == 1  # the token came from sessionStorage, not a second POST
    assert "session est terminée" in plain(page.locator("#cp-notice[role=alert]").text_content())
    assert page.locator("#cp-progress-text").text_content() == "Page 2 sur 3"  # where the learner was
    first = session_statements(lms, lms.current)
    waiting = set(queued(page))  # what the first session left on its way out, if anything
    page.locator("#cp-next").click()
    answer(page, right=True)
    assert page.locator("#cp-exit").is_visible()  # back to the LMS, to open a new session
    leave(page)
    assert len(session_statements(lms, lms.current)) == len(first)
    assert lms.refused == [] and lms.violations == []  # nothing sent after terminated
    assert set(queued(page)) <= waiting  # nothing queued by the reloaded page
    page = started(context.new_page(), lms.launch())  # the next session reports it
    assert page.locator("#cp-progress-text").text_content() == "Page 3 sur 3"
    assert page.locator("#q-choix-unique input[value='0']").is_checked()
    leave(page)
    assert judged(session_statements(lms, lms.current)) == ["initialized", "completed", "passed", "terminated"]
    assert lms.violations == []
    # the same launch link in another tab: the fetch URL answers error-code 1, said in French
    other = started(browser.new_context().new_page(), url)
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


def test_xapi_two_tabs_lose_no_statement(browser, packages, tmp_path) -> None:
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
        found = poll(lambda: verbs([s for s in ralph.statements() if s["context"].get("registration") == registration]),
                     lambda found: found.count("terminated") >= 2, timeout=30)
        assert found.count("initialized") == 3 and found.count("terminated") == 2
        assert found.count("experienced") >= 4  # page 1 and page 2 in each tab, then the third tab's page
        third.locator("#cp-next").click()  # a flush after the first one's answers are in
        wait_until(lambda: queued(third) == [])
        context.close()
    finally:
        ralph.stop()
        server.close()


def xapi_url(server: StaticServer, ralph: Ralph, registration: str) -> str:
    return (f"{server.url}/xapi/index.html?endpoint={quote(ralph.endpoint)}&auth={quote(AUTH)}"
            f"&actor={quote(json.dumps(ACTOR))}&registration={registration}&activity_id={quote(ACTIVITY)}")


def registration_verbs(ralph: Ralph, registration: str, settle: float = 3) -> list[str]:
    time.sleep(settle)  # what could still arrive, late
    return judged(sorted((s for s in ralph.statements() if s["context"].get("registration") == registration), key=lambda s: s["timestamp"]))


@pytest.fixture
def xapi_site(packages, tmp_path) -> Iterator[tuple[StaticServer, Ralph]]:
    server = StaticServer(packages)
    ralph = Ralph(tmp_path / "ralph", cors_origins=[server.url])
    ralph.start()
    yield server, ralph
    ralph.stop()
    server.close()


def test_xapi_two_tabs_of_one_registration_give_one_verdict(browser, xapi_site) -> None:
    """Tab 2 opened before tab 1 passes, then fails: the LRS holds one completed, one passed and
    no failed: the tabs share what has been sent."""
    server, ralph = xapi_site
    registration = str(uuid.uuid4())
    context = browser.new_context()
    first = started(context.new_page(), xapi_url(server, ralph, registration))
    second = started(context.new_page(), xapi_url(server, ralph, registration))
    for tab in (first, second):
        to_quiz(tab)
    answer(first, right=True)
    answer(second, right=False)
    for tab in (first, second):
        with tab.expect_event("close"):
            tab.close(run_before_unload=True)
    found = registration_verbs(ralph, registration)
    assert found.count("completed") == 1 and found.count("passed") == 1 and "failed" not in found, found
    context.close()


def test_xapi_another_device_reads_the_verdict_back_from_the_lrs(browser, xapi_site) -> None:
    """Passed on one device; on another (nothing in its browser, Ralph has no State API) the
    learner fails: the statements read back at start keep failed and a second completed out."""
    server, ralph = xapi_site
    registration = str(uuid.uuid4())
    context = browser.new_context()
    page = started(context.new_page(), xapi_url(server, ralph, registration))
    to_quiz(page)
    answer(page, right=True)
    page.goto("about:blank")
    wait_until(lambda: "passed" in registration_verbs(ralph, registration, settle=0))
    other = browser.new_context()
    page = started(other.new_page(), xapi_url(server, ralph, registration))
    to_quiz(page)
    answer(page, right=False)
    page.goto("about:blank")
    found = registration_verbs(ralph, registration)
    assert found.count("completed") == 1 and found.count("passed") == 1 and "failed" not in found, found
    other.close()
    context.close()
