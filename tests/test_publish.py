"""``coursepack publish`` against the Moodle double (faithful to the recorded Moodle 5.2)."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections import Counter
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from conftest import COURSES, SETTINGS, TOOL, dedent
from moodle_double import CHANGES, PLUGIN_VERSION, MoodleDouble
from packager.cli import cli
from packager.cli import publish as publish_command
from packager.model.checks import validate_catalogue
from packager.moodle.client import MoodleClient, Retry
from packager.moodle.plugin_version import shipped_plugin

TOKEN = "f00dcafe0123456789abcdef01234567"


@pytest.fixture
def moodle():
    double = MoodleDouble(token=TOKEN)
    served = double.serve()
    yield served
    served.close()


@pytest.fixture
def publish(moodle, tmp_path, monkeypatch):
    monkeypatch.setenv("MOODLE_TOKEN", TOKEN)
    monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "no-config.toml"))
    out = tmp_path / "dist"

    def run(*args: str, catalogue: Path = COURSES, url: str | None = None):
        result = CliRunner().invoke(cli, ["publish", str(catalogue), "--moodle-url", url or moodle.url, "--out", str(out), *args])
        assert TOKEN not in result.output
        return result

    run.out = out
    return run


@contextlib.contextmanager
def served(**options: Any) -> Iterator[tuple[MoodleDouble, str]]:
    """A double of its own, on HTTP for the length of the block: (the double, its URL)."""
    double = MoodleDouble(**{"token": TOKEN, **options})
    server = double.serve()
    try:
        yield double, server.url
    finally:
        server.close()


def changes(double: MoodleDouble) -> list[str]:
    return changes_since(double, 0)


def snapshot(double: MoodleDouble) -> dict:
    """What a learner or an admin sees: objects by ID number, never duplicated."""
    return {
        "categories": sorted((c["idnumber"], c["name"], double.categories.get(c["parent"], {}).get("idnumber")) for c in double.categories.values()),
        "courses": sorted((c["idnumber"], c["shortname"], c["fullname"], double.categories[c["categoryid"]]["idnumber"]) for c in double.courses.values()),
        "activities": sorted((double.courses[cm["course"]]["idnumber"], cm["idnumber"], double.scorms[cm["instance"]]["sha1hash"]) for cm in double.cms.values()),
    }


def expected_activities() -> int:
    catalogue = validate_catalogue(COURSES)
    return sum(len(t.modules) for t in catalogue.tools.values()) + sum(1 + len(j.modules) for j in catalogue.jobs.values())


def test_first_publish_creates_everything(publish, moodle) -> None:
    result = publish()
    assert result.exit_code == 0, result.output
    double = moodle.double
    state = snapshot(double)
    assert state["categories"] == [("coursepack:jobs", "Par métier", "coursepack:root"),
                                   ("coursepack:root", "Formations numériques", None),
                                   ("coursepack:tools", "Par outil", "coursepack:root")]
    assert len(state["courses"]) == 10
    assert ("coursepack:messagerie", "messagerie", "La messagerie électronique", "coursepack:tools") in state["courses"]
    assert ("coursepack:agent-voirie", "agent-voirie", "Agent de voirie", "coursepack:jobs") in state["courses"]
    assert len(state["activities"]) == expected_activities()
    assert all(n == 1 for n in Counter((a[0], a[1]) for a in state["activities"]).values())
    # one upload per package, however many courses use the module
    assert Counter(changes(double))["upload"] == 20
    # the package Moodle holds is the one built
    zip_path = publish.out / "messagerie.lire-ses-messages.scorm12.zip"
    sha1 = hashlib.sha1(zip_path.read_bytes()).hexdigest()
    assert ("coursepack:messagerie", "coursepack:messagerie/lire-ses-messages", sha1) in state["activities"]
    # completion the package can reach; display in the current window, straight into the player
    quiz = next(s for s in double.scorms.values() if s["name"] == "Lire et trier ses messages")
    intro = next(s for s in double.scorms.values() if s["name"] == "Présentation du parcours")
    assert (quiz["completionstatusrequired"], quiz["completionscorerequired"]) == (2, 75)
    assert (intro["completionstatusrequired"], intro["completionscorerequired"]) == (4, None)
    assert (quiz["popup"], quiz["skipview"], quiz["grademethod"], quiz["whatgrade"]) == (0, 2, 1, 0)
    # Moodle attempts, unlimited, a new one once the last ended: a learner who failed is never in Review mode
    assert (quiz["maxattempt"], quiz["forcenewattempt"]) == (0, 1)
    # a grade only where a quiz gives one: the course total is the quizzes'
    assert (quiz["maxgrade"], intro["maxgrade"]) == (100, 0)
    course = next(c for c in double.courses.values() if c["idnumber"] == "coursepack:messagerie")
    assert course["enablecompletion"] == 1 and course["format"] == "topics"
    assert course["summary"].startswith("<p>Lire, écrire et trier vos courriels")
    # this site has no French language pack: the course is published without forcing it
    assert course["lang"] == ""
    assert "Le pack de langue « fr » n'est pas installé" in result.output
    assert "Publié : " in result.output


def test_second_publish_changes_nothing(publish, moodle) -> None:
    assert publish().exit_code == 0
    before = len(moodle.double.calls)
    again = publish()
    assert again.exit_code == 0, again.output
    assert "Moodle est déjà à jour." in again.output
    assert changes_since(moodle.double, before) == []
    assert not any(line.startswith(("  créer", "  mettre à jour")) for line in again.output.splitlines())
    assert "activité : 0 à créer, 0 à mettre à jour, 56 sans changement" in again.output
    # site info, the plugin's status and its state: nothing read object by object
    assert [name for name, _ in moodle.double.calls[before:]] == [
        "core_webservice_get_site_info", "local_coursepack_get_status", "local_coursepack_get_state"]


def changes_since(double: MoodleDouble, index: int) -> list[str]:
    return [name for name, _ in double.calls[index:] if name in CHANGES]


def test_one_changed_module_is_uploaded_once(publish, moodle, tmp_path) -> None:
    catalogue = tmp_path / "courses"
    shutil.copytree(COURSES, catalogue)
    assert publish(catalogue=catalogue).exit_code == 0
    course = catalogue / "outils" / "conges-absences.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("Faites votre demande **au moins 15 jours avant**",
                                                                 "Faites votre demande **au moins trois semaines avant**"), encoding="utf-8")
    before = len(moodle.double.calls)
    result = publish(catalogue=catalogue)
    assert result.exit_code == 0, result.output
    made = Counter(changes_since(moodle.double, before))
    users = sum(1 for cm in moodle.double.cms.values() if cm["idnumber"] == "coursepack:conges-absences/poser-un-conge")
    assert users == 5  # its tool course and four job paths
    assert made == {"upload": 1, "local_coursepack_save_scorm": users}
    revisions = {moodle.double.scorms[cm["instance"]]["revision"] for cm in moodle.double.cms.values()
                 if cm["idnumber"] == "coursepack:conges-absences/poser-un-conge"}
    assert revisions == {2}


def test_dry_run_prints_the_plan_and_changes_nothing(publish, moodle) -> None:
    result = publish("--dry-run")
    assert result.exit_code == 0, result.output
    assert "  créer          catégorie  Formations numériques" in result.output
    assert "  créer          cours      La messagerie électronique" in result.output
    assert "activité : " + str(expected_activities()) + " à créer, 0 à mettre à jour, 0 sans changement" in result.output
    assert "Simulation (--dry-run) : rien n'a été modifié." in result.output
    assert changes(moodle.double) == [] and moodle.double.categories == {}


SMALL_JOB = """\
kind: job
id: parcours
title: Parcours
summary: Un parcours.
duration_minutes: 30
audience: Tous
pages:
  - {id: intro, title: Intro, blocks: [{text: Bienvenue.}]}
modules:
  - ref: outil/module-a
  - ref: outil/module-b
    required: false
"""


def small_catalogue(root: Path) -> Path:
    (root / "outils").mkdir(parents=True)
    (root / "metiers").mkdir()
    (root / "catalogue.yml").write_text(SETTINGS, encoding="utf-8")
    tool = TOOL + "  - id: module-b\n    title: Module B\n    pages:\n      - id: page-1\n        title: Page 1\n        blocks:\n          - text: Au revoir.\n"
    (root / "outils" / "outil.yml").write_text(tool, encoding="utf-8")
    (root / "metiers" / "parcours.yml").write_text(dedent(SMALL_JOB), encoding="utf-8")
    return root


def test_interrupted_publish_resumes_without_duplicates(publish, tmp_path) -> None:
    """Killed before or after each change (the change done, the answer lost), then run again."""
    catalogue = small_catalogue(tmp_path / "small")
    reference = MoodleDouble(token=TOKEN)
    server = reference.serve()
    try:
        assert publish(catalogue=catalogue, url=server.url).exit_code == 0
    finally:
        server.close()
    total = reference.changes
    # 3 categories, 2 courses, 5 activities, 3 packages, 2 layouts, 2 self-enrolments
    assert total == 3 + 2 + 5 + 3 + 2 + 2
    expected = snapshot(reference)
    for when in ("before", "after"):
        for step in range(1, total + 1):
            double = MoodleDouble(token=TOKEN)
            double.crash = (when, step)
            server = double.serve()
            try:
                interrupted = publish(catalogue=catalogue, url=server.url)
                assert interrupted.exit_code == 1, (when, step, interrupted.output)
                assert "Moodle ne répond pas" in interrupted.output
                double.crash = None
                resumed = publish(catalogue=catalogue, url=server.url)
                assert resumed.exit_code == 0, (when, step, resumed.output)
                assert snapshot(double) == expected, (when, step)
                assert publish(catalogue=catalogue, url=server.url).output.count("Moodle est déjà à jour.") == 1
            finally:
                server.close()


@pytest.mark.parametrize("setup, message", [
    (dict(token="another-token"), "Moodle refuse le jeton (invalidtoken)"),
    (dict(plugin=False), "manque : installez le plugin local_coursepack"),
    (dict(plugin_version="2026112800"), f"Le plugin local_coursepack installé est en version 2026112800 ; cet outil attend la version {PLUGIN_VERSION} ({shipped_plugin().release})."),
    (dict(missing_functions=("core_course_update_courses",)), "Fonctions absentes du service du jeton : core_course_update_courses."),
    (dict(manager=False), "Le compte du jeton n'a pas le droit de faire cela (Create courses)"),
    (dict(upload_limit=1000), "dépasse la taille de dépôt permise par Moodle"),
    (dict(uploadfiles=0), "Moodle refuse le dépôt du fichier (accessexception)"),
    # the database upgraded, PHP-FPM still running the old files: old code on a new schema
    (dict(code_version="2026120102"), "mais le serveur web exécute encore le code < 2026120700. Rechargez PHP-FPM"),
])
def test_errors_are_one_clear_line(publish, tmp_path, setup, message) -> None:
    with served(**setup) as (_double, url):
        result = publish(url=url)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and ").)" not in result.output


def test_webservices_disabled(publish, moodle) -> None:
    moodle.double.webservices = False
    result = publish()
    assert result.exit_code == 1
    assert "Les services web sont désactivés sur ce Moodle" in result.output


def test_missing_token_is_asked_for_never_taken_from_the_command_line(moodle, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("MOODLE_TOKEN", raising=False)
    monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "none.toml"))
    result = CliRunner().invoke(cli, ["publish", "--moodle-url", moodle.url, "--out", str(tmp_path / "dist")])
    assert result.exit_code == 2 and "MOODLE_TOKEN" in result.output
    assert "--token" not in CliRunner().invoke(cli, ["publish", "--help"]).output


def test_token_from_config_file(moodle, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("MOODLE_TOKEN", raising=False)
    config = tmp_path / "config.toml"
    config.write_text(f'[moodle]\nurl = "{moodle.url}"\ntoken = "{TOKEN}"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["publish", "--config", str(config), "--out", str(tmp_path / "dist"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output


def test_unreachable_moodle_is_retried_then_reported(tmp_path, capsys) -> None:
    double = MoodleDouble(token=TOKEN)
    server = double.serve()
    url = server.url
    server.close()  # nothing listens there any more
    sleeps: list[float] = []
    client = MoodleClient(url, TOKEN, timeout=2, retry=Retry(2, backoff_factor=0.5, backoff_jitter=0, sleep=sleeps.append))
    code = publish_command.run(COURSES, moodle_url=url, config_file=None, out=tmp_path / "dist", dry_run=False, client=client)
    output = "".join(capsys.readouterr())
    assert code == 1
    assert sleeps == [1.0]  # site info is safe to repeat: retried twice, urllib3 backs off from the second
    assert f"Moodle ne répond pas à {url}" in output and TOKEN not in output


def test_timeout_is_reported(tmp_path, capsys) -> None:
    double = MoodleDouble(token=TOKEN)
    double.delay = 1.0
    server = double.serve()
    client = MoodleClient(server.url, TOKEN, timeout=0.2, retry=Retry(1, backoff_factor=0, sleep=lambda _s: None))
    try:
        code = publish_command.run(COURSES, moodle_url=server.url, config_file=None, out=tmp_path / "dist",
                                   dry_run=True, client=client)
    finally:
        server.close()
    output = "".join(capsys.readouterr())
    assert code == 1 and "Moodle ne répond pas" in output and "pas de réponse complète en 0,2 s" in output


def test_texts_with_apostrophes_compare_as_stored(publish, moodle) -> None:
    """Moodle gives summaries through format_text and names through format_string: the plan
    compares with the stored values, so a catalogue full of apostrophes re-publishes nothing
    (it updated 3 courses on every run)."""
    assert publish().exit_code == 0
    course = next(c for c in moodle.double.courses.values() if "&#x27;" in c["summary"])
    formatted = moodle.double.ws_core_course_get_courses_by_field("id", str(course["id"]))["courses"][0]
    assert formatted["summary"] == course["summary"].replace("&#x27;", "'")  # what core reads give back
    before = len(moodle.double.calls)
    assert "Moodle est déjà à jour." in publish().output
    assert changes_since(moodle.double, before) == []


def test_a_field_edited_by_hand_in_moodle_is_restored(publish, moodle) -> None:
    assert publish().exit_code == 0
    double = moodle.double
    course = next(c for c in double.courses.values() if c["idnumber"] == "coursepack:messagerie")
    course["fullname"] = "Renommé à la main"
    course["_sections"][1]["name"] = "Section renommée"
    scorm = next(s for s in double.scorms.values() if s["name"] == "Lire et trier ses messages")
    scorm["intro"] = "<p>Modifié</p>"
    category = next(c for c in double.categories.values() if c["idnumber"] == "coursepack:tools")
    category["name"] = "Outils (renommé)"
    result = publish()
    assert result.exit_code == 0, result.output
    assert course["fullname"] == "La messagerie électronique" and category["name"] == "Par outil"
    assert course["_sections"][1]["name"] == "Lire et trier ses messages"
    assert scorm["intro"].startswith("<p>") and scorm["intro"] != "<p>Modifié</p>"
    assert "Moodle est déjà à jour." in publish().output


def test_missing_capabilities_are_named_before_anything_changes(publish) -> None:
    with served(missing_capabilities=("moodle/course:view", "enrol/self:config")) as (double, url):
        result = publish(url=url)
    assert result.exit_code == 1
    assert "n'a pas ces capacités au niveau du système : moodle/course:view, enrol/self:config" in result.output
    assert changes(double) == [] and double.categories == {}


@pytest.mark.parametrize("languages, missing, forced, note", [
    (("en",), (), "", "Le pack de langue « fr » n'est pas installé"),
    (("en", "fr"), ("moodle/course:setforcedlanguage",), "", "n'a pas la capacité moodle/course:setforcedlanguage"),
    (("en", "fr"), (), "fr", None),
])
def test_course_language_decided_from_the_site(publish, tmp_path, languages, missing, forced, note) -> None:
    """Re-checked on every run, never remembered in the output folder: without the right, Moodle
    would drop lang silently on create and refuse update with a warning."""
    with served(languages=languages, missing_capabilities=missing) as (double, url):
        first = publish(url=url)
        assert first.exit_code == 0, first.output
        assert {c["lang"] for c in double.courses.values()} == {forced}
        assert (note in first.output) if note else ("Le pack de langue" not in first.output)
        again = publish(url=url)
        assert "Moodle est déjà à jour." in again.output, again.output
        if not forced:  # the pack installed, the right given: the next run forces the language
            double.languages.add("fr")
            double.capabilities.add("moodle/course:setforcedlanguage")
            third = publish(url=url)
            assert third.exit_code == 0, third.output
            assert {c["lang"] for c in double.courses.values()} == {"fr"}
    assert not list(publish.out.glob(".coursepack-publish*"))


def sections(double: MoodleDouble, idnumber: str) -> list[tuple[int, str, int, list[str]]]:
    course = next(c for c in double.courses.values() if c["idnumber"] == idnumber)
    return [(x["section"], x["name"], x["visible"], [double.cms[i]["idnumber"] for i in x["cmids"]])
            for x in course["_sections"]]


def test_one_section_per_module_in_yaml_order(publish, moodle, tmp_path) -> None:
    catalogue = small_catalogue(tmp_path / "small")
    assert publish(catalogue=catalogue).exit_code == 0
    assert sections(moodle.double, "coursepack:parcours") == [
        (0, "", 1, []),
        (1, "Présentation du parcours", 1, ["coursepack:parcours/intro"]),
        (2, "Module A", 1, ["coursepack:outil/module-a"]),
        (3, "Module B", 1, ["coursepack:outil/module-b"])]
    # reordered and renamed: the activity moves, the section follows
    job = catalogue / "metiers" / "parcours.yml"
    job.write_text(job.read_text(encoding="utf-8").replace(
        "  - ref: outil/module-a\n  - ref: outil/module-b\n    required: false\n",
        "  - ref: outil/module-b\n    required: false\n  - ref: outil/module-a\n"), encoding="utf-8")
    tool = catalogue / "outils" / "outil.yml"
    tool.write_text(tool.read_text(encoding="utf-8").replace("title: Module B", "title: Module B bis"), encoding="utf-8")
    assert publish(catalogue=catalogue).exit_code == 0
    assert sections(moodle.double, "coursepack:parcours")[1:] == [
        (1, "Présentation du parcours", 1, ["coursepack:parcours/intro"]),
        (2, "Module B bis", 1, ["coursepack:outil/module-b"]),
        (3, "Module A", 1, ["coursepack:outil/module-a"])]
    # removed: hidden in a last hidden section, never deleted
    job.write_text(job.read_text(encoding="utf-8").replace("  - ref: outil/module-a\n", ""), encoding="utf-8")
    assert publish(catalogue=catalogue).exit_code == 0
    assert sections(moodle.double, "coursepack:parcours")[1:] == [
        (1, "Présentation du parcours", 1, ["coursepack:parcours/intro"]),
        (2, "Module B bis", 1, ["coursepack:outil/module-b"]),
        (3, "Modules retirés du catalogue", 0, ["coursepack:outil/module-a"])]
    assert "Moodle est déjà à jour." in publish(catalogue=catalogue).output


def test_agents_get_in_the_catalogue_s_way(publish, tmp_path) -> None:
    catalogue = small_catalogue(tmp_path / "small")
    settings = catalogue / "catalogue.yml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + "moodle:\n  enrolment:\n    method: self\n    cohorts:\n      parcours: equipe-voirie\n", encoding="utf-8")
    with served() as (double, url):
        refused = publish(catalogue=catalogue, url=url)  # the cohort is missing: said before anything changes
        assert refused.exit_code == 1 and "n'existent pas dans Moodle : equipe-voirie" in refused.output
        assert changes(double) == [] and double.courses == {}
        double.add_cohort("equipe-voirie")
        assert publish(catalogue=catalogue, url=url).exit_code == 0
        enrol = {c["idnumber"]: c["_enrol"] for c in double.courses.values()}
        assert enrol["coursepack:outil"] == [{"id": enrol["coursepack:outil"][0]["id"], "enabled": 1, "cohort": ""}]
        assert enrol["coursepack:parcours"][0]["cohort"] == "equipe-voirie"
        assert "Moodle est déjà à jour." in publish(catalogue=catalogue, url=url).output


def test_restoring_a_course_field_needs_its_capability_checked_first(publish) -> None:
    """core_course_update_courses checks moodle/course:changefullname and its kin per field: a
    publisher without it stopped half-way ("Change course full name"); now it is named first."""
    with served(missing_capabilities=("moodle/course:changefullname",)) as (double, url):
        result = publish(url=url)
    assert result.exit_code == 1 and "moodle/course:changefullname" in result.output
    assert changes(double) == []
