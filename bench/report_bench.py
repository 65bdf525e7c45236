"""Report figures at the authority's scale: 1,500 learners × 56 activities × 3 attempts, two
statements per attempt (attempted, then completed / passed / failed) ≈ 500,000 statements.

The statements are served by a fast in-memory xAPI front (a subprocess, so that its memory is not
counted) that pages by 500 with relative ``more`` links and honours ``since``. The report runs as
``coursepack report`` in its own process: the figures are its wall-clock time and its peak RSS,
for a full report (empty store) and for an incremental re-run after 2,000 new statements.
Targets (issue 10): full < 60 s, incremental < 5 s, peak RSS < 300 MB. Nothing asserts on them.
Run: .venv/bin/python bench/report_bench.py [LEARNERS]
"""

from __future__ import annotations

import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
VERBS = ("passed", "failed", "completed")
PAGE = 500


def activities() -> list[tuple[str, str | None, str, str]]:
    """(module IRI, job IRI or None, module key, course taken in) for the 56 activities of the catalogue."""
    from packager.model.checks import validate_catalogue
    from packager.model.iri import course_iri, module_iri
    from packager.resources import embedded_catalogue

    catalogue = validate_catalogue(embedded_catalogue())
    base = catalogue.settings.base_iri
    units = {u.key: u for u in catalogue.modules()}
    found = [(module_iri(base, units[f"{t.id}/{m.id}"]), None, f"{t.id}/{m.id}", t.id)
             for t in catalogue.tools.values() for m in t.modules]
    for job in catalogue.jobs.values():
        found.append((module_iri(base, units[f"{job.id}/intro"]), None, f"{job.id}/intro", job.id))
        found += [(module_iri(base, units[r.ref]), course_iri(base, job.id), r.ref, job.id) for r in job.modules]
    return found


def statement(n: int, learners: int, acts: list, base: str) -> dict:
    """The n-th statement, deterministic: attempt = n // 2, two statements per attempt."""
    attempt_n, second = divmod(n, 2)
    learner, rest = divmod(attempt_n, len(acts) * 3)
    activity, attempt = divmod(rest, 3)
    iri, job, _key, _course = acts[activity]
    verb = VERBS[(learner + activity + attempt) % 3] if second else "attempted"
    grouping = [{"id": base}] + ([{"id": job}] if job else [])
    result: dict = {"duration": f"PT{5 + (n % 7)}M{n % 60}S"}
    if verb in ("passed", "failed"):
        result.update(success=verb == "passed", score={"raw": 40 + n % 60, "min": 0, "max": 100, "scaled": (40 + n % 60) / 100})
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "actor": {"objectType": "Agent", "account": {"homePage": "https://moodle.example", "name": f"agent{learner:05d}"}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"id": iri, "objectType": "Activity"},
        "result": result,
        "context": {"registration": f"00000000-0000-4000-9000-{attempt_n:012d}", "contextActivities": {"grouping": grouping}},
        "stored": (T0 + datetime.timedelta(seconds=n)).isoformat().replace("+00:00", "Z"),
        "timestamp": (T0 + datetime.timedelta(seconds=n)).isoformat().replace("+00:00", "Z"),
    }


def serve(learners: int, total_file: Path) -> None:
    """The in-memory LRS front: statements 0..total-1, total read from a file (grows between runs)."""
    acts = activities()
    from packager.model.checks import validate_catalogue
    from packager.resources import embedded_catalogue

    base = validate_catalogue(embedded_catalogue()).settings.base_iri

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

        def do_GET(self) -> None:  # noqa: N802
            total = int(total_file.read_text())
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            start = int(query.get("from", 0))
            if "since" in query and "from" not in query:
                since = datetime.datetime.fromisoformat(query["since"].replace("Z", "+00:00"))
                start = max(0, int((since - T0).total_seconds()) + 1)
            end = min(total, start + PAGE)
            page = {"statements": [statement(n, learners, acts, base) for n in range(start, end)],
                    "more": f"/xAPI/statements?from={end}" if end < total else ""}
            body = json.dumps(page).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_port, flush=True)
    server.serve_forever()


def main(learners: int) -> None:
    acts = activities()
    total = learners * len(acts) * 3 * 2
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        total_file = root / "total"
        total_file.write_text(str(total))
        lrs = subprocess.Popen([sys.executable, __file__, "--serve", str(learners), str(total_file)], stdout=subprocess.PIPE, text=True)
        try:
            port = int(lrs.stdout.readline())  # type: ignore[union-attr]
            env = {**os.environ, "LRS_ENDPOINT": f"http://127.0.0.1:{port}/xAPI/", "LRS_USERNAME": "u", "LRS_PASSWORD": "p",
                   "COURSEPACK_CONFIG": str(root / "none.toml")}
            command = [sys.executable, "-m", "packager", "report", "--out", str(root / "report.html"), "--store", str(root / "store.sqlite")]
            print(f"{learners} learners × {len(acts)} activities × 3 attempts: {total:,} statements")
            for label, added in (("full report (empty store)", 0), ("incremental re-run (+2,000 new)", 2000)):
                total += added
                total_file.write_text(str(total))
                began = time.perf_counter()
                done = subprocess.run(command, env=env, capture_output=True, text=True)
                elapsed = time.perf_counter() - began
                peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                print(f"  {label:34s} {elapsed:7.2f} s   peak RSS so far {peak:6.0f} MB   {done.stdout.strip()[-90:]}")
                if done.returncode:
                    print(done.stderr)
        finally:
            lrs.terminate()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1500)
