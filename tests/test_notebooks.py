"""The report notebooks stay thin, clean and in sync with their generator, and report true numbers."""
from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

import analysis
from analysis import reports, tally

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


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
    assert code.index(tagged[0]) == 0, "the parameters cell comes before any other code"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, "no committed outputs"
        tree = ast.parse(cell.source)
        defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
        assert not defs, f"logic belongs in the analysis package, not the notebook: {cell.source[:60]!r}"
        assert not re.search(r"^\s*(def|class) ", cell.source, re.M)
    params = ast.parse(tagged[0].source)
    names = {t.id for n in params.body if isinstance(n, ast.Assign) for t in n.targets}
    assert {"corpus", "title", "cache_dir", "results_dir"} <= names  # what the batch passes to every report
    papermill = pytest.importorskip("papermill")
    inferred = papermill.inspect_notebook(str(path))  # papermill must read every line of the cell
    assert set(inferred) == names and inferred["results_dir"]["default"] == '""'


def test_notebooks_match_their_generator(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("build_notebooks", REPO / "notebooks" / "build_notebooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "HERE", tmp_path)
    mod.main()
    for path in NOTEBOOKS:
        assert (tmp_path / path.name).read_text() == path.read_text(), f"re-run notebooks/build_notebooks.py ({path.name})"


def test_article_notebook_reports_what_the_library_computes(tmp_path, seed_text):
    """Execute article.ipynb on the seed through papermill; its numbers equal direct calls."""
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "article.ipynb"
    corpus = REPO / "data" / "sample"
    title = "Seed <article> & its sources"
    papermill.execute_notebook(str(REPO / "notebooks" / "article.ipynb"), str(out), kernel_name=reports.kernel_name(),
                               parameters={"corpus": str(corpus), "cache_dir": str(tmp_path / "cache"), "title": title},
                               cwd=str(REPO), progress_bar=False)
    recorded = reports.read_records(out)["headline"]
    articles = analysis.load_corpus(corpus)
    frames = analysis.extract(articles)
    direct = tally.headline(tally.select(frames, article_ids=[articles["article_id"].iat[0]]))
    assert recorded == direct
    assert recorded["n_words"] == len(re.findall(r"\w+", seed_text))
    html_out = "".join(o.get("data", {}).get("text/html", "") for c in nbformat.read(str(out), 4).cells
                       for o in c.get("outputs", []))
    assert "Seed &lt;article&gt; &amp; its sources" in html_out  # the title, escaped
    assert html_out.count('class="an-cue" title=') == len(frames.attributions)  # every cue highlighted
    page = reports.html_report(nbformat.read(str(out), 4), title)
    assert "Seed &lt;article&gt; &amp; its sources" in page and "import analysis" not in page


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
    papermill.execute_notebook(str(REPO / "notebooks" / "outlet_report.ipynb"), str(out),
                               kernel_name=reports.kernel_name(), cwd=str(REPO), progress_bar=False,
                               parameters={"corpus": str(src), "cache_dir": str(tmp_path / "cache"), "title": "Run",
                                           "outlet": outlet, "results_dir": str(run)})
    recorded = reports.read_records(out)["headline"]
    assert recorded == tally.headline(tally.select(frames, outlet=outlet)) and recorded["n_articles"] >= 3
    assert not (tmp_path / "cache").exists(), "a results folder is read, not re-extracted"
    html_out = "".join(o.get("data", {}).get("text/html", "") for c in nbformat.read(str(out), 4).cells
                       for o in c.get("outputs", []))
    quoted = tally.attributions_of(tally.select(frames, outlet=outlet), source_type="vague")
    assert len(quoted) and html_out.count('class="an-sentence"') >= min(8, len(quoted))  # evidence quoted from the corpus file
