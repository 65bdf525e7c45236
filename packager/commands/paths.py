"""Default places of the tool's own files, known to the CLI before any command is loaded."""

from pathlib import Path

#: the sync cursor (last Moodle time the LRS acknowledged)
DEFAULT_STATE = Path("~/.local/state/coursepack/sync.json")
