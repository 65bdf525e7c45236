"""Start-up and no-change figures, measured as a mediator runs the tool: one process per command.

Prints wall-clock medians (never asserted by tests) for ``coursepack --version``, ``--help``, and,
on a synthetic catalogue of 1,000 modules: a cold build, a no-change ``build``, a no-change
``validate``, and a build after one course file changed. With ``--before DIR`` (a copy of older
code, e.g. ``git archive <commit> | tar -x -C DIR``) the same runs are made with that code, side
by side. Run: .venv/bin/python bench/incremental_bench.py [--before DIR] [--modules N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from build_bench import synthetic_catalogue  # noqa: E402

RUNS = 3


def timed(code: Path, cache: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(code), "XDG_CACHE_HOME": str(cache)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from packager.cli import main; main()", *args], env=env, cwd=code,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def median(code: Path, cache: Path, *args: str, runs: int = RUNS) -> float:
    return statistics.median(timed(code, cache, *args) for _ in range(runs))


def measure(code: Path, modules: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temp:
        temp_path = Path(temp)
        root = temp_path / "courses"
        root.mkdir()
        synthetic_catalogue(root, modules)
        cache, out = temp_path / "cache", temp_path / "dist"
        figures = {
            "start-up (--version)": median(code, cache, "--version", runs=5),
            "--help": median(code, cache, "--help", runs=5),
            # each cold build with its own empty cache and output folder
            f"cold build, {modules} modules": statistics.median(
                timed(code, temp_path / f"cache-{run}", "build", str(root), "--out", str(temp_path / f"dist-{run}"))
                for run in range(RUNS)),
        }
        cache, out = temp_path / "cache-0", temp_path / "dist-0"
        figures["no-change build"] = median(code, cache, "build", str(root), "--out", str(out))
        figures["no-change validate"] = median(code, cache, "validate", str(root))
        course = root / "outils" / "outil-0.yml"
        changed = []
        for run in range(RUNS):  # a new title each time: one course file changed, one package rebuilt
            text = course.read_text(encoding="utf-8")
            course.write_text(re.sub(r"title: Module 0( \(\d+\))?\n", f"title: Module 0 ({run})\n", text, count=1), encoding="utf-8")
            changed.append(timed(code, cache, "build", str(root), "--out", str(out)))
        figures["build after one file changed"] = statistics.median(changed)
        start = time.perf_counter()
        for file in sorted(root.rglob("*")):
            if file.is_file():
                file.read_bytes()
        figures["(reading every input file)"] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a copy of older code to measure side by side")
    parser.add_argument("--modules", type=int, default=1000)
    args = parser.parse_args()
    columns = {"now": measure(REPO, args.modules)}
    if args.before:
        columns = {"before": measure(args.before.resolve(), args.modules), **columns}
    print(f"{'':34}" + "".join(f"{name:>10}" for name in columns))
    for label in columns["now"]:
        print(f"{label:34}" + "".join(f"{figures[label]:9.2f}s" for figures in columns.values()))
    if shutil.which("nproc"):
        print(f"({subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; medians of {RUNS} runs, 5 for start-up)")


if __name__ == "__main__":
    main()
