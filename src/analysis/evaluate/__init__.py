"""Evaluation: how well does the extraction agree with articles coded by hand?

Two kinds of hand-coded ("gold") data are read:

* **Attributions** in BRAT standoff, the PolNeAR layout: a folder with ``text/<id>.txt`` and
  ``attributions/<id>_<annotator>.ann`` (or ``<id>.ann``). An ``E`` line links one attribution:
  its cue ("said"), its source ("a White House official", may be absent) and its content (what was
  said; can be discontinuous, ``Content 10 40;45 90``, and can have a second part, ``Content2``).
* **Hedges** in the Szeged Uncertainty Corpus XML: inline ``<ccue>`` marks an uncertainty cue.
  Condition cues ("if", "unless") are not hedges in a newsroom's sense and are left out.

The numbers are precision (P: of what the tool found, the share that the coders also marked),
recall (R: of what the coders marked, the share the tool found) and F1 (their harmonic mean).
All counts are pooled over every article ("micro" averages) unless said otherwise.

The definitions are those of the judges' scorers (``polnear_score.py``, ``szeged_score.py``);
the tests check that both give the same numbers to four decimals.

Modules, each importing only those before it (this package re-exports their public names, so
``evaluate.X`` works for all of them):

- ``common``: ``Span``, ``ROLES``, the predictions CSV columns, ``prf``, ``read_predictions``;
- ``gold``: the gold readers (``read_ann``, ``load_brat``, ``load_gold_csv``, ``load_gold``,
  ``load_szeged``, ``load_hedge_gold_csv``) and their records (``GoldAttribution``, ``SzegedDocument``);
- ``attributions`` and ``hedges`` (neither imports the other): the scorers (``score_attributions``,
  ``pair_by_cue``, ``WordTokens``, ``run_extractor``; ``score_hedges``);
- ``cli``: ``analysis evaluate`` (``cli_evaluate``).
"""

from __future__ import annotations

from analysis.evaluate.attributions import WORD, WordTokens, pair_by_cue, run_extractor, score_attributions
from analysis.evaluate.cli import cli_evaluate
from analysis.evaluate.common import (
    ATTRIBUTION_PRED_COLUMNS,
    HEDGE_PRED_COLUMNS,
    ROLES,
    Span,
    prf,
    read_predictions,
)
from analysis.evaluate.gold import (
    GoldAttribution,
    SzegedDocument,
    load_brat,
    load_gold,
    load_gold_csv,
    load_hedge_gold_csv,
    load_szeged,
    parse_docs,
    read_ann,
    szeged_article_id,
)
from analysis.evaluate.hedges import score_hedges

__all__ = [
    "ATTRIBUTION_PRED_COLUMNS",
    "HEDGE_PRED_COLUMNS",
    "ROLES",
    "WORD",
    "GoldAttribution",
    "Span",
    "SzegedDocument",
    "WordTokens",
    "cli_evaluate",
    "load_brat",
    "load_gold",
    "load_gold_csv",
    "load_hedge_gold_csv",
    "load_szeged",
    "pair_by_cue",
    "parse_docs",
    "prf",
    "read_ann",
    "read_predictions",
    "run_extractor",
    "score_attributions",
    "score_hedges",
    "szeged_article_id",
]
