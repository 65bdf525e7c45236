"""Every validation rule, fed a crafted bad catalogue: exact file, line, code and message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SETTINGS, TOOL, problems_of, validate
from packager.model.problems import Severity, format_problem

SVG = "<svg xmlns='http://www.w3.org/2000/svg'/>"


def tool_with(blocks: str, *, head: str = "") -> str:
    """TOOL with its only page's blocks replaced (the first block is on line 14)."""
    base = TOOL.replace("          - text: Bonjour.\n", blocks)
    return base.replace("audience: Tous\n", "audience: Tous\n" + head) if head else base


JOB = """\
kind: job
id: parcours
title: Un parcours
summary: Résumé.
duration_minutes: 10
audience: Tous
pages:
  - id: accueil
    title: Accueil
    blocks:
      - text: Bonjour.
modules:
  - ref: outil/module-a
"""

CASES = {
    "tab inside a block": (
        {"outils/a.yml": tool_with("          - text: Bonjour.\n\t  - tip: x\n")},
        [("a.yml", 15, "yaml.tab")],
    ),
    "empty tip": (
        {"outils/a.yml": tool_with("          - tip:\n")},
        [("a.yml", 14, "value.empty")],
    ),
    "under-indented alt": (
        {"outils/a.yml": tool_with("          - image:\n              src: media/x.svg\n            alt: Une capture\n"), "media/x.svg": SVG},
        [("a.yml", 16, "field.misplaced")],
    ),
    "answer on a choice question": (
        {"outils/a.yml": tool_with("          - quiz:\n              questions:\n                - {id: q, type: single, prompt: P, answer: B,"
                                   " choices: [{text: A}, {text: B}]}\n")},
        [("a.yml", 16, "quiz.answer_key")],
    ),
    "vrai for true_false": (
        {"outils/a.yml": tool_with("          - quiz: {questions: [{id: q, type: true_false, prompt: P, answer: vrai}]}\n")},
        [("a.yml", 14, "type.boolean")],
    ),
    "video accent": (
        {"outils/a.yml": tool_with("          - video: {src: media/x.svg, title: T, captions: media/x.vtt, transcript: T}\n"),
         "media/x.svg": SVG, "media/x.vtt": "WEBVTT\n"},
        [("a.yml", 14, "media.kind")],
    ),
    "list plural": (
        {"outils/a.yml": tool_with("          - quiz: {questions: [{id: q, type: single, prompt: P, choices: [{text: A, correct: true}]}]}\n")},
        [("a.yml", 14, "list.too_short")],
    ),
    "mistyped media path": (
        {"outils/a.yml": tool_with("          - image: {src: media/ecran-acceuil.svg, alt: Un écran}\n"), "media/ecran-accueil.svg": SVG},
        [("a.yml", 14, "media.missing")],
    ),
    "raw url in text": (
        {"outils/a.yml": tool_with("          - text: Le planning est sur https://exemple.fr/planning.\n")},
        [("a.yml", 14, "text.raw_url")],
    ),
    "javascript link and html": (
        {"outils/a.yml": tool_with("          - text: '[Ouvrir](javascript:alert(1)) et <b>gras</b>'\n")},
        [("a.yml", 14, "text.html"), ("a.yml", 14, "text.unsafe_link")],
    ),
    "tip repeats its title": (
        {"outils/a.yml": tool_with("          - tip: 'Astuce : appuyez longtemps.'\n")},
        [("a.yml", 14, "text.repeated_title")],
    ),
    "structural error under its cause": (
        {"outils/a.yml": TOOL.replace("duration_minutes: 10", "duration_minutes: dix"), "metiers/b.yml": JOB},
        [("a.yml", 5, "type.integer"), ("a.yml", 1, "ref.in_broken_file")],
    ),
    "yaml syntax error": (
        {"outils/a.yml": "kind: tool\nid: [a\n"},
        [("a.yml", 3, "yaml.syntax")],
    ),
    "tab indentation": (
        {"outils/a.yml": "kind: tool\nmodules:\n\t- id: x\n"},
        [("a.yml", 3, "yaml.tab")],
    ),
    "duplicate key": (
        {"outils/a.yml": TOOL.replace("title: Un outil\n", "title: Un outil\ntitle: Encore\n")},
        [("a.yml", 4, "yaml.duplicate_key")],
    ),
    "empty file": ({"outils/a.yml": "# rien\n"}, [("a.yml", 1, "yaml.empty")]),
    "not utf-8": ({"outils/a.yml": "kind: tool\ntitle: caf\xe9\n".encode("latin-1")}, [("a.yml", 2, "file.encoding")]),
    "unknown tag": (
        {"outils/a.yml": TOOL.replace("title: Un outil", "title: !!python/object:os.system x")},
        [("a.yml", 3, "yaml.unknown_tag")],
    ),
    "missing field": (
        {"outils/a.yml": TOOL.replace("summary: Résumé.\n", "")},
        [("a.yml", 1, "field.missing")],
    ),
    "unknown key with suggestion": (
        {"outils/a.yml": TOOL.replace("audience: Tous", "audience: Tous\nkeywrods: [a]")},
        [("a.yml", 7, "field.unknown")],
    ),
    "text expected": (
        {"outils/a.yml": TOOL.replace("title: Un outil", "title: 2024")},
        [("a.yml", 3, "type.text")],
    ),
    "integer expected": (
        {"outils/a.yml": TOOL.replace("duration_minutes: 10", "duration_minutes: 10 min")},
        [("a.yml", 5, "type.integer")],
    ),
    "range": (
        {"outils/a.yml": tool_with("          - text: x\n", head="completion: {rule: pages, mastery_score: 120}\n")},
        [("a.yml", 7, "value.range")],
    ),
    "bad slug": ({"outils/a.yml": TOOL.replace("id: module-a", "id: Module A")}, [("a.yml", 8, "value.slug")]),
    "bad url": (
        {"outils/a.yml": tool_with("          - text: x\n", head="contact: {name: M, booking_url: rdv.example.org}\n")},
        [("a.yml", 7, "value.url")],
    ),
    "bad email": (
        {"outils/a.yml": tool_with("          - text: x\n", head="contact: {name: M, email: mediation}\n")},
        [("a.yml", 7, "value.email")],
    ),
    "bad phone": (
        {"outils/a.yml": tool_with("          - text: x\n", head="contact: {name: M, phone: appeler Sylvie}\n")},
        [("a.yml", 7, "value.phone")],
    ),
    "bad version": ({"outils/a.yml": TOOL.replace("summary:", "version: v2\nsummary:")}, [("a.yml", 4, "value.version")]),
    "bad choice": (
        {"outils/a.yml": tool_with("          - text: x\n", head="language: de\n")},
        [("a.yml", 7, "value.choice")],
    ),
    "unknown competence": (
        {"outils/a.yml": tool_with("          - text: x\n", head="competences: [2.1, 2.5]\n")},
        [("a.yml", 7, "value.choice")],
    ),
    "empty list": ({"outils/a.yml": TOOL.split("    pages:")[0] + "    pages: []\n"}, [("a.yml", 10, "list.too_short")]),
    "unknown block": ({"outils/a.yml": tool_with("          - astuce: Pensez-y.\n")}, [("a.yml", 14, "block.kind")]),
    "unknown document kind": ({"outils/a.yml": TOOL.replace("kind: tool", "kind: tools")}, [("a.yml", 1, "document.kind")]),
    "missing document kind": ({"outils/a.yml": TOOL.replace("kind: tool\n", "")}, [("a.yml", 1, "field.missing")]),
    "colon in text": (
        {"outils/a.yml": tool_with("          - steps:\n              - Ouvrez l'agenda : il s'affiche.\n")},
        [("a.yml", 15, "text.colon")],
    ),
    "unknown question type": (
        {"outils/a.yml": tool_with("          - quiz:\n              questions:\n                - {id: q, type: vrai_faux, prompt: P}\n")},
        [("a.yml", 16, "question.type")],
    ),
    "duplicate course id": (
        {"outils/a.yml": TOOL, "outils/b.yml": TOOL},
        [("b.yml", 2, "id.duplicate")],
    ),
    "duplicate module id": (
        {"outils/a.yml": TOOL + TOOL.split("modules:\n")[1]},
        [("a.yml", 15, "id.duplicate")],
    ),
    "duplicate page id": (
        {"outils/a.yml": TOOL + TOOL.split("    pages:\n")[1]},
        [("a.yml", 15, "id.duplicate")],
    ),
    "unknown module reference": (
        {
            "outils/a.yml": TOOL,
            "metiers/j.yml": """\
                kind: job
                id: parcours
                title: Parcours
                summary: Résumé.
                duration_minutes: 30
                audience: Tous
                pages:
                  - {id: intro, title: Intro, blocks: [{text: Bienvenue.}]}
                modules:
                  - ref: outil/module-b
                  - ref: outil/module-a
                  - ref: outil/module-a
                    required: false
                """,
        },
        [("j.yml", 10, "ref.unknown"), ("j.yml", 12, "ref.duplicate")],
    ),
    "no required module": (
        {
            "outils/a.yml": TOOL,
            "metiers/j.yml": """\
                kind: job
                id: parcours
                title: Parcours
                summary: Résumé.
                duration_minutes: 30
                audience: Tous
                pages:
                  - {id: intro, title: Intro, blocks: [{text: Bienvenue.}]}
                modules:
                  - {ref: outil/module-a, required: false}
                """,
        },
        [("j.yml", 9, "job.no_required")],
    ),
    "media missing, outside, absolute, remote": (
        {
            "outils/a.yml": tool_with(
                "          - image: {src: media/absent.svg, alt: Un plan}\n"
                "          - image: {src: ../dehors.svg, alt: Un plan}\n"
                "          - image: {src: /etc/hostname, alt: Un plan}\n"
                "          - image: {src: 'https://example.org/a.svg', alt: Un plan}\n"
            )
        },
        [("a.yml", 14, "media.missing"), ("a.yml", 15, "media.outside"), ("a.yml", 16, "media.absolute"), ("a.yml", 17, "media.remote")],
    ),
    "media of the wrong kind": (
        {"media/plan.pdf": "%PDF-1.4", "outils/a.yml": tool_with("          - image: {src: media/plan.pdf, alt: Un plan}\n")},
        [("a.yml", 14, "media.kind")],
    ),
    "captions not webvtt": (
        {
            "media/v.mp4": b"\x00\x00\x00\x18ftypmp42",
            "media/v.vtt": "1\n00:00:00,000 --> 00:00:01,000\nBonjour\n",
            "outils/a.yml": tool_with(
                "          - video: {src: media/v.mp4, title: Démo, captions: media/v.vtt, transcript: Bonjour.}\n"
            ),
        },
        [("a.yml", 14, "media.captions_format")],
    ),
    "video without transcript": (
        {"outils/a.yml": tool_with("          - video: {src: media/v.mp4, title: Démo, captions: media/v.vtt}\n")},
        [("a.yml", 14, "field.missing")],
    ),
    "alt text missing": (
        {"media/a.svg": SVG, "outils/a.yml": tool_with("          - image:\n              src: media/a.svg\n")},
        [("a.yml", 14, "a11y.alt_missing")],
    ),
    "step screenshot without alt": (
        {"media/a.svg": SVG, "outils/a.yml": tool_with("          - steps:\n              - text: Ouvrez.\n                image: {src: media/a.svg}\n")},
        [("a.yml", 16, "a11y.alt_missing")],
    ),
    "alt text warnings": (
        {
            "media/a.svg": SVG,
            "outils/a.yml": tool_with(
                "          - image: {src: media/a.svg, alt: capture_01.png}\n"
                "          - image: {src: media/a.svg, alt: Image de la boîte}\n"
                "          - image: {src: media/a.svg, alt: Un trait, decorative: true}\n"
                f"          - image: {{src: media/a.svg, alt: {'mot ' * 40}}}\n"
            ),
        },
        [("a.yml", 14, "a11y.alt_filename"), ("a.yml", 15, "a11y.alt_redundant"), ("a.yml", 16, "a11y.alt_decorative"), ("a.yml", 17, "a11y.alt_too_long")],
    ),
    "heading order": (
        {"outils/a.yml": tool_with("          - text: |\n              Intro.\n\n              # Titre\n\n              ## Partie\n\n              #### Détail\n")},
        [("a.yml", 17, "a11y.heading_h1"), ("a.yml", 21, "a11y.heading_skip")],
    ),
    "link text": (
        {"outils/a.yml": tool_with("          - text: |\n              Le planning est [ici](https://example.org/p).\n\n              Voir <https://example.org/p>.\n")},
        [("a.yml", 15, "a11y.link_text"), ("a.yml", 17, "a11y.link_url_text")],
    ),
    "single choice needs one right answer": (
        {"outils/a.yml": tool_with("          - quiz:\n              questions:\n                - id: q\n                  type: single\n                  prompt: P\n                  choices: [{text: A, correct: true}, {text: B, correct: true}]\n")},
        [("a.yml", 19, "quiz.single_correct")],
    ),
    "multiple choice needs a right answer, answers differ": (
        {"outils/a.yml": tool_with("          - quiz:\n              questions:\n                - id: q\n                  type: multiple\n                  prompt: P\n                  choices: [{text: A}, {text: a }]\n")},
        [("a.yml", 19, "quiz.multiple_no_correct"), ("a.yml", 19, "quiz.duplicate_choice")],
    ),
    "two quizzes, duplicate question id": (
        {"outils/a.yml": tool_with(
            "          - quiz: {questions: [{id: q, type: true_false, prompt: P, answer: true}]}\n"
            "          - quiz: {questions: [{id: q, type: true_false, prompt: P, answer: true}]}\n"
        )},
        [("a.yml", 15, "quiz.several"), ("a.yml", 15, "id.duplicate")],
    ),
    "rule needs a quiz": (
        {"outils/a.yml": tool_with("          - text: x\n", head="completion: {rule: both}\n")},
        [("a.yml", 9, "quiz.missing_for_rule")],
    ),
    "fill-in answer too long": (
        {"outils/a.yml": tool_with(f"          - quiz: {{questions: [{{id: q, type: fill_in, prompt: P, answers: [{'x' * 70}]}}]}}\n")},
        [("a.yml", 14, "quiz.answer_too_long")],
    ),
    "scorm 1.2 choice limit": (
        {"outils/a.yml": tool_with(
            "          - quiz: {questions: [{id: q, type: multiple, prompt: P, choices: ["
            + ", ".join(f"{{text: c{i}, correct: true}}" for i in range(37))
            + "]}]}\n"
        )},
        [("a.yml", 14, "scorm12.too_many_choices")],
    ),
    "scorm 1.2 suspend data": (
        {"outils/a.yml": tool_with(
            "          - quiz: {questions: ["
            + ", ".join(f"{{id: q{i}, type: fill_in, prompt: P, answers: [a]}}" for i in range(25))
            + "]}\n"
        )},
        [("a.yml", 8, "scorm12.suspend_data")],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_rule(name: str, catalogue_dir) -> None:
    files, expected = CASES[name]
    catalogue = validate(catalogue_dir(files))
    assert problems_of(catalogue) == expected


def test_settings_rules(catalogue_dir) -> None:
    settings = SETTINGS + "moodle_token: abc\nbase_url: https://x\n"
    catalogue = validate(catalogue_dir({"outils/a.yml": TOOL}, settings=settings))
    assert problems_of(catalogue) == [("catalogue.yml", 6, "settings.secret"), ("catalogue.yml", 7, "field.unknown")]
    assert "MOODLE_TOKEN" in catalogue.problems[0].text("fr")[1]


def test_missing_settings(catalogue_dir) -> None:
    catalogue = validate(catalogue_dir({"outils/a.yml": TOOL}, settings=None))
    assert problems_of(catalogue) == [("catalogue.yml", 1, "catalogue.no_settings")]


def test_symlink_out_of_catalogue_is_refused(catalogue_dir, tmp_path: Path) -> None:
    outside = tmp_path / "secret.svg"
    outside.write_text(SVG)
    root = catalogue_dir({"outils/a.yml": tool_with("          - image: {src: media/lien.svg, alt: Un plan}\n")})
    (root / "media").mkdir()
    os.symlink(outside, root / "media" / "lien.svg")
    assert problems_of(validate(root)) == [("a.yml", 14, "media.outside")]


def test_several_files_and_errors_in_one_run(catalogue_dir) -> None:
    root = catalogue_dir({
        "outils/a.yml": TOOL.replace("title: Un outil", "titel: Un outil"),
        "outils/b.yml": TOOL.replace("id: outil", "id: autre").replace("duration_minutes: 10", "duration_minutes: dix"),
        "outils/c.yml": "kind: [",
    })
    codes = problems_of(validate(root))
    assert ("a.yml", 1, "field.missing") in codes and ("a.yml", 3, "field.unknown") in codes
    assert ("b.yml", 5, "type.integer") in codes
    assert [c for c in codes if c[0] == "c.yml"] == [("c.yml", 2, "yaml.syntax")]


def test_message_text_fr_and_en(catalogue_dir) -> None:
    root = catalogue_dir({"outils/a.yml": TOOL.replace("audience: Tous", "audience: Tous\nkeywrods: [a]")})
    problem = validate(root).problems[0]
    fr = format_problem(problem, "fr", base=root)
    en = format_problem(problem, "en", base=root)
    assert fr.splitlines()[0] == "outils/a.yml:7:1: erreur: keywrods : clé inconnue « keywrods »"
    assert "Vouliez-vous dire « keywords » ?" in fr
    assert en.splitlines()[0] == "outils/a.yml:7:1: error: keywrods: unknown key 'keywrods'"
    assert "Did you mean 'keywords'?" in en


def test_warning_severity(catalogue_dir) -> None:
    root = catalogue_dir({"outils/a.yml": tool_with("          - text: '[ici](https://example.org)'\n")})
    (problem,) = validate(root).problems
    assert problem.severity is Severity.WARNING


#: The French text of each case's first problem (what is wrong), checked word for word.
FIRST_MESSAGE = {
    "yaml syntax error": "erreur de syntaxe YAML : ",
    "tab indentation": "tabulation dans l'indentation (ligne 3)",
    "tab inside a block": "tabulation dans l'indentation (ligne 15)",
    "empty tip": "le texte est vide",
    "under-indented alt": "« alt » est au niveau du bloc, alors qu'il appartient à « image »",
    "answer on a choice question": "« answer » ne s'emploie qu'avec « type: true_false »",
    "vrai for true_false": "true ou false est attendu, pas un texte",
    "video accent": "« media/x.svg » n'est pas un fichier vidéo accepté",
    "list plural": "la liste doit avoir au moins 2 éléments",
    "mistyped media path": "fichier « media/ecran-acceuil.svg » introuvable",
    "raw url in text": "adresse web écrite en clair : « https://exemple.fr/planning »",
    "javascript link and html": "code HTML « <b> » : il s'affichera tel quel, balises comprises",
    "tip repeats its title": "le texte commence par « Astuce : », que la page affiche déjà en titre du bloc",
    "structural error under its cause": "un nombre entier est attendu, pas un texte",
    "duplicate key": "la clé « title » est écrite deux fois (première fois ligne 3)",
    "empty file": "le fichier est vide",
    "not utf-8": "le fichier n'est pas en UTF-8 (octet invalide ligne 2)",
    "unknown tag": "étiquette YAML non prise en charge : tag:yaml.org,2002:python/object:os.system",
    "missing field": "champ obligatoire « summary » manquant",
    "unknown key with suggestion": "clé inconnue « keywrods »",
    "text expected": "un texte est attendu, pas un nombre",
    "integer expected": "un nombre entier est attendu, pas un texte",
    "range": "la valeur 120 doit être au plus égale à 100",
    "bad slug": "identifiant « Module A » invalide",
    "bad url": "adresse web « rdv.example.org » invalide",
    "bad email": "adresse électronique « mediation » invalide",
    "bad version": "version « v2 » invalide",
    "bad choice": "valeur « de » non permise",
    "unknown competence": "valeur « 2.5 » non permise",
    "empty list": "la liste doit avoir au moins 1 élément",
    "unknown block": "bloc non reconnu (astuce)",
    "unknown document kind": "type de document « tools » inconnu",
    "missing document kind": "champ obligatoire « kind » manquant",
    "colon in text": "le texte « Ouvrez l'agenda » est suivi de « : » et d'une espace, que YAML lit comme une clé",
    "unknown question type": "type de question « vrai_faux » inconnu",
    "duplicate course id": "l'identifiant « outil » est déjà utilisé (a.yml:2)",
    "duplicate module id": "l'identifiant « module-a » est déjà utilisé (a.yml:8)",
    "duplicate page id": "l'identifiant « page-1 » est déjà utilisé (a.yml:11)",
    "unknown module reference": "le module « outil/module-b » n'existe pas",
    "no required module": "aucun module obligatoire dans ce parcours",
    "media missing, outside, absolute, remote": "fichier « media/absent.svg » introuvable",
    "media of the wrong kind": "« media/plan.pdf » n'est pas un fichier image accepté",
    "captions not webvtt": "« media/v.vtt » n'est pas un fichier WebVTT (il doit commencer par « WEBVTT »)",
    "video without transcript": "champ obligatoire « transcript » manquant",
    "alt text missing": "texte alternatif manquant",
    "step screenshot without alt": "texte alternatif manquant",
    "alt text warnings": "le texte alternatif « capture_01.png » ressemble à un nom de fichier",
    "heading order": "titre de niveau 1 (« # ») dans le texte",
    "link text": "texte de lien peu parlant : « ici »",
    "single choice needs one right answer": "une question à choix unique doit avoir exactement une bonne réponse (ici 2)",
    "multiple choice needs a right answer, answers differ": "aucune bonne réponse dans cette question à choix multiple",
    "two quizzes, duplicate question id": "ce module a déjà un quiz (page « page-1 »)",
    "rule needs a quiz": "la règle d'achèvement « both » demande un quiz, mais ce module n'en a pas",
    "fill-in answer too long": "réponse acceptée trop longue (70 caractères, maximum 60)",
    "scorm 1.2 choice limit": "37 éléments : SCORM 1.2 (application Moodle) n'en permet que 36 par question",
    "bad phone": "numéro de téléphone « appeler Sylvie » invalide",
    "scorm 1.2 suspend data": "l'état de reprise de ce module peut atteindre 4535 caractères : SCORM 1.2 (application Moodle) en garde 4096",
}


@pytest.mark.parametrize("name", list(CASES))
def test_rule_message(name: str, catalogue_dir) -> None:
    files, expected = CASES[name]
    root = catalogue_dir(files)
    first = validate(root).problems[0]
    file, line, _code = expected[0]
    rendered = format_problem(first, "fr", base=root)
    assert rendered.startswith(f"{first.file.relative_to(root)}:{line}:")
    assert first.file.name == file
    what, fix = first.text("fr")
    assert what.startswith(FIRST_MESSAGE[name]), what
    assert fix, "every problem says how to fix it"
    assert first.text("en")[0] != what


def test_every_case_has_its_message() -> None:
    assert set(FIRST_MESSAGE) == set(CASES)


def test_hints_point_to_what_to_write(catalogue_dir) -> None:
    """The fix of each new case names the right spelling: « true », the media file, the link."""
    def fix_of(name: str) -> str:
        return validate(catalogue_dir(CASES[name][0])).problems[0].text("fr")[1]

    assert fix_of("vrai for true_false").startswith("Vouliez-vous dire « true » ?")
    assert fix_of("mistyped media path").startswith("Vouliez-vous dire « media/ecran-accueil.svg » ?")
    assert "« correct: true »" in fix_of("answer on a choice question")
    assert "None" not in fix_of("empty tip")
    assert "<=" not in fix_of("range") and "au plus égale à 100" in fix_of("range")


def test_no_english_in_french_yaml_errors(catalogue_dir) -> None:
    for text in ("kind: tool\nid: a\n  title: b\n", "a: 'x\n", "- a\nb: c\n", "kind: tool\nid: &a\n", "x: [\n\t1]\n"):
        problem = validate(catalogue_dir({"outils/a.yml": text})).problems[0]
        what, _fix = problem.text("fr")
        assert not any(word in what for word in ("found", "expected", "while", "character", "mapping", "token")), what


def test_moodle_limits_reported_before_publishing(tmp_path) -> None:
    """An activity ID number over 100 characters failed with dmlwriteexception half-way through
    a publish (exchange 98), after categories and courses existed."""
    from conftest import SETTINGS, TOOL
    from packager.model.checks import validate_catalogue

    (tmp_path / "outils").mkdir()
    (tmp_path / "catalogue.yml").write_text(SETTINGS, encoding="utf-8")
    # each id is within its own 64 characters, together they are not: coursepack:<40>/<60>
    tool = TOOL.replace("id: outil\n", f"id: {'o' * 40}\n").replace("id: module-a", f"id: {'m' * 60}")
    (tmp_path / "outils" / f"{'o' * 40}.yml").write_text(tool, encoding="utf-8")
    problems = [p for p in validate_catalogue(tmp_path).problems if p.code == "moodle.too_long"]
    assert [p.params["what"] for p in problems] == ["activity"]
    what, fix = problems[0].text("fr")
    assert "l'identifiant de l'activité (cours/module) dans Moodle aurait 112 caractères" in what and "Raccourcissez" in fix
    assert problems[0].position.line > 1


def test_a_course_title_moodle_cannot_store_is_reported(tmp_path) -> None:
    """course.fullname holds 254 characters, one fewer than a title may have."""
    from conftest import SETTINGS, TOOL
    from packager.model.checks import validate_catalogue

    (tmp_path / "outils").mkdir()
    (tmp_path / "catalogue.yml").write_text(SETTINGS, encoding="utf-8")
    (tmp_path / "outils" / "outil.yml").write_text(TOOL.replace("title: Un outil", "title: " + "T" * 255), encoding="utf-8")
    problems = [p for p in validate_catalogue(tmp_path).problems if p.code == "moodle.too_long"]
    assert [(p.params["what"], p.params["max"], p.position.line) for p in problems] == [("fullname", 254, 3)]


def test_text_checks_read_the_text_as_the_page_shows_it(catalogue_dir) -> None:
    """The checks read the build's own parse: markup an author escaped is text, a prompt is read
    as the line it is shown in, and a tag is reported on its own line."""
    cases = {
        "          - text: 'Écrivez \\<b> ou &lt;b&gt; pour du gras.'\n": [],
        "          - text: 'Voir <a href=\"https://exemple.fr\">le site</a>'\n": [("a.yml", 14, "text.html")],
        "          - text: |\n              Ligne un.\n              <div>deux</div>\n": [("a.yml", 16, "text.html")],
        "          - quiz: {questions: [{id: q, type: true_false, prompt: 'Vrai <i>ou</i> faux ?', answer: true}]}\n":
            [("a.yml", 14, "text.html")],
    }
    for blocks, expected in cases.items():
        assert problems_of(validate(catalogue_dir({"outils/a.yml": tool_with(blocks)}))) == expected, blocks
