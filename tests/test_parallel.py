"""Streaming, workers and Dask give the very rows of the serial run; errors never corrupt outputs.

Two extractors: the real engines (whatever they produce today), and ``fake_extractor`` below,
deterministic and cheap, which makes sure the identity checks compare many non-trivial rows
(offsets, text, extra columns) even while an engine is still a placeholder.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import cli, parallel, pipeline, results, runs, schema, tally
from analysis.corpus import load_corpus
from analysis.doc import Doc
from analysis.errors import AnalysisError
from analysis.pipeline import Article, article_tallies
from analysis.pipeline import extract as extract_frames
from analysis.records import Attribution, Hedge

_CUE = re.compile(r"\b(said|says|told|according to)\b")
_HEDGE = re.compile(r"\b(may|might|could|perhaps|reportedly)\b")


@dataclass(slots=True)
class WeightedAttribution(Attribution):
    """An engine's own record: one field beyond the contract, which becomes an extra column."""

    weight: float | None = None


def fake_extractor(article_id: str, text: str) -> Article:
    """Every reporting word an attribution, every modal a hedge; a 'weight' column beyond the contract."""
    attrs = [
        WeightedAttribution(
            attribution_id=i,
            kind="direct" if i % 2 else "indirect",
            cue_start=m.start(),
            cue_end=m.end(),
            cue_text=m.group(),
            cue_lemma=m.group().split()[0],
            source_type=("person", "vague", "anonymous")[i % 3],
            speaker=f"S{len(text) % 7}" if i % 6 else "",
            anonymity_explained=(i % 4 == 0) if i % 5 else None,
            rule="fake",
            weight=i / 3,
        )
        for i, m in enumerate(_CUE.finditer(text))
    ]
    hedges = [
        Hedge(
            hedge_id=i,
            start=m.start(),
            end=m.end(),
            text=m.group(),
            cue=m.group(),
            category="epistemic",
            is_hedge=i % 3 != 0,
            voice=("reporter", "source")[i % 2],
            rule="fake",
        )
        for i, m in enumerate(_HEDGE.finditer(text))
    ]
    for r in (*attrs, *hedges):
        r.article_id = article_id
    doc = Doc(text)
    return Article(article_id, doc, attrs, hedges, article_tallies(article_id, doc, attrs, hedges))


def failing_extractor(article_id: str, text: str):
    if article_id.endswith("7"):
        raise ValueError("engine bug")
    return fake_extractor(article_id, text)


def write_jsonl(path: Path, records: list[dict], bad_line: int | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    if bad_line is not None:
        lines.insert(bad_line - 1, '{"article_id": "broken", "text": "a quote that never ends}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def train_records(polnear_dir) -> list[dict]:
    meta = pd.read_csv(polnear_dir / "metadata.tsv", sep="\t", dtype=str, keep_default_na=False)
    meta = meta.set_index("filename")
    out = []
    for p in sorted((polnear_dir / "train" / "text").glob("*.txt")):
        rec = {"article_id": p.stem, "text": p.read_bytes().decode("utf-8")}
        if p.stem in meta.index:
            row = meta.loc[p.stem]
            rec.update(outlet=row["publisher"], published=row["publication_date"], title=row["title"])
        out.append(rec)
    assert len(out) == 840
    return out


@pytest.fixture(scope="module")
def train_jsonl(train_records, tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("train") / "train.jsonl", train_records)


def run(src, out, **kw) -> schema.Frames:
    parallel.run_extract(src, out, **kw)
    return results.read_results(out)


def assert_same(a: schema.Frames, b: schema.Frames) -> None:
    for name in schema.FRAME_NAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


def files_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".partial" not in p.parts
    }


# --- identity: serial == workers == Dask ----------------------------------------------------------


def cli_run(src: Path, out: Path, *flags: str) -> schema.Frames:
    """The command line in a child process. Every process of the run (workers, Dask) gets the same
    hash seed: these tests check that splitting the work changes nothing, and must not depend on
    whether an engine iterates a set in a seed-independent order (that is the engines' tests' job)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    cmd = [sys.executable, "-m", "analysis", "extract", str(src), "--out", str(out), "--no-progress", *flags]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return results.read_results(out)


@pytest.fixture(scope="module")
def serial_real(train_jsonl, tmp_path_factory) -> schema.Frames:
    return cli_run(train_jsonl, tmp_path_factory.mktemp("serial"), "--workers", "1", "--chunk-size", "100")


@pytest.mark.slow
def test_two_workers_equal_serial_on_all_polnear_train(train_jsonl, serial_real, tmp_path):
    assert len(serial_real.articles) == 840
    assert_same(cli_run(train_jsonl, tmp_path, "--workers", "2", "--chunk-size", "50"), serial_real)


def test_serial_run_equals_the_in_memory_extract(train_records, tmp_path):
    # analysis.extract over the loaded corpus is the reference every streamed run must match.
    src = write_jsonl(tmp_path / "sub.jsonl", train_records[:100])
    ref = extract_frames(load_corpus(src))
    got = run(src, tmp_path / "out", workers=1, chunk_size=30)
    assert_same(got, schema.Frames(*(schema.conform(getattr(ref, n), n) for n in schema.FRAME_NAMES)))


@pytest.mark.slow
def test_dask_local_equals_serial_on_polnear_train_subset(train_records, serial_real, tmp_path):
    # 200 articles keep the cluster run short; their rows must be exactly the serial run's.
    src = write_jsonl(tmp_path / "sub.jsonl", train_records[:200])
    got = cli_run(src, tmp_path / "out", "--dask", "local", "--workers", "2", "--chunk-size", "40")
    assert_same(got, subset(serial_real, train_records[:200]))


def subset(frames: schema.Frames, records: list[dict]) -> schema.Frames:
    ids = {r["article_id"] for r in records}
    return schema.Frames(
        *(
            getattr(frames, n)[getattr(frames, n)["article_id"].isin(ids)].reset_index(drop=True)
            for n in schema.FRAME_NAMES
        )
    )


@pytest.fixture(scope="module")
def serial_fake(train_jsonl, tmp_path_factory) -> schema.Frames:
    return run(train_jsonl, tmp_path_factory.mktemp("fake"), workers=1, extractor=fake_extractor)


def test_fake_extractor_gives_many_rows(serial_fake):
    # Otherwise the identity tests below would compare empty frames.
    assert len(serial_fake.attributions) > 5000 and len(serial_fake.hedges) > 1000
    assert serial_fake.attributions["weight"].notna().all()  # an engine's extra column survives
    art = serial_fake.attributions
    assert (art["cue_end"] > art["cue_start"]).all()


@pytest.mark.slow
def test_fake_two_workers_and_dask_equal_serial(train_jsonl, serial_fake, tmp_path):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # Dask workers cannot import tests/
    assert_same(run(train_jsonl, tmp_path / "w2", workers=2, chunk_size=64, extractor=fake_extractor), serial_fake)
    assert_same(
        run(train_jsonl, tmp_path / "dask", dask="local", workers=2, chunk_size=128, extractor=fake_extractor),
        serial_fake,
    )


@pytest.mark.slow
def test_small_chunks_give_the_one_chunk_result(train_jsonl, serial_fake, tmp_path):
    # The 'huge' case in miniature: 840 articles in chunks of 21 versus all in one chunk.
    one = run(train_jsonl, tmp_path / "one", workers=1, chunk_size=10_000, extractor=fake_extractor)
    assert_same(one, serial_fake)
    small = run(train_jsonl, tmp_path / "small", workers=1, chunk_size=21, extractor=fake_extractor, fmt="parquet")
    assert len(list((tmp_path / "small" / "hedges").glob("part-*.parquet"))) == 40
    assert_same(small, one)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(1, 60))
def test_any_chunk_size_gives_the_same_rows(train_records, tmp_path_factory, size):
    folder = tmp_path_factory.mktemp("chunks")
    src = write_jsonl(folder / "c.jsonl", train_records[:60])
    ref = pipeline.extract_chunk(pd.DataFrame(train_records[:60]), fake_extractor)[0]
    got = run(src, folder / "out", workers=1, chunk_size=size, extractor=fake_extractor)
    for name in ("attributions", "hedges"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(ref, name), obj=name)


def test_extract_dask_api_matches_and_declares_meta(train_records):
    dd = pytest.importorskip("dask.dataframe")
    import dask

    df = load_corpus_frame(train_records[:30])
    att, hed, art = parallel.extract_dask(dd.from_pandas(df, npartitions=4), extractor=fake_extractor)
    for got, name in ((att, "attributions"), (hed, "hedges"), (art, "articles")):
        assert list(got.columns) == schema.columns(name)
        assert got._meta.dtypes.to_dict() == schema.empty(name).dtypes.to_dict()
    a, h, r = dask.compute(att, hed, art, scheduler="synchronous")
    ref = pipeline.extract_chunk(df, fake_extractor, extras=False)[0]
    pd.testing.assert_frame_equal(a.reset_index(drop=True), ref.attributions)
    pd.testing.assert_frame_equal(h.reset_index(drop=True), ref.hedges)
    pd.testing.assert_frame_equal(r.reset_index(drop=True), ref.articles)
    assert len(a) > 50


def load_corpus_frame(records: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(records)
    df["published"] = pd.to_datetime(df["published"])
    return df


# --- formats --------------------------------------------------------------------------------------


def test_csv_and_parquet_outputs_hold_the_same_rows(train_records, tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", train_records[:120])
    parallel.run_extract(src, tmp_path / "both", fmt="both", workers=1, chunk_size=25, extractor=fake_extractor)
    out = tmp_path / "both"
    for name in schema.FRAME_NAMES:
        assert (out / f"{name}.csv").is_file() and len(list((out / name).glob("*.parquet"))) == 5
        as_parquet = results._to_pandas(results.dataset(out, name).to_table(), name)
        with_csv = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(with_csv.columns) == list(as_parquet.columns)
        assert len(with_csv) == len(as_parquet)
    csv_only = tmp_path / "csv"
    csv_only.mkdir()
    for name in schema.FRAME_NAMES:
        (csv_only / f"{name}.csv").write_bytes((out / f"{name}.csv").read_bytes())
    assert_same(results.read_results(csv_only), results.read_results(out))


def test_csv_keeps_tricky_text_exact(tmp_path):
    texts = {
        "a": 'He said "NA"\nand, "None" was told, said the "null" man;\r\n',
        "b": 'One line said\n\n"Quoted, with commas" — told; says ‘x’',
    }
    src = write_jsonl(tmp_path / "t.jsonl", [{"article_id": k, "text": v} for k, v in texts.items()])
    got = run(src, tmp_path / "out", workers=1, extractor=fake_extractor)
    for row in got.attributions.itertuples():
        assert texts[row.article_id][row.cue_start : row.cue_end] == row.cue_text


def test_last_format_wins_when_reading_a_reused_folder(train_records, tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", train_records[:10])
    parallel.run_extract(src, tmp_path / "out", fmt="parquet", workers=1, extractor=fake_extractor)
    src2 = write_jsonl(tmp_path / "d.jsonl", train_records[10:15])
    parallel.run_extract(src2, tmp_path / "out", fmt="csv", workers=1, extractor=fake_extractor)
    assert len(results.read_results(tmp_path / "out").articles) == 5


@pytest.mark.slow
def test_run_json_records_the_run(train_records, tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", train_records[:30])
    summary = parallel.run_extract(src, tmp_path / "out", workers=2, chunk_size=8, extractor=fake_extractor)
    saved = json.loads((tmp_path / "out" / "run.json").read_text())
    assert saved == json.loads(json.dumps(summary, default=str))
    assert saved["status"] == "complete" and saved["counts"]["articles"] == 30
    assert saved["counts"]["chunks"] == 4 and saved["settings"]["workers"] == 2
    assert not (tmp_path / "out" / ".partial").exists()


@pytest.mark.parametrize(
    "total, workers, size",
    [
        (5000, 2, 313),  # 16 chunks: the last one no longer leaves a worker idle for long
        (200_000, 2, 1000),  # capped: a chunk in flight stays small in memory
        (120, 2, 50),  # floored: tiny chunks cost more to ship than to extract
        (None, 4, 1000),  # size unknown (a stream): the cap
    ],
)
def test_chunk_size_is_chosen_from_the_corpus_size(total, workers, size):
    assert parallel.auto_chunk_size(total, workers) == size


@pytest.mark.slow
def test_default_chunks_keep_both_workers_busy(train_records, tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", train_records[:800])
    summary = parallel.run_extract(src, tmp_path / "out", workers=2, extractor=fake_extractor)
    assert summary["settings"]["chunk_size"] == 50 and summary["counts"]["chunks"] == 16


def test_count_articles_for_the_progress_bar(train_records, tmp_path):
    records = train_records[:25]
    src = write_jsonl(tmp_path / "c.jsonl", records)
    assert parallel.count_articles(src) == 25
    df = pd.DataFrame(records)
    df.to_csv(tmp_path / "c.csv", index=False)  # texts hold line breaks: lines are not rows
    assert parallel.count_articles(tmp_path / "c.csv") == 25
    df.to_parquet(tmp_path / "c.parquet")
    assert parallel.count_articles(tmp_path / "c.parquet") == 25
    assert parallel.count_articles(tmp_path / "missing.csv") is None


# --- errors ---------------------------------------------------------------------------------------


@pytest.fixture()
def earlier_run(train_records, tmp_path) -> Path:
    out = tmp_path / "out"
    src = write_jsonl(tmp_path / "good.jsonl", train_records[:20])
    parallel.run_extract(src, out, fmt="both", workers=1, extractor=fake_extractor)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_malformed_line_stops_names_the_line_and_keeps_earlier_outputs(
    train_records, tmp_path, earlier_run, capsys, workers
):
    before = files_digest(earlier_run)
    src = write_jsonl(tmp_path / "bad.jsonl", train_records[:200], bad_line=151)
    rc = cli.main(
        [
            "extract",
            str(src),
            "--out",
            str(earlier_run),
            "--format",
            "both",
            "--chunk-size",
            "20",
            "--workers",
            str(workers),
            "--no-progress",
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1
    assert "bad.jsonl line 151" in err[0] and "not valid JSON" in err[0]
    assert ".partial" in err[0] and "nothing in" in err[0] and "Traceback" not in err[0]
    assert files_digest(earlier_run) == before
    state = json.loads((earlier_run / ".partial" / "run.json").read_text())
    assert state["status"] == "failed" and "line 151" in state["error"]
    partial = pd.read_csv(earlier_run / ".partial" / "articles.csv", dtype=str)
    assert 0 < len(partial) <= 150  # what was done before the bad line, kept apart, marked failed


@pytest.mark.slow
def test_malformed_line_skipped_and_listed(train_records, tmp_path, capsys):
    src = write_jsonl(tmp_path / "bad.jsonl", train_records[:60], bad_line=31)
    rc = cli.main(
        [
            "extract",
            str(src),
            "--out",
            str(tmp_path / "out"),
            "--on-error",
            "skip",
            "--chunk-size",
            "16",
            "--workers",
            "2",
            "--no-progress",
        ]
    )
    err = capsys.readouterr().err
    assert rc == 0 and "line 31" in err
    run_json = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run_json["counts"]["articles"] == 60 and run_json["counts"]["skipped"] == 1
    (skip,) = run_json["skipped"]
    assert skip["where"] == "line 31" and "JSON" in skip["reason"]
    assert "broken" not in set(results.read_results(tmp_path / "out").articles["article_id"])


def test_a_malformed_last_line_is_listed_too(train_records, tmp_path):
    src = write_jsonl(tmp_path / "bad.jsonl", train_records[:32], bad_line=33)  # after the last article
    summary = parallel.run_extract(
        src, tmp_path / "out", workers=1, chunk_size=16, on_error="skip", extractor=fake_extractor
    )
    assert summary["counts"]["articles"] == 32 and summary["counts"]["chunks"] == 2
    assert [s["where"] for s in summary["skipped"]] == ["line 33"]


@pytest.mark.slow
def test_an_engine_failure_names_the_article_or_is_skipped(train_records, tmp_path):
    records = [dict(r, article_id=f"a{i}") for i, r in enumerate(train_records[:20])]
    src = write_jsonl(tmp_path / "c.jsonl", records)
    with pytest.raises(AnalysisError, match=r"article 'a7': extraction failed \(ValueError: engine bug\)"):
        parallel.run_extract(src, tmp_path / "stop", workers=1, extractor=failing_extractor)
    summary = parallel.run_extract(
        src, tmp_path / "skip", workers=2, chunk_size=5, on_error="skip", extractor=failing_extractor
    )
    assert [s["where"] for s in summary["skipped"]] == ["article a7", "article a17"]
    assert summary["counts"]["articles"] == 18


def test_an_unrelated_folder_is_never_replaced(train_records, tmp_path):
    (tmp_path / "out" / "articles").mkdir(parents=True)
    (tmp_path / "out" / "articles" / "notes.txt").write_text("mine")
    src = write_jsonl(tmp_path / "c.jsonl", train_records[:3])
    with pytest.raises(AnalysisError, match="is not the output of an earlier run"):
        parallel.run_extract(src, tmp_path / "out", fmt="parquet", workers=1)
    assert (tmp_path / "out" / "articles" / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_full_disk_when_the_run_finishes_leaves_the_earlier_run_whole(tmp_path, monkeypatch, fmt):
    """run.json is the last thing written: a disk that fills up then stops the run before any rename."""
    records = [{"article_id": f"a{i}", "text": f"Officials said on day {i} that it may rain."} for i in range(6)]
    src = write_jsonl(tmp_path / "c.jsonl", records)
    out = tmp_path / "out"
    parallel.run_extract(src, out, fmt=fmt, workers=1, extractor=fake_extractor)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runs, "_write_json", full)
    more = write_jsonl(tmp_path / "more.jsonl", [*records, {"article_id": "a6", "text": "Critics said so."}])
    with pytest.raises(runs.WriteError) as err:
        parallel.run_extract(more, out, fmt=fmt, workers=1, extractor=fake_extractor)
    assert str(err.value) == (
        f"analysis: cannot write {out}: the disk is full; free some space or choose another --out folder "
        f"on another disk (nothing in {out} was replaced)"
    )
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not (out / runs.PARTIAL).exists()


# --- tallies at scale ----------------------------------------------------------------------------


@pytest.fixture()
def small_batches(monkeypatch):
    # Many small batches, so the partial group-bys are folded several times.
    monkeypatch.setattr(results, "_BATCH_ROWS", 37)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_streamed_group_bys_equal_pandas(train_jsonl, tmp_path, fmt, small_batches):
    out = tmp_path / "out"
    parallel.run_extract(train_jsonl, out, fmt=fmt, workers=1, chunk_size=300, extractor=fake_extractor)
    frames = results.read_results(out)
    arts = frames.articles.assign(month=frames.articles["published"].dt.strftime("%Y-%m"))

    totals = results.group_totals(out, by=["outlet", "month"])
    want = arts.groupby(["outlet", "month"], dropna=False)[["n_words", "n_hedges"]].sum().reset_index()
    assert totals[["outlet", "month", "n_words", "n_hedges"]].astype(str).equals(want.astype(str))
    assert totals["n_articles"].sum() == 840

    rates = tally.per_outlet(out)
    by_outlet = arts.groupby("outlet")[["n_hedges", "n_words"]].sum()
    expect = (1000 * by_outlet["n_hedges"] / by_outlet["n_words"]).to_numpy()
    assert rates["hedges_per_1k_words"].to_numpy() == pytest.approx(expect)

    mix = tally.source_type_mix(out, by="outlet")
    got = mix.set_index(["group", "source_type"])["n"]
    att = frames.attributions.merge(arts[["article_id", "outlet"]], on="article_id")
    want = att.groupby(["outlet", "source_type"]).size()
    assert (got.reindex(want.index) == want).all() and got.sum() == len(att)

    rows = results.count_rows(out, "hedges", by=["outlet", "voice"]).set_index(["outlet", "voice"])["n"]
    hed = frames.hedges.merge(arts[["article_id", "outlet"]], on="article_id")
    assert rows.to_dict() == hed.groupby(["outlet", "voice"]).size().to_dict()


def test_reading_a_folder_without_outputs_says_what_to_run(tmp_path):
    with pytest.raises(AnalysisError, match="run 'analysis extract CORPUS --out"):
        results.read_results(tmp_path)


def test_a_missing_input_leaves_nothing_behind(tmp_path):
    with pytest.raises(AnalysisError, match="no such file or folder") as err:
        parallel.run_extract(tmp_path / "nope.jsonl", tmp_path / "out", workers=1)
    assert "partial" not in str(err.value) and not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_write_frames_of_an_in_memory_extract_reads_back_the_same(train_records, tmp_path, fmt):
    df = load_corpus_frame(train_records[:15]).drop(columns=["title"])
    frames = extract_frames(df)
    runs.write_frames(frames, tmp_path / "out", fmt=fmt)
    back = results.read_results(tmp_path / "out")
    assert_same(back, schema.Frames(*(schema.conform(getattr(frames, n), n) for n in schema.FRAME_NAMES)))
    assert back.articles["title"].isna().all() and not (tmp_path / "out" / ".partial").exists()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_to_dask_reads_a_run_for_cluster_group_bys(train_records, tmp_path, fmt):
    pytest.importorskip("dask.dataframe")
    src = write_jsonl(tmp_path / "c.jsonl", train_records[:40])
    parallel.run_extract(src, tmp_path / "out", fmt=fmt, workers=1, chunk_size=15, extractor=fake_extractor)
    arts = results.read_results(tmp_path / "out").articles
    got = results.to_dask(tmp_path / "out", "articles").groupby("outlet")["n_hedges"].sum()
    assert (
        got.compute(scheduler="synchronous").sort_index().to_dict()
        == arts.groupby("outlet")["n_hedges"].sum().to_dict()
    )
    att = results.to_dask(tmp_path / "out", "attributions")
    assert len(att.compute(scheduler="synchronous")) == len(results.read_results(tmp_path / "out").attributions)


@pytest.mark.slow
def test_an_existing_dask_scheduler_gives_the_same_rows(train_records, tmp_path):
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    src = write_jsonl(tmp_path / "c.jsonl", train_records[:60])
    want = run(src, tmp_path / "serial", workers=1, extractor=fake_extractor)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        got = run(src, tmp_path / "remote", dask=cluster.scheduler_address, chunk_size=16, extractor=fake_extractor)
    assert_same(got, want)


def late_first_extractor(article_id: str, text: str):
    """The first chunk's articles take longest, so a later chunk is done first."""
    if article_id in {"a0", "a1"}:
        import time

        time.sleep(0.4)
    return fake_extractor(article_id, text)


@pytest.mark.slow
def test_chunks_are_written_in_input_order_whichever_finishes_first(train_records, tmp_path):
    records = [dict(r, article_id=f"a{i}") for i, r in enumerate(train_records[:12])]
    src = write_jsonl(tmp_path / "c.jsonl", records)
    got = run(src, tmp_path / "out", workers=2, chunk_size=2, extractor=late_first_extractor)
    assert list(got.articles["article_id"]) == [r["article_id"] for r in records]
    firsts = got.attributions.drop_duplicates("article_id")["article_id"].tolist()
    assert firsts == [r["article_id"] for r in records if r["article_id"] in set(firsts)]


def test_without_dask_installed_one_line_says_how_to_install(monkeypatch, tmp_path, train_records):
    monkeypatch.setitem(sys.modules, "distributed", None)  # what an environment without it looks like
    src = write_jsonl(tmp_path / "c.jsonl", train_records[:2])
    with pytest.raises(AnalysisError, match=r"Dask is not installed; install it with pip install -e '\.\[dask\]'"):
        parallel.run_extract(src, tmp_path / "out", dask="local")
