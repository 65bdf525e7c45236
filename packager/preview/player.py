"""The preview's player: the SCORM 1.2 page plus the xAPI tracker, kept in memory.

Not an output format: a ``Player`` without a manifest (nothing is written to disk, the preview's
own page plays the LMS), so it is not a ``Builder``.
"""

from __future__ import annotations

from packager.packaging.builders.player import Player


class PreviewPlayer(Player):
    api = "preview"
    scripts = ("tracker-xapi.js",)
