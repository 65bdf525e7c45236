"""What the catalogue should look like in Moodle: categories, courses and SCORM activities,
each named by an ID number from ``packager.moodle.idnumbers``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from packager.packaging.pipeline import package_name
from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.format import JobPath, ToolCourse
from packager.moodle.idnumbers import Namespace

#: The package format Moodle gets: the Moodle app plays SCORM 1.2 only.
PACKAGE_FORMAT = "scorm12"

_OPTIONAL = {"fr": "Module facultatif.", "en": "Optional module."}
_INTRO = {"fr": "Présentation du parcours", "en": "About this path"}
#: The hidden section that keeps the activities of modules removed from the catalogue.
RETIRED_SECTION = {"fr": "Modules retirés du catalogue", "en": "Modules removed from the catalogue"}

# mod_scorm values (mod/scorm/locallib.php): display in the current window, straight into the
# player, our own table of contents and navigation instead of Moodle's.
_DISPLAY = {
    "popup": 0,
    "skipview": 2,  # always skip the entry page
    "hidebrowse": 1,  # no "preview" mode
    "hidetoc": 3,  # Moodle's table of contents disabled
    "nav": 0,  # Moodle's navigation buttons disabled
    "displaycoursestructure": 0,
    "displayattemptstatus": 1,
}
# The attempt model: Moodle attempts. Each Moodle attempt holds the quiz's own tries; once an
# attempt ends (completed, passed or failed), opening the activity again starts a new one
# (forcenewattempt 1, "when the previous attempt is completed, passed or failed"), so that a
# learner who failed is never left in Review mode, and the best attempt is the grade.
_GRADING = {
    "grademethod": 1,  # highest grade of the attempt
    "whatgrade": 0,  # highest attempt
    "maxattempt": 0,  # unlimited
    "forcenewattempt": 1,
    "lastattemptlock": 0,
    "forcecompleted": 0,
}
STATUS_PASSED = 2
STATUS_COMPLETED = 4


@dataclass(frozen=True)
class WantedCategory:
    idnumber: str
    name: str
    parent: str | None  # parent's ID number


@dataclass(frozen=True)
class WantedCourse:
    idnumber: str
    shortname: str
    fullname: str
    category: str  # category ID number
    summary: str
    lang: str
    #: activity ID numbers in section order, with each section's name
    sections: tuple[tuple[str, str], ...] = ()
    #: self-enrolment wanted (None: the site enrols agents itself), with the cohort's ID number or ""
    enrol_cohort: str | None = ""
    #: the name of the hidden section holding removed modules
    retired_section: str = ""

    def fields(self) -> dict[str, Any]:
        """The fields CoursePack owns, as Moodle stores them."""
        return {
            "fullname": self.fullname,
            "shortname": self.shortname,
            "idnumber": self.idnumber,
            "summary": self.summary,
            "summaryformat": 1,
            "format": "topics",
            "enablecompletion": 1,
            "lang": self.lang,
        }


@dataclass(frozen=True)
class WantedActivity:
    course: str  # course ID number
    idnumber: str
    name: str
    intro: str
    section: int
    package: Path
    sha1: str
    settings: dict[str, int] = field(hash=False)


@dataclass
class Wanted:
    categories: list[WantedCategory]
    courses: list[WantedCourse]
    activities: list[WantedActivity]
    #: the ID numbers this catalogue owns on the site (its ``id:``)
    namespace: Namespace = field(default_factory=Namespace)


def activity_settings(unit: ModuleUnit) -> dict[str, int]:
    """Completion Moodle can really reach: "passed" when a quiz decides, "completed" otherwise;
    a grade only where a quiz gives one, so that the course total is the quizzes' (an activity
    without a quiz would count 0 out of 100)."""
    quiz_decides = unit.completion.rule in ("quiz", "both") and unit.has_quiz
    return {
        **_DISPLAY,
        **_GRADING,
        "maxgrade": 100 if unit.has_quiz else 0,
        "completionstatusrequired": STATUS_PASSED if quiz_decides else STATUS_COMPLETED,
        "completionscorerequired": unit.completion.mastery_score if quiz_decides else 0,
    }


def _paragraph(text: str | None) -> str:
    return f"<p>{escape(text.strip())}</p>" if text else ""


def wanted_state(catalogue: Catalogue, packages: Path) -> Wanted:
    """The Moodle side of the catalogue; ``packages`` holds the built SCORM 1.2 zips."""
    assert catalogue.settings is not None
    names = catalogue.settings.moodle
    enrolment = names.enrolment
    namespace = catalogue.namespace
    root, tools, jobs = namespace.root_category, namespace.tools_category, namespace.jobs_category
    categories = [WantedCategory(root, names.root, None), WantedCategory(tools, names.tools, root),
                  WantedCategory(jobs, names.jobs, root)]
    courses: list[WantedCourse] = []
    activities: list[WantedActivity] = []
    units = {unit.key: unit for unit in catalogue.modules()}

    def add_course(course: ToolCourse | JobPath, category: str, members: list[tuple[ModuleUnit, bool, str]]) -> None:
        language = catalogue.course_language(course)
        idnumber = namespace.course(course.id)
        sections = []
        for position, (unit, optional, name) in enumerate(members, start=1):
            package = packages / package_name(unit, PACKAGE_FORMAT)
            intro = _paragraph(unit.module.summary or unit.course.summary)
            if optional:
                intro = f"<p><strong>{_OPTIONAL[language]}</strong></p>" + intro
            activities.append(WantedActivity(
                course=idnumber,
                idnumber=namespace.activity(unit.key),
                name=name,
                intro=intro,
                section=position,
                package=package,
                sha1=hashlib.sha1(package.read_bytes()).hexdigest(),
                settings=activity_settings(unit),
            ))
            sections.append((namespace.activity(unit.key), name))
        cohort = enrolment.cohorts.get(course.id, "") if enrolment.method == "self" else None
        courses.append(WantedCourse(idnumber, namespace.shortname(course.id), course.title, category, _paragraph(course.summary), language,
                                    tuple(sections), cohort, RETIRED_SECTION[language]))

    for tool in catalogue.tools.values():
        add_course(tool, tools, [(units[f"{tool.id}/{m.id}"], False, m.title) for m in tool.modules])
    for job in catalogue.jobs.values():
        language = catalogue.course_language(job)
        members = [(catalogue.job_intro(job), False, _INTRO[language])]
        members += [(units[ref.ref], not ref.required, units[ref.ref].module.title) for ref in job.modules]
        add_course(job, jobs, members)
    return Wanted(categories, courses, activities, namespace)
