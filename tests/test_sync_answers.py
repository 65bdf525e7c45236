"""Answers and pages of SCORM attempts (issue 17, item 1): the plugin's interactions, location and
suspend data, served by the Moodle double as get_results.php reads them, synced as ``answered`` and
``experienced`` statements in docs/report.md's shapes, exactly once, to a real Ralph and to the strict
LRS front; then ``coursepack report``'s item analysis, funnel and « Agents à accompagner » from them,
against figures computed by hand (``attempts``' docstring)."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from lrs_support import PASSWORD, USERNAME, ralph, strict_lrs  # noqa: F401 - fixtures
from moodle_double import MoodleDouble, published
from packager.cli import cli
from packager.model.resume import encode_state, pages_seen
from packager.sync.values import xapi_response
from test_report import report, sheet

TOKEN = "abcdefabcdefabcdefabcdefabcdef12"
BASE = "https://formation.cc-troisvallees.fr/xapi/"
MODULE = BASE + "messagerie/lire-ses-messages"
PAGES = ["la-boite-de-reception", "lire-un-message", "ranger-ses-messages", "quiz-lire"]
TYPES = {"message-non-lu": "choice", "trombone": "true-false", "retrouver-message": "fill-in"}
RIGHT = {"message-non-lu": "0", "trombone": "t", "retrouver-message": "recherche"}
DAY = 86400
#: Moodle's clock in the fixture: whole seconds, well behind the double's clock (the sync's margin)
NOW = int(time.time()) // 60 * 60 - 3600


def tracks(seen: list[int], location: int, answers: list[tuple[str, str]], status: str, score: int | None,
           start: int) -> tuple[dict[str, str], dict[str, int], int]:
    """A SCORM 1.2 attempt as CoursePack's player leaves it in Moodle (lms.js): the location is the
    page index, the suspend data marks the pages seen, each try is a new interaction index with the
    question's YAML id, the choice's index / t, f / the text typed, correct or wrong, a latency and
    a time of day; (values, when Moodle stored each, the attempt's last change)."""
    values = {"x.start.time": str(start), "cmi.core.lesson_status": status, "cmi.core.lesson_location": str(location),
              "cmi.suspend_data": encode_state([i in seen for i in range(len(PAGES))], [], 0, None, []),
              "cmi.core.total_time": "00:08:00.00"}
    times = {element: start + 10 for element in values}
    times["x.start.time"] = start
    if score is not None:
        values.update({"cmi.core.score.raw": str(score), "cmi.core.score.min": "0", "cmi.core.score.max": "100"})
    for n, (question, response) in enumerate(answers):
        stored = start + 60 + 20 * n
        fields = {"id": question, "type": TYPES[question], "student_response": response,
                  "result": "correct" if response == RIGHT[question] else "wrong", "latency": "0000:00:20.00",
                  "time": time.strftime("%H:%M:%S", time.gmtime(stored)), "correct_responses_0.pattern": RIGHT[question]}
        for field, value in fields.items():
            values[f"cmi.interactions_{n}.{field}"] = value  # as Moodle stores them
            times[f"cmi.interactions_{n}.{field}"] = stored
    last = max(times.values())
    times["cmi.core.lesson_location"] = last if answers else start + 10  # at the quiz, after the answers
    return values, times, last


ALL, Q = [0, 1, 2, 3], ("message-non-lu", "trombone", "retrouver-message")


def quiz(*responses: str) -> list[tuple[str, str]]:
    """One pass through the quiz (three tries, in quiz order)."""
    return list(zip(Q, responses, strict=False))


def attempts() -> list[tuple]:
    """(user, username, course, attempt, seen, location, answers, status, score, days ago).

    By hand (docs/report.md), module messagerie/lire-ses-messages:
    Q1 message-non-lu (right "0" « Il est écrit en gras. »): answered by L1 L3 L5 L6 L7 = 5; right at first
    try L3 only → 20 %, too hard; right in the end L1 L3 L6 → 60 %; wrong "1" chosen 4 times (L1, L5 a2, L6 a1,
    L7), "2" once → « Il est en bas de la liste. » (4); tries 8 over 7 attempts → 1.14.
    Q2 trombone (true): 5 learners; first right L1 L3 L6 L7 → 80 %; in the end 100 %; wrong "false" once
    → Faux (1); 8 / 7 → 1.14; not flagged.
    Q3 retrouver-message (« recherche »): 5 learners; first right L3 L6 L7 → 60 %; in the end 100 %; wrong
    « adresse » twice (L1, L5 a1); 8 / 7 → 1.14.
    Funnel: 9 attempts with a page; P1 9 (100 %), P2 7 (78 %), P3 6 (67 %), P4 7 (78 %); not completed 6
    (L2, L4, L5 a1, L5 a2, L6 a1, L7); stopped at P2 1 (L2), P3 1 (L4), P4 4 → P4 stands out.
    Agents (messagerie): L2 and L4 (started 20 days ago; last page P2, P3; nothing missed), L5 (failed twice;
    last page P4; missed Q1). L7 failed once 3 days ago, L6 passed in the job path on its second attempt:
    not listed."""
    return [
        (21, "agent-l1", "messagerie", 1, ALL, 3, quiz("1", "t", "adresse") + quiz("0", "t", "recherche"), "passed", 100, 3),
        (22, "agent-l2", "messagerie", 1, [0, 1], 1, [], "incomplete", None, 20),
        (23, "agent-l3", "messagerie", 1, ALL, 3, quiz("0", "t", "recherche"), "passed", 100, 2),
        (24, "agent-l4", "messagerie", 1, [0, 1, 2], 2, [], "incomplete", None, 20),
        (25, "agent-l5", "messagerie", 1, ALL, 3, quiz("2", "f", "adresse"), "failed", 0, 6),
        (25, "agent-l5", "messagerie", 2, [0, 3], 3, quiz("1", "t", "recherche"), "failed", 67, 5),
        (26, "agent-l6", "agent-voirie", 1, ALL, 3, quiz("1", "t", "recherche"), "failed", 67, 4),
        (26, "agent-l6", "agent-voirie", 2, [0, 3], 3, quiz("0", "t", "recherche"), "passed", 100, 3),
        (27, "agent-l7", "messagerie", 1, ALL, 3, quiz("1", "t", "recherche"), "failed", 67, 3),
    ]


#: 9 module statements, 24 answers, 29 pages seen (4 + 2 + 4 + 3 + 4 + 2 + 4 + 2 + 4)
STATEMENTS = 9 + 24 + 29


@pytest.fixture
def moodle(tmp_path, monkeypatch):
    double, served = published(tmp_path, monkeypatch, TOKEN)
    for user, username, course, attempt, seen, location, answers, status, score, days in attempts():
        double.add_user(user, username, f"M{user}", f"{username}@example.org")
        values, times, last = tracks(seen, location, answers, status, score, NOW - days * DAY)
        double.add_attempt(user, f"coursepack:{course}", "coursepack:messagerie/lire-ses-messages", attempt, values, last,
                           1 if status == "passed" else 0, times=times)
    served.double = double
    yield served
    served.close()


@pytest.fixture(params=["ralph", "strict"])
def lrs(request):
    return request.getfixturevalue("ralph" if request.param == "ralph" else "strict_lrs")


def run_sync(moodle, lrs, tmp_path):
    env = {"LRS_ENDPOINT": lrs.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    result = CliRunner(env=env).invoke(cli, ["sync", "--moodle-url", moodle.url, "--state", str(tmp_path / "sync.json")])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result


def stored(lrs) -> list[dict]:
    return lrs.statements() if callable(getattr(lrs, "statements", None)) else []


def test_scorm_answers_and_pages_reach_the_report_exactly_once(moodle, lrs, tmp_path) -> None:
    first = run_sync(moodle, lrs, tmp_path)
    assert f"{STATEMENTS} déclarations envoyées" in first.output, first.output
    statements = stored(lrs)
    assert len(statements) == STATEMENTS == len({s["id"] for s in statements})

    answered = [s for s in statements if s["verb"]["id"].endswith("/answered")]
    one = next(s for s in answered if s["actor"]["account"]["name"] == "agent-l5" and s["result"]["response"] == "2")
    assert one["object"]["id"] == MODULE + "/questions/message-non-lu"
    assert one["object"]["definition"]["interactionType"] == "choice"
    assert one["object"]["definition"]["choices"][1]["id"] == "1"  # as in xapi-activities.json
    assert one["result"] == {"response": "2", "success": False, "duration": "PT0H0M20S"}
    assert one["context"]["contextActivities"]["parent"] == [{"objectType": "Activity", "id": MODULE}]
    assert [g["id"] for g in one["context"]["contextActivities"]["grouping"]] == [BASE]
    module_statement = next(s for s in statements if s["actor"]["account"]["name"] == "agent-l5"
                            and s["verb"]["id"].endswith("/failed") and s["result"]["score"]["raw"] == 0)
    assert one["context"]["registration"] == module_statement["context"]["registration"]
    false = next(s for s in answered if s["result"]["response"] == "false")  # SCORM 1.2's "f"
    assert false["result"]["success"] is False
    in_job = next(s for s in answered if s["actor"]["account"]["name"] == "agent-l6")
    assert [g["id"] for g in in_job["context"]["contextActivities"]["grouping"]] == [BASE + "agent-voirie", BASE]
    pages = [s for s in statements if s["verb"]["id"].endswith("/experienced")]
    at = next(s for s in pages if s["actor"]["account"]["name"] == "agent-l2" and s["object"]["id"].endswith("lire-un-message"))
    assert at["object"]["definition"] == {"type": "http://adlnet.gov/expapi/activities/lesson",
                                          "name": {"fr-FR": "Lire un message"}}

    result = report(lrs, tmp_path, "--idle-days", "14")
    assert result.exit_code == 0, result.output
    questions = [r for r in sheet(tmp_path / "rapport" / "report-questions.csv") if r["module"] == "messagerie/lire-ses-messages"]
    assert [(r["ont_repondu"], r["juste_premier_essai"], r["juste_a_la_fin"], r["reponse_fausse_la_plus_choisie"],
             r["fois_choisie"], r["essais_moyens"], r["signal"]) for r in questions] == [
        ("5", "0.200", "0.600", "Il est en bas de la liste.", "4", "1.14", "trop_difficile"),
        ("5", "0.800", "1.000", "Faux", "1", "1.14", ""),
        ("5", "0.600", "1.000", "« adresse »", "2", "1.14", ""),
    ]
    agents = sheet(tmp_path / "rapport" / "report-agents.csv")
    assert sorted((a["cours"], a["agent"], a["echecs"], a["sans_nouvelles"], a["derniere_page"], a["questions_manquees"])
                  for a in agents) == [
        ("messagerie", "agent-l2", "0", "oui", "Lire un message", ""),
        ("messagerie", "agent-l4", "0", "oui", "Ranger ses messages", ""),
        ("messagerie", "agent-l5", "2", "non", "Vérifiez vos connaissances",
         "Comment reconnaître un message que vous n'avez pas encore lu ?"),
    ]
    funnel = funnel_rows(tmp_path)
    assert funnel == [("100", "9", "0"), ("78", "7", "1"), ("67", "6", "1"), ("78", "7", "4")]

    # read again: nothing new; a lost state: nothing twice
    again = run_sync(moodle, lrs, tmp_path)
    assert "0 déclaration envoyée" in again.output, again.output
    (tmp_path / "sync.json").unlink()
    lost = run_sync(moodle, lrs, tmp_path)
    assert "0 déclaration envoyée" in lost.output and f"{STATEMENTS} déjà dans le LRS" in lost.output, lost.output

    # L7 tries again in the same attempt and passes: three answers and the passed statement, nothing else
    double = moodle.double
    ident = next(a["id"] for a in double.attempts if a["userid"] == 27)
    later = double.now()  # Moodle records the change now: after the cursor
    more = {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "100"}
    for n, (question, response) in enumerate(quiz("0", "t", "recherche"), start=3):
        more.update({f"cmi.interactions_{n}.id": question, f"cmi.interactions_{n}.type": TYPES[question],
                     f"cmi.interactions_{n}.student_response": response, f"cmi.interactions_{n}.result": "correct",
                     f"cmi.interactions_{n}.latency": "0000:00:05.00"})
    double.change_attempt(ident, more, later, completionstate=1)
    retry = run_sync(moodle, lrs, tmp_path)
    assert "4 déclarations envoyées" in retry.output, retry.output
    assert len(stored(lrs)) == STATEMENTS + 4


def funnel_rows(tmp_path) -> list[tuple[str, str, str]]:
    """The funnel of the module, per page: (still there in %, attempts, stopped here), from the HTML."""
    import re
    html = (tmp_path / "rapport" / "report.html").read_text(encoding="utf-8")
    table = re.search(r"<table class=\"cp-funnel\" data-module=\"messagerie/lire-ses-messages\".*?</table>", html, re.S)
    assert table is not None
    rows = re.findall(r"<tr[^>]*>\s*<th[^>]*>.*?</th>\s*<td[^>]*>(\d+) %</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>",
                      table.group(0), re.S)
    return rows


def test_scorm_responses_in_xapi_s_format() -> None:
    assert xapi_response("choice", "0,2") == "0[,]2"
    assert xapi_response("choice", "0[,]2") == "0[,]2"  # SCORM 2004 already
    assert xapi_response("sequencing", "2,0,1") == "2[,]0[,]1"
    assert xapi_response("matching", "0.1,1.0") == "0[.]1[,]1[.]0"
    assert xapi_response("true-false", "t") == "true" and xapi_response("true-false", "f") == "false"
    assert xapi_response("true-false", "true") == "true"
    assert xapi_response("fill-in", "oui, non.") == "oui, non."


def test_pages_seen_read_from_the_player_s_resume_state() -> None:
    assert pages_seen("1|b|0~", 4) == [0, 1, 3]
    assert pages_seen("1|1f|2.50~0;t;", 6) == [0, 1, 2, 3, 4]
    assert pages_seen("not ours", 4) is None


def test_an_older_plugin_gives_no_answers(tmp_path, monkeypatch, ralph) -> None:  # noqa: F811
    """Plugin 2026120700 (no interactions in get_results): the module statements only, as before."""
    double = MoodleDouble(token=TOKEN)
    served = double.serve()
    monkeypatch.setenv("MOODLE_TOKEN", TOKEN)
    monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "none.toml"))
    try:
        assert CliRunner().invoke(cli, ["publish", "--moodle-url", served.url, "--out", str(tmp_path / "dist")]).exit_code == 0
        double.versions = {name: "2026120700" for name in double.versions}  # the plugin of before, once published
        double.add_user(21, "agent-l1", "M21", "agent-l1@example.org")
        values, times, last = tracks(ALL, 3, quiz("0", "t", "recherche"), "passed", 100, NOW - DAY)
        double.add_attempt(21, "coursepack:messagerie", "coursepack:messagerie/lire-ses-messages", 1, values, last, 1, times=times)
        result = run_sync(served, ralph, tmp_path)
        assert "1 déclaration envoyée" in result.output, result.output
    finally:
        served.close()
