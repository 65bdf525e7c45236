"""Player figures on a phone: layout shift (CLS), largest contentful paint, weight; before and after.

Builds one module of the real catalogue with this tree's player and with the player of a
reference revision (``--before``, by default the revision issue 11 was measured on), serves each
over a slowed-down local server (media 800 ms, scripts 300 ms: a phone in the field), and loads
it in Debian's Chromium at 360 x 640 through Playwright. CLS is the sum of the ``layout-shift``
entries (PerformanceObserver, no recent input); LCP from ``largest-contentful-paint``. When
Lighthouse is installed (``LIGHTHOUSE=/path/to/node_modules/.bin/lighthouse``), its mobile
performance score and CLS are printed too. Nothing here is asserted by tests.

Run: .venv/bin/python bench/player_bench.py [--before REV] [--module messagerie/lire-ses-messages]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
#: The revision the issue's figures come from (CLS 0.29 measured there).
BEFORE = "0c9db5d"
RUNS = 5
_BUILD = """
import sys
from pathlib import Path
from packager.build.pipeline import build_catalogue
from packager.model.checks import validate_catalogue
catalogue = validate_catalogue(Path(sys.argv[1]))
units = [u for u in catalogue.modules() if u.key == sys.argv[3]]
build_catalogue(catalogue, "scorm12", Path(sys.argv[2]), units=units, force=True)
"""

MEASURE = """
window.__cls = 0; window.__lcp = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) { if (!e.hadRecentInput) { window.__cls += e.value; } } })
  .observe({type: 'layout-shift', buffered: true});
new PerformanceObserver(list => { for (const e of list.getEntries()) { window.__lcp = e.startTime; } })
  .observe({type: 'largest-contentful-paint', buffered: true});
"""


class SlowHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path.split("?")[0].endswith((".svg", ".png", ".jpg", ".webp")):
            time.sleep(0.8)
        elif self.path.split("?")[0].endswith(".js"):
            time.sleep(0.3)
        super().do_GET()


def build(tree: Path, module: str, out: Path) -> Path:
    """The module's SCORM 1.2 package built by the packager found in ``tree``, unpacked."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, "-c", _BUILD, str(REPO / "courses"), str(out / "dist"), module], env=env, check=True, cwd=tree)
    package = next((out / "dist").glob("*.zip"))
    with zipfile.ZipFile(package) as archive:
        archive.extractall(out / "web")
    return out / "web"


def revision_tree(revision: str, target: Path) -> Path:
    """The packager and templates of ``revision``, from git, in ``target``."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "packager", "templates"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def weight(web: Path) -> float:
    """KB gzip of what the first page needs: HTML, CSS and scripts (media apart)."""
    files = [web / "index.html", *(web / "player").glob("*.css"), *(web / "player").glob("*.js")]
    return sum(len(gzip.compress(f.read_bytes(), 9)) for f in files) / 1024


def measure(browser: Any, url: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.add_init_script(MEASURE)
    started = time.monotonic()
    page.goto(url, wait_until="load")
    loaded = time.monotonic() - started
    page.wait_for_timeout(1500)
    figures = page.evaluate("({cls: window.__cls, lcp: window.__lcp})")
    context.close()
    return {"cls": figures["cls"], "lcp": figures["lcp"] / 1000, "load": loaded}


def lighthouse(url: str) -> dict[str, float] | None:
    binary = os.environ.get("LIGHTHOUSE")
    if not binary:
        return None
    found = subprocess.run([binary, url, "--quiet", "--output=json", "--only-categories=performance", "--form-factor=mobile",
                            "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS)],
                           capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False)
    if found.returncode != 0:
        print("lighthouse failed: " + found.stderr.strip().splitlines()[-1] if found.stderr.strip() else "lighthouse failed")
        return None
    report = json.loads(found.stdout)
    audits = report["audits"]
    return {"score": report["categories"]["performance"]["score"], "cls": audits["cumulative-layout-shift"]["numericValue"],
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000, "tbt": audits["total-blocking-time"]["numericValue"]}


def serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SlowHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="git revision to compare with")
    parser.add_argument("--module", default="messagerie/lire-ses-messages")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temp:
        temp_path = Path(temp)
        sites = {"before (" + args.before + ")": build(revision_tree(args.before, temp_path / "old"), args.module, temp_path / "b"),
                 "after (this tree)": build(REPO, args.module, temp_path / "a")}
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for label, web in sites.items():
                server, url = serve(web)
                runs = [measure(browser, url + "/index.html") for _ in range(RUNS)]
                server.shutdown()
                server, url = serve(web)
                rows.append((label, runs, weight(web), lighthouse(url + "/index.html")))
                server.shutdown()
            browser.close()
    print(f"{args.module}, SCORM 1.2 package, Chromium 360 x 640, media +800 ms, scripts +300 ms, {RUNS} runs (median, min-max)")
    for label, runs, kb, lh in rows:
        cls = sorted(r["cls"] for r in runs)
        lcp = sorted(r["lcp"] for r in runs)
        line = (f"  {label:<22} CLS {cls[len(cls) // 2]:.4f} ({cls[0]:.4f}-{cls[-1]:.4f})  LCP {lcp[len(lcp) // 2]:.2f} s"
                f"  first-page weight {kb:.1f} KB gzip")
        if lh:
            line += f"  | Lighthouse mobile: performance {lh['score']:.2f}, CLS {lh['cls']:.4f}, LCP {lh['lcp']:.2f} s, TBT {lh['tbt']:.0f} ms"
        print(line)
    if not any(lh for *_rest, lh in rows):
        print("  (Lighthouse not run: set LIGHTHOUSE to its binary, e.g. after `npm install lighthouse` in a scratch folder)")


if __name__ == "__main__":
    main()
