"""Everything that can go wrong talking to Moodle, as exceptions that carry no secret.

Messages are built from Moodle's errorcode (never from the class name, which Moodle writes in two
ways) and never include the token: callers print them as they are.
"""

from __future__ import annotations

from typing import Any


class MoodleError(Exception):
    """Moodle answered with an error (REST ``exception`` shape or upload.php's ``error`` shape)."""

    def __init__(self, errorcode: str, message: str, function: str = "", debuginfo: str = "") -> None:
        super().__init__(f"{function}: {errorcode}: {message}" if function else f"{errorcode}: {message}")
        self.errorcode = errorcode
        self.message = message
        self.function = function
        self.debuginfo = debuginfo


class WebServicesDisabled(MoodleError):
    """HTTP 403 with an empty body: web services are off for the whole site."""

    def __init__(self) -> None:
        super().__init__("webservicesdisabled", "web services are disabled on this site")


class MoodleUnreachable(Exception):
    """No usable answer: connection refused, timeout, DNS, or a body that is not Moodle's JSON."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class PartialFailure(MoodleError):
    """A call meant to change something answered with warnings instead of doing it."""

    def __init__(self, function: str, warnings: list[dict[str, Any]]) -> None:
        first = warnings[0] if warnings else {}
        super().__init__(str(first.get("warningcode", "warning")), str(first.get("message", "")), function)
        self.warnings = warnings
