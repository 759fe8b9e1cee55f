"""One article → records; many articles → the three tidy frames.

The frames are the only interface between extraction and everything after it (tallies, plots,
reports, evaluation). Every item carries ``article_id`` and 0-based, end-exclusive character
offsets into the article text exactly as loaded, plus the text those offsets cover.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis import attribution, hedging, segment

# Column contracts. Offsets are nullable integers (pd.Int64Dtype): empty where a part is absent.
ATTRIBUTION_COLUMNS = [
    "article_id", "attribution_id", "kind",
    "cue_start", "cue_end", "cue_text", "cue_lemma", "cue_category",
    "source_start", "source_end", "source_text", "source_type", "speaker",
    "speaker_start", "speaker_end",          # the mention the speaker was resolved to (e.g. "he" -> the full name)
    "content_start", "content_end", "content_text",
    "sentence_start", "sentence_end",        # the sentence holding the cue: the evidence to highlight
    "anonymity_explained",                   # bool: "spoke on condition of anonymity because ..."
    "rule",                                  # which pattern / lexicon row fired (explainability)
    "source_rule",                           # which lexicon row / resolution step typed the source
]
HEDGE_COLUMNS = [
    "article_id", "hedge_id", "start", "end", "text", "cue", "category",
    "is_hedge",                               # False for 'condition' cues: reported, not counted
    "voice",                                  # 'reporter' or 'source'
    "attribution_id",                         # the attribution whose content holds it (source voice)
    "sentence_start", "sentence_end", "rule",
]
ARTICLE_META = ["outlet", "published", "title", "url"]
SOURCE_TYPES = ["person", "organisation", "media", "document", "anonymous", "vague", "unresolved"]
BOOL_COLUMNS = {"anonymity_explained", "is_hedge"}  # nullable: "absent" survives
INT_COLUMNS = {
    "attribution_id", "cue_start", "cue_end", "source_start", "source_end", "speaker_start",
    "speaker_end", "content_start", "content_end", "sentence_start", "sentence_end", "hedge_id",
    "start", "end",
}
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Frames:
    """The three tidy frames of an extraction run."""

    attributions: pd.DataFrame
    hedges: pd.DataFrame
    articles: pd.DataFrame


def extract_article(article_id: str, text: str) -> tuple[list[dict], list[dict]]:
    """Attributions and hedges of one article as lists of records (dicts with the columns above)."""
    sents = segment.sentences(text)
    attrs = attribution.find_attributions(text, sents)
    # ids first: a hedge in a source's words is linked to its attribution by id
    for i, a in enumerate(attrs):
        a["article_id"] = article_id
        a.setdefault("attribution_id", i)
    hedges = hedging.find_hedges(text, sents, attrs)
    for i, h in enumerate(hedges):
        h["article_id"] = article_id
        h.setdefault("hedge_id", i)
    return attrs, hedges


def article_tallies(article_id: str, text: str, attrs: list[dict], hedges: list[dict]) -> dict:
    """Per-article counts and rates: the row of ``articles.csv`` for one article."""
    n_words = len(_WORD.findall(text))
    counted = [h for h in hedges if h.get("is_hedge", True)]
    reporter = [h for h in counted if h.get("voice") == "reporter"]
    per_k = (lambda n: round(1000.0 * n / n_words, 3)) if n_words else (lambda n: 0.0)
    row = {
        "article_id": article_id,
        "n_words": n_words,
        "n_attributions": len(attrs),
        "n_direct": sum(a.get("kind") == "direct" for a in attrs),
        "n_speakers": len({a.get("speaker") for a in attrs if a.get("speaker")}),
    }
    for t in SOURCE_TYPES:
        row[f"n_source_{t}"] = sum(a.get("source_type") == t for a in attrs)
    row.update({
        "n_hedges": len(counted),
        "n_hedges_reporter": len(reporter),
        "n_hedges_source": len(counted) - len(reporter),
        "n_vague_attributions": row["n_source_vague"],
        "hedges_per_1k_words": per_k(len(counted)),
        "reporter_hedges_per_1k_words": per_k(len(reporter)),
    })
    return row


def extract(articles: pd.DataFrame, progress: bool = False) -> Frames:
    """Run the extraction over a corpus frame (columns ``article_id``, ``text`` and optional meta).

    One path for every caller: this is :func:`analysis.parallel.extract_chunk` on one chunk, so
    the frames have the contract's columns and dtypes whether they come from here, from workers or
    from Dask.
    """
    from analysis.parallel import extract_chunk  # parallel builds on this module

    frames, _ = extract_chunk(articles, progress=progress)
    return frames
