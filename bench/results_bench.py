"""The plugin's result listing against a live Moodle: every attempt of CoursePack's activities,
page by page with the (timemodified, attempt id) keyset, as ``coursepack sync`` reads them.

Needs MOODLE_URL and MOODLE_TOKEN (a site holding attempts: the issue's target is 50,000 listed in
under 5 s on PostgreSQL). Prints the count, pages, seconds and attempts per second for each page
size. Run: .venv/bin/python bench/results_bench.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from packager.moodle.client import MoodleClient  # noqa: E402
from packager.moodle.functions import GET_RESULTS  # noqa: E402


def list_all(client: MoodleClient, perpage: int) -> tuple[int, int, float]:
    start = time.perf_counter()
    count = pages = 0
    since, after = 0, 0
    while True:
        answer = client.call(GET_RESULTS, since=since, afterid=after, perpage=perpage, identity=["username"])
        pages += 1
        count += len(answer["results"])
        if not answer["hasmore"] or not answer["results"]:
            return count, pages, time.perf_counter() - start
        since, after = answer["results"][-1]["timemodified"], answer["results"][-1]["attemptid"]


def main() -> None:
    url, token = os.environ.get("MOODLE_URL"), os.environ.get("MOODLE_TOKEN")
    if not (url and token):
        print("MOODLE_URL and MOODLE_TOKEN are not set: no Moodle to measure")
        return
    client = MoodleClient(url, token, timeout=120)
    for perpage in (500, 2000, 5000):
        count, pages, seconds = list_all(client, perpage)
        print(f"perpage {perpage:>3}: {count} attempts in {pages} pages, {seconds:.2f} s ({count / seconds:,.0f} attempts/s)")
    print("target: 50,000 attempts in < 5 s")


if __name__ == "__main__":
    main()
