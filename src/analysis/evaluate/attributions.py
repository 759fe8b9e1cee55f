"""Scoring attributions: word-token and exact-span P/R/F1 per role, and one-to-one pairing of
predicted and gold attributions by shared cue words (the judges' scorer's definitions)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict

import pandas as pd

from analysis.evaluate.common import ROLES, Span, _check_known, _ids, _role_spans, prf
from analysis.evaluate.gold import GoldAttribution
from analysis.pipeline import extract

# Word tokens: the same definition as the judges' scorer (and as the word counts in extract).
WORD = re.compile(r"\w+", re.UNICODE)


class WordTokens:
    """The ``\\w+`` tokens of one text, for fast span -> token-index lookups (bisect, not scans)."""

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in WORD.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def ids(self, spans) -> frozenset[int]:
        """Indices of the tokens that overlap any of the spans by at least one character."""
        out: set[int] = set()
        for a, b in spans:
            # tokens are sorted and disjoint: those with end > a and start < b form one run
            out.update(range(bisect_right(self.ends, a), bisect_left(self.starts, b)))
        return frozenset(out)


def _set_f1(pred: frozenset, gold: frozenset) -> float:
    """Token F1 of two token sets; two empty sets agree perfectly."""
    if not pred and not gold:
        return 1.0
    inter = len(pred & gold)
    return 2 * inter / (len(pred) + len(gold)) if inter else 0.0


def _hull(ids: frozenset[int]) -> tuple[int, int] | None:
    return (min(ids), max(ids)) if ids else None


def _pred_attributions(pred: pd.DataFrame, where: str) -> dict[str, list[dict[str, tuple[Span, ...]]]]:
    """Predicted spans grouped by article (rows without a cue cannot be matched and are skipped)."""
    out: dict[str, list[dict[str, tuple[Span, ...]]]] = defaultdict(list)
    for aid, spans in zip(_ids(pred), _role_spans(pred, where)):
        if spans["cue"]:
            out[aid].append(spans)
    return out


def score_attributions(
    gold: dict[str, tuple[str, list[GoldAttribution]]], pred: pd.DataFrame, where: str = "predictions"
) -> dict:
    """P/R/F1 of predicted attributions against gold (from :func:`load_gold`).

    ``pred`` has ``article_id, cue_start, cue_end`` and optionally ``source_start, source_end,
    content_start, content_end`` (empty where absent) — the attributions frame of ``extract``.

    * ``token_<role>``: each word token of the article is labelled source / cue / content if any
      attribution covers it; P/R/F1 over those labelled tokens.
    * ``exact_<role>``: a span counts if it starts and ends on the same word tokens as a gold span
      (a discontinuous span is taken from its first to its last word).
    * ``attr``: predicted and gold attributions are paired one-to-one by how many cue words they
      share (largest overlap first; ties broken as in the judges' scorer); P = paired / predicted,
      R = paired / gold.
    * ``full``: a paired attribution that also has the right source (overlapping the gold source,
      or both without a source) and the right content (content word F1 >= 0.5).
    * ``matched_source_overlap`` / ``matched_content_f1``: averages over the paired attributions.
    * ``per_article``: a DataFrame, one row per gold article, to see which articles disagree.
    * ``unknown_article_ids``: predicted articles that are not in the gold (not scored).
    """
    preds = _pred_attributions(pred, where)
    unknown = _check_known(set(preds), gold, where, "the gold folder")
    tok = {r: [0, 0, 0] for r in ROLES}  # tp, pred, gold
    exact = {r: [0, 0, 0] for r in ROLES}
    n_pred = n_gold = n_match = n_full = 0
    src_ok_sum = content_f1_sum = 0.0
    rows = []
    for aid, (text, gattrs) in gold.items():
        words = WordTokens(text)
        g_ids = [{r: words.ids(getattr(a, r)) for r in ROLES} for a in gattrs]
        p_ids = [{r: words.ids(a[r]) for r in ROLES} for a in preds.get(aid, [])]
        art = {"article_id": aid, "gold_attributions": len(g_ids), "pred_attributions": len(p_ids)}
        for r in ROLES:
            g = frozenset().union(*(a[r] for a in g_ids))
            p = frozenset().union(*(a[r] for a in p_ids))
            counts = (len(g & p), len(p), len(g))
            tok[r] = [x + y for x, y in zip(tok[r], counts)]
            art[f"token_{r}_f1"] = prf(*counts)["f1"]
            ge = {h for a in g_ids if (h := _hull(a[r]))}
            pe = {h for a in p_ids if (h := _hull(a[r]))}
            exact[r] = [x + y for x, y in zip(exact[r], (len(ge & pe), len(pe), len(ge)))]
        matched = full = 0
        for gi, pi in pair_by_cue(g_ids, p_ids):
            g, p = g_ids[gi], p_ids[pi]
            src_ok = (not g["source"] and not p["source"]) or bool(g["source"] & p["source"])
            content_f1 = _set_f1(p["content"], g["content"])
            matched += 1
            src_ok_sum += src_ok
            content_f1_sum += content_f1
            full += src_ok and content_f1 >= 0.5
        n_match += matched
        n_full += full
        n_pred += len(p_ids)
        n_gold += len(g_ids)
        a_prf, f_prf = prf(matched, len(p_ids), len(g_ids)), prf(full, len(p_ids), len(g_ids))
        art.update(
            {
                "matched": matched,
                "full": full,
                "attr_p": a_prf["p"],
                "attr_r": a_prf["r"],
                "attr_f1": a_prf["f1"],
                "full_f1": f_prf["f1"],
            }
        )
        rows.append(art)
    return {
        "articles": len(gold),
        "gold_attributions": n_gold,
        "pred_attributions": n_pred,
        **{f"token_{r}": prf(*tok[r]) for r in ROLES},
        **{f"exact_{r}": prf(*exact[r]) for r in ROLES},
        "attr": prf(n_match, n_pred, n_gold),
        "full": prf(n_full, n_pred, n_gold),
        "matched_source_overlap": round(src_ok_sum / n_match, 4) if n_match else 0.0,
        "matched_content_f1": round(content_f1_sum / n_match, 4) if n_match else 0.0,
        "unknown_article_ids": unknown,
        "per_article": pd.DataFrame(
            rows,
            columns=[
                "article_id",
                "gold_attributions",
                "pred_attributions",
                "matched",
                "full",
                "attr_p",
                "attr_r",
                "attr_f1",
                "full_f1",
                "token_source_f1",
                "token_cue_f1",
                "token_content_f1",
            ],
        ),
    }


def pair_by_cue(g_ids: list[dict], p_ids: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), greedily by shared cue words.

    Ties go to the later gold / later prediction: the judges' scorer's order, kept so that the
    numbers agree exactly.
    """
    candidates = []
    for gi, g in enumerate(g_ids):
        for pi, p in enumerate(p_ids):
            shared = len(g["cue"] & p["cue"])
            if shared:
                candidates.append((shared, gi, pi))
    candidates.sort(reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def run_extractor(ids: list[str], texts: list[str]):
    """The extractor's frames on gold texts: what is scored when no predictions are given (the
    command line, and the benchmarks' held-out and non-US evaluations)."""
    return extract(pd.DataFrame({"article_id": ids, "text": texts}))
