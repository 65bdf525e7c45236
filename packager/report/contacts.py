"""The contacts of the agents to follow up, as Moodle has them (docs/report.md, « Contacts »).

Only the agents on the list are asked for (data minimisation), by the Moodle field the sync names
them by in the LRS (``username`` or ``idnumber``) and only when their account's ``homePage`` is
the site's statement home: an agent of another site, or named by an e-mail address, is not
looked up. Moodle gives a name and an e-mail address through ``core_user_get_users_by_field``
only with ``CONTACT_CAPABILITIES``; without them nothing is asked and the list has no address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable

from packager.moodle.client import MoodleClient
from packager.moodle.functions import CONTACT_CAPABILITIES, GET_STATUS, USERS_BY_FIELD

#: Values per call: a short POST whatever the list's length.
BATCH = 100


@dataclass
class Lookup:
    """What one report learned from Moodle."""

    #: learner (store key ``homePage|name``) → (full name, e-mail address or None)
    found: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    #: agents asked for
    asked: int = 0
    #: capabilities the token's account lacks (as the plugin says, or as Moodle's answer shows)
    missing: tuple[str, ...] = ()
    #: the function is not in the token's service
    no_function: bool = False


def wanted(learners: Iterable[str], home: str) -> dict[str, str]:
    """Moodle value (the account name) → learner, for the learners of this statement home only."""
    prefix = home.rstrip("/") + "|"
    return {learner[len(prefix):]: learner for learner in sorted(learners) if learner.startswith(prefix) and learner[len(prefix):]}


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def look_up(client: MoodleClient, learners: Iterable[str], *, home: str, form: str) -> Lookup:
    """Ask Moodle for the given learners' names and e-mail addresses (``form``: the actor form
    the sync state records; only ``username`` and ``idnumber`` name a Moodle account)."""
    outcome = Lookup()
    values = wanted(learners, home) if form in ("username", "idnumber") else {}
    if not values:
        return outcome
    functions = {str(f.get("name")) for f in client.call("core_webservice_get_site_info").get("functions", [])}
    if USERS_BY_FIELD not in functions:
        outcome.no_function = True
        return outcome
    if GET_STATUS in functions:  # the plugin says which capabilities the account lacks, before anything is asked
        status = client.call(GET_STATUS, capabilities=list(CONTACT_CAPABILITIES))
        missing = {str(entry.get("name")) for entry in status.get("missing", [])}
        outcome.missing = tuple(c for c in CONTACT_CAPABILITIES if c in missing)
        if outcome.missing:
            return outcome
    outcome.asked = len(values)
    names = sorted(values)
    for first in range(0, len(names), BATCH):
        users = client.call(USERS_BY_FIELD, field=form, values=names[first:first + BATCH])
        for user in users if isinstance(users, list) else []:
            learner = values.get(str(user.get(form, ""))) if isinstance(user, dict) else None
            if learner is not None:
                outcome.found[learner] = (_text(user.get("fullname")), _text(user.get("email")))
    if GET_STATUS not in functions:  # no plugin to ask: what the answer lacks says which capability
        if not outcome.found:
            outcome.missing = CONTACT_CAPABILITIES[:2]
        elif not any(email for _name, email in outcome.found.values()):
            outcome.missing = CONTACT_CAPABILITIES[2:]
    return outcome
