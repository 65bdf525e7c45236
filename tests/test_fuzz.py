"""Random and mutated YAML never makes the validator raise: it always ends with a clean report."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import COURSES
from packager.model.catalogue import course_files
from packager.model.checks import validate_catalogue
from packager.model.messages import MESSAGES
from packager.model.problems import format_problem

FUZZ_SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
REAL_FILES = [f.read_text(encoding="utf-8") for f in course_files(COURSES)]


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real catalogue's settings and media; each example writes one course file."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copy(COURSES / "catalogue.yml", root / "catalogue.yml")
    shutil.copytree(COURSES / "media", root / "media")
    return root


LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def check_clean_report(root: Path, text: str | bytes) -> None:
    target = root / "fuzz.yml"
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
    catalogue = validate_catalogue(root)
    # YAML breaks lines where the reader does: a lone CR (and NEL, LS, PS) counts, CR LF once
    decoded = text if isinstance(text, str) else text.decode("utf-8", errors="replace")
    lines = len(LINE_BREAK.split(decoded))
    for problem in catalogue.problems:
        assert problem.file == target
        assert 1 <= problem.position.line <= lines + 1
        assert problem.code in MESSAGES
        for lang in ("fr", "en"):
            assert format_problem(problem, lang, base=root).startswith(f"fuzz.yml:{problem.position.line}:")


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
    st.sampled_from(["tool", "job", "single", "quiz", "text", "image", "media/messagerie/boite-de-reception.svg", "../x", "/etc/passwd"]),
)
keys = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["kind", "id", "title", "summary", "modules", "pages", "blocks", "quiz", "questions", "type", "choices", "image", "src", "alt", "steps", "ref", "text", "completion", "rule"]),
)
trees = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5), max_leaves=40)


@FUZZ_SETTINGS
@given(text=st.text(max_size=400))
def test_random_text(fuzz_root: Path, text: str) -> None:
    check_clean_report(fuzz_root, text)


@FUZZ_SETTINGS
@given(data=st.binary(max_size=200))
def test_random_bytes(fuzz_root: Path, data: bytes) -> None:
    check_clean_report(fuzz_root, data)


@FUZZ_SETTINGS
@given(tree=trees)
def test_random_structures(fuzz_root: Path, tree: object) -> None:
    check_clean_report(fuzz_root, yaml.safe_dump(tree, allow_unicode=True))


@st.composite
def mutated_real_file(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(REAL_FILES)).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "garble", "swap", "colon"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = "  " + lines[index]
        elif action == "dedent":
            lines[index] = lines[index][2:]
        elif action == "garble":
            position = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:position] + draw(st.text(max_size=5)) + lines[index][position:]
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            lines[index] = lines[index] + " : suite"
    return "\n".join(lines) + "\n"


@FUZZ_SETTINGS
@given(text=mutated_real_file())
def test_mutated_real_files(fuzz_root: Path, text: str) -> None:
    check_clean_report(fuzz_root, text)
