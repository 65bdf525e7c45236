"""What a mediator writes that YAML accepts but a manifest, a mailto: link, Moodle or Windows
would not: refused (or flagged) by ``validate`` with one line, its place and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SETTINGS, TOOL, problems_of, validate
from packager.cli import cli
from packager.model.problems import format_problem


def _tool(**replace: str) -> str:
    text = TOOL
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def test_xml_forbidden_characters_are_an_error_with_their_position(catalogue_dir) -> None:
    root = catalogue_dir({"outil.yml": _tool(**{"title: Un outil": 'title: "Titre\\0du\\x07cours"',
                                                "- text: Bonjour.": '- text: |\n              Ligne une.\n              Ligne \\x01 deux.'})})
    # the block text holds the characters as written (``\x01`` is no escape in a ``|`` text):
    # only the double-quoted title carries a NUL
    catalogue = validate(root)
    found = [p for p in catalogue.problems if p.code == "text.forbidden_char"]
    assert [(p.path, p.position.line, p.params["char"], p.params["index"]) for p in found] == [(("title",), 3, "U+0000", 6)]
    line = format_problem(found[0], base=root)
    assert line.startswith("outil.yml:3:8: erreur: title : caractère invisible U+0000 en position 6")
    assert "\n    → Retirez-le" in line
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(root.parent / "dist"), "--format", "cmi5"])
    assert result.exit_code == 1 and not list((root.parent / "dist").glob("*.zip"))  # no manifest that is not XML


def test_a_forbidden_character_in_a_block_text_points_at_its_line(catalogue_dir) -> None:
    text = _tool(**{"- text: Bonjour.": "- text: |\n              Ligne une.\n              Ligne\x02deux."})
    root = catalogue_dir({"outil.yml": text.encode("utf-8")})
    catalogue = validate(root)
    # PyYAML itself refuses a raw control character in a file: one YAML error, never a manifest
    assert [p.code for p in catalogue.errors] in (["text.forbidden_char"], ["yaml.syntax"])


def test_forbidden_characters_in_the_settings_too(catalogue_dir) -> None:
    root = catalogue_dir({"outil.yml": TOOL}, settings=SETTINGS.replace("Catalogue de test", '"Catalogue\\x07"'))
    assert ("catalogue.yml", 1, "text.forbidden_char") in problems_of(validate(root))


@pytest.mark.parametrize("where", ["course", "settings"])
def test_a_huge_integer_is_one_line_not_a_traceback(catalogue_dir, where: str) -> None:
    huge = "9" * 5000
    if where == "course":
        root = catalogue_dir({"outil.yml": _tool(**{"duration_minutes: 10": f"duration_minutes: {huge}"})})
        expected = ("outil.yml", 5, "yaml.huge_number")
    else:
        root = catalogue_dir({"outil.yml": TOOL}, settings=SETTINGS + f"extra: {huge}\n")
        expected = ("catalogue.yml", 6, "yaml.huge_number")
    assert problems_of(validate(root)) == [expected]
    for command in ("validate", "build"):
        result = CliRunner().invoke(cli, [command, str(root)] + (["--out", str(root.parent / "dist")] if command == "build" else []))
        assert result.exit_code == 1 and "Traceback" not in result.output and "4300" not in result.output
        shown = [line for line in result.output.splitlines() if "5000 chiffres" in line]
        assert len(shown) == 1, result.output


def test_module_completion_keeps_the_course_mastery_score(catalogue_dir, tmp_path: Path) -> None:
    text = _tool(**{"audience: Tous\n": "audience: Tous\ncompletion: {rule: both, mastery_score: 75}\n",
                    "    title: Module A\n": "    title: Module A\n    completion: {rule: quiz}\n",
                    "          - text: Bonjour.": "          - quiz:\n              questions:\n"
                                                  "                - {id: q, type: true_false, prompt: Vrai ?, answer: true}"})
    root = catalogue_dir({"outil.yml": text})
    catalogue = validate(root)
    assert catalogue.errors == []
    unit = next(catalogue.modules())
    assert (unit.completion.rule, unit.completion.mastery_score) == ("quiz", 75)
    from packager.packaging.builders import BUILDERS
    from packager.packaging.pipeline import template_environment

    manifest = BUILDERS["scorm12"](catalogue, template_environment()).package(unit)["imsmanifest.xml"].decode()
    assert "<adlcp:masteryscore>75</adlcp:masteryscore>" in manifest


def test_a_module_mastery_score_alone_keeps_the_course_rule(catalogue_dir) -> None:
    text = _tool(**{"audience: Tous\n": "audience: Tous\ncompletion: {rule: quiz, mastery_score: 75}\n",
                    "    title: Module A\n": "    title: Module A\n    completion: {mastery_score: 90}\n",
                    "          - text: Bonjour.": "          - quiz:\n              questions:\n"
                                                  "                - {id: q, type: true_false, prompt: Vrai ?, answer: true}"})
    unit = next(validate(catalogue_dir({"outil.yml": text})).modules())
    assert (unit.completion.rule, unit.completion.mastery_score) == ("quiz", 90)


def test_the_node_limit_speaks_of_aliases_only_when_there_are_some(catalogue_dir) -> None:
    from packager.utils.yamlload import MAX_NODES, load_yaml

    plain = "modules:\n" + "".join(f"  - {{id: m{i}, title: T, pages: [x, y, z, t]}}\n" for i in range(MAX_NODES // 8))
    assert [i.code for i in load_yaml(plain).issues] == ["yaml.too_many_nodes"]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" \
           "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    assert [i.code for i in load_yaml(bomb).issues] == ["yaml.too_big"]
    small = "a: &a [x]\nb: *a\n"
    assert load_yaml(small).issues == []


@pytest.mark.parametrize("email", ["mediation@example.org?subject=Aide", "<b>mediation</b>@example.org",
                                   "mediation@example.org\"onclick=x", "mailto:mediation@example.org"])
def test_an_email_a_mailto_link_cannot_carry_is_refused_with_the_fix(catalogue_dir, email: str) -> None:
    root = catalogue_dir({"outil.yml": TOOL}, settings=SETTINGS.replace("mediation@example.org", f"'{email}'"))
    problems = validate(root).errors
    assert [(p.code, p.position.line) for p in problems] == [("value.email", 5)]
    assert "?subject=" in problems[0].text("fr")[1]


@pytest.mark.parametrize("iri", ['https://formation.example.org/"x"/', "https://formation.example.org/x?y=1",
                                 "https://formation.example.org/x#y", "https://formation.example.org/x'y"])
def test_a_base_iri_with_quotes_or_a_query_is_refused(catalogue_dir, iri: str) -> None:
    root = catalogue_dir({"outil.yml": TOOL}, settings=SETTINGS.replace("https://formation.example.org/xapi/", "'" + iri.replace("'", "''") + "'"))
    assert [(p.code, p.position.line) for p in validate(root).errors] == [("value.base_iri", 2)]


@pytest.mark.parametrize("keyword", ["courriel, agenda", "<b>courriel</b>", "x" * 51, '"courriel"'])
def test_tags_moodle_would_cut_or_show_as_markup_are_refused(catalogue_dir, keyword: str) -> None:
    root = catalogue_dir({"outil.yml": _tool(**{"audience: Tous\n": f"audience: Tous\nkeywords: ['{keyword.replace(chr(39), chr(39) * 2)}']\n"})})
    assert [p.code for p in validate(root).errors] == ["value.keyword"]


def test_binary_title_is_refused(catalogue_dir) -> None:
    root = catalogue_dir({"outil.yml": _tool(**{"title: Un outil": "title: !!binary VW4gb3V0aWw="})})
    assert [(p.code, p.position.line) for p in validate(root).errors] == [("yaml.unknown_tag", 3)]


@pytest.mark.parametrize("where", ["course", "module"])
def test_ids_windows_reserves_are_refused(catalogue_dir, where: str) -> None:
    text = _tool(**({"id: outil": "id: con"} if where == "course" else {"id: module-a": "id: lpt1"}))
    codes = [(p.code, p.position.line, p.params.get("id")) for p in validate(catalogue_dir({"outil.yml": text})).errors]
    assert codes == [("id.reserved", 2 if where == "course" else 8, "con" if where == "course" else "lpt1")]


def test_sample_texts_of_coursepack_new_are_warnings(catalogue_dir) -> None:
    from packager.model.scaffold import render

    root = catalogue_dir({"outils/essai.yml": render("tool", "essai", "")})
    catalogue = validate(root)
    assert catalogue.errors == []
    flagged = {p.params["text"] for p in catalogue.warnings if p.code == "text.template"}
    assert {"Titre du cours", "Les agents à qui s'adresse ce cours", "Titre du premier module", "La bonne réponse"} <= flagged
    # a sentence kept from the sample inside a longer text is flagged too, at its field
    text = TOOL.replace("- text: Bonjour.", "- text: |\n              Bonjour.\n              Deuxième étape.")
    assert ("outil.yml", 14, "text.template") in problems_of(validate(catalogue_dir({"outil.yml": text})))
