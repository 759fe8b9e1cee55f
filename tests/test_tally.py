"""Tallies and charts read only the frames: hand-checked counts, empty frames, deterministic intervals."""

from __future__ import annotations

import pandas as pd
import pytest
from report_fixtures import corpus_frame, fake_frames

from analysis import attribution, hedging, plots, tally
from analysis.pipeline import extract
from analysis.schema import SOURCE_TYPES, Frames


@pytest.fixture
def frames(monkeypatch):
    return fake_frames(monkeypatch)[1]


@pytest.fixture
def empty_frames(monkeypatch):
    """Articles but nothing found in them (what the placeholder engines return)."""
    monkeypatch.setattr(attribution, "find_attributions", lambda doc: [])
    monkeypatch.setattr(hedging, "find_hedges", lambda doc, attributions=None: [])
    return extract(corpus_frame())


@pytest.fixture
def no_articles():
    return extract(corpus_frame([]))


def test_headline_counts_by_hand(frames):
    h = tally.headline(frames)
    # a1: Officials (vague), John Smith (direct), a source (anonymous); a2: Mary Jones, Critics (vague),
    # The ministry; a3: forecasters (vague), John Smith, a source (anonymous); a4: nothing
    assert (h["n_articles"], h["n_outlets"], h["n_attributions"]) == (4, 2, 9)
    assert (h["n_anonymous"], h["n_vague"], h["n_direct"]) == (2, 3, 1)
    assert h["n_named_speakers"] == 3  # John Smith, Mary Jones, The ministry
    assert h["share_anonymous"] == round(2 / 9, 4)
    assert h["attributions_per_article"] == 2.25
    # hedges: may, could, appears, likely (a1), might (a2), could, may (a3); 2 outside quotes
    assert (h["n_hedges"], h["n_hedges_reporter"]) == (7, 2)
    assert h["hedges_per_1k_words"] == round(1000 * 7 / h["n_words"], 3)
    assert (h["first_published"], h["last_published"]) == ("2017-01-05", "2017-03-02")


def test_condition_cues_are_not_counted(frames):
    hedges = frames.hedges.copy()
    hedges.loc[hedges.index[0], "is_hedge"] = False
    h = tally.headline(Frames(frames.attributions, hedges, frames.articles))
    assert h["n_hedges"] == 6
    assert len(tally.hedges_of(Frames(frames.attributions, hedges, frames.articles))) == 6


def test_select_by_outlet_and_period(frames):
    bbc = tally.select(frames, outlet="BBC")
    assert set(bbc.articles["article_id"]) == {"a1", "a2"}
    assert set(bbc.attributions["article_id"]) <= {"a1", "a2"} and len(bbc.attributions) == 6
    jan = tally.select(frames, start="2017-01-01", end="2017-01")  # a month as end: the whole month
    assert set(jan.articles["article_id"]) == {"a1", "a3"}
    day = tally.select(frames, end="2017-01-05")  # a day as end: inclusive
    assert set(day.articles["article_id"]) == {"a1"}
    assert tally.select(frames, outlet="Nobody").articles.empty


def test_source_type_mix_lists_every_type_and_shares_sum_to_one(frames):
    mix = tally.source_type_mix(frames, by="outlet")
    assert set(mix["group"]) == {"BBC", "CNN"}
    for _, part in mix.groupby("group"):
        assert list(part["source_type"])[: len(SOURCE_TYPES)] == SOURCE_TYPES
        assert part["share"].sum() == pytest.approx(1.0)
    cnn = mix[mix["group"] == "CNN"].set_index("source_type")["n"]
    assert (cnn["anonymous"], cnn["vague"], cnn["person"]) == (1, 1, 1)


def test_top_speakers_and_cue_verbs(frames):
    top = tally.top_speakers(frames)
    assert top.iloc[0][["speaker", "n", "n_articles"]].tolist() == ["John Smith", 2, 2]
    assert "Officials" not in set(top["speaker"])  # vague sources are not "named"
    cues = tally.cue_verbs(frames)
    assert cues.iloc[0][["cue_lemma", "n"]].tolist() == ["say", 7]
    assert cues["share"].sum() == pytest.approx(1.0)


def test_hedging_over_time_is_pooled(frames):
    rates = tally.hedging_over_time(frames)
    assert list(rates["period"]) == ["2017-01", "2017-02", "2017-03"]
    jan = rates.iloc[0]
    arts = frames.articles.set_index("article_id")
    words = arts.loc[["a1", "a3"], "n_words"].sum()
    assert jan["hedges_per_1k_words"] == pytest.approx(1000 * 6 / words)
    assert jan["reporter_hedges_per_1k_words"] == pytest.approx(1000 * 2 / words)


def test_bootstrap_intervals_deterministic_and_per_outlet(frames):
    a = tally.bootstrap_intervals(frames, metrics=list(tally.METRICS), n_resamples=500)
    b = tally.bootstrap_intervals(frames, metrics=list(tally.METRICS), n_resamples=500)
    pd.testing.assert_frame_equal(a, b)
    assert ((a["low"] <= a["estimate"] + 1e-9) & (a["estimate"] <= a["high"] + 1e-9)).all()
    # an outlet's interval does not move when another outlet leaves the corpus
    only_bbc = tally.bootstrap_intervals(
        tally.select(frames, outlet="BBC"), metrics=list(tally.METRICS), n_resamples=500
    )
    pd.testing.assert_frame_equal(a[a["group"] == "BBC"].reset_index(drop=True), only_bbc)
    other_seed = tally.bootstrap_intervals(frames, n_resamples=500, seed=1)
    assert not other_seed[["low", "high"]].equals(
        a[a["metric"].isin(other_seed["metric"])][["low", "high"]].reset_index(drop=True)
    )


def test_bootstrap_interval_matches_resampling_by_hand():
    """With one metric and a known corpus, the percentile interval is what plain numpy gives."""
    import zlib

    import numpy as np

    arts = pd.DataFrame(
        {
            "article_id": [f"x{i}" for i in range(30)],
            "outlet": "X",
            "n_words": [100 + 7 * i for i in range(30)],
            "n_hedges": [i % 5 for i in range(30)],
        }
    )
    fr = Frames(pd.DataFrame(columns=["article_id"]), pd.DataFrame(columns=["article_id"]), arts)
    got = tally.bootstrap_intervals(fr, metrics=["hedges_per_1k_words"], n_resamples=300, seed=5).iloc[0]
    idx = np.random.default_rng([5, zlib.crc32(b"X")]).integers(0, 30, size=(300, 30))
    boot = 1000 * arts["n_hedges"].to_numpy()[idx].sum(1) / arts["n_words"].to_numpy()[idx].sum(1)
    assert got["low"] == pytest.approx(np.quantile(boot, 0.025))
    assert got["high"] == pytest.approx(np.quantile(boot, 0.975))
    assert got["estimate"] == pytest.approx(1000 * arts["n_hedges"].sum() / arts["n_words"].sum())


def test_unknown_metric_is_refused(frames):
    with pytest.raises(ValueError, match="unknown metric"):
        tally.bootstrap_intervals(frames, metrics=["nonsense"])


@pytest.mark.parametrize("which", ["empty_frames", "no_articles"])
def test_everything_works_on_empty_frames(which, request):
    fr = request.getfixturevalue(which)
    h = tally.headline(fr)
    assert h["n_attributions"] == 0 and h["hedges_per_1k_words"] == 0.0
    assert tally.top_speakers(fr).empty and tally.cue_verbs(fr).empty
    assert tally.source_type_mix(fr)["n"].sum() == 0
    tally.per_outlet(fr)
    tally.hedging_over_time(fr)
    intervals = tally.bootstrap_intervals(fr, metrics=list(tally.METRICS), n_resamples=50)
    for fig in (
        plots.source_mix_chart(tally.source_type_mix(fr)),
        plots.top_speakers_chart(tally.top_speakers(fr)),
        plots.cue_verbs_chart(tally.cue_verbs(fr)),
    ):
        assert any("No " in t.get_text() for t in fig.texts), "an empty chart must say there is no data"
        png, meta = fig._repr_png_()
        assert png.startswith(b"\x89PNG") and meta["alt"]
    plots.hedging_over_time_chart(tally.hedging_over_time(fr))._repr_png_()
    plots.outlet_intervals_chart(intervals, "share_anonymous")._repr_png_()


def test_charts_on_full_frames(frames):
    intervals = tally.bootstrap_intervals(frames, metrics=list(tally.METRICS), n_resamples=100)
    figs = [
        plots.source_mix_chart(tally.source_type_mix(frames, by="outlet")),
        plots.top_speakers_chart(tally.top_speakers(frames)),
        plots.cue_verbs_chart(tally.cue_verbs(frames)),
        plots.hedging_over_time_chart(tally.hedging_over_time(frames)),
        plots.outlet_intervals_chart(intervals, "hedges_per_1k_words"),
    ]
    for fig in figs:
        assert fig.axes and not any("No data" in t.get_text() for t in fig.texts)
        png, meta = fig._repr_png_()
        assert png.startswith(b"\x89PNG") and meta["alt"] == fig.axes[0].get_title(loc="left")
    labels = [t.get_text() for t in figs[1].axes[0].get_yticklabels()]
    assert labels[0] == "John Smith"


def test_bootstrap_in_blocks_draws_the_same_resamples(frames, monkeypatch):
    """Large outlets are resampled block by block; the intervals are those of one big draw."""
    whole = tally.bootstrap_intervals(frames, metrics=list(tally.METRICS), n_resamples=301)
    monkeypatch.setattr(tally, "_BOOT_CELLS", 7)  # 3 or 4 resamples per block
    pd.testing.assert_frame_equal(
        tally.bootstrap_intervals(frames, metrics=list(tally.METRICS), n_resamples=301), whole
    )


def test_every_rate_is_the_one_metric_definition(frames):
    """The headline, the per-outlet table and the intervals' estimates agree: one formula each."""
    h = tally.headline(frames)
    one_group = Frames(frames.attributions, frames.hedges, frames.articles.assign(outlet="all"))
    est = tally.bootstrap_intervals(one_group, metrics=list(tally.METRICS), n_resamples=10).set_index("metric")[
        "estimate"
    ]
    for name in (
        "hedges_per_1k_words",
        "reporter_hedges_per_1k_words",
        "attributions_per_article",
        "share_anonymous",
        "share_vague",
        "share_direct",
    ):
        assert h[name] == pytest.approx(round(est[name], 4 if name.startswith("share") else 3)), name
    outlets = tally.per_outlet(frames).set_index("outlet")
    bbc = tally.headline(tally.select(frames, outlet="BBC"))
    assert outlets.loc["BBC", "hedges_per_1k_words"] == pytest.approx(bbc["hedges_per_1k_words"], abs=5e-4)
    assert pd.isna(float(tally.METRICS["hedges_per_1k_words"].of(7, 0)))  # no words: no rate, not a zero division
