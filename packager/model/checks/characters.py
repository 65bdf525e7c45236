"""Characters XML 1.0 forbids (NUL, BEL and the other C0 controls but tab and newlines, lone
surrogates, U+FFFE, U+FFFF): a YAML escape such as ``"Titre\\0du\\x07cours"`` puts them in a text,
and then in ``imsmanifest.xml`` or ``cmi5.xml``, which an LMS refuses as not XML at all."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packager.model.catalogue import Catalogue, SourceDoc
from packager.model.checks import walk
from packager.model.problems import Problem
from packager.utils.yamlload import Position

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_doc(doc: SourceDoc) -> Iterator[Problem]:
    for path, text in walk.strings(doc.data):
        found = FORBIDDEN.search(text)
        if found is None:
            continue
        problem = doc.problem(path, "text.forbidden_char", {"char": f"U+{ord(found.group(0)):04X}", "index": found.start() + 1})
        first = doc.source.block_content.get(path)
        if first is not None:  # inside a ``|`` text: the very line
            problem = Problem(problem.file, Position(first + text[: found.start()].count("\n"), 1), path,
                              problem.code, problem.params)
        yield problem


def check(catalogue: Catalogue) -> Iterator[Problem]:
    docs = list(catalogue.docs.values())
    if catalogue.settings_doc is not None:
        docs.append(catalogue.settings_doc)
    for doc in docs:
        yield from _check_doc(doc)
