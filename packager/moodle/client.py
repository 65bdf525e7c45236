"""A client for Moodle's REST web services (``/webservice/rest/server.php``) and file upload
(``/webservice/upload.php``), as a real Moodle 5.2 answers them (see shared/moodle/README.md).

Every REST answer is HTTP 200, errors included; only "web services disabled" is a 403 with an
empty body. The HTTP side is the shared transport (packager.utils.http): calls that only read are
retried with backoff, calls that change something are not once they may have reached Moodle, no
redirect is followed (the token is in the form body: it would be posted to the new address), and
the token is redacted from every message, Moodle's own error fields included.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import requests

from packager.moodle.encoding import flatten
from packager.moodle.errors import MoodleError, MoodleUnreachable, PartialFailure, WebServicesDisabled
from packager.moodle.functions import REPEATABLE
from packager.utils.http import HttpFailure, Transport
from packager.utils.reasons import Reason
from packager.utils.retry import Retry

REST_PATH = "/webservice/rest/server.php"
#: What the Moodle app calls before it logs in (no token): lib/ajax/service-nologin.php.
NOLOGIN_PATH = "/lib/ajax/service-nologin.php"
UPLOAD_PATH = "/webservice/upload.php"


def is_read_only(function: str) -> bool:
    """Moodle names functions that only read ``…_get_…``: those are safe to repeat."""
    return "_get_" in function


class MoodleClient:
    def __init__(self, url: str, token: str, *, timeout: float = 60.0, retry: Retry | None = None) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self.transport = Transport(self.url + "/", secrets=(token,), deadline=timeout, retry=retry)

    def copy(self) -> MoodleClient:
        """Another client to the same site, for another thread (a session is not shared)."""
        return MoodleClient(self.url, self._token, timeout=self.transport.deadline, retry=self.transport.retry)

    def __repr__(self) -> str:  # never show the token, even in a debugger or a log
        return f"MoodleClient({self.url!r})"

    def redact(self, text: str) -> str:
        return self.transport.redact(text)

    # --- transport -------------------------------------------------------------------------

    def _post(self, path: str, *, data: Any, files: Any = None, safe: bool) -> requests.Response:
        try:
            response = self.transport.request("POST", self.url + path, data=data, files=files, idempotent=safe)
        except HttpFailure as exc:
            raise MoodleUnreachable(self.url, exc.reason) from None
        return response

    def _json(self, response: requests.Response) -> Any:
        if response.status_code == 403 and not response.content.strip():
            raise WebServicesDisabled()
        try:
            return orjson.loads(response.content)
        except ValueError:
            raise MoodleUnreachable(self.url, Reason("not_service", status=response.status_code)) from None

    def _error(self, body: dict[str, Any], function: str, message_key: str) -> MoodleError:
        return MoodleError(self.redact(str(body.get("errorcode", ""))), self.redact(str(body.get(message_key, "") or "")),
                           function, self.redact(str(body.get("debuginfo", "") or "")))

    # --- REST --------------------------------------------------------------------------------

    def call(self, function: str, **params: Any) -> Any:
        """Call one web service function; raise MoodleError on Moodle's error answer."""
        data = [("wstoken", self._token), ("wsfunction", function), ("moodlewsrestformat", "json")]
        data += flatten(params)
        body = self._json(self._post(REST_PATH, data=data, safe=is_read_only(function) or function in REPEATABLE))
        if isinstance(body, dict) and "exception" in body and "errorcode" in body:
            raise self._error(body, function, "message")
        return body

    def change(self, function: str, **params: Any) -> Any:
        """A call meant to change something: warnings mean it did not happen."""
        body = self.call(function, **params)
        if isinstance(body, dict) and body.get("warnings"):
            raise PartialFailure(function, json.loads(self.redact(json.dumps(body["warnings"]))))
        return body

    def public_call(self, function: str, **args: Any) -> Any:
        """A function Moodle lets anyone call without a token, the way the Moodle app calls it
        (lib/ajax/service-nologin.php, a JSON list of calls): ``tool_mobile_get_public_config``."""
        try:
            response = self.transport.request("POST", f"{self.url}{NOLOGIN_PATH}?info={function}",
                                              json=[{"index": 0, "methodname": function, "args": args}], idempotent=True)
        except HttpFailure as exc:
            raise MoodleUnreachable(self.url, exc.reason) from None
        body = self._json(response)
        if isinstance(body, dict) and "errorcode" in body:  # the whole request refused (unknown function)
            raise self._error(body, function, "error")
        answer = body[0] if isinstance(body, list) and body else {}
        if answer.get("error"):
            exception = answer.get("exception") or {}
            raise MoodleError(self.redact(str(exception.get("errorcode", ""))), self.redact(str(exception.get("message", ""))),
                              function)
        return answer.get("data")

    # --- files ---------------------------------------------------------------------------------

    def upload(self, filename: str, content: bytes, itemid: int = 0) -> int:
        """Put a file in the caller's draft area; return the draft item id."""
        data = {"token": self._token, "itemid": str(itemid), "filepath": "/"}
        files = {"file_1": (filename, content, "application/zip")}
        body = self._json(self._post(UPLOAD_PATH, data=data, files=files, safe=False))
        if isinstance(body, dict) and "errorcode" in body:
            raise self._error(body, "upload", "error")
        if not isinstance(body, list) or not body:
            raise MoodleError("uploadfailed", "upload.php stored no file", "upload")
        entry = body[0]
        if "errortype" in entry:
            raise MoodleError(self.redact(str(entry["errortype"])), self.redact(str(entry.get("error", ""))), "upload")
        return int(entry["itemid"])
