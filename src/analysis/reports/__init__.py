"""The report batch: YAML → checked plan → one papermill process per notebook → HTML/PDF → index.html.

A config lists reports (notebook, title, parameters, output name); :mod:`.config` checks the
whole config against the notebooks' parameters and the corpus before anything runs, and expands
``for_each: outlet`` into one report per outlet. The corpus is extracted once, in this process,
before any notebook starts (through :mod:`analysis.cache`), so the parallel report processes only
ever read a finished cache entry; :mod:`.render` runs each report and writes the reader's HTML and
PDF and the index. A report that fails does not stop the others: the batch finishes, the index
lists the failure with the cell that raised, and the exit status is 1.

Notebooks start with :func:`load_inputs` (the corpus and its extraction results, one type
whether the results are extracted here or read from an ``analysis extract`` folder) and call
:func:`record` to leave their headline numbers in the executed notebook, where
:func:`read_records` (and the tests) read them back.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from analysis import cache, paths, results, runs
from analysis.corpus import load_corpus
from analysis.errors import AnalysisError
from analysis.reports.config import (
    BATCH_PARAMETERS,
    corpus_frame,
    default_corpus,
    load_config,
    notebook_parameters,
    plan,
    slug,
    warm_cache,
)
from analysis.reports.render import (
    KERNEL,
    OUT_FIX,
    RECORD_KEY,
    RECORD_MIME,
    TEMPLATES,
    Job,
    Outcome,
    html_report,
    index_html,
    kernel_name,
    pdf_engine,
    pdf_report,
    run_job,
    write_atomic,
)
from analysis.schema import Frames

__all__ = [
    "BATCH_PARAMETERS",
    "KERNEL",
    "TEMPLATES",
    "BatchResult",
    "Inputs",
    "Job",
    "Outcome",
    "cli_report",
    "corpus_frame",
    "default_corpus",
    "html_report",
    "index_html",
    "kernel_name",
    "load_config",
    "load_inputs",
    "notebook_parameters",
    "pdf_engine",
    "pdf_report",
    "plan",
    "read_records",
    "record",
    "run_batch",
    "run_job",
    "slug",
    "warm_cache",
]

DEFAULT_CACHE = paths.CACHE
PDF_HINT = (
    "analysis: PDF reports skipped: no Chromium found; 'apt-get install chromium' enables them "
    "(HTML reports are complete)"
)


@dataclass
class BatchResult:
    """The outcome of every report, the index page, and the wall time of the batch."""

    outcomes: list[Outcome]
    index: Path
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def exit_code(self) -> int:
        # a batch that made no report did not succeed, whatever the reason
        return 1 if self.failures or not self.outcomes else 0


# --- what a notebook reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What a report notebook reads: its corpus and the extraction results of that corpus.

    ``data`` is what every ``tally`` function takes: the three frames in memory, or a results
    folder of ``analysis extract`` (a :class:`results.Selection`, read column by column).
    ``articles`` is the corpus loaded in memory, or None when the results come from a folder, so
    that a large corpus is never loaded whole; :attr:`texts` then falls back to the corpus path.
    """

    corpus: Path
    data: Frames | results.Selection
    articles: pd.DataFrame | None = None

    @property
    def texts(self) -> pd.DataFrame | Path:
        """Where article texts are read for quoting: ``display.evidence_table``, ``display.pick_article``.

        The loaded corpus when there is one, else its path, from which only the quoted articles are read.
        """
        return self.corpus if self.articles is None else self.articles


def load_inputs(
    corpus: str | os.PathLike,
    results_dir: str | os.PathLike = "",
    cache_dir: str | os.PathLike = DEFAULT_CACHE,
    progress: bool = False,
) -> Inputs:
    """The corpus and its results: read from ``results_dir`` when given, else extracted (through the cache).

    Relative paths are relative to the project folder (see :func:`paths.resolve`), so a notebook's
    default parameters work whether papermill or JupyterLab runs it from ``notebooks/`` or from
    the repository root. The tables are the same either way.
    """
    corpus_path = paths.resolve(corpus)
    if results_dir:
        return Inputs(corpus=corpus_path, data=results.as_source(paths.resolve(results_dir)))
    articles = load_corpus(corpus_path)
    data = cache.extract_cached(articles, paths.resolve(cache_dir), progress=progress)
    return Inputs(corpus=corpus_path, data=data, articles=articles)


# --- results recorded inside notebooks ---------------------------------------------------------


def _plain(value):
    """``value`` as plain JSON types (numpy and pandas scalars included)."""
    return json.loads(json.dumps(value, default=lambda v: v.item() if hasattr(v, "item") else str(v)))


def record(name: str, value) -> None:
    """Leave ``value`` (JSON-able) in the notebook's outputs under ``name``; invisible to readers.

    A private MIME type plus an empty text/plain: JupyterLab shows the empty text (not a JSON
    tree), and the reports drop these outputs altogether.
    """
    from IPython.display import display

    display({RECORD_MIME: _plain(value), "text/plain": ""}, raw=True, metadata={RECORD_KEY: name})


def read_records(notebook_path: str | os.PathLike) -> dict:
    """Every value a notebook recorded with :func:`record`, by name (from an executed notebook)."""
    import nbformat

    nb = nbformat.read(str(notebook_path), as_version=4)
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get(RECORD_KEY)
            if name:
                found[name] = out["data"][RECORD_MIME]
    return found


# --- the batch -----------------------------------------------------------------------------------


def _ready(out_dir: Path) -> None:
    """The output folder exists and takes files, or one line says why not (before any report runs)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise runs.WriteError(f"analysis: cannot write {out_dir}: it is a file, not a folder; {OUT_FIX}")
    with runs.writing(out_dir, OUT_FIX):
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass


def run_batch(
    config_path: str | os.PathLike,
    jobs: int = 0,
    corpus: str | None = None,
    out: str | os.PathLike = "reports",
    pdf: bool = True,
    progress: bool = True,
) -> BatchResult:
    """Run every report of the config in parallel processes; never stops at a failing report.

    Everything that can be checked before a report runs is checked first (:func:`plan`), and the
    output folder is tried: a mistake stops the batch with one line before any report starts.
    """
    started = time.monotonic()
    for module in ("papermill", "nbconvert", "ipykernel"):
        if importlib.util.find_spec(module) is None:
            raise AnalysisError(f"analysis: report: {module} is not installed; pip install -e '.[reports]'")
    out_dir = Path(out).expanduser().resolve()
    notes: list[str] = []
    jobs_list = plan(load_config(config_path), corpus=corpus, out=out_dir)
    _ready(out_dir)
    corpora = warm_cache(jobs_list, progress=progress)
    chromium = pdf_engine() if pdf else None
    if pdf and not chromium:
        print(PDF_HINT, file=sys.stderr)
        notes.append("PDFs were not made: no Chromium on the machine that ran the batch.")
    kernel = kernel_name()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(jobs_list)))
    outcomes: list[Outcome] = []
    # spawn: each report process starts clean (no inherited threads, figures or open files)
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(run_job, j, str(out_dir), chromium, kernel, os.getcwd()): j for j in jobs_list}
        done = as_completed(futures)
        if progress:
            from tqdm.auto import tqdm

            done = tqdm(done, total=len(futures), unit="report", desc="reports")
        for fut in done:
            job = futures[fut]
            try:
                outcomes.append(fut.result())
            except Exception as err:  # the worker process itself died
                outcomes.append(
                    Outcome(
                        name=job.name,
                        title=job.title,
                        notebook=Path(job.notebook).stem,
                        corpus=job.corpus,
                        parameters=job.shown,
                        error=f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}",
                    )
                )
    order = {j.name: i for i, j in enumerate(jobs_list)}
    outcomes.sort(key=lambda o: order[o.name])
    index = out_dir / "index.html"
    page = index_html(outcomes, out_dir, notes, corpora=corpora)
    write_atomic(index, lambda t: Path(t).write_text(page, encoding="utf-8"))
    payload = json.dumps([asdict(o) for o in outcomes], indent=2)
    write_atomic(out_dir / "batch.json", lambda t: Path(t).write_text(payload, encoding="utf-8"))
    return BatchResult(outcomes=outcomes, index=index, seconds=round(time.monotonic() - started, 1), notes=notes)


def cli_report(args) -> int:
    """``analysis report``: run the batch, print a summary and every failure, exit 1 on any failure."""
    result = run_batch(args.config, jobs=args.jobs, corpus=args.corpus, out=args.out, pdf=not args.no_pdf)
    total = len(result.outcomes)
    ok = total - len(result.failures)
    print(
        f"analysis: {ok} of {total} report{'' if total == 1 else 's'} done in {result.seconds:.0f} s -> {result.index}"
    )
    for o in result.failures:
        where = f" at {o.cell}" if o.cell else ""
        print(f"analysis: report {o.name!r} failed{where}: {o.error}", file=sys.stderr)
    return result.exit_code
