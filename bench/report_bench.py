"""Report figures at the authority's scale: 1,500 learners × 56 activities × 3 attempts, two
statements per attempt (attempted, then completed / passed / failed) ≈ 500,000 statements, then
2,000,000 ``answered`` statements (eight per attempt: four questions, a wrong first try on some,
the shape docs/report.md defines), so that the item analysis and the follow-up list are computed too.

The statements are served by an xAPI front (a subprocess, so that its memory is not counted) that
encodes them all to a file before any timed run and serves each page as one slice of it (pages
of 500, relative ``more`` links, ``since`` honoured): a real LRS answers from its own store, and
the bench must measure the report, not its own fake server. The front's CPU time during each run
is printed apart. The report runs as
``coursepack report`` in its own process: the figures are its wall-clock time and its peak RSS,
for a full report (empty store) and for an incremental re-run after 2,000 new statements, beside
the previous stop's figures and the targets (issue 17: full < 90 s, incremental < 5 s, peak RSS
< 300 MB), with the load average (the machine is shared). Nothing asserts on them.
Run: .venv/bin/python bench/report_bench.py [LEARNERS [ANSWERED]]
"""

from __future__ import annotations

import datetime
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from array import array
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import orjson

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
VERBS = ("passed", "failed", "completed")
PAGE = 500
ANSWERED = 2_000_000
PER_ATTEMPT = 8


def activities() -> list[tuple[str, str | None, str, str, list[dict]]]:
    """(module IRI, job IRI or None, module key, course taken in, its questions' activities) for
    the 56 activities of the catalogue."""
    from packager.packaging.activities import unit_activities
    from packager.model.checks import validate_catalogue
    from packager.model.iri import course_iri, module_iri
    from packager.resources import embedded_catalogue

    catalogue = validate_catalogue(embedded_catalogue())
    base = catalogue.settings.base_iri
    units = {u.key: u for u in catalogue.modules()}
    questions = {key: [a for a in unit_activities(base, unit) if "/questions/" in a["id"]] for key, unit in units.items()}
    found = [(module_iri(base, units[f"{t.id}/{m.id}"]), None, f"{t.id}/{m.id}", t.id, questions[f"{t.id}/{m.id}"])
             for t in catalogue.tools.values() for m in t.modules]
    for job in catalogue.jobs.values():
        found.append((module_iri(base, units[f"{job.id}/intro"]), None, f"{job.id}/intro", job.id, questions[f"{job.id}/intro"]))
        found += [(module_iri(base, units[r.ref]), course_iri(base, job.id), r.ref, job.id, questions[r.ref]) for r in job.modules]
    return found


_DAYS: dict[int, str] = {}


def _stamp(seconds: int) -> str:
    """T0 + seconds, as the LRS writes it (cheap: the bench serves 2.5 million of them)."""
    day, rest = divmod(seconds, 86400)
    if day not in _DAYS:
        _DAYS[day] = (T0 + datetime.timedelta(days=day)).date().isoformat()
    hour, rest = divmod(rest, 3600)
    return f"{_DAYS[day]}T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


def _json(value: object) -> str:
    """A fixed part of a statement, ready for %-formatting."""
    return orjson.dumps(value).decode().replace("%", "%%")


class Statements:
    """The n-th statement as JSON text, deterministic. Completion statements first: attempt =
    n // 2, two statements per attempt (attempted, then passed / failed / completed). Then the
    answers: eight per attempt, two tries at each of up to four questions, a third of the first
    tries wrong. Built from %-templates of their fixed parts: the front must not be what the
    bench measures."""

    def __init__(self, learners: int, acts: list, base: str) -> None:
        self.learners, self.acts = learners, acts
        self.attempts = learners * len(acts) * 3
        self.completions = self.attempts * 2
        actor = '{"objectType":"Agent","account":{"homePage":"https://moodle.example","name":"agent%05d"}}'
        self.outcome: list[str] = []
        self.answer: list[list[str]] = []
        for iri, job, _key, _course, questions in acts:
            grouping = [{"id": base}] + ([{"id": job}] if job else [])
            self.outcome.append(
                '{"id":"00000000-0000-4000-8000-%012d","actor":' + actor + ',"verb":{"id":"http://adlnet.gov/expapi/verbs/%s"},'
                '"object":' + _json({"id": iri, "objectType": "Activity"}) + ',"result":%s,'
                '"context":{"registration":"00000000-0000-4000-9000-%012d","contextActivities":' + _json({"grouping": grouping})
                + '},"stored":"%s","timestamp":"%s"}')
            parts = questions or [{"id": iri + "/questions/none", "objectType": "Activity"}]
            self.answer.append([
                '{"id":"00000000-0000-4000-a000-%012d","actor":' + actor + ',"verb":{"id":"http://adlnet.gov/expapi/verbs/answered"},'
                '"object":' + _json(question) + ',"result":{"response":"%s","success":%s,"duration":"PT20S"},'
                '"context":{"registration":"00000000-0000-4000-9000-%012d","contextActivities":'
                + _json({"parent": [{"id": iri}], "grouping": grouping}) + '},"stored":"%s","timestamp":"%s"}'
                for question in parts])

    def __call__(self, n: int) -> str:
        acts = len(self.acts) * 3
        stored = _stamp(n)
        if n >= self.completions:
            a = n - self.completions
            attempt_n, k = divmod(a, PER_ATTEMPT)
            attempt_n %= self.attempts
            learner, rest = divmod(attempt_n, acts)
            activity = rest // 3
            templates = self.answer[activity]
            right = k % 2 == 1 or (learner + activity + k) % 3 != 0
            return templates[(k // 2) % len(templates)] % (a, learner, "0" if right else "1", "true" if right else "false",
                                                           attempt_n, stored, _stamp(200 * 86400 + a % 86400))
        attempt_n, second = divmod(n, 2)
        learner, rest = divmod(attempt_n, acts)
        activity, attempt = divmod(rest, 3)
        verb = VERBS[(learner + activity + attempt) % 3] if second else "attempted"
        result = f'{{"duration":"PT{5 + (n % 7)}M{n % 60}S"'
        if verb in ("passed", "failed"):
            raw = 40 + n % 60
            result += f',"success":{"true" if verb == "passed" else "false"},"score":{{"raw":{raw},"min":0,"max":100,"scaled":{raw / 100}}}'
        return self.outcome[activity] % (n, learner, verb, result + "}", attempt_n, stored, stored)


def encode(learners: int, count: int, path: Path) -> array:
    """Statements 0..count-1 written once to ``path``, comma-separated, before any timed run;
    returns each one's offset (and the end), so that a page is one slice of the file."""
    from packager.model.checks import validate_catalogue
    from packager.resources import embedded_catalogue

    make = Statements(learners, activities(), validate_catalogue(embedded_catalogue()).settings.base_iri)
    offsets = array("q", [0])
    with path.open("wb") as out:
        for first in range(0, count, 10_000):
            chunk = [make(n).encode() for n in range(first, min(count, first + 10_000))]
            for text in chunk:
                offsets.append(offsets[-1] + len(text) + 1)
            out.write(b",".join(chunk) + b",")
    return offsets


def serve(learners: int, total_file: Path, most: int) -> None:
    """The LRS front: statements 0..total-1 (total read from a file: it grows between runs),
    pre-encoded (``encode``), so that a page costs it one read of the file and one write."""
    data = total_file.with_name("statements.json")
    offsets = encode(learners, most, data)
    pages = open(data, "rb")  # noqa: SIM115 - open for the server's life
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real LRS behind a web server

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            total = min(most, int(total_file.read_text()))
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            start = int(query.get("from", 0))
            if "since" in query and "from" not in query:
                since = datetime.datetime.fromisoformat(query["since"].replace("Z", "+00:00"))
                start = max(0, int((since - T0).total_seconds()) + 1)
            start = min(start, total)
            end = min(total, start + PAGE)
            more = f"/xAPI/statements?from={end}" if end < total else ""
            with lock:
                pages.seek(offsets[start])
                statements = pages.read(max(0, offsets[end] - offsets[start] - 1))
            body = b'{"statements":[' + statements + b'],"more":"' + more.encode() + b'"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_port, flush=True)
    server.serve_forever()


def cpu_of(pid: int) -> float:
    """A process's CPU time so far (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(learners: int, answers: int) -> None:
    acts = activities()
    total = learners * len(acts) * 3 * 2 + answers
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        total_file = root / "total"
        total_file.write_text(str(total))
        most = total + 2000
        lrs = subprocess.Popen([sys.executable, __file__, "--serve", str(learners), str(total_file), str(most)],
                               stdout=subprocess.PIPE, text=True)
        try:
            began = time.perf_counter()
            port = int(lrs.stdout.readline())  # type: ignore[union-attr]
            print(f"LRS front: {most:,} statements encoded in {time.perf_counter() - began:.1f} s (before any timed run)")
            env = {**os.environ, "LRS_ENDPOINT": f"http://127.0.0.1:{port}/xAPI/", "LRS_USERNAME": "u", "LRS_PASSWORD": "p",
                   "COURSEPACK_CONFIG": str(root / "none.toml")}
            command = [sys.executable, "-m", "packager", "report", "--out", str(root / "report.html"), "--store", str(root / "store.sqlite")]
            print(f"{learners} learners × {len(acts)} activities × 3 attempts: {total - answers:,} completion statements"
                  f" + {answers:,} answered = {total:,}")
            rows = []
            for label, added, previous, target in (("full report (empty store)", 0, "194 s / 259 MB", "< 90 s"),
                                                   ("incremental re-run (+2,000 new)", 2000, "3.1 s / 259 MB", "< 5 s")):
                total += added
                total_file.write_text(str(total))
                began = time.perf_counter()
                before, front = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_of(lrs.pid)
                done = subprocess.run(command, env=env, capture_output=True, text=True)
                elapsed = time.perf_counter() - began
                after, front = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_of(lrs.pid) - front
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                peak = after.ru_maxrss / 1024  # the report's runs only: the front is never waited for
                load = " ".join(f"{x:.2f}" for x in os.getloadavg())
                rows.append((label, f"{elapsed:6.1f} s", f"{cpu:6.1f} s", f"{front:5.1f} s", f"{peak:4.0f} MB", previous,
                             f"{target}, < 300 MB", load))
                if done.returncode:
                    print(done.stderr)
                else:
                    print("  " + next(line for line in done.stdout.splitlines() if line.startswith("Rapport")))
            heads = ("run", "wall", "report CPU", "front CPU", "peak RSS", "previous stop", "target", "load (1, 5, 15 min)")
            widths = [max(len(str(r[i])) for r in [heads, *rows]) for i in range(len(heads))]
            for row in [heads, *rows]:
                print("  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)))
        finally:
            lrs.terminate()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1500, int(sys.argv[2]) if len(sys.argv) > 2 else ANSWERED)
