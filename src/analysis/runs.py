"""Run folders: writing the frames of an extraction run, atomically.

A run folder (read back with ``analysis.results``) holds ``attributions``, ``hedges`` and
``articles`` as CSV files and/or Parquet partitions (one ``part-NNNNN.parquet`` per chunk) and
``run.json`` (input, counts, skipped rows with reasons, settings, timings). Everything is written
to ``DIR/.partial/`` first and moved into place only when the run completes: a run that stops
half-way never leaves a complete-looking file, and what an earlier run left in DIR stays intact.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.schema import FRAME_NAMES, Frames, conform, empty

FORMATS = ("csv", "parquet", "both")
# Why a write failed, and what to do about it ({fix}: the caller's setting, e.g. "choose another
# --out folder"), by errno; any other error is told in the system's own words.
_WHY = {
    errno.EACCES: ("no permission to write there", "{fix} or change its permissions"),
    errno.EPERM: ("no permission to write there", "{fix} or change its permissions"),
    errno.ENOSPC: ("the disk is full", "free some space or {fix} on another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or {fix} on another disk"),
    errno.EROFS: ("the file system is read-only", "{fix}"),
    errno.ENAMETOOLONG: ("the path is too long", "{fix} with a shorter path"),
}


class WriteError(AnalysisError):
    """Writing an output failed (not a folder, no permission, disk full); said in one line."""


def _file_in_the_way(path: Path) -> Path | None:
    """The first of ``path`` and its parents that exists and is not a folder (where mkdir fails)."""
    for p in (path, *path.parents):
        if p.exists() or p.is_symlink():
            return None if p.is_dir() else p
    return None


def write_failure(err: OSError, target, fix: str = "choose another folder") -> WriteError:
    """One line for an ``OSError`` met while writing ``target``: what went wrong and what to do.

    ``fix`` names the setting to change (e.g. "choose another --out folder"); it replaces the
    generic advice for a path that is a file or a folder that cannot be written.
    """
    target = Path(target)
    blocker = _file_in_the_way(Path(err.filename)) if err.filename else None
    blocker = blocker or _file_in_the_way(target)
    if err.errno in (errno.ENOTDIR, errno.EEXIST) and blocker is not None:
        return WriteError(f"analysis: cannot write {target}: {blocker} is a file, not a folder; {fix}")
    said = err.strerror or next(iter(str(err).splitlines()), "") or type(err).__name__
    why, advice = _WHY.get(err.errno, (said, "{fix}"))
    advice = advice.format(fix=fix)
    where = f" ({err.filename})" if err.filename and Path(err.filename) != target else ""
    return WriteError(f"analysis: cannot write {target}{where}: {why}; {advice}")


@contextlib.contextmanager
def writing(target, fix: str = "choose another folder"):
    """Turn an ``OSError`` raised inside the block into a one-line :class:`WriteError`."""
    try:
        yield
    except OSError as err:
        raise write_failure(err, target, fix) from None


PARTIAL = ".partial"
_PART = "part-{:05d}.parquet"


def write_frames(frames: Frames, out, fmt: str = "csv") -> None:
    """Write frames held in memory (e.g. from ``analysis.extract``) to run folder ``out``.

    Same layout and dtypes as ``analysis extract``; files appear only once all are written.
    """
    writer = Writer(Path(out), fmt)
    writer.write(Frames(*(conform(getattr(frames, n), n) for n in FRAME_NAMES)))
    writer.commit(None)


class Writer:
    """Appends chunk results under ``out/.partial``; ``commit`` moves them into place.

    Every ``OSError`` while writing (``out`` is a file, no permission, disk full) is raised as a
    one-line :class:`WriteError`; the caller then removes the stage with :meth:`discard`.
    """

    FIX = "choose another --out folder"

    def __init__(self, out: Path, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
        out = Path(out)
        if out.exists() and not out.is_dir():
            raise WriteError(
                f"analysis: cannot write {out}: it is a file, not a folder; {self.FIX} (it is made if missing)"
            )
        with writing(out, self.FIX):
            self._start(out, fmt)

    def _start(self, out: Path, fmt: str) -> None:
        self.out, self.stage = out, out / PARTIAL
        self.csv, self.parquet = fmt in ("csv", "both"), fmt in ("parquet", "both")
        for name in FRAME_NAMES if self.parquet else ():
            target = out / name
            if target.exists() and not _is_partition_dir(target):
                raise AnalysisError(
                    f"analysis: {target} exists and is not the output of an earlier run; "
                    f"move it away or choose another --out folder"
                )
        if self.stage.exists():  # the leftovers of an earlier run that stopped
            shutil.rmtree(self.stage)
        self.stage.mkdir(parents=True)
        self.parts = 0
        self.rows = dict.fromkeys(FRAME_NAMES, 0)
        self._headers: dict[str, list[str]] = {}
        self._files: dict = {}

    def write(self, frames: Frames) -> None:
        with writing(self.out, self.FIX):
            self._write(frames)

    def _write(self, frames: Frames) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        for name in FRAME_NAMES:
            df = getattr(frames, name)
            self.rows[name] += len(df)
            if self.csv and len(df):
                self._append_csv(name, df)
            if self.parquet:
                (self.stage / name).mkdir(exist_ok=True)
                table = pa.Table.from_pandas(df, preserve_index=False)
                pq.write_table(table, self.stage / name / _PART.format(self.parts))
        self.parts += 1

    def _append_csv(self, name: str, df: pd.DataFrame) -> None:
        header = self._headers.get(name)
        if header is None:
            self._headers[name] = list(df.columns)
            self._files[name] = (self.stage / f"{name}.csv").open("wb")
        else:
            new = [c for c in df.columns if c not in header]
            if new:  # a CSV has one header; Parquet partitions may differ and are unified on reading
                raise AnalysisError(
                    f"analysis: the extractor returned {name} column(s) {new} that earlier "
                    f"chunks did not have; use --format parquet"
                )
            df = df.reindex(columns=header)
        _write_csv(df, self._files[name], header=header is None)
        self._files[name].flush()

    def _close(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files = {}
        for name in FRAME_NAMES if self.csv else ():
            if name not in self._headers:  # no rows at all: still a file, with the header
                with (self.stage / f"{name}.csv").open("wb") as fh:
                    _write_csv(empty(name), fh, header=True)

    def discard(self, remove_out: bool) -> None:
        """Remove the staging folder (and ``out``, if this run created it and it is empty).

        Never raises: it runs while another error (often a full disk) is being reported.
        """
        with contextlib.suppress(OSError):
            self._close()
        shutil.rmtree(self.stage, ignore_errors=True)
        with contextlib.suppress(OSError):
            if remove_out and not any(self.out.iterdir()):
                self.out.rmdir()

    def abandon(self, summary: dict) -> None:
        """Leave what was written in ``.partial`` with a run.json that says it is incomplete."""
        with writing(self.stage, self.FIX):
            self._close()
            _write_json(self.stage / "run.json", summary)

    def commit(self, summary: dict | None) -> None:
        with writing(self.out, self.FIX):
            self._commit(summary)

    def _commit(self, summary: dict | None) -> None:
        self._close()
        if summary is not None:  # the last write, so that a full disk stops the run before any rename
            _write_json(self.stage / "run.json", summary)
        for name in FRAME_NAMES:
            if self.csv:
                os.replace(self.stage / f"{name}.csv", self.out / f"{name}.csv")
            if self.parquet:
                target = self.out / name
                if target.exists():
                    shutil.rmtree(target)
                os.replace(self.stage / name, target)
        if summary is not None:
            os.replace(self.stage / "run.json", self.out / "run.json")
        shutil.rmtree(self.stage)


def _write_csv(df: pd.DataFrame, fh, header: bool) -> None:
    """One chunk as CSV. pyarrow quotes every string, so an empty string ("") stays apart from a
    missing value (an empty field) and reads back as it was written."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    table = pa.Table.from_pandas(df, preserve_index=False)
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            # whole seconds read better in a spreadsheet; finer times are kept as they are
            with contextlib.suppress(pa.ArrowInvalid):
                table = table.set_column(i, field.name, table.column(i).cast(pa.timestamp("s")))
    pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=header, quoting_style="needed"))


def _is_partition_dir(path: Path) -> bool:
    return path.is_dir() and all(p.is_file() and p.match("part-*.parquet") for p in path.iterdir())


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --- where the chunks run ---------------------------------------------------------------------
