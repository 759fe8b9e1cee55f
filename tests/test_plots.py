"""One visual language: every chart draws a category in its palette colour, with a legend, and says what n counts."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib import colors as mcolors
from matplotlib import ticker
from report_fixtures import fake_frames

from analysis import lexicon, palette, plots, results, tally
from analysis.schema import SOURCE_TYPES

PALETTE = plots.PALETTE  # what the plotting module draws with


def _hex(c) -> str:
    return mcolors.to_hex(c).upper()


def test_the_plotting_module_draws_with_the_one_palette():
    assert plots.PALETTE is palette.PALETTE
    assert set(PALETTE) == {"source_type", "cue_category", "hedge_category", "voice"}
    # every category the data can hold has its own colour
    assert set(SOURCE_TYPES) <= set(PALETTE["source_type"])
    assert lexicon.categories("cues") <= set(PALETTE["cue_category"])
    assert lexicon.categories("hedges") <= set(PALETTE["hedge_category"])
    assert {"reporter", "source"} <= set(PALETTE["voice"])
    for dim, colours in PALETTE.items():
        assert len(set(colours.values())) == len(colours), f"two {dim} categories share a colour"
    assert palette.colour("source_type", "a type added later") == palette.OTHER


# Machado, Oliveira & Fernandes (2009), full severity, on linear RGB
_CVD = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
}


def _lab(hex_colour: str, vision: np.ndarray) -> np.ndarray:
    rgb = np.array(mcolors.to_rgb(hex_colour))
    linear = vision @ np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", list(_CVD))
def test_palette_is_colour_blind_safe_within_each_dimension(vision):
    for dim, colours in PALETTE.items():
        for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
            distance = np.linalg.norm(_lab(ca, _CVD[vision]) - _lab(cb, _CVD[vision]))
            assert distance >= 10, f"{dim}: {a} and {b} look alike with {vision} (ΔE {distance:.1f})"


def _legend(fig) -> tuple[str, dict[str, str]]:
    """(title, {label: colour}) of the chart's one legend."""
    (legend,) = fig.legends
    handles = legend.legend_handles
    return legend.get_title().get_text(), {t.get_text(): _hex(h.get_facecolor()) for t, h in zip(legend.texts, handles)}


def _mixes(monkeypatch):
    """Two selections whose charts hold different categories in different orders."""
    _, frames = fake_frames(monkeypatch)
    # the stand-in engines' categories, as the lexicons name them
    frames.attributions["cue_category"] = frames.attributions["cue_category"].replace({"argue": "assertive"})
    frames.hedges["category"] = frames.hedges["category"].replace({"modal": "epistemic", "epistemic": "doxastic"})
    one = tally.select(frames, outlet="CNN")  # anonymous, vague, person; no organisation
    return frames, one


def test_source_types_keep_their_colour_in_every_chart(monkeypatch):
    frames, one = _mixes(monkeypatch)
    drawn: dict[str, set[str]] = {}
    for data in (frames, one):
        for by in (None, "outlet"):
            fig = plots.source_mix_chart(tally.source_type_mix(data, by=by))
            ax = fig.axes[0]
            for bars in ax.containers:
                drawn.setdefault(bars.get_label(), set()).update(_hex(p.get_facecolor()) for p in bars.patches)
            title, legend = _legend(fig)
            assert title == "source type"
            assert legend == {t: PALETTE["source_type"][t] for t in legend}
            assert all("attributions)" in t.get_text() for t in ax.get_yticklabels()), "n = … attributions"
        speakers = tally.top_speakers(data)
        fig = plots.top_speakers_chart(speakers)
        for t, bar in zip(speakers["source_type"], fig.axes[0].patches):
            drawn.setdefault(t, set()).add(_hex(bar.get_facecolor()))
        assert _legend(fig)[0] == "source type"
    assert drawn.keys() >= {"person", "organisation", "anonymous", "vague"}
    assert drawn == {t: {PALETTE["source_type"][t]} for t in drawn}, "a source type changed colour between charts"


def test_cue_and_hedge_categories_and_voices_keep_their_colours(monkeypatch):
    frames, one = _mixes(monkeypatch)
    for data in (frames, one):
        cues = tally.cue_verbs(data)
        fig = plots.cue_verbs_chart(cues)
        for c, bar in zip(cues["cue_category"], fig.axes[0].patches):
            assert _hex(bar.get_facecolor()) == PALETTE["cue_category"][c]
        assert _legend(fig)[0] == "cue category"
        counts = results.count_rows(data, "hedges", by=["category", "voice"], where=tally.COUNTED)
        fig = plots.hedge_categories_chart(counts)
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        for c, bar in zip(labels, fig.axes[0].patches):
            assert _hex(bar.get_facecolor()) == PALETTE["hedge_category"][c]
        assert _legend(fig)[0] == "hedge category"
        fig = plots.hedging_over_time_chart(tally.hedging_over_time(data))
        lines = {
            ln.get_label(): _hex(ln.get_color()) for ln in fig.axes[0].get_lines() if not ln.get_label().startswith("_")
        }
        assert lines["in the reporter's own voice"] == PALETTE["voice"]["reporter"]
        assert lines["inside a source's words"] == PALETTE["voice"]["source"]
        assert lines["all hedges"] == palette.INK  # not a category: grey, never a category's colour


def test_each_chart_hands_on_the_colours_it_drew(monkeypatch):
    """The PNG's metadata carries the colour of each category as drawn: what the notebook tests read back."""
    frames, _ = _mixes(monkeypatch)
    fig = plots.source_mix_chart(tally.source_type_mix(frames))
    _, meta = fig._repr_png_()
    assert meta[plots.COLOURS_KEY]["source_type"] == {
        bars.get_label(): _hex(bars.patches[0].get_facecolor()) for bars in fig.axes[0].containers
    }
    # a chart that (wrongly) drew one category in two colours shows both, so the check cannot pass
    plots._note(fig, "source_type", "vague", fig.axes[0].containers[0])
    assert isinstance(fig.colour_key["source_type"]["vague"], list)
    assert plots.COLOURS_KEY not in plots.no_data("Nothing")._repr_png_()[1]


def test_counts_say_what_they_count_and_few_articles_are_hollow(monkeypatch):
    frames, _ = _mixes(monkeypatch)
    intervals = tally.bootstrap_intervals(frames, metrics=["share_anonymous"], n_resamples=50)
    fig = plots.outlet_intervals_chart(intervals, "share_anonymous")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        f"{g} (n = 2 articles, few)" for g in intervals.sort_values("estimate")["group"]
    ]
    assert f"fewer than {plots.FEW_ARTICLES} articles" in ax.get_xlabel()
    dots = ax.collections[-1]
    assert {_hex(c) for c in dots.get_facecolors()} == {"#FFFFFF"}  # hollow
    big = intervals.assign(n_articles=500)
    fig = plots.outlet_intervals_chart(big, "share_anonymous")
    assert "few" not in " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    assert {_hex(c) for c in fig.axes[0].collections[-1].get_facecolors()} == {palette.INK}
    assert isinstance(fig.axes[0].xaxis.get_major_formatter(), ticker.PercentFormatter)  # a share: in %
    rates = tally.hedging_over_time(frames)
    fig = plots.hedging_over_time_chart(rates)
    assert "numbers: articles that month" in fig.axes[0].get_xlabel()
    notes = sorted(t.get_text() for t in fig.axes[0].texts)
    assert notes == sorted(f"{n:,}" for n in rates["n_articles"])


def test_empty_selections_say_so_in_every_chart():
    empty = pd.DataFrame(columns=["category", "voice", "n"])
    assert any("No hedges" in t.get_text() for t in plots.hedge_categories_chart(empty).texts)


def test_labels_on_bars_stay_readable():
    assert palette.ink_on("#FFFFFF") == "#000000" and palette.ink_on("#332288") == "#FFFFFF"
    assert palette.ink_on(PALETTE["source_type"]["vague"]) == "#000000"  # orange: black text
    assert palette.tint("#000000", 0.5) == "#808080" and palette.tint("#AA3377", 0) == "#AA3377"
