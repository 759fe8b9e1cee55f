"""Explore a corpus in JupyterLab: choose outlet, month, source type and cue category; see tallies and evidence.

``explorer(data, texts)`` returns a panel of drop-down lists (ipywidgets, the ``reports`` extra)
above an output area; every change redraws, through :func:`view`, the charts and the evidence
sentences for the new choice. :func:`view` is the whole logic and plain Python (a list of things
to display), so it is tested without a browser, and a notebook run in batch (papermill, no
widget frontend) still executes: the panel is then inert, and :func:`view` shows the same
figures as static output.

Outlet and month select articles (``tally.select``); source type and cue category select
attributions within them. The hedge chart follows outlet and month only: hedges belong to
sentences, not to one attribution's type.
"""

from __future__ import annotations

import html

from analysis import display, plots, quality, results, tally
from analysis.errors import AnalysisError
from analysis.schema import SOURCE_TYPES, Frames

ALL = ""  # the drop-down value meaning "no restriction"
CHOICES = ("outlet", "period", "source_type", "cue_category")


def options(data) -> dict[str, list[tuple[str, str]]]:
    """(label, value) pairs for each drop-down, "all" first; labels say how many articles or attributions."""
    notes = quality.corpus_notes(data)
    cues = results.count_rows(data, "attributions", by=["cue_category"])
    cues = cues[cues["cue_category"].notna()].sort_values("n", ascending=False)
    types = results.count_rows(data, "attributions", by=["source_type"]).set_index("source_type")["n"]

    def counted(n: int, noun: str) -> str:
        return f"{n:,} {noun}{'' if n == 1 else 's'}"

    return {
        "outlet": [("all outlets", ALL)]
        + [(f"{r.outlet} ({counted(r.n_articles, 'article')})", r.outlet) for r in notes.outlets.itertuples()],
        "period": [("all months", ALL)]
        + [(f"{r.period} ({counted(r.n_articles, 'article')})", r.period) for r in notes.periods.itertuples()],
        "source_type": [("all source types", ALL)]
        + [(f"{t} ({counted(int(types.get(t, 0)), 'attribution')})", t) for t in SOURCE_TYPES],
        "cue_category": [("all cue categories", ALL)]
        + [(f"{r.cue_category} ({counted(int(r.n), 'attribution')})", r.cue_category) for r in cues.itertuples()],
    }


def _attributions(sel, source_type: str, cue_category: str):
    """The selection itself, or frames holding only the attributions of the chosen type and category."""
    where = {k: v for k, v in (("source_type", source_type), ("cue_category", cue_category)) if v}
    if not where:
        return sel
    rows = results.read_rows(sel, "attributions", where=where)
    return Frames(
        attributions=rows,
        hedges=results.read_rows(sel, "hedges").iloc[0:0],
        articles=results.read_rows(sel, "articles"),
    )


def view(
    data,
    texts,
    outlet: str = ALL,
    period: str = ALL,
    source_type: str = ALL,
    cue_category: str = ALL,
    examples: int = 10,
) -> list:
    """What the explorer shows for one choice: a line naming it, four charts, the evidence table."""
    sel = tally.select(data, outlet=outlet or None, start=period or None, end=period or None)
    attrs = _attributions(sel, source_type, cue_category)
    # (a sum is asked for: group_totals with no sums gives no rows)
    n_articles = int(results.group_totals(sel, by=(), sums=["n_words"])["n_articles"].sum())
    n_attr = int(results.count_rows(attrs, "attributions", by=[])["n"].sum())
    said = [
        outlet or "all outlets",
        f"published {period}" if period else "any month",
        f"source type {source_type}" if source_type else "any source type",
        f"cue category {cue_category}" if cue_category else "any cue category",
    ]
    line = display.Html(
        f'<p class="an-meta"><b>{html.escape(" · ".join(said))}</b>: n = {n_attr:,} attribution'
        f"{'' if n_attr == 1 else 's'} in {n_articles:,} article{'' if n_articles == 1 else 's'}"
        f"{' (few: read with care)' if 0 < n_articles < quality.FEW_ARTICLES else ''}</p>"
    )
    hedges = results.count_rows(sel, "hedges", by=["category", "voice"], where=tally.COUNTED)
    rows = tally.attributions_of(attrs)
    return [
        line,
        plots.source_mix_chart(tally.source_type_mix(attrs)),
        plots.cue_verbs_chart(tally.cue_verbs(attrs, n=12)),
        plots.top_speakers_chart(tally.top_speakers(attrs, n=10)),
        plots.hedge_categories_chart(hedges, title="What kind of hedges (by outlet and month only)"),
        display.evidence_table(texts, rows, n=examples, caption="Attributions", interactive=True),
    ]


def explorer(data, texts, examples: int = 10, **initial):
    """Drop-down lists (outlet, month, source type, cue category) that redraw :func:`view` below them.

    ``data``: frames or a results folder (``reports.Inputs.data``); ``texts``: the corpus frame
    or path (``reports.Inputs.texts``); ``initial``: a first choice, e.g. ``outlet="BBC"``.
    """
    try:
        import ipywidgets as widgets
        from IPython.display import display as show
    except ImportError:
        raise AnalysisError(
            "analysis: the explorer needs ipywidgets; install it with pip install -e '.[reports]'"
        ) from None
    unknown = set(initial) - set(CHOICES)
    if unknown:
        raise AnalysisError(
            f"analysis: explorer: unknown choice(s) {', '.join(sorted(unknown))}; use {', '.join(CHOICES)}"
        )
    menus = options(data)
    labels = {"outlet": "Outlet", "period": "Month", "source_type": "Source type", "cue_category": "Cue category"}
    pickers = {}
    for key in CHOICES:
        allowed = [v for _, v in menus[key]]
        value = initial.get(key) or ALL
        if value not in allowed:
            raise AnalysisError(
                f"analysis: explorer: {key} {value!r} is not in this data; choose from {', '.join(allowed[1:][:20])}"
            )
        pickers[key] = widgets.Dropdown(
            options=menus[key], value=value, description=labels[key], style={"description_width": "7em"}
        )
    out = widgets.Output()

    def redraw(_change=None) -> None:
        out.clear_output(wait=True)
        with out:
            for item in view(data, texts, examples=examples, **{k: p.value for k, p in pickers.items()}):
                show(item)

    for p in pickers.values():
        p.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(pickers.values())[:2]), widgets.HBox(list(pickers.values())[2:]), out])
