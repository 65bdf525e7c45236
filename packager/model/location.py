"""Where a catalogue is: the nearest folder holding a ``catalogue.yml``.

Kept apart from the catalogue model (and its pydantic import) because every command needs it
first, before anything else is loaded, to say which catalogue it works on.
"""

from __future__ import annotations

from pathlib import Path

SETTINGS_FILE = "catalogue.yml"


def find_root(path: Path) -> Path | None:
    """The catalogue folder holding ``path``: the nearest folder with a catalogue.yml."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return None
