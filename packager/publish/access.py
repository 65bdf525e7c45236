"""What the token's user may do on the site, asked of the plugin before anything changes.

``core_webservice_get_site_info`` lists the service's functions, not the user's rights, so a
missing capability used to show up half-way through a publish ("Course or activity not
accessible"), and a missing moodle/course:setforcedlanguage made Moodle drop the course
language without a word. ``local_coursepack_get_status`` answers for every capability at once,
at system level (the categories do not exist before the first publish), with the site's
language packs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from packager.moodle.client import MoodleClient
from packager.moodle.functions import (
    ENROLMENT_CAPABILITIES,
    GET_STATUS,
    LANGUAGE_CAPABILITY,
    PUBLISH_CAPABILITIES,
    SYNC_CAPABILITIES,
)


@dataclass(frozen=True)
class Access:
    #: capabilities publishing needs that the user lacks (the language one apart)
    missing: tuple[str, ...]
    #: capabilities sync needs that the user lacks
    missing_sync: tuple[str, ...]
    installed_languages: frozenset[str]
    may_force_language: bool
    #: cohorts the catalogue restricts a job path to that the site does not have
    missing_cohorts: tuple[str, ...] = ()
    #: get_status's whole answer (plugin versions included: see publish.versions)
    status: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def forceable(self, languages: set[str]) -> frozenset[str]:
        """The course languages whose ``lang`` Moodle will really store."""
        return frozenset(languages & self.installed_languages) if self.may_force_language else frozenset()


def read_access(client: MoodleClient, *, enrolment: bool, cohorts: tuple[str, ...] = ()) -> Access:
    publish = PUBLISH_CAPABILITIES + (ENROLMENT_CAPABILITIES if enrolment else ())
    asked = (*publish, LANGUAGE_CAPABILITY, *SYNC_CAPABILITIES)
    # an empty list cannot be encoded: left out, its default (none) applies
    status = client.call(GET_STATUS, capabilities=list(asked), **({"cohorts": list(cohorts)} if cohorts else {}))
    missing = {entry["name"] for entry in status["missing"]}
    return Access(
        missing=tuple(c for c in publish if c in missing),
        missing_sync=tuple(c for c in SYNC_CAPABILITIES if c in missing),
        installed_languages=frozenset(entry["code"] for entry in status["languages"]),
        may_force_language=LANGUAGE_CAPABILITY not in missing,
        missing_cohorts=tuple(status.get("missingcohorts", ())),
        status=status,
    )
