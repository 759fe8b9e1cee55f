"""Held-out evaluation of the attribution engine on sixths of PolNeAR train.

    .venv/bin/python benchmarks/eval_attribution_folds.py [--sixth A B] [-C 0.5] [--polnear DIR] [--all]

For each chosen sixth (A = articles 0, 6, 12, ... of train in sorted name order, B = 1, 7, 13, ...,
up to F) the cue model is trained on the other five sixths into a temporary model file, the engine
runs with that model (``ANALYSIS_ATTRIBUTION_MODEL``) on the held-out sixth, and the predictions
are scored by ``analysis.evaluate.score_attributions`` (the same numbers as the judges' scorer).
This is the figure to tune on: PolNeAR dev and test stay untouched. Prints P/R/F1 of the
attribution (cue pairing), exact cue, exact source and token content per sixth (``--all``: the F1
of every metric too) and the out-of-fold attribution F1 of the training run. About a minute per
sixth on an idle core.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import pandas as pd

from analysis import attribution, evaluate, train

SIXTHS = "ABCDEF"
METRICS = (
    ("attr", "attr"),
    ("exact cue", "exact_cue"),
    ("exact source", "exact_source"),
    ("token content", "token_content"),
)

ALL_METRICS = (
    "attr",
    "exact_cue",
    "exact_source",
    "exact_content",
    "token_cue",
    "token_source",
    "token_content",
    "full",
)


def split(articles: dict, sixth: str) -> tuple[dict, dict]:
    """(training articles, held-out articles) for sixth ``sixth``."""
    k = SIXTHS.index(sixth)
    names = sorted(articles)
    held = set(names[k::6])
    return ({a: v for a, v in articles.items() if a not in held}, {a: v for a, v in articles.items() if a in held})


def predict(gold: dict, model_file: Path) -> pd.DataFrame:
    """The engine's attributions on the gold texts, with the cue model read from ``model_file``."""
    old = os.environ.get(attribution.MODEL_ENV)
    os.environ[attribution.MODEL_ENV] = str(model_file)
    try:
        return evaluate.run_extractor(list(gold), [text for text, _ in gold.values()]).attributions
    finally:
        if old is None:
            del os.environ[attribution.MODEL_ENV]
        else:
            os.environ[attribution.MODEL_ENV] = old


def evaluate_sixth(articles: dict, gold: dict, sixth: str, C: float, keep: Path | None = None) -> dict:
    """Train on the five other sixths, score on ``sixth``; returns the scorer's summary."""
    train_arts, held_brat = split(articles, sixth)
    model, f1 = train.train_model(train_arts, C)
    with tempfile.TemporaryDirectory() as tmp:
        out = (keep or Path(tmp)) / f"attribution_heldout_{sixth}.json"
        train.write_model(model, out)
        held = {a: gold[a] for a in held_brat}
        pred = predict(held, out)
    summary = evaluate.score_attributions(held, pred, f"sixth {sixth}")
    summary["oof_f1"] = f1
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sixth", nargs="+", default=["A", "B"], choices=list(SIXTHS))
    ap.add_argument("-C", type=float, default=0.5, help="inverse L2 regularisation strength")
    ap.add_argument("--polnear", type=Path, default=train.default_polnear())
    ap.add_argument("--keep", type=Path, help="folder to keep the held-out models in")
    ap.add_argument("--all", action="store_true", help="also print the F1 of every metric of the scorer")
    args = ap.parse_args(argv)
    train_dir = args.polnear / "train"
    articles = train.load_brat(train_dir)
    gold = evaluate.load_brat(train_dir)
    print(f"{'sixth':<6}" + "".join(f"{label:>22}" for label, _ in METRICS) + f"{'oof F1':>8}")
    for sixth in args.sixth:
        s = evaluate_sixth(articles, gold, sixth, args.C, args.keep)
        cells = "".join(f"   {s[k]['p']:.3f}/{s[k]['r']:.3f}/{s[k]['f1']:.3f}" for _, k in METRICS)
        print(f"{sixth:<6}{cells}{s['oof_f1']:>8.3f}", flush=True)
        if args.all:
            print("      F1 " + " / ".join(f"{k} {s[k]['f1']:.3f}" for k in ALL_METRICS), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
