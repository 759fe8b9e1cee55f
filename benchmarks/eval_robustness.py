"""Attributions that survive real copy: scores on PolNeAR dev when line breaks and quotation marks are lost.

    .venv/bin/python benchmarks/eval_robustness.py                          # PolNeAR dev + the demo corpus
    .venv/bin/python benchmarks/eval_robustness.py --seeds 10 --straighten  # more seeds, + curly -> straight
    .venv/bin/python benchmarks/eval_robustness.py --skip-demo --json robustness.json

Scraped news copy often arrives as one line (paragraph breaks gone) and with a quotation mark
lost. Part 1 runs ``analysis.extract`` on PolNeAR dev (``$ANALYSIS_SHARED/corpora/polnear/dev``,
else ``../shared/corpora/polnear/dev``; ``--polnear DIR``) under these conditions and scores each
with ``evaluate.score_attributions`` against the unchanged gold:

* ``clean``: the texts as coded;
* ``flattened``: every line break (``\\n``, ``\\r``) replaced by a space;
* ``blanked``: flattened, and in each article one double quotation mark (``"``, ``“`` or ``”``),
  drawn with ``random.Random(seed)`` over the articles in sorted id order, replaced by a space;
  once per seed ``0 .. --seeds - 1``, reported per seed and as the mean, min and max over seeds
  (each figure on its own: the min of two columns may come from different seeds). Articles
  without a double quotation mark are only flattened;
* ``straightened`` (``--straighten``): flattened, and ``“ ” ‘ ’`` turned into ``" " ' '``.

Every change replaces one character by one character that is not a word character, so the gold
offsets and the scorer's ``\\w+`` tokens stay valid. Reported per condition: P/R/F1 of the
attribution (cue pairing), exact cue, exact source, exact content and token content, and the
change in F1 from ``clean``.

Part 2 (``--skip-demo`` to leave it out) asks whether the demo corpus
(``data/external/news_articles.csv``, written by ``make data``) shows the same thing in the wild:
attributions per 1,000 words (pooled: all attributions over all ``\\w+`` words of the group, from
the ``articles`` frame) in articles with an odd number of ``"`` — at least one mark lost or
added — against those with an even number, overall and per outlet. ``even, >= 2`` leaves out
articles without any ``"``, which quote nobody directly and so have fewer attributions whatever
the copy's state. ``--json PATH`` writes every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
from pathlib import Path

import pandas as pd

import analysis
from analysis import evaluate
from analysis.errors import AnalysisError

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED", REPO.parent / "shared"))
POLNEAR_DEV = SHARED / "corpora" / "polnear" / "dev"
DEMO = REPO / "data" / "external" / "news_articles.csv"

DOUBLE_QUOTES = '"“”'
LINE_BREAKS = str.maketrans({"\n": " ", "\r": " "})
STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
METRICS = (
    ("attr", "attribution"),
    ("exact_cue", "exact cue"),
    ("exact_source", "exact source"),
    ("exact_content", "exact content"),
    ("token_content", "token content"),
)
Gold = dict[str, tuple[str, list[evaluate.GoldAttribution]]]


# --------------------------------------------------------------------------- part 1: PolNeAR dev


def flatten(text: str) -> str:
    return text.translate(LINE_BREAKS)


def blank_one_quote(text: str, rng: random.Random) -> tuple[str, int | None]:
    """``text`` with one double quotation mark, chosen by ``rng``, replaced by a space; and its offset."""
    marks = [i for i, ch in enumerate(text) if ch in DOUBLE_QUOTES]
    if not marks:
        return text, None
    i = rng.choice(marks)
    return text[:i] + " " + text[i + 1 :], i


def with_texts(gold: Gold, texts: dict[str, str]) -> Gold:
    """The gold with each article's text swapped for a same-length copy (offsets stay valid)."""
    for aid, text in texts.items():
        if len(text) != len(gold[aid][0]):
            raise AssertionError(f"{aid}: a perturbation changed the text's length")
    return {aid: (texts[aid], attrs) for aid, (_, attrs) in gold.items()}


def score(gold: Gold) -> dict:
    """The scorer's summary of ``analysis.extract`` on the gold texts, without the per-article frame."""
    ids = list(gold)
    pred = evaluate.run_extractor(ids, [gold[a][0] for a in ids]).attributions
    summary = evaluate.score_attributions(gold, pred, "the extractor")
    summary.pop("per_article")
    return summary


def over_seeds(runs: list[dict]) -> dict[str, dict]:
    """Mean, min and max over seeds of each metric's P, R and F1 (and of the predicted count)."""
    out: dict[str, dict] = {"mean": {}, "min": {}, "max": {}}
    for key in [k for k, _ in METRICS] + ["full"]:
        for stat, fn in (("mean", statistics.fmean), ("min", min), ("max", max)):
            out[stat][key] = {x: round(fn(r[key][x] for r in runs), 4) for x in ("p", "r", "f1")}
    for stat, fn in (("mean", statistics.fmean), ("min", min), ("max", max)):
        out[stat]["pred_attributions"] = round(fn(r["pred_attributions"] for r in runs), 1)
    return out


def polnear(gold_dir: Path, seeds: int, straighten: bool) -> dict:
    gold = evaluate.load_brat(gold_dir)
    flat = {aid: flatten(text) for aid, (text, _) in gold.items()}
    result = {
        "gold_dir": str(gold_dir),
        "articles": len(gold),
        "gold_attributions": sum(len(a) for _, a in gold.values()),
        "articles_without_double_quotes": sum(not any(c in t for c in DOUBLE_QUOTES) for t in flat.values()),
        "line_breaks": sum(t.count("\n") + t.count("\r") for t, _ in gold.values()),
    }
    conditions = {"clean": score(gold), "flattened": score(with_texts(gold, flat))}
    runs, blanked_marks = [], {}
    for seed in range(seeds):
        rng = random.Random(seed)
        texts, marks = {}, []
        for aid in sorted(flat):
            texts[aid], i = blank_one_quote(flat[aid], rng)
            if i is not None:
                marks.append({"article_id": aid, "offset": i, "mark": flat[aid][i]})
        blanked_marks[seed] = marks
        runs.append(score(with_texts(gold, texts)))
    if runs:
        conditions["blanked"] = {"seeds": dict(enumerate(runs)), **over_seeds(runs), "marks": blanked_marks}
    if straighten:
        conditions["straightened"] = score(with_texts(gold, {a: t.translate(STRAIGHT) for a, t in flat.items()}))
    result["conditions"] = conditions
    clean = conditions["clean"]
    result["f1_change_vs_clean"] = {
        name: {k: round(s[k]["f1"] - clean[k]["f1"], 4) for k, _ in METRICS}
        for name, s in _rows(conditions)
        if name != "clean"
    }
    return result


def _rows(conditions: dict) -> list[tuple[str, dict]]:
    """(label, figures) per table row: one per condition, per seed and per statistic over seeds."""
    rows = [("clean", conditions["clean"]), ("flattened", conditions["flattened"])]
    if "blanked" in conditions:
        b = conditions["blanked"]
        rows += [(f"blanked seed {s}", r) for s, r in b["seeds"].items()]
        rows += [(f"blanked {stat}", b[stat]) for stat in ("mean", "min", "max")]
    if "straightened" in conditions:
        rows.append(("straightened", conditions["straightened"]))
    return rows


def print_polnear(res: dict) -> None:
    print(
        f"PolNeAR dev ({res['gold_dir']}): {res['articles']} articles, {res['gold_attributions']} coded "
        f"attributions, {res['line_breaks']} line breaks; {res['articles_without_double_quotes']} articles "
        "have no double quotation mark (only flattened in 'blanked')"
    )
    print(f"{'':<18}{'found':>7}" + "".join(f"  {label:<17}" for _, label in METRICS))
    print(f"{'condition':<18}{'':>7}" + "  P     R     F1   " * len(METRICS))
    for name, s in _rows(res["conditions"]):
        found = s["pred_attributions"]
        found = f"{found:>7}" if isinstance(found, int) else f"{found:>7.1f}"
        print(f"{name:<18}{found}" + "".join(f"  {s[k]['p']:.3f} {s[k]['r']:.3f} {s[k]['f1']:.3f}" for k, _ in METRICS))
    print("\nchange in F1 from clean")
    print(f"{'condition':<18}" + "".join(f"{label:>16}" for _, label in METRICS))
    for name, change in res["f1_change_vs_clean"].items():
        print(f"{name:<18}" + "".join(f"{change[k]:>+16.3f}" for k, _ in METRICS))


# --------------------------------------------------------------------------- part 2: the demo corpus


def rate_table(articles: pd.DataFrame) -> dict:
    """Per quote-parity group: articles, words, attributions and attributions per 1,000 words."""
    groups = {
        "odd": articles["n_quotes"] % 2 == 1,
        "even": articles["n_quotes"] % 2 == 0,
        "even, >= 2": (articles["n_quotes"] % 2 == 0) & (articles["n_quotes"] > 0),
    }
    out = {}
    for name, mask in groups.items():
        g = articles[mask]
        words, attrs = int(g["n_words"].sum()), int(g["n_attributions"].sum())
        out[name] = {
            "articles": len(g),
            "words": words,
            "attributions": attrs,
            "per_1k_words": round(1000 * attrs / words, 3) if words else None,
        }
    return out


def demo(path: Path) -> dict:
    if not path.is_file():
        raise AnalysisError(
            f"analysis: {path} not found; run make data to download the demo corpus (or give --skip-demo)"
        )
    df = analysis.load_corpus(path, on_error="skip")
    counts = analysis.extract(df[["article_id", "text"]]).articles[["article_id", "n_words", "n_attributions"]]
    articles = (
        df[["article_id", "outlet"]]
        .assign(n_quotes=df["text"].str.count('"'))
        .merge(counts, on="article_id", how="left", validate="one_to_one")
    )
    result = {
        "corpus": str(path),
        "articles": len(df),
        "skipped_rows": len(df.attrs.get("skipped", [])),
        "overall": rate_table(articles),
        "outlets": {},
    }
    for outlet, g in articles.groupby(articles["outlet"].fillna(""), sort=True):
        result["outlets"][outlet] = rate_table(g)
    return result


def print_demo(res: dict) -> None:
    print(
        f"\nDemo corpus ({res['corpus']}): {res['articles']} articles"
        + (f", {res['skipped_rows']} rows skipped" if res["skipped_rows"] else "")
        + "; attributions per 1,000 words by the parity of the number of '\"'"
    )
    groups = list(res["overall"])
    print(f"{'outlet':<14}" + "".join(f"{g:>22}" for g in groups) + f"{'odd / even':>12}")
    print(f"{'':<14}" + f"{'articles   per 1k w':>22}" * len(groups))
    for name, t in [("all", res["overall"]), *res["outlets"].items()]:
        cells = "".join(
            f"{t[g]['articles']:>11}"
            + (f"{t[g]['per_1k_words']:>11.2f}" if t[g]["per_1k_words"] is not None else f"{'-':>11}")
            for g in groups
        )
        odd, even = t["odd"]["per_1k_words"], t["even"]["per_1k_words"]
        ratio = f"{odd / even:>12.2f}" if odd is not None and even else f"{'-':>12}"
        print(f"{name:<14}{cells}{ratio}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--polnear", type=Path, default=POLNEAR_DEV, help="the PolNeAR dev BRAT folder")
    ap.add_argument("--seeds", type=int, default=5, help="seeds 0 .. N-1 for the blanked quotation mark")
    ap.add_argument("--straighten", action="store_true", help="also score flattened + curly quotes made straight")
    ap.add_argument("--skip-demo", action="store_true", help="leave out the demo corpus")
    ap.add_argument("--demo", type=Path, default=DEMO, help="the demo corpus CSV")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = ap.parse_args(argv)
    if args.seeds < 0:
        ap.error("--seeds must be 0 or more")
    out: dict = {"seeds": args.seeds}
    try:
        out["polnear_dev"] = polnear(args.polnear, args.seeds, args.straighten)
        print_polnear(out["polnear_dev"])
        if not args.skip_demo:
            out["demo"] = demo(args.demo)
            print_demo(out["demo"])
    except AnalysisError as e:
        print(e, file=sys.stderr)
        return 1
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
