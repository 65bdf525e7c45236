"""The authoring guide's examples are real: they validate against the real catalogue."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from conftest import COURSES, REPO, problems_of, validate

GUIDE = (REPO / "docs" / "guide-auteur.md").read_text(encoding="utf-8")
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", GUIDE, flags=re.DOTALL)
MEDIA = {
    ".svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ".mp4": b"\x00\x00\x00\x18ftypmp42",
    ".vtt": b"WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour\n",
    ".pdf": b"%PDF-1.4\n%%EOF\n",
}


def media_paths(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {v for k, v in node.items() if k in ("src", "captions", "poster") and isinstance(v, str)}
        return found.union(*(media_paths(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(media_paths(v) for v in node)) if node else set()
    return set()


def test_guide_examples_validate(tmp_path: Path) -> None:
    documents = [yaml.safe_load(block) for block in YAML_BLOCKS if block.lstrip().startswith("kind:")]
    assert {d["kind"] for d in documents} == {"tool", "job"}
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    for index, block in enumerate(b for b in YAML_BLOCKS if b.lstrip().startswith("kind:")):
        (root / f"exemple-{index}.yml").write_text(block, encoding="utf-8")
    for document in documents:
        for written in media_paths(document):
            target = root / written
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(MEDIA[target.suffix])
    assert problems_of(validate(root)) == []


def test_guide_example_uses_every_block_and_question_type() -> None:
    from packager.model.format import BLOCK_MODELS, QUESTION_TYPES

    complete = GUIDE.split("<!-- exemple-complet -->", 1)[1]
    example = yaml.safe_load(re.search(r"```yaml\n(.*?)```", complete, flags=re.DOTALL).group(1))
    blocks = [b for m in example["modules"] for p in m["pages"] for b in p["blocks"]]
    assert {next(iter(b)) for b in blocks} == set(BLOCK_MODELS)
    questions = [q for b in blocks if "quiz" in b for q in b["quiz"]["questions"]]
    assert {q["type"] for q in questions} == set(QUESTION_TYPES)


def test_every_message_has_a_worked_example_in_the_guide() -> None:
    """Each code: what causes it, the message as shown, and the fix, in the mediators' guide."""
    from packager.model.messages import MESSAGES

    section = GUIDE.split("## Les messages du vérificateur, un par un", 1)[1].split("\n## ", 1)[0]
    entries = dict(re.findall(r"^- \*\*`([a-z0-9_.]+)`\*\* — (Exemple : .*?)(?=^- \*\*`|\Z)", section, flags=re.MULTILINE | re.DOTALL))
    assert sorted(entries) == sorted(MESSAGES)
    for code, entry in entries.items():
        assert "\n  Message : « " in entry and "\n  Correction : " in entry, code
        fix = MESSAGES[code]["fr"][1]
        start = fix.split("{", 1)[0]
        shown = entry.split("Correction : ", 1)[1]
        assert shown.startswith(start) or shown.startswith("Vouliez-vous dire"), code  # the guide follows the wording


def test_guide_catalogue_settings_validate(tmp_path: Path) -> None:
    """The ``moodle:`` example of the publishing section is a real catalogue setting."""
    blocks = [b for b in YAML_BLOCKS if b.lstrip().startswith("moodle:")]
    assert blocks, "the guide shows the moodle settings"
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    settings = root / "catalogue.yml"
    text = settings.read_text(encoding="utf-8")
    start = text.index("moodle:")
    end = text.index("contact:")
    settings.write_text(text[:start] + blocks[0] + text[end:], encoding="utf-8")
    assert problems_of(validate(root)) == []


def test_every_screenshot_the_guide_shows_is_committed_beside_it() -> None:
    # the guide's own screenshots, in docs/images/ (examples of Markdown that show ``media/…`` are not)
    images = re.findall(r"!\[([^\]]+)\]\((images/[^)]+)\)", GUIDE)
    assert len(images) >= 4  # « Suivre les agents »: the report's top, the list, the questions, a flyer
    for alt, path in images:
        target = REPO / "docs" / path
        assert alt and target.is_file() and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
