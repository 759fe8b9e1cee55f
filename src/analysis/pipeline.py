"""One article -> a ``Doc`` and named steps; many articles -> the three tidy frames.

``extract_article`` builds the article's :class:`~analysis.doc.Doc` once and runs the steps of
:data:`STEPS` in order, each reading the ``Doc`` and what earlier steps found:

    attributions -> sources -> hedges -> tallies

A step can be switched off by name (``disable=("sources",)``, for a benchmark or a user who wants
only hedges); a step whose input step is switched off is an error, never a silent empty column.
``extract`` runs a corpus frame through ``extract_chunk``, the one path every runner (one
process, workers, Dask) takes, so the frames have the contract of :mod:`analysis.schema`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from analysis import attribution, hedging, sources
from analysis.doc import Doc
from analysis.errors import AnalysisError
from analysis.records import Attribution, Hedge, to_frame
from analysis.schema import ARTICLE_META, SOURCE_TYPES, Frames, conform


@dataclass(slots=True)
class Article:
    """What the pipeline found in one article: records, and the ``articles`` row of its tallies."""

    article_id: str
    doc: Doc
    attributions: list[Attribution] = field(default_factory=list)
    hedges: list[Hedge] = field(default_factory=list)
    tallies: dict | None = None


def _attributions(art: Article) -> None:
    art.attributions = attribution.find_attributions(art.doc)
    # ids first: a hedge in a source's words is linked to its attribution by id
    for i, a in enumerate(art.attributions):
        a.article_id = art.article_id
        if a.attribution_id is None:
            a.attribution_id = i


def _sources(art: Article) -> None:
    sources.annotate_sources(art.doc, art.attributions)


def _hedges(art: Article) -> None:
    art.hedges = hedging.find_hedges(art.doc, art.attributions)
    for i, h in enumerate(art.hedges):
        h.article_id = art.article_id
        if h.hedge_id is None:
            h.hedge_id = i


def _tallies(art: Article) -> None:
    art.tallies = article_tallies(art.article_id, art.doc, art.attributions, art.hedges)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Article], None]
    needs: tuple[str, ...] = ()


# The pipeline, in order. ``needs``: the steps whose output this one reads.
STEPS: tuple[Step, ...] = (
    Step("attributions", _attributions),
    Step("sources", _sources, needs=("attributions",)),
    Step("hedges", _hedges),  # voice reads the attributions when they are there
    Step("tallies", _tallies),
)
STEP_NAMES = tuple(s.name for s in STEPS)


def steps(disable: Iterable[str] = ()) -> tuple[Step, ...]:
    """The steps that run with ``disable`` switched off; unknown names and broken needs are errors."""
    off = set(disable)
    unknown = sorted(off - set(STEP_NAMES))
    if unknown:
        raise AnalysisError(
            f"analysis: unknown pipeline step(s) {', '.join(unknown)}; the steps are {', '.join(STEP_NAMES)}"
        )
    on = tuple(s for s in STEPS if s.name not in off)
    for s in on:
        missing = [n for n in s.needs if n in off]
        if missing:
            raise AnalysisError(
                f"analysis: step '{s.name}' needs step '{missing[0]}', which is switched off; "
                f"switch off '{s.name}' too, or keep '{missing[0]}'"
            )
    return on


def extract_article(article_id: str, text: str, disable: Iterable[str] = ()) -> Article:
    """Run the pipeline over one article: its ``Doc``, attributions, sources, hedges and tallies."""
    art = Article(str(article_id), Doc(text if isinstance(text, str) else ""))
    for step in steps(disable) if disable else STEPS:
        step.run(art)
    return art


def article_tallies(article_id: str, doc: Doc, attrs: list[Attribution], hedges: list[Hedge]) -> dict:
    """Per-article counts and rates: the row of ``articles.csv`` for one article."""
    n_words = doc.n_words
    counted = [h for h in hedges if h.is_hedge]
    reporter = [h for h in counted if h.voice == "reporter"]
    per_k = (lambda n: round(1000.0 * n / n_words, 3)) if n_words else (lambda n: 0.0)
    row = {
        "article_id": article_id,
        "n_words": n_words,
        "n_attributions": len(attrs),
        "n_direct": sum(a.kind == "direct" for a in attrs),
        "n_speakers": len({a.speaker for a in attrs if a.speaker}),
    }
    for t in SOURCE_TYPES:
        row[f"n_source_{t}"] = sum(a.source_type == t for a in attrs)
    row.update(
        {
            "n_hedges": len(counted),
            "n_hedges_reporter": len(reporter),
            "n_hedges_source": len(counted) - len(reporter),
            "n_vague_attributions": row["n_source_vague"],
            "hedges_per_1k_words": per_k(len(counted)),
            "reporter_hedges_per_1k_words": per_k(len(reporter)),
        }
    )
    return row


Extractor = Callable[[str, str], Article]


def extract_chunk(
    chunk: pd.DataFrame,
    extractor: Extractor | None = None,
    on_error: str = "stop",
    extras: bool = True,
    progress: bool = False,
) -> tuple[Frames, list[dict]]:
    """The three frames of a chunk of articles, with contract dtypes, and the articles that failed.

    ``extractor`` replaces ``extract_article`` (same signature). The engines promise not to
    raise on any text; if one does all the same, the article is named: with ``on_error="stop"`` as
    an ``AnalysisError``, with ``"skip"`` in the returned list (``article_id``, ``reason``).
    """
    run = extractor or extract_article
    meta = [c for c in ARTICLE_META if c in chunk.columns]
    attrs: list[Attribution] = []
    hedges: list[Hedge] = []
    rows: list[dict] = []
    failed: list[dict] = []
    records = chunk[["article_id", "text", *meta]].itertuples(index=False, name=None)
    if progress:
        from tqdm.auto import tqdm

        records = tqdm(records, total=len(chunk), unit="article")
    for rec in records:
        aid, text = str(rec[0]), rec[1]
        try:
            art = run(aid, text)
        except Exception as err:  # noqa: BLE001 - any engine failure is reported with its article
            reason = f"extraction failed ({type(err).__name__}: {err})"
            if on_error == "stop":
                raise AnalysisError(
                    f"analysis: article {aid!r}: {reason}; this is a bug, please report it "
                    f"with the article, or pass --on-error skip to skip such articles"
                ) from None
            failed.append({"article_id": aid, "reason": reason})
            continue
        attrs.extend(art.attributions)
        hedges.extend(art.hedges)
        row = art.tallies if art.tallies is not None else {"article_id": aid}
        row.update(zip(meta, rec[2:]))
        rows.append(row)
    frames = {}
    for name, found in (("attributions", attrs), ("hedges", hedges)):
        frames[name] = to_frame(found, name, extras)
        found.clear()  # the records of a chunk take more memory than its frame: free them now
    frames["articles"] = conform(pd.DataFrame.from_records(rows), "articles", extras)
    return Frames(**frames), failed


def extract(articles: pd.DataFrame, progress: bool = False) -> Frames:
    """Run the extraction over a corpus frame (columns ``article_id``, ``text`` and optional meta)."""
    frames, _ = extract_chunk(articles, progress=progress)
    return frames
