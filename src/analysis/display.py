"""Highlighted article HTML and evidence tables: every number in a report traced to sentences.

Also the prose every report shares (:func:`method_note`, :func:`caution`), kept here once rather
than copied into each notebook: what is counted, the measured accuracy behind the figures (read
from ``models/accuracy.json``, see ``quality.load_accuracy``), the flaws of the corpus (lost
quotation marks, detected per article) and where a figure rests on few articles.

Article text, titles, speakers and URLs come from the outside world, so every piece of text that
reaches HTML goes through ``html.escape`` and links are only made for http(s) URLs. Spans are
rendered from boundary events (every start and end offset cut the text into segments; the spans
open over a segment are opened and closed around it in a fixed nesting order), so overlapping
attribution and hedge spans always give well-formed markup and the text itself is never altered.

Tables asked for ``interactive=True`` are written twice: a searchable, sortable DataTable
(``itables``, its JavaScript bundled into the page by :func:`title_block`, no network) for the
screen, and the plain table for print, so the PDF stays static and complete. Colours of
categories come from ``analysis.palette``, the same as the charts'; the stylesheet, the legend and
the two tables' markup are in ``analysis.styles`` (``display.CSS`` and the like still name them).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from urllib.parse import urlparse

import pandas as pd

from analysis import quality
from analysis.corpus import iter_corpus
from analysis.errors import AnalysisError
from analysis.palette import DIMENSIONS, colour
from analysis.schema import as_offset

# The stylesheet, legend and table markup live in analysis.styles; their names stay importable from here.
from analysis.styles import CSS, LEGEND, SWAP_CSS
from analysis.styles import SHORT_TABLE as SHORT_TABLE
from analysis.styles import datatable as _datatable
from analysis.styles import datatables_bundle as _datatables_bundle
from analysis.styles import static_table as _static_table


class Html(str):
    """An HTML string that Jupyter displays as HTML (like ``IPython.display.HTML``) and is still a str."""

    def _repr_html_(self) -> str:
        return str(self)


class Markdown(str):
    """A Markdown string that Jupyter renders (like ``IPython.display.Markdown``) and is still a str."""

    def _repr_markdown_(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of the text: offsets, CSS classes and a tooltip (plain text)."""

    start: int
    end: int
    classes: str
    tooltip: str
    order: int = 0  # tie-break for the nesting order (attribution parts outside hedges)


def _val(row, col) -> str | None:
    v = row.get(col) if hasattr(row, "get") else None
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    return str(v)


def _tip(*pairs) -> str:
    return " · ".join(f"{k}: {v}" for k, v in pairs if v not in (None, ""))


def attribution_spans(attributions: pd.DataFrame) -> list[Span]:
    """Source, cue and content spans of each attribution row (absent parts are skipped)."""
    spans = []
    for _, a in attributions.iterrows():
        who = _tip(("source", _val(a, "speaker") or _val(a, "source_text")), ("type", _val(a, "source_type")))
        rule = _tip(("rule", _val(a, "rule")))
        parts = [
            (
                "source",
                "an-src",
                _tip(
                    ("source type", _val(a, "source_type")),
                    ("speaker", _val(a, "speaker")),
                    ("kind", _val(a, "kind")),
                    ("rule", _val(a, "rule")),
                ),
                0,
            ),
            (
                "cue",
                "an-cue",
                _tip(
                    ("cue", _val(a, "cue_lemma") or _val(a, "cue_text")),
                    ("category", _val(a, "cue_category")),
                    ("kind", _val(a, "kind")),
                    ("source type", _val(a, "source_type")),
                    ("rule", _val(a, "rule")),
                ),
                1,
            ),
            ("content", "an-content", " · ".join(x for x in ("what was said", who, rule) if x), 2),
        ]
        for part, cls, tip, order in parts:
            s, e = as_offset(a.get(f"{part}_start")), as_offset(a.get(f"{part}_end"))
            if s is not None and e is not None and e > s:
                spans.append(Span(s, e, cls, tip, order))
    return spans


def hedge_spans(hedges: pd.DataFrame) -> list[Span]:
    """One span per hedge row; conditions (``is_hedge`` False) are marked but styled apart."""
    spans = []
    for _, h in hedges.iterrows():
        s, e = as_offset(h.get("start")), as_offset(h.get("end"))
        if s is None or e is None or e <= s:
            continue
        counted = _val(h, "is_hedge") not in ("False", "0")
        voice = _val(h, "voice")
        cls = "an-hedge" if counted else "an-condition"
        if counted and voice in ("reporter", "source"):  # only known values become CSS classes
            cls += f" an-voice-{voice}"
        tip = _tip(
            ("hedge" if counted else "condition (not counted)", _val(h, "cue") or _val(h, "text")),
            ("category", _val(h, "category")),
            ("voice", voice),
            ("rule", _val(h, "rule")),
        )
        spans.append(Span(s, e, cls, tip, 3))
    return spans


def highlight(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> str:
    """Escaped HTML of ``text[start:end]`` with ``spans`` as nested <span>s (overlaps allowed)."""
    end = len(text) if end is None else end
    live = [
        Span(max(s.start, start), min(s.end, end), s.classes, s.tooltip, s.order)
        for s in spans
        if s.end > start and s.start < end and s.end > s.start
    ]
    # outer spans first: earlier start, then longer, then by kind, so the stack stays stable
    live.sort(key=lambda s: (s.start, -s.end, s.order))
    cuts = sorted({start, end, *(s.start for s in live), *(s.end for s in live)})
    out: list[str] = []
    stack: list[Span] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in live if s.start <= a and s.end >= b]
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        out.extend("</span>" for _ in stack[keep:])
        for s in active[keep:]:
            out.append(f'<span class="{html.escape(s.classes)}" title="{html.escape(s.tooltip)}">')
        stack = active
        out.append(html.escape(text[a:b]))
    out.extend("</span>" for _ in stack)
    return "".join(out)


def safe_link(label: str, url: str | None) -> str:
    """``label`` escaped, linked to ``url`` only when it is an http(s) URL (no javascript: links)."""
    text = html.escape(str(label))
    if url and urlparse(str(url)).scheme in ("http", "https"):
        return f'<a href="{html.escape(str(url), quote=True)}" target="_blank" rel="noopener">{text}</a>'
    return text


def title_block(title: str, subtitle: str = "") -> Html:
    """The report title (and a line under it), escaped, with the stylesheet every report uses.

    It also carries the script of the interactive tables, once per page (the reports' first cell).
    """
    sub = f'<p class="an-meta">{html.escape(subtitle)}</p>' if subtitle else ""
    return Html(f'{CSS}{_datatables_bundle()}<h1 class="an-title">{html.escape(str(title))}</h1>{sub}')


def selection_note(
    corpus: str,
    outlet: str | None = None,
    start: str | None = None,
    end: str | None = None,
    figures: dict | None = None,
    article: pd.Series | None = None,
) -> str:
    """One line saying what a report covers: outlet or article, publication window, corpus file."""
    if article is not None:
        parts = [f"Article {article['article_id']}"]
        parts += [f"{k}: {article[k]}" for k in ("outlet", "published") if isinstance(article.get(k), str)]
        parts.append(f"corpus: {str(corpus).rstrip('/').rsplit('/', 1)[-1]}")
        return " · ".join(parts)
    parts = [f"Outlet: {outlet}" if outlet else "All outlets"]
    if start or end:
        parts.append(f"published {start or 'any time'} to {end or 'latest'}")
    elif figures and figures.get("first_published"):
        parts.append(f"published {figures['first_published']} to {figures['last_published']}")
    if figures is not None:
        n = figures["n_articles"]
        parts.append(f"{n:,} article{'' if n == 1 else 's'}")
    parts.append(f"corpus: {str(corpus).rstrip('/').rsplit('/', 1)[-1]}")
    return " · ".join(parts)


def headline_html(figures: list[tuple[str, str, str]]) -> Html:
    """Cards of headline figures: (value, label, note) triples, all escaped."""
    cards = "".join(
        f'<div class="an-figure"><b>{html.escape(str(v))}</b>{html.escape(str(label))}'
        f"{'<br><small>' + html.escape(str(note)) + '</small>' if note else ''}</div>"
        for v, label, note in figures
    )
    return Html(f'<div class="an-figures">{cards}</div>')


def headline_cards(h: dict, notes: quality.CorpusNotes | None = None) -> Html:
    """The standard cards of ``tally.headline``: coverage, citing and hedging at a glance.

    With ``notes`` (:func:`quality.corpus_notes`), a direct-quote share undercounted by lost
    quotation marks says so on its card.
    """
    span = f"{h['first_published']} to {h['last_published']}" if h.get("first_published") else "dates unknown"
    n = h["n_articles"]
    if 1 < n < quality.FEW_ARTICLES:
        span += "; few: read with care"
    direct = f"{h['n_direct']:,} attributions"
    if notes is not None and len(notes.damaged(material_only=True)):
        direct += "; undercounted (quote marks lost)"
    return headline_html(
        [
            (f"{n:,}", "article" if n == 1 else "articles", span),
            (f"{h['attributions_per_article']:.1f}", "attributions per article", f"{h['n_attributions']:,} in all"),
            (f"{h['share_direct']:.0%}", "direct quotes", direct),
            (f"{h['share_anonymous']:.1%}", "anonymous sources", f"{h['n_anonymous']:,} attributions (evidence below)"),
            (f"{h['share_vague']:.1%}", "vague sources", f"{h['n_vague']:,} e.g. 'critics say'"),
            (f"{h['hedges_per_1k_words']:.1f}", "hedges per 1,000 words", f"{h['n_hedges']:,} hedges"),
            (
                f"{h['reporter_hedges_per_1k_words']:.1f}",
                "in the reporter's own voice",
                f"per 1,000 words ({h['n_hedges_reporter']:,})",
            ),
        ]
    )


# Column headings for readers; any other column shows its name with spaces for underscores.
LABELS = {
    "n": "attributions",
    "n_articles": "articles",
    "n_words": "words",
    "n_attributions": "attributions",
    "n_hedges": "hedges",
    "n_hedges_reporter": "reporter-voice hedges",
    "hedges_per_1k_words": "hedges per 1,000 words",
    "reporter_hedges_per_1k_words": "reporter-voice hedges per 1,000 words",
    "attributions_per_article": "attributions per article",
    "share": "share",
    "source_type": "source type",
    "cue_category": "cue category",
    "cue_text": "cue",
    "content_text": "what was said",
    "source_text": "source as written",
    "is_hedge": "counted",
    "text": "hedge",
    "low": "95% low",
    "high": "95% high",
}
# Columns holding categories of the palette: their cells get the category's colour chip.
CATEGORY_COLUMNS = {
    "source_type": "source_type",
    "cue_category": "cue_category",
    "category": "hedge_category",  # the hedges frame's column
    "voice": "voice",
}


def chip(dimension: str, category) -> str:
    """A small square in the category's palette colour (as in the charts), then the category, escaped."""
    if category is None or (isinstance(category, float) and math.isnan(category)) or category is pd.NA:
        return ""
    name = html.escape(str(category))
    return (
        f'<span class="an-cat"><span class="an-chip" style="background:{colour(dimension, category)}" '
        f'title="{html.escape(DIMENSIONS[dimension])}: {name}"></span>{name}</span>'
    )


def _tables(head: list[str], rows: list[list[str]], caption: str, interactive: bool, classes=None) -> Html:
    """The static table, and with ``interactive`` its DataTable for the screen (the static one is printed)."""
    classes = classes or {}
    static = _static_table(head, rows, caption, classes)
    if not (interactive and _datatables_bundle()):
        return Html(static)
    # the caption above the search box, where DataTables would put it between box and table
    cap = f'<p class="an-caption">{html.escape(caption)}</p>' if caption else ""
    live = _datatable(head, rows, classes)
    return Html(f'{SWAP_CSS}<div class="an-interactive">{cap}{live}</div><div class="an-static">{static}</div>')


def _formatted(value, col: str, percent, decimals: int, dtype) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if col in percent:
        return f"{value:.1%}"
    if col in CATEGORY_COLUMNS:
        return chip(CATEGORY_COLUMNS[col], value)
    if pd.api.types.is_float_dtype(dtype):
        return f"{value:,.{decimals}f}"
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return f"{value:,}"
    return html.escape(str(value))


def table(
    df: pd.DataFrame,
    caption: str = "",
    percent: tuple[str, ...] = ("share",),
    decimals: int = 2,
    interactive: bool = False,
) -> Html:
    """A tidy frame as an escaped HTML table for readers (shares as percentages, counts with commas).

    Columns named in ``percent`` (default ``share``) show as percentages; category columns
    (``source_type``, ``cue_category``, ``category`` of hedges, ``voice``) carry their colour chip.
    ``interactive``: searchable and sortable on screen (see :func:`_tables`).
    """
    if df.empty:
        return Html(f'<p class="an-meta">{html.escape(caption + ": " if caption else "")}nothing to show.</p>')
    head = [html.escape(LABELS.get(str(c), str(c).replace("_", " "))) for c in df.columns]
    cols = [(str(c), df[c].dtype) for c in df.columns]
    rows = [
        [_formatted(v, col, percent, decimals, dtype) for v, (col, dtype) in zip(row, cols)]
        for row in df.itertuples(index=False)
    ]
    prose = {i: "an-sentence" for i, (col, _) in enumerate(cols) if col == "content_text"}  # the widest column
    return _tables(head, rows, caption, interactive, prose)


def intervals_table(
    intervals: pd.DataFrame, caption: str = "Estimates with 95% intervals", interactive: bool = False
) -> Html:
    """``tally.bootstrap_intervals`` for readers: shares as %, rates with two decimals, few articles flagged."""
    if intervals.empty:
        return table(intervals, caption)
    rows = []
    for r in intervals.itertuples(index=False):
        fmt = (lambda v: f"{v:.1%}") if str(r.metric).startswith("share_") else (lambda v: f"{v:,.2f}")
        shown = [fmt(v) if pd.notna(v) else "" for v in (r.estimate, r.low, r.high)]
        few = " (few)" if r.n_articles < quality.FEW_ARTICLES else ""
        rows.append([html.escape(str(r.group)), html.escape(str(r.label)), *shown, f"{r.n_articles:,}{few}"])
    head = ["outlet", "figure", "estimate", f"{intervals['ci'].iat[0]:.0%} low", f"{intervals['ci'].iat[0]:.0%} high"]
    return _tables([*head, "articles"], rows, caption, interactive)


def article_html(
    text: str,
    attributions: pd.DataFrame,
    hedges: pd.DataFrame,
    title: str | None = None,
    url: str | None = None,
    meta: str = "",
) -> Html:
    """One article with every attribution (source / cue / content) and hedge highlighted."""
    head = f"<h2>{safe_link(title, url)}</h2>" if title else ""
    meta_html = f'<p class="an-meta">{html.escape(meta)}</p>' if meta else ""
    body = highlight(text, attribution_spans(attributions) + hedge_spans(hedges))
    return Html(f'{CSS}{head}{meta_html}{LEGEND}<div class="an-article">{body}</div>')


CONTEXT = 200  # characters of a long sentence kept either side of the highlighted evidence


def corpus_rows(corpus, article_ids=None) -> pd.DataFrame:
    """The corpus rows of ``article_ids`` (all when None) from a corpus frame or a corpus path.

    A path (next to a results folder, whose rows hold no text) is streamed chunk by chunk and only
    the wanted articles are kept, so quoting a few sentences never loads a large corpus whole;
    with ``article_ids=None`` a path gives its first chunk, enough to pick a first article.
    """
    if isinstance(corpus, pd.DataFrame):
        if article_ids is None:
            return corpus
        return corpus[corpus["article_id"].astype(str).isin({str(a) for a in article_ids})]
    wanted = None if article_ids is None else {str(a) for a in article_ids}
    found: list[pd.DataFrame] = []
    for chunk in iter_corpus(corpus):
        if wanted is None:
            return chunk
        found.append(chunk[chunk["article_id"].astype(str).isin(wanted)])
        wanted -= set(found[-1]["article_id"].astype(str))
        if not wanted:
            break
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["article_id", "text"])


def pick_article(corpus, article_id=None) -> pd.Series:
    """The corpus row of ``article_id`` (the first article when None), or a one-line error.

    ``corpus`` is a corpus frame or a corpus path (read only as far as the article).
    """
    if not isinstance(corpus, pd.DataFrame):
        found = corpus_rows(corpus, None if article_id is None else [article_id])
        if article_id is not None and found.empty:
            first = corpus_rows(corpus)
            ids = f"; ids look like {str(first['article_id'].iat[0])!r}" if len(first) else ""
            raise AnalysisError(f"analysis: article_id {str(article_id)!r} is not in the corpus {corpus}{ids}")
        corpus = found
    if corpus.empty:
        raise AnalysisError("analysis: the corpus has no articles; check the corpus path")
    if article_id is None:
        return corpus.iloc[0]
    rows = corpus[corpus["article_id"].astype(str) == str(article_id)]
    if rows.empty:
        raise AnalysisError(
            f"analysis: article_id {str(article_id)!r} is not in the corpus; "
            f"ids look like {str(corpus['article_id'].iat[0])!r}"
        )
    return rows.iloc[0]


def _spread(rows: pd.DataFrame, n: int) -> pd.DataFrame:
    """Up to n rows, spread over articles (each article's first example before anyone's second)."""
    rank = rows.groupby(rows["article_id"].astype(str), sort=False).cumcount()
    return rows.assign(_rank=rank.to_numpy()).sort_values(["_rank"], kind="stable").head(n).drop(columns="_rank")


def evidence_table(corpus, rows: pd.DataFrame, n: int = 10, caption: str = "", interactive: bool = False) -> Html:
    """Example sentences behind a figure, the evidence highlighted, with links to the articles.

    ``rows`` are attribution rows (from ``tally.attributions_of``) or hedge rows (from
    ``tally.hedges_of``); each becomes a table row quoting its whole sentence. ``corpus`` is the
    corpus frame or its path (then only the quoted articles are read, see :func:`corpus_rows`).
    ``interactive``: searchable and sortable on screen, static in print.
    """
    is_hedge = "hedge_id" in rows.columns
    shown = _spread(rows, n) if len(rows) else rows
    what = "hedges" if is_hedge else "attributions"
    cap = f"{caption} ({len(shown)} of {len(rows):,} {what} shown)" if caption else ""
    if shown.empty:
        label = html.escape(caption + ": " if caption else "")
        return Html(f'<p class="an-meta">{label}no examples in this selection.</p>')
    corpus = corpus_rows(corpus, set(shown["article_id"].astype(str)))
    docs = corpus.assign(article_id=corpus["article_id"].astype(str)).set_index("article_id")
    out = []
    for _, r in shown.iterrows():
        aid = str(r["article_id"])
        doc = docs.loc[aid] if aid in docs.index else None
        if doc is None:
            continue
        text = doc["text"]
        spans = hedge_spans(pd.DataFrame([r])) if is_hedge else attribution_spans(pd.DataFrame([r]))
        lo, hi = min(x.start for x in spans), max(x.end for x in spans)
        s, e = as_offset(r.get("sentence_start")), as_offset(r.get("sentence_end"))
        s, e = (lo, hi) if s is None or e is None else (min(s, lo), max(e, hi))
        # a run-on "sentence" (lists, scraped captions) is cut to the evidence and some context
        before = "…" if lo - s > CONTEXT else ""
        after = "…" if e - hi > CONTEXT else ""
        s, e = (lo - CONTEXT if before else s), (hi + CONTEXT if after else e)
        label = doc.get("title") if isinstance(doc.get("title"), str) and doc.get("title") else aid
        if is_hedge:
            who = [("voice", "voice", _val(r, "voice")), ("category", "hedge_category", _val(r, "category"))]
        else:
            name = _val(r, "speaker") or _val(r, "source_text")
            who = [("source", None, name), ("type", "source_type", _val(r, "source_type"))]
        detail = " · ".join(
            f"{k}: {chip(dim, v) if dim else html.escape(v)}" for k, dim, v in who if v not in (None, "")
        )
        outlet = doc.get("outlet") if isinstance(doc.get("outlet"), str) else ""
        out.append(
            [
                f"{safe_link(label, doc.get('url') if isinstance(doc.get('url'), str) else None)}"
                f'<br><span class="an-meta">{html.escape(outlet)}</span>',
                f"{before}{highlight(text, spans, s, e)}{after}",
                f'<span class="an-meta">{detail}</span>',
            ]
        )
    return _tables(["Article", "Sentence", "Detail"], out, cap, interactive, {1: "an-sentence"})


# --- what a reader should know: the words are written in quality.py, shown from here -------------------


def caution(notes: quality.CorpusNotes) -> Html | None:
    """A "read with care" box for the top of a report: few articles, outlets that lost their quotation marks.

    None (a notebook cell then shows nothing) when there is nothing to say; the method note gives the details.
    """
    lines = quality.caution_lines(notes)
    if not lines:
        return None
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return Html(f'<div class="an-caution"><p><b>Read with care.</b></p>{body}</div>')


def method_note(
    notes: quality.CorpusNotes | None = None, intervals: bool = False, accuracy: dict | None = None
) -> Markdown:
    """The "Method and limits" section that closes every report (see :func:`quality.method_markdown`).

    ``notes``: :func:`quality.corpus_notes` of the report's articles (the corpus's flaws, the
    figures resting on few articles); ``intervals``: whether the report shows intervals.
    """
    return Markdown(quality.method_markdown(notes, intervals=intervals, accuracy=accuracy))
