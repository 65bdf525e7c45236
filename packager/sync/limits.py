"""Sync's tunable sizes, importable without the sync engine (the CLI shows them at start-up)."""

#: Statements per request: the fastest against Ralph among what it and ADL's LRS accept (bench/).
DEFAULT_BATCH = 500
