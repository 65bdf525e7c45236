"""``coursepack sync``: Moodle double → xAPI statements → a real Ralph LRS, and a strict LRS front
that answers as ADL's reference LRS does, with faults injected."""

from __future__ import annotations

import copy
import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from ralph.models.xapi.base.statements import BaseXapiStatement

from conftest import COURSES
from lrs_support import PASSWORD, USERNAME, ralph, strict_lrs  # noqa: F401 - fixtures
from moodle_double import MoodleDouble, PLUGIN_FUNCTIONS, PLUGIN_VERSION, published
from packager.cli import cli
from packager.lrs.client import LrsClient, LrsError, LrsUnavailable
from packager.model.checks import validate_catalogue
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.sync import results as results_module
from packager.sync.engine import SyncState, sync
from packager.sync.statements import NAMESPACE, ActorPolicy, _learner, registration, scored_text, statement_id
from packager.utils.retry import Retry

TOKEN = "abcdefabcdefabcdefabcdefabcdef12"
#: The learners' attempts were made a day ago, whatever the date: sync reads nothing newer than
#: Moodle's clock (the real one, in the double) minus its margin, so fixed dates would make the
#: tests depend on the day they run.
T0 = int(time.time()) - 86400
BASE = "https://formation.cc-troisvallees.fr/xapi/"
QUICK = Retry(1, backoff_factor=0, sleep=lambda _s: None)

#: (user, course, module, attempt, tracks, time, completion state) → expected verb, scaled score
ATTEMPTS = [
    (3, "messagerie", "messagerie/lire-ses-messages", 1,
     {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "100", "cmi.core.score.min": "0", "cmi.core.score.max": "100",
      "cmi.core.total_time": "0000:12:30.00"}, T0, 1, ("passed", 1.0)),
    (3, "agent-collecte-dechets", "conges-absences/poser-un-conge", 1,
     {"cmi.core.lesson_status": "failed", "cmi.core.score.raw": "40", "cmi.core.score.min": "0", "cmi.core.score.max": "100",
      "cmi.core.total_time": "00:05:00.00"}, T0 + 10, 0, ("failed", 0.4)),
    (3, "agent-collecte-dechets", "conges-absences/poser-un-conge", 2,
     {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "80", "cmi.core.score.min": "0", "cmi.core.score.max": "100",
      "cmi.core.total_time": "00:04:00.00"}, T0 + 20, 1, ("passed", 0.8)),
    (4, "agent-voirie", "agent-voirie/intro", 1, {"cmi.core.lesson_status": "completed", "cmi.core.total_time": "00:01:10.00"},
     T0 + 30, 1, ("completed", None)),
    (4, "messagerie", "messagerie/ecrire-un-message", 1, {"cmi.core.lesson_status": "incomplete"}, T0 + 40, 0, ("attempted", None)),
    (4, "signalements", "signalements/signaler-un-depot-sauvage", 1,
     {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90", "cmi.core.score.min": "0", "cmi.core.score.max": "100",
      "cmi.core.total_time": "00:09:00.00"}, T0 + 40, 1, ("passed", 0.9)),
]
USERS = {3: ("agent1", "M001", "agent1@example.org"), 4: ("agent2", "M002", "agent2@example.org")}
EXPECTED = {(USERS[u][0], m, a, o[0]) for u, _c, m, a, _t, _w, _s, o in ATTEMPTS if o[0]}


@pytest.fixture
def moodle(tmp_path, monkeypatch):
    """The catalogue published to the double, and learners' attempts recorded in it."""
    double, served = published(tmp_path, monkeypatch, TOKEN)
    for ident, (username, idnumber, email) in USERS.items():
        double.add_user(ident, username, idnumber, email)
    for user, course, module, attempt, tracks, when, state, _ in ATTEMPTS:
        double.add_attempt(user, f"coursepack:{course}", f"coursepack:{module}", attempt, tracks, when, state)
    yield served
    served.close()


def run_sync(moodle, lrs, tmp_path, *extra: str):
    env = {"LRS_ENDPOINT": lrs.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    result = CliRunner(env=env).invoke(cli, ["sync", "--moodle-url", moodle.url, "--state", str(tmp_path / "sync.json"), *extra])
    assert TOKEN not in result.output and PASSWORD not in result.output
    assert "Traceback" not in result.output, result.output
    return result


def fact(statement: dict) -> tuple:
    """(learner, module, attempt, verb) of one of our statements, read back from what it states."""
    actor = statement["actor"]
    learner = actor["account"]["name"] if "account" in actor else actor["mbox"]
    module = statement["object"]["id"][len(BASE):]
    return learner, module, statement["context"]["registration"], statement["verb"]["id"].rsplit("/", 1)[-1]


def facts(statements: list[dict]) -> set[tuple]:
    """(learner, module, verb) of each statement, with a count check that no fact is there twice."""
    found = [(f[0], f[1], f[3]) for f in map(fact, statements)]
    return set(found)


def unique(statements: list[dict]) -> bool:
    ids = [s["id"] for s in statements]
    return len(ids) == len(set(ids))


EXPECTED_FACTS = {(learner, module, verb) for learner, module, _a, verb in EXPECTED}


def test_sync_sends_exactly_the_expected_statements(moodle, ralph, tmp_path) -> None:  # noqa: F811
    result = run_sync(moodle, ralph, tmp_path)
    assert result.exit_code == 0, result.output
    assert "6 déclarations envoyées, 0 déjà dans le LRS, pour 6 résultats Moodle (0 sans déclaration)." in result.output
    stored = ralph.statements()
    assert len(stored) == 6 and unique(stored)
    by_fact = {(f[0], f[1], f[3]): s for s, f in ((s, fact(s)) for s in stored)}
    assert set(by_fact) == EXPECTED_FACTS
    cms = {cm["idnumber"][len("coursepack:"):] + "@" + moodle.double.courses[cm["course"]]["idnumber"]: cm["id"]
           for cm in moodle.double.cms.values()}
    for user, course, module, _attempt, _tracks, when, _state, (verb, scaled) in ATTEMPTS:
        if verb is None:
            continue
        statement = by_fact[(USERS[user][0], module, verb)]
        BaseXapiStatement.model_validate(statement)  # Ralph's own strict xAPI model
        assert statement["actor"]["account"] == {"name": USERS[user][0], "homePage": moodle.url}
        assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/module"
        assert statement.get("result", {}).get("score", {}).get("scaled") == scaled
        if verb in ("passed", "failed"):
            assert statement["result"]["success"] is (verb == "passed")
        context = statement["context"]
        assert context["platform"] == "Moodle" and context["language"] == "fr-FR"
        cmid = cms[f"{module}@coursepack:{course}"]
        assert [a["id"] for a in context["contextActivities"]["other"]] == [f"{moodle.url}/mod/scorm/view.php?id={cmid}"]
        assert [a["id"] for a in context["contextActivities"]["parent"]] == [BASE + module.split("/")[0]]
        grouping = {a["id"] for a in context["contextActivities"]["grouping"]}
        assert grouping == ({BASE, BASE + course} if course != module.split("/")[0] else {BASE})
        stamp = datetime.datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
        assert stamp == datetime.datetime.fromtimestamp(when, tz=datetime.UTC)
    poser = by_fact[("agent1", "conges-absences/poser-un-conge", "passed")]
    categories = {a["id"] for a in poser["context"]["contextActivities"]["category"]}
    assert categories == {BASE + "competences/crcn/2.1", BASE + "competences/crcn/1.2"}
    assert poser["result"]["duration"] == "PT0H4M0S" and poser["result"]["completion"] is True
    failed = by_fact[("agent1", "conges-absences/poser-un-conge", "failed")]
    assert failed["context"]["registration"] != poser["context"]["registration"]  # two attempts


def test_statement_ids_are_stable() -> None:
    """An id is a promise to every LRS already filled: the same fact keeps it in every version."""
    account = _learner({"account": {"homePage": "https://moodle.example", "name": "agent1"}})
    mbox = _learner({"mbox": "mailto:agent1@example.org"})
    instance = "https://moodle.example/mod/scorm/view.php?id=12"
    assert statement_id(account, instance, 2, "passed", scored_text({"raw": 80.0, "min": 0.0, "max": 100.0, "scaled": 0.8})) \
        == "fcaabc66-0e3b-501f-bc31-8e3ed5d59c06"
    assert statement_id(mbox, instance, 1, "completed", scored_text(None)) == "534716e5-2575-58fa-9efb-88f090fcce3f"
    assert statement_id(account, instance, 1, "failed", scored_text({"raw": 7.5})) == "3124275b-856f-5ed1-8e55-fe8ff4104002"
    assert registration(account, instance, 2) == "d2140ac2-8675-5885-93cf-4256c419c22c"


@pytest.mark.parametrize("lost_at_cursor", [False, True])
def test_first_version_state_is_taken_over(moodle, strict_lrs, tmp_path, lost_at_cursor) -> None:  # noqa: F811
    """The first version kept a bare time per (Moodle, LRS) and other ids: read as empty, every
    result was sent again under new ids, each fact twice in the LRS. Its cursor is kept, and around
    it a result is looked for under its old id. A result of the cursor's own second that the old
    same-second bug lost is sent."""
    import uuid
    cursor = T0 + 20  # the old run ended on agent1's second attempt at « poser un congé »
    old_ids = {}
    for user, _course, module, attempt, _tracks, when, _state, (verb, _s) in ATTEMPTS:
        if when <= cursor and not (lost_at_cursor and when == cursor):
            old_ids[(USERS[user][0], module, attempt, verb)] = str(uuid.uuid5(NAMESPACE, f"statement|{USERS[user][0]}|{module}|{attempt}|{verb}"))
    for (learner, module, _attempt, verb), ident in old_ids.items():
        strict_lrs.stored[ident] = {"id": ident, "actor": {"account": {"homePage": moodle.url, "name": learner}},
                                    "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"}, "object": {"id": BASE + module},
                                    "stored": "2026-11-01T00:00:00Z"}
        strict_lrs.order.append(ident)
    (tmp_path / "sync.json").write_text(json.dumps({f"{moodle.url} -> {strict_lrs.endpoint.rstrip('/')}": cursor}))
    result = run_sync(moodle, strict_lrs, tmp_path)
    assert result.exit_code == 0, result.output
    assert "État de synchronisation de la première version de CoursePack repris" in result.output
    new = [s for s in strict_lrs.statements() if s["id"] not in old_ids.values()]
    # after the cursor: agent2's three results; at it: agent1's second attempt, when the old run lost it
    expected = {("agent2", "agent-voirie/intro", "completed"), ("agent2", "messagerie/ecrire-un-message", "attempted"),
                ("agent2", "signalements/signaler-un-depot-sauvage", "passed")}
    if lost_at_cursor:
        expected.add(("agent1", "conges-absences/poser-un-conge", "passed"))
    assert {(f[0], f[1], f[3]) for f in map(fact, new)} == expected and len(new) == len(expected)
    state = json.loads((tmp_path / "sync.json").read_text())
    assert all("legacy_upto" not in entry and entry["actor"] == "username" for entry in state.values())


def test_second_sync_adds_nothing(moodle, ralph, tmp_path) -> None:  # noqa: F811
    assert run_sync(moodle, ralph, tmp_path).exit_code == 0
    again = run_sync(moodle, ralph, tmp_path)
    assert again.exit_code == 0 and "0 déclaration envoyée, 0 déjà dans le LRS, pour 0 résultat Moodle" in again.output
    first = sorted(s["id"] for s in ralph.statements())
    # without the state (another machine, a lost file), the same facts are sent again with the same ids:
    # the LRS answers 409, each is read back and found identical
    (tmp_path / "sync.json").unlink()
    lost = run_sync(moodle, ralph, tmp_path)
    assert lost.exit_code == 0 and "0 déclaration envoyée, 6 déjà dans le LRS" in lost.output, lost.output
    assert sorted(s["id"] for s in ralph.statements()) == first


def _engine(moodle, lrs_endpoint, tmp_path, **lrs_options):
    catalogue = validate_catalogue(COURSES)
    client = MoodleClient(moodle.url, TOKEN, retry=QUICK)
    lrs = LrsClient(lrs_endpoint, USERNAME, PASSWORD, retry=lrs_options.pop("retry", QUICK), **lrs_options)
    return catalogue, client, lrs, SyncState(tmp_path / "sync.json"), ActorPolicy()


def test_lrs_outage_in_the_middle_loses_nothing(moodle, ralph, tmp_path) -> None:  # noqa: F811
    catalogue, client, lrs, state, actor = _engine(moodle, ralph.endpoint, tmp_path)
    sent: list[int] = []
    real_store = lrs.store

    def store_then_stop(batch):
        outcome = real_store(batch)
        sent.append(len(batch))
        if len(sent) == 2:
            ralph.stop()
        return outcome

    lrs.store = store_then_stop  # type: ignore[method-assign]
    with pytest.raises(LrsUnavailable):
        sync(catalogue, client, lrs, state, actor, batch_size=1)
    saved = json.loads(state.path.read_text())
    assert len(saved) == 1 and next(iter(saved.values()))["cursor"] == [T0 + 10, 2]  # the second result: its statement is stored
    ralph.start()
    assert len(ralph.statements()) == 2
    lrs.store = real_store  # type: ignore[method-assign]
    outcome = sync(catalogue, client, lrs, state, actor, batch_size=2)
    assert outcome.sent == 4 and outcome.already == 0  # the two stored are not sent again
    stored = ralph.statements()
    assert facts(stored) == EXPECTED_FACTS and len(stored) == 6 and unique(stored)


def on_pages(double: MoodleDouble, monkeypatch, before) -> None:
    """Pages of two results; ``before(n)`` runs before Moodle answers the n-th page (n from 1)."""
    monkeypatch.setattr(results_module, "PAGE_SIZE", 2)
    real = double.ws_local_coursepack_get_results
    calls = []

    def paged(**params):
        calls.append(params)
        before(len(calls))
        return real(**params)

    monkeypatch.setattr(double, "ws_local_coursepack_get_results", paged)


def test_moodle_killed_mid_sync_then_rerun(moodle, strict_lrs, tmp_path, monkeypatch) -> None:  # noqa: F811
    alive = [True]

    def dies_on_second_page(n: int) -> None:
        if n == 2:
            alive[0] = False
        if not alive[0]:
            raise ConnectionAbortedError  # Moodle killed: no answer at all, retries included

    on_pages(moodle.double, monkeypatch, dies_on_second_page)
    catalogue, client, lrs, state, actor = _engine(moodle, strict_lrs.endpoint, tmp_path)
    with pytest.raises(MoodleUnreachable):
        sync(catalogue, client, lrs, state, actor, batch_size=1)
    assert len(strict_lrs.stored) == 2
    alive[0] = True
    sync(catalogue, client, lrs, state, actor, batch_size=1)
    stored = strict_lrs.statements()
    assert facts(stored) == EXPECTED_FACTS and len(stored) == 6 and unique(stored)


def test_dry_run_counts_what_the_real_run_sends(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    # the same learner takes the same module in its tool course and in a job path: two activities
    double = moodle.double
    # (its second attempt there, passed with 80 like its second attempt in agent-collecte-dechets)
    double.add_attempt(3, "coursepack:conges-absences", "coursepack:conges-absences/poser-un-conge", 2,
                       {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "80", "cmi.core.score.min": "0",
                        "cmi.core.score.max": "100", "cmi.core.total_time": "00:04:00.00"}, T0 + 50, 1)
    dry = run_sync(moodle, strict_lrs, tmp_path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "7 déclarations seraient envoyées" in dry.output and dry.output.count('"verb": {') == 7
    assert strict_lrs.stored == {}
    real = run_sync(moodle, strict_lrs, tmp_path)
    assert real.exit_code == 0, real.output
    assert "7 déclarations envoyées, 0 déjà dans le LRS, pour 7 résultats Moodle (0 sans déclaration)." in real.output
    stored = strict_lrs.statements()
    assert len(stored) == 7 and unique(stored)
    poser = [s for s in stored if fact(s)[:2] == ("agent1", "conges-absences/poser-un-conge") and fact(s)[3] == "passed"]
    assert len(poser) == 2 and len({s["context"]["contextActivities"]["other"][0]["id"] for s in poser}) == 2
    # its state lost, the dry run asks the LRS (read only) what it holds, as the real run would learn
    (tmp_path / "sync.json").unlink()
    lost = run_sync(moodle, strict_lrs, tmp_path, "--dry-run")
    assert "0 déclaration serait envoyée, 7 déjà dans le LRS" in lost.output, lost.output
    assert all(m == "GET" for m, _p, _n in strict_lrs.requests[-2:])
    real = run_sync(moodle, strict_lrs, tmp_path)
    assert "0 déclaration envoyée, 7 déjà dans le LRS" in real.output, real.output


def test_counts_are_worded_singular_or_plural(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    """Issue 12: no « (s) »; French counts 0 and 1 as singular, English only 1."""
    moodle.double.now = lambda: T0 + 400
    dry = run_sync(moodle, strict_lrs, tmp_path, "--dry-run", "--lang", "en")
    assert "Dry run (--dry-run): 6 statements would be sent, 0 already in the LRS; nothing was sent." in dry.output, dry.output
    first = run_sync(moodle, strict_lrs, tmp_path, "--lang", "en")
    assert "6 statements sent, 0 already in the LRS, for 6 Moodle results (0 without a statement)." in first.output
    again = run_sync(moodle, strict_lrs, tmp_path, "--lang", "en")
    assert "0 statements sent, 0 already in the LRS, for 0 Moodle results" in again.output, again.output
    moodle.double.add_attempt(4, "coursepack:messagerie", "coursepack:messagerie/lire-ses-messages", 1,
                              {"cmi.core.lesson_status": "incomplete"}, T0 + 390, 0)
    moodle.double.now = lambda: T0 + 800
    one = run_sync(moodle, strict_lrs, tmp_path)
    assert "1 déclaration envoyée, 0 déjà dans le LRS, pour 1 résultat Moodle (0 sans déclaration)." in one.output, one.output
    assert "(s)" not in dry.output + first.output + again.output + one.output


def test_same_second_change_is_not_lost(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    double = moodle.double
    double.now = lambda: T0 + 40  # Moodle's clock: the second of the last result
    assert run_sync(moodle, strict_lrs, tmp_path).exit_code == 0
    assert len(strict_lrs.stored) == 6
    # another attempt is written in that same second, after the sync read
    double.add_attempt(4, "coursepack:messagerie", "coursepack:messagerie/lire-ses-messages", 1,
                       {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "70", "cmi.core.score.min": "0",
                        "cmi.core.score.max": "100"}, T0 + 40, 1)
    double.now = lambda: T0 + 400
    again = run_sync(moodle, strict_lrs, tmp_path)
    assert again.exit_code == 0, again.output
    assert "1 déclaration envoyée, 0 déjà dans le LRS" in again.output  # the margin re-read is free
    assert len(strict_lrs.stored) == 7
    assert ("agent2", "messagerie/lire-ses-messages", "passed") in facts(strict_lrs.statements())


def test_change_during_paging_is_not_skipped(moodle, strict_lrs, tmp_path, monkeypatch) -> None:  # noqa: F811
    double = moodle.double

    def learner_goes_on(n: int) -> None:
        if n == 2:  # between two pages, agent1 goes back to an attempt already read and scores 95
            double.change_attempt(1, {"cmi.core.score.raw": "95"}, T0 + 45)

    on_pages(double, monkeypatch, learner_goes_on)
    result = run_sync(moodle, strict_lrs, tmp_path)
    assert result.exit_code == 0, result.output
    stored = strict_lrs.statements()
    found = facts(stored)
    assert found >= EXPECTED_FACTS  # nothing skipped (offset paging skipped the row after the page)
    scores = sorted(s["result"]["score"]["raw"] for s in stored if fact(s)[:2] == ("agent1", "messagerie/lire-ses-messages"))
    assert scores == [95.0, 100.0] and len(stored) == 7 and unique(stored)  # a new score is a new fact


def _odd_score(moodle, lrs_front, tmp_path, status: str, raw: str, high: str) -> dict:
    """agent2's statement for an attempt whose score Moodle holds as the package sent it."""
    moodle.double.add_attempt(4, "coursepack:messagerie", "coursepack:messagerie/lire-ses-messages", 1,
                              {"cmi.core.lesson_status": status, "cmi.core.score.raw": raw, "cmi.core.score.min": "0",
                               "cmi.core.score.max": high}, T0 + 50, 1 if status == "passed" else 0)
    result = run_sync(moodle, lrs_front, tmp_path)
    assert result.exit_code == 0, result.output
    assert len(lrs_front.stored) == 7
    return next(s for s in lrs_front.statements() if fact(s)[:2] == ("agent2", "messagerie/lire-ses-messages"))


def test_score_outside_its_range_is_clamped_and_kept(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    odd = _odd_score(moodle, strict_lrs, tmp_path, "passed", "80", "50")
    assert odd["result"]["score"] == {"raw": 50.0, "min": 0.0, "max": 50.0, "scaled": 1.0}
    assert odd["result"]["extensions"][BASE + "extensions/moodle-score"] == {"raw": "80", "min": "0", "max": "50"}


def test_a_score_that_is_not_a_number_is_not_a_score(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    """"nan" parsed as a float and was clamped to the maximum: a failed attempt scored 100."""
    odd = _odd_score(moodle, strict_lrs, tmp_path, "failed", "nan", "100")
    assert "score" not in odd["result"] and odd["verb"]["id"].endswith("/failed")


def test_refused_statement_is_set_aside_and_the_others_go_through(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    strict_lrs.refuse = "signaler-un-depot-sauvage"  # an LRS rule of its own refuses this module's statements
    result = run_sync(moodle, strict_lrs, tmp_path)
    assert result.exit_code == 1, result.output
    assert "5 déclarations envoyées" in result.output
    assert "1 déclaration refusée par le LRS, mise de côté dans" in result.output
    assert "agent2, signalements/signaler-un-depot-sauvage, tentative 1 : HTTP 400" in result.output and "rule 42" in result.output
    assert len(strict_lrs.stored) == 5
    state = json.loads((tmp_path / "sync.json").read_text())
    entry = next(iter(state.values()))
    assert entry["cursor"][0] > T0 + 40 and len(entry["set_aside"]) == 1  # the cursor moved on
    again = run_sync(moodle, strict_lrs, tmp_path, "--retry-set-aside")
    assert again.exit_code == 1 and "0 déclaration mise de côté désormais dans le LRS ; 1 toujours refusée." in again.output
    strict_lrs.refuse = ""
    fixed = run_sync(moodle, strict_lrs, tmp_path, "--retry-set-aside")
    assert fixed.exit_code == 0 and "1 déclaration mise de côté désormais dans le LRS ; 0 toujours refusée." in fixed.output
    stored = strict_lrs.statements()
    assert facts(stored) == EXPECTED_FACTS and unique(stored)


def test_another_statement_under_our_id_is_a_conflict(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    dry = run_sync(moodle, strict_lrs, tmp_path, "--dry-run")
    first = json.loads(next(line for line in dry.output.splitlines() if line.startswith("{")))
    strict_lrs.stored[first["id"]] = {**first, "verb": {"id": "http://example.org/verbs/other"}}
    strict_lrs.order.append(first["id"])
    result = run_sync(moodle, strict_lrs, tmp_path)
    assert result.exit_code == 1
    assert "5 déclarations envoyées, 0 déjà dans le LRS" in result.output
    assert "HTTP 409 another statement is stored under this id" in result.output


def test_actor_form_is_fixed_by_the_state(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    assert run_sync(moodle, strict_lrs, tmp_path, "--actor", "idnumber").exit_code == 0
    assert {s["actor"]["account"]["name"] for s in strict_lrs.statements()} == {"M001", "M002"}
    switched = run_sync(moodle, strict_lrs, tmp_path, "--email")
    assert switched.exit_code == 2 and "nommés par « idnumber »" in switched.output and "--reset" in switched.output
    assert len(strict_lrs.stored) == 6  # nothing sent, nothing claimed
    dry = run_sync(moodle, strict_lrs, tmp_path, "--email", "--reset", "--dry-run")
    assert dry.exit_code == 0 and "6 déclarations seraient envoyées" in dry.output  # what the reset would send
    reset = run_sync(moodle, strict_lrs, tmp_path, "--email", "--reset")
    assert reset.exit_code == 0, reset.output
    assert "forme « idnumber » → « email »" in reset.output
    assert "6 déclarations envoyées, 0 déjà dans le LRS" in reset.output
    assert {s["actor"].get("mbox") for s in strict_lrs.statements() if "mbox" in s["actor"]} == {
        "mailto:agent1@example.org", "mailto:agent2@example.org"}
    assert len(strict_lrs.stored) == 12


def test_core_functions_when_the_plugin_is_absent(moodle, ralph, tmp_path) -> None:  # noqa: F811
    double = moodle.double
    double.service = [f for f in double.service if f not in PLUGIN_FUNCTIONS]
    result = run_sync(moodle, ralph, tmp_path)
    assert result.exit_code == 0, result.output
    assert "Plugin local_coursepack absent" in result.output
    stored = ralph.statements()
    assert facts(stored) == EXPECTED_FACTS and len(stored) == 6 and unique(stored)


def test_hidden_identity_fields_are_counted_not_a_crash(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    double = moodle.double
    double.service = [f for f in double.service if f not in PLUGIN_FUNCTIONS]
    result = run_sync(moodle, strict_lrs, tmp_path, "--actor", "idnumber")  # enrolled users come without ID number
    assert result.exit_code == 1
    assert "6 résultats sans idnumber dans la réponse de Moodle" in result.output
    assert "moodle/user:viewalldetails" in result.output


def test_lrs_refusing_credentials(moodle, ralph, tmp_path) -> None:  # noqa: F811
    env = {"LRS_ENDPOINT": ralph.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": "wrong"}
    result = CliRunner(env=env).invoke(cli, ["sync", "--moodle-url", moodle.url, "--state", str(tmp_path / "s.json")])
    assert result.exit_code == 1 and "refuse les déclarations (HTTP 401)" in result.output
    assert "wrong" not in result.output


# --- faults -------------------------------------------------------------------------------------------


def test_html_200_is_an_error_and_moves_nothing(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    strict_lrs.fault = "html"
    result = run_sync(moodle, strict_lrs, tmp_path)
    assert result.exit_code == 1
    assert f"Le LRS {strict_lrs.endpoint} a répondu de façon inattendue (HTTP 200" in result.output
    assert "text/html" in result.output and "envoyée" not in result.output
    state = json.loads((tmp_path / "sync.json").read_text()) if (tmp_path / "sync.json").exists() else {}
    assert all(entry["cursor"] == [0, 0] for entry in state.values())


def test_429_honours_retry_after(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    slept: list[float] = []
    catalogue, client, lrs, state, actor = _engine(moodle, strict_lrs.endpoint, tmp_path,
                                                   retry=Retry(3, backoff_factor=0, sleep=slept.append))
    strict_lrs.fault = "429"
    outcome = sync(catalogue, client, lrs, state, actor)
    assert slept == [1.0] and outcome.sent == 6 and len(strict_lrs.stored) == 6


def test_413_halves_the_batch(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    strict_lrs.max_batch = 2
    catalogue, client, lrs, state, actor = _engine(moodle, strict_lrs.endpoint, tmp_path)
    outcome = sync(catalogue, client, lrs, state, actor, batch_size=5)
    assert outcome.sent == 6 and not outcome.set_aside
    assert [n for m, _p, n in strict_lrs.requests if m == "POST"] == [5, 2, 3, 1, 2, 1]


def _synthetic(learners: int, per_learner: int, tag: str = "") -> list[dict]:
    """Statements as sync builds them, for ``learners`` learners (ids fixed by what they state)."""
    import uuid
    out = []
    for n in range(learners):
        for k in range(per_learner):
            out.append({"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tag}{n}/{k}")),
                        "actor": {"account": {"homePage": "https://moodle.example", "name": f"agent{n}"}},
                        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
                        "object": {"id": f"{BASE}outil/module-{k}", "objectType": "Activity"},
                        "result": {"success": True, "completion": True, "score": {"raw": 80, "min": 0, "max": 100}},
                        "context": {"registration": str(uuid.uuid5(uuid.NAMESPACE_URL, f"reg{tag}{n}/{k}"))},
                        "timestamp": "2026-11-30T10:00:00Z"})
    return out


def test_lost_state_recovery_asks_once_per_learner(strict_lrs) -> None:  # noqa: F811
    """A strict LRS refuses a whole batch for one known id: the client asks which ids it holds, one
    query per learner for the whole run, instead of splitting down to single statements."""
    statements = _synthetic(10, 30)  # 300 statements, interleaved by learner as sync reads them by time
    statements.sort(key=lambda s: s["object"]["id"])
    lrs = LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, retry=QUICK)
    for start in range(0, 300, 100):
        assert len(lrs.store(statements[start:start + 100]).stored) == 100
    strict_lrs.requests.clear()
    again = LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, retry=QUICK)  # a new run, its state lost
    outcome = StoreOutcomeTotal()
    for start in range(0, 300, 100):
        outcome.add(again.store(statements[start:start + 100]))
    assert (outcome.stored, outcome.already, outcome.refused) == (0, 300, 0)
    posts = [n for m, _p, n in strict_lrs.requests if m == "POST"]
    gets = [p for m, p, _n in strict_lrs.requests if m == "GET"]
    assert posts == [100, 100, 100] and len(gets) == 10 and all("agent=" in p for p in gets)


def test_recovery_sends_the_new_and_reports_conflicts(strict_lrs) -> None:  # noqa: F811
    known, new = _synthetic(4, 5), _synthetic(4, 5, tag="new")
    lrs = LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, retry=QUICK)
    lrs.store(known)
    # another statement under one of our ids (another tool, a hand-made import)
    strict_lrs.stored[known[0]["id"]]["verb"] = {"id": "http://adlnet.gov/expapi/verbs/failed"}
    strict_lrs.requests.clear()
    again = LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, retry=QUICK)
    mixed = [s for pair in zip(known, new, strict=False) for s in pair]
    outcome = again.store(mixed)
    assert sorted(outcome.stored) == sorted(s["id"] for s in new)
    assert len(outcome.already) == 19 and [r.statement["id"] for r in outcome.refused] == [known[0]["id"]]
    assert outcome.refused[0].reason == "another statement is stored under this id"
    assert [n for m, _p, n in strict_lrs.requests if m == "POST"] == [40, 20]
    assert len(strict_lrs.stored) == 40


def test_recovery_against_ralph(ralph) -> None:  # noqa: F811
    statements = _synthetic(3, 4)
    lrs = LrsClient(ralph.endpoint, USERNAME, PASSWORD, retry=QUICK)
    assert len(lrs.store(statements[:6]).stored) == 6
    again = LrsClient(ralph.endpoint, USERNAME, PASSWORD, retry=QUICK)
    outcome = again.store(statements)
    assert (len(outcome.stored), len(outcome.already), outcome.refused) == (6, 6, [])
    assert unique(ralph.statements()) and len(ralph.statements()) == 12
    # another statement under one of the ids: Ralph refuses the batch with 409, the learners' statements are read
    other = {**statements[0], "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    fresh = _synthetic(1, 2, tag="fresh")
    third = LrsClient(ralph.endpoint, USERNAME, PASSWORD, retry=QUICK).store([other, *fresh])
    assert sorted(third.stored) == sorted(s["id"] for s in fresh) and not third.already
    assert [r.statement["id"] for r in third.refused] == [other["id"]] and len(ralph.statements()) == 14


def test_an_lrs_that_answers_without_storing_is_caught(strict_lrs) -> None:  # noqa: F811
    strict_lrs.fault = "empty-ids"
    lrs = LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, retry=QUICK)
    with pytest.raises(LrsError, match="mais ne la rend pas"):
        lrs.store(_synthetic(2, 2))


def test_odd_statements_read_back_are_conflicts_not_crashes(strict_lrs) -> None:  # noqa: F811
    statements = _synthetic(1, 2)
    LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, retry=QUICK).store(statements)
    strict_lrs.stored[statements[0]["id"]]["verb"] = {"id": ["not", "an", "iri"]}
    strict_lrs.stored[statements[0]["id"]]["result"] = {"score": {"raw": {"odd": 1}}}
    outcome = LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, retry=QUICK).store(statements)
    assert outcome.already == [statements[1]["id"]] and [r.statement["id"] for r in outcome.refused] == [statements[0]["id"]]


class StoreOutcomeTotal:
    def __init__(self) -> None:
        self.stored = self.already = self.refused = 0

    def add(self, outcome) -> None:
        self.stored += len(outcome.stored)
        self.already += len(outcome.already)
        self.refused += len(outcome.refused)


@pytest.mark.parametrize("fault", ["trickle", "trickle-headers"])
def test_trickling_lrs_hits_the_deadline(strict_lrs, fault) -> None:  # noqa: F811
    strict_lrs.fault = fault
    lrs = LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, timeout=1.0, retry=QUICK)
    began = time.monotonic()
    with pytest.raises(LrsUnavailable, match="pas de réponse complète en 1 s"):
        list(lrs.statements())
    assert time.monotonic() - began < 5


@pytest.mark.parametrize("fault, message", [("foreign-more", "lien vers un autre serveur refusé"), ("self-more", "lien « more » invalide ou répété")])
def test_more_links_stay_on_the_lrs(strict_lrs, fault, message) -> None:  # noqa: F811
    strict_lrs.stored["x"] = {"id": "x", "stored": "2026"}
    strict_lrs.order.append("x")
    strict_lrs.fault = fault
    lrs = LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, retry=QUICK)
    with pytest.raises(LrsError, match=message):
        list(lrs.statements())
    assert all(path.startswith("/xAPI/") for _m, path, _n in strict_lrs.requests)


def test_lrs_redirect_is_not_followed(strict_lrs) -> None:  # noqa: F811
    strict_lrs.fault = "redirect"
    lrs = LrsClient(strict_lrs.endpoint, USERNAME, PASSWORD, retry=QUICK)
    with pytest.raises(LrsError, match="redirection vers http://elsewhere.invalid/xAPI/statements non suivie"):
        lrs.store([{"id": "00000000-0000-0000-0000-000000000001"}])
    assert len(strict_lrs.auth_headers) == 1


class _Recorder(BaseHTTPRequestHandler):
    """A host that records what reaches it; answers 307 to ``target`` when set, else ``answer``."""

    seen: list[bytes] = []
    target = ""
    answer = b"{}"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen.append(body)
        if type(self).target:
            self.send_response(307)
            self.send_header("Location", type(self).target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(type(self).answer)))
        self.end_headers()
        self.wfile.write(type(self).answer)


def _serve(handler: type) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def test_moodle_token_is_never_reposted_on_a_redirect() -> None:
    other = type("Other", (_Recorder,), {"seen": [], "target": ""})
    moved = type("Moved", (_Recorder,), {"seen": [], "target": ""})
    other_server, other_url = _serve(other)
    moved.target = other_url.replace("127.0.0.1", "localhost")
    moved_server, moved_url = _serve(moved)
    try:
        client = MoodleClient(moved_url, TOKEN, retry=QUICK)
        with pytest.raises(MoodleUnreachable) as caught:
            client.call("core_webservice_get_site_info")
        assert f"HTTP 307 : redirection vers {moved.target}/webservice/rest/server.php non suivie" in str(caught.value)
        assert other.seen == [] and len(moved.seen) == 1
    finally:
        other_server.shutdown()
        moved_server.shutdown()


def test_moodle_errorcode_is_redacted() -> None:
    leaky = type("Leaky", (_Recorder,), {"seen": [], "target": "", "answer": json.dumps(
        {"exception": "x", "errorcode": f"invalid{TOKEN}", "message": f"token {TOKEN} refused", "debuginfo": TOKEN}).encode()})
    server, url = _serve(leaky)
    try:
        with pytest.raises(MoodleError) as caught:
            MoodleClient(url, TOKEN, retry=QUICK).call("core_webservice_get_site_info")
        error = caught.value
        assert TOKEN not in f"{error} {error.errorcode} {error.message} {error.debuginfo}"
    finally:
        server.shutdown()


# --- without the plugin: capabilities ------------------------------------------------------------------


def _core_only(moodle, *missing: str) -> None:
    double = moodle.double
    double.service = [f for f in double.service if f not in PLUGIN_FUNCTIONS]
    double.capabilities -= set(missing)


def test_core_path_without_viewalldetails_counts_unnamed_learners(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    _core_only(moodle, "moodle/user:viewalldetails")  # usernames hidden
    result = run_sync(moodle, strict_lrs, tmp_path)
    assert result.exit_code == 1 and "6 résultats sans username dans la réponse de Moodle" in result.output
    assert strict_lrs.stored == {}


def test_core_path_without_viewdetails_is_not_a_silent_zero(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    _core_only(moodle, "moodle/user:viewdetails")  # enrolled users left out of the answer
    result = run_sync(moodle, strict_lrs, tmp_path)
    assert "Aucun apprenant visible dans les cours du catalogue" in result.output
    assert "moodle/user:viewdetails" in result.output


def test_core_path_without_manageactivities_names_it(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    _core_only(moodle, "moodle/course:manageactivities")  # activities come without their ID number
    result = run_sync(moodle, strict_lrs, tmp_path)
    assert result.exit_code == 1 and "moodle/course:manageactivities" in result.output


def test_doctor_checks_the_core_path_capabilities(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    _core_only(moodle, "moodle/user:viewalldetails", "mod/scorm:viewreport")
    env = {"LRS_ENDPOINT": strict_lrs.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    result = CliRunner(env=env).invoke(cli, ["doctor", "--moodle-url", moodle.url, "--out", str(tmp_path / "dist")])
    lines = [line for line in result.output.splitlines() if "Sync sans plugin" in line]
    assert lines == ["✓ Sync sans plugin : moodle/course:manageactivities",
                     "✓ Sync sans plugin : moodle/course:viewparticipants",
                     "✓ Sync sans plugin : moodle/user:viewdetails",
                     "✗ Sync sans plugin : moodle/user:viewalldetails",
                     "✗ Sync sans plugin : mod/scorm:viewreport",
                     "✓ Sync sans plugin : report/progress:view"], result.output
    assert "Donnez moodle/user:viewalldetails au compte du jeton" in result.output and result.exit_code == 1


# --- one site at several addresses, moved, upgraded (issue 16, item 5) ------------------------------


def _sync_at(url: str, lrs, tmp_path, *extra: str, state: str = "sync.json"):
    env = {"LRS_ENDPOINT": lrs.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    result = CliRunner(env=env).invoke(cli, ["sync", "--moodle-url", url, "--state", str(tmp_path / state), *extra])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.mark.parametrize("plugin", [True, False])
def test_the_same_site_at_another_address_sends_nothing_twice(moodle, ralph, tmp_path, plugin) -> None:  # noqa: F811
    """Ids and the state derived from the address: 127.0.0.1 then localhost gave every result
    twice in the LRS. The site is named by what it says of itself (plugin or core site info)."""
    if not plugin:
        moodle.double.service = [f for f in moodle.double.service if f not in PLUGIN_FUNCTIONS]
    first = _sync_at(moodle.url, ralph, tmp_path)
    assert first.exit_code == 0 and "6 déclarations envoyées" in first.output, first.output
    other = _sync_at(moodle.other_url, ralph, tmp_path)
    assert other.exit_code == 0, other.output
    assert "0 déclaration envoyée, 0 déjà dans le LRS" in other.output, other.output
    # even without the state (another machine), the ids are the same: the LRS has them all
    lost = _sync_at(moodle.other_url, ralph, tmp_path, state="other.json")
    assert lost.exit_code == 0 and "0 déclaration envoyée, 6 déjà dans le LRS" in lost.output, lost.output
    stored = ralph.statements()
    assert len(stored) == 6 and unique(stored)
    assert {s["actor"]["account"]["homePage"] for s in stored} == {moodle.url}


def test_a_moved_site_sends_nothing_twice(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    """http → https behind a proxy under another host name: the plugin's statement home stays
    the address it was installed at, the site identifier the same."""
    assert "6 déclarations envoyées" in _sync_at(moodle.url, strict_lrs, tmp_path).output
    moodle.double.wwwroot = "https://formation.cc-troisvallees.fr/moodle"
    moved = _sync_at(moodle.other_url, strict_lrs, tmp_path)
    assert moved.exit_code == 0 and "0 déclaration envoyée, 0 déjà dans le LRS" in moved.output, moved.output
    lost = _sync_at(moodle.other_url, strict_lrs, tmp_path, state="lost.json")
    assert lost.exit_code == 0 and "0 déclaration envoyée, 6 déjà dans le LRS" in lost.output, lost.output
    # a new result after the move (changed now, as the plugin's table times it): sent once, named as before
    moodle.double.add_attempt(4, "coursepack:messagerie", "coursepack:messagerie/lire-ses-messages", 1,
                              {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "70"}, moodle.double.now(), 1)
    new = _sync_at(moodle.other_url, strict_lrs, tmp_path)
    assert "1 déclaration envoyée, 0 déjà dans le LRS" in new.output, new.output
    stored = strict_lrs.statements()
    assert len(stored) == 7 and unique(stored)
    assert {s["actor"]["account"]["homePage"] for s in stored} == {moodle.url}
    assert all(s["context"]["contextActivities"]["other"][0]["id"].startswith(moodle.url + "/mod/scorm/") for s in stored)


def _statements_built_at(moodle, home: str, count: int) -> list[dict]:
    """The statements of the first ``count`` results, ids built from ``home`` (as 1.1.0 did from
    the address it was given)."""
    from packager.moodle.idnumbers import DEFAULT
    from packager.sync.results import _from_plugin
    from packager.sync.statements import StatementFactory

    catalogue = validate_catalogue(COURSES)
    factory = StatementFactory(catalogue, ActorPolicy(home=home))
    units = {u.key: u for u in catalogue.modules()}
    rows = MoodleClient(moodle.url, TOKEN, retry=QUICK).call("local_coursepack_get_results", perpage=count,
                                                             identity=["username"])["results"]
    built = []
    for result in (_from_plugin(row, DEFAULT) for row in rows):
        statement, _ = factory.build(result, units[result.module], DEFAULT.local_id(result.course_idnumber))
        built.append(statement)
    return built


@pytest.mark.parametrize("address", ["wwwroot", "proxy"])
def test_a_state_keyed_by_address_is_taken_over_with_its_ids(moodle, strict_lrs, tmp_path, address) -> None:  # noqa: F811
    """1.1.0 keyed the state by the address it was given and built ids from it. Upgraded, the
    entry is taken over under the site's name, and its ids keep that address, even when it was
    not the site's own (a proxy): nothing sent twice, nothing skipped."""
    url = moodle.url if address == "wwwroot" else moodle.other_url
    for statement in _statements_built_at(moodle, url, 3):  # 1.1.0 had sent the first three results
        strict_lrs.stored[statement["id"]] = {**statement, "stored": "2026-11-30T00:00:00Z"}
        strict_lrs.order.append(statement["id"])
    before = set(strict_lrs.stored)
    old = {"cursor": [T0 + 20, 3], "read_upto": [T0 + 20, 3], "actor": "username", "recent": {}, "set_aside": []}
    (tmp_path / "sync.json").write_text(json.dumps({SyncState.address_key(url, strict_lrs.endpoint): old}))
    upgraded = _sync_at(url, strict_lrs, tmp_path)
    assert upgraded.exit_code == 0, upgraded.output
    assert "3 déclarations envoyées, 0 déjà dans le LRS, pour 3 résultats Moodle" in upgraded.output, upgraded.output
    stored = strict_lrs.statements()
    assert len(stored) == 6 and unique(stored) and before <= {s["id"] for s in stored}
    assert {s["actor"]["account"]["homePage"] for s in stored} == {url}
    saved = json.loads((tmp_path / "sync.json").read_text())
    assert len(saved) == 1 and next(iter(saved)).startswith("site:") and next(iter(saved.values()))["home"] == url
    other = moodle.url if address == "proxy" else moodle.other_url
    again = _sync_at(other, strict_lrs, tmp_path)
    assert "0 déclaration envoyée, 0 déjà dans le LRS" in again.output, again.output


def test_named_catalogue_ids_carry_its_id() -> None:
    account = _learner({"account": {"homePage": "https://moodle.example", "name": "agent1"}})
    instance = "https://moodle.example/mod/scorm/view.php?id=12"
    scored = scored_text({"raw": 80.0, "min": 0.0, "max": 100.0, "scaled": 0.8})
    default = statement_id(account, instance, 2, "passed", scored)
    assert statement_id(account, instance, 2, "passed", scored, None) == default == "fcaabc66-0e3b-501f-bc31-8e3ed5d59c06"
    assert statement_id(account, instance, 2, "passed", scored, "rh") not in (default, statement_id(account, instance, 2, "passed", scored, "dsi"))
    assert registration(account, instance, 2, "rh") != registration(account, instance, 2)


# --- two catalogues on one Moodle and one LRS (issue 16, item 4) -------------------------------------


def _named(catalogue_id: str):
    catalogue = validate_catalogue(COURSES)
    catalogue.settings = catalogue.settings.model_copy(update={"id": catalogue_id})  # catalogue.yml's ``id:``
    return catalogue


def _publish_as(double: MoodleDouble, catalogue_id: str) -> None:
    """The default catalogue's courses and activities again under ``coursepack:<id>:`` (what
    publishing a named catalogue creates), each with its own Moodle ids."""
    prefix = f"coursepack:{catalogue_id}:"
    courses = {}
    for course in [c for c in double.courses.values() if c["idnumber"].count(":") == 1]:
        twin = copy.deepcopy(course)
        twin.update(id=next(double._course_ids), idnumber=prefix + course["idnumber"][len("coursepack:"):],
                    shortname=f"{catalogue_id}-{course['shortname']}")
        double.courses[twin["id"]] = courses[course["id"]] = twin
    for cm in [c for c in double.cms.values() if c["idnumber"].count(":") == 1]:
        scorm = copy.deepcopy(double.scorms[cm["instance"]])
        twin = copy.deepcopy(cm)
        scorm["id"] = next(double._scorm_ids)
        scorm["coursemodule"] = twin["id"] = next(double._cm_ids)
        scorm["launch"] = 100 + scorm["id"]
        scorm["course"] = courses[cm["course"]]["id"]
        twin.update(course=scorm["course"], instance=scorm["id"], idnumber=prefix + cm["idnumber"][len("coursepack:"):])
        double.scorms[scorm["id"]], double.cms[twin["id"]] = scorm, twin


def test_two_catalogues_keep_their_own_cursor(moodle, ralph, tmp_path) -> None:  # noqa: F811
    """One state for a Moodle and an LRS: syncing the default catalogue moved the cursor past
    the other catalogue's attempts, which were then never sent."""
    double = moodle.double
    _publish_as(double, "rh")
    passed = {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90", "cmi.core.score.min": "0",
              "cmi.core.score.max": "100"}
    # rh's attempts interleaved in time with the default catalogue's
    for when, (user, course, module) in zip((T0 + 5, T0 + 25, T0 + 45), [
            (3, "messagerie", "messagerie/lire-ses-messages"), (4, "agenda", "agenda/consulter-son-agenda"),
            (4, "agent-voirie", "agent-voirie/intro")], strict=False):
        double.add_attempt(user, f"coursepack:rh:{course}", f"coursepack:rh:{module}", 1, passed, when, 1)
    client = MoodleClient(moodle.url, TOKEN, retry=QUICK)
    lrs = LrsClient(ralph.endpoint, USERNAME, PASSWORD, retry=QUICK)
    state = SyncState(tmp_path / "sync.json")
    default = sync(validate_catalogue(COURSES), client, lrs, state, ActorPolicy())
    assert default.sent == 6 and default.results == 6  # rh's attempts are not the default catalogue's
    rh = sync(_named("rh"), client, lrs, state, ActorPolicy())
    assert rh.sent == 3 and rh.results == 3, rh
    # more in both, then each again: each new attempt once, nothing else
    now = double.now()
    double.add_attempt(3, "coursepack:rh:signalements", "coursepack:rh:signalements/signaler-un-depot-sauvage", 1, passed,
                       now, 1)
    double.add_attempt(3, "coursepack:signalements", "coursepack:signalements/signaler-un-depot-sauvage", 1, passed, now, 1)
    assert sync(_named("rh"), client, lrs, state, ActorPolicy()).sent == 1
    assert sync(validate_catalogue(COURSES), client, lrs, state, ActorPolicy()).sent == 1
    assert sync(_named("rh"), client, lrs, state, ActorPolicy()).sent == 0
    assert sync(validate_catalogue(COURSES), client, lrs, state, ActorPolicy()).sent == 0
    stored = ralph.statements()
    assert len(stored) == 11 and unique(stored)
    cms = {cm["id"]: cm["idnumber"] for cm in double.cms.values()}
    by_catalogue = {}
    for statement in stored:
        cmid = int(statement["context"]["contextActivities"]["other"][0]["id"].rsplit("=", 1)[1])
        by_catalogue.setdefault(cms[cmid].startswith("coursepack:rh:"), []).append(statement)
    assert len(by_catalogue[True]) == 4 and len(by_catalogue[False]) == 7
    assert len(json.loads(state.path.read_text())) == 2  # one entry per catalogue
    # the plugin was asked for rh's activities only, and lists each catalogue's alone
    asked = [params for name, params in double.calls if name == "local_coursepack_get_results"]
    assert {p.get("catalogue") for p in asked} == {None, "rh"}
    for scope, colons in (({}, 1), ({"catalogue": "rh"}, 2)):
        rows = client.call("local_coursepack_get_results", perpage=5000, **scope)["results"]
        assert rows and {r["cmidnumber"].count(":") for r in rows} == {colons}


def test_the_plugin_upgraded_after_syncs_takes_the_state_over(moodle, strict_lrs, tmp_path) -> None:  # noqa: F811
    """This CLI against a 1.1.0 plugin names the site by its wwwroot (get_status says nothing of
    the site); once the plugin is 1.2.0, the site's identifier names it: the entry is taken over."""
    double = moodle.double
    home, double.statementhome = double.statementhome, None
    double.versions.update({name: "2026120102" for name in PLUGIN_FUNCTIONS})
    first = _sync_at(moodle.url, strict_lrs, tmp_path)
    assert "6 déclarations envoyées" in first.output, first.output
    assert list(json.loads((tmp_path / "sync.json").read_text())) == [f"{moodle.url} [default] -> {strict_lrs.endpoint.rstrip('/')}"]
    double.versions.update({name: PLUGIN_VERSION for name in PLUGIN_FUNCTIONS})
    double.statementhome = home  # the upgrade stored the wwwroot
    upgraded = _sync_at(moodle.other_url, strict_lrs, tmp_path)
    assert "0 déclaration envoyée, 0 déjà dans le LRS" in upgraded.output, upgraded.output
    saved = json.loads((tmp_path / "sync.json").read_text())
    assert len(saved) == 1 and next(iter(saved)).startswith("site:") and len(strict_lrs.stored) == 6
