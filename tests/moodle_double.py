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
from typing import Any, Callable
from urllib.parse import parse_qsl

EXCHANGES = Path(__file__).resolve().parent.parent.parent / "shared" / "moodle" / "exchanges"
PLUGIN_VERSION = "2026112800"
PLUGIN_FUNCTIONS = ("local_coursepack_save_scorm", "local_coursepack_get_results")
#: Real core functions outside the recorded service: calling them is "not in the service".
OTHER_CORE_FUNCTIONS = ("core_course_duplicate_course", "core_course_update_categories", "core_course_delete_categories",
                        "core_course_import_course", "core_user_get_users")
CHANGES = {"core_course_create_categories", "core_course_create_courses", "core_course_update_courses",
           "local_coursepack_save_scorm", "upload"}


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
        for part, following in zip(parts, parts[1:]):
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


def as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid_parameter() from None


class MoodleDouble:
    """State and behaviour; ``serve()`` puts it on HTTP."""

    def __init__(self, *, token: str = "TOKEN", plugin: bool = True, plugin_version: str = PLUGIN_VERSION,
                 languages: tuple[str, ...] = ("en",), upload_limit: int = -1, uploadfiles: int = 1,
                 missing_functions: tuple[str, ...] = (), manager: bool = True) -> None:
        self.token = token
        self.languages = set(languages)
        self.upload_limit = upload_limit
        self.uploadfiles = uploadfiles
        self.manager = manager
        self.webservices = True
        site = recorded_answer("01-site-info")
        self.service = [f["name"] for f in site["functions"] if f["name"] not in missing_functions]
        self.versions = {f["name"]: f["version"] for f in site["functions"]}
        if plugin:
            self.service += list(PLUGIN_FUNCTIONS)
            self.versions.update({name: plugin_version for name in PLUGIN_FUNCTIONS})
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
        self.calls: list[tuple[str, dict]] = []
        self.changes = 0
        #: (when, n): drop the connection "before" or "after" performing the n-th change
        self.crash: tuple[str, int] | None = None
        self.lock = threading.Lock()
        #: seconds to wait before answering, to make a client time out
        self.delay = 0.0
        self.now: Callable[[], int] = lambda: int(time.time())

    # --- dispatch ---------------------------------------------------------------------------------

    def rest(self, pairs: list[tuple[str, str]]) -> tuple[int, str, bytes]:
        form = dict(pairs)
        if not self.webservices:
            return 403, "text/html; charset=utf-8", b""
        function = form.get("wsfunction", "")
        params = unflatten([(k, v) for k, v in pairs if k not in ("wstoken", "wsfunction", "moodlewsrestformat")])
        try:
            if form.get("wstoken") != self.token:
                raise WsError("core\\exception\\moodle_exception", "invalidtoken", "Invalid token - token not found")
            exists = function in self.versions or function in OTHER_CORE_FUNCTIONS
            if not exists:
                raise WsError("dml_missing_record_exception", "invalidrecordunknown", "Can't find data record in database.")
            if function not in self.service:
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
                         source='O:8:"stdClass":1:{s:6:"source";s:%d:"%s";}' % (len(name.encode()), name))
            answer.append(entry)
        return answer

    # --- categories -----------------------------------------------------------------------------------

    def ws_core_webservice_get_site_info(self) -> dict:
        site = copy.deepcopy(recorded_answer("01-site-info"))
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
        return [copy.deepcopy(c) for c in sorted(matches, key=lambda c: c["sortorder"])]

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
            created.append({"id": ident, "name": record["name"]})
        return created

    # --- courses ----------------------------------------------------------------------------------------

    def ws_core_course_get_courses_by_field(self, field: str = "", value: str = "") -> dict:
        if field and field not in ("id", "ids", "shortname", "idnumber", "category"):
            raise invalid_parameter()
        key = {"category": "categoryid", "ids": "id"}.get(field, field)
        found = [c for c in self.courses.values() if not field or str(c[key]) == str(value)]
        return {"courses": [copy.deepcopy(c) for c in found], "warnings": []}

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
                          "You cannot execute functions in the category context (category id: %s)" % wanted["categoryid"])

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
        for wanted in courses:
            for required in ("fullname", "shortname", "categoryid"):
                if required not in wanted:
                    raise invalid_parameter()
            self._check_course(wanted, None)
            record = copy.deepcopy(recorded_answer("14-get-courses-by-field-idnumber-found")["courses"][0])
            ident = next(self._course_ids)
            record.update(id=ident, idnumber="", summary="", lang="", format="topics", enablecompletion=0,
                          timecreated=self.now())
            self._course_record(record, wanted)
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
            try:
                self._check_course(wanted, ident)
            except WsError as exc:  # update_courses reports each course's failure as a warning
                warnings.append({"item": "course", "itemid": ident, "warningcode": exc.body["errorcode"],
                                 "message": exc.body["message"]})
                continue
            self._course_record(self.courses[ident], wanted)
        return {"warnings": warnings}

    # --- SCORM activities ---------------------------------------------------------------------------

    def ws_core_course_get_contents(self, courseid: str) -> list:
        if as_int(courseid) not in self.courses:
            raise WsError("dml_missing_record_exception", "invalidrecordunknown", "Can't find data record in database.")
        sections = copy.deepcopy(recorded_answer("35-get-contents-empty-course"))
        for section in sections:
            section["modules"] = [copy.deepcopy(m) for m in section["modules"] if m.get("modname") != "scorm"]
        return sections

    def ws_core_course_get_course_module(self, cmid: str) -> dict:
        cm = self.cms.get(as_int(cmid))
        if cm is None:
            raise WsError("dml_missing_record_exception", "invalidrecordunknown", "Can't find data record in database.")
        return {"cm": copy.deepcopy(cm), "warnings": []}

    def ws_mod_scorm_get_scorms_by_courses(self, courseids: list | None = None) -> dict:
        wanted = {as_int(i) for i in courseids} if courseids else set(self.courses)
        scorms = [copy.deepcopy(s) for s in self.scorms.values() if s["course"] in wanted]
        if not self.manager:
            for scorm in scorms:
                for key in ("completionstatusrequired", "completionscorerequired", "completionstatusallscos"):
                    scorm.pop(key, None)
        answer = copy.deepcopy(recorded_answer("41-get-scorms-by-courses"))
        answer["scorms"] = scorms
        return answer

    def ws_local_coursepack_save_scorm(self, courseid: str, idnumber: str, name: str, section: str = "0",
                                       intro: str = "", draftitemid: str = "0", settings: dict | None = None) -> dict:
        """As moodle/local_coursepack/classes/external/save_scorm.php defines it."""
        course = self.courses.get(as_int(courseid))
        if course is None:
            raise WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table course.")
        if not self.manager:
            raise WsError("core\\exception\\required_capability_exception", "nopermissions",
                          "Sorry, but you do not currently have permissions to do that (Add a new SCORM package).")
        if not idnumber.strip():
            raise invalid_parameter()
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
        cm = next((c for c in self.cms.values() if c["course"] == course["id"] and c["idnumber"] == idnumber.strip()), None)
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
            cm.update(course=course["id"], instance=scorm["id"], name=name, idnumber=idnumber.strip(),
                      sectionnum=as_int(section), completion=2 if course["enablecompletion"] else 0, added=self.now())
            self.scorms[scorm["id"]], self.cms[cm["id"]] = scorm, cm
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

    def ws_local_coursepack_get_results(self, since: str = "0", afterid: str = "0", perpage: str = "100",
                                        identity: list | None = None) -> dict:
        """As moodle/local_coursepack/classes/external/get_results.php defines it (2026120100): the
        attempts whose (timemodified, attempt id) is after (since, afterid), in that order, of
        CoursePack activities only; identity fields only those asked for."""
        since_, after_, perpage_ = as_int(since), as_int(afterid), as_int(perpage)
        fields = list(identity) if identity else ["username"]
        if not 1 <= perpage_ <= 500 or any(f not in ("username", "idnumber", "email") for f in fields):
            raise invalid_parameter()
        ours = [a for a in self.attempts
                if self.cms[self.scorms[a["scormid"]]["coursemodule"]]["idnumber"].startswith("coursepack:")]
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

            def value(*elements: str) -> str:
                return next((str(tracks[e]) for e in elements if tracks.get(e, "") != ""), "")

            row = {"attemptid": attempt["id"], "userid": user["id"]}
            for name, key in (("username", "username"), ("idnumber", "useridnumber"), ("email", "email")):
                if name in fields:
                    row[key] = user.get(name, "")
            row.update({
                "courseid": course["id"], "courseidnumber": course["idnumber"],
                "cmid": cm["id"], "cmidnumber": cm["idnumber"], "scormid": scorm["id"], "attempt": attempt["attempt"],
                "lessonstatus": value("cmi.core.lesson_status", "cmi.completion_status"),
                "successstatus": value("cmi.success_status"),
                "scoreraw": value("cmi.core.score.raw", "cmi.score.raw"),
                "scoremin": value("cmi.core.score.min", "cmi.score.min"),
                "scoremax": value("cmi.core.score.max", "cmi.score.max"),
                "totaltime": value("cmi.core.total_time", "cmi.total_time"),
                "timemodified": attempt["timemodified"],
                "completionstate": attempt.get("completionstate", 0),
                "timecompleted": attempt.get("timecompleted", 0),
            })
            results.append(row)
        return {"results": results, "hasmore": len(rows) > perpage_, "timenow": self.now()}

    def change_attempt(self, ident: int, tracks: dict[str, str], timemodified: int, completionstate: int | None = None) -> None:
        """A learner goes on with an attempt: Moodle updates its tracks and its timemodified."""
        attempt = next(a for a in self.attempts if a["id"] == ident)
        attempt["tracks"].update(tracks)
        attempt["timemodified"] = timemodified
        if completionstate is not None:
            attempt["completionstate"] = completionstate
            attempt["timecompleted"] = timemodified if completionstate else 0

    # --- learners and their results (seeded by the tests) ------------------------------------------------

    def add_user(self, ident: int, username: str, idnumber: str = "", email: str = "") -> None:
        self.users[ident] = {"id": ident, "username": username, "idnumber": idnumber, "email": email}

    def add_attempt(self, userid: int, course_idnumber: str, activity_idnumber: str, attempt: int, tracks: dict[str, str],
                    timemodified: int, completionstate: int = 0) -> None:
        course = next(c for c in self.courses.values() if c["idnumber"] == course_idnumber)
        cm = next(c for c in self.cms.values() if c["course"] == course["id"] and c["idnumber"] == activity_idnumber)
        self.enrolments.setdefault(course["id"], set()).add(userid)
        self.attempts.append({"id": len(self.attempts) + 1, "userid": userid, "scormid": cm["instance"], "attempt": attempt,
                              "tracks": dict(tracks), "timemodified": timemodified, "completionstate": completionstate,
                              "timecompleted": timemodified if completionstate else 0})

    def _user_attempts(self, scormid: int, userid: int) -> list[dict]:
        return [a for a in self.attempts if a["scormid"] == scormid and a["userid"] == userid]

    def ws_core_enrol_get_enrolled_users(self, courseid: str) -> list:
        template = recorded_answer("52-get-enrolled-users")[0]
        users = []
        for ident in sorted(self.enrolments.get(as_int(courseid), ())):
            user = copy.deepcopy(template)
            user.update(self.users[ident])
            user.pop("idnumber", None)  # core_enrol_get_enrolled_users gives no ID number by default
            users.append(user)
        return users

    def ws_core_completion_get_activities_completion_status(self, courseid: str, userid: str) -> dict:
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
        return {"attemptscount": len(self._user_attempts(as_int(scormid), as_int(userid))), "warnings": []}

    def ws_mod_scorm_get_scorm_sco_tracks(self, scoid: str, userid: str, attempt: str = "0") -> dict:
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

    # --- HTTP ---------------------------------------------------------------------------------------------

    def serve(self) -> "DoubleServer":
        return DoubleServer(self)


class _Handler(BaseHTTPRequestHandler):
    double: MoodleDouble

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        if self.double.delay:
            time.sleep(self.double.delay)
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
                else:
                    status, content_type, answer = 404, "text/html", b"Not found"
        except ConnectionAbortedError:
            self.close_connection = True  # a killed client or a cut network: no answer at all
            return
        except Exception as exc:  # a bug in the double: make it loud in the test that hits it
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

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
