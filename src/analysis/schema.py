"""The frames' contract: names, columns and dtypes of everything extraction hands on.

The three tidy frames (``attributions``, ``hedges``, ``articles``) are the only interface between
extraction and everything after it (tallies, plots, reports, evaluation). Every item carries
``article_id`` and 0-based, end-exclusive character offsets into the article text exactly as
loaded, plus the text those offsets cover. This module is the one definition of their columns;
it imports nothing of the package.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import pandas as pd

FRAME_NAMES = ("attributions", "hedges", "articles")

# Offsets are nullable integers (pd.Int64Dtype): empty where a part is absent.
ATTRIBUTION_COLUMNS = [
    "article_id",
    "attribution_id",
    "kind",
    "cue_start",
    "cue_end",
    "cue_text",
    "cue_lemma",
    "cue_category",
    "source_start",
    "source_end",
    "source_text",
    "source_type",
    "speaker",
    "speaker_start",
    "speaker_end",  # the mention the speaker was resolved to (e.g. "he" -> the full name)
    "content_start",
    "content_end",
    "content_text",
    "sentence_start",
    "sentence_end",  # the sentence holding the cue: the evidence to highlight
    "anonymity_explained",  # bool: "spoke on condition of anonymity because ..."
    "rule",  # which pattern / lexicon row fired (explainability)
    "source_rule",  # which lexicon row / resolution step typed the source
]
HEDGE_COLUMNS = [
    "article_id",
    "hedge_id",
    "start",
    "end",
    "text",
    "cue",
    "category",
    "is_hedge",  # False for 'condition' cues: reported, not counted
    "voice",  # 'reporter' or 'source'
    "attribution_id",  # the attribution whose content holds it (source voice)
    "sentence_start",
    "sentence_end",
    "rule",
]
ARTICLE_META = ["outlet", "published", "title", "url"]
SOURCE_TYPES = ["person", "organisation", "media", "document", "anonymous", "vague", "unresolved"]
# The per-article tallies (``pipeline.article_tallies``), in column order, with their dtypes.
TALLY_COLUMNS = {
    "n_words": "int64",
    "n_attributions": "int64",
    "n_direct": "int64",
    "n_speakers": "int64",
    **{f"n_source_{t}": "int64" for t in SOURCE_TYPES},
    "n_hedges": "int64",
    "n_hedges_reporter": "int64",
    "n_hedges_source": "int64",
    "n_vague_attributions": "int64",
    "hedges_per_1k_words": "float64",
    "reporter_hedges_per_1k_words": "float64",
}
ARTICLE_COLUMNS = ["article_id", *ARTICLE_META, *TALLY_COLUMNS]
BOOL_COLUMNS = {"anonymity_explained", "is_hedge"}  # nullable: "absent" survives
INT_COLUMNS = {
    "attribution_id",
    "cue_start",
    "cue_end",
    "source_start",
    "source_end",
    "speaker_start",
    "speaker_end",
    "content_start",
    "content_end",
    "sentence_start",
    "sentence_end",
    "hedge_id",
    "start",
    "end",
}
# Keys derived from ``published`` for per-period tallies; ``period`` is the name tally gives the month.
PERIODS = {"year": "%Y", "month": "%Y-%m", "period": "%Y-%m", "day": "%Y-%m-%d"}


@dataclass
class Frames:
    """The three tidy frames of an extraction run."""

    attributions: pd.DataFrame
    hedges: pd.DataFrame
    articles: pd.DataFrame


def columns(name: str) -> list[str]:
    """The contract columns of one output frame, in order."""
    if name == "attributions":
        return list(ATTRIBUTION_COLUMNS)
    if name == "hedges":
        return list(HEDGE_COLUMNS)
    if name == "articles":
        return list(ARTICLE_COLUMNS)
    raise ValueError(f"unknown frame {name!r}; expected one of {FRAME_NAMES}")


def dtypes(name: str) -> dict[str, object]:
    """pandas dtypes of the contract columns."""
    out: dict[str, object] = {}
    tallies = TALLY_COLUMNS if name == "articles" else {}
    for c in columns(name):
        if c == "published":  # corpus.py parses it to naive UTC datetimes
            out[c] = "datetime64[us]"
        elif c in tallies:
            out[c] = tallies[c]
        elif c in INT_COLUMNS:
            out[c] = "Int64"
        elif c in BOOL_COLUMNS:
            out[c] = "boolean"
        else:
            out[c] = pd.StringDtype()
    return out


def conform(df: pd.DataFrame, name: str, extras: bool = True) -> pd.DataFrame:
    """``df`` with every contract column present, in contract order, with contract dtypes.

    Columns an engine adds beyond the contract are kept after the contract columns (``extras``), or
    left out where a fixed schema is needed up front (Dask ``meta``).
    """
    cols = columns(name)
    rest = [c for c in df.columns if c not in cols] if extras else []
    df = df.reindex(columns=cols + rest)  # a new frame; absent columns come in empty
    types = dtypes(name)
    for c in rest:  # extras: the nullable dtypes a CSV or Parquet file reads back as
        types[c] = _nullable(df[c])
    for c, t in types.items():
        if t is not None and df[c].dtype != t:
            df[c] = df[c].astype(t)
    return df.reset_index(drop=True)


def _nullable(col: pd.Series):
    if pd.api.types.is_bool_dtype(col):
        return "boolean"
    if pd.api.types.is_integer_dtype(col):
        return "Int64"
    if pd.api.types.is_string_dtype(col) and not col.isna().all():
        return pd.StringDtype()
    return None


def as_offset(value) -> int | None:
    """A frame cell as a character offset: None where it is empty (None, NA, NaN), else an int.

    Frames hold offsets as ``Int64``; a row taken out of a frame, a CSV read back or a numeric
    text gives them as numpy integers, floats or strings, which all come back as the same int.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return int(float(value))


def empty(name: str) -> pd.DataFrame:
    """A zero-row frame with the contract columns and dtypes (Dask ``meta``)."""
    return conform(pd.DataFrame(), name)
