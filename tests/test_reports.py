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


def _tiny_notebook(path: Path, body: str, params=("corpus", "cache_dir", "title", "outlet")) -> Path:
    cells = [new_code_cell("\n".join(f"{p} = None" for p in params), metadata={"tags": ["parameters"]})]
    nb = new_notebook(cells=[*cells[: 1 if params else 0], new_code_cell(body)])
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
    nb = _tiny_notebook(tmp_path / "nb.ipynb", "pass", params=("corpus", "cache_dir", "title", "outlet", "note", "n"))
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
    nb = _tiny_notebook(tmp_path / "nb.ipynb", "pass", params=("corpus", "cache_dir", "results_dir"))
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
    with pytest.raises(
        AnalysisError, match=r"report 1 \(from-run\): results_dir .*run not found at .*; run 'analysis extract"
    ):
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


# --- checked before anything runs (issue 13) -------------------------------------------------------


def _plan_error(cfg: Path, **kw) -> str:
    with pytest.raises(AnalysisError) as err:
        reports.plan(reports.load_config(cfg), **kw)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("analysis: ")
    return msg


def test_a_misspelt_parameter_names_the_report_the_parameter_and_the_known_names(tmp_path, corpus_csv):
    _tiny_notebook(tmp_path / "nb.ipynb", "pass", params=("corpus", "title", "outlet", "start", "examples"))
    cfg = _write(
        tmp_path / "r.yml",
        f"corpus: {corpus_csv}\nreports:\n  - {{notebook: nb.ipynb, name: bbc, parameters: {{outlett: BBC}}}}\n",
    )
    assert _plan_error(cfg) == (
        f"analysis: {cfg} report 1 (bbc): nb.ipynb has no parameter 'outlett'; did you mean 'outlet'? "
        "its parameters are outlet, start, examples"
    )
    # nothing like the name: no guess; a notebook without a parameters cell takes none
    _write(cfg, f"corpus: {corpus_csv}\nreports:\n  - {{notebook: nb.ipynb, parameters: {{colour: red}}}}\n")
    assert _plan_error(cfg).endswith("nb.ipynb has no parameter 'colour'; its parameters are outlet, start, examples")
    _tiny_notebook(tmp_path / "bare.ipynb", "pass", params=())
    _write(cfg, f"corpus: {corpus_csv}\nreports:\n  - {{notebook: bare.ipynb, parameters: {{outlet: BBC}}}}\n")
    assert _plan_error(cfg) == (
        f"analysis: {cfg} report 1 (bare): parameter 'outlet': bare.ipynb has no cell tagged 'parameters', "
        "so it takes none; tag its parameters cell or remove 'parameters' from the report"
    )


@pytest.mark.parametrize(
    "key,use",
    [("corpus", "the report's 'corpus:' key"), ("title", "the report's 'title:' key"), ("cache_dir", "'cache_dir:'")],
)
def test_the_batchs_own_parameters_cannot_be_set_silently(tmp_path, corpus_csv, key, use):
    _tiny_notebook(tmp_path / "nb.ipynb", "pass")
    cfg = _write(
        tmp_path / "r.yml", f"corpus: {corpus_csv}\nreports: [{{notebook: nb.ipynb, parameters: {{{key}: x}}}}]"
    )
    assert _plan_error(cfg).startswith(
        f"analysis: {cfg} report 1 (nb): parameter '{key}' is set by the batch; use {use}"
    )


def test_the_real_outlet_report_rejects_outlett_before_anything_runs(tmp_path, corpus_csv, monkeypatch):
    """The issue's case: the title said BBC, the report covered every outlet, the batch exited 0."""
    cfg = _write(
        tmp_path / "r.yml",
        f"""
corpus: {corpus_csv}
reports:
  - notebook: {REPO / "notebooks" / "outlet_report.ipynb"}
    name: bbc
    title: "Sources and hedging: BBC"
    parameters: {{outlett: "BBC"}}
""",
    )
    monkeypatch.setattr(cache, "extract_cached", lambda *a, **k: pytest.fail("extracted before the check"))
    with pytest.raises(AnalysisError) as err:
        reports.run_batch(cfg, out=tmp_path / "out", pdf=False, progress=False)
    assert str(err.value).startswith(
        f"analysis: {cfg} report 1 (bbc): outlet_report.ipynb has no parameter 'outlett'; did you mean 'outlet'? "
        "its parameters are "
    )
    known = str(err.value).rsplit("its parameters are ", 1)[1].split(", ")
    assert "outlet" in known and "corpus" not in known and "title" not in known  # the batch's own are not offered
    assert not (tmp_path / "out").exists()


def _rte_corpus(tmp_path) -> Path:
    rows = [list(r) for r in corpus_frame().itertuples(index=False)]
    rows[3][1] = "RTÉ"
    path = tmp_path / "rte.csv"
    corpus_frame(rows).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("typed,own", [("RTE", "RTÉ"), ("rte", "RTÉ"), ("bbc", "BBC"), ("  BBC ", "BBC")])
def test_outlet_names_match_ignoring_case_and_accents_and_show_the_corpus_spelling(tmp_path, typed, own):
    corpus = _rte_corpus(tmp_path)
    _tiny_notebook(tmp_path / "nb.ipynb", "pass")
    cfg = _write(
        tmp_path / "r.yml",
        f"corpus: {corpus.name}\nreports: [{{notebook: nb.ipynb, parameters: {{outlet: '{typed}'}}}}]",
    )
    (job,) = reports.plan(reports.load_config(cfg))
    assert job.parameters["outlet"] == own and job.shown["outlet"] == own
    # the notebook selects through tally.select, with the same matching
    frames = analysis.extract(analysis.load_corpus(corpus))
    chosen = tally.select(frames, outlet=typed).articles
    assert set(chosen["outlet"]) == {own} and len(chosen) == (1 if own == "RTÉ" else 2)
    assert tally.outlet_name(frames, typed) == own


def test_an_outlet_not_in_the_corpus_lists_the_outlets_there_are(tmp_path):
    corpus = _rte_corpus(tmp_path)
    _tiny_notebook(tmp_path / "nb.ipynb", "pass")
    cfg = _write(
        tmp_path / "r.yml",
        f"corpus: {corpus}\nreports: [{{notebook: nb.ipynb, name: guardian, parameters: {{outlet: Guardian}}}}]",
    )
    assert _plan_error(cfg) == (
        f"analysis: {cfg} report 1 (guardian): {corpus}: outlet 'Guardian' matches no article; "
        "the outlets are BBC, CNN, RTÉ (case and accents are ignored)"
    )
    # the same check, in a notebook or a script that asks for it
    frames = analysis.extract(analysis.load_corpus(corpus))
    with pytest.raises(AnalysisError, match=r"^analysis: outlet 'Guardian' matches no article; the outlets are BBC"):
        tally.select(frames, outlet="Guardian", must_match=True)
    assert tally.select(frames, outlet="Guardian").articles.empty  # the default: an empty selection


def test_a_period_without_articles_says_when_the_articles_were_published(tmp_path, corpus_csv):
    _tiny_notebook(tmp_path / "nb.ipynb", "pass", params=("corpus", "outlet", "start", "end"))
    cfg = _write(
        tmp_path / "r.yml",
        f"corpus: {corpus_csv}\nreports: [{{notebook: nb.ipynb, name: late, parameters: {{start: 2018-01-01}}}}]",
    )
    assert _plan_error(cfg) == (
        f"analysis: {cfg} report 1 (late): {corpus_csv}: no article was published 2018-01-01 to the latest; "
        "the articles were published 2017-01-05 to 2017-03-02"
    )
    _write(
        cfg,
        f"corpus: {corpus_csv}\nreports: [{{notebook: nb.ipynb, name: bbc-march, "
        f"parameters: {{outlet: bbc, start: 2017-03-01, end: 2017-03}}}}]",
    )
    assert _plan_error(cfg) == (
        f"analysis: {cfg} report 1 (bbc-march): {corpus_csv}: no article of outlet 'BBC' was published "
        "2017-03-01 to 2017-03; its articles were published 2017-01-05 to 2017-02-10"
    )
    _write(cfg, f"corpus: {corpus_csv}\nreports: [{{notebook: nb.ipynb, name: x, parameters: {{end: 2017-13}}}}]")
    assert _plan_error(cfg) == (
        f"analysis: {cfg} report 1 (x): parameter 'end' '2017-13' is not a date; write it as YYYY-MM-DD (or YYYY-MM)"
    )
    # a YAML date is passed on as the ISO string the notebook expects
    _write(cfg, f"corpus: {corpus_csv}\nreports: [{{notebook: nb.ipynb, parameters: {{start: 2017-01-01}}}}]")
    (job,) = reports.plan(reports.load_config(cfg))
    assert job.parameters["start"] == "2017-01-01"


def test_an_article_id_not_in_the_corpus(tmp_path, corpus_csv):
    _tiny_notebook(tmp_path / "nb.ipynb", "pass", params=("corpus", "article_id"))
    cfg = _write(
        tmp_path / "r.yml", f"corpus: {corpus_csv}\nreports: [{{notebook: nb.ipynb, parameters: {{article_id: a9}}}}]"
    )
    assert _plan_error(cfg) == (
        f"analysis: {cfg} report 1 (nb): article_id 'a9' is not in {corpus_csv} (4 articles, e.g. a1, a2, a3); "
        "check the id or the report's 'corpus:'"
    )


def test_for_each_on_a_missing_column_is_an_error_not_zero_reports(tmp_path, corpus_csv):
    _tiny_notebook(tmp_path / "nb.ipynb", "pass", params=("corpus", "section"))
    cfg = _write(
        tmp_path / "r.yml",
        f"corpus: {corpus_csv}\nreports:\n"
        "  - {notebook: nb.ipynb, for_each: section, parameters: {section: '{section}'}}",
    )
    assert _plan_error(cfg) == (
        f"analysis: {cfg} report 1 (nb): for_each: section, but corpus {corpus_csv} has no column 'section'; "
        "its columns are article_id, text, outlet, published, title, url"
    )


def test_a_batch_with_nothing_to_run_never_succeeds(tmp_path):
    """Only the announced fallback (no demo corpus yet: the bundled sample) may skip a for_each report;
    when that leaves nothing, the batch stops instead of reporting '0 of 0 reports done'."""
    project = tmp_path / "project"
    (project / "src" / "analysis").mkdir(parents=True)
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    (project / "data" / "sample").mkdir(parents=True)
    shutil.copy(REPO / "data" / "sample" / "kursk-monument-article.txt", project / "data" / "sample")
    (project / "reports").mkdir()
    _tiny_notebook(project / "reports" / "nb.ipynb", "pass")
    cfg = _write(
        project / "reports" / "r.yml", "- {notebook: nb.ipynb, for_each: outlet, parameters: {outlet: '{outlet}'}}\n"
    )
    said: list[str] = []
    assert _plan_error(cfg, say=said.append) == (
        f"analysis: {cfg}: no report to run: its only report was skipped (see above); "
        "give a corpus with the columns they need"
    )
    assert (
        said[-1]
        == f"analysis: {cfg} report 1 skipped: the sample corpus {project / 'data' / 'sample'} has no 'outlet' column"
    )
    assert reports.BatchResult(outcomes=[], index=tmp_path / "index.html", seconds=0).exit_code == 1


def test_paths_in_a_config_are_relative_to_its_folder_not_the_shell(tmp_path, corpus_csv, monkeypatch):
    folder = tmp_path / "desk" / "configs"
    folder.mkdir(parents=True)
    _tiny_notebook(tmp_path / "desk" / "nb.ipynb", "pass", params=("corpus", "cache_dir", "results_dir"))
    (tmp_path / "desk" / "run").mkdir()
    shutil.copy(corpus_csv, tmp_path / "desk" / "corpus.csv")
    cfg = _write(
        folder / "r.yml",
        "corpus: ../corpus.csv\ncache_dir: ../cache\nreports:\n"
        "  - {notebook: ../nb.ipynb, name: a}\n"
        "  - {notebook: ../nb.ipynb, name: b, parameters: {results_dir: ../run}}\n",
    )
    for cwd in (tmp_path, folder, REPO):
        monkeypatch.chdir(cwd)
        a, b = reports.plan(reports.load_config(cfg))
        assert a.notebook == str(tmp_path / "desk" / "nb.ipynb")
        assert a.parameters["corpus"] == str(tmp_path / "desk" / "corpus.csv")
        assert a.parameters["cache_dir"] == str(tmp_path / "desk" / "cache")
        assert b.parameters["results_dir"] == str(tmp_path / "desk" / "run")
    monkeypatch.chdir(tmp_path)
    _write(cfg, "reports: [{notebook: nb.ipynb}]\n")
    assert _plan_error(cfg, corpus=str(corpus_csv)) == (
        f"analysis: {cfg} report 1: notebook nb.ipynb not found at {folder / 'nb.ipynb'}; "
        f"paths in a config are relative to its folder ({folder})"
    )


@pytest.mark.parametrize("name", ["reports.yml", "ci.yml"])
def test_the_shipped_configs_plan_the_same_from_any_folder(tmp_path, monkeypatch, name):
    if name == "ci.yml" and not (REPO / "data" / "external" / "news_articles.csv").exists():
        pytest.skip("ci.yml needs the demo corpus: analysis data demo")
    monkeypatch.chdir(tmp_path)
    jobs = reports.plan(reports.load_config(REPO / "reports" / name), out=tmp_path / "out", say=lambda _: None)
    notebooks = {Path(j.notebook).name for j in jobs}
    assert {"comparison.ipynb", "article.ipynb"} <= notebooks <= {"outlet_report.ipynb", *notebooks}
    for j in jobs:
        assert Path(j.notebook).parent == REPO / "notebooks" and Path(j.parameters["corpus"]).exists()
        assert Path(j.parameters["cache_dir"]) == REPO / "data" / "cache"
    article = next(j for j in jobs if j.name == "article-kursk-monument")
    assert article.parameters["corpus"] == str(REPO / "data" / "sample")


def test_the_index_names_corpus_time_version_and_parameters(tmp_path):
    from datetime import datetime, timezone

    corpus = str(tmp_path / "data" / "news-11-per-outlet.csv")
    ok = reports.Outcome(
        name="outlet-rte",
        title="Sources: RTÉ",
        html=str(tmp_path / "html/outlet-rte.html"),
        corpus=corpus,
        parameters={"outlet": "RTÉ", "examples": 4, "start": None},
    )
    page = reports.index_html(
        [ok],
        tmp_path,
        corpora={corpus: "99 articles; up to 11 per outlet of news.csv, seed 2017"},
        generated=datetime(2026, 12, 3, 17, 5, tzinfo=timezone.utc),
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "1 of 1 report finished. Generated 2026-12-03 17:05 UTC by analysis " + analysis.__version__ in text
    assert "Corpus: data/news-11-per-outlet.csv (99 articles; up to 11 per outlet of news.csv, seed 2017)." in text
    assert "Sources: RTÉ outlet = RTÉ ; examples = 4 ; start = none data/news-11-per-outlet.csv" in text


def test_an_output_or_cache_folder_that_is_a_file_is_one_line(tmp_path, corpus_csv):
    afile = _write(tmp_path / "afile.txt", "x")
    _tiny_notebook(tmp_path / "nb.ipynb", "pass")
    cfg = _write(tmp_path / "r.yml", f"corpus: {corpus_csv}\nreports: [{{notebook: nb.ipynb}}]")
    with pytest.raises(AnalysisError) as err:
        reports.run_batch(cfg, out=afile, pdf=False, progress=False)
    assert str(err.value) == f"analysis: cannot write {afile}: it is a file, not a folder; choose another --out folder"
    with pytest.raises(AnalysisError) as err:
        cache.extract_cached(corpus_frame(), afile / "cache")
    assert str(err.value) == (
        f"analysis: cannot write {afile / 'cache'}: {afile} is a file, not a folder; "
        "set cache_dir (in a notebook's parameters or a report config) to a folder you can write"
    )
    assert afile.read_text() == "x"


def test_a_selection_is_checked_against_the_results_folder_a_report_reads(tmp_path, corpus_csv):
    from analysis import runs

    run = tmp_path / "run"
    runs.write_frames(analysis.extract(analysis.load_corpus(corpus_csv)), run, fmt="parquet")
    _tiny_notebook(tmp_path / "nb.ipynb", "pass", params=("corpus", "outlet", "results_dir"))
    cfg = _write(
        tmp_path / "r.yml",
        f"corpus: {corpus_csv}\nreports:\n"
        "  - {notebook: nb.ipynb, name: cnn, parameters: {outlet: cnn, results_dir: run}}\n"
        "  - {notebook: nb.ipynb, name: dw, parameters: {outlet: DW, results_dir: run}}\n",
    )
    assert _plan_error(cfg) == (
        f"analysis: {cfg} report 2 (dw): {run}: outlet 'DW' matches no article; "
        "the outlets are BBC, CNN (case and accents are ignored)"
    )
    _write(cfg, cfg.read_text(encoding="utf-8").rsplit("  - {notebook: nb.ipynb, name: dw", 1)[0])
    (job,) = reports.plan(reports.load_config(cfg))
    assert job.parameters["outlet"] == "CNN" and job.parameters["results_dir"] == str(run)
