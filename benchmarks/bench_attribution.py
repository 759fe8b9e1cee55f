"""Single-process speed of the attribution engine on a PolNeAR split.

    .venv/bin/python benchmarks/bench_attribution.py [SPLIT_DIR]

SPLIT_DIR defaults to ../shared/corpora/polnear/train. Prints articles/s and words/s for the
attribution engine alone and with source typing (``analysis.sources``) as ``find_attributions``
runs it. Numbers are only meaningful on an otherwise idle machine.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from analysis import attribution

REPO = Path(__file__).resolve().parents[1]


def run(texts: list[str], with_sources: bool) -> float:
    link = attribution._link_sources
    if not with_sources:
        attribution._link_sources = lambda text, attrs: None
    try:
        t0 = time.perf_counter()
        for t in texts:
            attribution.find_attributions(t)
        return time.perf_counter() - t0
    finally:
        attribution._link_sources = link


def main() -> None:
    split = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "corpora" / "polnear" / "train"
    texts = [p.read_text(encoding="utf-8") for p in sorted((split / "text").glob("*.txt"))]
    words = sum(len(t.split()) for t in texts)
    run(texts[:5], True)  # load the model, lexicons and caches once
    for label, with_sources in (("attribution only", False), ("with source typing", True)):
        dt = run(texts, with_sources)
        print(f"{label:20s} {len(texts)} articles in {dt:.2f} s: {len(texts) / dt:.0f} articles/s, "
              f"{words / dt:,.0f} words/s")


if __name__ == "__main__":
    main()
