"""Sync figures: 50,000 Moodle results to Ralph, the client's own time side by side with Ralph's
raw ingest of the very same statements, and the batch size that ingests fastest.

Runs the real path: the Moodle double (tests/moodle_double.py) holds the results and serves the
plugin's keyset-paged function; the engine reads, builds and sends them to a Ralph LRS started here
(tests/lrs_support.py). "Raw ingest" is Ralph storing the same statements POSTed by a bare
``requests`` loop, on a fresh store of its own. The client-side time is the sync's wall time minus
the time spent waiting for the LRS and minus the double's own serving time. Target (issue 10):
client-side < 10 % of the raw ingest. Prints figures; nothing asserts on them.
Run: .venv/bin/python bench/sync_bench.py [RESULTS] [--sweep]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import requests  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from lrs_support import PASSWORD, USERNAME, Ralph  # noqa: E402
from moodle_double import MoodleDouble  # noqa: E402
from packager.cli import cli  # noqa: E402
from packager.lrs.client import LrsClient  # noqa: E402
from packager.model.checks import validate_catalogue  # noqa: E402
from packager.moodle.client import MoodleClient  # noqa: E402
from packager.resources import embedded_catalogue  # noqa: E402
from packager.sync.engine import DEFAULT_BATCH, SyncState, sync  # noqa: E402
from packager.sync.statements import ActorPolicy  # noqa: E402

TOKEN = "bench0123456789abcdef0123456789ab"
STATUSES = [("passed", "90"), ("failed", "40"), ("completed", ""), ("incomplete", "")]


class Timed:
    """Wall time spent inside a callable (the LRS's answers, the double's serving)."""

    def __init__(self, function):
        self.function, self.seconds = function, 0.0

    def __call__(self, *args, **kwargs):
        began = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - began


def raw_ingest(root: Path, name: str, statements: list[dict], batch: int) -> float:
    """Seconds Ralph takes to store these statements POSTed bare, on a fresh store."""
    ralph = Ralph(root / name)
    ralph.start()
    try:
        session = requests.Session()
        session.auth = (USERNAME, PASSWORD)
        session.headers["X-Experience-API-Version"] = "1.0.3"
        began = time.perf_counter()
        for start in range(0, len(statements), batch):
            response = session.post(ralph.endpoint + "statements", json=statements[start:start + batch], timeout=600)
            response.raise_for_status()
        return time.perf_counter() - began
    finally:
        ralph.stop()


def main(total: int, sweep: bool) -> None:
    catalogue = validate_catalogue(embedded_catalogue())
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        double = MoodleDouble(token=TOKEN)
        server = double.serve()
        os.environ["MOODLE_TOKEN"] = TOKEN
        os.environ["COURSEPACK_CONFIG"] = str(root / "none.toml")
        published = CliRunner().invoke(cli, ["publish", "--moodle-url", server.url, "--out", str(root / "dist")])
        assert published.exit_code == 0, published.output
        activities = [(double.courses[cm["course"]]["idnumber"], cm["idnumber"]) for cm in double.cms.values()
                      if cm["idnumber"].startswith("coursepack:")]
        learners = max(1, total // len(activities))
        for ident in range(learners):
            double.add_user(1000 + ident, f"agent{ident:05d}")
        start = 1_795_000_000
        for n in range(total):
            course, activity = activities[n % len(activities)]
            status, score = STATUSES[n % len(STATUSES)]
            tracks = {"cmi.core.lesson_status": status, "cmi.core.total_time": "00:07:30.00"}
            if score:
                tracks.update({"cmi.core.score.raw": score, "cmi.core.score.min": "0", "cmi.core.score.max": "100"})
            double.add_attempt(1000 + (n // len(activities)) % learners, course, activity, 1 + n // (len(activities) * learners),
                               tracks, start + n // 3, 1 if status in ("passed", "completed") else 0)
        serving = Timed(double.rest)
        double.rest = serving
        moodle = MoodleClient(server.url, TOKEN, timeout=300)
        actor = ActorPolicy(moodle_url=server.url)

        began = time.perf_counter()
        dry = sync(catalogue, moodle, LrsClient("http://127.0.0.1:9/xAPI/", None, None), SyncState(root / "dry.json"), actor,
                   dry_run=True)
        built = time.perf_counter() - began
        statements = dry.statements
        print(f"{dry.results:,} Moodle results → {len(statements):,} statements ({len(activities)} activities, {learners} learners)")
        print(f"  read (plugin, keyset pages) + build, dry run   {built:7.2f} s   (of which the double serving {serving.seconds:5.2f} s)")

        if sweep:
            sample = statements[:10_000]
            print(f"  Ralph raw ingest of {len(sample):,} statements by batch size (fresh store each):")
            for batch in (100, 250, 500, 1000):
                seconds = raw_ingest(root, f"sweep{batch}", sample, batch)
                print(f"    batch {batch:5d}   {seconds:7.2f} s   {len(sample) / seconds:7,.0f} statements/s")

        raw = raw_ingest(root, "raw", statements, DEFAULT_BATCH)
        ralph = Ralph(root / "ralph")
        ralph.start()
        try:
            lrs = LrsClient(ralph.endpoint, USERNAME, PASSWORD, timeout=600)
            waiting = Timed(lrs.transport.request)
            lrs.transport.request = waiting  # type: ignore[method-assign]
            serving.seconds = 0.0
            began = time.perf_counter()
            outcome = sync(catalogue, moodle, lrs, SyncState(root / "sync.json"), actor)
            wall = time.perf_counter() - began
            client = wall - waiting.seconds - serving.seconds
            print(f"  side by side, batch {DEFAULT_BATCH} (statements, not results, fill a batch):")
            print(f"    Ralph raw ingest of the same statements   {raw:7.2f} s")
            print(f"    coursepack sync, wall                     {wall:7.2f} s   ({outcome.sent:,} sent)")
            print(f"      waiting for Ralph                       {waiting.seconds:7.2f} s")
            print(f"      the Moodle double serving               {serving.seconds:7.2f} s")
            print(f"      client-side (read + build + send)       {client:7.2f} s   = {100 * client / raw:4.1f} % of the raw ingest")
            began = time.perf_counter()
            again = sync(catalogue, moodle, lrs, SyncState(root / "sync.json"), actor)
            print(f"    no-change re-sync                         {time.perf_counter() - began:7.2f} s   ({again.sent} sent)")
        finally:
            ralph.stop()
            server.close()


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(numbers[0]) if numbers else 50_000, "--sweep" in sys.argv)
