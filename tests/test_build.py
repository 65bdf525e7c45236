"""Building packages: valid manifests, every file listed, deterministic, incremental, atomic."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import COURSES, REPO, TOOL, plain
from packager.packaging.pipeline import STATE_FILE, build_catalogue
from packager.packaging.runtime import STYLESHEETS, minified_sources, player_script, script, stylesheet
from packager.cli import cli
from packager.model.checks import validate_catalogue

SCHEMAS = REPO.parent / "shared" / "schemas"
SCHEMA_SETS = {"scorm12": "scorm12", "scorm2004": "scorm2004-4th"}
NS = {
    "scorm12": {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"},
    "scorm2004": {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3", "imsss": "http://www.imsglobal.org/xsd/imsss"},
}


def xsd_validate(manifest: bytes, schema_set: str, tmp_path: Path) -> list:
    """The official schemas through shared/schemas/validate.py (it patches two SCORM 1.2 XSD defects)."""
    if not (SCHEMAS / "validate.py").is_file():
        pytest.fail(f"the official XSDs are expected in {SCHEMAS}, with their validate.py (see README.md, 'official XSDs')")
    sys.path.insert(0, str(SCHEMAS))
    try:
        import validate as official
    finally:
        sys.path.remove(str(SCHEMAS))
    target = tmp_path / f"{schema_set}-imsmanifest.xml"
    target.write_bytes(manifest)
    return official.validate(str(target), schema_set)


def test_missing_xsds_are_named_with_where_to_read_about_them(tmp_path, monkeypatch) -> None:
    """The message once sent the developer to a DEVELOPERS.md the project does not have."""
    import re

    monkeypatch.setattr(sys.modules[__name__], "SCHEMAS", tmp_path / "absent")
    with pytest.raises(pytest.fail.Exception) as failed:
        xsd_validate(b"<manifest/>", "scorm12", tmp_path)
    message = str(failed.value)
    named = re.findall(r"see ([\w./-]+\.md), '([^']+)'", message)
    assert str(tmp_path / "absent") in message and named, message
    for document, section in named:
        assert section in (REPO / document).read_text(encoding="utf-8"), (document, section)


@pytest.fixture(scope="module")
def catalogue():
    return validate_catalogue(COURSES)


@pytest.fixture(scope="module", params=["scorm12", "scorm2004"])
def built(request, courses_dist) -> tuple[str, Path]:
    return request.param, courses_dist(request.param)


def test_one_package_per_module(built, catalogue) -> None:
    fmt, out = built
    names = sorted(p.name for p in out.glob("*.zip"))
    expected = sorted(f"{unit.key.replace('/', '.')}.{fmt}.zip" for unit in catalogue.modules())
    assert names == expected and len(names) == 20


def test_manifests_validate_against_official_xsds(built, tmp_path) -> None:
    fmt, out = built
    for package in sorted(out.glob("*.zip")):
        manifest = zipfile.ZipFile(package).read("imsmanifest.xml")
        assert xsd_validate(manifest, SCHEMA_SETS[fmt], tmp_path) == [], package.name


def test_manifest_lists_exactly_the_files_of_the_package(built) -> None:
    fmt, out = built
    for package in out.glob("*.zip"):
        archive = zipfile.ZipFile(package)
        tree = etree.fromstring(archive.read("imsmanifest.xml"))
        listed = {f.get("href") for f in tree.iterfind(".//cp:resource/cp:file", NS[fmt])}
        assert listed == set(archive.namelist()) - {"imsmanifest.xml"}, package.name


def test_manifest_content(built) -> None:
    fmt, out = built
    ns = NS[fmt]
    quiz = etree.fromstring(zipfile.ZipFile(out / f"messagerie.lire-ses-messages.{fmt}.zip").read("imsmanifest.xml"))
    intro = etree.fromstring(zipfile.ZipFile(out / f"agent-voirie.intro.{fmt}.zip").read("imsmanifest.xml"))
    assert quiz.get("identifier") == "MANIFEST-messagerie.lire-ses-messages"
    item = quiz.find(".//cp:item", ns)
    assert item.get("identifier") == "ITEM-messagerie.lire-ses-messages"
    assert item.find("cp:title", ns).text == "Lire et trier ses messages"
    resource = quiz.find(".//cp:resource", ns)
    assert resource.get("href") == "index.html"
    text = etree.tostring(quiz, encoding="unicode")
    assert "Ouvrir sa boîte de réception" in text and ">fr<" in text and "PT15M" in text
    if fmt == "scorm12":
        assert resource.get(f"{{{ns['adlcp']}}}scormtype") == "sco"
        assert quiz.find(".//adlcp:masteryscore", ns).text == "75"
        assert intro.find(".//adlcp:masteryscore", ns) is None  # no quiz decides the intro
    else:
        assert resource.get(f"{{{ns['adlcp']}}}scormType") == "sco"
        delivery = quiz.find(".//imsss:deliveryControls", ns)
        assert delivery.get("completionSetByContent") == "true" and delivery.get("objectiveSetByContent") == "true"
        assert quiz.find(".//imsss:primaryObjective/imsss:minNormalizedMeasure", ns).text == "0.75"
        assert intro.find(".//imsss:minNormalizedMeasure", ns) is None


def test_package_holds_player_and_media(built) -> None:
    fmt, out = built
    names = set(zipfile.ZipFile(out / f"signalements.signaler-un-depot-sauvage.{fmt}.zip").namelist())
    assert {"index.html", "player/player.js", "media/signalements/nouveau-signalement.svg"} <= names
    assert not any(name.endswith(".css") for name in names)  # the styles are inside index.html
    assert not any(name.endswith(".yml") for name in names)


def test_no_secret_or_absolute_path_in_packages(built) -> None:
    fmt, out = built
    for package in out.glob("*.zip"):
        archive = zipfile.ZipFile(package)
        for name in archive.namelist():
            assert not name.startswith("/") and ".." not in name.split("/")
        page = archive.read("index.html").decode()
        assert str(COURSES) not in page and "token" not in page.lower()


def copy_catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    return root


def zips(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.zip"))}


def test_deterministic_builds(tmp_path) -> None:
    catalogue = validate_catalogue(COURSES)
    build_catalogue(catalogue, "scorm12", tmp_path / "a")
    build_catalogue(catalogue, "scorm12", tmp_path / "b", force=True)
    assert zips(tmp_path / "a") == zips(tmp_path / "b")
    info = zipfile.ZipFile(tmp_path / "a" / "messagerie.lire-ses-messages.scorm12.zip").infolist()
    assert [i.filename for i in info] == sorted(i.filename for i in info)
    assert {i.date_time for i in info} == {(1980, 1, 1, 0, 0, 0)}


def test_incremental_builds(tmp_path) -> None:
    root = copy_catalogue(tmp_path)
    out = tmp_path / "dist"
    first = build_catalogue(validate_catalogue(root), "scorm12", out)
    assert len(first.built) == 20
    again = build_catalogue(validate_catalogue(root), "scorm12", out)
    assert again.built == [] and len(again.unchanged) == 20

    course = root / "outils" / "agenda.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("title: Créer un rendez-vous", "title: Créer un nouveau rendez-vous"), encoding="utf-8")
    changed = build_catalogue(validate_catalogue(root), "scorm12", out)
    assert [p.name for p in changed.built] == ["agenda.planifier-une-reunion.scorm12.zip"]

    media = root / "media" / "signalements" / "hors-ligne.svg"
    media.write_text(media.read_text(encoding="utf-8").replace("Ma tournée", "Ma tournée du jour"), encoding="utf-8")
    changed = build_catalogue(validate_catalogue(root), "scorm12", out)
    assert [p.name for p in changed.built] == ["signalements.travailler-sans-reseau.scorm12.zip"]

    (out / "messagerie.ecrire-un-message.scorm12.zip").unlink()
    changed = build_catalogue(validate_catalogue(root), "scorm12", out)
    assert [p.name for p in changed.built] == ["messagerie.ecrire-un-message.scorm12.zip"]

    forced = build_catalogue(validate_catalogue(root), "scorm12", out, force=True)
    assert len(forced.built) == 20


def test_template_change_rebuilds_everything(tmp_path, own_templates) -> None:
    from packager.packaging import state

    templates = own_templates
    catalogue = validate_catalogue(COURSES)
    out = tmp_path / "dist"
    build_catalogue(catalogue, "scorm12", out)
    (templates / "player" / "player.css").write_text("/* changed */\n", encoding="utf-8")
    state._templates_digest.cache_clear()
    assert len(build_catalogue(catalogue, "scorm12", out).built) == 20
    state._templates_digest.cache_clear()


def test_failed_build_leaves_no_half_written_package(tmp_path, monkeypatch) -> None:
    from packager.packaging.builders.scorm12 import Scorm12Builder

    out = tmp_path / "dist"
    catalogue = validate_catalogue(COURSES)
    build_catalogue(catalogue, "scorm12", out)
    before = zips(out)
    original = Scorm12Builder.package
    calls = []

    def failing(self, unit):
        calls.append(unit.key)
        if len(calls) == 3:
            raise OSError("disk full")
        return original(self, unit)

    monkeypatch.setattr(Scorm12Builder, "package", failing)
    with pytest.raises(OSError):
        build_catalogue(catalogue, "scorm12", out, force=True)
    assert zips(out) == before
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith((".zip", ".fiche.html"))) == [STATE_FILE, "xapi-activities.json"]


def test_build_command(tmp_path) -> None:
    runner = CliRunner()
    out = tmp_path / "dist"
    result = runner.invoke(cli, ["build", "--out", str(out), "--format", "scorm2004"])
    assert result.exit_code == 0, result.output
    assert "20 paquets construits, 0 inchangé," in result.output
    assert len(list(out.glob("*.scorm2004.zip"))) == 20
    again = runner.invoke(cli, ["build", "--out", str(out), "--format", "scorm2004"])
    assert "0 paquet construit, 20 inchangés," in again.output


def test_build_refuses_a_catalogue_with_errors(tmp_path, catalogue_dir) -> None:
    root = catalogue_dir({"outils/a.yml": TOOL.replace("duration_minutes: 10", "duration_minutes: dix")})
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert "a.yml:5:19" in result.output and "Construction annulée" in result.output
    assert not out.exists()


@pytest.mark.parametrize("minified", [False, True], ids=["as-written", "minified"])
def test_player_files_each_tested_in_node(minified, tmp_path) -> None:
    """templates/player/src/*.js one by one (tests/js), in Node: codec, scoring, formats, LMS search;
    as written, and minified as packages ship them (CP_PLAYER_SRC points the tests there)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (make test installs it with the browser tests' npm packages)")
    env = {**os.environ}
    if minified:
        env["CP_PLAYER_SRC"] = str(minified_sources(tmp_path / "src"))
    found = subprocess.run([node, "--test", str(REPO / "tests" / "js")], capture_output=True, text=True, check=False, env=env)
    assert found.returncode == 0, found.stdout[-3000:] + found.stderr[-2000:]
    assert "# fail 0" in found.stdout


def test_built_scripts_join_every_source() -> None:
    player = player_script().decode()
    assert player.startswith("/* CoursePack player")
    for name in ("CP.format=", "CP.time=", "CP.responses=", "CP.codec=", "CP.scoring=", "CP.lms=", "CP.quiz=", "CP.pages=", "CP.main="):
        assert name in player
    tracker = script("tracker-xapi.js").decode()
    for name in ("T.launch=", "T.queue=", "T.Lrs=", "T.Session=", "T.xapi=", "T.cmi5=", "CoursePackTrackers.cmi5=T.cmi5"):
        assert name in tracker


def test_runtime_weight_budget() -> None:
    """Runtime JS + CSS ≤ 30 KB gzip (the content's media are not counted)."""
    files = [script("player.js"), script("tracker-xapi.js"), *(stylesheet(name).encode() for name in STYLESHEETS)]
    assert sum(len(gzip.compress(data, 9)) for data in files) <= 30 * 1024


def test_help_comes_from_the_course_contact_else_the_catalogue(tmp_path, catalogue_dir) -> None:
    own = "contact: {name: Sylvie, phone: 03 85 12 34 56, booking_url: https://rdv.example.org/sylvie}\n"
    root = catalogue_dir({"outils/a.yml": TOOL.replace("audience: Tous", "audience: Tous\n" + own),
                          "outils/b.yml": TOOL.replace("id: outil", "id: autre")})
    build_catalogue(validate_catalogue(root), "scorm12", tmp_path / "dist")
    page = zipfile.ZipFile(tmp_path / "dist" / "outil.module-a.scorm12.zip").read("index.html").decode()
    assert 'href="tel:0385123456"' in page and 'href="https://rdv.example.org/sylvie" target="_blank"' in page
    assert "mailto:" not in page  # the course's contact replaces the catalogue's, it is not merged
    other = zipfile.ZipFile(tmp_path / "dist" / "autre.module-a.scorm12.zip").read("index.html").decode()
    assert 'href="mailto:mediation@example.org"' in other and "tel:" not in other
    memo = plain((tmp_path / "dist" / "outil.module-a.fiche.html").read_text(encoding="utf-8"))
    memo = re.sub(r"<[^>]+>", "", memo)  # the values' unbreakable spans
    assert "Sylvie · tél. 03 85 12 34 56" in memo and "https://rdv.example.org/sylvie" in memo


def test_player_speaks_the_course_language(tmp_path, catalogue_dir) -> None:
    root = catalogue_dir({"outils/a.yml": TOOL.replace("audience: Tous", "audience: Tous\nlanguage: en")})
    build_catalogue(validate_catalogue(root), "scorm12", tmp_path / "dist")
    page = zipfile.ZipFile(tmp_path / "dist" / "outil.module-a.scorm12.zip").read("index.html").decode()
    assert '<html lang="en">' in page
    assert "Page 1 of 1" in page and "Skip to content" in page and "Page 1 sur" not in page
    manifest = zipfile.ZipFile(tmp_path / "dist" / "outil.module-a.scorm12.zip").read("imsmanifest.xml").decode()
    assert "<imsmd:language>en</imsmd:language>" in manifest


def test_xapi_activity_definitions_beside_the_packages(courses_dist) -> None:
    import json

    from packager.packaging.activities import TYPES
    from packager.packaging.state import ACTIVITIES_FILE

    activities = {a["id"]: a["definition"] for a in json.loads((courses_dist("scorm12") / ACTIVITIES_FILE).read_text(encoding="utf-8"))}
    base = "https://formation.cc-troisvallees.fr/xapi/"
    assert activities[base + "messagerie"]["type"] == TYPES["course"]
    assert activities[base + "agent-voirie"]["type"] == TYPES["course"]
    module = activities[base + "messagerie/lire-ses-messages"]
    assert module["type"] == TYPES["module"] and module["name"] == {"fr-FR": "Lire et trier ses messages"}
    assert activities[base + "messagerie/lire-ses-messages/pages/lire-un-message"]["type"] == TYPES["lesson"]
    assert activities[base + "messagerie/lire-ses-messages/quiz"]["type"] == TYPES["assessment"]
    single = activities[base + "messagerie/lire-ses-messages/questions/message-non-lu"]
    assert (single["type"], single["interactionType"], single["correctResponsesPattern"]) == (TYPES["interaction"], "choice", ["0"])
    assert [c["id"] for c in single["choices"]] == ["0", "1", "2"]
    fill = activities[base + "messagerie/lire-ses-messages/questions/retrouver-message"]
    assert fill["correctResponsesPattern"] == ["{case_matters=false}recherche"]
    order = activities[base + "messagerie/ecrire-un-message/questions/etapes-envoi"]
    assert order["interactionType"] == "sequencing" and order["correctResponsesPattern"] == ["0[,]1[,]2[,]3[,]4"]
    match = activities[base + "messagerie/eviter-les-pieges/questions/reflexes"]
    assert match["correctResponsesPattern"] == ["0[.]0[,]1[.]1[,]2[.]2"] and len(match["source"]) == len(match["target"]) == 3
    assert activities[base + "messagerie/eviter-les-pieges/questions/mot-de-passe"]["correctResponsesPattern"] == ["false"]


def test_french_typography_in_pages(courses_dist) -> None:
    """No line may start with a lone "?" or "»" on a phone: non-breaking spaces in French pages."""
    import json

    page = zipfile.ZipFile(courses_dist("scorm12") / "messagerie.ecrire-un-message.scorm12.zip").read("index.html").decode()
    assert "«\u00a0À\u00a0» ou «\u00a0Cc\u00a0»\u202f?" in page
    assert "Par exemple\u00a0: «\u00a0Congé du 12 mai" in page
    assert '<html lang="fr">' in page and ".cp-tip{background:var(--tip)" in page  # markup and styles untouched
    data = json.loads(page.split('<script type="application/json" id="cp-data">', 1)[1].split("</script>", 1)[0])
    assert data["questions"][1]["choice_feedback"][1] == "<p>Cet objet ne dit pas de quoi parle le message.</p>\n"
    assert data["strings"]["score"] == "Votre score\u00a0: {score}\u00a0%."  # interface strings too
