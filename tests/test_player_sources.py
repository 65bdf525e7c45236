"""The player's source files (templates/player/src): the join order of packager/packaging/runtime.py
checked against what each file defines and uses, every file listed, and ESLint on them all.

Each file adds one namespace to the object the build's wrapper declares (``CP`` for the page,
``T`` for the LRS trackers) and, while the joined script runs, may only read namespaces that
files before it added: a file that reads one from a later file breaks the page at load."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from packager.packaging.runtime import SCRIPTS, minify_js
from packager.resources import templates_dir

BROWSER = REPO / "tests" / "browser"
#: The namespace object each built script's wrapper declares.
NAMESPACES = {"player.js": "CP", "tracker-xapi.js": "T"}


def join_problems(folder: Path, sources: tuple[str, ...], namespace: str) -> list[str]:
    """What is wrong with joining ``sources`` of ``folder`` in this order: files of the folder
    not listed (or listed and missing), files that add no namespace or one another file adds,
    and names used before the file that adds them. Comments are left out (minified first)."""
    problems = [f"{name}: in {folder.name}/ but not in the join list" for name in
                sorted({path.name for path in folder.glob("*.js")} - set(sources))]
    problems += [f"{name}: listed but missing" for name in sources if not (folder / name).is_file()]
    defined: dict[str, str] = {}
    for name in (source for source in sources if (folder / source).is_file()):
        code = minify_js((folder / name).read_text(encoding="utf-8"))
        own = set(re.findall(rf"\b{namespace}\.(\w+)=(?!=)", code))
        if not own:
            problems.append(f"{name}: adds no {namespace}.* namespace")
        for added in sorted(own & set(defined)):
            problems.append(f"{name}: {namespace}.{added} is already added by {defined[added]}")
        later = sorted(set(re.findall(rf"\b{namespace}\.(\w+)", code)) - own - set(defined))
        problems += [f"{name}: uses {namespace}.{used}, which no file before it adds" for used in later]
        defined.update(dict.fromkeys(own - set(defined), name))
    return problems


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_join_order_is_the_order_of_needs(name) -> None:
    sub, sources, *_rest = SCRIPTS[name]
    assert join_problems(templates_dir() / "player" / sub, sources, NAMESPACES[name]) == []


def test_join_check_finds_a_wrong_order_and_an_unlisted_file(tmp_path) -> None:
    (tmp_path / "a.js").write_text("/* CP.b is only named here */\nCP.a = (function () { return 1; }());\n")
    (tmp_path / "b.js").write_text("CP.b = (function () { return CP.a + 1; }());\n")
    (tmp_path / "c.js").write_text("CP.c = CP.b;\n")
    assert join_problems(tmp_path, ("a.js", "b.js", "c.js"), "CP") == []
    assert join_problems(tmp_path, ("b.js", "a.js", "c.js"), "CP") == ["b.js: uses CP.a, which no file before it adds"]
    assert join_problems(tmp_path, ("a.js", "b.js"), "CP") == ["c.js: in " + tmp_path.name + "/ but not in the join list"]
    (tmp_path / "d.js").write_text("CP.a = 2;\n")
    assert join_problems(tmp_path, ("a.js", "b.js", "c.js", "d.js", "e.js"), "CP") == [
        "e.js: listed but missing", "d.js: CP.a is already added by a.js"]


def test_eslint_on_the_player() -> None:
    """eslint:recommended, no-undef (browser globals and the CP/T namespaces), no unused
    variables, no function over 60 lines (tests/browser/eslint.config.mjs)."""
    node = shutil.which("node")
    eslint = BROWSER / "node_modules" / "eslint" / "bin" / "eslint.js"
    if node is None or not eslint.is_file():
        pytest.skip("node or eslint is not installed (make test installs both with the browser tests' npm packages)")
    found = subprocess.run([node, str(eslint), "--config", str(BROWSER / "eslint.config.mjs"), "--max-warnings", "0",
                            "templates/player/src"], cwd=REPO, capture_output=True, text=True, check=False)
    assert found.returncode == 0, found.stdout[-4000:] + found.stderr[-2000:]
