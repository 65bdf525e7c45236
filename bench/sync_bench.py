"""Sync figures: 50,000 Moodle results to Ralph, the client's own time side by side with Ralph's
raw ingest of the very same statements, and the batch size that ingests fastest.

Runs the real path: the Moodle double (tests/moodle_double.py) holds the results and serves the
plugin's keyset-paged function; the engine reads, builds and sends them to a Ralph LRS started here
(tests/lrs_support.py). "Raw ingest" is Ralph storing the same statements POSTed by a bare
``requests`` loop, on a fresh store of its own. The client-side time is the sync's wall time minus
the time spent waiting for the LRS's answers and for Moodle's (the double's serving, its HTTP
included); decoding Moodle's pages and encoding the batches are the client's work. Target (issue 10):
client-side < 10 % of the raw ingest, with answers included (issue 17): each attempt at a module
with a quiz carries one SCORM interaction per question (the player's ids and formats), and every
attempt a location and the player's resume state (two pages seen), so that the sync also builds
the answered and experienced statements; ``--no-answers`` leaves them out. Prints figures;
nothing asserts on them.
An external LRS (ADL's reference LRS, say) is measured too when LRS_ENDPOINT, LRS_USERNAME and
LRS_PASSWORD are set: the sweep runs against both, side by side (its store cannot be emptied from
here, so each run sends fresh ids), and the sync runs against it instead of Ralph, followed by the
runs that exercise a strict LRS: a no-change re-sync, a sync after a change (a score changed, a
raw score above its max), and bare probes of what a strict LRS refuses. Against either LRS, a
sync that lost its state (every id known) is timed last: the client asks which ids the LRS holds,
one query per learner.
Run: .venv/bin/python bench/sync_bench.py [RESULTS] [--sweep] [--sample N] [--external-sample N]
     [--batches 100,250,500,1000] [--no-answers]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
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
from packager.packaging.content import quiz_view  # noqa: E402
from packager.moodle.client import MoodleClient  # noqa: E402
from packager.resources import embedded_catalogue  # noqa: E402
from packager.sync.engine import DEFAULT_BATCH, SyncState, sync  # noqa: E402
from packager.sync.statements import ActorPolicy  # noqa: E402

TOKEN = "bench0123456789abcdef0123456789ab"
STATUSES = [("passed", "90"), ("failed", "40"), ("completed", ""), ("incomplete", "")]


class Timed:
    """Wall time spent inside a callable (the LRS's answers, the double's serving)."""

    def __init__(self, function):
        self.function, self.seconds, self.calls = function, 0.0, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        began = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - began


class External:
    """An LRS run elsewhere, named by the environment; None when LRS_ENDPOINT is not set."""

    def __init__(self, endpoint: str, username: str, password: str) -> None:
        self.endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        self.username, self.password = username, password

    @classmethod
    def from_env(cls) -> External | None:
        endpoint = os.environ.get("LRS_ENDPOINT")
        return cls(endpoint, os.environ.get("LRS_USERNAME", ""), os.environ.get("LRS_PASSWORD", "")) if endpoint else None


def post_all(endpoint: str, auth: tuple[str, str], statements: list[dict], batch: int) -> float | str:
    """Seconds to store these statements POSTed bare, or the LRS's refusal."""
    session = requests.Session()
    session.auth = auth
    session.headers["X-Experience-API-Version"] = "1.0.3"
    began = time.perf_counter()
    for start in range(0, len(statements), batch):
        response = session.post(endpoint + "statements", json=statements[start:start + batch], timeout=600)
        if response.status_code >= 300:
            return f"refused: HTTP {response.status_code} {' '.join(response.text[:80].split())}"
    return time.perf_counter() - began


def raw_ingest(root: Path, name: str, statements: list[dict], batch: int) -> float | str:
    """Seconds Ralph takes to store these statements POSTed bare, on a fresh store."""
    ralph = Ralph(root / name)
    ralph.start()
    try:
        return post_all(ralph.endpoint, (USERNAME, PASSWORD), statements, batch)
    finally:
        ralph.stop()


def fresh_ids(statements: list[dict]) -> list[dict]:
    """The same statements under new ids: an external store already holds the old ones."""
    return [{**statement, "id": str(uuid.uuid4())} for statement in statements]


def rate(seconds: float | str, count: int) -> str:
    if isinstance(seconds, str):
        return f"{seconds[:58]:>29}"
    return f"{seconds:7.2f} s {count / seconds:7,.0f} st/s"


def strict_runs(catalogue, moodle, lrs: LrsClient, double, root: Path, actor, statements: list[dict],
                external: External) -> None:
    """The runs that meet a strict LRS's refusals, then bare probes of what it refuses."""
    state = SyncState(root / "sync.json")

    def run(label: str, use: SyncState) -> None:
        began = time.perf_counter()
        outcome = sync(catalogue, moodle, lrs, use, actor)
        print(f"    {label:<42}{time.perf_counter() - began:7.2f} s   ({outcome.sent} sent, {outcome.already} already, "
              f"{len(outcome.set_aside)} set aside)")

    run("no-change re-sync", state)
    scored = [a for a in double.attempts if a["tracks"].get("cmi.core.score.raw")]
    now = int(time.time()) - 120  # inside Moodle's clock minus the margin
    scored[0]["tracks"]["cmi.core.score.raw"] = "95"
    scored[1]["tracks"].update({"cmi.core.score.raw": "80", "cmi.core.score.max": "50"})
    scored[0]["timemodified"] = scored[1]["timemodified"] = now
    run("after a change (90→95; raw 80 > max 50)", state)

    session = requests.Session()
    session.auth = (external.username, external.password)
    known = statements[0]
    probe = {**known, "id": str(uuid.uuid4())}
    over = {**probe, "id": str(uuid.uuid4()),
            "result": {**known.get("result", {}), "score": {"raw": 80, "min": 0, "max": 50}}}
    header = {"X-Experience-API-Version": "1.0.3"}
    for label, body, headers in (("no X-Experience-API-Version", [probe], {}),
                                 ("[new, known] batch", [probe, known], header),
                                 ("score raw 80, max 50", [over], header)):
        answer = session.post(external.endpoint + "statements", json=body, headers=headers, timeout=60)
        print(f"    bare probe, {label:<30} HTTP {answer.status_code} {' '.join(answer.text[:70].split())}")
    after = session.get(external.endpoint + "statements", params={"statementId": probe["id"]}, headers=header, timeout=60)
    print(f"    the new statement of the refused batch     HTTP {after.status_code} on GET (404: not stored)")


#: what CoursePack's SCORM 1.2 player writes for a right answer, by interaction type
RIGHT = {"SingleChoice": "0", "MultipleChoice": "0,1", "TrueFalse": "t", "FillIn": "recherche", "Ordering": "0,1,2",
         "Matching": "0.0,1.1"}
TYPE = {"SingleChoice": "choice", "MultipleChoice": "choice", "TrueFalse": "true-false", "FillIn": "fill-in",
        "Ordering": "sequencing", "Matching": "matching"}


def inside(questions: list, status: str, start: int) -> tuple[dict[str, str], dict[str, int]]:
    """An attempt's interactions (one try per question, right when passed), location and resume
    state, as Moodle stores them, and when Moodle stored each."""
    tracks = {"cmi.core.lesson_location": "1", "cmi.suspend_data": "1|3|0~", "x.start.time": str(start - 600)}
    if status in ("passed", "failed"):
        for n, question in enumerate(questions):
            kind = type(question).__name__
            tracks.update({f"cmi.interactions_{n}.id": question.id, f"cmi.interactions_{n}.type": TYPE[kind],
                           f"cmi.interactions_{n}.student_response": RIGHT[kind] if status == "passed" else "1",
                           f"cmi.interactions_{n}.result": "correct" if status == "passed" else "wrong",
                           f"cmi.interactions_{n}.latency": "0000:00:20.00", f"cmi.interactions_{n}.time": "09:30:00"})
    return tracks, {element: start - 300 for element in tracks}


def main(total: int, sweep: bool, sample_size: int, external_sample: int, batches: list[int], answers: bool = True) -> None:
    catalogue = validate_catalogue(embedded_catalogue())
    external = External.from_env()
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
        units = {catalogue.namespace.activity(unit.key): unit for unit in catalogue.modules()}
        quizzes = {idnumber: ([] if (found := quiz_view(unit)) is None else list(found["quiz"].questions))
                   for idnumber, unit in units.items()}
        for ident in range(learners):
            double.add_user(1000 + ident, f"agent{ident:05d}")
        start = 1_795_000_000
        for n in range(total):
            course, activity = activities[n % len(activities)]
            status, score = STATUSES[n % len(STATUSES)]
            tracks = {"cmi.core.lesson_status": status, "cmi.core.total_time": "00:07:30.00"}
            if score:
                tracks.update({"cmi.core.score.raw": score, "cmi.core.score.min": "0", "cmi.core.score.max": "100"})
            times = None
            if answers:
                more, times = inside(quizzes.get(activity, []), status, start + n // 3)
                tracks.update(more)
            double.add_attempt(1000 + (n // len(activities)) % learners, course, activity, 1 + n // (len(activities) * learners),
                               tracks, start + n // 3, 1 if status in ("passed", "completed") else 0, times=times)
        moodle = MoodleClient(server.url, TOKEN, timeout=300)
        serving = Timed(moodle.transport.request)
        moodle.transport.request = serving  # type: ignore[method-assign]
        actor = ActorPolicy(home=server.url)

        began = time.perf_counter()
        nowhere = LrsClient("http://127.0.0.1:9/xAPI/", None, None)
        nowhere.held = lambda batch: {}  # type: ignore[method-assign] # an empty LRS: the dry run reads and builds only
        dry = sync(catalogue, moodle, nowhere, SyncState(root / "dry.json"), actor, dry_run=True)
        built = time.perf_counter() - began
        statements = dry.statements
        kinds = {verb: sum(1 for st in statements if st["verb"]["id"].endswith("/" + verb)) for verb in ("answered", "experienced")}
        print(f"{dry.results:,} Moodle results → {len(statements):,} statements ({len(activities)} activities, {learners} learners; "
              f"{kinds['answered']:,} answered, {kinds['experienced']:,} experienced)")
        print(f"  read (plugin, keyset pages) + build, dry run   {built:7.2f} s   (of which waiting for the double {serving.seconds:5.2f} s)")

        if sweep:
            sample = statements[:sample_size]
            heading = f"  raw ingest by batch size: Ralph {len(sample):,} statements (fresh store each)"
            if external is not None:
                heading += f" | {external.endpoint} {min(external_sample, len(statements)):,} statements (fresh ids each)"
            print(heading + ":")
            for batch in batches:
                line = f"    batch {batch:5d}   Ralph {rate(raw_ingest(root, f'sweep{batch}', sample, batch), len(sample))}"
                if external is not None:
                    extra = fresh_ids(statements[:external_sample])
                    line += f"   | external {rate(post_all(external.endpoint, (external.username, external.password), extra, batch), len(extra))}"
                print(line, flush=True)

        if external is not None:
            raw = post_all(external.endpoint, (external.username, external.password), fresh_ids(statements), DEFAULT_BATCH)
            ralph = None
            lrs = LrsClient(external.endpoint, external.username, external.password, timeout=600)
        else:
            raw = raw_ingest(root, "raw", statements, DEFAULT_BATCH)
            ralph = Ralph(root / "ralph")
            ralph.start()
            lrs = LrsClient(ralph.endpoint, USERNAME, PASSWORD, timeout=600)
        name = "the LRS" if external is not None else "Ralph"
        try:
            waiting = Timed(lrs.transport.request)
            lrs.transport.request = waiting  # type: ignore[method-assign]
            serving.seconds = 0.0
            began = time.perf_counter()
            outcome = sync(catalogue, moodle, lrs, SyncState(root / "sync.json"), actor)
            wall = time.perf_counter() - began
            client = wall - waiting.seconds - serving.seconds
            print(f"  side by side against {lrs.endpoint}, batch {DEFAULT_BATCH} (statements, not results, fill a batch):")
            if isinstance(raw, str):
                print(f"    raw ingest of the same statements         {raw}")
            else:
                print(f"    raw ingest of the same statements         {raw:7.2f} s")
            print(f"    coursepack sync, wall                     {wall:7.2f} s   ({outcome.sent:,} sent)")
            print(f"      waiting for {name:<26}{waiting.seconds:7.2f} s")
            print(f"      waiting for the Moodle double           {serving.seconds:7.2f} s")
            share = f"   = {100 * client / raw:4.1f} % of the raw ingest" if not isinstance(raw, str) else ""
            print(f"      client-side (read + build + send)       {client:7.2f} s{share}")
            if external is not None:
                strict_runs(catalogue, moodle, lrs, double, root, actor, statements, external)
            else:
                began = time.perf_counter()
                again = sync(catalogue, moodle, lrs, SyncState(root / "sync.json"), actor)
                print(f"    no-change re-sync                         {time.perf_counter() - began:7.2f} s   ({again.sent} sent)")
            fresh = LrsClient(lrs.endpoint, *((external.username, external.password) if external else (USERNAME, PASSWORD)),
                              timeout=600)  # a new run: nothing known of the LRS
            asked = Timed(fresh.transport.request)
            fresh.transport.request = asked  # type: ignore[method-assign]
            began = time.perf_counter()
            lost = sync(catalogue, moodle, fresh, SyncState(root / "lost.json"), actor)
            print(f"    its state lost (every id known)           {time.perf_counter() - began:7.2f} s   ({lost.sent} sent, "
                  f"{lost.already:,} already; {asked.calls:,} requests for {learners:,} learners)")
        finally:
            if ralph is not None:
                ralph.stop()
            server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", type=int, default=50_000)
    parser.add_argument("--sweep", action="store_true", help="raw ingest by batch size")
    parser.add_argument("--sample", type=int, default=10_000, help="statements per batch size, Ralph")
    parser.add_argument("--external-sample", type=int, default=2_000, help="statements per batch size, external LRS")
    parser.add_argument("--batches", default="100,250,500,1000", help="batch sizes swept, comma-separated")
    parser.add_argument("--no-answers", action="store_true", help="attempts without interactions, location or resume state")
    arguments = parser.parse_args()
    main(arguments.results, arguments.sweep, arguments.sample, arguments.external_sample,
         [int(b) for b in arguments.batches.split(",")], not arguments.no_answers)
