"""Sync's tunable sizes, importable without the sync engine (the CLI shows them at start-up)."""

#: Statements per request: the fastest that both Ralph and ADL's reference LRS accept, measured by
#: bench/sync_bench.py --sweep (raw ingest, statements/s, 2 cores; Ralph 10,000 on a fresh store,
#: ADL 2,000, 4 gunicorn workers): 100: 1,326 | 69; 250: 2,921 | 66; 500: 4,098 | 67;
#: 1000: 4,983 | 72; 2000: Ralph 6,195, ADL refuses it (400: a body over Django's 2.5 MB
#: DATA_UPLOAD_MAX_MEMORY_SIZE; 1000 of our statements weigh 1.7 MB, 2.0 MB at most). A refused
#: batch is split anyway (lrs/client.py), so larger statements cost requests, never a statement.
DEFAULT_BATCH = 1000
