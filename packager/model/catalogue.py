"""The catalogue as the rest of the tool sees it: settings, tool courses, job paths, modules.

Loading never stops at the first bad file: each file is parsed and validated on its own, and
every problem is collected, so that ``coursepack validate`` shows everything in one run. A file
that does not validate is left out of the catalogue (its problems say why), which keeps later
checks from reporting consequences of an error already reported.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from pydantic import TypeAdapter, ValidationError

from packager.model.format import (
    Completion,
    Contact,
    Document,
    JobPath,
    Module,
    Settings,
    ToolCourse,
)
from packager.model.cache import ValidationCache
from packager.model.location import SETTINGS_FILE
from packager.model.problems import Problem, Severity, sort_key
from packager.model.schema_errors import problems_from_validation
from packager.moodle.idnumbers import Namespace
from packager.utils.inside import contained_file
from packager.utils.yamlload import Path as DataPath
from packager.utils.yamlload import Position, SourceMap, load_yaml

COURSE_SUFFIXES = (".yml", ".yaml")
#: Job path intro pages are packaged like a module under this id.
INTRO_MODULE_ID = "intro"
_SECRET_KEY = re.compile(r"token|password|passwd|secret|api[_-]?key|credential", re.IGNORECASE)
_DOCUMENT = TypeAdapter(Document)


@dataclass
class SourceDoc:
    """A file as read: where it is, its raw data and where each value sits in it."""

    file: Path
    data: Any
    source: SourceMap
    #: SHA-256 of the file's bytes: what the validation cache and the build's digests key on
    digest: str = ""

    def problem(
        self,
        path: DataPath,
        code: str,
        params: dict[str, Any] | None = None,
        severity: Severity = Severity.ERROR,
        *,
        line: int | None = None,
        prefer_key: bool = False,
    ) -> Problem:
        """A problem at ``path`` (or at an exact ``line`` inside a multi-line text)."""
        position = self.source.locate(path, prefer_key=prefer_key)
        if line is not None:
            position = Position(line, 1)
        return Problem(self.file, position, path, code, params or {}, severity)


@dataclass(frozen=True)
class ModuleUnit:
    """One package and one Moodle activity: a tool course's module or a job path's intro."""

    key: str
    course: ToolCourse | JobPath
    module: Module
    language: str
    completion: Completion
    doc: SourceDoc = field(compare=False, repr=False)
    path: DataPath = ()

    @property
    def has_quiz(self) -> bool:
        return any(block_kind_name(b) == "quiz" for page in self.module.pages for b in page.blocks)


def module_completion(module: Module, course: ToolCourse) -> Completion:
    """A module's own ``completion`` changes only what it writes: ``{rule: quiz}`` keeps the
    course's mastery score (and ``{mastery_score: 90}`` its rule), never the format's default."""
    own = module.completion
    if own is None:
        return course.completion
    inherited = {name: getattr(course.completion, name) for name in Completion.model_fields if name not in own.model_fields_set}
    return own.model_copy(update=inherited) if inherited else own


def block_kind_name(block: Any) -> str:
    """``tip`` for a TipBlock: the block's only field is its kind."""
    return str(next(iter(type(block).model_fields)))


@dataclass
class Catalogue:
    root: Path
    settings: Settings | None
    tools: dict[str, ToolCourse] = field(default_factory=dict)
    jobs: dict[str, JobPath] = field(default_factory=dict)
    docs: dict[str, SourceDoc] = field(default_factory=dict)
    settings_doc: SourceDoc | None = None
    problems: list[Problem] = field(default_factory=list)
    #: course id → file, for files left out because of their errors (their ids are then "known
    #: but broken", and what refers to them says so instead of "does not exist")
    broken: dict[str, Path] = field(default_factory=dict)
    #: fingerprint of every input file when this catalogue was read (see ``model.cache``)
    fingerprint: str = ""

    @property
    def language(self) -> str:
        return self.settings.default_language if self.settings else "fr"

    @property
    def shrink_width(self) -> int | None:
        """The width screenshots are shrunk to in the packages, or None when they go as they are."""
        images = self.settings.images if self.settings else None
        return images.max_width if images is not None and images.shrink else None

    @property
    def namespace(self) -> Namespace:
        """The ID numbers and short names this catalogue owns on a Moodle site (``id:`` in catalogue.yml)."""
        return Namespace(self.settings.id if self.settings else None)

    def course_language(self, course: ToolCourse | JobPath) -> str:
        return course.language or self.language

    def contact(self, course: ToolCourse | JobPath) -> Contact | None:
        return course.contact or (self.settings.contact if self.settings else None)

    def modules(self) -> Iterator[ModuleUnit]:
        """Every packaging unit, tool modules first, in catalogue order."""
        for course_id, tool in self.tools.items():
            for index, module in enumerate(tool.modules):
                yield ModuleUnit(
                    key=f"{course_id}/{module.id}",
                    course=tool,
                    module=module,
                    language=self.course_language(tool),
                    completion=module_completion(module, tool),
                    doc=self.docs[course_id],
                    path=("modules", index),
                )
        for _job_id, job in self.jobs.items():
            yield self.job_intro(job)

    def job_intro(self, job: JobPath) -> ModuleUnit:
        intro = Module(id=INTRO_MODULE_ID, title=job.title, summary=job.summary, pages=job.pages)
        return ModuleUnit(
            key=f"{job.id}/{INTRO_MODULE_ID}",
            course=job,
            module=intro,
            language=self.course_language(job),
            completion=job.completion,
            doc=self.docs[job.id],
            path=(),
        )

    def module(self, key: str) -> ModuleUnit | None:
        return next((unit for unit in self.modules() if unit.key == key), None)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def course_files(root: Path) -> list[Path]:
    """Course files: every YAML file below the root but the settings; hidden folders skipped."""
    found = []
    for file in sorted(root.rglob("*")):
        relative = file.relative_to(root)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if file.suffix in COURSE_SUFFIXES and file.is_file() and relative != Path(SETTINGS_FILE):
            found.append(file)
    return found


def read_bytes(file: Path, root: Path | None = None) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or the problem saying why not; never reads outside ``root``."""
    real = contained_file(root, file.relative_to(root)) if root is not None else file
    if real is None:
        return None, [Problem(file, Position(1, 1), (), "file.outside")]
    try:
        return real.read_bytes(), []
    except OSError as exc:
        return None, [Problem(file, Position(1, 1), (), "file.unreadable", {"error": exc.strerror or str(exc)})]


def read_source(file: Path, root: Path | None = None, raw: bytes | None = None) -> tuple[SourceDoc, list[Problem]]:
    """Read and parse one YAML file; never raises on a bad file, never reads outside ``root``."""
    if raw is None:
        raw, problems = read_bytes(file, root)
        if raw is None:
            return SourceDoc(file, None, SourceMap()), problems
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return SourceDoc(file, None, SourceMap(), digest), [Problem(file, Position(line, 1), (), "file.encoding", {"line": line})]
    loaded = load_yaml(text)
    problems = [Problem(file, issue.position, issue.path, issue.code, issue.params) for issue in loaded.issues]
    return SourceDoc(file, loaded.data, loaded.source, digest), problems


def _load_settings(root: Path) -> tuple[Settings | None, SourceDoc | None, list[Problem]]:
    file = root / SETTINGS_FILE
    if not file.is_file():
        return None, None, [Problem(file, Position(1, 1), (), "catalogue.no_settings")]
    doc, problems = read_source(file, root)
    if doc.data is None and problems:
        return None, doc, problems
    data = doc.data
    if isinstance(data, dict):
        secrets = [key for key in data if _SECRET_KEY.search(str(key))]
        for key in secrets:
            problems.append(doc.problem((key,), "settings.secret", {"key": key}, prefer_key=True))
        data = {k: v for k, v in data.items() if k not in secrets}
    try:
        return Settings.model_validate(data), doc, problems
    except ValidationError as exc:
        return None, doc, problems + problems_from_validation(exc, Settings, file, doc.source)


def _course_file(file: Path, root: Path) -> tuple[SourceDoc, list[Problem], ToolCourse | JobPath | None, str | None]:
    """(document, its problems, its course if valid, else the id it is known by)."""
    doc, problems = read_source(file, root)
    if doc.data is None and problems:
        return doc, problems, None, file.stem
    try:
        return doc, problems, _DOCUMENT.validate_python(doc.data), None
    except ValidationError as exc:
        written_id = doc.data.get("id") if isinstance(doc.data, dict) else None
        broken_id = written_id if isinstance(written_id, str) else file.stem
        return doc, problems + problems_from_validation(exc, Document, file, doc.source), None, broken_id


def load_catalogue(root: Path, cache: ValidationCache | None = None) -> Catalogue:
    """Parse and validate every file of the catalogue at ``root`` (no cross-file checks).

    With a cache, a file whose bytes did not change since the last run is not parsed again."""
    root = root.resolve()
    settings, settings_doc, problems = _load_settings(root)
    catalogue = Catalogue(root=root, settings=settings, settings_doc=settings_doc, problems=problems)
    kept: dict[tuple[str, str], Any] = {}
    for file in course_files(root):
        relative = file.relative_to(root).as_posix()
        raw, unreadable = read_bytes(file, root)
        digest = hashlib.sha256(raw).hexdigest() if raw is not None else ""
        cached = cache.file(relative, digest) if cache is not None and raw is not None else None
        entry = (SourceDoc(*cached[0]), *cached[1:]) if cached is not None else None
        if entry is None:
            entry = _course_file(file, root) if raw is not None else (SourceDoc(file, None, SourceMap()), unreadable, None, file.stem)
        if raw is not None:
            kept[(relative, digest)] = entry
        doc, file_problems, course, broken_id = entry
        catalogue.problems.extend(file_problems)
        if course is None:
            catalogue.broken.setdefault(broken_id or file.stem, file)
            continue
        if course.id in catalogue.docs:
            first = catalogue.docs[course.id]
            where = f"{first.file.name}:{first.source.locate(('id',)).line}"
            catalogue.problems.append(
                doc.problem(("id",), "id.duplicate", {"id": course.id, "first": where, "kind": "course"})
            )
            continue
        catalogue.docs[course.id] = doc
        if isinstance(course, ToolCourse):
            catalogue.tools[course.id] = course
        else:
            catalogue.jobs[course.id] = course
    if cache is not None:
        cache.keep_files(kept)
    if not catalogue.docs and not any(p.file != root / SETTINGS_FILE for p in catalogue.problems):
        catalogue.problems.append(Problem(root / SETTINGS_FILE, Position(1, 1), (), "catalogue.empty"))
    catalogue.problems.sort(key=sort_key)
    return catalogue
