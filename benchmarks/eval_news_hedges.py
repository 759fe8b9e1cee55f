"""Hedge detection scored on the hand-coded news set and on the Szeged splits, side by side.

    .venv/bin/python benchmarks/eval_news_hedges.py             # news tune / blind / all
    .venv/bin/python benchmarks/eval_news_hedges.py --szeged    # + Szeged first 80% / last 20%
    .venv/bin/python benchmarks/eval_news_hedges.py --errors tune   # missed and spurious cues

The news gold (``tests/data/news_hedges_gold.csv`` + ``news_hedges_articles.csv``, 40 PolNeAR dev
articles, see docs/hedging.md) is scored with the Szeged definitions (``evaluate.score_hedges``):
uncertain-sentence P/R/F1 over ``analysis.doc.sentences`` and one-to-one overlapping cue P/R/F1.
Look at errors on the ``tune`` split only; ``blind`` is for reporting.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from analysis import evaluate
from analysis.pipeline import extract_article

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "news_hedges_gold.csv"
ARTICLES = REPO / "tests" / "data" / "news_hedges_articles.csv"
SHARED = Path(os.environ.get("ANALYSIS_SHARED", REPO.parent / "shared"))
TEXTS = SHARED / "corpora" / "polnear" / "dev" / "text"
SZEGED = SHARED / "corpora" / "szeged-uncertainty" / "wiki.xml"


def news_docs(split: str | None = None) -> list[evaluate.SzegedDocument]:
    return evaluate.load_hedge_gold_csv(GOLD, TEXTS, ARTICLES, split)


def predict(docs) -> pd.DataFrame:
    """The hedges frame of each document: the pipeline's hedges step alone (its own Doc, as extract builds it)."""
    rows = []
    for d in docs:
        for h in extract_article(d.article_id, d.text, disable=("attributions", "sources", "tallies")).hedges:
            rows.append(
                {
                    "article_id": d.article_id,
                    "start": h.start,
                    "end": h.end,
                    "category": h.category,
                    "is_hedge": h.is_hedge,
                    "rule": h.rule,
                }
            )
    return pd.DataFrame(rows, columns=["article_id", "start", "end", "category", "is_hedge", "rule"])


def score(docs) -> dict:
    return evaluate.score_hedges(docs, predict(docs), "find_hedges")


def errors(docs) -> list[tuple[str, str, str, str]]:
    """(kind, cue, rule/category, context) for each spurious (FP) and missed (FN) cue."""
    pred = predict(docs)
    pred = pred[pred["is_hedge"]]
    out = []
    for d in docs:
        p = pred[pred["article_id"] == d.article_id]
        spans = list(zip(p["start"], p["end"], p["rule"]))
        used: set[int] = set()
        for ga, gb in d.cues:  # the scorer's one-to-one pairing
            j = next((j for j, (pa, pb, _) in enumerate(spans) if j not in used and pa < gb and pb > ga), None)
            if j is None:
                out.append(("FN", d.text[ga:gb], "", _context(d.text, ga, gb)))
            else:
                used.add(j)
        for j, (pa, pb, rule) in enumerate(spans):
            if j not in used:
                out.append(("FP", d.text[pa:pb], rule, _context(d.text, pa, pb)))
    return out


def _context(text: str, a: int, b: int, width: int = 70) -> str:
    return " ".join((text[max(0, a - width) : a] + "[" + text[a:b] + "]" + text[b : b + width]).split())


def _line(name: str, s: dict) -> str:
    se, cu = s["sentence"], s["cue"]
    return (
        f"{name:<18}{se['p']:>7.3f}{se['r']:>7.3f}{se['f1']:>7.3f}{se['gold']:>6}"
        f"{cu['p']:>8.3f}{cu['r']:>7.3f}{cu['f1']:>7.3f}{cu['gold']:>6}"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--szeged", action="store_true", help="also score Szeged first 80%% and last 20%%")
    ap.add_argument("--errors", choices=["tune", "blind", "all"], help="list spurious and missed cues")
    args = ap.parse_args(argv)
    if args.errors:
        for kind, cue, rule, ctx in errors(news_docs(None if args.errors == "all" else args.errors)):
            print(f"{kind}  {cue:<14} {rule:<22} {ctx}")
        return 0
    print(f"{'':<18}{'sent P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'cue P':>8}{'R':>7}{'F1':>7}{'gold':>6}")
    for split in ("tune", "blind", None):
        print(_line(f"news {split or 'all'}", score(news_docs(split))))
    if args.szeged:
        for name, spec in (("szeged first 80%", ":0.8"), ("szeged last 20%", "0.8:")):
            print(_line(name, score(evaluate.load_szeged(SZEGED, spec))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
