"""Running extraction over a corpus of any size: streamed in chunks, on all cores or on Dask.

The input is read chunk by chunk (``corpus.iter_corpus``); each chunk is extracted by a worker and
the results are written in input order as they come back. So the outputs hold the same rows in the
same order whatever the number of workers, and memory holds only the chunks in flight (two per
worker), never the whole corpus.

A run folder (read back with ``analysis.results``) holds ``attributions``, ``hedges`` and
``articles`` as CSV files and/or Parquet partitions (one ``part-NNNNN.parquet`` per chunk) and
``run.json`` (input, counts, skipped rows with reasons, settings, timings). Everything is written
to ``DIR/.partial/`` first and moved into place only when the run completes: a run that stops
half-way never leaves a complete-looking file, and what an earlier run left in DIR stays intact.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from analysis import corpus, runs
from analysis.errors import AnalysisError
from analysis.optional import require_dask
from analysis.pipeline import Extractor, extract_article, extract_chunk
from analysis.schema import FRAME_NAMES, Frames, empty
from analysis.version import __version__


def available_cores() -> int:
    """Cores this process may run on (the affinity mask, which containers and taskset narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# --- writing ----------------------------------------------------------------------------------


class _Done:
    """A finished 'future' for the in-process path."""

    def __init__(self, value):
        self._value = value

    def result(self):
        return self._value


@contextlib.contextmanager
def _runner(workers: int, dask: str | None):
    """(submit(fn, *args) -> future, number of workers) for the serial, process or Dask path."""
    if dask:
        client, close = _dask_client(dask, workers)
        try:
            slots = max(sum(client.nthreads().values()), 1)
            yield (lambda fn, *a: client.submit(fn, *a, pure=False)), slots
        finally:
            close()
    elif workers == 1:
        yield (lambda fn, *a: _Done(fn(*a))), 1
    else:
        # forkserver: a clean process to fork from, whatever threads this one runs (tqdm, Dask).
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=warm_up)
        try:
            yield pool.submit, workers
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def warm_up() -> None:
    """Load the models and lexicons once, as a worker starts, not inside its first chunk."""
    extract_article("warm-up", "Officials said on Monday that it may rain.")


def _dask_client(address: str, workers: int):
    require_dask()
    from distributed import Client, LocalCluster

    if address == "local":
        # Loopback only, one single-threaded process per core: the extractors hold the GIL.
        cluster = LocalCluster(
            n_workers=workers or available_cores(),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        client = Client(cluster)

        def close():
            client.close()
            cluster.close()

        return client, close
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as err:
        raise AnalysisError(
            f"analysis: cannot reach the Dask scheduler at {address} ({err}); start one with "
            f"'dask scheduler' and 'dask worker {address}', or use --dask local"
        ) from None
    return client, client.close


def _in_order(submit, fn, chunks: Iterable, in_flight: int, *args) -> Iterator:
    """fn(chunk, *args) for each chunk, in input order, with at most ``in_flight`` pending."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(fn, chunk, *args))
        if len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# --- a whole run ------------------------------------------------------------------------------


def count_articles(path) -> int | None:
    """A cheap count of the articles in ``path`` for the progress bar (None where it is not cheap).

    JSONL counts lines and CSV parses with pyarrow (a cell may hold line breaks); the reader itself
    reports any problem properly, so a count that fails is simply left out.
    """
    p = Path(path)
    try:
        if p.is_dir():
            return sum(1 for f in p.iterdir() if f.is_file() and f.suffix.lower() == ".txt")
        suffix = p.suffix.lower()
        if suffix == ".txt":
            return 1
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(p).metadata.num_rows
        if suffix in (".jsonl", ".ndjson"):
            n, last = 0, b"\n"
            with p.open("rb") as fh:
                while block := fh.read(1 << 22):
                    n, last = n + block.count(b"\n"), block[-1:]
            return n + (last != b"\n")
        if suffix == ".csv":
            from pyarrow import csv as pacsv

            reader = pacsv.open_csv(
                p,
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(include_columns=["article_id"]),
            )
            return sum(batch.num_rows for batch in reader)
    except Exception:  # noqa: BLE001 - see the docstring
        return None
    return None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


MAX_CHUNK = 1000  # articles: bounds the memory of a chunk in flight and the size of a partition
MIN_CHUNK = 50  # below this, per-chunk costs (pickling, a Parquet file) start to show
CHUNKS_PER_WORKER = 8


def auto_chunk_size(total: int | None, workers: int) -> int:
    """Articles per chunk when the user does not choose: at most ``MAX_CHUNK``, and small enough
    that every worker gets about ``CHUNKS_PER_WORKER`` chunks, so no worker idles through a long
    last chunk (5,000 articles in chunks of 1,000 left one of 2 workers idle a third of the time)."""
    if total is None:
        return MAX_CHUNK
    return max(MIN_CHUNK, min(MAX_CHUNK, -(-total // (max(workers, 1) * CHUNKS_PER_WORKER))))


def run_extract(
    input,
    out,
    *,
    fmt: str = "csv",
    workers: int = 0,
    dask: str | None = None,
    on_error: str = "stop",
    chunk_size: int = 0,
    progress: bool = False,
    extractor: Extractor | None = None,
) -> dict:
    """Extract a corpus file or folder into run folder ``out``; returns the run summary (run.json).

    ``workers``: 0 = all cores, 1 = in this process, N = N processes. ``dask``: ``"local"`` for a
    LocalCluster on this machine (``workers`` processes, default all cores) or the address of a
    running scheduler (``tcp://host:8786``). ``on_error``: a malformed row stops the run with an
    ``AnalysisError`` naming it ("stop"), or is skipped and listed in run.json ("skip").
    ``chunk_size``: articles per chunk, 0 = chosen from the corpus size (``auto_chunk_size``).
    ``extractor`` replaces ``extract_article`` (it must be picklable for workers).
    """
    from tqdm.auto import tqdm

    if chunk_size < 0:
        raise AnalysisError(
            f"analysis: --chunk-size {chunk_size}: give at least 1 article per chunk, or 0 to let it be chosen"
        )
    if workers < 0:
        raise AnalysisError(f"analysis: --workers {workers}: give 0 (all cores), 1 (no extra processes) or more")
    out = Path(out)
    total = count_articles(input)
    n_workers = workers or available_cores()
    if not chunk_size:
        chunk_size = auto_chunk_size(total, n_workers)
    if not dask and total is not None and total <= chunk_size:
        n_workers = 1  # one chunk: starting processes would only add their start-up time
    summary: dict = {
        "status": "running",
        "input": str(input),
        "out": str(out),
        "version": __version__,
        "settings": {"format": fmt, "workers": n_workers, "dask": dask, "on_error": on_error, "chunk_size": chunk_size},
        "counts": {},
        "skipped": [],
        "timings": {"started": _now()},
    }
    skipped: list[dict] = summary["skipped"]
    created = not out.exists()
    writer = runs.Writer(out, fmt)
    bar = tqdm(total=total, unit=" articles", disable=not progress, dynamic_ncols=True, desc="extract")

    def chunks():
        for chunk in corpus.iter_corpus(input, chunksize=chunk_size, on_error=on_error):
            rows = [{"file": f, "where": w, "reason": r} for f, w, r in chunk.attrs.get("skipped", [])]
            skipped.extend(rows)
            bar.update(len(rows))
            if len(chunk):  # the last "chunk" may only carry the rows skipped after the last article
                for aid, size in corpus.large_articles(chunk):
                    bar.write(corpus.large_article_warning(aid, size), file=sys.stderr)
                yield chunk

    def finish(status: str) -> None:
        seconds = time.perf_counter() - t0
        n = writer.rows["articles"]
        summary["status"] = status
        summary["counts"] = {**writer.rows, "skipped": len(skipped), "chunks": writer.parts}
        summary["timings"].update(
            finished=_now(), seconds=round(seconds, 3), articles_per_second=round(n / seconds, 1) if seconds else None
        )

    t0 = time.perf_counter()
    try:
        with _runner(n_workers, dask) as (submit, slots):
            summary["settings"]["workers"] = slots  # a Dask cluster has as many as it has
            for frames, failed in _in_order(submit, extract_chunk, chunks(), 2 * slots, extractor, on_error):
                writer.write(frames)
                for f in failed:
                    print(f"analysis: skipped article {f['article_id']!r}: {f['reason']}", file=sys.stderr)
                skipped.extend(
                    {"file": str(input), "where": f"article {f['article_id']}", "reason": f["reason"]} for f in failed
                )
                bar.update(len(frames.articles) + len(failed))
    except BaseException as err:
        bar.close()
        # stopped before anything was written (a missing file, a bad header), or writing itself
        # failed (a full disk): what is staged is of no use, and leaving it would fill the disk more
        if writer.parts == 0 or isinstance(err, runs.WriteError):
            writer.discard(created)
            if isinstance(err, runs.WriteError):
                raise runs.WriteError(f"{err} (nothing in {out} was replaced)") from None
            raise
        finish("failed")
        summary["error"] = str(err) or type(err).__name__
        with contextlib.suppress(runs.WriteError):  # the error being reported matters more
            writer.abandon(summary)
        if isinstance(err, AnalysisError):
            raise AnalysisError(
                f"{err} [stopped after {corpus.counted(writer.rows['articles'], 'article')}: "
                f"nothing in {out} was replaced; "
                f"the incomplete results of this run are in {writer.stage}]"
            ) from None
        raise
    bar.close()
    finish("complete")
    try:
        writer.commit(summary)
    except runs.WriteError as err:
        writer.discard(created)
        raise runs.WriteError(f"{err} (nothing in {out} was replaced)") from None
    return summary


def cli_extract(args) -> int:
    summary = run_extract(
        args.input,
        args.out,
        fmt=args.format,
        workers=args.workers,
        dask=args.dask,
        on_error=args.on_error,
        chunk_size=args.chunk_size,
        progress=not args.no_progress,
    )
    c = summary["counts"]
    n = corpus.counted
    print(
        f"analysis: {n(c['articles'], 'article')}, {n(c['attributions'], 'attribution')}, "
        f"{n(c['hedges'], 'hedge')} -> {args.out}"
    )
    if c["skipped"]:
        print(
            f"analysis: {n(c['skipped'], 'row')} skipped, listed in {Path(args.out) / 'run.json'}",
            file=sys.stderr,
        )
    return 0


# --- Dask DataFrames ----------------------------------------------------------------------------


def _extract_partition(part: pd.DataFrame, extractor: Extractor | None) -> Frames:
    return extract_chunk(part, extractor, on_error="stop", extras=False)[0]


def extract_dask(ddf, extractor: Extractor | None = None):
    """(attributions, hedges, articles) Dask DataFrames extracted from a Dask DataFrame of articles.

    ``ddf`` has ``article_id``, ``text`` and optional ``outlet``/``published``/``title``/``url``.
    Each partition is extracted once for all three outputs when they are computed or written
    together (``dask.compute(a, h, r)`` or ``dd.to_parquet`` of each in one ``dask.compute``).
    The ``meta`` is the column contract of ``analysis.results``: columns an engine adds beyond it
    are left out here (the CLI keeps them).
    """
    dask = require_dask()
    import dask.dataframe as dd

    missing = [c for c in ("article_id", "text") if c not in ddf.columns]
    if missing:
        raise AnalysisError(
            f"analysis: the Dask DataFrame has no column {', '.join(map(repr, missing))}; it needs article_id and text"
        )
    metas = {name: empty(name) for name in FRAME_NAMES}
    parts = [dask.delayed(_extract_partition)(p, extractor) for p in ddf.to_delayed()]
    return tuple(
        dd.from_delayed([dask.delayed(getattr)(p, name) for p in parts], meta=metas[name], verify_meta=False)
        for name in FRAME_NAMES
    )
