"""Attribution finding scored on the hand-coded non-US news set (TASS, China Daily, BBC, RTÉ, DW, Al Jazeera).

    .venv/bin/python benchmarks/eval_intl_attributions.py                 # tune / blind / all + per outlet
    .venv/bin/python benchmarks/eval_intl_attributions.py --errors tune    # missed and spurious attributions

The gold (``tests/data/intl_attributions_gold.csv`` + ``intl_attributions_articles.csv``) holds
offsets only, coded blind to the engine following PolNeAR conventions; the article texts are read
from the demo corpus (``data/external/news_articles.csv``, written by ``make data``) so that no news
text is copied into the repository. Scored with ``evaluate.score_attributions``, the same
definitions as the PolNeAR benchmark. Look at errors on the ``tune`` split only; ``blind`` is for
reporting.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

from analysis import evaluate
from analysis.corpus import load_corpus
from analysis.errors import AnalysisError

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "intl_attributions_gold.csv"
ARTICLES = REPO / "tests" / "data" / "intl_attributions_articles.csv"
CORPUS = REPO / "data" / "external" / "news_articles.csv"
OFFSETS = ["cue_start", "cue_end", "source_start", "source_end", "content_start", "content_end"]


def article_texts(corpus: Path = CORPUS, articles: Path = ARTICLES) -> dict[str, str]:
    """``{article_id: text}`` of the coded articles, exactly as ``load_corpus`` returns them."""
    if not corpus.is_file():
        raise AnalysisError(f"analysis: {corpus} not found; run make data to download the demo corpus")
    ids = pd.read_csv(articles, dtype=str, keep_default_na=False)["article_id"].tolist()
    df = load_corpus(corpus, on_error="skip")
    texts = dict(zip(df["article_id"].astype(str), df["text"]))
    missing = [a for a in ids if a not in texts]
    if missing:
        raise AnalysisError(
            f"analysis: {corpus}: articles {missing} of {articles.name} are missing; "
            "run make data again (the demo corpus may have changed)"
        )
    return {a: texts[a] for a in ids}


def load_split(texts: dict[str, str], split: str | None = None, outlet: str | None = None) -> dict:
    """The gold of one split / outlet, read back through ``evaluate.load_gold_csv`` (its folder layout)."""
    arts = pd.read_csv(ARTICLES, dtype=str, keep_default_na=False)
    if split:
        arts = arts[arts["split"] == split]
    if outlet:
        arts = arts[arts["outlet"] == outlet]
    gold = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    gold = gold[gold["article_id"].isin(set(arts["article_id"]))]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "text").mkdir()
        for aid in arts["article_id"]:
            # bytes, not text mode: a '\r' must not be turned into '\n' (offsets would shift)
            (Path(tmp) / "text" / f"{aid}.txt").write_bytes(texts[aid].encode("utf-8"))
        gold[["article_id", *OFFSETS]].to_csv(Path(tmp) / "attributions.csv", index=False)
        loaded = evaluate.load_gold_csv(tmp)
    for aid, (text, _) in loaded.items():
        if text != texts[aid]:
            raise AnalysisError(
                f"analysis: article {aid}: text changed when read back from disk "
                "(line endings?); offsets would not match"
            )
    return loaded


def predict(gold: dict) -> pd.DataFrame:
    """The extractor's attributions on the gold texts (``analysis.extract``, as a user runs it)."""
    return evaluate.run_extractor(list(gold), [text for text, _ in gold.values()]).attributions


def _score(gold: dict, pred: pd.DataFrame) -> dict:
    """Scores of the predictions for the articles of ``gold`` (a split or an outlet of the set)."""
    return evaluate.score_attributions(gold, pred[pred["article_id"].isin(list(gold))], "the extractor")


def errors(gold: dict) -> list[tuple[str, str, str, str]]:
    """(kind, article_id, cue, context) for each missed (FN) and spurious (FP) attribution,
    paired one-to-one by shared cue words exactly as ``score_attributions`` pairs them."""
    pred = predict(gold)
    out = []
    for aid, (text, gattrs) in gold.items():
        words = evaluate.WordTokens(text)
        p = pred[pred["article_id"] == aid]
        p_spans = [((int(a), int(b)),) for a, b in zip(p["cue_start"], p["cue_end"])]
        g_ids = [{"cue": words.ids(g.cue)} for g in gattrs]
        p_ids = [{"cue": words.ids(s)} for s in p_spans]
        pairs = evaluate.pair_by_cue(g_ids, p_ids)
        paired_g, paired_p = {g for g, _ in pairs}, {p for _, p in pairs}
        for i, g in enumerate(gattrs):
            if i not in paired_g:
                out.append(("FN", aid, text[g.cue[0][0] : g.cue[0][1]], _context(text, *g.cue[0])))
        for j, ((a, b),) in enumerate(p_spans):
            if j not in paired_p:
                out.append(("FP", aid, text[a:b], _context(text, a, b)))
    return out


def _context(text: str, a: int, b: int, width: int = 70) -> str:
    return " ".join((text[max(0, a - width) : a] + "[" + text[a:b] + "]" + text[b : b + width]).split())


def _line(name: str, s: dict) -> str:
    cells = (
        [s["attr"]]
        + [s[f"exact_{r}"] for r in ("cue", "source", "content")]
        + [s[f"token_{r}"] for r in ("cue", "source", "content")]
    )
    return f"{name:<14}{s['gold_attributions']:>5}" + "".join(
        f"  {c['p']:.2f} {c['r']:.2f} {c['f1']:.2f}" for c in cells
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", choices=["tune"], help="list missed (FN) and spurious (FP) attributions")
    args = ap.parse_args(argv)
    try:
        texts = article_texts()
        if args.errors:
            for kind, aid, cue, ctx in errors(load_split(texts, args.errors)):
                print(f"{kind}  {aid:>5}  {cue:<16} {ctx}")
            return 0
        heads = ["attr", "exact cue", "exact source", "exact content", "token cue", "token source", "token content"]
        print(f"{'':<14}{'gold':>5}" + "".join(f"  {h:<14}" for h in heads))
        print(f"{'':<19}" + "  P    R    F1  " * len(heads))
        pred = predict(load_split(texts))  # once: splits and outlets are subsets of the whole set
        for split in ("tune", "blind", None):
            print(_line(split or "all", _score(load_split(texts, split), pred)))
        print(f"\n{'outlet':<14}{'gold':>5}  {'attr P':>6} {'R':>5} {'F1':>5}")
        outlets = pd.read_csv(ARTICLES, dtype=str, keep_default_na=False)["outlet"].unique()
        for outlet in outlets:
            s = _score(load_split(texts, outlet=outlet), pred)
            a = s["attr"]
            print(f"{outlet:<14}{s['gold_attributions']:>5}  {a['p']:>6.2f} {a['r']:>5.2f} {a['f1']:>5.2f}")
    except AnalysisError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
