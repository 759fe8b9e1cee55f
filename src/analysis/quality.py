"""How far to trust a report: flaws detected in the corpus text, and the measured accuracy of the tool.

Two things every report's method note states (``display.method_note``), kept here, below the
presentation layer, so that the demo-corpus builder (``datasets``) and the reports share one
detector and one reading of the accuracy file:

- **Lost quotation marks** (:func:`lost_quote_marks`): texts whose curly quotes were replaced by
  ``"?`` or a bare ``?`` somewhere upstream (the News Articles data set has many). Quotes whose
  marks are lost cannot be recognised as direct quotes, so an outlet with many damaged articles
  has its direct-quote share undercounted. Detected per article on the text as loaded.
- **Measured accuracy** (:func:`load_accuracy`): the figures in ``models/accuracy.json``, package
  data written from the project's benchmark runs, never copied into prose (schema in
  ``docs/evaluation.md``).

And the two thresholds the reports apply: :data:`FEW_ARTICLES` and :data:`LOST_QUOTES_MATERIAL`;
:func:`corpus_notes` gathers, for the articles behind a report, how many there are per outlet and
month and how many of them lost their quotation marks. The words the reports print about all this
are written here too (:func:`caution_lines`, :func:`method_markdown`), once; ``display`` shows them.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import paths, results
from analysis.corpus import iter_corpus
from analysis.errors import AnalysisError

# A figure computed over fewer articles than this is flagged "few articles" in charts, cards and the
# method note. On 30 articles per outlet of the demo corpus the 95% intervals of the source shares
# were 6-9 percentage points wide (median): below that, differences of a few points between
# outlets or months are mostly chance. Documented in docs/evaluation.md.
FEW_ARTICLES = 30
# From this share of an outlet's articles with lost quotation marks on, the method note says its
# direct-quote share is undercounted (below it the damage is listed, but cannot move the figure much).
LOST_QUOTES_MATERIAL = 0.10

# Where the text lost a curly quote or dash it now reads '"?' ("DeVos"?highly",
# 'choice,"?Sen.'). A real question mark after a closing quote is followed by a space and never
# preceded by sentence punctuation, so only these count: '"?' glued to the next character, or
# '"?' right after . , ; : !  Corpora that lost apostrophes to a bare '?' show it inside
# contractions (don?t, it?s, we?re), counted too; a '?' between other letters (H?cke) is a lost
# accented letter, not a quote, and is not counted.
_LOST_QUOTE = re.compile(
    r'"\?(?=\S)'
    r'|(?<=[.,;:!])"\?'
    r"|(?<=[A-Za-z]n)\?(?=t\b)"
    r"|(?<=[A-Za-z])\?(?=(?:s|re|ll|ve|d|m)\b)"
)
LOST_QUOTE_RULE = (
    "'\"?' glued to the next character or after . , ; : !, and '?' inside contractions (don?t); "
    "analysis.quality.lost_quote_marks"
)


def lost_quote_marks(text: str) -> list[tuple[int, int]]:
    """Offsets (start, end) of the places where ``text`` shows '?' for a lost quote mark."""
    return [m.span() for m in _LOST_QUOTE.finditer(text)]


def has_lost_quote_marks(text) -> bool:
    """Whether the article text shows at least one lost quote mark (missing text: False)."""
    return isinstance(text, str) and _LOST_QUOTE.search(text) is not None


# --- the articles behind a report -------------------------------------------------------------------

UNKNOWN_OUTLET = "(unknown)"  # as tally.UNKNOWN_OUTLET: articles without an outlet form one group


@dataclass(frozen=True)
class CorpusNotes:
    """What a reader should know about the articles behind a report (made by :func:`corpus_notes`).

    ``outlets``: outlet, n_articles, n_lost_quotes (articles showing lost quotation marks; NA when
    the texts were not available). ``periods``: period (YYYY-MM), n_articles, for dated articles.
    """

    n_articles: int
    outlets: pd.DataFrame
    periods: pd.DataFrame
    texts_checked: bool

    def damaged(self, material_only: bool = False) -> pd.DataFrame:
        """Outlets with articles that lost quotation marks, most affected first, with their ``share``."""
        if not self.texts_checked:
            return self.outlets.iloc[0:0].assign(share=pd.Series(dtype=float))
        out = self.outlets[self.outlets["n_lost_quotes"] > 0].assign(
            share=lambda d: d["n_lost_quotes"] / d["n_articles"]
        )
        if material_only:
            out = out[out["share"] >= LOST_QUOTES_MATERIAL]
        return out.sort_values(["share", "outlet"], ascending=[False, True], ignore_index=True)

    def few(self, table: str) -> pd.DataFrame:
        """The rows of ``outlets`` or ``periods`` that rest on fewer than :data:`FEW_ARTICLES` articles."""
        rows = getattr(self, table)
        return rows[rows["n_articles"] < FEW_ARTICLES].reset_index(drop=True)


def _lost_by_article(texts, ids: set[str]) -> dict[str, bool]:
    """Article id -> shows lost quote marks, for the ``ids`` found in ``texts`` (a frame or a corpus path)."""
    chunks = [texts] if isinstance(texts, pd.DataFrame) else iter_corpus(texts)
    found: dict[str, bool] = {}
    for chunk in chunks:
        part = chunk[chunk["article_id"].astype(str).isin(ids)]
        found.update(zip(part["article_id"].astype(str), part["text"].map(has_lost_quote_marks)))
        if len(found) == len(ids) and not isinstance(texts, pd.DataFrame):
            break  # a corpus file is read only as far as the report's articles
    return found


def corpus_notes(data, texts=None) -> CorpusNotes:
    """Articles per outlet and month of ``data`` (frames, a results folder or a selection), and lost quotes.

    ``texts`` is the corpus frame or path the articles come from (``reports.Inputs.texts``); lost
    quotation marks are detected in each of the selection's articles. Without texts they are unknown.
    """
    have = set(results.frame_columns(data, "articles"))
    by = [k for k in ("outlet", "period") if k in have or (k == "period" and "published" in have)]
    parts = list(results.scan_articles(data, by, ["article_id"]))
    arts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["article_id", *by])
    arts["article_id"] = arts["article_id"].astype(str)
    outlet = arts["outlet"].astype(object) if "outlet" in arts.columns else pd.Series(pd.NA, index=arts.index)
    arts["outlet"] = outlet.where(outlet.notna(), UNKNOWN_OUTLET).astype(str)
    checked = texts is not None and len(arts) > 0
    if checked:
        lost = _lost_by_article(texts, set(arts["article_id"]))
        arts["lost"] = arts["article_id"].map(lost).astype("boolean")
    else:
        arts["lost"] = pd.array([pd.NA] * len(arts), dtype="boolean")
    outlets = (
        arts.groupby("outlet", sort=True)
        .agg(n_articles=("article_id", "size"), n_lost_quotes=("lost", "sum"))
        .reset_index()
        .astype({"n_articles": "int64", "n_lost_quotes": "int64"})
    )
    dated = arts[arts["period"].notna()] if "period" in arts.columns else arts.iloc[0:0].assign(period=None)
    periods = dated.groupby("period", sort=True).size().rename("n_articles").reset_index()
    return CorpusNotes(n_articles=int(len(arts)), outlets=outlets, periods=periods, texts_checked=bool(checked))


# --- measured accuracy -----------------------------------------------------------------------------

ACCURACY_FILE = "accuracy.json"
# Each figure of the file: these keys, with these types (see docs/evaluation.md).
FIGURE_FIELDS = {
    "metric": str,  # what was measured, as a reader would say it: "attribution precision"
    "value": float,  # 0-1
    "data": str,  # the gold set and split it was measured on
    "n": int,  # how many units of that gold set
    "n_of": str,  # what n counts: "articles", "sources", "documents"
    "measured": str,  # ISO date (YYYY-MM-DD) or month (YYYY-MM) of the run
    "command": str,  # the command that reproduces it
}


def accuracy_path() -> Path:
    return paths.model_folder() / ACCURACY_FILE


def _check_date(value: str) -> bool:
    try:
        date.fromisoformat(value if len(value) > 7 else f"{value}-01")
    except ValueError:
        return False
    return True


def load_accuracy(path: str | Path | None = None) -> dict[str, dict]:
    """The measured figures of ``models/accuracy.json`` by key, each checked against :data:`FIGURE_FIELDS`.

    A malformed file is a one-line error naming the file, the figure and the field to fix: a
    report must never print an accuracy figure it cannot vouch for.
    """
    p = Path(path) if path is not None else accuracy_path()
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except OSError as err:
        raise AnalysisError(f"analysis: {p}: cannot read the accuracy figures ({err.strerror}); reinstall") from None
    except ValueError as err:
        raise AnalysisError(f"analysis: {p}: not valid JSON ({err}); fix the file") from None
    figures = raw.get("figures") if isinstance(raw, dict) else None
    if not isinstance(figures, dict) or not figures:
        raise AnalysisError(
            f"analysis: {p}: expected an object with a non-empty 'figures' object; see docs/evaluation.md"
        )
    out = {}
    for key, fig in figures.items():
        where = f"analysis: {p}: figure {key!r}"
        if not isinstance(fig, dict):
            raise AnalysisError(f"{where}: expected an object with {', '.join(FIGURE_FIELDS)}")
        for field, kind in FIGURE_FIELDS.items():
            value = fig.get(field)
            # JSON has one number type: an int is a fine value; a bool is never a number here
            ok = isinstance(value, (int, float) if kind is float else kind) and not isinstance(value, bool)
            if not ok or (kind is str and not value.strip()):
                raise AnalysisError(f"{where}: '{field}' must be a {kind.__name__} (got {value!r}); fix the file")
        if not 0.0 <= fig["value"] <= 1.0:
            raise AnalysisError(f"{where}: 'value' {fig['value']} is not between 0 and 1; give proportions, not %")
        if fig["n"] <= 0:
            raise AnalysisError(f"{where}: 'n' must be positive (got {fig['n']})")
        if not _check_date(fig["measured"]):
            raise AnalysisError(f"{where}: 'measured' {fig['measured']!r} is not a date like 2026-11-27 or 2026-11")
        out[key] = {**fig, "value": float(fig["value"])}
    return out


# --- the words the reports print -------------------------------------------------------------------

_MONTHS = "January February March April May June July August September October November December".split()


def _md(text) -> str:
    """Outside text (outlet names, periods) as literal Markdown: HTML escaped, Markdown's marks backslashed."""
    return re.sub(r"([\\`*_\[\]|#~])", r"\\\1", html.escape(str(text), quote=False))


def _count(n: int, noun: str) -> str:
    """'1 article', '2 articles', '1,234 articles'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _when(measured: str) -> str:
    """'2026-11' -> 'November 2026'; '2026-11-27' -> '27 November 2026'."""
    parts = measured.split("-")
    month = f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return f"{int(parts[2])} {month}" if len(parts) > 2 else month


def _lost_quotes(notes: CorpusNotes, material_only: bool, md) -> list[str]:
    lines = []
    for r in notes.damaged(material_only).itertuples(index=False):
        named = r.outlet != UNKNOWN_OUTLET
        articles = _count(r.n_articles, f"{md(r.outlet)} article" if named else "article")
        their = "its" if r.n_lost_quotes == 1 else "their"
        line = f"{r.n_lost_quotes:,} of {articles} lost {their} quotation marks in the source data"
        if r.share >= LOST_QUOTES_MATERIAL:
            line += f"; direct-quote shares for {'this outlet' if named else 'them'} are undercounted"
        lines.append(line + ".")
    return lines


def _few(notes: CorpusNotes, table: str, md) -> str:
    key = "outlet" if table == "outlets" else "period"
    return ", ".join(
        f"{md(r[key])} ({_count(int(r['n_articles']), 'article')})" for _, r in notes.few(table).iterrows()
    )


def caution_lines(notes: CorpusNotes) -> list[str]:
    """Plain-text sentences for the top of a report: few articles, outlets whose quote marks were lost."""
    n, lines = notes.n_articles, []
    if 1 < n < FEW_ARTICLES:
        lines.append(
            f"This report rests on {_count(n, 'article')}, fewer than {FEW_ARTICLES}: "
            "its figures can move a lot by chance."
        )
    elif len(notes.outlets) > 1 and len(notes.few("outlets")):
        lines.append(
            f"Fewer than {FEW_ARTICLES} articles: {_few(notes, 'outlets', str)}; "
            "their figures are drawn hollow in the charts."
        )
    return lines + _lost_quotes(notes, material_only=True, md=str)


def accuracy_markdown(figures: dict[str, dict] | None = None) -> str:
    """The measured accuracy (:func:`load_accuracy`) as a Markdown table."""
    figures = load_accuracy() if figures is None else figures
    rows = ["| what was measured | result | measured on | size | when |", "|---|---|---|---|---|"]
    for f in figures.values():
        value = f"{f['value']:.2f}" if "F1" in f["metric"] else f"{f['value']:.0%}"
        size = f"{f['n']:,} {_md(f['n_of'])}"
        rows.append(f"| {_md(f['metric'])} | {value} | {_md(f['data'])} | {size} | {_when(f['measured'])} |")
    return "\n".join(rows)


METHOD_COUNTED = """\
- **What is counted.** Every attribution (someone *said*, *told*, *believes*, *according to* …)
  is found by lexicons and patterns plus a small cue model trained on hand-annotated news
  (PolNeAR), all shipped with the `analysis` package and run offline; each source is typed as a
  named person, organisation, media outlet or document, or as **anonymous** ("a senior official",
  "people familiar with the matter") or **vague** ("critics", "some in Russia"). Hedges ("may",
  "reportedly", "it appears") are counted per 1,000 words, split into the reporter's own voice
  and words inside a source's attributed content.
- **Every number can be checked.** The evidence tables quote the sentences behind the figures, with
  the source, cue and hedge highlighted; hovering over a highlight in the HTML shows the rule that
  fired, and the HTML tables can be searched and sorted.
- **How accurate it is.** Measured against text coded by hand, by the project's own evaluation
  runs (the figures are read from `models/accuracy.json` in the `analysis` package):
"""
GLOSSARY = (
    "*Precision*: of what the tool finds, the share a careful human coder also marked. *Recall*: of what"
    " the coder marked, the share the tool finds. *F1* balances the two (1 is perfect). *Accuracy*: the"
    " share given the right type. The attribution model learned from US political news; the non-US"
    " figure is the better guide for international outlets."
)


def _sizes(notes: CorpusNotes) -> str:
    n, few = notes.n_articles, FEW_ARTICLES
    if n == 1:
        return "These figures describe one article."
    out = [f"This report rests on {_count(n, 'article')}{'' if n >= few else f', fewer than {few}'}."]
    if n < few:  # then every outlet and month has few articles too
        return " ".join([*out, "Its figures can move a lot by chance."])
    if len(notes.outlets) > 1 and len(notes.few("outlets")):
        out.append(f"Outlets with fewer than {few} articles: {_few(notes, 'outlets', _md)}.")
    if len(notes.periods) > 1 and len(notes.few("periods")):
        out.append(f"Months with fewer than {few} articles: {_few(notes, 'periods', _md)}.")
    out.append(f"Figures resting on fewer than {few} articles (drawn hollow in the charts) can move a lot by chance.")
    return " ".join(out)


def method_markdown(notes: CorpusNotes | None = None, intervals: bool = False, accuracy: dict | None = None) -> str:
    """The "Method and limits" section of every report, as Markdown.

    What is counted and how to check it; the measured accuracy behind the figures (read from
    ``models/accuracy.json``, or ``accuracy`` as :func:`load_accuracy` gives it); with ``notes``
    the flaws of the corpus and the figures that rest on few articles; the limits, naming
    intervals only when the report shows them (``intervals``).
    """
    parts = ["## Method and limits\n", METHOD_COUNTED, "\n" + accuracy_markdown(accuracy) + "\n\n", GLOSSARY + "\n\n"]
    if notes is not None:
        if not notes.texts_checked:
            data = "Lost quotation marks were not checked: the article texts were not available."
        else:
            lost = _lost_quotes(notes, material_only=False, md=_md)
            data = " ".join(lost) if lost else "No article in this report shows lost quotation marks."
        parts.append(
            f'- **The data.** {data} (Detected per article: `"?` or `?` where the source data lost a curly'
            ' quote, as in `DeVos"?highly`; a quote without its marks is not recognised as a direct quote.)\n'
        )
        parts.append(f"- **How many articles.** {_sizes(notes)}\n")
    where = (
        "are usually within the 95% intervals shown"
        if intervals
        else "(between months, or against other outlets) are usually chance; the outlet comparison shows 95% intervals"
    )
    parts.append(
        "- **Limits.** Rules miss unusual phrasings and sometimes mistype a source (for example a pronoun"
        f" whose referent is several sentences back). Differences of a few percentage points {where}:"
        " treat them as leads to check, not findings.\n"
    )
    parts.append(
        "- **The corpus** is a fixed sample of articles; an outlet's figures describe the articles in it,"
        " not everything the outlet published.\n"
    )
    return "".join(parts)
