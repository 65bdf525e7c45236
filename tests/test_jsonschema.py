"""The JSON Schema editors use agrees with the catalogue and rejects what the validator rejects."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import COURSES, TOOL
from packager.model.catalogue import SETTINGS_FILE, course_files
from packager.model.jsonschema import course_schema, settings_schema

COURSE_VALIDATOR = jsonschema.Draft202012Validator(course_schema())


def test_schemas_are_valid_json_schemas() -> None:
    jsonschema.Draft202012Validator.check_schema(course_schema())
    jsonschema.Draft202012Validator.check_schema(settings_schema())


@pytest.mark.parametrize("file", course_files(COURSES), ids=lambda f: f.name)
def test_every_catalogue_file_matches_the_schema(file) -> None:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert list(COURSE_VALIDATOR.iter_errors(data)) == []


def test_catalogue_settings_match_the_schema() -> None:
    data = yaml.safe_load((COURSES / SETTINGS_FILE).read_text(encoding="utf-8"))
    jsonschema.validate(data, settings_schema())


@pytest.mark.parametrize(
    "broken, where",
    [
        (TOOL.replace("title: Un outil", "titel: Un outil"), "titel"),
        (TOOL.replace("kind: tool", "kind: outil"), "outil"),
        (TOOL.replace("- text: Bonjour.", "- astuce: Bonjour."), "astuce"),
        (TOOL.replace("id: module-a", "id: Module A"), "Module A"),
        (TOOL.replace("duration_minutes: 10", "duration_minutes: dix"), "dix"),
        (TOOL.replace("audience: Tous", "audience: Tous\ncompetences: [6.1]"), "6.1"),
    ],
)
def test_schema_rejects_broken_files(broken: str, where: str) -> None:
    errors = list(COURSE_VALIDATOR.iter_errors(yaml.safe_load(broken)))
    assert errors
    assert any(where in str(e.message) or where in json.dumps(e.instance, ensure_ascii=False) for e in errors)


def test_committed_schemas_are_up_to_date() -> None:
    """Editors read courses/_schemas/; regenerate with `coursepack schema --out …` after a format change."""
    for name, schema in (("course", course_schema()), ("catalogue", settings_schema())):
        committed = json.loads((COURSES / "_schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert committed == schema, f"courses/_schemas/{name}.schema.json is stale"
