"""The command line as a mediator uses it: exit codes, messages, scaffolding, schema output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import COURSES, TOOL, validate
from packager.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_embedded_catalogue_by_default(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", "--strict"])
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()[:2]
    assert first.startswith("Catalogue intégré : ") and second.startswith("Catalogue valide : ")
    assert "20 paquets à construire (16 modules et 4 introductions de parcours)" in second  # as build counts


def test_validate_reports_errors_and_exits_1(runner: CliRunner, catalogue_dir) -> None:
    root = catalogue_dir({"outils/a.yml": TOOL.replace("duration_minutes: 10", "duration_minutes: dix")})
    result = runner.invoke(cli, ["validate", str(root)])
    assert result.exit_code == 1
    assert "a.yml:5:19: erreur: duration_minutes : un nombre entier est attendu, pas un texte" in result.output
    assert result.output.rstrip().endswith("1 erreur, 0 avertissement.")
    assert "Traceback" not in result.output


def test_validate_in_english(runner: CliRunner, catalogue_dir) -> None:
    root = catalogue_dir({"outils/a.yml": "kind: tool\nid: [\n"})
    result = runner.invoke(cli, ["validate", str(root), "--lang", "en"])
    assert result.exit_code == 1
    assert "a.yml:3:1: error: YAML syntax error:" in result.output
    assert "1 error, 0 warnings." in result.output


def test_warnings_fail_only_with_strict(runner: CliRunner, catalogue_dir) -> None:
    root = catalogue_dir({"outils/a.yml": TOOL.replace("- text: Bonjour.", "- text: '[ici](https://example.org)'")})
    relaxed = runner.invoke(cli, ["validate", str(root)])
    strict = runner.invoke(cli, ["validate", str(root), "--strict"])
    assert relaxed.exit_code == 0 and "avertissement: " in relaxed.output
    assert strict.exit_code == 1 and "--strict" in strict.output


def test_validate_one_file_reports_only_that_file(runner: CliRunner, catalogue_dir) -> None:
    root = catalogue_dir({
        "outils/a.yml": TOOL,
        "outils/b.yml": TOOL.replace("id: outil", "id: autre").replace("duration_minutes: 10", "duration_minutes: dix"),
    })
    good = runner.invoke(cli, ["validate", str(root / "outils" / "a.yml")])
    bad = runner.invoke(cli, ["validate", str(root / "outils" / "b.yml")])
    assert good.exit_code == 0, good.output
    assert bad.exit_code == 1 and "b.yml:5:19" in bad.output


def test_validate_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", str(tmp_path / "absent")])
    assert result.exit_code == 2
    assert "aucun catalogue trouvé" in result.output


@pytest.mark.parametrize("kind", ["tool", "job"])
def test_new_writes_a_valid_commented_file(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    result = runner.invoke(cli, ["new", kind, "nouveau-cours", "--catalogue", str(root)])
    assert result.exit_code == 0, result.output
    folder = "outils" if kind == "tool" else "metiers"
    written = root / folder / "nouveau-cours.yml"
    assert "# " in written.read_text(encoding="utf-8")
    catalogue = validate(root)
    assert catalogue.errors == []
    # what is left to write is said, and only that: each warning is a sample text of the file
    assert catalogue.warnings and {(p.file, p.code) for p in catalogue.warnings} == {(written, "text.template")}
    assert "nouveau-cours" in (catalogue.tools if kind == "tool" else catalogue.jobs)


def test_new_refuses_bad_taken_or_existing_ids(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    bad = runner.invoke(cli, ["new", "tool", "Mon Cours", "--catalogue", str(root)])
    assert bad.exit_code == 2 and "« mon-cours »" in bad.output
    taken = runner.invoke(cli, ["new", "job", "messagerie", "--catalogue", str(root)])
    assert taken.exit_code == 2 and "déjà" in taken.output
    (root / "outils" / "libre.yml").write_text("# brouillon\n", encoding="utf-8")
    exists = runner.invoke(cli, ["new", "tool", "libre", "--catalogue", str(root)])
    assert exists.exit_code == 2 and "existe déjà" in exists.output
    assert (root / "outils" / "libre.yml").read_text(encoding="utf-8") == "# brouillon\n"


def test_schema_to_stdout_and_file(runner: CliRunner, tmp_path: Path) -> None:
    printed = runner.invoke(cli, ["schema"])
    assert printed.exit_code == 0
    assert json.loads(printed.output)["title"].startswith("CoursePack")
    out = tmp_path / "s" / "catalogue.schema.json"
    written = runner.invoke(cli, ["schema", "--kind", "catalogue", "--out", str(out)])
    assert written.exit_code == 0
    assert "base_iri" in json.loads(out.read_text(encoding="utf-8"))["properties"]


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and "coursepack" in result.output


def test_commands_work_on_the_catalogue_you_stand_in(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "copie"
    shutil.copytree(COURSES, root)
    monkeypatch.chdir(root / "outils")
    created = runner.invoke(cli, ["new", "tool", "telephone-pro"])
    assert created.exit_code == 0, created.output
    assert created.output.splitlines()[0] == f"Catalogue : {root.resolve()}"
    written = root / "outils" / "telephone-pro.yml"
    assert written.is_file() and not (COURSES / "outils" / "telephone-pro.yml").exists()
    written.write_text(written.read_text(encoding="utf-8").replace("duration_minutes:", "duration_minutes: beaucoup #"), encoding="utf-8")
    checked = runner.invoke(cli, ["validate"])
    assert checked.output.splitlines()[0] == f"Catalogue : {root.resolve()}"
    assert checked.exit_code == 1 and "telephone-pro.yml" in checked.output


def test_embedded_catalogue_only_when_none_is_found(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["validate", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Embedded catalogue: {COURSES} (no catalogue.yml in {tmp_path} or above)"


@pytest.mark.parametrize("typed, shown, example", [("Téléphone Pro", "Téléphone Pro", "telephone-pro"), ("id\n", "id\\n", "id"),
                                                   ("a\x07b", "a\\x07b", "a-b")])
def test_new_transliterates_and_refuses_invisible_characters(runner: CliRunner, tmp_path: Path, typed: str, shown: str, example: str) -> None:
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    result = runner.invoke(cli, ["new", "tool", typed, "--catalogue", str(root)])
    assert result.exit_code == 2
    assert f"Identifiant « {shown} » invalide" in result.output and f"(ex. « {example} »)" in result.output
    assert sorted(p.name for p in (root / "outils").iterdir()) == sorted(p.name for p in (COURSES / "outils").iterdir())


def test_help_is_french_by_default_and_english_with_lang_en(runner: CliRunner) -> None:
    french = runner.invoke(cli, ["build", "--help"])
    assert french.exit_code == 0
    assert french.output.startswith("Utilisation : cli build")
    assert "Construit un paquet (zip) par module du catalogue." in french.output
    assert "Afficher cette aide et quitter." in french.output and "[par défaut : dist]" in french.output
    english = runner.invoke(cli, ["build", "--help", "--lang", "en"])
    assert english.output.startswith("Usage: cli build") and "Show this message and exit." in english.output
    assert "Build one package (zip) per module" in english.output
    top = runner.invoke(cli, ["--help"])
    assert "Commandes:" in top.output and "Usage" not in top.output
    assert runner.invoke(cli, ["schema", "--help", "--lang", "en"]).output.startswith("Usage: cli schema")  # no --lang there
    wrong = runner.invoke(cli, ["build", "--formt", "x"])
    assert wrong.exit_code == 2 and "Erreur : Option inconnue : --formt." in wrong.output


def test_every_command_and_option_has_french_help() -> None:
    from packager.cli.help_texts import FRENCH, SHARED

    missing = []
    for name, command in [("", cli), *cli.commands.items()]:
        texts = FRENCH.get(name)
        if texts is None:
            missing.append(name)
            continue
        missing += [f"{name} {p.name}" for p in command.params
                    if isinstance(p, click.Option) and p.name not in texts[1] and p.name not in SHARED]
    assert missing == []
