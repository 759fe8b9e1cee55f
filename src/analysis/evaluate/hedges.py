"""Scoring hedges against Szeged-style gold: uncertain sentences and paired hedge cues."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from analysis.errors import AnalysisError
from analysis.evaluate.common import HEDGE_PRED_COLUMNS, Span, _check_known, _ids, _offsets, _require_columns, prf
from analysis.evaluate.gold import SzegedDocument


def _counted_hedges(pred: pd.DataFrame) -> pd.Series:
    """Rows that are hedges: not category 'condition', not is_hedge False."""
    keep = pd.Series(True, index=pred.index)
    if "category" in pred.columns:
        keep &= pred["category"].astype("string").fillna("").str.strip().str.lower() != "condition"
    if "is_hedge" in pred.columns:
        keep &= pred["is_hedge"].astype("string").fillna("").str.strip().str.lower() != "false"
    return keep


def score_hedges(docs: list[SzegedDocument], pred: pd.DataFrame, where: str = "predictions") -> dict:
    """P/R/F1 of predicted hedge cues against Szeged gold (from :func:`load_szeged`).

    ``pred`` has ``article_id, start, end`` and optionally ``category`` and ``is_hedge`` (the
    hedges frame of ``extract``); condition cues (``category`` 'condition' or ``is_hedge`` False)
    are not hedges and are ignored.

    * ``sentence``: a sentence is *uncertain* if a cue overlaps it; P/R/F1 of the uncertain class
      (CoNLL-2010 Task 1 style): does the tool flag the same sentences as the coders?
    * ``cue``: each gold cue, in text order, is paired with the first still-unpaired predicted cue
      (in file order) that overlaps it by at least one character; P = paired / predicted,
      R = paired / gold.
    """
    _require_columns(pred, HEDGE_PRED_COLUMNS, where)
    pred = pred[_counted_hedges(pred)]
    starts, ends = _offsets(pred, "start", where), _offsets(pred, "end", where)
    preds: dict[str, list[Span]] = defaultdict(list)
    for aid, a, b in zip(_ids(pred), starts, ends):
        if a is None or b is None:
            raise AnalysisError(
                f"analysis: {where}: article {aid!r} has a hedge without start/end; every hedge needs both offsets"
            )
        preds[aid].append((a, b))
    unknown = _check_known(set(preds), (d.article_id for d in docs), where, "the Szeged documents")
    s_tp = s_pred = s_gold = 0
    c_match = c_pred = c_gold = 0
    for doc in docs:
        p = preds.get(doc.article_id, [])
        for a, b in doc.sentences:
            g_unc = any(x < b and y > a for x, y in doc.cues)
            p_unc = any(x < b and y > a for x, y in p)
            s_tp += g_unc and p_unc
            s_pred += p_unc
            s_gold += g_unc
        used: set[int] = set()
        for ga, gb in doc.cues:
            j = next((j for j, (pa, pb) in enumerate(p) if j not in used and pa < gb and pb > ga), None)
            if j is not None:
                used.add(j)
        c_match += len(used)
        c_pred += len(p)
        c_gold += len(doc.cues)
    return {
        "documents": len(docs),
        "sentence": prf(s_tp, s_pred, s_gold),
        "cue": prf(c_match, c_pred, c_gold),
        "unknown_article_ids": unknown,
    }
