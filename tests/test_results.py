"""Tallies read a results folder (CSV or Parquet partitions) and give the very tables of the frames.

One real extraction of 100 PolNeAR articles, kept in memory and written by ``analysis extract``
as CSV and as Parquet partitions: every tally must be identical from all three, for the whole
corpus and for a selection, while reading only the columns it needs and, for evidence, only the
matching rows.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.dataset as ds
import pytest
from report_fixtures import corpus_frame, use_fake_engines
from results_fixtures import write_polnear_jsonl

from analysis import cache, display, parallel, results, tally
from analysis.corpus import load_corpus
from analysis.errors import AnalysisError
from analysis.pipeline import extract
from analysis.schema import FRAME_NAMES, Frames


@pytest.fixture(scope="module")
def corpus_jsonl(polnear_dir, tmp_path_factory):
    return write_polnear_jsonl(polnear_dir, tmp_path_factory.mktemp("corpus") / "polnear100.jsonl")


@pytest.fixture(scope="module")
def runs(corpus_jsonl, tmp_path_factory):
    """{"frames": in-memory Frames, "csv": a CSV run folder, "parquet": a folder of 4 partitions}."""
    base = tmp_path_factory.mktemp("runs")
    parallel.run_extract(corpus_jsonl, base / "both", fmt="both", workers=1, chunk_size=30)
    csv = base / "csv"
    shutil.copytree(base / "both", csv, ignore=lambda d, names: [n for n in names if n in FRAME_NAMES])
    assert len(list((base / "both" / "attributions").glob("*.parquet"))) == 4
    assert results._locate(csv, "hedges")[0] == "csv" and results._locate(base / "both", "hedges")[0] == "parquet"
    return {"frames": extract(load_corpus(corpus_jsonl)), "csv": csv, "parquet": base / "both"}


def all_tallies(data) -> dict:
    return {
        "headline": tally.headline(data),
        "mix": tally.source_type_mix(data),
        "mix_by_outlet": tally.source_type_mix(data, by="outlet"),
        "speakers": tally.top_speakers(data, n=12),
        "speakers_by_outlet": tally.top_speakers(data, n=5, by="outlet"),
        "cues": tally.cue_verbs(data),
        "cues_by_month": tally.cue_verbs(data, n=5, by="period"),
        "over_time": tally.hedging_over_time(data),
        "over_time_by_outlet": tally.hedging_over_time(data, by="outlet"),
        "per_outlet": tally.per_outlet(data),
        "intervals": tally.bootstrap_intervals(data, metrics=list(tally.METRICS), n_resamples=200),
        "anonymous": tally.attributions_of(data, source_type="anonymous"),
        "reporter_hedges": tally.hedges_of(data, voice="reporter"),
    }


def assert_same_tables(got: dict, want: dict) -> None:
    for key, table in want.items():
        if isinstance(table, dict):
            assert got[key] == table, key
        else:
            pd.testing.assert_frame_equal(got[key], table, check_exact=True, obj=key)


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_results_folder_gives_the_tables_of_the_frames(runs, kind):
    want = all_tallies(runs["frames"])
    assert want["headline"]["n_articles"] == 100 and want["headline"]["n_outlets"] >= 5
    assert want["headline"]["n_attributions"] > 300 and want["headline"]["n_hedges"] > 100
    assert len(want["over_time"]) >= 2 and len(want["anonymous"]) > 0 and len(want["speakers_by_outlet"]) > 10
    assert_same_tables(all_tallies(runs[kind]), want)
    assert_same_tables(all_tallies(str(runs[kind])), want)  # a plain string path too


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_selection_of_a_folder_gives_the_tables_of_the_selected_frames(runs, kind):
    outlet = runs["frames"].articles["outlet"].value_counts().index[0]
    want = tally.select(runs["frames"], outlet=outlet, start="2016-02-01", end="2016-06")
    got = tally.select(runs[kind], outlet=outlet, start="2016-02-01", end="2016-06")
    assert isinstance(got, results.Selection) and len(got.article_ids) == len(want.articles) > 2
    assert_same_tables(all_tallies(got), all_tallies(want))
    # a selection of a selection narrows it, as on the frames
    one = want.articles["article_id"].iat[0]
    got_one = tally.in_memory(tally.select(got, article_ids=[one]))
    want_one = tally.select(want, article_ids=[one])
    assert tally.headline(got_one) == tally.headline(want_one)
    assert got_one.attributions["cue_start"].tolist() == want_one.attributions["cue_start"].tolist()


@pytest.fixture
def reads(monkeypatch):
    """Every batch read from a folder, after pyarrow's filter: (frame, columns, rows)."""
    seen: list[tuple[str, list[str], int]] = []
    batches = results._batches

    def spy(out, name, *args, **kwargs):
        for batch in batches(out, name, *args, **kwargs):
            seen.append((name, list(batch.schema.names), batch.num_rows))
            yield batch

    monkeypatch.setattr(results, "_batches", spy)
    return seen


def test_evidence_reads_only_the_matching_rows(runs, reads):
    out = runs["parquet"]
    want = tally.attributions_of(runs["frames"], source_type="anonymous")
    got = tally.attributions_of(out, source_type="anonymous")
    assert [r[0] for r in reads] == ["attributions"] * len(reads)
    assert sum(r[2] for r in reads) == len(got) == len(want) < len(runs["frames"].attributions) / 5
    reads.clear()
    hedges = tally.hedges_of(out, voice="reporter", category="epistemic")
    assert sum(r[2] for r in reads) == len(hedges) > 0
    assert set(hedges["voice"]) == {"reporter"} and set(hedges["category"]) == {"epistemic"}
    # a selection's articles are a filter too: only their rows are read
    outlet = runs["frames"].articles["outlet"].iat[0]
    sel = tally.select(out, outlet=outlet)
    reads.clear()
    rows = tally.attributions_of(sel)
    assert sum(r[2] for r in reads) == len(rows) == len(tally.select(runs["frames"], outlet=outlet).attributions)


def test_tallies_read_only_the_columns_they_need(runs, reads):
    tally.per_outlet(runs["parquet"])
    assert {r[0] for r in reads} == {"articles"}
    assert set().union(*(r[1] for r in reads)) == {
        "outlet",
        "n_words",
        "n_attributions",
        "n_hedges",
        "n_hedges_reporter",
    }
    reads.clear()
    tally.source_type_mix(runs["parquet"], by="outlet")
    assert set().union(*(r[1] for r in reads if r[0] == "attributions")) == {"article_id", "source_type"}
    assert set().union(*(r[1] for r in reads if r[0] == "articles")) == {"article_id", "outlet"}


@pytest.mark.slow
def test_small_batches_fold_to_the_same_tables(runs, monkeypatch):
    want = all_tallies(runs["frames"])
    monkeypatch.setattr(results, "_BATCH_ROWS", 23)  # many partial group-bys, folded several times
    assert_same_tables(all_tallies(runs["parquet"]), want)


def test_group_totals_and_count_rows_over_everything(runs):
    arts = runs["frames"].articles
    total = results.group_totals(runs["csv"], by=(), sums=["n_words"])
    assert total.to_dict("records") == [{"n_articles": 100, "n_words": int(arts["n_words"].sum())}]
    n = results.count_rows(runs["parquet"], "hedges", by=(), where=tally.COUNTED)
    assert int(n["n"].iat[0]) == int(arts["n_hedges"].sum())


def test_a_cache_entry_reads_as_a_results_folder(monkeypatch, tmp_path):
    use_fake_engines(monkeypatch)
    corpus = corpus_frame()
    frames = cache.extract_cached(corpus, tmp_path)
    entry = tmp_path / cache.cache_key(corpus)
    assert (entry / "attributions.parquet").is_file()
    assert tally.headline(entry) == tally.headline(frames)
    pd.testing.assert_frame_equal(tally.source_type_mix(entry, by="outlet"), tally.source_type_mix(frames, by="outlet"))


def test_a_folder_without_results_or_no_folder_is_one_line(tmp_path):
    with pytest.raises(AnalysisError, match=r"no attributions output .* run 'analysis extract CORPUS --out"):
        tally.attributions_of(tmp_path)
    with pytest.raises(AnalysisError, match="no results folder given"):
        tally.headline("")


def test_an_empty_selection_of_a_folder_gives_empty_tables(runs):
    sel = tally.select(runs["parquet"], outlet="Nobody")
    none = tally.select(runs["frames"], outlet="Nobody")
    assert tally.headline(sel) == tally.headline(none)
    assert tally.headline(sel)["n_articles"] == 0
    assert tally.per_outlet(sel).empty and tally.top_speakers(sel).empty and tally.hedging_over_time(sel).empty
    assert tally.attributions_of(sel).empty and tally.bootstrap_intervals(sel).empty
    assert list(tally.attributions_of(sel).columns)[:3] == ["article_id", "attribution_id", "kind"]


def test_where_on_frames_and_on_a_folder_keep_the_same_rows(runs):
    where = {"is_hedge": (True, None), "category": ("epistemic", "modal")}
    expr = results._expression(where)
    on_disk = ds.dataset(str(runs["parquet"] / "hedges"), format="parquet").to_table(filter=expr).num_rows
    h = runs["frames"].hedges
    assert on_disk == int(results._mask(h, where).sum()) > 0
    assert isinstance(runs["frames"], Frames)


def test_evidence_quotes_from_a_corpus_path_read_only_as_far_as_needed(corpus_jsonl, runs):
    corpus = load_corpus(corpus_jsonl)
    rows = tally.attributions_of(runs["parquet"], source_type="anonymous")
    assert str(display.evidence_table(corpus_jsonl, rows, n=6)) == str(display.evidence_table(corpus, rows, n=6))
    wanted = list(corpus["article_id"].iloc[[3, 40]])
    assert display.corpus_rows(corpus_jsonl, wanted)["article_id"].tolist() == wanted
    assert display.pick_article(corpus_jsonl)["article_id"] == corpus["article_id"].iat[0]
    assert display.pick_article(corpus_jsonl, wanted[1])["text"] == corpus["text"].iat[40]
    with pytest.raises(AnalysisError, match=r"article_id 'nope' is not in the corpus .*; ids look like") as err:
        display.pick_article(corpus_jsonl, "nope")
    assert "\n" not in str(err.value)
