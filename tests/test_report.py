"""``coursepack report`` from a Ralph LRS filled by a sync, checked in Chromium."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from lrs_support import PASSWORD, USERNAME, ralph  # noqa: F401 - fixture
from packager.cli import cli
from test_sync import moodle, run_sync  # noqa: F401 - fixture

MODULES = {  # key: (learners, passed, only completed, failed, completion, pass rate, average score, average time)
    "messagerie/lire-ses-messages": ("1", "1", "0", "0", "100 %", "100 %", "100 %", "12,5 min"),
    "conges-absences/poser-un-conge": ("1", "1", "0", "0", "100 %", "100 %", "80 %", "9 min"),
    "signalements/signaler-un-depot-sauvage": ("1", "1", "0", "0", "100 %", "100 %", "90 %", "9 min"),
    "agent-voirie/intro": ("1", "0", "1", "0", "100 %", "—", "—", "1,2 min"),
    "messagerie/ecrire-un-message": ("0", "0", "0", "0", "—", "—", "—", "—"),
}


def test_report_from_the_lrs(moodle, ralph, tmp_path, browser) -> None:  # noqa: F811
    assert run_sync(moodle, ralph, tmp_path).exit_code == 0
    out = tmp_path / "rapport" / "report.html"
    env = {"LRS_ENDPOINT": ralph.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    result = CliRunner(env=env).invoke(cli, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 apprenants, 5 déclarations" in result.output
    html = out.read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html  # nothing fetched

    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(out.as_uri())
    assert requests == [out.as_uri()]
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#cp-learners").text_content() == "2" and page.locator("#cp-statements").text_content() == "5"
    for key, expected in MODULES.items():
        cells = page.locator(f"#table-modules tr[data-key='{key}'] td").all_text_contents()
        assert tuple(cells) == expected, key
    for table in ("modules", "outils", "metiers"):
        rows = page.locator(f"#table-{table} tbody tr").count()
        assert rows > 0 and page.locator(f"#chart-{table} rect.cp-bar").count() == rows
    bar = page.locator("#chart-modules rect.cp-bar[data-key='messagerie/lire-ses-messages']")
    assert float(bar.get_attribute("width")) == 360.0
    assert float(page.locator("#chart-outils rect.cp-bar[data-key='messagerie']").get_attribute("width")) == 0.0
    voirie = page.locator("#table-metiers tr[data-key='agent-voirie'] td").all_text_contents()
    assert voirie[:2] == ["2", "3"]  # two learners began it; three quizzes passed among its required modules
    page.close()

    rows = list(csv.DictReader(io.StringIO((out.with_suffix(".csv")).read_text(encoding="utf-8")), delimiter=";"))
    lire = next(r for r in rows if r["identifiant"] == "messagerie/lire-ses-messages")
    assert (lire["apprenants"], lire["reussi"], lire["taux_achevement"], lire["score_moyen"]) == ("1", "1", "1.000", "100.0")
    assert {r["niveau"] for r in rows} == {"module", "cours_outil", "parcours_metier"}
