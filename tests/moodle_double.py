"""A test double of Moodle 5.2's web services, built from the exchanges recorded on a real site
(../shared/moodle/exchanges) and kept faithful to them by tests/test_moodle_double.py.

It speaks HTTP on 127.0.0.1 like Moodle: ``/webservice/rest/server.php`` with form-encoded,
bracketed parameters, ``/webservice/upload.php`` with multipart bodies, Moodle's answer shapes
(records are copies of recorded ones, with our values), its error shapes (``exception`` /
``errorcode`` / ``message``, upload.php's ``error`` shape, 403 with an empty body when web
services are off) and the companion plugin's two functions as the plugin defines them.

For resumability tests it can drop the connection before or after the Nth change, as a process
killed at that point would leave things.
"""

from __future__ import annotations

import copy
import hashlib
import io
import itertools
import json
import re
import threading
import time
import zipfile
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from collections.abc import Callable
from urllib.parse import parse_qsl

from packager.moodle.plugin_version import shipped_plugin

EXCHANGES = Path(__file__).resolve().parent.parent.parent / "shared" / "moodle" / "exchanges"
#: The shipped plugin's version (its version.php), as site info and get_status give it: a string.
PLUGIN_VERSION = str(shipped_plugin().version)
PLUGIN_FUNCTIONS = ("local_coursepack_save_scorm", "local_coursepack_get_results", "local_coursepack_get_status",
                    "local_coursepack_get_state", "local_coursepack_arrange_course", "local_coursepack_save_enrolment",
                    "local_coursepack_acquire_publish_lock", "local_coursepack_release_publish_lock")
#: What the first release (0c9db5d, 2026112800) declared.
FIRST_RELEASE_FUNCTIONS = ("local_coursepack_save_scorm", "local_coursepack_get_results")
#: Real core functions outside the recorded services: calling them is "not in the service".
OTHER_CORE_FUNCTIONS = ("core_course_duplicate_course", "core_course_delete_categories",
                        "core_course_import_course", "core_user_get_users")
#: Core functions the plugin's service adds to those recorded (exercised by the live suite).
ADDED_CORE_FUNCTIONS = ("core_course_update_categories", "core_user_get_users_by_field")
CHANGES = {"core_course_create_categories", "core_course_update_categories", "core_course_create_courses",
           "core_course_update_courses", "local_coursepack_save_scorm", "local_coursepack_arrange_course",
           "local_coursepack_save_enrolment", "upload"}
#: The publish lease: it changes the plugin's config, none of the catalogue's objects (not in CHANGES).
LEASE = {"local_coursepack_acquire_publish_lock", "local_coursepack_release_publish_lock"}
#: Capabilities the recorded publisher's role has (README of the recordings), and those the
#: plugin's functions check; a double built with ``missing_capabilities`` lacks some of them.
CAPABILITIES = frozenset({
    "webservice/rest:use", "moodle/course:create", "moodle/course:update", "moodle/course:view",
    "moodle/course:setforcedlanguage", "moodle/course:manageactivities", "moodle/category:manage",
    "mod/scorm:addinstance", "mod/scorm:viewreport", "moodle/course:viewparticipants", "moodle/user:viewdetails",
    "moodle/user:viewalldetails", "moodle/site:viewuseridentity", "report/progress:view", "moodle/course:activityvisibility",
    "moodle/course:sectionvisibility", "moodle/course:movesections", "moodle/course:enrolconfig", "enrol/self:config",
    "moodle/course:changefullname", "moodle/course:changeshortname", "moodle/course:changeidnumber",
    "moodle/course:changesummary", "moodle/course:changecategory",
})
#: What core_course_update_courses checks for each field it changes (course/externallib.php).
UPDATE_CAPABILITIES = {
    "fullname": ("moodle/course:changefullname", "Change course full name"),
    "shortname": ("moodle/course:changeshortname", "Change course short name"),
    "idnumber": ("moodle/course:changeidnumber", "Change course ID number"),
    "summary": ("moodle/course:changesummary", "Change course summary"),
    "categoryid": ("moodle/course:changecategory", "Change course category"),
    "lang": ("moodle/course:setforcedlanguage", "Force course or activity language"),
}
#: SCORM settings local_coursepack_save_scorm takes (save_scorm.php's SETTINGS).
SCORM_SETTINGS = ("popup", "skipview", "hidebrowse", "hidetoc", "nav", "displaycoursestructure", "displayattemptstatus",
                  "grademethod", "whatgrade", "maxgrade", "maxattempt", "forcenewattempt", "lastattemptlock",
                  "forcecompleted")


def format_string(text: str) -> str:
    """Moodle's format_string() as web services apply it: a bare ``&`` becomes ``&amp;``
    (exchanges 75, 76, 82, 90); quotes and guillemets are kept."""
    return re.sub(r"&(?!#?[A-Za-z0-9]+;)", "&amp;", text)


def format_text(html: str) -> str:
    """format_text() with HTMLPurifier on an HTML summary or description (76, 82, 86):
    ``<script>`` removed with its content, ``&#x27;`` decoded, ``&amp;`` and tags kept."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S | re.I)
    return html.replace("&#x27;", "'").replace("&#39;", "'")


def recorded(name: str) -> dict[str, Any]:
    path = next(EXCHANGES.glob(f"{name}*.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def recorded_answer(name: str) -> Any:
    return recorded(name)["response"]["json"]


class WsError(Exception):
    def __init__(self, exception: str, errorcode: str, message: str) -> None:
        super().__init__(errorcode)
        self.body = {"exception": exception, "errorcode": errorcode, "message": message}


def invalid_parameter() -> WsError:
    return WsError("core\\exception\\invalid_parameter_exception", "invalidparameter", "Invalid parameter value detected")


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``courses[0][fullname]=x`` → ``{"courses": [{"fullname": "x"}]}`` (PHP's reading)."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for part, _following in zip(parts, parts[1:], strict=False):
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: listify(v) for k, v in node.items()}
            if node and all(k.isdigit() for k in node):
                return [node[k] for k in sorted(node, key=int)]
        return node

    return listify(root)


def _same(current: Any, value: Any) -> bool:
    """Moodle stores some flags as booleans and "none" as null; the plugin compares them as ints."""
    if isinstance(value, str) or isinstance(current, str):
        return current == value
    return int(current or 0) == int(value or 0)


def owns(idnumber: str, catalogue: str) -> bool:
    """classes/local/objects.php's owns(): "coursepack:<id>" is the default catalogue's,
    "coursepack:rh:<id>" catalogue rh's."""
    prefix = "coursepack:" + (f"{catalogue}:" if catalogue else "")
    rest = idnumber[len(prefix):] if idnumber.startswith(prefix) else ""
    return bool(rest) and ":" not in rest


def catalogue_of(idnumber: str) -> str | None:
    """objects.php's catalogue_of(): the catalogue owning an ID number, None if none does."""
    if not idnumber.startswith("coursepack:"):
        return None
    parts = idnumber[len("coursepack:"):].split(":")
    if len(parts) == 1:
        return "" if parts[0] else None
    return parts[0] if len(parts) == 2 and parts[1] else None


def as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid_parameter() from None


class MoodleDouble:
    """State and behaviour; ``serve()`` puts it on HTTP."""

    def __init__(self, *, token: str = "TOKEN", plugin: bool = True, plugin_version: str = PLUGIN_VERSION,
                 languages: tuple[str, ...] = ("en",), upload_limit: int = -1, uploadfiles: int = 1,
                 missing_functions: tuple[str, ...] = (), manager: bool = True,
                 missing_capabilities: tuple[str, ...] = (), code_version: str | None = None,
                 plugin_functions: tuple[str, ...] = PLUGIN_FUNCTIONS, mobile_service: int = 1) -> None:
        """``code_version``: the plugin version PHP-FPM runs (its OPcache may serve older files
        than the database's ``plugin_version``); ``plugin_functions``: what that plugin declares."""
        self.token = token
        #: the version get_status's code reports (version.php as the web server compiled it)
        self.code_version = code_version or plugin_version
        #: $CFG->enablemobilewebservice: the Moodle app may log in (off on a new site)
        self.mobile_service = mobile_service
        #: the plugin's config: publish leases (see classes/local/publish_lease.php)
        self.plugin_config: dict[str, str] = {}
        self.capabilities = set(CAPABILITIES) - set(missing_capabilities)
        #: moodlewssettingraw=1 on the current call: stored values, no format_string/format_text
        self.raw = False
        self.cohorts: dict[str, int] = {}
        self.self_enrol_enabled = True
        self.languages = set(languages)
        self.upload_limit = upload_limit
        self.uploadfiles = uploadfiles
        self.manager = manager
        self.webservices = True
        site = recorded_answer("01-site-info")
        publisher = recorded_answer("72-site-info-publisher")
        core = [f for f in site["functions"] + publisher["functions"] if not f["name"].startswith("local_")]
        core += [{"name": name, "version": "2026020500"} for name in ADDED_CORE_FUNCTIONS]
        self.service = list(dict.fromkeys(f["name"] for f in core if f["name"] not in missing_functions))
        self.versions = {f["name"]: f["version"] for f in core}
        if plugin:
            self.service += list(plugin_functions)
            self.versions.update({name: plugin_version for name in plugin_functions})
        self.plugin = plugin
        # ids continue where the recorded site's did, so recorded requests replay as they are
        self.categories: dict[int, dict] = {}
        self.courses: dict[int, dict] = {}
        self.cms: dict[int, dict] = {}
        self.scorms: dict[int, dict] = {}
        self.drafts: dict[int, dict[str, bytes]] = {}
        self.attempts: list[dict] = []  # seeded by sync tests: {userid, scormid, attempt, tracks, timemodified, …}
        self.users: dict[int, dict] = {}
        self.enrolments: dict[int, set[int]] = {}
        self._category_ids = itertools.count(9)
        self._course_ids = itertools.count(12)
        self._cm_ids = itertools.count(18)
        self._scorm_ids = itertools.count(5)
        self._draft_ids = itertools.count(387286383, 7919)
        self._section_ids = itertools.count(200)
        self._enrol_ids = itertools.count(60)
        self.calls: list[tuple[str, dict]] = []
        self.changes = 0
        #: (when, n): drop the connection "before" or "after" performing the n-th change
        self.crash: tuple[str, int] | None = None
        self.lock = threading.Lock()
        #: seconds to wait before answering, to make a client time out
        self.delay = 0.0
        #: how many of the next uploads meet a file-pool write collision (two requests storing the same content)
        self.filepool_collisions = 0
        #: function → seconds to wait before handling it (other requests go on meanwhile), to make
        #: two runs overlap
        self.pauses: dict[str, float] = {}
        self.now: Callable[[], int] = lambda: int(time.time())
        #: $CFG->wwwroot: the address the site believes it has (the served address by default,
        #: a site reached where it was installed); a test moves the site by changing it
        self.wwwroot: str | None = None
        #: $CFG->siteidentifier, and the plugin's statement home: $CFG->wwwroot when the plugin
        #: was installed (1.2.0 and later; kept when the site moves)
        self.siteidentifier = "Qm9vZGxlRG91YmxlU2l0ZUlkZW50aWZp127.0.0.1"
        self.statementhome: str | None = None

    # --- dispatch ---------------------------------------------------------------------------------

    def rest(self, pairs: list[tuple[str, str]]) -> tuple[int, str, bytes]:
        form = dict(pairs)
        if not self.webservices:
            return 403, "text/html; charset=utf-8", b""
        function = form.get("wsfunction", "")
        settings = {k: v for k, v in pairs if k.startswith("moodlewssetting")}  # removed before validation
        params = unflatten([(k, v) for k, v in pairs
                            if k not in ("wstoken", "wsfunction", "moodlewsrestformat") and k not in settings])
        self.raw = settings.get("moodlewssettingraw") == "1"
        try:
            if form.get("wstoken") != self.token:
                raise WsError("core\\exception\\moodle_exception", "invalidtoken", "Invalid token - token not found")
            exists = function in self.versions or function in OTHER_CORE_FUNCTIONS
            if not exists:
                raise WsError("dml_missing_record_exception", "invalidrecordunknown", "Can't find data record in database.")
            if function not in self.service or "webservice/rest:use" not in self.capabilities:
                raise WsError("webservice_access_exception", "accessexception", "Access control exception")
            handler = getattr(self, "ws_" + function, None)
            if handler is None:
                raise NotImplementedError(f"the Moodle double does not implement {function}")
            self.calls.append((function, params))
            body = self._perform(function, lambda: handler(**params))
        except WsError as exc:
            body = exc.body
        except TypeError:
            body = invalid_parameter().body
        return 200, "application/json", json.dumps(body).encode()

    def _perform(self, function: str, action: Callable[[], Any]) -> Any:
        if function not in CHANGES:
            return action()
        self.changes += 1
        if self.crash and self.crash == ("before", self.changes):
            raise ConnectionAbortedError
        try:
            result = action()
        finally:  # done (or refused) on the server, and the answer never arrives
            if self.crash and self.crash == ("after", self.changes):
                raise ConnectionAbortedError
        return result

    def upload(self, fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[int, str, bytes]:
        content_type = "text/plain; charset=utf-8" if files else "application/json; charset=utf-8"

        def error(message: str, code: str) -> tuple[int, str, bytes]:
            body = {"error": message, "errorcode": code, "stacktrace": None, "debuginfo": None, "reproductionlink": None}
            return 200, content_type, json.dumps(body).encode()

        if "token" not in fields:
            return error("A required parameter (token) was missing", "missingparam")
        if fields["token"] != self.token:
            return error("Invalid token - token not found", "invalidtoken")
        if not self.webservices or not self.uploadfiles:
            return error("Access control exception", "accessexception")
        if not files:
            return 200, content_type, b"[]"
        self.calls.append(("upload", {"itemid": fields.get("itemid", "0"), "files": [n for n, _ in files]}))
        if self.filepool_collisions:  # file_system_filedir::add_file_to_pool: another request replaced the .tmp file
            self.filepool_collisions -= 1
            return error("Can not create local file pool file, please verify permissions in dataroot and available disk space.",
                         "storedfilecannotcreatefile")
        answer = self._perform("upload", lambda: self._store(as_int(fields.get("itemid", "0")), files))
        return 200, content_type, json.dumps(answer).encode()

    def _store(self, itemid: int, files: list[tuple[str, bytes]]) -> list[dict]:
        itemid = itemid or next(self._draft_ids)
        area = self.drafts.setdefault(itemid, {})
        template = recorded_answer("25-upload-zip")[0]
        answer = []
        for name, content in files:
            if name in area:
                answer.append({"avscantime": 5e-05, "filename": name, "filepath": "/tmp/phpUpload", "size": len(content),
                               "errortype": "filenameexist", "error": f"File name already exists: {name}"})
                continue
            area[name] = content
            entry = copy.deepcopy(template)
            entry.update(filename=name, itemid=itemid, filesize=len(content),
                         source=f'O:8:"stdClass":1:{{s:6:"source";s:{len(name.encode())}:"{name}";}}')
            answer.append(entry)
        return answer

    # --- categories -----------------------------------------------------------------------------------

    def installed(self, url: str) -> None:
        """The site is at ``url`` unless a test said otherwise; the plugin keeps it once."""
        self.wwwroot = self.wwwroot or url
        if self.plugin and int(self.versions[PLUGIN_FUNCTIONS[0]]) >= 2026120700:
            self.statementhome = self.statementhome or self.wwwroot

    def ws_core_webservice_get_site_info(self) -> dict:
        site = copy.deepcopy(recorded_answer("01-site-info"))
        recorded_root = site["siteurl"]
        site["siteurl"] = self.wwwroot or recorded_root
        site["userpictureurl"] = site["userpictureurl"].replace(recorded_root, site["siteurl"])
        site["functions"] = [{"name": name, "version": self.versions[name]} for name in self.service]
        site["uploadfiles"] = self.uploadfiles
        site["usermaxuploadfilesize"] = self.upload_limit
        return site

    def ws_core_course_get_categories(self, criteria: list | None = None, addsubcategories: str = "1") -> list:
        matches = list(self.categories.values())
        for criterion in criteria or []:
            key, value = criterion["key"], criterion["value"]
            matches = [c for c in matches if str(c.get(key)) == str(value)]
        if as_int(addsubcategories) and criteria:
            ids = {c["id"] for c in matches}
            matches += [c for c in self.categories.values() if c["parent"] in ids and c["id"] not in ids]
        return [self._formatted(c, strings=("name",), texts=("description",))
                for c in sorted(matches, key=lambda c: c["sortorder"])]

    def _formatted(self, record: dict, *, strings: tuple[str, ...] = (), texts: tuple[str, ...] = ()) -> dict:
        """A copy as Moodle's external layer returns it: format_string on names, format_text on
        HTML texts, both skipped with moodlewssettingraw=1 (exchanges 76, 77, 82, 84)."""
        record = copy.deepcopy(record)
        if self.raw:
            return record
        for key in strings:
            if isinstance(record.get(key), str):
                record[key] = format_string(record[key])
        for key in texts:
            if isinstance(record.get(key), str):
                record[key] = format_text(record[key])
        return record

    def ws_core_course_update_categories(self, categories: list) -> None:
        if "moodle/category:manage" not in self.capabilities:
            raise WsError("core\\exception\\required_capability_exception", "nopermissions",
                          "Sorry, but you do not currently have permissions to do that (Manage course categories).")
        for wanted in categories:
            category = self.categories.get(as_int(wanted.get("id")))
            if category is None:
                raise WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table course_categories.")
            if "name" in wanted:
                category["name"] = wanted["name"]
            if "parent" in wanted:
                category["parent"] = as_int(wanted["parent"])
            category["timemodified"] = self.now()
        return None

    def ws_core_course_create_categories(self, categories: list) -> list:
        created = []
        for wanted in categories:
            if wanted.get("idnumber") and any(c["idnumber"] == wanted["idnumber"] for c in self.categories.values()):
                raise WsError("core\\exception\\moodle_exception", "categoryidnumbertaken",
                              "ID number is already used for another category")
            parent = as_int(wanted.get("parent", 0))
            if parent and parent not in self.categories:
                raise WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table course_categories.")
            record = copy.deepcopy(recorded_answer("07-get-categories-by-idnumber-found")[0])
            ident = next(self._category_ids)
            path = (self.categories[parent]["path"] if parent else "") + f"/{ident}"
            record.update(id=ident, name=wanted["name"], idnumber=wanted.get("idnumber", ""),
                          description=wanted.get("description", ""), parent=parent, depth=path.count("/"), path=path,
                          sortorder=10000 * (ident - 6), timemodified=self.now(), coursecount=0)
            self.categories[ident] = record
            created.append({"id": ident, "name": format_string(record["name"])})  # as returned (75)
        return created

    # --- courses ----------------------------------------------------------------------------------------

    def ws_core_course_get_courses_by_field(self, field: str = "", value: str = "") -> dict:
        if field and field not in ("id", "ids", "shortname", "idnumber", "category"):
            raise invalid_parameter()
        key = {"category": "categoryid", "ids": "id"}.get(field, field)
        found = [c for c in self.courses.values() if not field or str(c[key]) == str(value)]
        courses = [self._formatted({k: v for k, v in c.items() if not k.startswith("_")},
                                   strings=("fullname", "displayname", "shortname", "categoryname"), texts=("summary",))
                   for c in found]
        return {"courses": courses, "warnings": []}

    def _check_course(self, wanted: dict, ident: int | None) -> None:
        others = [c for c in self.courses.values() if c["id"] != ident]
        if "shortname" in wanted and any(c["shortname"] == wanted["shortname"] for c in others):
            raise WsError("core\\exception\\moodle_exception", "shortnametaken",
                          f"Short name is already used for another course ({wanted['shortname']})")
        if wanted.get("idnumber") and any(c["idnumber"] == wanted["idnumber"] for c in others):
            raise WsError("core\\exception\\moodle_exception", "courseidnumbertaken",
                          f"ID number is already used for another course ({wanted['idnumber']})")
        if wanted.get("lang") and wanted["lang"] not in self.languages:
            raise WsError("core\\exception\\moodle_exception", "errorinvalidparam", 'The param "lang" is invalid.')
        if "categoryid" in wanted and as_int(wanted["categoryid"]) not in self.categories:
            raise WsError("core\\exception\\moodle_exception", "errorcatcontextnotvalid",
                          f"You cannot execute functions in the category context (category id: {wanted['categoryid']})")

    def _course_record(self, record: dict, wanted: dict) -> None:
        for key in ("fullname", "shortname", "idnumber", "summary", "format", "lang"):
            if key in wanted:
                record[key] = wanted[key]
        for key in ("summaryformat", "enablecompletion"):
            if key in wanted:
                record[key] = as_int(wanted[key])
        if "categoryid" in wanted:
            record["categoryid"] = as_int(wanted["categoryid"])
            record["categoryname"] = self.categories[record["categoryid"]]["name"]
        record["displayname"] = record["fullname"]
        record["timemodified"] = self.now()

    def ws_core_course_create_courses(self, courses: list) -> list:
        if not self.manager:
            raise WsError("core\\exception\\required_capability_exception", "nopermissions",
                          "Sorry, but you do not currently have permissions to do that (Create courses).")
        created = []
        if any("<" in str(c.get("fullname", "")) for c in courses):  # PARAM_TEXT refuses markup: nothing created (80)
            raise invalid_parameter()
        for wanted in courses:
            for required in ("fullname", "shortname", "categoryid"):
                if required not in wanted:
                    raise invalid_parameter()
            if "moodle/course:setforcedlanguage" not in self.capabilities:
                wanted = {k: v for k, v in wanted.items() if k != "lang"}  # dropped silently (106, 107)
            self._check_course(wanted, None)
            record = copy.deepcopy(recorded_answer("14-get-courses-by-field-idnumber-found")["courses"][0])
            ident = next(self._course_ids)
            record.update(id=ident, idnumber="", summary="", lang="", format="topics", enablecompletion=0,
                          timecreated=self.now())
            self._course_record(record, wanted)
            options = {o["name"]: o["value"] for o in wanted.get("courseformatoptions", [])}
            numsections = wanted.get("numsections", options.get("numsections", 4))  # moodlecourse | numsections
            record["_sections"] = [self._new_section(number) for number in range(as_int(numsections) + 1)]
            record["_enrol"] = []  # a self instance exists but is disabled, and nobody can see it (122)
            self.courses[ident] = record
            created.append({"id": ident, "shortname": record["shortname"]})
        return created

    def ws_core_course_update_courses(self, courses: list) -> dict:
        warnings = []
        for wanted in courses:
            ident = as_int(wanted.get("id"))
            if ident not in self.courses:
                warnings.append({"item": "course", "itemid": ident, "warningcode": "unknowncourseidnumber",
                                 "message": f"Unknown course ID {ident}"})
                continue
            refused = next((label for key, (capability, label) in UPDATE_CAPABILITIES.items()
                            if key in wanted and capability not in self.capabilities), None)
            if refused:  # a warning, the course left as it was (110)
                warnings.append({"item": "course", "itemid": ident, "warningcode": "nopermissions",
                                 "message": f"Sorry, but you do not currently have permissions to do that ({refused})."})
                continue
            try:
                self._check_course(wanted, ident)
            except WsError as exc:  # update_courses reports each course's failure as a warning
                warnings.append({"item": "course", "itemid": ident, "warningcode": exc.body["errorcode"],
                                 "message": exc.body["message"]})
                continue
            self._course_record(self.courses[ident], wanted)
        return {"warnings": warnings}

    # --- SCORM activities ---------------------------------------------------------------------------

    def _new_section(self, number: int) -> dict:
        return {"id": next(self._section_ids), "section": number, "name": "", "visible": 1, "cmids": []}

    def _section(self, course: dict, number: int) -> dict:
        """The course's section with this number, created alone when missing: save_scorm with a
        section beyond the last leaves a gap in the numbering (120, 121)."""
        found = next((x for x in course["_sections"] if x["section"] == number), None)
        if found is None:
            found = self._new_section(number)
            course["_sections"] = sorted(course["_sections"] + [found], key=lambda x: x["section"])
        return found

    def _place(self, course: dict, cm: dict, number: int) -> None:
        for section in course["_sections"]:
            if cm["id"] in section["cmids"]:
                section["cmids"].remove(cm["id"])
        self._section(course, number)["cmids"].append(cm["id"])
        cm["sectionnum"] = number
        self.scorms[cm["instance"]]["section"] = number

    def _course_access(self, course: dict) -> None:
        """validate_context() on the course: without moodle/course:view nor an enrolment (112)."""
        if "moodle/course:view" not in self.capabilities:
            raise WsError("core\\exception\\require_login_exception", "requireloginerror", "Course or activity not accessible.")

    def _require(self, *capabilities: str) -> None:
        for capability in capabilities:
            if capability not in self.capabilities:
                raise WsError("core\\exception\\required_capability_exception", "nopermissions",
                              f"Sorry, but you do not currently have permissions to do that ({capability}).")

    def ws_core_course_get_contents(self, courseid: str) -> list:
        course = self.courses.get(as_int(courseid))
        if course is None:
            raise WsError("dml_missing_record_exception", "invalidrecordunknown", "Can't find data record in database.")
        template = recorded_answer("121-get-contents-sections-created")
        general, other = template[0], template[1]
        answer = []
        for section in course["_sections"]:
            entry = copy.deepcopy(general if section["section"] == 0 else other)
            name = section["name"] or ("General" if section["section"] == 0 else "New section")  # NULL in the database (91)
            entry.update(id=section["id"], section=section["section"], visible=section["visible"],
                         name=name if self.raw else format_string(name))
            modules = [m for m in entry["modules"] if m.get("modname") != "scorm"] if section["section"] == 0 else []
            for cmid in section["cmids"]:
                cm = self.cms[cmid]
                modules.append({"id": cmid, "name": format_string(cm["name"]), "instance": cm["instance"], "modname": "scorm",
                                "visible": cm.get("visible", 1), "uservisible": True, "completion": cm["completion"]})
            entry["modules"] = modules
            answer.append(entry)
        return answer

    def ws_core_course_get_course_module(self, cmid: str) -> dict:
        cm = self.cms.get(as_int(cmid))
        if cm is None:
            raise WsError("dml_missing_record_exception", "invalidrecordunknown", "Can't find data record in database.")
        answer = self._formatted(cm, strings=("name",))
        if "moodle/course:manageactivities" not in self.capabilities:
            answer.pop("idnumber", None)  # core gives the activity's ID number to those who may edit it only
        return {"cm": answer, "warnings": []}

    def ws_mod_scorm_get_scorms_by_courses(self, courseids: list | None = None) -> dict:
        wanted = {as_int(i) for i in courseids} if courseids else set(self.courses)
        answer = copy.deepcopy(recorded_answer("41-get-scorms-by-courses"))
        if "moodle/course:view" not in self.capabilities:  # a warning "1" per course instead (113)
            answer["scorms"] = []
            answer["warnings"] = [{"item": "course", "itemid": i, "warningcode": "1",
                                   "message": "No access rights in course context"} for i in sorted(wanted)]
            return answer
        # the intro comes back as stored (format_text with noclean, 90); the name through format_string
        scorms = [self._formatted(s, strings=("name",)) for s in self.scorms.values() if s["course"] in wanted]
        if not self.manager:
            for scorm in scorms:
                for key in ("completionstatusrequired", "completionscorerequired", "completionstatusallscos"):
                    scorm.pop(key, None)
        answer["scorms"] = scorms
        return answer

    def ws_local_coursepack_save_scorm(self, courseid: str, idnumber: str, name: str, section: str = "0",
                                       intro: str = "", draftitemid: str = "0", settings: dict | None = None) -> dict:
        """As moodle/local_coursepack/classes/external/save_scorm.php defines it."""
        course = self.courses.get(as_int(courseid))
        if course is None:
            raise WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table course.")
        self._course_access(course)
        if not self.manager:
            raise WsError("core\\exception\\required_capability_exception", "nopermissions",
                          "Sorry, but you do not currently have permissions to do that (Add a new SCORM package).")
        self._require("moodle/course:manageactivities", "mod/scorm:addinstance")
        if "<" in name:  # PARAM_TEXT refuses markup rather than cleaning it (97)
            raise invalid_parameter()
        if not idnumber.strip():
            raise invalid_parameter()
        if len(idnumber.strip()) > 100:
            raise WsError("core\\exception\\moodle_exception", "idnumbertoolong",
                          f'The activity ID number "{idnumber.strip()}" is longer than 100 characters.')
        settings = {k: as_int(v) for k, v in (settings or {}).items()}
        package = None
        if as_int(draftitemid):
            area = self.drafts.get(as_int(draftitemid))
            if not area:
                raise WsError("core\\exception\\moodle_exception", "nopackage",
                              f"No file in draft area {draftitemid}: upload the package with /webservice/upload.php first.")
            package_name, package = sorted(area.items())[-1]
            try:
                if "imsmanifest.xml" not in zipfile.ZipFile(io.BytesIO(package)).namelist():
                    raise zipfile.BadZipFile
            except zipfile.BadZipFile:
                raise WsError("core\\exception\\moodle_exception", "invalidpackage",
                              "The package is not a valid SCORM package: Incorrect file package - missing imsmanifest.xml or AICC structure") from None
        wanted = {
            "name": name, "intro": intro, **{k: v for k, v in settings.items() if k not in ("completionstatusrequired", "completionscorerequired")},
            "completionstatusrequired": settings.get("completionstatusrequired", 4) or None,
            "completionscorerequired": settings.get("completionscorerequired", 0) or None,
        }
        same = sorted((c for c in self.cms.values() if c["course"] == course["id"] and c["idnumber"] == idnumber.strip()),
                      key=lambda c: c["id"])
        if len(same) > 1:  # find() under the course's lock refuses to pick one
            raise WsError("core\\exception\\moodle_exception", "duplicateactivity",
                          f'The course has several activities with the ID number "{idnumber.strip()}" '
                          f'(course modules {", ".join(str(c["id"]) for c in same)}): delete all but one, then publish again.')
        cm = same[0] if same else None
        if cm is None:
            if package is None:
                raise WsError("core\\exception\\moodle_exception", "packagerequired",
                              f'Activity "{idnumber}" does not exist yet: a package is needed to create it.')
            scorm = copy.deepcopy(recorded_answer("41-get-scorms-by-courses")["scorms"][0])
            cm = copy.deepcopy(recorded_answer("38-get-course-module")["cm"])
            scorm.update(id=next(self._scorm_ids), course=course["id"], section=as_int(section), revision=1,
                         sha1hash=hashlib.sha1(package).hexdigest(), reference=package_name, packagesize=len(package),
                         timemodified=0, **wanted)
            scorm["coursemodule"] = cm["id"] = next(self._cm_ids)
            scorm["launch"] = 100 + scorm["id"]  # the SCO id: one SCO per package
            scorm["packageurl"] = f"http://127.0.0.1:8080/webservice/pluginfile.php/{cm['id'] + 38}/mod_scorm/package/0/{package_name}"
            cm.update(course=course["id"], instance=scorm["id"], name=name, idnumber=idnumber.strip(), visible=1,
                      sectionnum=as_int(section), completion=2 if course["enablecompletion"] else 0, added=self.now())
            self.scorms[scorm["id"]], self.cms[cm["id"]] = scorm, cm
            self._place(course, cm, as_int(section))
            action = "created"
        else:
            scorm = self.scorms[cm["instance"]]
            new_package = package is not None and hashlib.sha1(package).hexdigest() != scorm["sha1hash"]
            changed = new_package or any(not _same(scorm.get(k), v) for k, v in wanted.items())
            action = "unchanged"
            if changed:
                for key, value in wanted.items():
                    scorm[key] = bool(value) if isinstance(scorm.get(key), bool) else value
                cm["name"] = name
                scorm["timemodified"] = self.now()
                if new_package:
                    scorm.update(revision=scorm["revision"] + 1, sha1hash=hashlib.sha1(package).hexdigest(),
                                 reference=package_name, packagesize=len(package))
                action = "updated"
        return {"cmid": cm["id"], "instance": scorm["id"], "sha1hash": scorm["sha1hash"], "revision": scorm["revision"],
                "action": action}

    # --- the plugin's other functions (version 2026120700) ----------------------------------------

    def ws_local_coursepack_get_status(self, capabilities: list | None = None, cohorts: list | None = None) -> dict:
        missing = [{"name": c, "known": c in CAPABILITIES or c == "moodle/cohort:view"}
                   for c in dict.fromkeys(capabilities or []) if c not in self.capabilities]
        languages = [{"code": code, "name": {"en": "English ‎(en)‎", "fr": "Français ‎(fr)‎"}.get(code, code)}
                     for code in sorted(self.languages)]
        absent = [c for c in dict.fromkeys(cohorts or []) if c not in self.cohorts]
        database = int(self.versions[PLUGIN_FUNCTIONS[0]])
        answer = {"missing": missing, "missingcohorts": absent, "languages": languages, "version": database}
        if int(self.code_version) >= 2026120700:  # older code returned neither
            answer.update(dbversion=database, codeversion=int(self.code_version))
        if self.statementhome is not None:  # 1.2.0: what the site says of itself
            answer.update(siteidentifier=self.siteidentifier, statementhome=self.statementhome)
        return answer

    # --- the publish lease (classes/local/publish_lease.php) ---------------------------------------

    @staticmethod
    def _catalogue(catalogue: str) -> str:
        if catalogue and not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?", catalogue):
            raise invalid_parameter()
        return catalogue

    def lease(self, catalogue: str = "") -> dict | None:
        value = self.plugin_config.get("publishlease" + (f"_{catalogue}" if catalogue else ""))
        return json.loads(value) if value else None

    def ws_local_coursepack_acquire_publish_lock(self, leaseid: str, catalogue: str = "", host: str = "",
                                                 duration: str = "120") -> dict:
        """As acquire_publish_lock.php: under Moodle's lock (here the double's), refused while
        another unexpired lease is held; the same lease id renews."""
        self._require("moodle/course:update")
        catalogue = self._catalogue(catalogue.strip())
        if not re.fullmatch(r"[A-Za-z0-9]{16,64}", leaseid):
            raise invalid_parameter()
        now, span = self.now(), max(10, min(3600, as_int(duration)))
        current = self.lease(catalogue)
        ours = current is not None and current["leaseid"] == leaseid
        if current and not ours and current["expires"] > now:
            return {"acquired": False, **{k: current[k] for k in ("name", "host", "since", "expires")}, "timenow": now}
        lease = {"leaseid": leaseid, "name": "Admin User", "host": host[:100],
                 "since": current["since"] if ours else now, "expires": now + span}
        self.plugin_config["publishlease" + (f"_{catalogue}" if catalogue else "")] = json.dumps(lease)
        return {"acquired": True, **{k: lease[k] for k in ("name", "host", "since", "expires")}, "timenow": now}

    def ws_local_coursepack_release_publish_lock(self, leaseid: str, catalogue: str = "") -> dict:
        self._require("moodle/course:update")
        catalogue = self._catalogue(catalogue.strip())
        current = self.lease(catalogue)
        if current is None or current["leaseid"] != leaseid:
            return {"released": False}
        del self.plugin_config["publishlease" + (f"_{catalogue}" if catalogue else "")]
        return {"released": True}

    def ws_local_coursepack_get_state(self, catalogue: str = "") -> dict:
        """As get_state.php: one catalogue's objects only; every activity, duplicates included."""
        catalogue = self._catalogue(catalogue.strip())
        categories = [{"id": c["id"], "idnumber": c["idnumber"], "name": c["name"], "parent": c["parent"],
                       "visible": c.get("visible", 1)} for c in self.categories.values() if owns(c["idnumber"], catalogue)]
        courses, activities = [], []
        for course in self.courses.values():
            if not owns(course["idnumber"], catalogue) or "moodle/course:update" not in self.capabilities:
                continue
            courses.append({
                **{k: course[k] for k in ("id", "idnumber", "shortname", "fullname", "summary", "summaryformat", "format",
                                          "lang", "enablecompletion", "categoryid", "visible")},
                "sections": [dict(x, name=x["name"], cmids=list(x["cmids"])) for x in course["_sections"]],
                "enrolment": [dict(e) for e in course["_enrol"]],
            })
            for cm in sorted(self.cms.values(), key=lambda c: c["id"]):
                if cm["course"] != course["id"] or not owns(cm["idnumber"], catalogue):
                    continue
                scorm = self.scorms[cm["instance"]]
                activities.append({
                    "cmid": cm["id"], "courseid": course["id"], "idnumber": cm["idnumber"], "section": cm["sectionnum"],
                    "visible": int(cm.get("visible", 1)), "name": scorm["name"], "intro": scorm["intro"],
                    "sha1hash": scorm["sha1hash"], "revision": scorm["revision"], "version": scorm["version"],
                    "completion": cm["completion"],
                    "completionstatusrequired": int(scorm.get("completionstatusrequired") or 0),
                    "completionscorerequired": int(scorm.get("completionscorerequired") or 0),
                    "settings": {k: int(scorm.get(k) or 0) for k in SCORM_SETTINGS},
                })
        return {"categories": categories, "courses": courses, "activities": activities}

    def ws_local_coursepack_arrange_course(self, courseid: str, sections: list, retiredname: str = "CoursePack") -> dict:
        """As arrange_course.php: module i alone in section i under its name, removed modules
        hidden in a last hidden section, empty sections beyond removed."""
        course = self.courses.get(as_int(courseid))
        if course is None:
            raise WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table course.")
        self._course_access(course)
        self._require("moodle/course:update", "moodle/course:manageactivities", "moodle/course:activityvisibility",
                      "moodle/course:sectionvisibility", "moodle/course:movesections")
        catalogue = catalogue_of(course["idnumber"])  # objects::activities(): the course's own catalogue's
        ours = {cm["idnumber"]: cm for cm in self.cms.values()
                if cm["course"] == course["id"] and catalogue is not None and owns(cm["idnumber"], catalogue)}
        for wanted in sections:
            if wanted["idnumber"] not in ours:
                raise WsError("core\\exception\\moodle_exception", "unknownactivity",
                              f'The course has no CoursePack activity "{wanted["idnumber"]}": publish its package first.')
        before = copy.deepcopy((course["_sections"], {i: (c["sectionnum"], c.get("visible", 1)) for i, c in self.cms.items()}))
        wanted_ids = [w["idnumber"] for w in sections]
        retired = [cm for idnumber, cm in ours.items() if idnumber not in wanted_ids]
        last = len(sections) + (1 if retired else 0)
        for number in range(0, max(last, 1) + 1):
            self._section(course, number)
        layout = {i + 1: (w["name"], 1, [ours[w["idnumber"]]]) for i, w in enumerate(sections)}
        if retired:
            layout[last] = (retiredname, 0, retired)
        for number, (name, visible, members) in layout.items():
            section = self._section(course, number)
            section["name"] = name
            for cm in members:
                if cm["sectionnum"] != number:
                    self._place(course, cm, number)
                cm["visible"] = visible
                self.scorms[cm["instance"]]["visible"] = bool(visible)
            section["visible"] = visible
        course["_sections"] = [x for x in course["_sections"] if x["section"] <= last or x["cmids"]]
        after = (course["_sections"], {i: (c["sectionnum"], c.get("visible", 1)) for i, c in self.cms.items()})
        return {"changed": before != after}

    def add_cohort(self, idnumber: str) -> None:
        self.cohorts[idnumber] = len(self.cohorts) + 1

    def ws_local_coursepack_save_enrolment(self, courseid: str, cohort: str = "") -> dict:
        course = self.courses.get(as_int(courseid))
        if course is None:
            raise WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table course.")
        self._course_access(course)
        self._require("moodle/course:enrolconfig", "enrol/self:config")
        if not self.self_enrol_enabled:
            raise WsError("core\\exception\\moodle_exception", "selfenroldisabled",
                          "Self enrolment is disabled on this site: enable it in Site administration > Plugins > Enrolments > Manage enrol plugins.")
        if cohort and cohort not in self.cohorts:
            raise WsError("core\\exception\\moodle_exception", "cohortnotfound",
                          f'No cohort has the ID number "{cohort}": create it (Site administration > Users > Cohorts) or correct the catalogue.')
        wanted = {"enabled": 1, "cohort": cohort}
        if not course["_enrol"]:
            course["_enrol"].append({"id": next(self._enrol_ids), **wanted})
            return {"changed": True}
        first = course["_enrol"][0]
        changed = any(first[k] != v for k, v in wanted.items())
        first.update(wanted)
        return {"changed": changed}

    def ws_local_coursepack_get_results(self, since: str = "0", afterid: str = "0", perpage: str = "100",
                                        identity: list | None = None, catalogue: str | None = None) -> dict:
        """As moodle/local_coursepack/classes/external/get_results.php defines it: one
        catalogue's CoursePack activities (objects::owns; before 1.2.0 every
        "coursepack:" activity and no ``catalogue`` parameter), after the keyset (since,
        afterid) of the table of changed attempts, the identity fields asked for. An attempt's
        ``timemodified`` here is that table's time: the time of its last change."""
        timenow = self.now()
        since_, after_, perpage_ = as_int(since), as_int(afterid), as_int(perpage)
        fields = list(dict.fromkeys(identity if identity is not None else ["username"]))
        if not 1 <= perpage_ <= 5000 or any(f not in ("username", "idnumber", "email") for f in fields):
            raise invalid_parameter()
        scoped = int(self.versions[PLUGIN_FUNCTIONS[0]]) >= 2026120700
        if catalogue is not None and (not scoped or not re.fullmatch(r"[A-Za-z0-9_-]*", catalogue)):
            raise invalid_parameter()
        prefix = "coursepack:" + (f"{catalogue}:" if catalogue else "")

        def listed(idnumber: str) -> bool:
            if not scoped:
                return idnumber.startswith("coursepack:")
            rest = idnumber[len(prefix):]
            return idnumber.startswith(prefix) and rest != "" and ":" not in rest

        ours = [a for a in self.attempts if listed(self.cms[self.scorms[a["scormid"]]["coursemodule"]]["idnumber"])]
        changed = sorted((a for a in ours if (a["timemodified"], a["id"]) > (since_, after_)),
                         key=lambda a: (a["timemodified"], a["id"]))
        rows = changed[:perpage_ + 1]
        results = []
        for attempt in rows[:perpage_]:
            scorm = self.scorms[attempt["scormid"]]
            cm = self.cms[scorm["coursemodule"]]
            course = self.courses[cm["course"]]
            user = self.users[attempt["userid"]]
            tracks = attempt["tracks"]

            def value(*elements: str, tracks: dict[str, str] = tracks) -> str:
                return next((str(tracks[e]) for e in elements if tracks.get(e, "") != ""), "")

            result = {
                "attemptid": attempt["id"], "userid": user["id"], "courseid": course["id"],
                "courseidnumber": course["idnumber"], "cmid": cm["id"], "cmidnumber": cm["idnumber"],
                "scormid": scorm["id"], "attempt": attempt["attempt"],
                "lessonstatus": value("cmi.core.lesson_status", "cmi.completion_status"),
                "successstatus": value("cmi.success_status"),
                "scoreraw": value("cmi.core.score.raw", "cmi.score.raw"),
                "scoremin": value("cmi.core.score.min", "cmi.score.min"),
                "scoremax": value("cmi.core.score.max", "cmi.score.max"),
                "totaltime": value("cmi.core.total_time", "cmi.total_time"),
                "timemodified": attempt["timemodified"],
                "completionstate": attempt.get("completionstate", 0),
                "timecompleted": attempt.get("timecompleted", 0),
            }
            if int(self.versions[PLUGIN_FUNCTIONS[0]]) >= 2026120800:
                result.update(self._inside(attempt))
            identity_fields = {"username": ("username", "username"), "idnumber": ("useridnumber", "idnumber"),
                               "email": ("email", "email")}
            for asked in fields:
                key, column = identity_fields[asked]
                result[key] = user.get(column, "")
            results.append(result)
        return {"results": results, "hasmore": len(rows) > perpage_, "timenow": timenow}

    #: get_results.php's INTERACTION: the fields read, and the result field of each
    INTERACTION = {"id": "id", "type": "type", "student_response": "response", "learner_response": "response",
                   "result": "result", "latency": "latency", "time": "time", "timestamp": "time"}

    def _inside(self, attempt: dict) -> dict:
        """What get_results.php (2026120800) adds: interactions, location, suspend data, start
        time; each interaction timed by the earliest of its rows, the location by its row (Moodle's
        scorm_insert_track sets a row's timemodified when its value is written or changes)."""
        tracks, times = attempt["tracks"], attempt["times"]
        interactions: dict[int, dict] = {}
        for element, value in tracks.items():
            match = re.fullmatch(r"cmi\.interactions[._](\d+)\.([a-z_]+)", element)
            if match is None or match.group(2) not in self.INTERACTION:
                continue
            index = int(match.group(1))
            row = interactions.setdefault(index, {"index": index, "timemodified": times[element]})
            row[self.INTERACTION[match.group(2)]] = str(value)
            row["timemodified"] = min(row["timemodified"], times[element])
        listed = [{"type": "", "response": "", "result": "", "latency": "", "time": "", **row}
                  for _index, row in sorted(interactions.items()) if row.get("id", "") != ""]
        location = next((e for e in ("cmi.core.lesson_location", "cmi.location") if tracks.get(e, "") != ""), None)
        return {"location": str(tracks[location]) if location else "",
                "locationtime": times.get("cmi.core.lesson_location", times.get("cmi.location", 0)),
                "suspenddata": str(tracks.get("cmi.suspend_data", "")),
                "timestarted": as_int(tracks.get("x.start.time", 0) or 0), "interactions": listed}

    def change_attempt(self, ident: int, tracks: dict[str, str], timemodified: int, completionstate: int | None = None) -> None:
        """A learner goes on with an attempt: Moodle updates its tracks and its timemodified (and
        the time of each value written anew or changed)."""
        attempt = next(a for a in self.attempts if a["id"] == ident)
        for element, value in tracks.items():
            if attempt["tracks"].get(element) != value:
                attempt["times"][element] = timemodified
        attempt["tracks"].update(tracks)
        attempt["timemodified"] = timemodified
        if completionstate is not None:
            attempt["completionstate"] = completionstate
            attempt["timecompleted"] = timemodified if completionstate else 0

    # --- learners and their results (seeded by the tests) ------------------------------------------------

    def add_user(self, ident: int, username: str, idnumber: str = "", email: str = "", firstname: str = "Agent",
                 lastname: str = "") -> None:
        self.users[ident] = {"id": ident, "username": username, "idnumber": idnumber, "email": email,
                             "firstname": firstname, "lastname": lastname or username}

    def ws_core_user_get_users_by_field(self, field: str, values: list) -> list:
        """As user/externallib.php get_users_by_field and user/lib.php user_get_user_details on the
        system profile. No exchange of it is among the recorded ones: the fields and their order
        are those a live 4.5 answered (the recorded enrolled user's, without the course ones, plus
        auth … trackforums), checked on 4.5 and 5.2 with and without each capability. A user needs
        moodle/user:viewdetails to be returned at all; the username and ID number need
        moodle/user:viewalldetails, the e-mail moodle/site:viewuseridentity (``email`` is among
        the default identity fields); a user whose searched field is not returned is left out."""
        if field not in ("id", "idnumber", "username", "email"):
            raise WsError("coding_exception", "codingerror",
                          "Coding error detected, it must be fixed by a programmer: invalid field parameter")
        for value in values:
            if field == "username" and value != re.sub(r"[^-.@_a-z0-9]", "", value.lower()):
                raise WsError("core\\exception\\invalid_parameter_exception", "invalidparameter",
                              f"Invalid parameter value detected (The field 'username' value is invalid: {value})")
        enrolled = recorded_answer("52-get-enrolled-users")[0]
        template = {**{k: v for k, v in enrolled.items() if k not in ("roles", "enrolledcourses", "lastcourseaccess",
                                                                       "profileimageurlsmall", "profileimageurl")},
                    "auth": "manual", "suspended": False, "confirmed": True, "lang": "en", "theme": "", "timezone": "99",
                    "mailformat": 1, "trackforums": 0, "profileimageurlsmall": enrolled["profileimageurlsmall"],
                    "profileimageurl": enrolled["profileimageurl"]}
        found = []
        for user in sorted(self.users.values(), key=lambda u: u["id"]):
            if str(user.get(field, "")) not in {str(v) for v in values} or "moodle/user:viewdetails" not in self.capabilities:
                continue
            details = {**template, "id": user["id"], "firstname": user["firstname"], "lastname": user["lastname"],
                       "fullname": f"{user['firstname']} {user['lastname']}"}
            details.pop("username")
            details.pop("email")
            if "moodle/user:viewalldetails" in self.capabilities:
                details["username"] = user["username"]
                if user["idnumber"]:
                    details["idnumber"] = user["idnumber"]
            if "moodle/site:viewuseridentity" in self.capabilities and user["email"]:
                details["email"] = user["email"]
            if details.get(field):
                order = ["id", "username", "firstname", "lastname", "fullname", "email", *template, "idnumber"]
                found.append({k: details[k] for k in dict.fromkeys(order) if k in details})
        return found

    def add_attempt(self, userid: int, course_idnumber: str, activity_idnumber: str, attempt: int, tracks: dict[str, str],
                    timemodified: int, completionstate: int = 0, times: dict[str, int] | None = None) -> None:
        """``times``: when Moodle stored each value (default: ``timemodified``)."""
        course = next(c for c in self.courses.values() if c["idnumber"] == course_idnumber)
        cm = next(c for c in self.cms.values() if c["course"] == course["id"] and c["idnumber"] == activity_idnumber)
        self.enrolments.setdefault(course["id"], set()).add(userid)
        self.attempts.append({"id": len(self.attempts) + 1, "userid": userid, "scormid": cm["instance"], "attempt": attempt,
                              "tracks": dict(tracks), "timemodified": timemodified, "completionstate": completionstate,
                              "timecompleted": timemodified if completionstate else 0,
                              "times": {element: (times or {}).get(element, timemodified) for element in tracks}})

    def _user_attempts(self, scormid: int, userid: int) -> list[dict]:
        return [a for a in self.attempts if a["scormid"] == scormid and a["userid"] == userid]

    def ws_core_enrol_get_enrolled_users(self, courseid: str) -> list:
        """As enrol/externallib.php: viewparticipants required; a user whose details the caller may
        not see (moodle/user:viewdetails) is left out; the username needs moodle/user:viewalldetails."""
        self._require("moodle/course:viewparticipants")
        if "moodle/user:viewdetails" not in self.capabilities:
            return []
        template = recorded_answer("52-get-enrolled-users")[0]
        users = []
        for ident in sorted(self.enrolments.get(as_int(courseid), ())):
            user = copy.deepcopy(template)
            user.update(self.users[ident])
            user.pop("idnumber", None)  # core_enrol_get_enrolled_users gives no ID number by default
            if "moodle/user:viewalldetails" not in self.capabilities:
                user.pop("username", None)
            users.append(user)
        return users

    def ws_core_completion_get_activities_completion_status(self, courseid: str, userid: str) -> dict:
        self._require("report/progress:view")  # another user's completion
        template = recorded_answer("51-completion-status-before")["statuses"][0]
        statuses = []
        for cm in (c for c in self.cms.values() if c["course"] == as_int(courseid)):
            attempts = self._user_attempts(cm["instance"], as_int(userid))
            state = max((a["completionstate"] for a in attempts), default=0)
            status = copy.deepcopy(template)
            status.update(cmid=cm["id"], instance=cm["instance"], state=state,
                          timecompleted=max((a["timecompleted"] for a in attempts), default=0), isoverallcomplete=state > 0)
            statuses.append(status)
        return {"statuses": statuses, "warnings": []}

    def ws_mod_scorm_get_scorm_attempt_count(self, scormid: str, userid: str, ignoremissingcompletion: str = "0") -> dict:
        self._require("mod/scorm:viewreport")  # another user's attempts
        return {"attemptscount": len(self._user_attempts(as_int(scormid), as_int(userid))), "warnings": []}

    def ws_mod_scorm_get_scorm_sco_tracks(self, scoid: str, userid: str, attempt: str = "0") -> dict:
        self._require("mod/scorm:viewreport")
        scorm = next((s for s in self.scorms.values() if s["launch"] == as_int(scoid)), None)
        if scorm is None:
            raise WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table scorm_scoes.")
        attempts = self._user_attempts(scorm["id"], as_int(userid))
        number = as_int(attempt) or max((a["attempt"] for a in attempts), default=1)
        found = next((a for a in attempts if a["attempt"] == number), None)
        if found is None:
            return {"data": {"attempt": number, "tracks": []},
                    "warnings": [{"item": "attempt", "itemid": number, "warningcode": "notattempted", "message": "Not attempted"}]}
        values = found["tracks"]
        status = values.get("cmi.core.lesson_status", values.get("cmi.completion_status", ""))
        summary = [("score_raw", float(values["cmi.core.score.raw"]) if values.get("cmi.core.score.raw") else ""),
                   ("status", status), ("total_time", values.get("cmi.core.total_time", "00:00:00")),
                   ("session_time", "00:00:00"), ("timemodified", str(found["timemodified"]))]
        tracks = [{"element": k, "value": v} for k, v in summary]
        tracks += [{"element": k, "value": v} for k, v in sorted(values.items())]
        tracks += [{"element": "userid", "value": found["userid"]}, {"element": "scoid", "value": str(scorm["launch"])}]
        return {"data": {"attempt": number, "tracks": tracks}, "warnings": []}

    # --- what the Moodle app asks before logging in (lib/ajax/service-nologin.php) ---------------------

    #: tool_mobile_get_public_config as Moodle 4.5.6 answered it (live site, default settings), with this double's values
    PUBLIC_CONFIG = {
        "wwwroot": "http://127.0.0.1:8080", "httpswwwroot": "http://127.0.0.1:8080", "sitename": "CoursePack",
        "guestlogin": 1, "rememberusername": 2, "authloginviaemail": 0, "registerauth": "", "forgottenpasswordurl": "",
        "authinstructions": "", "authnoneenabled": 0, "enablewebservices": 1, "enablemobilewebservice": 0,
        "maintenanceenabled": 0, "maintenancemessage": "", "typeoflogin": 1,
        "launchurl": "http://127.0.0.1:8080/admin/tool/mobile/launch.php", "mobilecssurl": "",
        "tool_mobile_disabledfeatures": "", "country": "0", "agedigitalconsentverification": False, "supportpage": "",
        "supportavailability": 1, "autolang": 1, "lang": "en", "langmenu": 1, "langlist": "", "locale": "",
        "tool_mobile_minimumversion": "", "tool_mobile_iosappid": "633359593",
        "tool_mobile_androidappid": "com.moodle.moodlemobile", "tool_mobile_setuplink": "https://download.moodle.org/mobile",
        "tool_mobile_qrcodetype": 1, "warnings": [], "showloginform": 1,
    }

    def nologin(self, calls: list[dict]) -> tuple[int, str, bytes]:
        """Functions anyone may call without a session (``ajax`` + ``loginrequired`` false in db/services.php);
        any other answers ``servicerequireslogin``, an unknown one the whole request's ``invalidrecord``."""
        answers = []
        for call in calls:
            name = call.get("methodname", "")
            if name == "tool_mobile_get_public_config":
                data = dict(self.PUBLIC_CONFIG, enablewebservices=int(self.webservices),
                            enablemobilewebservice=int(self.mobile_service))
                answers.append({"error": False, "data": data})
            elif name in self.versions or name in OTHER_CORE_FUNCTIONS:
                answers.append({"error": True, "exception": {
                    "message": "Web service is not available. (The session has been logged out or has expired.)",
                    "errorcode": "servicerequireslogin", "link": "http://127.0.0.1:8080/",
                    "moreinfourl": "https://docs.moodle.org/405/en/error/webservice/servicerequireslogin"}})
            else:
                body = {"error": "Can't find data record in database table external_functions.", "errorcode": "invalidrecord",
                        "stacktrace": None, "debuginfo": None, "reproductionlink": None}
                return 200, "application/json; charset=utf-8", json.dumps(body).encode()
        return 200, "application/json; charset=utf-8", json.dumps(answers).encode()

    # --- HTTP ---------------------------------------------------------------------------------------------

    def serve(self) -> DoubleServer:
        return DoubleServer(self)


class _Handler(BaseHTTPRequestHandler):
    double: MoodleDouble

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        if self.double.delay:
            time.sleep(self.double.delay)
        if self.double.pauses and self.path.startswith("/webservice/rest/server.php"):
            function = dict(parse_qsl(body.decode("utf-8", "replace"))).get("wsfunction", "")
            time.sleep(self.double.pauses.get(function, 0.0))
        try:
            with self.double.lock:
                if self.path.startswith("/webservice/rest/server.php"):
                    pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
                    status, content_type, answer = self.double.rest(pairs)
                elif self.path.startswith("/webservice/upload.php"):
                    content_type = self.headers.get("Content-Type", "")
                    if content_type.startswith("multipart/form-data"):
                        fields, files = _multipart(content_type, body)
                    else:
                        fields, files = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), []
                    status, content_type, answer = self.double.upload(fields, files)
                elif self.path.startswith("/lib/ajax/service-nologin.php"):
                    status, content_type, answer = self.double.nologin(json.loads(body or b"[]"))
                else:
                    status, content_type, answer = 404, "text/html", b"Not found"
        except ConnectionAbortedError:
            self.close_connection = True  # a killed client or a cut network: no answer at all
            return
        except Exception as exc:  # noqa: BLE001 - a bug in the double: make it loud in the test that hits it
            status, content_type, answer = 500, "text/plain", repr(exc).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, str], list[tuple[str, bytes]]]:
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, str] = {}
    files: list[tuple[str, bytes]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename:
            files.append((filename, payload))
        elif name:
            fields[name] = payload.decode("utf-8")
    return fields, files


class DoubleServer:
    def __init__(self, double: MoodleDouble) -> None:
        handler = type("Handler", (_Handler,), {"double": double})
        self.double = double
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        #: the same site at another address (as "localhost" reaches 127.0.0.1)
        self.other_url = f"http://localhost:{self._server.server_port}"
        double.installed(self.url)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def published(tmp_path: Path, monkeypatch: Any, token: str) -> tuple[MoodleDouble, DoubleServer]:
    """A fresh double served on 127.0.0.1 with the embedded catalogue published to it through the
    CLI, its token in the environment and no config file (the caller closes the server)."""
    from click.testing import CliRunner

    from packager.cli import cli

    double = MoodleDouble(token=token)
    served = double.serve()
    monkeypatch.setenv("MOODLE_TOKEN", token)
    monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "none.toml"))
    assert CliRunner().invoke(cli, ["publish", "--moodle-url", served.url, "--out", str(tmp_path / "dist")]).exit_code == 0
    return double, served
