"""The records the pipeline passes between its steps: one attribution, one hedge.

Typed, slotted records (as textacy's extractors return named tuples) rather than dicts: a step's
output is obvious at the call site, and a misspelt field is an error instead of a new key. Their
fields are the frames' columns (:data:`analysis.schema.ATTRIBUTION_COLUMNS`,
:data:`~analysis.schema.HEDGE_COLUMNS`), in the same order, so :func:`to_frame` is the one place a
list of records becomes rows. Offsets are Python ints, 0-based and end-exclusive, or None where a
part is absent.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter

import pandas as pd

from analysis.schema import conform


@dataclass(slots=True)
class Attribution:
    """Who said (believed, found, wants) what: the cue, source and content spans of one attribution,
    and who the source is. The attribution step fills the spans; the source step ``source_type``,
    ``speaker`` and what follows it; the pipeline ``article_id`` and ``attribution_id``."""

    article_id: str | None = None
    attribution_id: int | None = None
    kind: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    cue_text: str | None = None
    cue_lemma: str | None = None
    cue_category: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    source_text: str | None = None
    source_type: str | None = None
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    content_start: int | None = None
    content_end: int | None = None
    content_text: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    anonymity_explained: bool | None = None
    rule: str | None = None
    source_rule: str | None = None


@dataclass(slots=True)
class Hedge:
    """One hedge cue, its category and voice; ``attribution_id`` links a source's hedge to the
    attribution whose content holds it. The pipeline fills ``article_id`` and ``hedge_id``."""

    article_id: str | None = None
    hedge_id: int | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None
    cue: str | None = None
    category: str | None = None
    is_hedge: bool = True  # False for a cue reported but not counted ('condition')
    voice: str = "reporter"  # or 'source', with ``attribution_id``
    attribution_id: int | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    rule: str | None = None


RECORD_TYPES = {"attributions": Attribution, "hedges": Hedge}
_FIELDS = {name: [f.name for f in fields(cls)] for name, cls in RECORD_TYPES.items()}


def to_frame(records: list, name: str, extras: bool = True) -> pd.DataFrame:
    """The frame ``name`` (``attributions`` or ``hedges``) of ``records``: one row per record, with
    the contract's columns and dtypes.

    An engine that needs more columns subclasses the record; its added fields follow the
    contract's columns (``extras``, as :func:`analysis.schema.conform` keeps them).
    """
    cols = list(_FIELDS[name])
    for kind in dict.fromkeys(map(type, records)):  # in order of first appearance: a stable order
        cols += [f.name for f in fields(kind) if f.name not in cols]
    if len(cols) == len(_FIELDS[name]):
        row = attrgetter(*cols)
        rows = [row(r) for r in records]
    else:
        rows = [tuple(getattr(r, c, None) for c in cols) for r in records]
    return conform(pd.DataFrame.from_records(rows, columns=cols), name, extras)
