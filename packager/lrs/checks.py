"""Whether the LRS is ready: it answers a statements query with the configured credentials, in xAPI."""

from __future__ import annotations

from packager.lrs.client import XAPI_VERSION, LrsClient, LrsError, LrsUnavailable
from packager.utils.checks import Check
from packager.utils.reasons import Reason, in_language
from packager.utils.retry import Retry

_T = {
    "fr": {"lrs": "LRS", "no_lrs": "non configuré (LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD)",
           "lrs_fix": "Vérifiez l'adresse et les identifiants du LRS.",
           "lrs_address": "Corrigez LRS_ENDPOINT ou [lrs] endpoint du fichier de configuration."},
    "en": {"lrs": "LRS", "no_lrs": "not configured (LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD)",
           "lrs_fix": "Check the LRS address and credentials.",
           "lrs_address": "Fix LRS_ENDPOINT or [lrs] endpoint in the config file."},
}


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
        if isinstance(exc.reason, Reason) and exc.reason.kind == "address":
            return Check(t["lrs"], False, in_language(exc.reason, lang), t["lrs_address"])
        return Check(t["lrs"], False, f"{endpoint}: {in_language(exc.reason, lang)}", t["lrs_fix"])
    except LrsError as exc:
        return Check(t["lrs"], False, f"{endpoint}: HTTP {exc.status} {in_language(exc.detail, lang)[:120]}", t["lrs_fix"])
    return Check(t["lrs"], True, f"{endpoint}: xAPI {XAPI_VERSION}")
