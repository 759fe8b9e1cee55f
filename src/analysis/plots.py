"""Charts of the tally frames (matplotlib), one function per chart, each returning a Figure.

Figures are built as ``Figure`` objects rather than through pyplot, so a batch of reports never
accumulates open figures and nothing depends on the interactive backend: they render with Agg,
and a notebook shows the returned figure as an embedded PNG. An empty selection gives a
figure that says so, never an exception: an outlet with no anonymous sources is a finding.

One visual language: every category takes its colour from :data:`PALETTE` (defined once in
``analysis.palette``, shared with the highlighted HTML), so "anonymous" or "assertive" is the same
colour in every chart of every report; charts without categories are drawn in greys. Each chart
keeps the colours it actually drew per category (``Chart.colour_key``, read back from the drawn
artists) and hands them on with its PNG, so a test can check an executed report's charts against
the palette. Every count printed on a chart says what it counts ("n = 56 articles"), and figures
resting on fewer than :data:`FEW_ARTICLES` articles are drawn hollow.
"""

from __future__ import annotations

import io
import textwrap

import pandas as pd
from matplotlib import colors as mcolors
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.palette import DIMENSIONS, INK, MUTED, PALETTE, colour, ink_on
from analysis.quality import FEW_ARTICLES

SOURCE_COLOURS = PALETTE["source_type"]  # the earlier name of the source-type colours
COLOURS_KEY = "analysis_colours"  # the PNG output's metadata entry holding Chart.colour_key
_WIDTH = 8.0


class Chart(Figure):
    """A Figure that Jupyter shows as a PNG on its own, whatever backend the kernel has set up.

    ``colour_key`` maps a palette dimension to {category: colour} for what the chart drew.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.colour_key: dict[str, dict[str, str]] = {}

    def _repr_png_(self) -> tuple[bytes, dict]:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=110)
        # the chart's title doubles as its alt text in the HTML reports
        titles = [ax.get_title(loc="left") for ax in self.axes] + [t.get_text() for t in self.texts]
        meta = {"alt": next((t for t in titles if t), "chart")}
        if self.colour_key:
            meta[COLOURS_KEY] = self.colour_key
        return buf.getvalue(), meta


def _figure(height: float = 4.0) -> tuple[Chart, object]:
    fig = Chart(figsize=(_WIDTH, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def no_data(title: str, why: str = "No data for this selection") -> Figure:
    """A small figure that states there is nothing to plot (instead of an empty axis)."""
    fig = Chart(figsize=(_WIDTH, 1.6), dpi=100)
    fig.text(0.5, 0.62, title, ha="center", va="center", fontsize=12, weight="bold")
    fig.text(0.5, 0.3, why, ha="center", va="center", fontsize=11, color="#555555")
    return fig


def _style(ax, title: str, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_title(title, loc="left", fontsize=12, weight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _short(label: str, width: int = 32) -> str:
    return textwrap.shorten(str(label), width=width, placeholder="…")


def _drawn(artist) -> str:
    """The colour an artist was drawn in, as #rrggbb (bars: face colour; lines: line colour)."""
    if hasattr(artist, "patches"):  # a BarContainer
        artist = artist.patches[0]
    drawn = artist.get_color() if isinstance(artist, Line2D) else artist.get_facecolor()
    return mcolors.to_hex(drawn).upper()


def _note(fig: Chart, dimension: str, category, artist) -> None:
    """Record the colour ``artist`` was drawn in for ``category`` (a second, different one is kept too)."""
    drawn = _drawn(artist)
    key = fig.colour_key.setdefault(dimension, {})
    seen = key.setdefault(str(category), drawn)
    if drawn not in (seen if isinstance(seen, list) else [seen]):  # never by design; the tests look for it
        key[str(category)] = [*(seen if isinstance(seen, list) else [seen]), drawn]


def _legend(fig: Chart, dimension: str, categories) -> None:
    """A legend under the chart of ``categories`` (palette order), titled with the dimension's name."""
    order = [c for c in PALETTE[dimension] if c in set(categories)]
    order += [c for c in dict.fromkeys(categories) if c not in order]
    handles = [Patch(facecolor=colour(dimension, c), label=str(c)) for c in order]
    fig.legend(
        handles=handles,
        title=DIMENSIONS[dimension],
        loc="outside lower center",
        ncols=min(len(handles), 5),
        fontsize=8,
        title_fontsize=8,
        frameon=False,
    )


def source_mix_chart(mix: pd.DataFrame, title: str = "Who is cited: source types") -> Figure:
    """Horizontal stacked bars of source-type shares, one bar per group (``tally.source_type_mix``)."""
    if mix.empty or mix["n"].sum() == 0:
        return no_data(title, "No attributions found in this selection")
    wide = mix.pivot(index="group", columns="source_type", values="share").fillna(0.0)
    # keep the fixed type order; types nobody in the selection used stay out of the legend
    wide = wide[[t for t in mix["source_type"].drop_duplicates() if t in wide.columns and wide[t].sum() > 0]]
    totals = mix.groupby("group")["n"].sum()
    fig, ax = _figure(1.3 + 0.45 * len(wide))
    left = pd.Series(0.0, index=wide.index)
    for t in wide.columns:
        fill = colour("source_type", t)
        bars = ax.barh(wide.index, wide[t], left=left, color=fill, label=t)
        _note(fig, "source_type", t, bars)
        for y, (x0, w) in enumerate(zip(left, wide[t])):
            if w >= 0.06:
                ax.text(x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", color=ink_on(fill), fontsize=8)
        left += wide[t]
    ax.set_yticks(range(len(wide)), [f"{_short(g, 24)} (n = {totals[g]:,} attributions)" for g in wide.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0))
    _legend(fig, "source_type", list(wide.columns))
    _style(ax, title, "share of the group's attributions")
    return fig


def _ranked_bars(labels, values, title: str, xlabel: str, fills, notes=None) -> tuple[Chart, object, object]:
    fig, ax = _figure(1.5 + 0.32 * len(labels))
    bars = ax.barh(range(len(labels)), values, color=fills)
    ax.set_yticks(range(len(labels)), [_short(x) for x in labels])
    ax.invert_yaxis()
    for y, (v, note) in enumerate(zip(values, notes or [""] * len(values))):
        ax.text(v, y, f" {v:,}{note}", va="center", fontsize=8)
    _style(ax, title, xlabel)
    return fig, ax, bars


def top_speakers_chart(speakers: pd.DataFrame, title: str = "Most-cited named sources") -> Figure:
    """Bars of attributions per named speaker (``tally.top_speakers``), coloured by source type."""
    if speakers.empty:
        return no_data(title, "No named sources found in this selection")
    types = speakers["source_type"].astype(str).tolist()
    fig, ax, bars = _ranked_bars(
        speakers["speaker"].tolist(),
        speakers["n"].astype(int).tolist(),
        title,
        "attributions (numbers: attributions to the speaker)",
        [colour("source_type", t) for t in types],
    )
    for t, bar in zip(types, bars.patches):
        _note(fig, "source_type", t, bar)
    _legend(fig, "source_type", types)
    return fig


def cue_verbs_chart(cues: pd.DataFrame, title: str = "How sources are cited: attribution cues") -> Figure:
    """Bars of the most used cue lemmas (``tally.cue_verbs``), coloured and labelled by their category."""
    if cues.empty:
        return no_data(title, "No attribution cues found in this selection")
    cats = cues["cue_category"].astype(str).tolist()
    labels = [f"{lemma} ({c})" for lemma, c in zip(cues["cue_lemma"], cats)]
    fig, ax, bars = _ranked_bars(
        labels,
        cues["n"].astype(int).tolist(),
        title,
        "attributions (numbers: attributions with the cue)",
        [colour("cue_category", c) for c in cats],
    )
    for c, bar in zip(cats, bars.patches):
        _note(fig, "cue_category", c, bar)
    _legend(fig, "cue_category", cats)
    return fig


def hedge_categories_chart(counts: pd.DataFrame, title: str = "What kind of hedges") -> Figure:
    """Bars of counted hedges per category, coloured by category; each says how many are the reporter's own.

    ``counts``: one row per category and voice with ``category``, ``voice`` and ``n`` (a
    ``results.count_rows`` table of the hedges by ``category`` and ``voice``).
    """
    if counts.empty or counts["n"].sum() == 0:
        return no_data(title, "No hedges found in this selection")
    counts = counts.assign(category=counts["category"].fillna("(none)").astype(str))
    per = counts.groupby("category")["n"].sum().sort_values(ascending=False)
    reporter = counts[counts["voice"].eq("reporter")].groupby("category")["n"].sum().reindex(per.index, fill_value=0)
    cats = per.index.tolist()
    fig, ax, bars = _ranked_bars(
        cats,
        per.astype(int).tolist(),
        title,
        "hedges (numbers: hedges; in brackets: the share in the reporter's own voice)",
        [colour("hedge_category", c) for c in cats],
        [f" ({r / n:.0%})" for n, r in zip(per, reporter)],
    )
    for c, bar in zip(cats, bars.patches):
        _note(fig, "hedge_category", c, bar)
    _legend(fig, "hedge_category", cats)
    return fig


def hedging_over_time_chart(rates: pd.DataFrame, title: str = "Hedging per 1,000 words, by month") -> Figure:
    """Lines of pooled hedging rates per month (``tally.hedging_over_time``): all, and by voice.

    Months resting on fewer than :data:`FEW_ARTICLES` articles are drawn hollow; the number above
    each point is its articles.
    """
    if rates.empty or rates["n_words"].sum() == 0:
        return no_data(title, "No dated articles in this selection")
    fig, ax = _figure(3.9)
    rates = rates.assign(
        source_hedges_per_1k_words=rates["hedges_per_1k_words"] - rates["reporter_hedges_per_1k_words"]
    )
    lines = [
        (None, "all hedges", "hedges_per_1k_words", INK, "-", "o"),
        (
            "reporter",
            "in the reporter's own voice",
            "reporter_hedges_per_1k_words",
            colour("voice", "reporter"),
            "--",
            "s",
        ),
        ("source", "inside a source's words", "source_hedges_per_1k_words", colour("voice", "source"), ":", "^"),
    ]
    for group, part in rates.groupby("group", sort=True):
        prefix = "" if group == "all" else f"{group}: "
        few = (part["n_articles"] < FEW_ARTICLES).to_numpy()
        for voice, label, col, ink, style, marker in lines:
            (line,) = ax.plot(
                part["period"], part[col], color=ink, linestyle=style, marker=marker, label=prefix + label
            )
            if few.any():  # hollow markers over the months with few articles
                ax.plot(part["period"][few], part[col][few], linestyle="none", marker=marker, color=ink, mfc="white")
            if voice:
                _note(fig, "voice", voice, line)
    for _, row in rates.iterrows():
        ax.annotate(
            f"{row['n_articles']:,}",
            (row["period"], row["hedges_per_1k_words"]),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7,
            color="#555555",
        )
    ax.set_ylim(bottom=0)
    ax.legend(title="hedges", fontsize=8, title_fontsize=8, frameon=False)
    xlabel = f"month of publication\nnumbers: articles that month; hollow: fewer than {FEW_ARTICLES} articles"
    _style(ax, title, xlabel, "per 1,000 words")
    return fig


def outlet_intervals_chart(intervals: pd.DataFrame, metric: str, title: str | None = None) -> Figure:
    """Dots with 95% bootstrap whiskers per outlet for one metric (``tally.bootstrap_intervals``).

    Outlets with fewer than :data:`FEW_ARTICLES` articles are drawn hollow and labelled "few".
    """
    part = intervals[intervals["metric"] == metric].dropna(subset=["estimate"]) if len(intervals) else intervals
    title = title or (part["label"].iat[0] if len(part) else metric)
    if part.empty:
        return no_data(title)
    part = part.sort_values("estimate")
    fig, ax = _figure(1.2 + 0.4 * len(part))
    y = list(range(len(part)))
    few = (part["n_articles"] < FEW_ARTICLES).to_numpy()
    err = [(part["estimate"] - part["low"]).clip(lower=0), (part["high"] - part["estimate"]).clip(lower=0)]
    ax.errorbar(part["estimate"], y, xerr=err, fmt="none", ecolor=MUTED, capsize=3)
    ax.scatter(part["estimate"], y, s=30, zorder=3, color=[("white" if f else INK) for f in few], edgecolors=INK)
    ax.set_yticks(
        y,
        [
            f"{_short(g, 24)} (n = {n:,} articles{', few' if f else ''})"
            for g, n, f in zip(part["group"], part["n_articles"], few)
        ],
    )
    ci = part["ci"].iat[0]
    hollow = f"\nhollow: fewer than {FEW_ARTICLES} articles, read with care" if few.any() else ""
    _style(ax, title, f"estimate with {ci:.0%} bootstrap interval (articles resampled){hollow}")
    if metric.startswith("share_"):
        ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0))
    return fig
