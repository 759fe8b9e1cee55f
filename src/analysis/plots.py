"""Charts of the tally frames (matplotlib), one function per chart, each returning a Figure.

Figures are built as ``Figure`` objects rather than through pyplot, so a batch of reports never
accumulates open figures and nothing depends on the interactive backend: they render with Agg,
and a notebook shows the returned figure as an embedded PNG. An empty selection gives a
figure that says so, never an exception: an outlet with no anonymous sources is a finding.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure

# One colour per source type, kept the same in every chart and in the highlighted HTML legend.
SOURCE_COLOURS = {
    "person": "#1f77b4",
    "organisation": "#2ca02c",
    "media": "#9467bd",
    "document": "#8c564b",
    "anonymous": "#d62728",
    "vague": "#ff7f0e",
    "unresolved": "#7f7f7f",
}
_WIDTH = 8.0


class Chart(Figure):
    """A Figure that Jupyter shows as a PNG on its own, whatever backend the kernel has set up."""

    def _repr_png_(self) -> tuple[bytes, dict]:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=110)
        # the chart's title doubles as its alt text in the HTML reports
        titles = [ax.get_title(loc="left") for ax in self.axes] + [t.get_text() for t in self.texts]
        return buf.getvalue(), {"alt": next((t for t in titles if t), "chart")}


def _figure(height: float = 4.0) -> tuple[Figure, object]:
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


def source_mix_chart(mix: pd.DataFrame, title: str = "Who is cited: source types") -> Figure:
    """Horizontal stacked bars of source-type shares, one bar per group (``tally.source_type_mix``)."""
    if mix.empty or mix["n"].sum() == 0:
        return no_data(title, "No attributions found in this selection")
    wide = mix.pivot(index="group", columns="source_type", values="share").fillna(0.0)
    # keep the fixed type order; types nobody in the selection used stay out of the legend
    wide = wide[[t for t in mix["source_type"].drop_duplicates() if t in wide.columns and wide[t].sum() > 0]]
    totals = mix.groupby("group")["n"].sum()
    fig, ax = _figure(1.2 + 0.45 * len(wide))
    left = pd.Series(0.0, index=wide.index)
    for t in wide.columns:
        ax.barh(wide.index, wide[t], left=left, color=SOURCE_COLOURS.get(t, "#bbbbbb"), label=t)
        for y, (x0, w) in enumerate(zip(left, wide[t])):
            if w >= 0.06:
                ax.text(x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", color="white", fontsize=8)
        left += wide[t]
    ax.set_yticks(range(len(wide)), [f"{_short(g, 24)} (n={totals[g]:,})" for g in wide.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0))
    ax.legend(ncols=7, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    _style(ax, title)
    return fig


def _ranked_bars(labels, values, title: str, xlabel: str, colours) -> Figure:
    fig, ax = _figure(1.0 + 0.32 * len(labels))
    ax.barh(range(len(labels)), values, color=colours)
    ax.set_yticks(range(len(labels)), [_short(x) for x in labels])
    ax.invert_yaxis()
    for y, v in enumerate(values):
        ax.text(v, y, f" {v:,}", va="center", fontsize=8)
    _style(ax, title, xlabel)
    return fig


def top_speakers_chart(speakers: pd.DataFrame, title: str = "Most-cited named sources") -> Figure:
    """Bars of attributions per named speaker (``tally.top_speakers``), coloured by source type."""
    if speakers.empty:
        return no_data(title, "No named sources found in this selection")
    return _ranked_bars(
        speakers["speaker"].tolist(),
        speakers["n"].astype(int).tolist(),
        title,
        "attributions",
        [SOURCE_COLOURS.get(t, "#bbbbbb") for t in speakers["source_type"]],
    )


def cue_verbs_chart(cues: pd.DataFrame, title: str = "How sources are cited: attribution cues") -> Figure:
    """Bars of the most used cue lemmas (``tally.cue_verbs``), labelled with their category."""
    if cues.empty:
        return no_data(title, "No attribution cues found in this selection")
    cats = list(dict.fromkeys(cues["cue_category"]))
    palette = matplotlib.colormaps["tab10"]
    colour = {c: palette(i % 10) for i, c in enumerate(cats)}
    labels = [f"{lemma} ({c})" for lemma, c in zip(cues["cue_lemma"], cues["cue_category"])]
    return _ranked_bars(
        labels, cues["n"].astype(int).tolist(), title, "attributions", [colour[c] for c in cues["cue_category"]]
    )


def hedging_over_time_chart(rates: pd.DataFrame, title: str = "Hedging per 1,000 words, by month") -> Figure:
    """Lines of pooled hedging rates per month (``tally.hedging_over_time``): all and reporter voice."""
    if rates.empty or rates["n_words"].sum() == 0:
        return no_data(title, "No dated articles in this selection")
    fig, ax = _figure(3.6)
    for group, part in rates.groupby("group", sort=True):
        prefix = "" if group == "all" else f"{group}: "
        ax.plot(part["period"], part["hedges_per_1k_words"], marker="o", label=f"{prefix}all hedges")
        ax.plot(
            part["period"],
            part["reporter_hedges_per_1k_words"],
            marker="s",
            linestyle="--",
            label=f"{prefix}reporter's own voice",
        )
    for _, row in rates.iterrows():
        ax.annotate(
            f"n={row['n_articles']}",
            (row["period"], row["hedges_per_1k_words"]),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7,
            color="#555555",
        )
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False)
    _style(ax, title, "month of publication", "per 1,000 words")
    return fig


def outlet_intervals_chart(intervals: pd.DataFrame, metric: str, title: str | None = None) -> Figure:
    """Dots with 95% bootstrap whiskers per outlet for one metric (``tally.bootstrap_intervals``)."""
    part = intervals[intervals["metric"] == metric].dropna(subset=["estimate"]) if len(intervals) else intervals
    title = title or (part["label"].iat[0] if len(part) else metric)
    if part.empty:
        return no_data(title)
    part = part.sort_values("estimate")
    fig, ax = _figure(1.2 + 0.4 * len(part))
    y = range(len(part))
    err = [(part["estimate"] - part["low"]).clip(lower=0), (part["high"] - part["estimate"]).clip(lower=0)]
    ax.errorbar(part["estimate"], y, xerr=err, fmt="o", color="#1f77b4", ecolor="#7aa6d6", capsize=3)
    ax.set_yticks(list(y), [f"{_short(g, 24)} (n={n})" for g, n in zip(part["group"], part["n_articles"])])
    ci = part["ci"].iat[0]
    _style(ax, title, f"estimate with {ci:.0%} bootstrap interval (articles resampled)")
    if metric.startswith("share_"):
        ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0))
    return fig
