"""Lighthouse figures of one module's first page on a phone: this tree's build beside the previous one.

Builds one module of the real catalogue (SCORM 1.2) with this tree's packager and with a reference
(``--before REV``, by default the revision issue 20 was measured on; or ``--reference ZIP``, a
package built elsewhere), unzips each and serves it statically on 127.0.0.1 (the standard
library's server: no compression, like many a web server in front of Moodle; ``--compress`` for
gzip, as a web server set as the plugin README says). Lighthouse's mobile
preset (simulated slow 4G, 4x CPU slowdown) runs ``--runs`` times on each (Debian's Chromium,
headless); the median of each figure is printed: performance score, FCP, LCP, TBT, CLS and the
bytes transferred. Lighthouse's benchmark index of the machine is printed too: on a machine busy
with other work, CPU figures (TBT above all) grow.

With MOODLE_URL, MOODLE_TOKEN, MOODLE_LEARNER_USER and MOODLE_LEARNER_PASSWORD set, the module as
a real Moodle serves it too: the SCORM activity whose package is the module's zip (or ``--cmid``)
is found with the token (``mod_scorm_get_scorms_by_courses``), the learner logs in (Playwright),
and Lighthouse runs with that session on the package's ``index.html`` through ``pluginfile.php``
and on Moodle's player (``mod/scorm/view.php``, which goes to ``player.php`` when the entry
page is skipped, as publishing sets it; its LCP is Moodle's own page: the module is in its frame); then the headers ``pluginfile.php`` sends for the package's files
(Cache-Control, Content-Encoding, bytes on the wire asked with ``Accept-Encoding: gzip``). The
session cookie goes to Lighthouse in a file only this user reads, never on a command line.

Lighthouse is not a dependency of the project: install it outside the repository, e.g.
``mkdir -p /tmp/lh && cd /tmp/lh && npm install lighthouse@12``, then
``LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse``. Nothing here is asserted by tests.

Run: .venv/bin/python bench/player_bench.py [--module messagerie/eviter-les-pieges] [--runs 3]
     [--before REV | --reference ZIP] [--compress] [--cmid N]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
#: The revision issue 20's figures were measured on (LCP 1.41-1.44 s).
BEFORE = "9c0a255"
FIGURES = ("score", "fcp", "lcp", "tbt", "cls", "bytes")
_BUILD = """
import sys
from pathlib import Path
from packager.packaging.pipeline import build_catalogue
from packager.model.checks import validate_catalogue
catalogue = validate_catalogue(Path(sys.argv[1]))
units = [u for u in catalogue.modules() if u.key == sys.argv[3]]
build_catalogue(catalogue, "scorm12", Path(sys.argv[2]), units=units, force=True)
"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


class Compressing(Quiet):
    """A web server that compresses text (HTML, CSS, JavaScript, SVG), as a well-set Moodle does."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        kind = self.guess_type(str(path))
        if not path.is_file() or not kind.startswith(("text/", "application/javascript", "image/svg")) \
                or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def build(tree: Path, module: str, out: Path) -> Path:
    """The module's SCORM 1.2 zip, built by the packager found in ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, "-c", _BUILD, str(REPO / "courses"), str(out), module], env=env, check=True, cwd=tree,
                   stdout=subprocess.DEVNULL)
    return next(out.glob("*.scorm12.zip"))


def revision_tree(revision: str, target: Path) -> Path:
    """The packager and templates of ``revision``, from git, in ``target``."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "packager", "templates"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def unzipped(package: Path, target: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(target)
    return target


def lighthouse(binary: str, url: str, headers: Path | None = None) -> dict[str, float]:
    """One Lighthouse run, mobile preset (its default), performance only."""
    command = [binary, url, "--quiet", "--output=json", "--output-path=stdout", "--only-categories=performance",
               "--chrome-flags=--headless --no-sandbox --disable-gpu"]
    if headers is not None:
        command.append(f"--extra-headers={headers}")
    found = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False)
    if found.returncode != 0:
        raise RuntimeError("lighthouse failed: " + (found.stderr.strip().splitlines() or ["no output"])[-1])
    report = json.loads(found.stdout)
    audits = report["audits"]
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse could not load {url}: {report['runtimeError'].get('message')}")
    return {"score": report["categories"]["performance"]["score"],
            "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "bytes": audits["total-byte-weight"]["numericValue"] / 1024,
            "benchmark": report["environment"]["benchmarkIndex"]}


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def line(label: str, figures: dict[str, float], runs: list[dict[str, float]]) -> str:
    lcps = ", ".join(f"{run['lcp']:.2f}" for run in runs)
    return (f"  {label:<34} score {figures['score']:.2f}  FCP {figures['fcp']:.2f} s  LCP {figures['lcp']:.2f} s ({lcps})"
            f"  TBT {figures['tbt']:.0f} ms  CLS {figures['cls']:.3f}  {figures['bytes']:.1f} KB"
            f"  (benchmark index {figures['benchmark']:.0f})")


def static_figures(binary: str, site: Path, runs: int, compress: bool) -> tuple[dict[str, float], list[dict[str, float]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Compressing if compress else Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        found = [lighthouse(binary, f"http://127.0.0.1:{server.server_port}/index.html") for _ in range(runs)]
    finally:
        server.shutdown()
        server.server_close()
    return medians(found), found


def weights(site: Path) -> str:
    """What the first page needs (HTML, scripts, styles; media apart), raw and gzip."""
    files = [site / "index.html", *sorted((site / "player").glob("*"))]
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    return f"{', '.join(f'{f.relative_to(site)} {f.stat().st_size / 1024:.1f} KB' for f in files)}; {raw / 1024:.1f} KB raw, {packed / 1024:.1f} KB gzip"


# --------------------------------------------------------------------------- a real Moodle
def rest(url: str, token: str, function: str, **params: Any) -> dict[str, Any]:
    import requests

    answer = requests.post(f"{url}/webservice/rest/server.php", timeout=60,
                           data={"wstoken": token, "wsfunction": function, "moodlewsrestformat": "json", **params}).json()
    if isinstance(answer, dict) and "exception" in answer:
        raise RuntimeError(f"{function}: {answer.get('errorcode')}: {answer.get('message')}")
    return answer


def moodle_activity(url: str, token: str, package: str, cmid: int | None) -> dict[str, Any] | None:
    """The SCORM activity to measure, among those of every course the token sees (without course
    ids, mod_scorm_get_scorms_by_courses lists only the courses its user is enrolled in)."""
    courses = rest(url, token, "core_course_get_courses_by_field")["courses"]
    ids = {f"courseids[{i}]": course["id"] for i, course in enumerate(c for c in courses if c["id"] != 1)}
    for scorm in rest(url, token, "mod_scorm_get_scorms_by_courses", **ids)["scorms"]:
        if scorm["coursemodule"] == cmid or (cmid is None and scorm.get("reference") == package):
            return scorm
    return None


def learner_cookies(url: str) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/login/index.php")
        page.fill("#username", os.environ["MOODLE_LEARNER_USER"])
        page.fill("#password", os.environ["MOODLE_LEARNER_PASSWORD"])
        page.click("#loginbtn")
        page.wait_for_load_state("networkidle")
        cookies = context.cookies()
        browser.close()
    if not any(c["name"].startswith("MoodleSession") for c in cookies):
        raise RuntimeError("the learner could not log in (MOODLE_LEARNER_USER / MOODLE_LEARNER_PASSWORD)")
    return cookies


def served_headers(url: str, cookie: str, paths: list[str]) -> list[str]:
    """What pluginfile.php sends for each file: caching, compression, bytes on the wire."""
    import requests

    lines = []
    for path in paths:
        answer = requests.get(url + path, headers={"Cookie": cookie, "Accept-Encoding": "gzip, deflate, br"}, stream=True, timeout=60)
        wire = len(answer.raw.read(decode_content=False))
        head = answer.headers
        lines.append(f"  {path.rsplit('/content/', 1)[-1]:<22} {answer.status_code} {head.get('Content-Type', '?')}; "
                     f"Cache-Control: {head.get('Cache-Control', '-')}; Content-Encoding: {head.get('Content-Encoding', 'none')}; "
                     f"ETag {'yes' if 'ETag' in head else 'no'}; {wire / 1024:.1f} KB on the wire")
    return lines


def moodle_part(binary: str, args: argparse.Namespace, package: Path, runs: int) -> None:
    url = os.environ["MOODLE_URL"].rstrip("/")
    scorm = moodle_activity(url, os.environ["MOODLE_TOKEN"], package.name, args.cmid)
    if scorm is None:
        print(f"  (Moodle: no SCORM activity whose package is {package.name} on {url}; publish the catalogue, or give --cmid)")
        return
    context_id = scorm["packageurl"].split("/pluginfile.php/", 1)[1].split("/", 1)[0]
    content = f"/pluginfile.php/{context_id}/mod_scorm/content/{scorm['revision']}/"
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in learner_cookies(url) if url.split("//", 1)[1].startswith(c["domain"].lstrip(".")))
    import requests

    probe = requests.get(f"{url}{content}index.html", headers={"Cookie": cookie}, allow_redirects=False, timeout=60)
    if probe.status_code != 200:
        print(f"  (Moodle: {probe.status_code} for the package's index.html, to {probe.headers.get('Location', '?')}: "
              f"is {os.environ['MOODLE_LEARNER_USER']} enrolled in course {scorm['course']}?)")
        return
    with tempfile.TemporaryDirectory() as secret:
        headers = Path(secret) / "headers.json"
        headers.touch(mode=0o600)
        headers.write_text(json.dumps({"Cookie": cookie}), encoding="utf-8")
        pages = {"pluginfile.php (index.html)": f"{url}{content}index.html",
                 "Moodle's player (view.php > player.php)": f"{url}/mod/scorm/view.php?id={scorm['coursemodule']}"}
        print(f"Through Moodle ({url}, activity {scorm['coursemodule']} « {scorm['name']} », package revision {scorm['revision']}):")
        for label, page in pages.items():
            try:
                found = [lighthouse(binary, page, headers) for _ in range(runs)]
            except RuntimeError as exc:
                print(f"  {label:<34} {exc}")
                continue
            print(line(label, medians(found), found))
    files = [f"{content}index.html", *(f"{content}player/{name}" for name in ("player.js",))]
    for text in served_headers(url, cookie, files):
        print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default="messagerie/eviter-les-pieges")
    parser.add_argument("--before", default=BEFORE, help="git revision of the previous build")
    parser.add_argument("--reference", type=Path, help="a package zip to compare with, instead of --before")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compress", action="store_true", help="serve text gzip-compressed (a web server set as the plugin README says)")
    parser.add_argument("--cmid", type=int, help="the Moodle course module to measure (default: the one holding the module's zip)")
    args = parser.parse_args()
    binary = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    if not binary:
        sys.exit("Lighthouse not found: `mkdir -p /tmp/lh && cd /tmp/lh && npm install lighthouse@12`, "
                 "then LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse")
    with tempfile.TemporaryDirectory() as temp:
        temp_path = Path(temp)
        after = build(REPO, args.module, temp_path / "after")
        if args.reference:
            before, label = args.reference, f"before ({args.reference.name})"
        else:
            before, label = build(revision_tree(args.before, temp_path / "old"), args.module, temp_path / "before"), f"before ({args.before})"
        sites = {label: unzipped(before, temp_path / "site-before"), "after (this tree)": unzipped(after, temp_path / "site-after")}
        print(f"{args.module}, SCORM 1.2, served statically on 127.0.0.1 ({'gzip' if args.compress else 'no compression'}); "
              f"Lighthouse mobile preset, median of {args.runs} runs (LCP of each run in brackets)")
        for name, site in sites.items():
            figures, runs = static_figures(binary, site, args.runs, args.compress)
            print(line(name, figures, runs))
            print(f"  {'':<34} {weights(site)}")
        if all(os.environ.get(k) for k in ("MOODLE_URL", "MOODLE_TOKEN", "MOODLE_LEARNER_USER", "MOODLE_LEARNER_PASSWORD")):
            moodle_part(binary, args, after, args.runs)
        else:
            print("  (Moodle not measured: set MOODLE_URL, MOODLE_TOKEN, MOODLE_LEARNER_USER and MOODLE_LEARNER_PASSWORD)")


if __name__ == "__main__":
    main()
