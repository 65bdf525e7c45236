"""Publish figures: web service calls and seconds of a first publish and of an unchanged
re-publish of the embedded catalogue.

Against the Moodle double (tests/moodle_double.py) always; against a live Moodle too when
MOODLE_URL and MOODLE_TOKEN are set (the live site keeps what it was given: run it on a test
site). The issue's reference: an unchanged re-publish took 74 calls before the plugin's state
function; the target is at most 25. Run: .venv/bin/python bench/publish_bench.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from moodle_double import MoodleDouble  # noqa: E402
from packager.commands import publish  # noqa: E402
from packager.moodle.client import MoodleClient  # noqa: E402
from packager.resources import embedded_catalogue  # noqa: E402


class CountingClient(MoodleClient):
    """Counts what crosses the wire, by function (uploads as "upload")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counts: Counter[str] = Counter()

    def call(self, function: str, **params: Any) -> Any:
        self.counts[function] += 1
        return super().call(function, **params)

    def upload(self, filename: str, content: bytes, itemid: int = 0) -> int:
        self.counts["upload"] += 1
        return super().upload(filename, content, itemid)


def run(url: str, token: str, out: Path, label: str) -> None:
    for name in ("1st run", "2nd run (unchanged)"):
        client = CountingClient(url, token)
        start = time.perf_counter()
        code = publish.run(embedded_catalogue(), moodle_url=url, config_file=None, out=out, dry_run=False, client=client)
        seconds = time.perf_counter() - start
        writes = sum(n for f, n in client.counts.items() if not ("_get_" in f or f == "upload"))
        print(f"{label:<8} {name:<22} exit {code}  calls {sum(client.counts.values()):>4}  writes {writes:>3}  "
              f"uploads {client.counts['upload']:>3}  {seconds:6.2f} s", file=sys.__stdout__)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        double = MoodleDouble(token="bench")
        server = double.serve()
        try:
            run(server.url, "bench", Path(tmp) / "dist-double", "double")
        finally:
            server.close()
        if os.environ.get("MOODLE_URL") and os.environ.get("MOODLE_TOKEN"):
            run(os.environ["MOODLE_URL"], os.environ["MOODLE_TOKEN"], Path(tmp) / "dist-live", "live")
    print("reference: unchanged re-publish before this version: 74 calls, 3 course updates; target ≤ 25 calls, 0 writes")


if __name__ == "__main__":
    main()
