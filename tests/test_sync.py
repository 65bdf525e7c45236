"""``coursepack sync``: Moodle double → xAPI statements → a real Ralph LRS."""

from __future__ import annotations

import datetime

import pytest
from click.testing import CliRunner
from ralph.models.xapi.base.statements import BaseXapiStatement

from conftest import COURSES
from lrs_support import PASSWORD, USERNAME, ralph  # noqa: F401 - fixture
from moodle_double import PLUGIN_FUNCTIONS, MoodleDouble
from packager.cli import cli
from packager.lrs.client import LrsClient, LrsUnavailable, Retry
from packager.model.checks import validate_catalogue
from packager.moodle.client import MoodleClient
from packager.sync.engine import CursorStore, sync
from packager.sync.statements import ActorPolicy, registration, statement_id

TOKEN = "abcdefabcdefabcdefabcdefabcdef12"
T0 = 1795900000
BASE = "https://formation.cc-troisvallees.fr/xapi/"

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
    (4, "messagerie", "messagerie/ecrire-un-message", 1, {"cmi.core.lesson_status": "incomplete"}, T0 + 40, 0, (None, None)),
    (4, "signalements", "signalements/signaler-un-depot-sauvage", 1,
     {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90", "cmi.core.score.min": "0", "cmi.core.score.max": "100",
      "cmi.core.total_time": "00:09:00.00"}, T0 + 40, 1, ("passed", 0.9)),
]
USERS = {3: ("agent1", "M001", "agent1@example.org"), 4: ("agent2", "M002", "agent2@example.org")}


@pytest.fixture
def moodle(tmp_path, monkeypatch):
    """The catalogue published to the double, and learners' attempts recorded in it."""
    double = MoodleDouble(token=TOKEN)
    served = double.serve()
    monkeypatch.setenv("MOODLE_TOKEN", TOKEN)
    monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "none.toml"))
    assert CliRunner().invoke(cli, ["publish", "--moodle-url", served.url, "--out", str(tmp_path / "dist")]).exit_code == 0
    for ident, (username, idnumber, email) in USERS.items():
        double.add_user(ident, username, idnumber, email)
    for user, course, module, attempt, tracks, when, state, _ in ATTEMPTS:
        double.add_attempt(user, f"coursepack:{course}", f"coursepack:{module}", attempt, tracks, when, state)
    yield served
    served.close()


def run_sync(moodle, ralph, tmp_path, *extra: str):  # noqa: F811
    env = {"LRS_ENDPOINT": ralph.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    result = CliRunner(env=env).invoke(cli, ["sync", "--moodle-url", moodle.url, "--state", str(tmp_path / "sync.json"), *extra])
    assert TOKEN not in result.output and PASSWORD not in result.output
    return result


def expected_ids(name_of=lambda user: USERS[user][0]) -> set[str]:
    return {str(statement_id(name_of(user), module, attempt, outcome[0]))
            for user, _c, module, attempt, _t, _w, _s, outcome in ATTEMPTS if outcome[0]}


def test_sync_sends_exactly_the_expected_statements(moodle, ralph, tmp_path) -> None:  # noqa: F811
    result = run_sync(moodle, ralph, tmp_path)
    assert result.exit_code == 0, result.output
    assert "5 déclaration(s) envoyée(s) pour 6 résultat(s) Moodle (1 sans déclaration)." in result.output
    stored = {s["id"]: s for s in ralph.statements()}
    assert set(stored) == expected_ids()
    for user, course, module, attempt, tracks, when, _state, (verb, scaled) in ATTEMPTS:
        if verb is None:
            continue
        statement = stored[str(statement_id(USERS[user][0], module, attempt, verb))]
        BaseXapiStatement.model_validate(statement)  # Ralph's own strict xAPI model
        assert statement["actor"]["account"] == {"name": USERS[user][0], "homePage": moodle.url}
        assert "mbox" not in statement["actor"]
        assert statement["verb"]["id"] == f"http://adlnet.gov/expapi/verbs/{verb}"
        assert statement["object"]["id"] == BASE + module
        assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/module"
        assert statement.get("result", {}).get("score", {}).get("scaled") == scaled
        if verb in ("passed", "failed"):
            assert statement["result"]["success"] is (verb == "passed")
        context = statement["context"]
        assert context["registration"] == str(registration(USERS[user][0], module, attempt))
        assert context["platform"] == "Moodle" and context["language"] == "fr-FR"
        parent = module.split("/")[0]
        assert [a["id"] for a in context["contextActivities"]["parent"]] == [BASE + parent]
        grouping = {a["id"] for a in context["contextActivities"]["grouping"]}
        assert BASE in grouping
        stamp = datetime.datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
        assert stamp == datetime.datetime.fromtimestamp(when, tz=datetime.timezone.utc)
    poser = stored[str(statement_id("agent1", "conges-absences/poser-un-conge", 2, "passed"))]
    grouping = {a["id"] for a in poser["context"]["contextActivities"]["grouping"]}
    assert {BASE + job for job in ("agent-collecte-dechets", "agent-voirie", "agent-mediatheque", "agent-administratif")} <= grouping
    categories = {a["id"] for a in poser["context"]["contextActivities"]["category"]}
    assert categories == {BASE + "competences/crcn/2.1", BASE + "competences/crcn/1.2"}
    assert poser["result"]["duration"] in ("PT04M00S", "PT4M", "PT4M0S", "PT04M")
    assert poser["result"]["completion"] is True


def test_second_sync_adds_nothing(moodle, ralph, tmp_path) -> None:  # noqa: F811
    assert run_sync(moodle, ralph, tmp_path).exit_code == 0
    again = run_sync(moodle, ralph, tmp_path)
    assert again.exit_code == 0 and "0 déclaration(s) envoyée(s) pour 0 résultat(s)" in again.output
    assert len(ralph.statements()) == 5
    # without the cursor (another machine, a lost state file), the same ids are sent again: still 5
    (tmp_path / "sync.json").unlink()
    assert run_sync(moodle, ralph, tmp_path).exit_code == 0
    assert sorted(s["id"] for s in ralph.statements()) == sorted(expected_ids())


def test_lrs_outage_in_the_middle_loses_nothing(moodle, ralph, tmp_path) -> None:  # noqa: F811
    catalogue = validate_catalogue(COURSES)
    client = MoodleClient(moodle.url, TOKEN)
    lrs = LrsClient(ralph.endpoint, USERNAME, PASSWORD, retry=Retry(attempts=2, first_delay=0, sleep=lambda _s: None))
    cursors = CursorStore(tmp_path / "sync.json")
    actor = ActorPolicy(moodle_url=moodle.url)

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            ralph.stop()

    with pytest.raises(LrsUnavailable):
        sync(catalogue, client, lrs, cursors, actor, batch_size=1, on_batch=stop_after_two)
    assert cursors.get(CursorStore.key(moodle.url, ralph.endpoint)) == T0 + 20 - 1
    ralph.start()
    assert len(ralph.statements()) == 2
    outcome = sync(catalogue, client, lrs, cursors, actor, batch_size=2)
    assert outcome.sent == 3
    ids = [s["id"] for s in ralph.statements()]
    assert sorted(ids) == sorted(expected_ids()) and len(ids) == len(set(ids))


def test_dry_run_prints_and_sends_nothing(moodle, ralph, tmp_path) -> None:  # noqa: F811
    result = run_sync(moodle, ralph, tmp_path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "5 déclaration(s) seraient envoyées" in result.output
    assert result.output.count('"verb": {') == 5
    assert ralph.statements() == []


def test_actor_by_idnumber_or_email(moodle, ralph, tmp_path) -> None:  # noqa: F811
    assert run_sync(moodle, ralph, tmp_path, "--actor", "idnumber").exit_code == 0
    names = {s["actor"]["account"]["name"] for s in ralph.statements()}
    assert names == {"M001", "M002"}
    (tmp_path / "sync.json").unlink()
    assert run_sync(moodle, ralph, tmp_path, "--email").exit_code == 0
    assert {s["actor"].get("mbox") for s in ralph.statements() if "mbox" in s["actor"]} == {
        "mailto:agent1@example.org", "mailto:agent2@example.org"}


def test_core_functions_when_the_plugin_is_absent(moodle, ralph, tmp_path) -> None:  # noqa: F811
    double = moodle.double
    double.service = [f for f in double.service if f not in PLUGIN_FUNCTIONS]
    result = run_sync(moodle, ralph, tmp_path)
    assert result.exit_code == 0, result.output
    assert "Plugin local_coursepack absent" in result.output
    assert sorted(s["id"] for s in ralph.statements()) == sorted(expected_ids())


def test_lrs_refusing_credentials(moodle, ralph, tmp_path) -> None:  # noqa: F811
    env = {"LRS_ENDPOINT": ralph.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": "wrong"}
    result = CliRunner(env=env).invoke(cli, ["sync", "--moodle-url", moodle.url, "--state", str(tmp_path / "s.json")])
    assert result.exit_code == 1 and "Le LRS refuse les déclarations (HTTP 401)" in result.output
    assert "wrong" not in result.output
