"""The report batch: config expansion, the extraction cache, and a batch where one report fails."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from report_fixtures import corpus_frame

import analysis
from analysis import cache, reports, tally
from analysis.errors import AnalysisError

REPO = Path(__file__).resolve().parents[1]


def _tiny_notebook(path: Path, body: str) -> Path:
    nb = new_notebook(
        cells=[
            new_code_cell(
                'corpus = None\ncache_dir = None\ntitle = ""\noutlet = None', metadata={"tags": ["parameters"]}
            ),
            new_code_cell(body),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "analysis", "display_name": "Python (analysis)", "language": "python"}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def corpus_csv(tmp_path) -> Path:
    path = tmp_path / "corpus.csv"
    corpus_frame().to_csv(path, index=False)
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- config → jobs ------------------------------------------------------------------------------


def test_for_each_outlet_makes_one_report_per_outlet(tmp_path, corpus_csv):
    nb = _tiny_notebook(tmp_path / "nb.ipynb", "pass")
    cfg = _write(
        tmp_path / "r.yml",
        f"""
corpus: {corpus_csv}
reports:
  - notebook: {nb}
    for_each: outlet
    name: "outlet-{{outlet}}"
    title: "Sources: {{outlet}}"
    parameters: {{outlet: "{{outlet}}", note: "about {{outlet}}", n: 3}}
  - notebook: {nb}
    name: all
    corpus: {REPO / "data" / "sample"}
""",
    )
    jobs = reports.plan(reports.load_config(cfg), out=tmp_path)
    assert [j.name for j in jobs] == ["outlet-bbc", "outlet-cnn", "all"]
    assert jobs[0].title == "Sources: BBC" and jobs[0].parameters["title"] == "Sources: BBC"
    assert jobs[1].parameters["outlet"] == "CNN" and jobs[1].parameters["note"] == "about CNN"
    assert jobs[1].parameters["n"] == 3
    assert jobs[0].parameters["corpus"] == str(corpus_csv.resolve())
    assert jobs[2].parameters["corpus"] == str((REPO / "data" / "sample").resolve())
    assert Path(jobs[0].parameters["cache_dir"]).is_absolute()
    # --corpus replaces the batch corpus, not one a report names itself
    other = tmp_path / "other.csv"
    corpus_frame()[corpus_frame()["outlet"] == "CNN"].to_csv(other, index=False)
    jobs = reports.plan(reports.load_config(cfg), corpus=str(other), out=tmp_path)
    assert [j.name for j in jobs] == ["outlet-cnn", "all"]
    assert jobs[1].parameters["corpus"] == str((REPO / "data" / "sample").resolve())


def test_subset_is_stratified_by_outlet(tmp_path):
    rows = [(f"id{i}", ["A", "B", "C"][i % 3], "2017-01-01", f"t{i}", "", f"Text number {i}.") for i in range(30)]
    src = tmp_path / "big.csv"
    corpus_frame(rows).to_csv(src, index=False)
    nb = _tiny_notebook(tmp_path / "nb.ipynb", "pass")
    cfg = _write(
        tmp_path / "r.yml", f"corpus: {src}\nsubset: {{per_outlet: 4, seed: 1}}\nreports:\n  - notebook: {nb}\n"
    )
    (job,) = reports.plan(reports.load_config(cfg), out=tmp_path / "out")
    sample = analysis.load_corpus(job.parameters["corpus"])
    assert sample["outlet"].value_counts().to_dict() == {"A": 4, "B": 4, "C": 4}
    (again,) = reports.plan(reports.load_config(cfg), out=tmp_path / "out2")
    assert analysis.load_corpus(again.parameters["corpus"])["article_id"].tolist() == sample["article_id"].tolist()


@pytest.mark.parametrize(
    "text,message",
    [
        ("reports: []", "expected a list of reports"),
        ("- title: x", "report 1: no 'notebook'"),
        ("- notebook: nowhere.ipynb", "notebook nowhere.ipynb not found"),
        ("- {notebook: NB, colour: red}", "unknown key(s) colour"),
        ("- notebook: NB\n  corpus: missing.csv", "corpus missing.csv not found"),
        ("- notebook: NB\n- notebook: NB", "two reports are named 'nb'"),
        ("reports: [notebook: x\n  - y", "not valid YAML"),
    ],
)
def test_config_errors_are_one_line(tmp_path, corpus_csv, text, message):
    nb = _tiny_notebook(tmp_path / "nb.ipynb", "pass")
    cfg = _write(tmp_path / "r.yml", text.replace("NB", str(nb)))
    with pytest.raises(AnalysisError) as err:
        reports.plan(reports.load_config(cfg), corpus=str(corpus_csv), out=tmp_path)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_report_given_a_results_folder_is_not_extracted_again(tmp_path, corpus_csv, monkeypatch):
    nb = _tiny_notebook(tmp_path / "nb.ipynb", "pass")
    run = tmp_path / "run"
    run.mkdir()
    cfg = _write(
        tmp_path / "r.yml",
        f"""
corpus: {corpus_csv}
reports:
  - {{notebook: {nb}, name: from-run, parameters: {{results_dir: {run}}}}}
  - {{notebook: {nb}, name: extracted}}
""",
    )
    monkeypatch.chdir(tmp_path)
    jobs = reports.plan(reports.load_config(cfg), out=tmp_path)
    assert jobs[0].parameters["results_dir"] == str(run.resolve()) and "results_dir" not in jobs[1].parameters
    extracted = []
    monkeypatch.setattr(
        cache, "extract_cached", lambda articles, cache_dir, progress=False: extracted.append(len(articles))
    )
    reports.warm_cache(jobs[:1], progress=False)
    assert extracted == []  # the run is read by the notebook; the corpus is not extracted
    reports.warm_cache(jobs, progress=False)
    assert extracted == [4]
    shutil.rmtree(run)
    with pytest.raises(AnalysisError, match=r"report 1: results_dir .*run not found; run 'analysis extract"):
        reports.plan(reports.load_config(cfg), out=tmp_path)


def test_load_inputs_one_shape_from_either_source(tmp_path, monkeypatch):
    """Extracted here or read from a run folder, a notebook gets the same Inputs; relative paths are
    the project folder's, so notebooks/ (where JupyterLab starts a kernel) finds data/sample."""
    from analysis import results, runs

    monkeypatch.chdir(REPO / "notebooks")
    here = reports.load_inputs("data/sample", cache_dir=tmp_path / "cache")
    assert here.corpus == REPO / "data" / "sample"
    assert isinstance(here.data, analysis.Frames) and here.texts is here.articles
    assert list(here.articles["article_id"]) == list(here.data.articles["article_id"])
    runs.write_frames(here.data, tmp_path / "run")
    read = reports.load_inputs("data/sample", results_dir=tmp_path / "run", cache_dir=tmp_path / "unused")
    assert isinstance(read.data, results.Selection) and read.articles is None and read.texts == read.corpus
    assert tally.headline(read.data) == tally.headline(here.data)
    assert not (tmp_path / "unused").exists(), "a results folder is read, not re-extracted"


def test_missing_config(tmp_path):
    with pytest.raises(AnalysisError, match="report config .* not found"):
        reports.load_config(tmp_path / "nope.yml")


def test_slug():
    assert reports.slug("RTÉ") == "rte" and reports.slug("Al Jazeera") == "al-jazeera"
    assert reports.slug("!!") == "report"


# --- the cache ------------------------------------------------------------------------------------


def test_extract_cached_reuses_and_invalidates(tmp_path, monkeypatch):
    calls = []
    real = cache.extract
    monkeypatch.setattr(cache, "extract", lambda df, progress=False: calls.append(len(df)) or real(df))
    corpus = corpus_frame()
    first = cache.extract_cached(corpus, tmp_path)
    second = cache.extract_cached(corpus, tmp_path)
    assert calls == [4]
    for name in cache.FRAME_NAMES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
    direct = analysis.extract(corpus)
    assert len(first.attributions) == len(direct.attributions)
    assert first.attributions["cue_start"].dtype == "Int64"
    # a different corpus, a lexicon edit or a code change each make a new entry
    cache.extract_cached(corpus.iloc[:2], tmp_path)
    assert calls == [4, 2]
    monkeypatch.setattr(cache.lexicon, "lexicon_fingerprint", lambda: "edited")
    cache.extract_cached(corpus, tmp_path)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "changed")
    cache.extract_cached(corpus, tmp_path)
    assert calls == [4, 2, 4, 4]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary folders left behind"


def test_old_cache_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP_ENTRIES", 2)
    corpus = corpus_frame()
    for n in (1, 2, 3):
        cache.extract_cached(corpus.iloc[:n], tmp_path)
    kept = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert kept == sorted([cache.cache_key(corpus.iloc[:2]), cache.cache_key(corpus.iloc[:3])])
    assert len(list(tmp_path.glob("*.lock"))) == 2


def test_cache_key_depends_on_text():
    a = corpus_frame()
    b = a.copy()
    b.loc[0, "text"] += " One more sentence."
    assert cache.cache_key(a) != cache.cache_key(b)
    assert cache.cache_key(a) == cache.cache_key(a.copy())


# --- records, index ------------------------------------------------------------------------------


def test_index_links_reports_and_lists_failures(tmp_path):
    outcomes = [
        reports.Outcome(
            name="a",
            title="A & B",
            html=str(tmp_path / "html/a.html"),
            pdf=str(tmp_path / "pdf/a.pdf"),
            executed=str(tmp_path / "executed/a.ipynb"),
        ),
        reports.Outcome(
            name="b",
            title="Broken",
            error="ValueError: boom",
            cell="cell 2 (execution count 2): raise ValueError('boom')",
        ),
    ]
    page = reports.index_html(outcomes, tmp_path)
    assert 'href="html/a.html">A &amp; B</a>' in page and 'href="pdf/a.pdf"' in page
    assert "Failed (1)" in page and "cell 2 (execution count 2)" in page and "ValueError: boom" in page
    assert "1 of 2 reports finished" in page


# --- a real batch: one good report per outlet, one broken notebook ---------------------------------


@pytest.mark.slow
def test_batch_with_a_failing_report(tmp_path, corpus_csv, capsys):
    broken = _tiny_notebook(tmp_path / "broken.ipynb", 'x = 1\nraise ValueError("deliberately broken <b>")')
    cfg = _write(
        tmp_path / "r.yml",
        f"""
corpus: {corpus_csv}
cache_dir: {tmp_path / "cache"}
reports:
  - notebook: {REPO / "notebooks" / "outlet_report.ipynb"}
    for_each: outlet
    name: "outlet-{{outlet}}"
    title: "Sources and hedging: {{outlet}}"
    parameters: {{outlet: "{{outlet}}", examples: 2}}
  - notebook: {broken}
    name: broken
    title: Broken report
""",
    )
    out = tmp_path / "out"
    pdf = reports.pdf_engine() is not None
    result = reports.run_batch(cfg, jobs=2, out=out, pdf=pdf, progress=False)
    assert result.exit_code == 1
    (failed,) = result.failures
    assert failed.name == "broken" and failed.cell == "cell 3 (execution count 3): x = 1"
    assert failed.error == "ValueError: deliberately broken <b>"
    assert (out / "executed" / "broken.ipynb").exists() and not (out / "html" / "broken.html").exists()
    good = [o for o in result.outcomes if o.ok]
    assert [o.name for o in good] == ["outlet-bbc", "outlet-cnn"]
    for o in good:
        page = Path(o.html).read_text(encoding="utf-8")
        assert o.title in page
        assert 'class="highlight hl-' not in page and "import analysis" not in page  # code hidden
        assert re.search(r'<img [^>]*src="data:image/png;base64,', page)  # charts embedded
        assert 'alt="Who is cited: source types"' in page
        assert "<script src=" not in page  # nothing fetched from the web
        records = reports.read_records(o.executed)
        outlet = o.title.rsplit(": ", 1)[1]
        direct = tally.headline(tally.select(analysis.extract(analysis.load_corpus(corpus_csv)), outlet=outlet))
        assert records["headline"] == direct
        if pdf:
            text = (
                subprocess.run(["pdftotext", o.pdf, "-"], capture_output=True, text=True).stdout
                if shutil.which("pdftotext")
                else Path(o.pdf).read_bytes()[:4].decode()
            )
            assert o.title in text or text == "%PDF"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="html/outlet-bbc.html"' in index and "Broken report" in index
    assert "deliberately broken &lt;b&gt;" in index
    assert json.loads((out / "batch.json").read_text())[2]["error"].startswith("ValueError")
    assert not [p for p in out.rglob(".*") if p.is_file()], "no temporary files left behind"


def test_cli_report_exit_code_and_failure_line(tmp_path, corpus_csv, monkeypatch, capsys):
    from analysis import cli

    failed = reports.Outcome(name="b", title="B", error="KeyError: 'x'", cell="cell 3 (execution count 3): y")
    fake = reports.BatchResult(outcomes=[failed], index=tmp_path / "index.html", seconds=1.0)
    monkeypatch.setattr(reports, "run_batch", lambda *a, **k: fake)
    assert cli.main(["report", "--config", "x.yml", "--no-pdf"]) == 1
    err = capsys.readouterr().err
    assert "report 'b' failed at cell 3 (execution count 3): y: KeyError: 'x'" in err
    monkeypatch.undo()
    assert cli.main(["report", "--config", str(tmp_path / "missing.yml")]) == 2
    assert "missing.yml not found" in capsys.readouterr().err
