"""Attributions, who is speaking and hedges scored on the two hand-coded sets of real (demo corpus) copy.

    .venv/bin/python benchmarks/eval_real_copy.py                    # every figure, tune / blind / all
    .venv/bin/python benchmarks/eval_real_copy.py --json real.json   # also write them as JSON
    .venv/bin/python benchmarks/eval_real_copy.py --errors tune      # tune errors with context (only tune)

Two gold sets, both offsets into the demo corpus (``data/external/news_articles.csv``, ``make data``):
``intl`` (``tests/data/intl_attributions_gold.csv`` + ``intl_attributions_articles.csv``, 24
articles, attributions only) and ``demo`` (``tests/data/demo_gold_attributions.csv``,
``demo_gold_hedges.csv``, ``demo_gold_articles.csv``: 54 articles of 9 outlets coded by
``docs/gold_coding.md``; ``content_more`` parts are extra content spans). ``analysis.extract`` runs
once over all articles of both sets. Figures:

1. Attributions (``evaluate.score_attributions``): attribution (cue pairing), exact cue / source /
   content, token content, per set x split; demo attribution P/R/F1 per outlet (blind, all).
2. Who is speaking (demo): over cue-paired attributions (``evaluate.pair_by_cue``) whose gold has a
   source span: source type accuracy, macro-F1 over the six gold types (types with gold or
   predicted support), gold x predicted confusion ('no source' = no predicted source span);
   speaker accuracy (case-insensitive exact; looser: same last word) where gold gives a speaker, and
   on gold sources 'he'/'she'. Source-type shares over all attributions, predicted (the
   ``source_type`` column reports count) vs gold (gold 'none' counted as 'unresolved'), per outlet,
   with their total variation distance (TVD, half the summed absolute differences).
3. Hedges (demo): gold hedges but 'condition' vs predicted ``is_hedge``, paired one-to-one by
   shared words, largest overlap first (as ``gold_agreement.py``); cue P/R/F1; on pairs voice
   accuracy (gold 'source'/'interview' = not reporter) and category agreement; reporter-voice share
   of counted hedges, predicted vs gold, per outlet.

Errors may be read on the ``tune`` split only; ``blind`` is the honest measurement: aggregates only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd

from analysis import evaluate
from analysis.corpus import load_corpus
from analysis.errors import AnalysisError

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
CORPUS = REPO / "data" / "external" / "news_articles.csv"
SETS = {
    "intl": (DATA / "intl_attributions_gold.csv", DATA / "intl_attributions_articles.csv"),
    "demo": (DATA / "demo_gold_attributions.csv", DATA / "demo_gold_articles.csv"),
}
HEDGES = DATA / "demo_gold_hedges.csv"
OFFSETS = ["cue_start", "cue_end", "source_start", "source_end", "content_start", "content_end"]
SPLITS = ("tune", "blind", "all")
TYPES = ["person", "organisation", "media", "document", "anonymous", "vague"]
PRED_COLS = TYPES + ["unresolved", "no source"]
SHARE_TYPES = TYPES + ["unresolved"]
WORD = re.compile(r"\w+")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _s(x) -> str:
    return "" if x is None or pd.isna(x) else str(x).strip()


def article_texts(ids: list[str]) -> dict[str, str]:
    """``{article_id: text}`` of the coded articles, exactly as ``load_corpus`` returns them."""
    if not CORPUS.is_file():
        raise AnalysisError(f"analysis: {CORPUS} not found; run make data to download the demo corpus")
    df = load_corpus(CORPUS, on_error="skip")
    texts = dict(zip(df["article_id"].astype(str), df["text"]))
    missing = [a for a in ids if a not in texts]
    if missing:
        raise AnalysisError(f"analysis: {CORPUS}: coded articles {missing} are missing; run make data again")
    return {a: texts[a] for a in ids}


def load_set(name: str, texts: dict[str, str]) -> tuple[pd.DataFrame, dict, dict]:
    """(articles, gold as ``load_gold_csv`` reads it, ``{article_id: [gold row, ...]}`` in the same order)."""
    gold_csv, arts_csv = SETS[name]
    arts, rows = _read(arts_csv), _read(gold_csv)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "text").mkdir()
        for aid in arts["article_id"]:  # bytes: a '\r' must not become '\n' (offsets would shift)
            (Path(tmp) / "text" / f"{aid}.txt").write_bytes(texts[aid].encode("utf-8"))
        rows[["article_id", *OFFSETS]].to_csv(Path(tmp) / "attributions.csv", index=False)
        gold = evaluate.load_gold_csv(tmp)
    by_article = {aid: [r for _, r in g.iterrows()] for aid, g in rows.groupby("article_id", sort=False)}
    for aid, (text, gattrs) in gold.items():
        if text != texts[aid]:
            raise AnalysisError(f"analysis: article {aid}: text changed when read back from disk (line endings?)")
        grows = by_article.get(aid, [])
        for i, (g, r) in enumerate(zip(gattrs, grows)):
            if g.cue != ((int(r["cue_start"]), int(r["cue_end"])),):
                raise AnalysisError(f"analysis: {gold_csv}: rows of article {aid} out of step with load_gold_csv")
            more = [tuple(map(int, p.split("-"))) for p in r.get("content_more", "").split(";") if p.strip()]
            if any(not 0 <= a < b <= len(text) for a, b in more):
                raise AnalysisError(f"analysis: {gold_csv}: article {aid}: content_more {more} not inside the text")
            gattrs[i] = dataclasses.replace(g, content=g.content + tuple(more))
    return arts, gold, by_article


def ids_of(arts: pd.DataFrame, split: str = "all", outlet: str | None = None) -> list[str]:
    keep = arts if split == "all" else arts[arts["split"] == split]
    return (keep if outlet is None else keep[keep["outlet"] == outlet])["article_id"].tolist()


def score(gold: dict, pred: pd.DataFrame, ids: list[str]) -> dict:
    s = evaluate.score_attributions({a: gold[a] for a in ids}, pred[pred["article_id"].isin(ids)], "the extractor")
    return {k: v for k, v in s.items() if k != "per_article"}


def cue_pairs(text: str, gattrs: list, p: pd.DataFrame) -> list[tuple[int, int]]:
    """(gold index, predicted row position) pairs exactly as ``score_attributions`` pairs them."""
    words = evaluate.WordTokens(text)
    g_ids = [{"cue": words.ids(g.cue)} for g in gattrs]
    p_ids = [{"cue": words.ids([(int(a), int(b))])} for a, b in zip(p["cue_start"], p["cue_end"])]
    return evaluate.pair_by_cue(g_ids, p_ids)


def source_records(arts, gold, rows, pred) -> pd.DataFrame:
    """One row per cue-paired demo attribution: gold and predicted source type and speaker."""
    out = []
    for aid, (text, gattrs) in gold.items():
        p = pred[pred["article_id"] == aid].reset_index(drop=True)
        for gi, pi in cue_pairs(text, gattrs, p):
            g, q = rows[aid][gi], p.iloc[pi]
            ptype = "no source" if pd.isna(q["source_start"]) else (_s(q["source_type"]) or "unresolved")
            out.append(
                {
                    "article_id": aid,
                    "has_source": g["source_start"] != "",
                    "gold_type": g["source_type"],
                    "pred_type": ptype,
                    "gold_speaker": g["speaker"].strip(),
                    "pred_speaker": _s(q["speaker"]),
                    "gold_source": g["source_text"],
                    "pred_source": _s(q["source_text"]),
                    "cue": (int(q["cue_start"]), int(q["cue_end"])),
                }
            )
    return pd.DataFrame(out).merge(arts[["article_id", "split", "outlet"]], on="article_id")


def _last(s: str) -> str:
    w = WORD.findall(s.casefold())
    return w[-1] if w else ""


def _acc(hits: pd.Series) -> dict:
    return {"acc": round(float(hits.mean()), 4) if len(hits) else None, "n": int(len(hits))}


def speaking(recs: pd.DataFrame) -> dict:
    """Source type and speaker figures over the cue-paired attributions whose gold has a source."""
    r = recs[recs["has_source"]]
    per_type = {}
    for t in TYPES:
        tp = int(((r["gold_type"] == t) & (r["pred_type"] == t)).sum())
        per_type[t] = evaluate.prf(tp, int((r["pred_type"] == t).sum()), int((r["gold_type"] == t).sum()))
    used = [m["f1"] for m in per_type.values() if m["gold"] or m["pred"]]
    conf = pd.crosstab(r["gold_type"], r["pred_type"]).reindex(index=TYPES, columns=PRED_COLS, fill_value=0)
    spk = r[r["gold_speaker"] != ""]
    exact = spk["gold_speaker"].str.casefold() == spk["pred_speaker"].str.casefold()
    loose = spk["gold_speaker"].map(_last) == spk["pred_speaker"].map(_last)
    heshe = spk["gold_source"].str.strip().str.lower().isin(["he", "she"])
    return {
        "pairs": int(len(recs)),
        "pairs_with_gold_source": int(len(r)),
        "type_accuracy": _acc(r["gold_type"] == r["pred_type"]),
        "type_macro_f1": round(sum(used) / len(used), 4) if used else None,
        "per_type": per_type,
        "confusion": {g: {p: int(conf.loc[g, p]) for p in PRED_COLS} for g in TYPES},
        "speaker_exact": _acc(exact),
        "speaker_last_word": _acc(loose & (spk["pred_speaker"] != "")),
        "he_she_exact": _acc(exact[heshe]),
        "he_she_last_word": _acc((loose & (spk["pred_speaker"] != ""))[heshe]),
    }


def shares(gold_rows: pd.DataFrame, pred: pd.DataFrame) -> dict:
    """Source-type shares over all attributions: predicted (as reports count them) vs gold."""
    g = gold_rows["source_type"].replace("none", "unresolved").value_counts()
    p = pred["source_type"].astype("string").fillna("unresolved").value_counts()
    gs = {t: round(int(g.get(t, 0)) / max(1, len(gold_rows)), 4) for t in SHARE_TYPES}
    ps = {t: round(int(p.get(t, 0)) / max(1, len(pred)), 4) for t in SHARE_TYPES}
    tvd = round(sum(abs(gs[t] - ps[t]) for t in SHARE_TYPES) / 2, 4)
    return {"gold_n": int(len(gold_rows)), "pred_n": int(len(pred)), "gold": gs, "pred": ps, "tvd": tvd}


def hedge_records(arts, texts, ghedges, phedges) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-article gold / predicted / paired counts, one row per hedge pair or unpaired hedge)."""
    counts, recs = [], []
    for aid in arts["article_id"]:
        words = evaluate.WordTokens(texts[aid])
        g = ghedges[ghedges["article_id"] == aid].reset_index(drop=True)
        p = phedges[phedges["article_id"] == aid].reset_index(drop=True)
        gw = [words.ids([(int(a), int(b))]) for a, b in zip(g["start"], g["end"])]
        pw = [words.ids([(int(a), int(b))]) for a, b in zip(p["start"], p["end"])]
        cand = sorted(((len(x & y), -i, -j) for i, x in enumerate(gw) for j, y in enumerate(pw) if x & y), reverse=True)
        ug, up = {}, {}
        for _, i, j in cand:
            if -i not in ug and -j not in up:
                ug[-i], up[-j] = -j, -i
        for i, r in g.iterrows():
            q = p.iloc[ug[i]] if i in ug else None
            recs.append(
                {
                    "article_id": aid,
                    "kind": "pair" if q is not None else "FN",
                    "gold_voice": "reporter" if r["voice"] == "reporter" else "not reporter",
                    "pred_voice": None if q is None else ("reporter" if q["voice"] == "reporter" else "not reporter"),
                    "gold_cat": r["category"],
                    "pred_cat": None if q is None else _s(q["category"]),
                    "span": (int(r["start"]), int(r["end"])),
                }
            )
        for j, q in p.iterrows():
            if j not in up:
                recs.append(
                    {"article_id": aid, "kind": "FP", "pred_cat": _s(q["category"]), "span": (q["start"], q["end"])}
                )
        counts.append({"article_id": aid, "gold": len(g), "pred": len(p), "paired": len(ug)})
        counts[-1].update(
            gold_rep=int((g["voice"] == "reporter").sum()), pred_rep=int((p["voice"] == "reporter").sum())
        )
    meta = arts[["article_id", "split", "outlet"]]
    return pd.DataFrame(counts).merge(meta, on="article_id"), pd.DataFrame(recs).merge(meta, on="article_id")


def hedge_figures(counts: pd.DataFrame, recs: pd.DataFrame) -> dict:
    c, pairs = counts.sum(numeric_only=True), recs[recs["kind"] == "pair"]
    share = lambda k, n: round(int(c[k]) / int(c[n]), 4) if int(c[n]) else None
    return {
        "cue": evaluate.prf(int(c["paired"]), int(c["pred"]), int(c["gold"])),
        "voice_accuracy": _acc(pairs["gold_voice"] == pairs["pred_voice"]),
        "category_agreement": _acc(pairs["gold_cat"] == pairs["pred_cat"]),
        "reporter_share": {"gold": share("gold_rep", "gold"), "pred": share("pred_rep", "pred")},
        "reporter_counts": {k: int(c[k]) for k in ("gold_rep", "gold", "pred_rep", "pred")},
    }


def _context(text: str, a: int, b: int, width: int = 70) -> str:
    return " ".join((text[max(0, a - width) : a] + "[" + text[a:b] + "]" + text[b : b + width]).split())


def tune_errors(sets: dict, pred: pd.DataFrame, recs: pd.DataFrame, hrecs: pd.DataFrame, texts: dict) -> None:
    """Print missed / spurious attributions, source-type disagreements and hedge errors of TUNE only."""
    for name, (arts, gold, _rows) in sets.items():
        for aid in ids_of(arts, "tune"):
            text, gattrs = gold[aid]
            p = pred[pred["article_id"] == aid].reset_index(drop=True)
            pairs = cue_pairs(text, gattrs, p)
            for i, g in enumerate(gattrs):
                if i not in {gi for gi, _ in pairs}:
                    (a, b), *_ = g.cue
                    print(f"{name} FN  {aid:>5}  {text[a:b]:<16} {_context(text, a, b)}")
            for j, (a, b) in enumerate(zip(p["cue_start"], p["cue_end"])):
                if j not in {pj for _, pj in pairs}:
                    print(f"{name} FP  {aid:>5}  {text[a:b]:<16} {_s(p['rule'][j]):<28} {_context(text, a, b)}")
    r = recs[(recs["split"] == "tune") & recs["has_source"] & (recs["gold_type"] != recs["pred_type"])]
    for x in r.itertuples():
        print(
            f"TYPE {x.article_id:>5}  gold {x.gold_type}:{x.gold_source!r} ({x.gold_speaker})  pred "
            f"{x.pred_type}:{x.pred_source!r} ({x.pred_speaker})  {_context(texts[x.article_id], *x.cue)}"
        )
    for x in hrecs[hrecs["split"] == "tune"].itertuples():
        what = {"FN": f"gold {x.gold_cat}", "FP": f"pred {x.pred_cat}"}.get(x.kind, "")
        if x.kind == "pair" and (x.gold_voice != x.pred_voice or x.gold_cat != x.pred_cat):
            what = f"voice {x.gold_voice}/{x.pred_voice} category {x.gold_cat}/{x.pred_cat}"
        if what:
            kind = x.kind if x.kind != "pair" else "DIFF"
            print(f"HEDGE {kind:<4} {x.article_id:>5}  {what:<50} {_context(texts[x.article_id], *map(int, x.span))}")


def _prf(m: dict) -> str:
    return f"{m['p']:.2f} {m['r']:.2f} {m['f1']:.2f}"


def _pct(x) -> str:
    return "  n/a" if x is None else f"{x:5.1%}"


def report(out: dict) -> None:
    print("1. Attributions (P R F1)")
    heads = ["attribution", "exact cue", "exact source", "exact content", "token content"]
    print(f"{'set':<5}{'split':<6}{'gold':>5}{'pred':>5}" + "".join(f"  {h:<14}" for h in heads))
    for name, by_split in out["attributions"].items():
        for split, s in by_split.items():
            keys = ["attr", "exact_cue", "exact_source", "exact_content", "token_content"]
            cells = "".join(f"  {_prf(s[k]):<14}" for k in keys)
            print(f"{name:<5}{split:<6}{s['gold_attributions']:>5}{s['pred_attributions']:>5}{cells}")
    for split in ("blind", "all"):
        print(f"\ndemo {split}, per outlet: attribution   gold  pred  paired")
        for outlet, m in out["demo_outlets"][split].items():
            print(f"  {outlet:<14}{_prf(m):<18}{m['gold']:>5}{m['pred']:>6}{m['tp']:>8}")
    print("\n2. Who is speaking (demo; cue-paired attributions whose gold has a source)")
    for split, s in out["speaking"].items():
        keys = ("type_accuracy", "speaker_exact", "speaker_last_word", "he_she_exact", "he_she_last_word")
        ta, se, sl, he, hl = (s[k] for k in keys)
        print(
            f"{split:<6} pairs {s['pairs_with_gold_source']:>3}/{s['pairs']:<3} type acc {_pct(ta['acc'])}  "
            f"macro-F1 {s['type_macro_f1']:.3f}  speaker exact {_pct(se['acc'])} last word {_pct(sl['acc'])} "
            f"(n={se['n']})  he/she {_pct(he['acc'])} / {_pct(hl['acc'])} (n={he['n']})"
        )
        print("       per-type F1  " + "  ".join(f"{t[:5]} {m['f1']:.2f}" for t, m in s["per_type"].items()))
        print(f"       {'gold / pred':<14}" + "".join(f"{c[:6]:>7}" for c in PRED_COLS))
        for g, row in s["confusion"].items():
            print(f"       {g:<14}" + "".join(f"{row[c]:>7}" for c in PRED_COLS))
    for split in ("blind", "all"):
        print(f"\nsource-type shares, gold / predicted, demo {split}, per outlet (unres = gold 'none' + unresolved)")
        print(f"  {'outlet':<14}{'gold':>5}{'pred':>5}" + "".join(f"{t[:6]:>13}" for t in SHARE_TYPES) + "    TVD")
        for outlet, m in out["source_shares"][split].items():
            cells = "".join(f"{_pct(m['gold'][t])}/{_pct(m['pred'][t])}".rjust(13) for t in SHARE_TYPES)
            print(f"  {outlet:<14}{m['gold_n']:>5}{m['pred_n']:>5}{cells}  {m['tvd']:.3f}")
    print("\n3. Hedges (demo; gold without 'condition' vs predicted is_hedge)")
    for split, h in out["hedges"].items():
        va, ca, rs, rc = h["voice_accuracy"], h["category_agreement"], h["reporter_share"], h["reporter_counts"]
        print(
            f"{split:<6} cue {_prf(h['cue'])} (paired {h['cue']['tp']}, pred {h['cue']['pred']}, gold "
            f"{h['cue']['gold']})  voice acc {_pct(va['acc'])}  category {_pct(ca['acc'])} (n={va['n']})  "
            f"reporter share gold {_pct(rs['gold'])} ({rc['gold_rep']}/{rc['gold']}) "
            f"pred {_pct(rs['pred'])} ({rc['pred_rep']}/{rc['pred']})"
        )
    for split in ("blind", "all"):
        print(f"\nhedges demo {split}, per outlet: cue P R F1, reporter-voice share gold / pred (counts)")
        for outlet, h in out["hedge_outlets"][split].items():
            rs, rc = h["reporter_share"], h["reporter_counts"]
            print(
                f"  {outlet:<14}{_prf(h['cue'])}   {_pct(rs['gold'])} ({rc['gold_rep']:>2}/{rc['gold']:<2}) "
                f"/ {_pct(rs['pred'])} ({rc['pred_rep']:>2}/{rc['pred']:<2})"
            )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", choices=["tune"], help="list the tune split's errors (never blind)")
    ap.add_argument("--json", metavar="PATH", help="write every figure as JSON")
    args = ap.parse_args(argv)
    try:
        all_ids = list(dict.fromkeys(a for _, arts in SETS.values() for a in _read(arts)["article_id"]))
        texts = article_texts(all_ids)
        sets = {name: load_set(name, texts) for name in SETS}
        frames = evaluate.run_extractor(all_ids, [texts[a] for a in all_ids])  # once, over both sets
        pred = frames.attributions[frames.attributions["cue_start"].notna()]
        arts, gold, rows = sets["demo"]
        recs = source_records(arts, gold, rows, pred[pred["article_id"].isin(list(gold))])
        gh = _read(HEDGES)
        gh = gh[gh["category"] != "condition"]
        ph = frames.hedges[frames.hedges["is_hedge"].fillna(False).astype(bool)]
        hcounts, hrecs = hedge_records(arts, texts, gh, ph)
        if args.errors:
            tune_errors(sets, pred, recs, hrecs, texts)
            return 0
        gold_rows = _read(SETS["demo"][0])
        out: dict = {"attributions": {}, "demo_outlets": {}, "speaking": {}, "source_shares": {}}
        out.update(hedges={}, hedge_outlets={})
        for name, (a, g, _) in sets.items():
            out["attributions"][name] = {split: score(g, pred, ids_of(a, split)) for split in SPLITS}
        outlets = list(dict.fromkeys(arts["outlet"]))
        for split in SPLITS:
            groups = {o: ids_of(arts, split, o) for o in outlets}
            out["demo_outlets"][split] = {o: score(gold, pred, ids)["attr"] for o, ids in groups.items()}
            out["speaking"][split] = speaking(recs if split == "all" else recs[recs["split"] == split])
            out["source_shares"][split] = {
                o: shares(gold_rows[gold_rows["article_id"].isin(ids)], pred[pred["article_id"].isin(ids)])
                for o, ids in {**groups, "all outlets": ids_of(arts, split)}.items()
            }
            sel = lambda df, ids: df[df["article_id"].isin(ids)]
            out["hedges"][split] = hedge_figures(sel(hcounts, ids_of(arts, split)), sel(hrecs, ids_of(arts, split)))
            out["hedge_outlets"][split] = {
                o: hedge_figures(sel(hcounts, ids), sel(hrecs, ids)) for o, ids in groups.items()
            }
        report(out)
        if args.json:
            Path(args.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    except AnalysisError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
