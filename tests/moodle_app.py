"""The Moodle app's SCORM 1.2 player for the tests: its runtime (tests/browser/moodle_app_scorm12.js,
a test double written from moodlehq/moodleapp, see its header) in a top page, the package in a
frame as the app's player page shows it, and a small Moodle answering the one web service the
runtime calls, mod_scorm_insert_scorm_tracks, recording every track it is sent.

What the runtime is given at launch follows Moodle's ``get_scorm_default`` for SCORM 1.2 (what
mod_scorm_get_scorm_user_data returns as ``defaultdata``): online, the SCO's mastery score from
the manifest's adlcp:masteryscore; offline, none, as the app builds an offline attempt itself.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from browser_support import BROWSER_DIR

TOKEN = "app-token-0123456789abcdef"
SCO_ID = 7
ELEMENT = re.compile(r"^tracks\[(\d+)\]\[(element|value)\]$")

APP_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Moodle app player (test double)</title><link rel="icon" href="data:,">
<script src="moodle_app_scorm12.js"></script></head>
<body>
<iframe id="sco" title="SCO" style="width: 400px; height: 700px; border: 0"></iframe>
<script>
"use strict";
/* The player page: the runtime in window.API, the SCO in a frame; leaving the page empties the
   frame's src (ngOnDestroy), which unloads the SCO. */
window.app = {
  model: null,
  launch: function (config, src) {
    window.app.model = new MoodleAppScorm12(config);
    window.API = window.app.model;
    document.getElementById("sco").src = src;
  },
  leave: function () { document.getElementById("sco").src = ""; },
  view: function () {
    var m = window.app.model;
    return { calls: m.calls, events: m.events, requests: m.requests, pending: m.pending(), offline: m.offline };
  }
};
</script>
</body>
</html>
"""


def default_data(mastery: str, tracks: dict[str, str] | None = None) -> dict[str, str]:
    """Moodle's defaultdata of a SCORM 1.2 SCO for a learner: the attempt's tracks so far, and the
    SCO's data (mastery score) when the app got it from Moodle."""
    tracks = tracks or {}
    status = tracks.get("cmi.core.lesson_status", "")
    entry = "ab-initio" if not status else "resume" if tracks.get("cmi.core.exit") == "suspend" else ""
    data = {
        "cmi.core.student_id": "agent1", "cmi.core.student_name": "Un, Agent", "cmi.core.credit": "credit",
        "cmi.core.entry": entry, "cmi.core.lesson_mode": "normal", "cmi.launch_data": "",
        "cmi.student_data.mastery_score": mastery, "cmi.student_data.max_time_allowed": "",
        "cmi.student_data.time_limit_action": "", "cmi.core.total_time": tracks.get("cmi.core.total_time", "00:00:00"),
        "cmi.comments": "", "cmi.student_preference.language": "", "cmi.student_preference.audio": "",
        "cmi.student_preference.speed": "", "cmi.student_preference.text": "",
    }
    for element in ("cmi.core.lesson_location", "cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.score.max",
                    "cmi.core.score.min", "cmi.core.exit", "cmi.suspend_data"):
        data[element] = tracks.get(element, "")
    return data


def mastery_of(package: Path) -> str:
    """The manifest's adlcp:masteryscore, as Moodle keeps it in the SCO's data ("" when none)."""
    found = re.search(r"<adlcp:masteryscore>([^<]*)</adlcp:masteryscore>", (package / "imsmanifest.xml").read_text(encoding="utf-8"))
    return found.group(1) if found else ""


class MoodleApp:
    """Serves ``web`` (the packages), the app's player page and the web service; ``tracks`` holds
    what Moodle recorded, by attempt: {attempt: {element: value}}."""

    def __init__(self, web: Path) -> None:
        web.mkdir(parents=True, exist_ok=True)
        (web / "moodle_app.html").write_text(APP_PAGE, encoding="utf-8")
        shutil.copy(BROWSER_DIR / "moodle_app_scorm12.js", web / "moodle_app_scorm12.js")
        self.web = web
        self.tracks: dict[int, dict[str, str]] = {}
        self.posts: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        app = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(web), **kwargs)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
                pass

            def do_POST(self) -> None:
                url = urlparse(self.path)
                form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8"), keep_blank_values=True)
                fields = {k: v[0] for k, v in form.items()}
                if url.path != "/webservice/rest/server.php" or parse_qs(url.query).get("moodlewsrestformat") != ["json"]:
                    return self.reply(404, {"error": "not found"})
                if fields.get("wstoken") != TOKEN:
                    return self.reply(200, {"exception": "moodle_exception", "errorcode": "invalidtoken",
                                            "message": "Invalid token - token not found"})
                if fields.get("wsfunction") != "mod_scorm_insert_scorm_tracks":
                    return self.reply(200, {"exception": "dml_missing_record_exception", "errorcode": "invalidrecord",
                                            "message": "Can't find data record in database table external_functions."})
                return self.reply(200, app.insert(fields))

            def reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def insert(self, fields: dict[str, str]) -> dict[str, Any]:
        """mod_scorm_insert_scorm_tracks: each track stored (the last value wins), one id each."""
        pairs: dict[int, dict[str, str]] = {}
        for key, value in fields.items():
            if match := ELEMENT.match(key):
                pairs.setdefault(int(match.group(1)), {})[match.group(2)] = value
        if int(fields.get("scoid", 0)) != SCO_ID:
            return {"exception": "moodle_exception", "errorcode": "cannotfindsco", "message": "Cannot find SCO"}
        attempt = int(fields.get("attempt", 1))
        with self.lock:
            stored = self.tracks.setdefault(attempt, {})
            ids = []
            for index in sorted(pairs):
                stored[pairs[index]["element"]] = pairs[index]["value"]
                ids.append(len(self.posts) * 1000 + index + 1)
            self.posts.append({"attempt": attempt, "tracks": [pairs[i] for i in sorted(pairs)]})
        return {"trackids": ids, "warnings": []}

    def config(self, package: Path, *, online: bool, attempt: int = 1, standard: bool = False) -> dict[str, Any]:
        """What the app's player gives the runtime for ``package``: online with Moodle's data, or an
        offline attempt (no network, no mastery score). ``standard``: the site's scormstandard
        setting (off by default in Moodle: the runtime then widens some string limits)."""
        return {
            "scoId": SCO_ID, "attempt": attempt, "offline": not online, "network": online, "mode": "normal",
            "scormStandard": standard, "siteUrl": self.url, "token": TOKEN,
            "defaultdata": default_data(mastery_of(package) if online else "", self.tracks.get(attempt) if online else None),
            "userdata": {},
        }

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def eventual(recorded: dict[str, str], pending: list[dict[str, Any]]) -> dict[str, str]:
    """What Moodle holds once the app has synced its offline store: the recorded tracks, then the
    pending ones in order."""
    merged = dict(recorded)
    for track in pending:
        merged[track["element"]] = str(track["value"])
    return merged
