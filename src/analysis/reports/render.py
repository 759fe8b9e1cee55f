"""Running one report and writing what readers see: papermill, reader HTML, PDF, the index page.

Everything here runs in a report's own worker process (:func:`run_job`) or writes the batch's
index; every file is written through a temporary file and renamed into place, so a reader never
opens a half-written page, and a write failure (no permission, a full disk) is one line.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from analysis import paths, runs
from analysis.version import __version__

KERNEL = "analysis"
RECORD_KEY = "analysis_record"
RECORD_MIME = "application/vnd.analysis.record+json"
TEMPLATES = paths.package_folder() / "templates"
OUT_FIX = "choose another --out folder"


@dataclass
class Job:
    """One report to run: a notebook with its parameters, and where its outputs go.

    ``parameters`` is everything papermill passes; ``shown`` the ones the config set (for the
    index); ``corpus`` the corpus the report reads and ``cache_dir`` where its extraction is cached.
    """

    name: str
    notebook: str
    title: str
    parameters: dict
    corpus: str = ""
    shown: dict = field(default_factory=dict)
    corpus_note: str = ""  # e.g. "up to 11 per outlet of news_articles.csv, seed 2017"
    cache_dir: str = ""


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
    corpus: str = ""  # the corpus the report read
    parameters: dict = field(default_factory=dict)  # the parameters its config entry set

    @property
    def ok(self) -> bool:
        return not self.error


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


def write_atomic(dest: Path, write, fix: str = OUT_FIX) -> None:
    """Write through a temporary file beside ``dest`` and rename it into place; a failure is one line."""
    tmp = None
    try:
        with runs.writing(dest, fix):
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
            os.close(fd)
            write(tmp)
            _publish(tmp, dest)
    finally:
        if tmp is not None and os.path.exists(tmp):
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
    """Execute one notebook with papermill, then write its reader HTML and PDF (worker process).

    Never raises: whatever goes wrong (the notebook, the kernel, a full disk) is the outcome's one
    line, and no half-written file is left under ``out``.
    """
    started = time.monotonic()
    outcome = Outcome(
        name=job.name, title=job.title, notebook=Path(job.notebook).stem, corpus=job.corpus, parameters=job.shown
    )
    try:
        _run(job, Path(out), chromium, kernel, cwd, outcome)
    except runs.WriteError as err:
        outcome.error = str(err)
    except OSError as err:
        outcome.error = str(runs.write_failure(err, out, OUT_FIX))
    outcome.seconds = round(time.monotonic() - started, 1)
    return outcome


def _run(job: Job, out_dir: Path, chromium: str | None, kernel: str, cwd: str, outcome: Outcome) -> None:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed = out_dir / "executed" / f"{job.name}.ipynb"
    log = out_dir / "logs" / f"{job.name}.log"
    with runs.writing(out_dir, OUT_FIX):
        executed.parent.mkdir(parents=True, exist_ok=True)
        log.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{job.name}.", suffix=".ipynb", dir=executed.parent)
        os.close(fd)
    saved_stderr = os.dup(2)
    complete = True  # False: papermill could not finish writing the executed notebook
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
    except OSError as err:  # writing the executed notebook (or the log) failed
        complete = False
        outcome.error = str(runs.write_failure(err, executed, OUT_FIX))
    except Exception as err:  # a kernel that died or never started: still one line in the index
        outcome.error = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
    if complete and os.path.exists(tmp) and os.path.getsize(tmp):
        _publish(tmp, executed)
        outcome.executed = str(executed)
    elif os.path.exists(tmp):
        os.unlink(tmp)
    if outcome.ok:
        nb = nbformat.read(str(executed), as_version=4)
        try:
            page = out_dir / "html" / f"{job.name}.html"
            body = html_report(nb, job.title)
            write_atomic(page, lambda t: Path(t).write_text(body, encoding="utf-8"))
            outcome.html = str(page)
            if chromium:
                pdf = out_dir / "pdf" / f"{job.name}.pdf"
                data = pdf_report(nb, job.title, chromium)
                write_atomic(pdf, lambda t: Path(t).write_bytes(data))
                outcome.pdf = str(pdf)
        except runs.WriteError as err:
            outcome.error = str(err)
        except Exception as err:
            outcome.error = f"rendering failed: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"


# --- the index page ----------------------------------------------------------------------------


def _rel(path: str | None, out: Path) -> str | None:
    return os.path.relpath(path, out) if path else None


def _shown_corpus(path: str, out: Path) -> str:
    """A corpus as the index names it: its path under the output folder, else its file name."""
    if not path:
        return ""
    p = Path(path)
    try:
        return str(p.relative_to(out))
    except ValueError:
        return p.name


def index_html(
    outcomes: list[Outcome],
    out: Path,
    notes: list[str] = (),
    corpora: dict[str, str] | None = None,
    generated: datetime | None = None,
) -> str:
    """The page linking every report, with its corpus and parameters, and listing every failure.

    ``corpora`` maps a corpus path to a description (e.g. "99 articles, 11 per outlet of
    news_articles.csv"); the page also says when and by which version of analysis it was made.
    Rendered by ``templates/index.html.j2`` with autoescaping: no title or parameter can inject HTML.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    out = Path(out)
    corpora = corpora or {}
    rows = [
        {
            "o": o,
            "html": _rel(o.html, out),
            "pdf": _rel(o.pdf, out),
            "executed": _rel(o.executed, out),
            "corpus": _shown_corpus(o.corpus, out),
            "parameters": [(k, _value(v)) for k, v in o.parameters.items()],
        }
        for o in outcomes
    ]
    used = list(dict.fromkeys(o.corpus for o in outcomes if o.corpus))
    when = (generated or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return env.get_template("index.html.j2").render(
        ok=[r for r in rows if r["o"].ok],
        failed=[r for r in rows if not r["o"].ok],
        total=len(outcomes),
        notes=list(notes),
        corpora=[(_shown_corpus(c, out), c, corpora.get(c, "")) for c in used],
        generated=when.strftime("%Y-%m-%d %H:%M UTC"),
        generated_iso=when.isoformat(timespec="seconds"),
        version=__version__,
    )


def _value(v) -> str:
    """A parameter value as the config would write it: strings bare, None as 'none', lists joined."""
    if v is None:
        return "none"
    if isinstance(v, (list, tuple)):
        return ", ".join(_value(x) for x in v)
    return str(v)
