"""The preview's pages on mutated catalogues: never an exception, never a file opened outside the
catalogue root (checked with an audit hook on every ``open``)."""

from __future__ import annotations

import mimetypes
import os
import shutil
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import COURSES, REPO
from packager.model.catalogue import course_files
from packager.preview.pages import Preview

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150")) // 3 or 1
FILES = [f.relative_to(COURSES).as_posix() for f in course_files(COURSES)] + ["catalogue.yml"]
HOSTILE = ["../../../../../../etc/passwd", "/etc/hostname", "media/lien-passwd.svg", "media//agenda/vue-semaine.svg",
           "./media/agenda/vue-semaine.svg", "media/absent.svg", "https://exemple.fr/x.png", "media/../../x.svg", "\t", ""]
_OPENED: list[str] = []
_WATCHING: list[Path] = []


def _hook(event: str, args: tuple) -> None:
    if _WATCHING and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        allowed = [os.path.realpath(p) for p in (_WATCHING[0], REPO / "templates", sys.prefix, sys.base_prefix,
                                                 os.environ["XDG_CACHE_HOME"], "/proc/self")]  # the tool's own cache, its umask
        if not any(path == a or path.startswith(a + os.sep) for a in allowed):
            _OPENED.append(path)


mimetypes.init()  # the standard library reads /etc/mime.types once: not a catalogue read
sys.addaudithook(_hook)

mutation = st.one_of(
    st.tuples(st.just("delete_line"), st.sampled_from(FILES), st.integers(0, 400)),
    st.tuples(st.just("duplicate_line"), st.sampled_from(FILES), st.integers(0, 400)),
    st.tuples(st.just("replace_char"), st.sampled_from(FILES), st.integers(0, 20000), st.sampled_from(list(":-[]{}#&*!|>'\"\t\n x"))),
    st.tuples(st.just("media"), st.sampled_from(FILES), st.sampled_from(HOSTILE)),
    st.tuples(st.just("ref_typo"), st.sampled_from(FILES), st.integers(0, 30)),
    st.tuples(st.just("truncate"), st.sampled_from(FILES), st.integers(0, 3000)),
    st.tuples(st.just("remove"), st.sampled_from(FILES)),
)


def mutate(root: Path, change: tuple) -> None:
    kind, name, *args = change
    target = root / name
    if not target.exists():  # removed by an earlier change
        return
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if kind == "delete_line" and lines:
        del lines[args[0] % len(lines)]
        text = "".join(lines)
    elif kind == "duplicate_line" and lines:
        index = args[0] % len(lines)
        lines.insert(index, lines[index])
        text = "".join(lines)
    elif kind == "replace_char" and text:
        index = args[0] % len(text)
        text = text[:index] + args[1] + text[index + 1:]
    elif kind == "media":
        text = text.replace("src: media/", f"src: '{args[0]}' #", 1)
    elif kind == "ref_typo":
        text = text.replace("ref: ", "ref: x", 1) if args[0] % 2 else text.replace("/", "/z", 1)
    elif kind == "truncate":
        text = text[: args[0]]
    elif kind == "remove":
        target.unlink()
        return
    target.write_text(text, encoding="utf-8")


def every_page(preview: Preview) -> list[int]:
    statuses = [preview.home().status]
    _version, catalogue = preview.current()
    keys = [unit.key for unit in catalogue.modules()][:6] + ["absent/module", "../../etc", ""]
    for key in keys:
        statuses.append(preview.play(key).status)
        files = preview.package(key) or {}
        for name in [*list(files)[:4], "", "../../../../etc/passwd", "/etc/passwd", "media/lien-passwd.svg"]:
            reply = preview.package_file(key, name)
            assert b"root:x:0:0" not in reply.body
            statuses.append(reply.status)
    return statuses


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(mutation, min_size=1, max_size=3))
def test_preview_pages_on_mutated_catalogues(changes: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "courses"
        shutil.copytree(COURSES, root)
        (root / "media" / "lien-passwd.svg").symlink_to("/etc/passwd")
        preview = Preview(root)
        every_page(preview)  # warm: the unchanged catalogue
        for change in changes:
            mutate(root, change)
        preview.changed()
        _OPENED.clear()
        _WATCHING.append(root)
        try:
            statuses = every_page(preview)
        finally:
            _WATCHING.clear()
        assert _OPENED == []
        assert set(statuses) <= {200, 404}
