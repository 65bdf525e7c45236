"""Whether the report can read the contacts of the agents to follow up from Moodle: the
function in the token's service and the capabilities it needs (docs/report.md, « Contacts »)."""

from __future__ import annotations

from typing import Any

from packager.moodle.client import MoodleClient
from packager.moodle.functions import CONTACT_CAPABILITIES, GET_STATUS, USERS_BY_FIELD
from packager.utils.checks import Check


_CONTACTS = {
    "fr": {"name": "Contacts des agents (rapport)", "ok": "nom et courriel lisibles ({function})",
           "no_function": USERS_BY_FIELD + " absente du service : le rapport liste les agents sans adresse",
           "add": "Mettez à jour le plugin local_coursepack (ou ajoutez " + USERS_BY_FIELD + " au service du jeton).",
           "missing": "sans {names}, le rapport liste les agents sans adresse",
           "grant": "Si l'autorité l'accepte, donnez {names} au rôle CoursePack au niveau du système "
                    "(Administration du site > Utilisateurs > Permissions > Définir les rôles).",
           "unknown": "non vérifiable sans le plugin : le rapport le dira à son premier appel"},
    "en": {"name": "Agents' contacts (report)", "ok": "name and e-mail readable ({function})",
           "no_function": USERS_BY_FIELD + " missing from the service: the report lists agents without an address",
           "add": "Update the local_coursepack plugin (or add " + USERS_BY_FIELD + " to the token's service).",
           "missing": "without {names}, the report lists agents without an address",
           "grant": "If the authority agrees, grant {names} to the CoursePack role at system level "
                    "(Site administration > Users > Permissions > Define roles).",
           "unknown": "not checkable without the plugin: the report says so at its first call"},
}


def contacts_check(client: MoodleClient, lang: str = "fr") -> Check:
    """Whether ``coursepack report`` may read the follow-up list's names and e-mail addresses
    (docs/report.md, « Contacts »). Optional: a warning, never a failure."""
    t = _CONTACTS[lang]
    site: Any = client.call("core_webservice_get_site_info")
    functions = {str(f.get("name")) for f in site.get("functions", [])}
    if USERS_BY_FIELD not in functions:
        return Check(t["name"], None, t["no_function"], t["add"])
    if GET_STATUS not in functions:
        return Check(t["name"], None, t["unknown"])
    status = client.call(GET_STATUS, capabilities=list(CONTACT_CAPABILITIES))
    missing = ", ".join(str(entry.get("name")) for entry in status.get("missing", []))
    if missing:
        return Check(t["name"], None, t["missing"].format(names=missing), t["grant"].format(names=missing))
    return Check(t["name"], True, t["ok"].format(function=USERS_BY_FIELD))
