"""Which Moodle site a sync talks to, by what the site says of itself, never by the address used.

The same site answers at several addresses (``127.0.0.1`` and ``localhost``, http and https, a
reverse proxy) and moves (a new host name). Keying the sync state by the address, or building
statement ids from it, sent every result again under each address. So:

- with the companion plugin (1.2.0 and later), ``local_coursepack_get_status`` gives the site's
  own identifier (``$CFG->siteidentifier``) and the *statement home*: the site's address as the
  plugin stored it once, at install or upgrade. A site moved later keeps both; a site upgraded
  from a version that built ids from its address keeps exactly the ids it had;
- without it (or with an older plugin), ``core_webservice_get_site_info``'s ``siteurl``: Moodle's
  own ``$CFG->wwwroot``, whatever address the client was given. Only moving the site itself
  (a new wwwroot) changes it; install the plugin before a move.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from packager.moodle.client import MoodleClient
from packager.moodle.functions import GET_RESULTS, GET_STATUS


@dataclass(frozen=True)
class Site:
    """A Moodle site as sync names it."""

    #: what the sync state is keyed by: ``site:<digest of the site identifier>``, or the wwwroot
    key: str
    #: the base of the activity IRIs and of the learners' account homePage in statements
    home: str
    #: Moodle's own address (site info), for taking over states keyed by an address
    wwwroot: str
    #: the plugin's get_results is in the token's service
    plugin: bool
    #: that get_results takes ``catalogue`` (plugin 1.2.0 and later)
    scoped: bool


def _functions(info: dict[str, Any]) -> set[str]:
    return {str(f.get("name")) for f in info.get("functions", [])}


def identify(client: MoodleClient) -> Site:
    """One site info call, and one get_status call when the plugin offers it."""
    info = client.call("core_webservice_get_site_info")
    wwwroot = str(info.get("siteurl") or client.url).rstrip("/")
    functions = _functions(info)
    plugin = GET_RESULTS in functions
    if GET_STATUS in functions:
        status = client.call(GET_STATUS)
        identifier, home = status.get("siteidentifier"), status.get("statementhome")
        if identifier and home:
            digest = hashlib.sha256(str(identifier).encode()).hexdigest()[:20]
            return Site(f"site:{digest}", str(home).rstrip("/"), wwwroot, plugin, True)
    return Site(wwwroot, wwwroot, wwwroot, plugin, False)
