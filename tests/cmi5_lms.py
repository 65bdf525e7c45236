"""A strict cmi5 LMS for the tests, written from the spec (AICC CMI-5_Spec_Current), in front of a
real Ralph LRS. It serves the AU, its one-time fetch URL (§8.2), LMS.LaunchData (§10) and the
learner preferences (§11); it refuses the statements of an ended session with 403 (§9.3.8:
a second after terminated, or at once when a later launch abandons it, §9.3.6) and refuses with 400, noting why, any
statement that breaks the verb rules (§9.3), the moveOn category rule (§9.6.2.2), the mastery
score rules (§9.3.4, §9.3.5, §9.6.3.2) or the launch mode (§10, Browse and Review)."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import requests

from lrs_support import PASSWORD, USERNAME, Ralph

CMI5 = "https://w3id.org/xapi/cmi5/context/"
CMI5_CATEGORY = CMI5 + "categories/cmi5"
MOVEON_CATEGORY = CMI5 + "categories/moveon"
SESSION_ID = CMI5 + "extensions/sessionid"
MASTERY = CMI5 + "extensions/masteryscore"
#: §9.3.8: after terminated the LMS waits "a specified period of time" before refusing statements.
GRACE_SECONDS = 1.0
ACTOR = {"objectType": "Agent", "name": "Agent Un", "account": {"homePage": "https://lms.example.org", "name": "agent1"}}


def verb_of(statement: dict) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


class StrictLms:
    """Launch sessions of one registration; ``violations`` and ``refused`` say what it turned down."""

    def __init__(self, web: Path, ralph: Ralph, activity_id: str, grouping: str) -> None:
        self.ralph = ralph
        self.activity_id = activity_id
        self.grouping = grouping
        self.registration = str(uuid.uuid4())
        self.states: dict[tuple, bytes] = {}
        self.preferences: dict | None = None
        self.preference_reads = 0
        self.sessions: dict[str, dict[str, Any]] = {}
        self.fetches = 0
        self.statement_reads = 0
        self.down = False  # statements answered 503, as a busy or unreachable LMS
        self.violations: list[str] = []
        self.refused: list[tuple[int, str]] = []
        self.registration_verbs: list[str] = []
        self.stored: set[str] = set()  # statement ids already recorded: a re-sent one is judged once
        self.lock = threading.Lock()
        lms = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(web), **kwargs)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def reply(self, status: int, body: bytes = b"") -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length", 0)))

            def query(self) -> dict[str, str]:
                return {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}

            def session(self) -> dict | None:
                auth = self.headers.get("Authorization", "")
                return next((s for s in lms.sessions.values() if auth == "Basic " + s["token"]), None)

            def do_GET(self) -> None:
                path = urlparse(self.path).path
                if path.startswith("/lrs/"):
                    if self.session() is None:
                        return self.reply(401)
                    q = self.query()
                    if path == "/lrs/activities/state":
                        document = lms.states.get((q.get("stateId"), q.get("activityId"), q.get("registration")))
                        return self.reply(200, document) if document is not None else self.reply(404)
                    if path == "/lrs/statements":  # the AU's own statements, read back (xAPI §2.1.3 filters)
                        answer = requests.get(ralph.endpoint + "statements", params=q, auth=(USERNAME, PASSWORD), timeout=10,
                                              headers={"X-Experience-API-Version": "1.0.3"})
                        lms.statement_reads += 1
                        return self.reply(answer.status_code, answer.content)
                    if path == "/lrs/agents/profile" and q.get("profileId") == "cmi5LearnerPreferences":
                        lms.preference_reads += 1
                        return self.reply(200, json.dumps(lms.preferences).encode()) if lms.preferences else self.reply(404)
                    return self.reply(404)
                return super().do_GET()

            def do_PUT(self) -> None:
                path = urlparse(self.path).path
                session = self.session()
                if session is None:
                    return self.reply(401)
                if path == "/lrs/activities/state":
                    q = self.query()
                    if q.get("stateId") == "LMS.LaunchData":
                        lms.violations.append("the AU wrote LMS.LaunchData (§10)")
                        return self.reply(403)
                    lms.states[(q.get("stateId"), q.get("activityId"), q.get("registration"))] = self.body()
                    return self.reply(204)
                if path == "/lrs/statements":
                    return self.statements([json.loads(self.body())], "PUT")
                return self.reply(404)

            def do_POST(self) -> None:
                path = urlparse(self.path).path
                if path.startswith("/fetch/"):
                    with lms.lock:
                        lms.fetches += 1
                        session = lms.sessions.get(path[len("/fetch/"):])
                        if session is None or session["fetched"]:  # one-time URL (§8.2.3.1)
                            return self.reply(200, json.dumps({"error-code": "1", "error-text": "already fetched"}).encode())
                        session["fetched"] = True
                    return self.reply(200, json.dumps({"auth-token": session["token"]}).encode())
                if path == "/lrs/statements":
                    if self.session() is None:
                        return self.reply(401)
                    received = json.loads(self.body())
                    return self.statements(received if isinstance(received, list) else [received], "POST")
                return self.reply(404)

            def statements(self, batch: list[dict], method: str) -> None:
                with lms.lock:
                    if lms.down:
                        return self.reply(503)
                    for statement in batch:
                        sid = statement.get("context", {}).get("extensions", {}).get(SESSION_ID)
                        session = lms.sessions.get(sid)
                        if session is None or session["ended"] or time.monotonic() > session["closes"]:
                            lms.refused.append((403, verb_of(statement)))
                            return self.reply(403, b'{"error": "session ended"}')
                    problems = lms.check(batch)
                    if problems:
                        lms.violations += problems
                        return self.reply(400, json.dumps(problems).encode())
                    target = ralph.endpoint + "statements" + ("?" + urlparse(self.path).query if method == "PUT" else "")
                    answer = requests.request(method, target, data=json.dumps(batch if method == "POST" else batch[0]),
                                              auth=(USERNAME, PASSWORD), timeout=10,
                                              headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"})
                    if answer.ok:
                        lms.record(batch)
                    self.reply(answer.status_code, answer.content)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    # ------------------------------------------------------------------ sessions
    def launch(self, mode: str = "Normal", move_on: str = "CompletedAndPassed", mastery: float | None = 0.8) -> str:
        """A new session: the previous one is abandoned (§9.3.6); returns the launch URL."""
        for session in self.sessions.values():
            session["ended"] = True  # abandoned
        sid = str(uuid.uuid4())
        token = base64.b64encode(f"au-{sid}:{uuid.uuid4()}".encode()).decode()
        self.sessions[sid] = {"token": token, "fetched": False, "ended": False, "mode": mode, "verbs": [], "mastery": mastery,
                              "closes": float("inf")}
        data = {"contextTemplate": {"contextActivities": {"grouping": [{"id": self.grouping}]}, "extensions": {SESSION_ID: sid}},
                "launchMode": mode, "launchMethod": "AnyWindow", "returnURL": self.url + "/returned.html", "moveOn": move_on}
        if mastery is not None:
            data["masteryScore"] = mastery
        self.states[("LMS.LaunchData", self.activity_id, self.registration)] = json.dumps(data).encode()
        self.current = sid
        return (f"{self.url}/cmi5/index.html?endpoint={quote(self.url + '/lrs/')}&fetch={quote(self.url + '/fetch/' + sid)}"
                f"&actor={quote(json.dumps(ACTOR))}&registration={self.registration}&activityId={quote(self.activity_id)}")

    def resume_state(self) -> dict | None:
        """The AU's own state document for this registration, as the LMS holds it."""
        found = [json.loads(v) for (state_id, _a, reg), v in self.states.items() if state_id != "LMS.LaunchData" and reg == self.registration]
        return found[0] if found else None

    # ------------------------------------------------------------------ the rules
    def check(self, batch: list[dict]) -> list[str]:
        problems: list[str] = []
        seen_session: dict[str, list[str]] = {}
        registration = list(self.registration_verbs)
        for statement in batch:
            if statement.get("id") in self.stored:
                continue
            sid = statement["context"]["extensions"][SESSION_ID]
            session = self.sessions[sid]
            verbs = seen_session.setdefault(sid, list(session["verbs"]))
            verb = verb_of(statement)
            categories = [a["id"] for a in statement["context"].get("contextActivities", {}).get("category", [])]
            result = statement.get("result", {})
            if statement["context"].get("registration") != self.registration:
                problems.append(f"{verb}: wrong registration")
            if session.get("initialized_at") and statement["timestamp"] < session["initialized_at"]:
                problems.append(f"{verb} before initialized (§9.3.2)")
            if CMI5_CATEGORY in categories:
                if verb in verbs:
                    problems.append(f"second {verb} in one session (§9.3)")
                if verb in ("passed", "failed") and {"passed", "failed"} & set(verbs):
                    problems.append(f"{verb} after {'passed' if 'passed' in verbs else 'failed'} in one session (§9.3)")
                if verb in ("completed", "passed") and verb in registration:
                    problems.append(f"second {verb} in the registration (§9.3)")
                if verb == "failed" and "passed" in registration:
                    problems.append("failed after passed in the registration (§9.3)")
                wants_moveon = "success" in result or "completion" in result
                if wants_moveon != (MOVEON_CATEGORY in categories):
                    problems.append(f"{verb}: moveOn category {'missing' if wants_moveon else 'not allowed'} (§9.6.2.2)")
                if session["mode"] != "Normal" and verb not in ("initialized", "terminated"):
                    problems.append(f"{verb} in {session['mode']} mode (§10)")
                if verb in ("passed", "failed") and session["mastery"] is not None:
                    scaled = result.get("score", {}).get("scaled")
                    if statement["context"].get("extensions", {}).get(MASTERY) != session["mastery"]:
                        problems.append(f"{verb} without the mastery score (§9.6.3.2)")
                    if scaled is not None and (scaled >= session["mastery"]) != (verb == "passed"):
                        problems.append(f"{verb} with scaled score {scaled} against mastery {session['mastery']} (§9.3.4, §9.3.5)")
                verbs.append(verb)
                if verb in ("completed", "passed", "failed"):
                    registration.append(verb)
            elif "terminated" in verbs:
                problems.append(f"{verb} after terminated (§9.3.8)")
        return problems

    def record(self, batch: list[dict]) -> None:
        for statement in batch:
            if statement.get("id") in self.stored:
                continue
            self.stored.add(statement.get("id"))
            categories = [a["id"] for a in statement["context"].get("contextActivities", {}).get("category", [])]
            if CMI5_CATEGORY not in categories:
                continue
            session = self.sessions[statement["context"]["extensions"][SESSION_ID]]
            verb = verb_of(statement)
            session["verbs"].append(verb)
            if verb == "initialized":
                session["initialized_at"] = statement["timestamp"]
            if verb in ("completed", "passed", "failed"):
                self.registration_verbs.append(verb)
            if verb == "terminated":
                session["closes"] = time.monotonic() + GRACE_SECONDS

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
