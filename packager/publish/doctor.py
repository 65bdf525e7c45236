"""Checks that a site is ready for ``coursepack publish`` and ``sync``: one result per check,
each with the fix when it fails."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packager.lrs.client import XAPI_VERSION, LrsClient, LrsError, LrsUnavailable
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.moodle.explain import explain
from packager.moodle.functions import (
    CONTACT_CAPABILITIES,
    GET_RESULTS,
    GET_STATUS,
    LANGUAGE_CAPABILITY,
    PLUGIN,
    PUBLISH,
    SYNC,
    USERS_BY_FIELD,
    installed_plugin_version,
    is_plugin_function,
)
from packager.publish.access import Access, read_access
from packager.publish.versions import VersionProblem, version_problem
from packager.utils.retry import Retry
from packager.utils.sizes import human_size



@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not checked (a previous check failed, or nothing configured)
    detail: str = ""
    fix: str = ""


_T = {
    "fr": {
        "url": "Adresse Moodle", "token": "Jeton accepté", "ws": "Services web et REST activés",
        "functions": "Fonctions du service", "plugin": "Plugin {plugin}", "uploads": "Dépôt de fichiers autorisé",
        "size": "Taille des paquets", "lrs": "LRS",
        "capability": "Capacité {name}", "capabilities": "Capacités du compte du jeton",
        "grant": "Donnez-la au rôle du compte du jeton au niveau du système (Administration du site > Utilisateurs > Permissions > Définir les rôles).",
        "unknown_capability": "inconnue de ce Moodle", "languages": "Langue des cours",
        "cohorts": "Cohortes du catalogue absentes de Moodle",
        "create_cohorts": "Créez-les (Administration du site > Utilisateurs > Cohortes) ou corrigez moodle.enrolment.cohorts dans catalogue.yml.",
        "lang_installed": "packs installés : {names}", "lang_missing": "pack « {lang} » absent : la langue des cours ne sera pas imposée",
        "lang_install": "Installez-le : Administration du site > Langue > Packs de langue.",
        "lang_no_capability": "sans " + LANGUAGE_CAPABILITY + ", la langue des cours ne sera pas imposée",
        "no_url": "Donnez l'adresse de Moodle : --moodle-url, MOODLE_URL ou [moodle] url dans le fichier de configuration.",
        "no_token": "Donnez le jeton dans la variable MOODLE_TOKEN ou [moodle] token du fichier de configuration.",
        "missing": "manquantes : {names}", "add": "Ajoutez-les au service du jeton (Administration du site > Serveur > Services web > Services externes).",
        "install": "Installez le plugin : coursepack moodle-plugin --out dist/, puis Administration du site > Plugins > Installer des plugins.",
        "upgrade": "version {found}, attendue {wanted} : installez la version livrée avec cet outil (coursepack moodle-plugin).",
        "versions": "{version} (base de données et code exécuté)",
        "not_upgraded": "fichiers en version {code}, base de données en {database} : la mise à niveau n'a pas été lancée",
        "run_upgrade": "Lancez-la en tant qu'utilisateur du serveur web : sudo -u www-data php admin/cli/upgrade.php --non-interactive (ou Administration du site > Notifications).",
        "stale_code": "base de données en {database}, mais le serveur web exécute encore le code {code}",
        "reload_fpm": "Rechargez PHP-FPM, dont l'OPcache sert encore les anciens fichiers : sudo systemctl reload php8.x-fpm (votre version de PHP ; avec Apache et mod_php : sudo systemctl reload apache2).",
        "enable_uploads": "Cochez « Peut déposer des fichiers » dans le service externe du jeton.",
        "largest": "le plus gros paquet fait {size}, limite {limit}", "unlimited": "sans limite",
        "shrink": "Augmentez la taille maximale de dépôt de Moodle ou allégez les médias.",
        "no_lrs": "non configuré (LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD)", "lrs_fix": "Vérifiez l'adresse et les identifiants du LRS.",
        "skipped": "non vérifié",
        "mobile": "Application Moodle", "mobile_on": "service mobile activé",
        "mobile_off": "service mobile désactivé : les agents ne peuvent pas se connecter avec l'application Moodle",
        "mobile_enable": "Activez-le : Administration du site > Application mobile > Réglages mobiles (« Activer le service web pour les appareils mobiles »), ou sudo -u www-data php admin/cli/cfg.php --name=enablemobilewebservice --set=1.",
        "mobile_unknown": "non vérifiable ({reason})",
    },
    "en": {
        "url": "Moodle address", "token": "Token accepted", "ws": "Web services and REST enabled",
        "functions": "Functions in the service", "plugin": "Plugin {plugin}", "uploads": "File uploads allowed",
        "size": "Package size", "lrs": "LRS",
        "capability": "Capability {name}", "capabilities": "Capabilities of the token's account",
        "grant": "Give it to the token account's role at system level (Site administration > Users > Permissions > Define roles).",
        "unknown_capability": "unknown to this Moodle", "languages": "Course language",
        "cohorts": "Catalogue cohorts missing from Moodle",
        "create_cohorts": "Create them (Site administration > Users > Cohorts) or correct moodle.enrolment.cohorts in catalogue.yml.",
        "lang_installed": "packs installed: {names}", "lang_missing": "pack \"{lang}\" missing: course language will not be forced",
        "lang_install": "Install it: Site administration > Language > Language packs.",
        "lang_no_capability": "without " + LANGUAGE_CAPABILITY + ", course language will not be forced",
        "no_url": "Give Moodle's address: --moodle-url, MOODLE_URL or [moodle] url in the config file.",
        "no_token": "Give the token in the MOODLE_TOKEN variable or [moodle] token in the config file.",
        "missing": "missing: {names}", "add": "Add them to the token's service (Site administration > Server > Web services > External services).",
        "install": "Install the plugin: coursepack moodle-plugin --out dist/, then Site administration > Plugins > Install plugins.",
        "upgrade": "version {found}, expected {wanted}: install the version shipped with this tool (coursepack moodle-plugin).",
        "versions": "{version} (database and running code)",
        "not_upgraded": "files at version {code}, database at {database}: the upgrade was not run",
        "run_upgrade": "Run it as the web server's user: sudo -u www-data php admin/cli/upgrade.php --non-interactive (or Site administration > Notifications).",
        "stale_code": "database at {database}, but the web server still runs code {code}",
        "reload_fpm": "Reload PHP-FPM, whose OPcache still serves the old files: sudo systemctl reload php8.x-fpm (your PHP version; with Apache and mod_php: sudo systemctl reload apache2).",
        "enable_uploads": "Tick \"Can upload files\" in the token's external service.",
        "largest": "largest package {size}, limit {limit}", "unlimited": "no limit",
        "shrink": "Raise Moodle's maximum upload size or shrink the media.",
        "no_lrs": "not configured (LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD)", "lrs_fix": "Check the LRS address and credentials.",
        "skipped": "not checked",
        "mobile": "Moodle app", "mobile_on": "mobile service enabled",
        "mobile_off": "mobile service disabled: agents cannot log in with the Moodle app",
        "mobile_enable": "Enable it: Site administration > Mobile app > Mobile settings (\"Enable web services for mobile devices\"), or sudo -u www-data php admin/cli/cfg.php --name=enablemobilewebservice --set=1.",
        "mobile_unknown": "not checkable ({reason})",
    },
}


def configuration_checks(url: str | None, token: str | None, lang: str = "fr") -> list[Check]:
    """Before any call: is there an address and a token at all?"""
    t = _T[lang]
    if not url:
        return [Check(t["url"], False, fix=t["no_url"])]
    if not token:
        return [Check(t["url"], None, url), Check(t["token"], False, fix=t["no_token"])]
    return []


def moodle_checks(client: MoodleClient, packages: list[Path], lang: str = "fr", *, languages: set[str] = frozenset(),
                  enrolment: bool = True, cohorts: tuple[str, ...] = ()) -> list[Check]:
    """``languages``: the catalogue's course languages; ``enrolment``: self-enrolment wanted;
    ``cohorts``: the cohorts it restricts job paths to."""
    t = _T[lang]
    try:
        site: Any = client.call("core_webservice_get_site_info")
    except MoodleUnreachable as exc:
        return [Check(t["url"], False, client.url, explain(exc, lang))]
    except MoodleError as exc:
        ws_off = exc.errorcode == "webservicesdisabled"
        return [Check(t["url"], True, client.url),
                Check(t["ws"], False, fix=explain(exc, lang)) if ws_off else Check(t["token"], False, fix=explain(exc, lang))]
    checks = [Check(t["url"], True, client.url), Check(t["ws"], True), Check(t["token"], True, site.get("username", ""))]
    available = {f["name"]: f.get("version", "") for f in site.get("functions", [])}
    needed = [f for f in (*PUBLISH, *SYNC) if not is_plugin_function(f)]
    missing = [f for f in needed if f not in available]
    checks.append(Check(t["functions"], not missing, t["missing"].format(names=", ".join(missing)) if missing else "",
                        t["add"] if missing else ""))
    plugin_version = installed_plugin_version(site)
    name = t["plugin"].format(plugin=PLUGIN)
    database = int(plugin_version) if plugin_version else None
    access: Access | None = None
    refused: MoodleError | None = None
    if database is not None:
        try:
            access = read_access(client, enrolment=enrolment, cohorts=cohorts)
        except MoodleError as exc:  # a plugin too old for get_status, or a site mid-upgrade
            refused = exc
    problem = version_problem(database, access.status if access else None)
    if problem is not None:
        checks.append(plugin_check(name, problem, lang))
    elif access is None:
        checks.append(Check(name, False, fix=explain(refused, lang) if refused else t["install"]))
    else:
        checks.append(Check(name, True, t["versions"].format(version=plugin_version)))
        checks += _access_checks(access, lang, languages)
    uploads = int(site.get("uploadfiles", 0)) == 1
    checks.append(Check(t["uploads"], uploads, fix="" if uploads else t["enable_uploads"]))
    limit = int(site.get("usermaxuploadfilesize", -1) or -1)
    largest = max((p.stat().st_size for p in packages), default=0)
    detail = t["largest"].format(size=human_size(largest, lang), limit=human_size(limit, lang) if limit > 0 else t["unlimited"])
    fits = limit <= 0 or largest <= limit
    checks.append(Check(t["size"], fits, detail, "" if fits else t["shrink"]))
    checks.append(mobile_check(client, lang))
    return checks


def mobile_check(client: MoodleClient, lang: str = "fr") -> Check:
    """Whether the Moodle app can log in: it asks ``tool_mobile_get_public_config`` without a token
    and stops when ``enablemobilewebservice`` is off (a new site's default). Publishing works
    without it, so it is a warning; agents on phones are stuck."""
    t = _T[lang]
    try:
        config = client.public_call("tool_mobile_get_public_config") or {}
    except (MoodleError, MoodleUnreachable) as exc:
        return Check(t["mobile"], None, t["mobile_unknown"].format(reason=getattr(exc, "errorcode", "") or str(exc)))
    if int(config.get("enablemobilewebservice") or 0):
        return Check(t["mobile"], True, t["mobile_on"])
    return Check(t["mobile"], None, t["mobile_off"], t["mobile_enable"])


def plugin_check(name: str, problem: VersionProblem, lang: str) -> Check:
    """One line for a version difference, with exactly what to run."""
    t = _T[lang]
    if problem.code == "install":
        if "found" not in problem.detail:
            return Check(name, False, fix=t["install"])
        return Check(name, False, t["upgrade"].format(**problem.detail), t["install"])
    if problem.code == "upgrade":
        return Check(name, False, t["not_upgraded"].format(**problem.detail), t["run_upgrade"])
    return Check(name, False, t["stale_code"].format(**problem.detail), t["reload_fpm"])


def _access_checks(access: Access, lang: str, languages: set[str]) -> list[Check]:
    """One line per missing capability, with the fix; then whether the course language can be forced."""
    t = _T[lang]
    missing = access.missing + access.missing_sync
    checks = [Check(t["capability"].format(name=name), False, fix=t["grant"]) for name in missing]
    if not missing:
        checks.append(Check(t["capabilities"], True))
    if access.missing_cohorts:
        checks.append(Check(t["cohorts"], False, ", ".join(access.missing_cohorts), t["create_cohorts"]))
    installed = ", ".join(sorted(access.installed_languages))
    absent = sorted(set(languages) - access.installed_languages)
    # publishing works without: a warning, not a failure
    if absent:
        checks.append(Check(t["languages"], None, t["lang_missing"].format(lang=absent[0]), t["lang_install"]))
    elif not access.may_force_language:
        checks.append(Check(t["languages"], None, t["lang_no_capability"], t["grant"]))
    else:
        checks.append(Check(t["languages"], True, t["lang_installed"].format(names=installed)))
    return checks


def lrs_check(endpoint: str | None, username: str | None, password: str | None, lang: str = "fr",
              timeout: float = 10.0) -> Check:
    """The LRS answers a statements query with these credentials, and the answer is xAPI 1.0.3
    (a proxy's or a login page's 200 is not)."""
    t = _T[lang]
    if not endpoint:
        return Check(t["lrs"], None, t["no_lrs"])
    lrs = LrsClient(endpoint, username, password, timeout=timeout, retry=Retry(1))
    try:
        next(lrs.pages(limit=1))
    except LrsUnavailable as exc:
        return Check(t["lrs"], False, f"{endpoint}: {exc.reason}", t["lrs_fix"])
    except LrsError as exc:
        return Check(t["lrs"], False, f"{endpoint}: HTTP {exc.status} {exc.detail[:120]}", t["lrs_fix"])
    return Check(t["lrs"], True, f"{endpoint}: xAPI {XAPI_VERSION}")


_CORE = {
    "fr": {"name": "Sync sans plugin : {capability}", "none": "non vérifiable ({why})", "no_course": "aucun cours du catalogue publié",
           "no_user": "aucun apprenant inscrit visible", "fix": "Donnez {capability} au compte du jeton (contexte système ou cours ; voir README, « Sync without the plugin »)."},
    "en": {"name": "Sync without the plugin: {capability}", "none": "not checkable ({why})", "no_course": "no catalogue course published",
           "no_user": "no enrolled learner visible", "fix": "Give {capability} to the token's account (system or course context; see the README, \"Sync without the plugin\")."},
}


def core_sync_checks(client: MoodleClient, course_idnumbers: list[str], lang: str = "fr") -> list[Check]:
    """Without the plugin's get_results, sync reads through core functions: probe, on the first
    published catalogue course, each capability they need (core_webservice_get_site_info does not
    list capabilities). Nothing when the plugin's function is there."""
    t = _CORE[lang]
    site: Any = client.call("core_webservice_get_site_info")
    if any(f.get("name") == GET_RESULTS for f in site.get("functions", [])):
        return []
    courses = [found[0] for idnumber in course_idnumbers
               for found in [client.call("core_course_get_courses_by_field", field="idnumber", value=idnumber)["courses"]]
               if found]
    if not courses:
        return [Check(t["name"].format(capability="…"), None, t["none"].format(why=t["no_course"]))]
    checks: list[Check] = []

    def check(capability: str, ok: bool | None, why: str = "") -> None:
        detail = t["none"].format(why=why) if ok is None else ""
        checks.append(Check(t["name"].format(capability=capability), ok, detail,
                            "" if ok else t["fix"].format(capability=capability)))

    def probe(function: str, **params: Any) -> Any:
        try:
            return client.call(function, **params)
        except MoodleError:
            return None

    users: list | None = []
    course = courses[0]
    for course in courses:  # the first course with a learner visible, if any
        users = probe("core_enrol_get_enrolled_users", courseid=course["id"])
        if users is None or users:
            break
    scorms = (probe("mod_scorm_get_scorms_by_courses", courseids=[course["id"]]) or {}).get("scorms", [])
    cm = (probe("core_course_get_course_module", cmid=scorms[0]["coursemodule"]) or {}).get("cm") if scorms else None
    check("moodle/course:manageactivities", None if cm is None else "idnumber" in cm, t["no_course"])
    check("moodle/course:viewparticipants", users is not None)
    if not users:
        check("moodle/user:viewdetails", None, t["no_user"])
        return checks
    check("moodle/user:viewdetails", True)
    check("moodle/user:viewalldetails", bool(users[0].get("username")))
    if scorms:
        count = probe("mod_scorm_get_scorm_attempt_count", scormid=scorms[0]["id"], userid=users[0]["id"])
        check("mod/scorm:viewreport", count is not None)
    status = probe("core_completion_get_activities_completion_status", courseid=course["id"], userid=users[0]["id"])
    check("report/progress:view", status is not None)
    return checks


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
