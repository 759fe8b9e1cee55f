"""``analysis evaluate``: read the gold, score the predictions (or the extractor's), print a table
or JSON."""

from __future__ import annotations

import json

from analysis.errors import AnalysisError
from analysis.evaluate.attributions import run_extractor, score_attributions
from analysis.evaluate.common import ATTRIBUTION_PRED_COLUMNS, HEDGE_PRED_COLUMNS, ROLES, read_predictions
from analysis.evaluate.gold import load_gold, load_szeged
from analysis.evaluate.hedges import score_hedges


def _table(summary: dict, rows: list[tuple[str, str]]) -> str:
    lines = [f"{'':<22}{'P':>8}{'R':>8}{'F1':>8}{'found':>8}{'gold':>8}"]
    for label, key in rows:
        m = summary[key]
        lines.append(f"{label:<22}{m['p']:>8.3f}{m['r']:>8.3f}{m['f1']:>8.3f}{m['pred']:>8}{m['gold']:>8}")
    return "\n".join(lines)


def _print_attributions(s: dict, pred_name: str) -> None:
    print(
        f"Attributions: {pred_name} vs {s['articles']} gold articles "
        f"({s['pred_attributions']} found, {s['gold_attributions']} coded)"
    )
    print(
        _table(
            s,
            [
                ("attribution (cue)", "attr"),
                ("full (+source+content)", "full"),
                *[(f"words: {r}", f"token_{r}") for r in ROLES],
                *[(f"exact span: {r}", f"exact_{r}") for r in ROLES],
            ],
        )
    )
    print(
        f"paired attributions: source overlaps gold {s['matched_source_overlap']:.1%}, "
        f"mean content word F1 {s['matched_content_f1']:.3f}"
    )
    worst = s["per_article"].sort_values(["attr_f1", "article_id"]).head(5)
    if len(worst):
        print("articles with the lowest attribution F1 (found / coded):")
        for r in worst.itertuples():
            print(f"  {r.attr_f1:.3f}  {r.pred_attributions:>3} / {r.gold_attributions:<3} {r.article_id}")
    if s["unknown_article_ids"]:
        print(f"note: {s['unknown_article_ids']} predicted article id(s) are not in the gold and were not scored")


def _print_hedges(s: dict, pred_name: str) -> None:
    print(f"Hedges: {pred_name} vs {s['documents']} Szeged documents")
    print(_table(s, [("uncertain sentences", "sentence"), ("hedge cues", "cue")]))
    if s["unknown_article_ids"]:
        print(f"note: {s['unknown_article_ids']} predicted article id(s) are not in the documents and were not scored")


def cli_evaluate(args) -> int:
    """``analysis evaluate --gold DIR [--pred CSV]`` and/or ``--szeged XML [--hedges CSV] [--docs 0.8:]``."""
    if args.pred and not args.gold:
        raise AnalysisError("analysis: evaluate --pred needs --gold BRAT_DIR to score against")
    if args.hedges and not args.szeged:
        raise AnalysisError("analysis: evaluate --hedges needs --szeged XML to score against")
    if not args.gold and not args.szeged:
        raise AnalysisError("analysis: evaluate needs --gold BRAT_DIR (attributions) and/or --szeged XML (hedges)")
    out: dict = {}
    if args.gold:
        gold = load_gold(args.gold)
        if args.pred:
            pred, name = read_predictions(args.pred, ATTRIBUTION_PRED_COLUMNS), str(args.pred)
        else:
            ids = list(gold)
            pred, name = run_extractor(ids, [gold[a][0] for a in ids]).attributions, "the extractor"
        out["attributions"] = score_attributions(gold, pred, name)
        if not args.json:
            _print_attributions(out["attributions"], name)
    if args.szeged:
        docs = load_szeged(args.szeged, args.docs)
        if args.hedges:
            pred, name = read_predictions(args.hedges, HEDGE_PRED_COLUMNS), str(args.hedges)
        else:
            pred = run_extractor([d.article_id for d in docs], [d.text for d in docs]).hedges
            name = "the extractor"
        out["hedges"] = score_hedges(docs, pred, name)
        if not args.json:
            if args.gold:
                print()
            _print_hedges(out["hedges"], name)
    if args.json:
        if "attributions" in out:
            out["attributions"] = {
                **out["attributions"],
                "per_article": out["attributions"]["per_article"].to_dict("records"),
            }
        print(json.dumps(out, indent=1))
    return 0
