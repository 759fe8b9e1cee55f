"""The report notebooks stay thin, clean and in step with their paired scripts, and report true numbers."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import nbformat
import pytest

import analysis
from analysis import palette, plots, quality, reports, tally

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
SYNC_HINT = "after editing a notebook or its script, run: jupytext --sync notebooks/*.ipynb"


def test_the_four_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} == {"outlet_report", "comparison", "article", "explore"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_clean(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "analysis"
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    for cell in code[: code.index(tagged[0])]:
        body = ast.parse(cell.source).body
        assert all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in body), "only imports come before the parameters"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, "no committed outputs"
        tree = ast.parse(cell.source)
        logic = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
        defs = [n for n in ast.walk(tree) if isinstance(n, logic)]
        assert not defs, f"logic belongs in the analysis package, not the notebook: {cell.source[:60]!r}"
        assert not re.search(r"^\s*(def|class) ", cell.source, re.M)
    params = ast.parse(tagged[0].source)
    names = {t.id for n in params.body if isinstance(n, ast.Assign) for t in n.targets}
    assert {"corpus", "title", "cache_dir", "results_dir"} <= names  # what the batch passes to every report
    papermill = pytest.importorskip("papermill")
    inferred = papermill.inspect_notebook(str(path))  # papermill must read every line of the cell
    assert set(inferred) == names and inferred["results_dir"]["default"] == '""'


def test_notebooks_are_paired_with_percent_scripts():
    jupytext_config = pytest.importorskip("jupytext.config")
    config = jupytext_config.load_jupytext_config(str(REPO / "notebooks"))
    assert config is not None and list(config.formats) == ["ipynb,py:percent"], "notebooks/jupytext.toml pairs them"
    assert {p.stem for p in (REPO / "notebooks").glob("*.py")} == {p.stem for p in NOTEBOOKS}, SYNC_HINT


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_and_its_script_agree(path):
    """The .ipynb (what users open, papermill runs) and the .py (what review and ruff read) hold the same cells."""
    jupytext = pytest.importorskip("jupytext")

    def cells(nb):
        return [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in nb.cells]

    notebook, script = jupytext.read(path), jupytext.read(path.with_suffix(".py"))
    assert cells(script) == cells(notebook), f"{path.name} and {path.stem}.py differ; {SYNC_HINT}"
    assert script.metadata["kernelspec"] == notebook.metadata["kernelspec"], SYNC_HINT


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["", "notebooks"])
def test_default_paths_do_not_depend_on_the_folder_papermill_runs_in(tmp_path, folder):
    """The article notebook with its default corpus, run from the repository root and from notebooks/."""
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "article.ipynb"
    papermill.execute_notebook(
        str(REPO / "notebooks" / "article.ipynb"),
        str(out),
        kernel_name=reports.kernel_name(),
        parameters={"cache_dir": str(tmp_path / "cache")},
        cwd=str(REPO / folder),
        progress_bar=False,
    )
    articles = analysis.load_corpus(REPO / "data" / "sample")
    assert reports.read_records(out)["headline"] == tally.headline(analysis.extract(articles))


@pytest.mark.slow
def test_article_notebook_reports_what_the_library_computes(tmp_path, seed_text):
    """Execute article.ipynb on the seed through papermill; its numbers equal direct calls."""
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "article.ipynb"
    corpus = REPO / "data" / "sample"
    title = "Seed <article> & its sources"
    papermill.execute_notebook(
        str(REPO / "notebooks" / "article.ipynb"),
        str(out),
        kernel_name=reports.kernel_name(),
        parameters={"corpus": str(corpus), "cache_dir": str(tmp_path / "cache"), "title": title},
        cwd=str(REPO),
        progress_bar=False,
    )
    recorded = reports.read_records(out)["headline"]
    articles = analysis.load_corpus(corpus)
    frames = analysis.extract(articles)
    direct = tally.headline(tally.select(frames, article_ids=[articles["article_id"].iat[0]]))
    assert recorded == direct
    assert recorded["n_words"] == len(re.findall(r"\w+", seed_text))
    html_out = "".join(
        o.get("data", {}).get("text/html", "") for c in nbformat.read(str(out), 4).cells for o in c.get("outputs", [])
    )
    assert "Seed &lt;article&gt; &amp; its sources" in html_out  # the title, escaped
    assert html_out.count('class="an-cue" title=') == len(frames.attributions)  # every cue highlighted
    page = reports.html_report(nbformat.read(str(out), 4), title)
    assert "Seed &lt;article&gt; &amp; its sources" in page and "from analysis import" not in page
    assert "Method and limits" in page and "<strong>Every number can be checked.</strong>" in page
    # display.method_note() reads as prose: the reader page shows it as one more Markdown cell
    prose = [c for c in nbformat.read(str(REPO / "notebooks" / "article.ipynb"), 4).cells if c.cell_type == "markdown"]
    assert page.count('class="jp-Cell jp-MarkdownCell') == len(prose) + 1


@pytest.mark.slow
def test_outlet_report_reads_a_results_folder(tmp_path, polnear_dir):
    """With ``results_dir`` the report's tallies come from an 'analysis extract' run (Parquet
    partitions), nothing is extracted in the notebook, and the numbers equal the in-memory ones."""
    papermill = pytest.importorskip("papermill")
    from results_fixtures import write_polnear_jsonl

    from analysis import parallel

    src = write_polnear_jsonl(polnear_dir, tmp_path / "corpus.jsonl", n=24, every=35)
    run = tmp_path / "run"
    parallel.run_extract(src, run, fmt="parquet", workers=1, chunk_size=10)
    frames = analysis.extract(analysis.load_corpus(src))
    outlet = frames.articles["outlet"].value_counts().index[0]
    out = tmp_path / "outlet_report.ipynb"
    papermill.execute_notebook(
        str(REPO / "notebooks" / "outlet_report.ipynb"),
        str(out),
        kernel_name=reports.kernel_name(),
        cwd=str(REPO),
        progress_bar=False,
        parameters={
            "corpus": str(src),
            "cache_dir": str(tmp_path / "cache"),
            "title": "Run",
            "outlet": outlet,
            "results_dir": str(run),
        },
    )
    recorded = reports.read_records(out)["headline"]
    assert recorded == tally.headline(tally.select(frames, outlet=outlet)) and recorded["n_articles"] >= 3
    assert not (tmp_path / "cache").exists(), "a results folder is read, not re-extracted"
    html_out = "".join(
        o.get("data", {}).get("text/html", "") for c in nbformat.read(str(out), 4).cells for o in c.get("outputs", [])
    )
    quoted = tally.attributions_of(tally.select(frames, outlet=outlet), source_type="vague")
    # evidence quoted from the corpus file
    assert len(quoted) and html_out.count('class="an-sentence"') >= min(8, len(quoted))


# ---------------------------------------------------------------------------------------------
# One visual language and honest numbers in the executed notebooks

DAMAGED_ROWS = [
    (
        "h1",
        "HuffPost",
        "2017-02-07",
        "Lost quotes",
        "https://www.huffingtonpost.com/h1",
        'WASHINGTON "?Hundreds of medical groups sent a letter on Tuesday. It may be the largest such '
        'appeal, according to officials familiar with the letter."?The review must be thorough,"?reads the letter.',
    ),
    (
        "h2",
        "HuffPost",
        "2017-03-01",
        "Critics",
        "https://www.huffingtonpost.com/h2",
        "Critics argued the plan might fail. A senior official said the White House would likely respond, "
        "but we don?t know when.",
    ),
]


def _chart_colours(nb) -> list[tuple[str, str, str, object]]:
    """(chart title, dimension, category, colour) of every chart in an executed notebook, widget outputs included."""
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    outputs += [o for w in state.values() for o in w.get("state", {}).get("outputs", [])]
    found = []
    for o in outputs:
        meta = o.get("metadata", {}).get("image/png", {})
        for dim, colours in meta.get(plots.COLOURS_KEY, {}).items():
            found += [(meta.get("alt", ""), dim, cat, c) for cat, c in colours.items()]
    return found


def _check_palette(found, where: str) -> None:
    assert found, f"{where}: no chart said which colours it drew"
    seen: dict[tuple[str, str], set] = {}
    for title, dim, cat, c in found:
        seen.setdefault((dim, cat), set()).add(str(c))
        assert c == palette.colour(dim, cat), f"{where}: {title!r} drew {dim} {cat!r} in {c}"
    assert all(len(v) == 1 for v in seen.values())


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """outlet_report, comparison and explore run by papermill on a small corpus (the real engines)."""
    papermill = pytest.importorskip("papermill")
    pytest.importorskip("ipywidgets")
    from report_fixtures import ARTICLES, corpus_frame

    tmp = tmp_path_factory.mktemp("notebooks")
    corpus = tmp / "corpus.csv"
    corpus_frame(ARTICLES + DAMAGED_ROWS).to_csv(corpus, index=False)
    runs = {
        "outlet_report": {"outlet": "HuffPost", "title": "HuffPost"},
        "comparison": {"resamples": 50, "title": "Compared"},
        "explore": {"outlet": "HuffPost", "title": "Explore"},
    }
    out = {}
    for name, params in runs.items():
        out[name] = tmp / f"{name}.ipynb"
        papermill.execute_notebook(
            str(REPO / "notebooks" / f"{name}.ipynb"),
            str(out[name]),
            kernel_name=reports.kernel_name(),
            parameters={"corpus": str(corpus), "cache_dir": str(tmp / "cache"), **params},
            cwd=str(REPO / "notebooks"),
            progress_bar=False,
        )
    return {k: nbformat.read(str(v), as_version=4) for k, v in out.items()}


@pytest.mark.slow
def test_every_chart_of_every_notebook_draws_a_category_in_its_palette_colour(executed):
    everything = []
    for name, nb in executed.items():
        found = _chart_colours(nb)
        _check_palette(found, name)
        everything += found
    dims = {dim for _, dim, _, _ in everything}
    assert dims == {"source_type", "cue_category", "hedge_category", "voice"}
    _check_palette(everything, "all notebooks together")
    # the explorer's widget output (drawn in the kernel, kept in the widget state) holds its charts
    assert {t for t, *_ in _chart_colours(executed["explore"])} >= {
        "Who is cited: source types",
        "What kind of hedges (by outlet and month only)",
    }


@pytest.mark.slow
def test_reports_state_accuracy_and_flaws_and_tables_work_offline(executed):
    figures = quality.load_accuracy()
    for name in ("outlet_report", "comparison"):
        page = reports.html_report(executed[name], name)
        assert re.search(r"<script[^>]*\bsrc=[\"']?https?:", page) is None, f"{name}: a script from the web"
        assert page.count('<div class="an-interactive">') >= 1 and "new ITable(" in page
        assert "Method and limits" in page and figures["attribution_recall"]["data"].split(":")[0] in page
        assert "2 of 2 HuffPost articles lost their quotation marks in the source data" in page
        assert "Read with care." in page
    outlet = reports.html_report(executed["outlet_report"], "o")
    comparison = reports.html_report(executed["comparison"], "c")
    assert "within the 95% intervals shown" in comparison and "95% intervals shown" not in outlet
    assert "<td>2 (few)</td>" in comparison  # the figures table flags outlets resting on few articles
    assert re.search(r"<td>\d+\.\d%</td>", comparison), "shares in the figures table are percentages"


@pytest.mark.slow
def test_demo_reports_use_one_palette(tmp_path):
    """Set ANALYSIS_REPORTS_DIR to a finished batch (e.g. the 11 CI reports): every chart, one palette."""
    folder = os.environ.get("ANALYSIS_REPORTS_DIR") or os.environ.get("ANALYSIS_CI_REPORTS")
    if not folder:
        pytest.skip("set ANALYSIS_REPORTS_DIR to a finished reports folder")
    notebooks = sorted(Path(folder, "executed").glob("*.ipynb"))
    assert notebooks
    everything = []
    for path in notebooks:
        found = _chart_colours(nbformat.read(str(path), as_version=4))
        _check_palette(found, path.name)
        everything += found
    _check_palette(everything, f"{len(notebooks)} reports together")
    for page in Path(folder, "html").glob("*.html"):
        assert re.search(r"<script[^>]*\bsrc=[\"']?https?:", page.read_text(encoding="utf-8")) is None, page.name


@pytest.mark.slow
@pytest.mark.parametrize(("outlet", "error"), [("Guardian", "matches no article"), (None, None)])
def test_outlet_report_refuses_an_outlet_the_corpus_lacks(tmp_path, seed_text, outlet, error):
    """A reporter typing an outlet in JupyterLab gets an error listing the outlets, not a 0-article report."""
    papermill = pytest.importorskip("papermill")
    corpus = tmp_path / "corpus.csv"
    import pandas as pd

    pd.DataFrame({"article_id": ["a1"], "text": [seed_text], "outlet": ["RTÉ"]}).to_csv(corpus, index=False)
    run = lambda o: papermill.execute_notebook(  # noqa: E731
        str(REPO / "notebooks" / "outlet_report.ipynb"),
        str(tmp_path / "out.ipynb"),
        kernel_name=reports.kernel_name(),
        cwd=str(REPO),
        progress_bar=False,
        parameters={"corpus": str(corpus), "cache_dir": str(tmp_path / "cache"), "outlet": o},
    )
    if error is None:
        run("rte")  # case and accents ignored
        assert "RTÉ" in (tmp_path / "out.ipynb").read_text(encoding="utf-8")
        return
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run(outlet)
    assert error in str(err.value) and "RTÉ" in str(err.value)
