"""Build figures: full and incremental build of the real catalogue and of a synthetic one.

Prints wall-clock times (never asserted by tests), modules per second and the runtime's gzip
size. Run: .venv/bin/python bench/build_bench.py
"""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from packager.packaging.pipeline import build_catalogue  # noqa: E402
from packager.packaging.runtime import STYLESHEETS, script, stylesheet  # noqa: E402
from packager.model.checks import validate_catalogue  # noqa: E402
from packager.resources import embedded_catalogue  # noqa: E402

SYNTHETIC_MODULES = 200


def synthetic_catalogue(root: Path, modules: int) -> Path:
    """``modules`` modules in 20 tool courses, each with three pages and a six-question quiz."""
    shutil.copy(embedded_catalogue() / "catalogue.yml", root / "catalogue.yml")
    shutil.copytree(embedded_catalogue() / "media", root / "media")
    (root / "outils").mkdir()
    per_course = modules // 20
    for c in range(20):
        lines = [
            "kind: tool", f"id: outil-{c}", f"title: Outil {c}", "summary: Un cours de mesure.",
            "duration_minutes: 30", "audience: Tous", "completion: {rule: both, mastery_score: 80}", "modules:",
        ]
        for m in range(per_course):
            lines += [
                f"  - id: module-{m}", f"    title: Module {m}", "    pages:",
                "      - id: texte", "        title: Texte", "        blocks:",
                "          - text: |", "              ## Partie", "              Du **texte** et une liste :", "              - un", "              - deux",
                "          - image: {src: media/signalements/carte-position.svg, alt: Une carte avec un repère.}",
                "      - id: etapes", "        title: Étapes", "        blocks:",
                "          - steps: [Ouvrez., Touchez Envoyer., Vérifiez.]", "          - tip: Une astuce.",
                "      - id: quiz", "        title: Quiz", "        blocks:", "          - quiz:", "              questions:",
                "                - {id: q1, type: single, prompt: P, choices: [{text: A, correct: true}, {text: B}]}",
                "                - {id: q2, type: multiple, prompt: P, choices: [{text: A, correct: true}, {text: B}]}",
                "                - {id: q3, type: true_false, prompt: P, answer: true}",
                "                - {id: q4, type: fill_in, prompt: P, answers: [oui]}",
                "                - {id: q5, type: ordering, prompt: P, items: [A, B, C]}",
                "                - {id: q6, type: matching, prompt: P, pairs: [{left: A, right: '1'}, {left: B, right: '2'}]}",
            ]
        (root / "outils" / f"outil-{c}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def measure(label: str, root: Path, out: Path) -> None:
    start = time.perf_counter()
    catalogue = validate_catalogue(root)
    assert not catalogue.errors, catalogue.errors[:3]
    validated = time.perf_counter()
    full = build_catalogue(catalogue, "scorm12", out, force=True)
    built = time.perf_counter()
    incremental = build_catalogue(validate_catalogue(root), "scorm12", out)
    again = time.perf_counter()
    count = len(full.built)
    print(f"{label}: {count} modules")
    print(f"  validate            {validated - start:7.2f} s")
    print(f"  full build          {built - validated:7.2f} s  ({count / (built - validated):.1f} modules/s)")
    print(f"  incremental build   {again - built:7.2f} s  (validation included; {len(incremental.built)} rebuilt)")


def main() -> None:
    sizes = {n: len(gzip.compress(stylesheet(n).encode(), 9)) for n in STYLESHEETS}  # minified, inside each page
    sizes.update({n: len(gzip.compress(script(n), 9)) for n in ("player.js", "tracker-xapi.js")})
    print("runtime (gzip): " + ", ".join(f"{n} {s / 1024:.1f} KB" for n, s in sizes.items())
          + f"; SCORM total {(sizes['player.js'] + sizes['player.css'] + sizes['memo.css']) / 1024:.1f} KB, xAPI/cmi5 total {sum(sizes.values()) / 1024:.1f} KB (budget 30 KB)")
    with tempfile.TemporaryDirectory() as temp:
        measure("embedded catalogue", embedded_catalogue(), Path(temp) / "dist")
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "courses"
        root.mkdir()
        measure("synthetic catalogue", synthetic_catalogue(root, SYNTHETIC_MODULES), Path(temp) / "dist")


if __name__ == "__main__":
    main()
