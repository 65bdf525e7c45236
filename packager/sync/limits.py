"""Sync's tunable sizes, importable without the sync engine (the CLI shows them at start-up)."""

#: Statements per request: the fastest against Ralph in bench/sync_bench.py --sweep (1000: 2,746 statements/s,
#: 500: 1,675, 100: 1,162), within what Ralph and ADL accept; a 413 halves it anyway.
DEFAULT_BATCH = 1000
