"""Defaults the CLI shows in ``--help`` before any command is loaded (commands import lazily)."""

from pathlib import Path

#: the sync state (cursor, actor form, statements set aside)
DEFAULT_STATE = Path("~/.local/state/coursepack/sync.json")
#: the report's local store of the LRS's statements
DEFAULT_STORE = Path("~/.local/state/coursepack/report.sqlite")
#: how long the report's store keeps a statement (its time): three years, then it is purged
DEFAULT_KEEP_DAYS = 3 * 365
