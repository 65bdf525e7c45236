"""One module per CLI command: each takes plain arguments, does the work, returns an exit code."""
