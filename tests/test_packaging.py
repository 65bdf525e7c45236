"""The installed package holds every module of packager/ (pyproject.toml lists them by hand,
because templates/ and courses/ are mapped into the package from the repository root)."""

from __future__ import annotations

import tomllib

from conftest import REPO


def test_every_python_package_is_listed() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "packager").rglob("__init__.py")
    }
    assert found <= listed, f"add to pyproject.toml: {sorted(found - listed)}"
    assert {"packager.templates", "packager.courses"} <= listed
