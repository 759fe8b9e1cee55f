"""The outputs of an extraction run: their column types, reading them back, and group-bys over them.

``analysis extract --out DIR`` writes three frames, each either as one CSV file
(``DIR/attributions.csv``) or as Parquet partitions (``DIR/attributions/part-00000.parquet`` ...);
a cache entry (``DIR/attributions.parquet``, see ``cache.py``) reads the same way.
Small runs are read into pandas with :func:`read_results`; large runs are scanned batch by batch
through ``pyarrow.dataset`` (:func:`scan`, :func:`scan_results`) and counted per group
(:func:`group_totals`, :func:`count_rows`) so that memory holds one batch and the groups, never
every row. The same functions read in-memory :class:`Frames`, which is how ``tally.py`` defines
each metric once for both. Metrics themselves (rates, shares) live in ``tally.py`` only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.optional import require_dask
from analysis.schema import (
    FRAME_NAMES,
    PERIODS,
    TALLY_COLUMNS,
    Frames,
    dtypes,
    empty,
)

_BATCH_ROWS = 65_536


# --- locating and reading -------------------------------------------------------------------------


def _locate(out: Path, name: str) -> tuple[str, Path]:
    parts, csv, single = out / name, out / f"{name}.csv", out / f"{name}.parquet"
    found = {
        "parquet": parts if parts.is_dir() and any(parts.glob("*.parquet")) else single if single.is_file() else None,
        "csv": csv if csv.is_file() else None,
    }
    # Parquet reads faster; but if the last run wrote CSV, an older run's Parquet must not win.
    for kind in ("csv", "parquet") if _run_format(out) == "csv" else ("parquet", "csv"):
        if found[kind]:
            return kind, found[kind]
    raise AnalysisError(
        f"analysis: {out}: no {name} output (neither {name}.csv nor {name}/*.parquet); "
        f"run 'analysis extract CORPUS --out {out}' first"
    )


def _run_format(out: Path) -> str | None:
    try:
        return json.loads((out / "run.json").read_text(encoding="utf-8"))["settings"]["format"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _arrow_type(dtype):
    import pyarrow as pa

    if dtype in ("Int64", "int64"):
        return pa.int64()
    if dtype == "float64":
        return pa.float64()
    if dtype == "boolean":
        return pa.bool_()
    if dtype == "datetime64[us]":
        return pa.timestamp("us")
    return pa.string()


def dataset(out, name: str):
    """A ``pyarrow.dataset.Dataset`` over one output frame of run folder ``out`` (Parquet or CSV)."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq
    from pyarrow import csv as pacsv

    kind, path = _locate(Path(out), name)
    if kind == "parquet":
        files = [str(path)] if path.is_file() else sorted(str(p) for p in path.glob("*.parquet"))
        # A column that is empty in one partition is stored as type null there: unify, don't fail.
        schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
        return ds.dataset(files, schema=schema, format="parquet")
    types = {c: _arrow_type(t) for c, t in dtypes(name).items()}
    fmt = ds.CsvFileFormat(
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        # Only an empty field is missing: a speaker called "NA" or a hedge "None" stays text.
        convert_options=pacsv.ConvertOptions(
            column_types=types, null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=False
        ),
    )
    return ds.dataset(str(path), format=fmt)


def _to_pandas(table, name: str) -> pd.DataFrame:
    import pyarrow as pa

    mapping = {
        pa.int64(): pd.Int64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.string(): pd.StringDtype(),
        pa.large_string(): pd.StringDtype(),
    }
    df = table.to_pandas(types_mapper=mapping.get)
    keep = set(df.columns)
    types = {c: t for c, t in dtypes(name).items() if c in keep}
    return df.astype(types) if types else df


def scan_results(
    out, name: str, columns: Sequence[str] | None = None, filter=None, batch_rows: int | None = None
) -> Iterator[pd.DataFrame]:
    """Batches (pandas frames of at most ``batch_rows`` rows) of one output frame, in file order.

    ``columns`` limits what is read (Parquet reads only those columns from disk); ``filter`` is a
    ``pyarrow.dataset`` expression, e.g. ``pyarrow.dataset.field("source_type") == "anonymous"``.
    """
    import pyarrow as pa

    for batch in _batches(out, name, columns, filter, batch_rows):
        yield _to_pandas(pa.Table.from_batches([batch]), name)


def _batches(out, name: str, columns: Sequence[str] | None = None, filter=None, batch_rows: int | None = None):
    # pyarrow's default read-ahead (16 batches of 4 files) would hold most of a run in memory
    for batch in dataset(out, name).to_batches(
        columns=list(columns) if columns else None,
        filter=filter,
        batch_size=batch_rows or _BATCH_ROWS,
        batch_readahead=2,
        fragment_readahead=1,
    ):
        if batch.num_rows:
            yield batch


def read_results(out, columns: dict[str, Sequence[str]] | None = None) -> Frames:
    """The three frames of a run folder in memory (for runs that fit; see :func:`scan_results`).

    ``columns`` optionally maps a frame name to the columns to read, e.g. ``{"articles": [...]}``.
    """
    frames = {}
    for name in FRAME_NAMES:
        cols = (columns or {}).get(name)
        table = dataset(out, name).to_table(columns=list(cols) if cols else None)
        frames[name] = _to_pandas(table, name)
    return Frames(**frames)


def to_dask(out, name: str):
    """One output frame of a run folder as a Dask DataFrame (for group-bys on a cluster)."""
    dd = require_dask().dataframe
    kind, path = _locate(Path(out), name)
    if kind == "parquet":
        return dd.read_parquet(str(path if path.is_file() else path / "*.parquet"))
    types = dtypes(name)
    dates = ["published"] if types.pop("published", None) else []
    return dd.read_csv(str(path), dtype=types, parse_dates=dates, keep_default_na=False, na_values=[""], blocksize=None)


# --- one engine for in-memory frames and run folders -----------------------------------------------
# tally.py writes each metric once against scan / group_totals / count_rows below; whether the rows
# are in memory (Frames) or on disk (a run folder) only changes how batches are read, so both give
# the same tables.


@dataclass(frozen=True, eq=False)
class Selection:
    """A run folder, optionally restricted to some of its articles (``tally.select`` on a folder).

    ``article_ids`` is a ``pyarrow`` string array (compact even for a million ids) or None for
    every article; it becomes a filter pushed into every read.
    """

    out: Path
    article_ids: object = None

    def __repr__(self) -> str:
        n = "every article" if self.article_ids is None else f"{len(self.article_ids):,} articles"
        return f"Selection({str(self.out)!r}, {n})"


def as_source(data) -> Frames | Selection:
    """``data`` as something :func:`scan` reads: in-memory Frames, or a run folder (path or Selection)."""
    if isinstance(data, (Frames, Selection)):
        return data
    if isinstance(data, (str, os.PathLike)):
        if not str(data):
            raise AnalysisError("analysis: no results folder given; pass the --out folder of 'analysis extract'")
        return Selection(Path(data))
    raise TypeError(f"expected Frames or a results folder, not {type(data).__name__}")


def _allowed(value) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list, set, frozenset)) else (value,)


def _mask(df: pd.DataFrame, where: dict) -> pd.Series:
    keep = pd.Series(True, index=df.index)
    for col, value in where.items():
        values = _allowed(value)
        col_values = df[col] if col in df.columns else pd.Series(pd.NA, index=df.index, dtype=object)
        part = col_values.isin([v for v in values if v is not None])
        if None in values:
            part = part | col_values.isna()
        keep &= part.fillna(False).astype(bool)
    return keep


def _expression(where: dict | None, article_ids=None):
    import pyarrow.dataset as ds

    expr = None
    for col, value in (where or {}).items():
        values = _allowed(value)
        part = ds.field(col).isin([v for v in values if v is not None])
        if None in values:
            part = part | ds.field(col).is_null()
        expr = part if expr is None else expr & part
    if article_ids is not None:
        part = ds.field("article_id").isin(article_ids)
        expr = part if expr is None else expr & part
    return expr


def scan(
    data, name: str, columns: Sequence[str] | None = None, where: dict | None = None, batch_rows: int | None = None
) -> Iterator[pd.DataFrame]:
    """Batches of one frame of ``data`` (Frames, a run folder or a :class:`Selection`).

    ``where`` maps a column to the value, or tuple of values, a row must have (None in the tuple:
    or missing), e.g. ``{"source_type": ("anonymous", "vague")}``. On a folder it is a pyarrow
    filter, so only matching rows and the named ``columns`` ever reach pandas. In memory the frame
    is one batch; a hand-built frame lacking a tally column counts zero there.
    """
    src = as_source(data)
    if isinstance(src, Selection):
        yield from scan_results(src.out, name, columns, _expression(where, src.article_ids), batch_rows)
        return
    df = getattr(src, name)
    if where:
        df = df[_mask(df, where)]
    cols = list(columns) if columns is not None else list(df.columns)
    absent = [c for c in cols if c not in df.columns]
    df = df.reindex(columns=cols)  # a copy: callers may add key columns
    for c in absent:
        if c.startswith("n_"):
            df[c] = 0
    if len(df):
        yield df.reset_index(drop=True)


def frame_columns(data, name: str) -> list[str]:
    """The columns one frame of ``data`` has (read from the file schema for a folder)."""
    src = as_source(data)
    if isinstance(src, Selection):
        return list(dataset(src.out, name).schema.names)
    return list(getattr(src, name).columns)


def read_rows(data, name: str, columns: Sequence[str] | None = None, where: dict | None = None) -> pd.DataFrame:
    """The matching rows of one frame as one pandas frame (evidence: keep ``where`` selective)."""
    parts = list(scan(data, name, columns, where))
    if parts:
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    src = as_source(data)
    if isinstance(src, Selection):
        cols = list(columns) if columns is not None else frame_columns(src, name)
        return empty(name).reindex(columns=cols)
    df = getattr(src, name)
    return df.iloc[0:0].reindex(columns=list(columns) if columns is not None else list(df.columns))


def head(data, name: str, n: int = 5) -> pd.DataFrame:
    """The first ``n`` rows of one frame (reads one small batch of a folder, not the frame)."""
    for batch in scan(data, name, batch_rows=n):
        return batch.head(n)
    return read_rows(data, name)


# --- streamed group-bys ----------------------------------------------------------------------------
# Rows are grouped and counted in Arrow (hash group-by), batch by batch, and the partial groups are
# folded in Arrow; only final groups become pandas, so no attribution or hedge row ever becomes
# Python objects. Article keys (outlet, month) are looked up per article after a batch is counted
# per article. In-memory frames take the same path (one batch, converted to Arrow).

_ALL = "_all"  # the one group of a group-by over nothing


def _tables(data, name: str, columns: Sequence[str], where: dict | None = None):
    """Arrow tables (batches) of one frame with ``columns``, filtered by ``where``."""
    import pyarrow as pa

    src = as_source(data)
    if isinstance(src, Selection):
        for batch in _batches(src.out, name, columns, _expression(where, src.article_ids)):
            yield pa.Table.from_batches([batch])
        return
    for df in scan(src, name, columns, where):
        if "published" in df.columns:  # as the readers give it: naive UTC datetimes
            when = pd.to_datetime(df["published"], errors="coerce", utc=True, format="mixed")
            df["published"] = when.dt.tz_localize(None).astype("datetime64[us]")
        yield pa.Table.from_pandas(df, preserve_index=False)


def _with_keys(table, by: Iterable[str]):
    """``table`` with the period keys of ``by`` derived from ``published``, keys of no type as text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for key in by:
        if key in PERIODS and key not in table.column_names:
            when = table["published"]
            if pa.types.is_timestamp(when.type):
                text = pc.strftime(when.cast(pa.timestamp(when.type.unit)), format=PERIODS[key])
            else:  # no dates at all (a column of nulls)
                text = pa.nulls(table.num_rows, pa.string())
            table = table.append_column(key, text)
    for key in by:
        i = table.schema.get_field_index(key)
        if pa.types.is_null(table.schema.field(i).type) or key == "article_id":
            table = table.set_column(i, key, table[key].cast(pa.string()))
    return table


def _aggregate(table, keys: list[str], sums: list[str], count: bool = True):
    """Arrow group-by of ``table`` on ``keys``: the ``sums``, and ``n`` (rows, or summed when not ``count``)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if _ALL not in table.column_names:
        table = table.append_column(_ALL, pa.array(np.zeros(table.num_rows, dtype=np.int8)))
    every = pc.ScalarAggregateOptions(min_count=0)  # a group of missing values sums to 0
    aggs = [(c, "sum", every) for c in (sums if count else [*sums, "n"])]
    out = table.group_by(keys, use_threads=False).aggregate([*aggs, *([([], "count_all")] if count else [])])
    names = {**{f"{c}_sum": c for c, _, _ in aggs}, "count_all": "n"}
    return out.rename_columns([names.get(c, c) for c in out.column_names])


def _pandas(table) -> pd.DataFrame:
    import pyarrow as pa

    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}.get)


def _to_frame(table, keys: list[str]) -> pd.DataFrame:
    return _pandas(table).set_index(keys)


def _grouped(table, keys: list[str], sums: list[str]) -> pd.DataFrame:
    """One batch's groups as pandas: ``keys`` as index, the ``sums`` and the row count ``n``."""
    return _to_frame(_aggregate(table, keys, sums), keys)[[*sums, "n"]]


def _source_cols(by: Sequence[str], have: Iterable[str] = ()) -> list[str]:
    have = set(have)
    return sorted({"published" if k in PERIODS and k not in have else k for k in by})


def scan_articles(
    data, by: Sequence[str], columns: Sequence[str] = (), where: dict | None = None
) -> Iterator[pd.DataFrame]:
    """Pandas batches of ``articles`` with ``columns`` and the group keys ``by`` (periods derived)."""
    by = list(by)
    read = list(dict.fromkeys([*_source_cols(by, frame_columns(data, "articles")), *columns]))
    for table in _tables(data, "articles", read, where):
        yield _pandas(_with_keys(table, by))


def _reduce(parts: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    both = pd.concat(parts)
    return both.groupby(level=list(range(len(keys))), dropna=False).sum()


def _fold(tables, keys: list[str], sums: list[str]):
    """The groups of every table, as one Arrow table (None when there were no rows).

    Partial groups stay in Arrow (compact even when there are millions, e.g. speaker x article)
    and are folded there; only final groups become pandas.
    """
    import pyarrow as pa

    parts = []
    for table in tables:
        parts.append(_aggregate(table, keys, sums))
        if len(parts) > 16:  # fold partial results so their number stays small
            parts = [_aggregate(pa.concat_tables(parts), keys, sums, count=False)]
    return _aggregate(pa.concat_tables(parts), keys, sums, count=False) if parts else None


def _folded(tables, keys: list[str], sums: list[str], values: list[str], by: list[str]) -> pd.DataFrame:
    folded = _fold(tables, keys, sums)
    parts = [] if folded is None else [_to_frame(folded, keys)[[*sums, "n"]]]
    return _fold_finish(parts, keys, values, by)


def _fold_finish(parts: list[pd.DataFrame], keys: list[str], values: list[str], by: list[str]) -> pd.DataFrame:
    if not parts:
        out = pd.DataFrame({c: pd.Series(dtype="int64") for c in values})
        return out.reindex(columns=[*by, *values]) if by else out
    out = _reduce(parts, keys).reset_index().rename(columns={"n": values[0]} if values[0] != "n" else {})
    out = out.drop(columns=[c for c in out.columns if c == _ALL])[[*by, *values]]
    return out.sort_values(by, na_position="last", ignore_index=True) if by else out.reset_index(drop=True)


def group_totals(
    data, by: Sequence[str] = ("outlet",), sums: Sequence[str] | None = None, where: dict | None = None
) -> pd.DataFrame:
    """Per-group sums of the per-article tally columns of ``articles``, plus ``n_articles``.

    ``by`` names article columns (``outlet``, ``title`` ...) or periods of ``published``
    (``year``, ``month``/``period``, ``day``); ``by=()`` totals everything in one row. Articles
    without a value form their own group (NA), they are never dropped. Streams the articles frame
    batch by batch: memory holds one batch and the groups.
    """
    by = list(by)
    sums = list(sums) if sums is not None else [c for c in TALLY_COLUMNS if c.startswith("n_")]
    read = list(dict.fromkeys([*_source_cols(by, frame_columns(data, "articles")), *sums]))
    tables = (_with_keys(t, by) for t in _tables(data, "articles", read, where))
    return _folded(tables, [*by, _ALL], sums, ["n_articles", *sums], by)


def _article_lookup(data, keys: list[str]) -> pd.DataFrame:
    """The article keys (periods derived) of every article, indexed by ``article_id``."""
    parts = [b[["article_id", *keys]] for b in scan_articles(data, keys, ["article_id"])]
    if not parts:
        return pd.DataFrame(columns=keys, index=pd.Index([], name="article_id", dtype=pd.StringDtype()))
    return pd.concat(parts, ignore_index=True).set_index("article_id")


def count_rows(
    data, name: str, by: Sequence[str], where: dict | None = None, distinct: str | None = None
) -> pd.DataFrame:
    """Rows of ``attributions`` or ``hedges`` per group, tidy: ``*by, n``.

    ``by`` may mix the frame's own columns (``source_type``, ``cue_lemma``, ``category``,
    ``voice``, ``article_id`` ...) with article columns (``outlet``) and periods (``month``).
    Those are looked up by ``article_id`` (one small row per article in memory) after each batch
    is counted per article in Arrow, so the lookup sees a few thousand rows, not every row.
    ``distinct`` (one of the frame's columns, e.g. ``article_id``) adds ``n_distinct``: how many
    different values of it the group's rows have.
    """
    by = list(by)
    inner = [*by, distinct] if distinct and distinct not in by else by
    values = ["n", "n_distinct"] if distinct else ["n"]
    own = [k for k in inner if k in set(frame_columns(data, name))]
    article_keys = [k for k in inner if k not in own]
    if not article_keys:
        tables = (_with_keys(t, own) for t in _tables(data, name, own or ["article_id"], where))
        folded = _fold(tables, [*inner, _ALL], [])
        if folded is None:
            return _fold_finish([], [*by, _ALL], values, by)
        if distinct:
            folded = folded.group_by([*by, _ALL], use_threads=False).aggregate([("n", "sum"), ([], "count_all")])
            folded = folded.rename_columns(
                [{"n_sum": "n", "count_all": "n_distinct"}.get(c, c) for c in folded.column_names]
            )
        return _fold_finish([_to_frame(folded, [*by, _ALL])[values]], [*by, _ALL], values, by)
    lookup = _article_lookup(data, article_keys)
    per_article = [*dict.fromkeys(["article_id", *own]), _ALL]
    parts: list[pd.DataFrame] = []
    for table in _tables(data, name, sorted(set(per_article) - {_ALL}), where):
        counts = _grouped(_with_keys(table, per_article[:-1]), per_article, []).reset_index()
        found = lookup.reindex(pd.Index(counts["article_id"]))  # NA: an article missing from articles
        for key in article_keys:
            counts[key] = found[key].array
        parts.append(counts.groupby([*inner, _ALL], dropna=False)[["n"]].sum())
        if len(parts) > 16:
            parts = [_reduce(parts, [*inner, _ALL])]
    if distinct and parts:
        both = _reduce(parts, [*inner, _ALL]).reset_index()
        parts = [both.groupby([*by, _ALL], dropna=False).agg(n=("n", "sum"), n_distinct=("n", "size"))]
    return _fold_finish(parts, [*by, _ALL], values, by)
