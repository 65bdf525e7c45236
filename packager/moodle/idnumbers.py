"""The ID numbers CoursePack gives Moodle objects, derived from the YAML ids only, so that a
rename or a re-run finds the same objects. Publishing writes them; syncing reads them back.

Every ID number lives in one catalogue's namespace, so that several catalogues (another
directorate, a test catalogue) can live on one Moodle without taking over each other's objects:

- the default catalogue (no ``id`` in ``catalogue.yml``) keeps the names of the first versions,
  so that nothing moves on upgrade: ``coursepack:root``, ``coursepack:messagerie``,
  ``coursepack:messagerie/lire-ses-messages``;
- a named catalogue ``rh`` owns ``coursepack:rh:root``, ``coursepack:rh:messagerie``,
  ``coursepack:rh:messagerie/lire-ses-messages``.

YAML ids never hold a colon, so the default catalogue owns exactly the ID numbers with one colon,
and a named one exactly those that start with its own prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "coursepack:"


@dataclass(frozen=True)
class Namespace:
    """The ID numbers (and course short names) one catalogue owns on a Moodle site."""

    catalogue: str | None = None

    @property
    def prefix(self) -> str:
        return PREFIX if self.catalogue is None else f"{PREFIX}{self.catalogue}:"

    @property
    def root_category(self) -> str:
        return self.prefix + "root"

    @property
    def tools_category(self) -> str:
        return self.prefix + "tools"

    @property
    def jobs_category(self) -> str:
        return self.prefix + "jobs"

    def course(self, course_id: str) -> str:
        return self.prefix + course_id

    def activity(self, module_key: str) -> str:
        return self.prefix + module_key

    def shortname(self, course_id: str) -> str:
        """Moodle's short names are unique site-wide: a named catalogue's are prefixed with its id."""
        return course_id if self.catalogue is None else f"{self.catalogue}-{course_id}"

    def owns(self, idnumber: str) -> bool:
        if not idnumber.startswith(self.prefix):
            return False
        rest = idnumber[len(self.prefix):]
        return bool(rest) and ":" not in rest

    def local_id(self, idnumber: str) -> str | None:
        """``messagerie`` from ``coursepack:messagerie`` (in the default namespace); None if not ours."""
        return idnumber[len(self.prefix):] if self.owns(idnumber) else None

    def module_key(self, idnumber: str) -> str | None:
        """``messagerie/lire-ses-messages`` from an activity ID number; None if not ours."""
        rest = self.local_id(idnumber)
        return rest if rest is not None and "/" in rest else None


#: The default catalogue's namespace: the first versions' names.
DEFAULT = Namespace()

#: Column sizes of a Moodle 5.2 database (lib/db/install.xml): a longer value fails with
#: ``dmlwriteexception`` half-way through a publish, so the validator checks them first.
IDNUMBER_MAX = 100  # course_modules.idnumber, course.idnumber, course_categories.idnumber
SHORTNAME_MAX = 255  # course.shortname
FULLNAME_MAX = 254  # course.fullname
NAME_MAX = 255  # course_sections.name, scorm.name, course_categories.name
