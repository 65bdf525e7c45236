"""Sync figures: statements per second for 50,000 synthetic results, and a no-change re-sync.

Runs the real path: the Moodle double (tests/moodle_double.py) holds the results, the engine reads
them through the plugin's paged function, builds the statements with tincan and sends them to a
Ralph LRS started here (tests/lrs_support.py). Prints wall-clock figures; nothing asserts on them.
Run: .venv/bin/python bench/sync_bench.py [RESULTS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from lrs_support import PASSWORD, USERNAME, Ralph  # noqa: E402
from moodle_double import MoodleDouble  # noqa: E402
from packager.build.pipeline import build_catalogue  # noqa: E402
from packager.lrs.client import LrsClient  # noqa: E402
from packager.model.checks import validate_catalogue  # noqa: E402
from packager.moodle.client import MoodleClient  # noqa: E402
from packager.publish.apply import Publisher  # noqa: E402
from packager.publish.plan import make_plan  # noqa: E402
from packager.publish.wanted import PACKAGE_FORMAT, wanted_state  # noqa: E402
from packager.resources import embedded_catalogue  # noqa: E402
from packager.sync.engine import CursorStore, read_results, sync, to_statements  # noqa: E402
from packager.sync.statements import ActorPolicy  # noqa: E402

TOKEN = "bench0123456789abcdef0123456789ab"
STATUSES = [("passed", "90"), ("failed", "40"), ("completed", ""), ("incomplete", "")]


def main(total: int) -> None:
    catalogue = validate_catalogue(embedded_catalogue())
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        double = MoodleDouble(token=TOKEN)
        server = double.serve()
        moodle = MoodleClient(server.url, TOKEN)
        build_catalogue(catalogue, PACKAGE_FORMAT, root / "dist")
        Publisher(moodle, languages=frozenset()).apply(make_plan(moodle, wanted_state(catalogue, root / "dist"), languages=frozenset()))
        activities = [(c["idnumber"], cm["idnumber"]) for cm in double.cms.values() for c in [double.courses[cm["course"]]]]
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
        actor = ActorPolicy(moodle_url=server.url)

        began = time.perf_counter()
        results, _plugin = read_results(moodle, catalogue, 0)
        read = time.perf_counter()
        items = to_statements(results, catalogue, actor)
        built = time.perf_counter()
        statements = sum(1 for _, s in items if s is not None)
        print(f"{len(results)} Moodle results, {statements} statements")
        print(f"  read from Moodle (plugin, paged)   {read - began:7.2f} s")
        print(f"  statements built                   {built - read:7.2f} s  ({statements / (built - read):,.0f} statements/s)")

        ralph = Ralph(root / "ralph")
        ralph.start()
        try:
            lrs = LrsClient(ralph.endpoint, USERNAME, PASSWORD, timeout=300)
            cursors = CursorStore(root / "sync.json")
            began = time.perf_counter()
            outcome = sync(catalogue, moodle, lrs, cursors, actor, batch_size=500)
            ended = time.perf_counter()
            print(f"  full sync into Ralph (fs backend)  {ended - began:7.2f} s  ({outcome.sent / (ended - began):,.0f} statements/s end to end)")
            began = time.perf_counter()
            again = sync(catalogue, moodle, lrs, cursors, actor, batch_size=500)
            print(f"  no-change re-sync                  {time.perf_counter() - began:7.2f} s  ({again.sent} sent)")
        finally:
            ralph.stop()
            server.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
