"""``coursepack report``: figures as docs/report.md defines them, from a hand-computed fixture
(the sync tests' attempts) through Ralph and through a strict LRS front, checked in Chromium."""

from __future__ import annotations

import csv
import io
import re
import json
import sqlite3

from click.testing import CliRunner

from lrs_support import PASSWORD, USERNAME, ralph, strict_lrs  # noqa: F401 - fixtures
from packager.cli import cli
from packager.report.render import render_csv
from packager.report.stats import Report, Row
from test_sync import BASE, moodle, run_sync  # noqa: F401 - fixture

#: By hand from test_sync.ATTEMPTS (started, completed, passed, only completed, failed, completion, pass rate,
#: best score, time per attempt). poser-un-conge: a failed attempt of 5 min then a passed one of 4 min, made in
#: a job path: 4,5 min per attempt, counted for the module, not for its tool course.
MODULES = {
    "messagerie/lire-ses-messages": ("1", "1", "1", "0", "0", "100 %", "100 %", "100 %", "12,5 min"),
    "conges-absences/poser-un-conge": ("1", "1", "1", "0", "0", "100 %", "100 %", "80 %", "4,5 min"),
    "signalements/signaler-un-depot-sauvage": ("1", "1", "1", "0", "0", "100 %", "100 %", "90 %", "9 min"),
    "agent-voirie/intro": ("1", "1", "0", "1", "0", "100 %", "—", "—", "1,2 min"),
    "messagerie/ecrire-un-message": ("1", "0", "0", "0", "0", "0 %", "—", "—", "—"),
}


def report(lrs, tmp_path, *extra: str, moodle_url: str | None = None):
    """``moodle_url``: the Moodle the contacts are asked of (none by default, whatever the environment says)."""
    env = {"LRS_ENDPOINT": lrs.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD, "MOODLE_URL": moodle_url}
    result = CliRunner(env=env).invoke(cli, ["report", "--out", str(tmp_path / "rapport" / "report.html"),
                                             "--store", str(tmp_path / "store.sqlite"), *extra])
    assert "Traceback" not in result.output and PASSWORD not in result.output, result.output
    return result


def sheet(path) -> list[dict[str, str]]:
    """A CSV the report wrote: 0600, its first line the personal-data notice, then the table."""
    assert path.stat().st_mode & 0o777 == 0o600, oct(path.stat().st_mode)
    first, text = path.read_text(encoding="utf-8").split("\n", 1)
    assert first.startswith("# DONNÉES PERSONNELLES") and "réservé à Équipe des médiateurs numériques" in first, first
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def csv_rows(tmp_path) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["niveau"], r["identifiant"]): r for r in sheet(tmp_path / "rapport" / "report.csv")}


def test_report_from_the_lrs(moodle, ralph, tmp_path, browser) -> None:  # noqa: F811
    assert run_sync(moodle, ralph, tmp_path).exit_code == 0
    result = report(ralph, tmp_path)
    assert result.exit_code == 0, result.output
    assert "2 apprenants, 6 déclarations ; 6 lues au LRS" in result.output
    out = tmp_path / "rapport" / "report.html"
    html = out.read_text(encoding="utf-8")
    # nothing fetched: no address but the links a mediator clicks (booking, mailto) and the SVG namespace
    fetched = re.sub(r'<a [^>]*href="[^"]*"', "", html).replace("http://www.w3.org/2000/svg", "")
    assert "http://" not in fetched and "https://" not in fetched

    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(out.as_uri())
    assert requests == [out.as_uri()]
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#cp-learners").text_content() == "2" and page.locator("#cp-statements").text_content() == "6"
    for key, expected in MODULES.items():
        cells = page.locator(f"#table-modules tr[data-key='{key}'] td").all_text_contents()
        assert tuple(cells) == expected, key
    for table in ("modules", "outils", "metiers"):
        rows = page.locator(f"#table-{table} tbody tr").count()
        assert rows > 0 and page.locator(f"#chart-{table} rect.cp-bar").count() == rows
    bar = page.locator("#chart-modules rect.cp-bar[data-key='messagerie/lire-ses-messages']")
    assert float(bar.get_attribute("width")) == 360.0
    page.close()

    rows = csv_rows(tmp_path)
    # a job path counts only the attempts made in it: agent2's intro in agent-voirie, nothing else
    voirie = rows[("parcours_metier", "agent-voirie")]
    assert (voirie["commence"], voirie["termine"], voirie["reussi"]) == ("1", "0", "0")
    collecte = rows[("parcours_metier", "agent-collecte-dechets")]
    assert (collecte["commence"], collecte["temps_par_tentative_min"]) == ("1", "4.5")
    assert rows[("cours_outil", "conges-absences")]["commence"] == "0"  # poser-un-conge was taken in a job path
    assert rows[("cours_outil", "messagerie")]["commence"] == "2"
    assert all(int(r["termine_sans_reussite"]) >= 0 for r in rows.values())

    # a re-run asks only for what is new (since the latest stored time, minus the margin)
    again = report(ralph, tmp_path, "--lang", "en")
    assert again.exit_code == 0 and "Report:" in again.output and "2 learners, 6 statements" in again.output
    assert 'lang="en"' in out.read_text(encoding="utf-8")
    import sqlite3
    with sqlite3.connect(tmp_path / "store.sqlite") as db:  # Ralph's file backend matches no activity query
        assert db.execute("SELECT value FROM meta WHERE key = 'activity_filter'").fetchone() == ("no",)


def _stored(lrs, statements: list[dict]) -> None:
    for n, statement in enumerate(statements):
        key = statement["id"] if isinstance(statement, dict) else f"junk{n}"
        lrs.stored[key] = {**statement, "stored": f"2026-11-30T00:00:{n:02d}Z"} if isinstance(statement, dict) else statement
        lrs.order.append(key)


def _statement(ident: str, verb: str, **parts) -> dict:
    return {"id": ident, "actor": {"account": {"homePage": "https://m.example", "name": "a1"}},
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
            "object": {"id": BASE + "messagerie/lire-ses-messages"}, **parts}


def test_odd_statements_are_read_for_what_they_say(strict_lrs, tmp_path) -> None:  # noqa: F811
    _stored(strict_lrs, [
        _statement("1", "passed", result=None),
        _statement("2", "passed", result={"score": None, "duration": 5}),
        {"id": "3", "actor": {"mbox": "mailto:x@example.org"}, "verb": {"id": "v"}, "object": "x"},
        _statement("4", "failed", context={"contextActivities": {"grouping": "nope"}}),
        "not a statement",
        # a cmi5 package's own statement: the LMS's activity id, our module in the grouping
        {"id": "5", "actor": {"mbox": "mailto:b@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
         "object": {"id": "https://lms.example/au/77"}, "result": {"score": {"scaled": 0.5}, "duration": "PT2M"},
         "context": {"registration": "R", "contextActivities": {"grouping": [{"id": BASE + "messagerie/lire-ses-messages"}]}}},
    ])
    result = report(strict_lrs, tmp_path)
    assert result.exit_code == 0, result.output
    lire = csv_rows(tmp_path)[("module", "messagerie/lire-ses-messages")]
    assert (lire["commence"], lire["reussi"], lire["echoue"], lire["meilleur_score_moyen"]) == ("2", "2", "0", "50.0")
    assert lire["temps_par_tentative_min"] == "2.0"


def test_unexpected_lrs_answer_is_one_line(strict_lrs, tmp_path) -> None:  # noqa: F811
    strict_lrs.fault = "html"
    result = report(strict_lrs, tmp_path)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (f"Le LRS {strict_lrs.endpoint} a envoyé une réponse inattendue (HTTP 200 : "
                                     "ce n'est pas une réponse xAPI : text/html « <html><body>Please log in</body></html> ») : rapport non écrit.")
    strict_lrs.fault = None
    original = strict_lrs._server.RequestHandlerClass.do_GET

    def a_list(handler) -> None:
        handler._send(200, [1, 2, 3])

    strict_lrs._server.RequestHandlerClass.do_GET = a_list
    try:
        listed = report(strict_lrs, tmp_path)
    finally:
        strict_lrs._server.RequestHandlerClass.do_GET = original
    assert listed.exit_code == 1 and "ce n'est pas un résultat de requête xAPI : application/json « [1, 2, 3] »" in listed.output


def test_report_pulls_only_what_is_new(strict_lrs, tmp_path) -> None:  # noqa: F811
    _stored(strict_lrs, [_statement(str(n), "passed") for n in range(30)])
    assert "30 lues au LRS" in report(strict_lrs, tmp_path).output
    strict_lrs.stored["new"] = {**_statement("new", "failed"), "stored": "2026-11-30T01:00:00Z"}
    strict_lrs.order.append("new")
    again = report(strict_lrs, tmp_path)
    # the 30 within the margin are read again, kept once
    assert "(1 apprenant, 31 déclarations ; 31 lues au LRS)" in again.output, again.output
    gets = [p for m, p, _n in strict_lrs.requests if m == "GET"]
    assert "since=" in gets[-1]


def test_csv_cells_are_never_formulas() -> None:
    row = Row(key="=cmd|' /C calc'!A0", title="+SUM(A1:A9)", started=1)
    text = render_csv(Report([row], [Row(key="@x", title="-2+3")], [], learners=1, statements=1))
    cells = [line.split(";") for line in text.splitlines()[1:]]
    assert cells[0][1].startswith("'=") and cells[0][2] == "'+SUM(A1:A9)"
    assert cells[1][1] == "'@x" and cells[1][2] == "'-2+3"
    assert json.dumps(text)  # plain text, nothing else


def test_report_by_activity_asks_only_for_ours(strict_lrs, tmp_path) -> None:  # noqa: F811
    _stored(strict_lrs, [_statement("1", "passed"), {**_statement("2", "passed"), "object": {"id": "https://other.example/x"}},
                         {**_statement("3", "passed"), "object": {"id": "https://lms.example/au/1"},
                          "context": {"contextActivities": {"grouping": [{"id": BASE + "messagerie/lire-ses-messages"}]}}}])
    result = report(strict_lrs, tmp_path, "--by-activity")
    assert result.exit_code == 0 and "2 déclarations ; 2 lues au LRS" in result.output, result.output
    gets = [p for m, p, _n in strict_lrs.requests if m == "GET"]
    assert len(gets) == 20 and all("related_activities=true" in p for p in gets)  # one query per module


def test_report_asks_by_activity_once_the_lrs_is_seen_to_filter(strict_lrs, tmp_path) -> None:  # noqa: F811
    """Without --by-activity: the first pull reads everything; the next asks once, with a statement
    the store holds, whether the LRS filters by activity; from then on it asks by activity."""
    registration = {"registration": "00000000-0000-4000-9000-000000000001"}
    _stored(strict_lrs, [_statement("1", "passed", context=registration),
                         {**_statement("2", "passed"), "object": {"id": "https://other.example/x"}}])
    first = report(strict_lrs, tmp_path)
    assert first.exit_code == 0 and "1 déclaration ; 2 lues au LRS" in first.output, first.output
    assert all("activity=" not in p for m, p, _n in strict_lrs.requests if m == "GET")
    strict_lrs.requests.clear()
    assert report(strict_lrs, tmp_path).exit_code == 0
    gets = [p for m, p, _n in strict_lrs.requests if m == "GET"]
    assert "registration=" in gets[0] and len(gets) == 21 and all("related_activities=true" in p for p in gets[1:])
    strict_lrs.requests.clear()
    assert report(strict_lrs, tmp_path).exit_code == 0
    assert len([p for m, p, _n in strict_lrs.requests if m == "GET"]) == 20  # asked once per store


def test_an_lrs_that_ignores_filters_is_read_whole(strict_lrs, tmp_path) -> None:  # noqa: F811
    strict_lrs.filters = False
    _stored(strict_lrs, [_statement("1", "passed", context={"registration": "00000000-0000-4000-9000-000000000001"}),
                         _statement("2", "failed", context={"registration": "00000000-0000-4000-9000-000000000002"})])
    assert report(strict_lrs, tmp_path).exit_code == 0
    strict_lrs.requests.clear()
    for _ in range(2):
        assert report(strict_lrs, tmp_path).exit_code == 0
    gets = [p for m, p, _n in strict_lrs.requests if m == "GET"]
    assert len(gets) == 3 and "registration=" in gets[0] and all("activity=" not in p for p in gets[1:])


def test_an_lrs_refusing_the_activity_probe_is_read_whole(strict_lrs, tmp_path, monkeypatch) -> None:  # noqa: F811
    _stored(strict_lrs, [_statement("1", "passed", context={"registration": "00000000-0000-4000-9000-000000000001"})])
    assert report(strict_lrs, tmp_path).exit_code == 0
    from packager.lrs.client import LrsClient, LrsError

    real = LrsClient.pages

    def pages(self, **params):
        if "registration" in params:
            raise LrsError(400, "unknown parameter: registration", self.endpoint)
        return real(self, **params)

    monkeypatch.setattr(LrsClient, "pages", pages)
    again = report(strict_lrs, tmp_path)
    assert again.exit_code == 0 and "1 déclaration" in again.output, again.output


def _attempt_statements() -> list[dict]:
    """Two learners, two attempts each: verbs, scores and durations that the fold must combine."""
    found = []
    for learner in ("a1", "a2"):
        for attempt, (verb, raw, duration) in enumerate((("failed", 40, "PT4M"), ("passed", 85, "PT9M30S"))):
            registration = f"00000000-0000-4000-9000-{attempt}{learner[-1]:0>11}"
            common = {"actor": {"account": {"homePage": "https://m.example", "name": learner}},
                      "object": {"id": BASE + "messagerie/lire-ses-messages"}, "context": {"registration": registration}}
            found.append({**common, "id": f"{learner}-{attempt}-a", "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
                          "result": {"duration": "PT1M"}})
            found.append({**common, "id": f"{learner}-{attempt}-b", "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
                          "result": {"duration": duration, "score": {"raw": raw, "min": 0, "max": 100}}})
    return found


def test_incremental_fold_gives_the_full_reports_figures(strict_lrs, tmp_path) -> None:  # noqa: F811
    statements = _attempt_statements()
    _stored(strict_lrs, statements)
    full = report(strict_lrs, tmp_path / "full")
    assert full.exit_code == 0, full.output
    expected = csv_rows(tmp_path / "full")
    row = expected[("module", "messagerie/lire-ses-messages")]
    assert (row["commence"], row["reussi"]) == ("2", "2")
    # the same statements reaching the store in three pulls, an attempt split across two of them
    strict_lrs.stored.clear()
    strict_lrs.order.clear()
    for part, (start, end) in enumerate(((0, 3), (3, 6), (6, 8))):
        for n, statement in enumerate(statements[start:end]):
            strict_lrs.stored[statement["id"]] = {**statement, "stored": f"2026-11-30T0{part * 2}:00:{n:02d}Z"}
            strict_lrs.order.append(statement["id"])
        assert report(strict_lrs, tmp_path / "parts").exit_code == 0
    assert csv_rows(tmp_path / "parts") == expected
    # a store written before the folded tables: folded from its statements when opened
    db = sqlite3.connect(tmp_path / "parts" / "store.sqlite")
    db.executescript("DROP TABLE learning; DROP TABLE attempts; DELETE FROM meta WHERE key = 'folded';")
    db.commit()
    db.close()
    assert report(strict_lrs, tmp_path / "parts").exit_code == 0
    assert csv_rows(tmp_path / "parts") == expected


def test_a_store_of_the_previous_version_is_read_again_from_the_lrs(strict_lrs, tmp_path) -> None:  # noqa: F811
    """Its rows lack the time, success and response the item analysis reads: emptied, pulled whole."""
    _stored(strict_lrs, _attempt_statements())
    db = sqlite3.connect(tmp_path / "store.sqlite")
    db.executescript("""CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE statements (id TEXT PRIMARY KEY, learner TEXT NOT NULL, object TEXT NOT NULL, grouping TEXT NOT NULL,
            registration TEXT NOT NULL, verb TEXT NOT NULL, scaled REAL, seconds REAL, stored TEXT NOT NULL);
        INSERT INTO meta VALUES ('latest', '2027-01-01T00:00:00+00:00'), ('folded', '1');""")
    db.close()
    result = report(strict_lrs, tmp_path)
    assert result.exit_code == 0 and "2 apprenants, 8 déclarations ; 8 lues au LRS" in result.output, result.output
