"""The starting files ``coursepack new`` writes, and the sample texts they hold.

The same templates tell the checks what a mediator has not replaced yet (« Titre du cours »,
« Les agents de ce métier »): each sample text is marked in the template itself, never listed twice.
"""

from __future__ import annotations

from functools import lru_cache
from collections.abc import Callable

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from packager.resources import templates_dir

KINDS = ("tool", "job")


def _rendered(kind: str, course_id: str, example_ref: str, sample: Callable[[str], str]) -> str:
    env = Environment(
        loader=FileSystemLoader(templates_dir() / "scaffold"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML output: escaping HTML would corrupt it
    )
    return env.get_template(f"{kind}.yml.j2").render(id=course_id, example_ref=example_ref, sample=sample)


def render(kind: str, course_id: str, example_ref: str) -> str:
    """The starting file: the templates mark with ``sample("…")`` each text to replace."""
    return _rendered(kind, course_id, example_ref, lambda text: text)


@lru_cache(maxsize=1)
def sample_lines() -> frozenset[str]:
    """Each text the templates mark as a sample (a title, a sentence of a longer text)."""
    found: set[str] = set()

    def keep(text: str) -> str:
        found.add(text.strip())
        return text

    for kind in KINDS:
        _rendered(kind, "x", "x/x", keep)
    return frozenset(found)
