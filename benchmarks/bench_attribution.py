"""Single-process speed of the attribution engine on a PolNeAR split.

    .venv/bin/python benchmarks/bench_attribution.py [SPLIT_DIR]

SPLIT_DIR defaults to ../shared/corpora/polnear/train. Prints articles/s and words/s for the
attribution step alone and followed by source typing (``analysis.sources``), each as
``analysis.pipeline.extract_article`` runs it (the ``Doc`` included, the other steps switched off).
Numbers are only meaningful on an otherwise idle machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from analysis.pipeline import extract_article

REPO = Path(__file__).resolve().parents[1]
# the steps switched off for each measurement
RUNS = (("attribution only", ("sources", "hedges", "tallies")), ("with source typing", ("hedges", "tallies")))


def run(texts: list[str], disable: tuple[str, ...]) -> float:
    t0 = time.perf_counter()
    for k, t in enumerate(texts):
        extract_article(str(k), t, disable=disable)
    return time.perf_counter() - t0


def main() -> None:
    split = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "corpora" / "polnear" / "train"
    texts = [p.read_text(encoding="utf-8") for p in sorted((split / "text").glob("*.txt"))]
    words = sum(len(t.split()) for t in texts)
    run(texts[:5], RUNS[-1][1])  # load the model, lexicons and caches once
    for label, disable in RUNS:
        dt = run(texts, disable)
        print(
            f"{label:20s} {len(texts)} articles in {dt:.2f} s: {len(texts) / dt:.0f} articles/s, "
            f"{words / dt:,.0f} words/s"
        )


if __name__ == "__main__":
    main()
