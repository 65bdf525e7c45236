"""Files like a Unix tool writes them, and nothing read from outside the catalogue.

The mode follows the umask, a killed writer's leftovers are swept, a full disk or a read-only
folder is one line and exit code 2, a build that changes nothing writes nothing, media spelt two
ways are one zip entry, and no code path opens a file outside the catalogue root.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from conftest import COURSES, REPO, TOOL
from packager.packaging.pipeline import build_catalogue
from packager.cli import cli
from packager.model.checks import validate_catalogue
from packager.preview.player import PreviewPlayer
from packager.sync.engine import SyncState
from packager.utils.atomic import STALE_AFTER, sweep_leftovers
from packager.packaging.pipeline import template_environment

SVG = b"<svg xmlns='http://www.w3.org/2000/svg'/>"


def course_with_image(src: str, more: str = "") -> str:
    return TOOL.replace("- text: Bonjour.", f"- image: {{src: '{src}', alt: Une capture.}}{more}")


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@contextlib.contextmanager
def opens_outside(root: Path) -> Iterator[list[str]]:
    """Every file opened outside ``root``, the tool's own templates and Python's installation."""
    allowed = [os.path.realpath(p) for p in (root, REPO / "templates", sys.prefix, sys.base_prefix, "/dev/null",
                                             os.environ["XDG_CACHE_HOME"], "/proc/self")]  # the tool's own cache, its umask
    seen: list[str] = []
    active = [True]

    def hook(event: str, args: tuple) -> None:
        if active[0] and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.realpath(os.fsdecode(args[0]))
            if not any(path == a or path.startswith(a.rstrip("/") + "/") for a in allowed):
                seen.append(path)

    sys.addaudithook(hook)  # audit hooks cannot be removed: this one is switched off on exit
    try:
        yield seen
    finally:
        active[0] = False


# --- modes, leftovers, no-op -----------------------------------------------------------------


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_written_files_follow_the_umask(tmp_path: Path, mask: int, mode: int) -> None:
    out = tmp_path / "dist"
    with umask(mask):
        build_catalogue(validate_catalogue(COURSES), "scorm12", out)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {mode}


def _killed_while_writing(write: str, target: Path) -> None:
    """Run ``write`` (Python, ``target`` as ``Path(sys.argv[1])``) in a real child process that
    SIGKILLs itself at the fsync before the rename: what a power cut leaves."""
    script = ("import os, signal, sys\nfrom pathlib import Path\nfrom packager.utils import atomic, statefile\n"
              "atomic.os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n" + write + "\n")
    killed = subprocess.run([sys.executable, "-c", script, str(target)], cwd=REPO, check=False)
    assert killed.returncode == -signal.SIGKILL


def test_a_killed_writers_leftover_is_swept(tmp_path: Path) -> None:
    """A writer killed (SIGKILL) between writing and renaming leaves its .part: the next build removes it."""
    out = tmp_path / "dist"
    out.mkdir()
    _killed_while_writing("atomic.write_bytes_atomic(Path(sys.argv[1]) / 'messagerie.lire-ses-messages.scorm12.zip', b'half')", out)
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".part")]
    assert len(leftovers) == 1
    (out / ".old.zip.k2j3h4g5.part").write_bytes(b"left by an older version")
    build_catalogue(validate_catalogue(COURSES), "scorm12", out)
    assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == []


def test_a_live_writers_part_file_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    live = out / f".other.zip.{os.getppid()}.abcd1234.part"  # our parent is alive: a concurrent writer
    live.write_bytes(b"in progress")
    build_catalogue(validate_catalogue(COURSES), "scorm12", out)
    assert live.exists()


def test_a_killed_sync_leaves_no_part_beside_its_state(tmp_path: Path) -> None:
    """A sync killed (SIGKILL) while saving its state leaves its .part: the next sync's state sweeps
    it, and only it (the folder may be the user's: another program's files stay)."""
    state = tmp_path / "sync.json"
    _killed_while_writing("statefile.write_state(Path(sys.argv[1]), {'k': {}})", state)
    assert len([p for p in tmp_path.iterdir() if p.name.endswith(".part")]) == 1
    theirs = tmp_path / ".download.zip.4242.abcd1234.part"  # not our state's: left alone
    theirs.write_bytes(b"another program's")
    SyncState(state)
    assert sorted(p.name for p in tmp_path.iterdir()) == [theirs.name]


def test_a_part_file_older_than_any_write_is_swept_even_if_its_pid_lives(tmp_path: Path) -> None:
    """pids are reused: a killed writer's may now be another live process's."""
    out = tmp_path / "dist"
    out.mkdir()
    old = out / f".other.zip.{os.getppid()}.abcd1234.part"
    old.write_bytes(b"left an hour ago")
    two_hours_ago = time.time() - 2 * STALE_AFTER
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert sweep_leftovers(out) == [old] and not old.exists()


def test_a_no_op_build_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_catalogue(validate_catalogue(COURSES), "scorm12", out)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()}
    result = build_catalogue(validate_catalogue(COURSES), "scorm12", out)
    assert result.built == []
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()} == before


def test_media_spelt_two_ways_are_one_zip_entry(tmp_path: Path, catalogue_dir) -> None:
    second = "\n          - image: {src: 'media//x.svg', alt: La même capture.}"
    root = catalogue_dir({"outils/a.yml": course_with_image("./media/x.svg", second), "media/x.svg": SVG})
    catalogue = validate_catalogue(root)
    assert catalogue.errors == []
    build_catalogue(catalogue, "scorm12", tmp_path / "dist")
    names = zipfile.ZipFile(tmp_path / "dist" / "outil.module-a.scorm12.zip").namelist()
    assert [n for n in names if "x.svg" in n] == ["media/x.svg"]


# --- full disk, read-only folder: one line, exit code 2 --------------------------------------


def assert_one_clean_line(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    lines = [line for line in result.output.splitlines() if line.startswith("Erreur de fichier")]
    assert len(lines) == 1, result.output
    for needle in needles:
        assert needle in lines[0]


def test_full_disk_injected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from packager.utils import atomic

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(COURSES), "--out", str(out)])
    assert_one_clean_line(result, "disque plein", str(out), "Libérez de la place")
    assert [p.name for p in out.iterdir()] == []  # no half-written package, no .part


def test_read_only_folder_injected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / "dist" / ".x.part"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result = CliRunner().invoke(cli, ["build", str(COURSES), "--out", str(tmp_path / "dist"), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "File error: read-only folder" in result.output and "--out" in result.output
    assert "Traceback" not in result.output


@contextlib.contextmanager
def tmpfs(path: Path, options: str) -> Iterator[Path]:
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs needs root (the injected-error tests cover the same path)")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0, reason="needs root to mount a tmpfs")
def test_full_disk_on_a_small_tmpfs(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "size=256k") as out:
        result = CliRunner().invoke(cli, ["build", str(COURSES), "--out", str(out)])
        assert_one_clean_line(result, "disque plein")
        assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == []
        for package in out.glob("*.zip"):
            assert zipfile.ZipFile(package).testzip() is None  # every package there is whole


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0, reason="needs root to mount a tmpfs")
def test_read_only_folder_on_a_tmpfs(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "ro,size=64k") as out:
        result = CliRunner().invoke(cli, ["build", str(COURSES), "--out", str(out)])
        assert_one_clean_line(result, "lecture seule", str(out))


# --- never outside the root ------------------------------------------------------------------


def test_nesting_495_to_999_is_one_clean_message(tmp_path: Path, catalogue_dir) -> None:
    files = {}
    for depth in (495, 600, 750, 999):
        files[f"outils/deep-{depth}.yml"] = "kind: tool\nid: [" + "[" * depth + "]" * depth + "]\n"
    root = catalogue_dir(files)
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    assert result.output.count("imbriqué trop profondément") == 4


def test_symlinked_course_file_outside_is_not_read(tmp_path: Path, catalogue_dir) -> None:
    outside = tmp_path / "ailleurs.yml"
    outside.write_text(TOOL.replace("id: outil", "id: secret"), encoding="utf-8")
    root = catalogue_dir({"outils/a.yml": TOOL})
    (root / "outils" / "lien.yml").symlink_to(outside)
    with opens_outside(root) as opened:
        catalogue = validate_catalogue(root)
    assert opened == []
    assert "secret" not in catalogue.tools
    assert [(p.file.name, p.code) for p in catalogue.problems] == [("lien.yml", "file.outside")]


@pytest.mark.parametrize("src", ["../../../../../../etc/passwd", "/etc/hostname", "media/lien.svg"])
def test_builder_never_reads_outside_the_root(tmp_path: Path, catalogue_dir, src: str) -> None:
    """The preview builds modules of a catalogue with errors: it must not carry /etc/passwd."""
    root = catalogue_dir({"outils/a.yml": course_with_image(src), "media/x.svg": SVG})
    (root / "media" / "lien.svg").symlink_to("/etc/passwd")
    catalogue = validate_catalogue(root)
    assert [p.code for p in catalogue.errors] == ["media.outside" if src != "/etc/hostname" else "media.absolute"]
    unit = catalogue.module("outil/module-a")
    with opens_outside(root) as opened:
        files = PreviewPlayer(catalogue, template_environment()).package(unit)
    assert opened == []
    assert not any(b"root:" in data for data in files.values())
    assert src not in files


def test_media_digest_never_reads_outside_the_root(tmp_path: Path, catalogue_dir) -> None:
    from packager.packaging.pipeline import InputDigests

    root = catalogue_dir({"outils/a.yml": course_with_image("media/lien.svg"), "media/x.svg": SVG})
    (root / "media" / "lien.svg").symlink_to("/etc/passwd")
    catalogue = validate_catalogue(root)
    with opens_outside(root) as opened:
        InputDigests(PreviewPlayer(catalogue, template_environment())).of(catalogue.module("outil/module-a"))
    assert opened == []


def test_symlinked_media_inside_the_root_is_fine(tmp_path: Path, catalogue_dir) -> None:
    root = catalogue_dir({"outils/a.yml": course_with_image("media/lien.svg"), "media/x.svg": SVG})
    (root / "media" / "lien.svg").symlink_to(root / "media" / "x.svg")
    catalogue = validate_catalogue(root)
    assert catalogue.errors == []
    files = PreviewPlayer(catalogue, template_environment()).package(catalogue.module("outil/module-a"))
    assert files["media/lien.svg"] == SVG


def test_the_validation_cache_sweeps_what_a_killed_validation_left(tmp_path: Path) -> None:
    """The cache's own .part files (a validation killed mid-write) are removed at the next save."""
    from packager.model.cache import cache_folder

    root = (tmp_path / "courses").resolve()
    shutil.copytree(COURSES, root)
    folder = cache_folder(root)
    assert folder is not None
    (folder / "files").mkdir(parents=True)
    gone = _finished_pid()
    leftovers = [folder / f".whole.pickle.{gone}.abcd1234.part", folder / "files" / f".x.pickle.{gone}.efgh5678.part"]
    for leftover in leftovers:
        leftover.write_bytes(b"half")
    validate_catalogue(root)
    assert [p for p in leftovers if p.exists()] == []


def _finished_pid() -> int:
    """The pid of a process that has ended: nobody can be writing its files."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid
