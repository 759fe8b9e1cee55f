"""The report batch: YAML → one papermill process per notebook → HTML/PDF → index.html.

A config is a list of reports (notebook, title, parameters, output name), or a mapping with
``reports:`` and batch-wide settings (``corpus``, ``subset``, ``cache_dir``). A report with
``for_each: outlet`` becomes one report per outlet of its corpus, ``{outlet}`` being filled in
its name, title and string parameters. The corpus is extracted once, in this process, before any
notebook starts (through :mod:`analysis.cache`), so the parallel report processes only ever read
a finished cache entry. A report that fails does not stop the others: the batch finishes, the
index lists the failure with the cell that raised, and the exit status is 1.

Notebooks start with :func:`load_inputs` (the corpus and its extraction results, one type
whether the results are extracted here or read from an ``analysis extract`` folder) and call
:func:`record` to leave their headline numbers in the executed notebook, where
:func:`read_records` (and the tests) read them back.
"""

from __future__ import annotations

import copy
import html
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

import pandas as pd
import yaml

from analysis import cache, paths, results
from analysis.corpus import load_corpus
from analysis.errors import AnalysisError
from analysis.schema import Frames

DEFAULT_CORPUS = paths.DEMO_CORPUS
FALLBACK_CORPUS = paths.SAMPLE_CORPUS
DEFAULT_CACHE = paths.CACHE
KERNEL = "analysis"
RECORD_KEY = "analysis_record"
RECORD_MIME = "application/vnd.analysis.record+json"
TEMPLATES = paths.package_folder() / "templates"
PDF_HINT = (
    "analysis: PDF reports skipped: no Chromium found; 'apt-get install chromium' enables them "
    "(HTML reports are complete)"
)


@dataclass
class Job:
    """One report to run: a notebook with its parameters, and where its outputs go."""

    name: str
    notebook: str
    title: str
    parameters: dict


@dataclass
class Outcome:
    """What became of one report; ``error`` is empty when it succeeded."""

    name: str
    title: str
    notebook: str = ""  # the notebook's file stem, e.g. "outlet_report"
    seconds: float = 0.0
    executed: str | None = None
    html: str | None = None
    pdf: str | None = None
    error: str = ""
    cell: str = ""  # the failing cell: "cell 7 (execution count 7): first line of its code"

    @property
    def ok(self) -> bool:
        return not self.error


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
        return 1 if self.failures else 0


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


# --- the plan: config → jobs -------------------------------------------------------------------


def slug(text: str) -> str:
    """A file name for a report: lower case ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "report"


def load_config(path: str | os.PathLike) -> dict:
    """The config as ``{"reports": [...], ...settings}``, checked for the keys every report needs."""
    p = Path(path)
    if not p.exists():
        raise AnalysisError(f"analysis: report config {p} not found; pass --config with a YAML list of reports")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise AnalysisError(
            f"analysis: {p}{where}: not valid YAML ({getattr(err, 'problem', err)}); fix the file"
        ) from None
    config = {"reports": raw} if isinstance(raw, list) else raw
    if not isinstance(config, dict) or not isinstance(config.get("reports"), list) or not config["reports"]:
        raise AnalysisError(
            f"analysis: {p}: expected a list of reports (or 'reports:' with one); see reports/reports.yml"
        )
    for i, entry in enumerate(config["reports"], start=1):
        if not isinstance(entry, dict) or "notebook" not in entry:
            raise AnalysisError(f"analysis: {p} report {i}: no 'notebook'; give the notebook to run")
        unknown = set(entry) - {"name", "notebook", "title", "parameters", "for_each", "corpus"}
        if unknown:
            raise AnalysisError(
                f"analysis: {p} report {i}: unknown key(s) {', '.join(sorted(unknown))}; "
                "use name, notebook, title, parameters, for_each, corpus"
            )
    config["_path"] = str(p)
    return config


def default_corpus(say=print) -> Path:
    """The demo corpus if it has been fetched, else the bundled sample (saying so)."""
    if Path(DEFAULT_CORPUS).exists():
        return Path(DEFAULT_CORPUS)
    say(
        f"analysis: {DEFAULT_CORPUS} not found; using the bundled sample {FALLBACK_CORPUS} "
        "(run 'analysis data demo' for the demo corpus)"
    )
    return Path(FALLBACK_CORPUS)


def _fill(value, key: str, item: str):
    """``{key}`` replaced by ``item`` in strings (and inside lists/dicts); other values unchanged."""
    if isinstance(value, str):
        return item if value == "{" + key + "}" else value.replace("{" + key + "}", item)
    if isinstance(value, list):
        return [_fill(v, key, item) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, key, item) for k, v in value.items()}
    return value


def _subset(corpus_path: Path, spec: dict, out: Path) -> Path:
    """A stratified sample of the corpus (``per_outlet`` articles of each outlet), written as CSV."""
    per = int(spec.get("per_outlet", 10))
    seed = int(spec.get("seed", 0))
    df = load_corpus(corpus_path)
    if "outlet" not in df.columns:
        raise AnalysisError(f"analysis: subset: corpus {corpus_path} has no 'outlet' column to stratify by")
    parts = [g.sample(n=min(per, len(g)), random_state=seed) for _, g in df.groupby("outlet", sort=True)]
    sample = df.loc[sorted(i for p in parts for i in p.index)]
    dest = out / "data" / f"{corpus_path.stem}-{per}-per-outlet.csv"
    dest.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(dest, lambda tmp: sample.to_csv(tmp, index=False))
    return dest


def plan(config: dict, corpus: str | None = None, out: Path = Path("reports"), say=print) -> list[Job]:
    """Expand the config into jobs with absolute paths.

    ``corpus`` (the --corpus flag) replaces the batch's corpus, for every report that does not
    name its own ``corpus:`` in the config, and is used whole (no ``subset``). Relative paths
    are relative to the working directory (the repository root, where ``make report`` runs).
    """
    cfg_name = config.get("_path", "config")
    base = Path(corpus) if corpus else Path(config["corpus"]) if config.get("corpus") else None
    if base is None:
        base = default_corpus(say)
    if not base.exists():
        raise AnalysisError(f"analysis: corpus {base} not found; pass --corpus or fix 'corpus' in {cfg_name}")
    if config.get("subset") and not corpus:
        base = _subset(base, config["subset"], out)
    cache_dir = str(Path(config.get("cache_dir", DEFAULT_CACHE)).resolve())
    corpora: dict[str, object] = {}
    jobs: list[Job] = []
    for i, entry in enumerate(config["reports"], start=1):
        nb = Path(entry["notebook"])
        if not nb.exists():
            raise AnalysisError(f"analysis: {cfg_name} report {i}: notebook {nb} not found; fix its path")
        # a report that names its own corpus keeps it (its parameters, e.g. article_id, refer to it)
        path = Path(entry["corpus"]) if entry.get("corpus") else base
        if not path.exists():
            raise AnalysisError(f"analysis: {cfg_name} report {i}: corpus {path} not found; fix its 'corpus'")
        template = {
            "name": entry.get("name") or nb.stem,
            "title": entry.get("title") or nb.stem.replace("_", " ").capitalize(),
            "parameters": dict(entry.get("parameters") or {}),
        }
        items = [None]
        key = entry.get("for_each")
        if key:
            if str(path) not in corpora:
                corpora[str(path)] = load_corpus(path)
            df = corpora[str(path)]
            if key not in df.columns:  # e.g. the bundled sample has no outlets: run the rest
                say(
                    f"analysis: {cfg_name} report {i} skipped: for_each: {key}, but corpus {path} has no '{key}' column"
                )
                continue
            items = sorted(str(v) for v in df[key].dropna().unique())
        for item in items:
            t = _fill(template, key, item) if key else template
            # the batch owns these three: a report sets its corpus with 'corpus:', its title with 'title:'
            params = {**t["parameters"], "corpus": str(path.resolve()), "cache_dir": cache_dir, "title": t["title"]}
            if params.get("results_dir"):  # an 'analysis extract' run: the notebook reads it, nothing is extracted
                run = Path(params["results_dir"])
                if not run.is_dir():
                    raise AnalysisError(
                        f"analysis: {cfg_name} report {i}: results_dir {run} not found; "
                        f"run 'analysis extract CORPUS --out {run}' or fix the path"
                    )
                params["results_dir"] = str(run.resolve())
            name = slug(t["name"] if not key or "{" + key + "}" in template["name"] else f"{t['name']}-{item}")
            jobs.append(Job(name=name, notebook=str(nb.resolve()), title=t["title"], parameters=params))
    seen: set[str] = set()
    for j in jobs:
        if j.name in seen:
            raise AnalysisError(f"analysis: {cfg_name}: two reports are named {j.name!r}; give them distinct 'name's")
        seen.add(j.name)
    return jobs


def warm_cache(jobs: list[Job], progress: bool = True) -> None:
    """Extract every corpus the jobs use, once, before the report processes start.

    A job given a ``results_dir`` reads that run instead (a large corpus is never loaded whole).
    """
    todo = {(j.parameters["corpus"], j.parameters["cache_dir"]) for j in jobs if not j.parameters.get("results_dir")}
    for path, cache_dir in sorted(todo):
        cache.extract_cached(load_corpus(path), cache_dir, progress=progress)


# --- running one report (in a worker process) -------------------------------------------------


def kernel_name() -> str:
    """The notebooks' kernel ("analysis") when installed, else this Python's own kernel."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def pdf_engine() -> str | None:
    """A Chromium (or Chrome) executable playwright can drive, or None."""
    if importlib.util.find_spec("playwright") is None:
        return None
    for exe in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(exe)
        if path:
            return path
    return None


def _publish(tmp: str, dest: Path) -> None:
    """Rename ``tmp`` onto ``dest`` with ordinary file permissions (mkstemp makes files private)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, dest)


def _write_atomic(dest: Path, write) -> None:
    """Write through a temporary file beside ``dest`` and rename it into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        write(tmp)
        _publish(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _reader_copy(nb):
    """The notebook as readers see it: no stderr (warnings), no recorded data, no error banners.

    A cell whose one output is Markdown (``display.method_note()``) becomes a Markdown cell, so
    prose the library writes is laid out exactly like the prose written in the notebook.
    """
    from nbformat.v4 import new_markdown_cell

    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        outputs = [
            o
            for o in cell.get("outputs", [])
            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            and RECORD_KEY not in o.get("metadata", {})
        ]
        cell["outputs"] = outputs
        if len(outputs) == 1 and "text/markdown" in outputs[0].get("data", {}):
            prose = new_markdown_cell(outputs[0]["data"]["text/markdown"])
            prose["id"] = cell.get("id", prose["id"])
            nb.cells[i] = prose
    return nb


def _exporter_settings(title: str) -> tuple[dict, dict]:
    settings = {
        "template_name": "lab",
        "template_file": "report.html.j2",
        "extra_template_paths": [str(TEMPLATES)],
        "exclude_input": True,
        "exclude_input_prompt": True,
        "exclude_output_prompt": True,
    }
    return settings, {"metadata": {"name": title}}


def html_report(nb, title: str) -> str:
    """Self-contained reader HTML of an executed notebook: code hidden, charts embedded."""
    from nbconvert import HTMLExporter

    settings, resources = _exporter_settings(title)
    body, _ = HTMLExporter(**settings).from_notebook_node(_reader_copy(nb), resources=resources)
    return body


# Chromium runs as root in CI (hence no sandbox) and must not phone home while printing.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]


def _pdf_exporter_class():
    """nbconvert's WebPDFExporter, launching the system Chromium instead of playwright's download.

    nbconvert's ``run_playwright`` calls ``chromium.launch(args=...)`` without an
    ``executable_path``, so playwright looks only for its own browser builds (which we never
    download). This subclass repeats that short routine with the system executable.
    """
    from nbconvert.exporters.webpdf import WebPDFExporter

    class ChromiumPDFExporter(WebPDFExporter):
        def __init__(self, executable_path: str, **kw):
            super().__init__(**kw)
            self.executable_path = executable_path

        def run_playwright(self, html_text: str) -> bytes:
            import asyncio

            from playwright.async_api import async_playwright

            async def render(page_path: str) -> bytes:
                async with async_playwright() as pw:
                    browser = await pw.chromium.launch(
                        executable_path=self.executable_path,
                        args=CHROMIUM_ARGS,
                        handle_sigint=False,
                        handle_sigterm=False,
                        handle_sighup=False,
                    )
                    try:
                        page = await browser.new_page()
                        await page.emulate_media(media="print")
                        await page.goto(Path(page_path).as_uri(), wait_until="load")
                        await page.wait_for_timeout(self.page_render_timeout)
                        return await page.pdf(
                            print_background=True,
                            format="A4",
                            margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"},
                        )
                    finally:
                        await browser.close()

            fd, page_path = tempfile.mkstemp(suffix=".html")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(html_text)
            try:  # in a thread: the caller may be a notebook with an event loop already running
                with ThreadPoolExecutor(max_workers=1) as pool:
                    return pool.submit(asyncio.run, render(page_path)).result()
            finally:
                os.unlink(page_path)

    return ChromiumPDFExporter


def pdf_report(nb, title: str, chromium: str) -> bytes:
    """The reader HTML printed to PDF by the system Chromium (nbconvert's webpdf, see above)."""
    settings, resources = _exporter_settings(title)
    exporter = _pdf_exporter_class()(executable_path=chromium, **settings)
    data, _ = exporter.from_notebook_node(_reader_copy(nb), resources=resources)
    return data


def _failed_cell(err) -> tuple[str, str]:
    """(error line, cell description) of a papermill execution error."""
    first = next((ln for ln in str(err.source).splitlines() if ln.strip()), "")
    # 1-based position in the executed notebook (papermill's injected-parameters cell included)
    cell = f"cell {err.cell_index + 1} (execution count {err.exec_count}): {first.strip()[:120]}"
    return f"{err.ename}: {str(err.evalue).splitlines()[0] if err.evalue else ''}".strip(), cell


def run_job(job: Job, out: str, chromium: str | None, kernel: str, cwd: str) -> Outcome:
    """Execute one notebook with papermill, then write its reader HTML and PDF (worker process)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    started = time.monotonic()
    out_dir = Path(out)
    outcome = Outcome(name=job.name, title=job.title, notebook=Path(job.notebook).stem)
    executed = out_dir / "executed" / f"{job.name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{job.name}.", suffix=".ipynb", dir=executed.parent)
    os.close(fd)
    log = out_dir / "logs" / f"{job.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    saved_stderr = os.dup(2)
    try:
        # the kernel's own chatter goes to a log per report, not over the progress bar
        with open(log, "w", encoding="utf-8") as fh:
            os.dup2(fh.fileno(), 2)
            papermill.execute_notebook(
                job.notebook,
                tmp,
                parameters=job.parameters,
                kernel_name=kernel,
                cwd=cwd,
                progress_bar=False,
                log_output=False,
                execution_timeout=1800,
            )
    except PapermillExecutionError as err:
        outcome.error, outcome.cell = _failed_cell(err)
    except Exception as err:  # a kernel that died or never started: still one line in the index
        outcome.error = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
    if os.path.exists(tmp) and os.path.getsize(tmp):
        _publish(tmp, executed)
        outcome.executed = str(executed)
    elif os.path.exists(tmp):
        os.unlink(tmp)
    if outcome.ok:
        nb = nbformat.read(str(executed), as_version=4)
        try:
            page = out_dir / "html" / f"{job.name}.html"
            body = html_report(nb, job.title)
            _write_atomic(page, lambda t: Path(t).write_text(body, encoding="utf-8"))
            outcome.html = str(page)
            if chromium:
                pdf = out_dir / "pdf" / f"{job.name}.pdf"
                data = pdf_report(nb, job.title, chromium)
                _write_atomic(pdf, lambda t: Path(t).write_bytes(data))
                outcome.pdf = str(pdf)
        except Exception as err:
            outcome.error = f"rendering failed: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    outcome.seconds = round(time.monotonic() - started, 1)
    return outcome


# --- the index page ----------------------------------------------------------------------------


def _rel(path: str | None, out: Path) -> str | None:
    return os.path.relpath(path, out) if path else None


def index_html(outcomes: list[Outcome], out: Path, notes: list[str] = ()) -> str:
    """The page linking every report (titles escaped) and listing every failure with its cell."""
    esc = html.escape

    def link(path, label):
        rel = _rel(path, out)
        return f'<a href="{esc(rel, quote=True)}">{esc(label)}</a>' if rel else ""

    ok = [o for o in outcomes if o.ok]
    bad = [o for o in outcomes if not o.ok]
    rows = "".join(
        f"<tr><td>{link(o.html, o.title)}</td><td>{link(o.pdf, 'PDF')}</td>"
        f"<td>{link(o.executed, 'notebook')}</td><td>{o.seconds:.0f} s</td></tr>"
        for o in ok
    )
    fails = "".join(
        f"<tr><td>{esc(o.title)}</td><td>{esc(o.cell)}</td><td><code>{esc(o.error)}</code></td>"
        f"<td>{link(o.executed, 'notebook')}</td></tr>"
        for o in bad
    )
    notes_html = "".join(f"<p class='note'>{esc(n)}</p>" for n in notes)
    failed = (
        (
            f"<h2>Failed ({len(bad)})</h2><table><tr><th>Report</th><th>Failing cell</th><th>Error</th>"
            f"<th>Executed notebook</th></tr>{fails}</table>"
        )
        if bad
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Reports</title>
<style>body {{ font-family: Georgia, serif; max-width: 60em; margin: 2em auto; padding: 0 1em; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ text-align: left; padding: 4px 8px;
border-bottom: 1px solid #ddd; }} .note {{ color: #555; }}</style></head>
<body><h1>Reports</h1><p>{len(ok)} of {len(outcomes)} reports finished.</p>{notes_html}
<table><tr><th>Report</th><th>PDF</th><th>Executed notebook</th><th>Time</th></tr>{rows}</table>
{failed}</body></html>
"""


# --- the batch -----------------------------------------------------------------------------------


def run_batch(
    config_path: str | os.PathLike,
    jobs: int = 0,
    corpus: str | None = None,
    out: str | os.PathLike = "reports",
    pdf: bool = True,
    progress: bool = True,
) -> BatchResult:
    """Run every report of the config in parallel processes; never stops at a failing report."""
    started = time.monotonic()
    for module in ("papermill", "nbconvert", "ipykernel"):
        if importlib.util.find_spec(module) is None:
            raise AnalysisError(f"analysis: report: {module} is not installed; pip install -e '.[reports]'")
    out_dir = Path(out).resolve()
    notes: list[str] = []
    jobs_list = plan(load_config(config_path), corpus=corpus, out=out_dir)
    warm_cache(jobs_list, progress=progress)
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
                        error=f"{type(err).__name__}: {err}",
                    )
                )
    order = {j.name: i for i, j in enumerate(jobs_list)}
    outcomes.sort(key=lambda o: order[o.name])
    index = out_dir / "index.html"
    page = index_html(outcomes, out_dir, notes)
    _write_atomic(index, lambda t: Path(t).write_text(page, encoding="utf-8"))
    summary = out_dir / "batch.json"
    payload = json.dumps([asdict(o) for o in outcomes], indent=2)
    _write_atomic(summary, lambda t: Path(t).write_text(payload, encoding="utf-8"))
    return BatchResult(outcomes=outcomes, index=index, seconds=round(time.monotonic() - started, 1), notes=notes)


def cli_report(args) -> int:
    """``analysis report``: run the batch, print a summary and every failure, exit 1 on any failure."""
    result = run_batch(args.config, jobs=args.jobs, corpus=args.corpus, out=args.out, pdf=not args.no_pdf)
    ok = len(result.outcomes) - len(result.failures)
    print(f"analysis: {ok} of {len(result.outcomes)} reports done in {result.seconds:.0f} s -> {result.index}")
    for o in result.failures:
        where = f" at {o.cell}" if o.cell else ""
        print(f"analysis: report {o.name!r} failed{where}: {o.error}", file=sys.stderr)
    return result.exit_code
