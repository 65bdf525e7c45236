"""Incremental all the way: an unchanged catalogue is not parsed again, a changed file re-checks
itself and what refers to it, and commands import only what they use."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import COURSES, REPO
from packager.cli import cli
from packager.model import catalogue as catalogue_module
from packager.model.checks import validate_catalogue


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    return root


def count_parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    original = catalogue_module._course_file

    def counting(file: Path, root: Path):
        parsed.append(file.name)
        return original(file, root)

    monkeypatch.setattr(catalogue_module, "_course_file", counting)
    return parsed


def test_a_changed_file_is_parsed_again_the_others_are_not(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validate_catalogue(copy)
    parsed = count_parsed(monkeypatch)
    assert validate_catalogue(copy).errors == [] and parsed == []  # unchanged: from the cache, whole
    agenda = copy / "outils" / "agenda.yml"
    agenda.write_text(agenda.read_text(encoding="utf-8") + "\n# une note\n", encoding="utf-8")
    assert validate_catalogue(copy).errors == []
    assert parsed == ["agenda.yml"]


def test_what_refers_to_a_changed_file_is_checked_again(copy: Path) -> None:
    assert validate_catalogue(copy).errors == []
    tool = copy / "outils" / "messagerie.yml"
    tool.write_text(tool.read_text(encoding="utf-8").replace("id: lire-ses-messages", "id: lire-les-messages"), encoding="utf-8")
    unknown = [(p.file.name, p.code, p.params["ref"]) for p in validate_catalogue(copy).errors]
    assert ("agent-administratif.yml", "ref.unknown", "messagerie/lire-ses-messages") in unknown


def test_a_no_change_build_parses_nothing(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    out = tmp_path / "dist"
    assert runner.invoke(cli, ["build", str(copy), "--out", str(out)]).exit_code == 0
    monkeypatch.setattr(catalogue_module, "load_yaml", lambda _text: pytest.fail("no YAML should be parsed"))
    again = runner.invoke(cli, ["build", str(copy), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert "0 paquet construit, 20 inchangés" in again.output


def test_a_change_after_a_no_change_build_is_built(copy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "dist"
    runner.invoke(cli, ["build", str(copy), "--out", str(out)])
    runner.invoke(cli, ["build", str(copy), "--out", str(out)])
    tool = copy / "outils" / "messagerie.yml"
    tool.write_text(tool.read_text(encoding="utf-8").replace("title: La boîte de réception", "title: Votre boîte"), encoding="utf-8")
    result = runner.invoke(cli, ["build", str(copy), "--out", str(out)])
    assert "1 paquet construit, 19 inchangés" in result.output, result.output
    page = zipfile.ZipFile(out / "messagerie.lire-ses-messages.scorm12.zip").read("index.html").decode()
    assert "Votre boîte" in page


def test_commands_are_imported_lazily() -> None:
    code = "import sys, packager.cli; print(sorted(m for m in ('requests', 'tincan', 'pydantic', 'jinja2', 'uvicorn') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout.strip()
    assert loaded == "[]"


def test_markdown_is_parsed_once_per_text(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation and the build (pages and fiches mémo) share one parse per text, whatever the parser."""
    from markdown_it import MarkdownIt

    from packager.model import markdown

    for cached in (markdown.tokens, getattr(markdown, "inline_tokens", markdown.tokens)):
        cached.cache_clear()
    seen: list[tuple[str, str]] = []
    for method in ("parse", "parseInline"):
        original = getattr(MarkdownIt, method)
        monkeypatch.setattr(MarkdownIt, method, lambda self, text, env=None, _o=original, _m=method: seen.append((_m, text)) or _o(self, text, env))
    monkeypatch.setenv("COURSEPACK_NO_CACHE", "1")
    result = CliRunner().invoke(cli, ["build", str(copy), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    assert len(seen) > 100 and len(seen) == len(set(seen))


def test_shared_files_are_compressed_once_per_build(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zlib

    calls: list[int] = []
    original = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs))
    monkeypatch.setenv("COURSEPACK_NO_CACHE", "1")
    out = tmp_path / "dist"
    assert CliRunner().invoke(cli, ["build", str(copy), "--out", str(out)]).exit_code == 0
    contents, members = set(), 0
    for package in sorted(out.glob("*.zip")):
        with zipfile.ZipFile(package) as archive:
            assert archive.testzip() is None  # every member's CRC checked
            for name in archive.namelist():
                contents.add(archive.read(name))
                members += 1
    assert members - len(contents) >= 19  # player.js (the styles are inside each page) in each of the 20 packages
    assert len(calls) == len(contents)  # each distinct content deflated once, not once per zip


def test_zips_are_laid_out_as_zipfile_writes_them(tmp_path: Path) -> None:
    """Same bytes as the standard library's writer (so packages keep their sha1), valid for unzip."""
    import io
    import os

    from packager.utils.detzip import Compressed, deterministic_zip

    files = {"index.html": b"<p>Bonjour</p>" * 50, "player/player.js": (REPO / "packager" / "cli" / "__init__.py").read_bytes(),
             "media/écran d'accueil.svg": os.urandom(3000), "vide.txt": b""}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    store = Compressed()
    first, second = deterministic_zip(files, store), deterministic_zip(dict(reversed(files.items())), store)
    assert first == second == buffer.getvalue() == deterministic_zip(files)
    (tmp_path / "a.zip").write_bytes(first)
    tested = subprocess.run(["unzip", "-t", str(tmp_path / "a.zip")], capture_output=True, text=True)
    assert tested.returncode == 0 and "No errors detected" in tested.stdout, tested.stdout


def test_a_changed_file_rewrites_its_own_cache_entry_only(copy: Path) -> None:
    """The cache is one small entry per course file: a changed file costs one entry, not the catalogue's."""
    import os

    from packager.model.cache import cache_folder

    validate_catalogue(copy)
    folder = cache_folder(copy.resolve())
    assert folder is not None
    before = {entry.name: entry.stat().st_mtime_ns for entry in os.scandir(folder / "files")}
    assert len(before) == len(list(copy.rglob("*.yml"))) - 1  # every course file, the settings aside
    agenda = copy / "outils" / "agenda.yml"
    agenda.write_text(agenda.read_text(encoding="utf-8") + "\n# une note\n", encoding="utf-8")
    validate_catalogue(copy)
    after = {entry.name: entry.stat().st_mtime_ns for entry in os.scandir(folder / "files")}
    assert len(after) == len(before) and len(set(after) - set(before)) == 1  # the old entry of agenda.yml is gone
    assert {name: after[name] for name in set(after) & set(before)} == {name: before[name] for name in set(after) & set(before)}


def test_problems_read_back_from_the_cache_are_the_same(catalogue_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    """Positions, warnings and a YAML date (which the compact format cannot hold) survive the cache."""
    from conftest import TOOL

    tool = TOOL.replace("          - text: Bonjour.\n",
                        "          - text: 'Voir https://exemple.fr et <b>gras</b>'\n          - image: {src: media/absente.svg, alt: x}\n")
    dated = TOOL.replace("id: outil", "id: date").replace("duration_minutes: 10", "duration_minutes: 2024-01-15")
    root = catalogue_dir({"outils/a.yml": tool, "outils/b.yml": TOOL.replace("id: outil", "id: autre"), "outils/c.yml": dated})
    seen = lambda catalogue: [(p.file.name, p.position, p.path, p.code, p.params) for p in catalogue.problems]  # noqa: E731
    monkeypatch.setenv("COURSEPACK_NO_CACHE", "1")
    fresh = seen(validate_catalogue(root))
    monkeypatch.delenv("COURSEPACK_NO_CACHE")
    validate_catalogue(root)
    other = root / "outils" / "b.yml"
    other.write_text(other.read_text(encoding="utf-8") + "# une note\n", encoding="utf-8")  # a.yml from the cache
    parsed = count_parsed(monkeypatch)
    assert seen(validate_catalogue(root)) == fresh and parsed == ["b.yml"]
    assert {code for _f, _p, _path, code, _params in fresh} >= {"text.raw_url", "text.html", "media.missing", "type.integer"}


def _parallel(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Workers from the second package on, on two cores even on a one-core machine."""
    import multiprocessing
    import os

    from packager.packaging import pipeline

    contexts: list[str] = []
    original = multiprocessing.get_context
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: contexts.append(method) or original(method))
    return contexts


def test_a_large_build_shares_the_work_between_cores_with_the_same_bytes(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from packager.packaging.pipeline import build_catalogue

    catalogue = validate_catalogue(copy)
    build_catalogue(catalogue, "scorm12", tmp_path / "one")
    contexts = _parallel(monkeypatch)
    result = build_catalogue(catalogue, "scorm12", tmp_path / "several")
    assert contexts == ["fork"] and len(result.built) == 20
    read = lambda folder: {p.name: p.read_bytes() for p in sorted(folder.iterdir())}  # noqa: E731
    assert read(tmp_path / "one") == read(tmp_path / "several")


def test_a_worker_failing_fails_the_build_and_writes_nothing_half(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from packager.packaging.builders.scorm12 import Scorm12Builder
    from packager.packaging.pipeline import STATE_FILE, build_catalogue

    catalogue = validate_catalogue(copy)
    out = tmp_path / "dist"
    build_catalogue(catalogue, "scorm12", out)
    before = {p.name: p.read_bytes() for p in out.glob("*.zip")}
    original = Scorm12Builder.package

    def failing(self, unit):
        if unit.key == "messagerie/lire-ses-messages":
            raise OSError(errno.EIO, "Input/output error", "media/x.png")
        return original(self, unit)

    monkeypatch.setattr(Scorm12Builder, "package", failing)
    _parallel(monkeypatch)
    with pytest.raises(OSError) as raised:
        build_catalogue(catalogue, "scorm12", out, force=True)
    assert raised.value.errno == errno.EIO and raised.value.filename == "media/x.png"
    assert {p.name: p.read_bytes() for p in out.glob("*.zip")} == before
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith((".zip", ".fiche.html"))) == [STATE_FILE, "xapi-activities.json"]


def test_the_cache_of_earlier_versions_is_removed(copy: Path) -> None:
    from packager.model.cache import cache_folder

    folder = cache_folder(copy.resolve())
    assert folder is not None
    folder.parent.mkdir(parents=True, exist_ok=True)
    old = [folder.with_name(f"{folder.name}.{part}.pickle") for part in ("files", "whole")]
    for file in old:
        file.write_bytes(b"old")
    validate_catalogue(copy)
    assert not any(file.exists() for file in old) and (folder / "whole.pickle").is_file()
