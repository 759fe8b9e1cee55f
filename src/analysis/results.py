"""The outputs of an extraction run: their column types, reading them back, and tallies over them.

``analysis extract --out DIR`` writes three frames, each either as one CSV file
(``DIR/attributions.csv``) or as Parquet partitions (``DIR/attributions/part-00000.parquet`` ...).
Small runs are read into pandas with :func:`read_results`; large runs are scanned batch by batch
through ``pyarrow.dataset`` (:func:`scan_results`) and aggregated per group (:func:`group_totals`,
:func:`source_type_counts`, :func:`hedge_rates`, :func:`count_rows`) so that memory holds one batch
and the groups, never every row.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd

from analysis.extract import (ARTICLE_META, ATTRIBUTION_COLUMNS, BOOL_COLUMNS, HEDGE_COLUMNS,
                              INT_COLUMNS, SOURCE_TYPES, Frames, article_tallies)
from analysis.errors import AnalysisError

FRAME_NAMES = ("attributions", "hedges", "articles")
# Keys derived from ``published`` for per-period tallies.
# ``period`` is the name tally.py gives the month.
PERIODS = {"year": "%Y", "month": "%Y-%m", "period": "%Y-%m", "day": "%Y-%m-%d"}
_BATCH_ROWS = 65_536


def _tally_dtypes() -> dict[str, str]:
    # The tally columns are whatever article_tallies returns: ask it rather than repeat the list.
    row = article_tallies("", "", [], [])
    return {k: "float64" if isinstance(v, float) else "int64" for k, v in row.items() if k != "article_id"}


ARTICLE_COLUMNS = ["article_id", *ARTICLE_META, *_tally_dtypes()]


def columns(name: str) -> list[str]:
    """The contract columns of one output frame, in order."""
    if name == "attributions":
        return list(ATTRIBUTION_COLUMNS)
    if name == "hedges":
        return list(HEDGE_COLUMNS)
    if name == "articles":
        return list(ARTICLE_COLUMNS)
    raise ValueError(f"unknown frame {name!r}; expected one of {FRAME_NAMES}")


def dtypes(name: str) -> dict[str, object]:
    """pandas dtypes of the contract columns."""
    out: dict[str, object] = {}
    tallies = _tally_dtypes() if name == "articles" else {}
    for c in columns(name):
        if c == "published":  # corpus.py parses it to naive UTC datetimes
            out[c] = "datetime64[us]"
        elif c in tallies:
            out[c] = tallies[c]
        elif c in INT_COLUMNS:
            out[c] = "Int64"
        elif c in BOOL_COLUMNS:
            out[c] = "boolean"
        else:
            out[c] = pd.StringDtype()
    return out


def conform(df: pd.DataFrame, name: str, extras: bool = True) -> pd.DataFrame:
    """``df`` with every contract column present, in contract order, with contract dtypes.

    Columns an engine adds beyond the contract are kept after the contract columns (``extras``), or
    left out where a fixed schema is needed up front (Dask ``meta``).
    """
    cols = columns(name)
    rest = [c for c in df.columns if c not in cols] if extras else []
    df = df.reindex(columns=cols + rest)  # a new frame; absent columns come in empty
    types = dtypes(name)
    for c in rest:  # extras: the nullable dtypes a CSV or Parquet file reads back as
        types[c] = _nullable(df[c])
    for c, t in types.items():
        if t is not None and df[c].dtype != t:
            df[c] = df[c].astype(t)
    return df.reset_index(drop=True)


def _nullable(col: pd.Series):
    if pd.api.types.is_bool_dtype(col):
        return "boolean"
    if pd.api.types.is_integer_dtype(col):
        return "Int64"
    if pd.api.types.is_string_dtype(col) and not col.isna().all():
        return pd.StringDtype()
    return None


def empty(name: str) -> pd.DataFrame:
    """A zero-row frame with the contract columns and dtypes (Dask ``meta``)."""
    return conform(pd.DataFrame(), name)


# --- locating and reading -------------------------------------------------------------------------

def _locate(out: Path, name: str) -> tuple[str, Path]:
    parts, csv = out / name, out / f"{name}.csv"
    found = {"parquet": parts if parts.is_dir() and any(parts.glob("*.parquet")) else None,
             "csv": csv if csv.is_file() else None}
    # Parquet reads faster; but if the last run wrote CSV, an older run's Parquet must not win.
    for kind in (("csv", "parquet") if _run_format(out) == "csv" else ("parquet", "csv")):
        if found[kind]:
            return kind, found[kind]
    raise AnalysisError(
        f"analysis: {out}: no {name} output (neither {name}.csv nor {name}/*.parquet); "
        f"run 'analysis extract CORPUS --out {out}' first")


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
        files = sorted(str(p) for p in path.glob("*.parquet"))
        # A column that is empty in one partition is stored as type null there: unify, don't fail.
        schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
        return ds.dataset(files, schema=schema, format="parquet")
    types = {c: _arrow_type(t) for c, t in dtypes(name).items()}
    fmt = ds.CsvFileFormat(
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        # Only an empty field is missing: a speaker called "NA" or a hedge "None" stays text.
        convert_options=pacsv.ConvertOptions(column_types=types, null_values=[""],
                                             strings_can_be_null=True, quoted_strings_can_be_null=False))
    return ds.dataset(str(path), format=fmt)


def _to_pandas(table, name: str) -> pd.DataFrame:
    import pyarrow as pa
    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(),
               pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}
    df = table.to_pandas(types_mapper=mapping.get)
    keep = set(df.columns)
    types = {c: t for c, t in dtypes(name).items() if c in keep}
    return df.astype(types) if types else df


def scan_results(out, name: str, columns: Sequence[str] | None = None, filter=None,
                 batch_rows: int | None = None) -> Iterator[pd.DataFrame]:
    """Batches (pandas frames of at most ``batch_rows`` rows) of one output frame, in file order.

    ``columns`` limits what is read (Parquet reads only those columns from disk); ``filter`` is a
    ``pyarrow.dataset`` expression, e.g. ``pyarrow.dataset.field("source_type") == "anonymous"``.
    """
    import pyarrow as pa
    d = dataset(out, name)
    for batch in d.to_batches(columns=list(columns) if columns else None, filter=filter,
                              batch_size=batch_rows or _BATCH_ROWS):
        if batch.num_rows:
            yield _to_pandas(pa.Table.from_batches([batch]), name)


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
    from analysis.parallel import require_dask
    dd = require_dask().dataframe
    kind, path = _locate(Path(out), name)
    if kind == "parquet":
        return dd.read_parquet(str(path / "*.parquet"))
    types = dtypes(name)
    dates = ["published"] if types.pop("published", None) else []
    return dd.read_csv(str(path), dtype=types, parse_dates=dates, keep_default_na=False, na_values=[""],
                       blocksize=None)


# --- tallies at scale ----------------------------------------------------------------------------

def _with_periods(df: pd.DataFrame, by: Iterable[str]) -> pd.DataFrame:
    for key in by:
        if key in PERIODS and key not in df.columns:
            when = pd.to_datetime(df["published"], errors="coerce", utc=True, format="mixed")
            df[key] = when.dt.strftime(PERIODS[key]).astype(pd.StringDtype())
    return df


def _source_cols(by: Sequence[str]) -> list[str]:
    return sorted({"published" if k in PERIODS else k for k in by})


def _reduce(parts: list[pd.DataFrame], by: list[str]) -> pd.DataFrame:
    both = pd.concat(parts)
    return both.groupby(level=list(range(len(by))), dropna=False).sum()


def group_totals(out, by: Sequence[str] = ("outlet",), sums: Sequence[str] | None = None,
                 filter=None) -> pd.DataFrame:
    """Per-group sums of the per-article tally columns of ``articles``, plus ``n_articles``.

    ``by`` names article columns (``outlet``, ``title`` ...) or periods of ``published``
    (``year``, ``month``, ``day``); articles without a value form their own group (NA), they are
    never dropped. Streams the articles frame batch by batch: memory holds one batch and the groups.
    """
    by = list(by)
    sums = list(sums) if sums is not None else [c for c in _tally_dtypes() if c.startswith("n_")]
    parts: list[pd.DataFrame] = []
    for batch in scan_results(out, "articles", columns=[*_source_cols(by), *sums], filter=filter):
        batch = _with_periods(batch, by)
        batch["n_articles"] = 1
        parts.append(batch.groupby(by, dropna=False)[["n_articles", *sums]].sum())
        if len(parts) > 16:  # fold partial results so their number stays small
            parts = [_reduce(parts, by)]
    if not parts:
        return pd.DataFrame(columns=[*by, "n_articles", *sums])
    return _reduce(parts, by).reset_index().sort_values(by, na_position="last", ignore_index=True)


def source_type_counts(out, by: Sequence[str] = ("outlet",), filter=None) -> pd.DataFrame:
    """Attributions per source type and group, tidy: ``*by, source_type, n_attributions, share``."""
    cols = {f"n_source_{t}": t for t in SOURCE_TYPES}
    wide = group_totals(out, by, sums=list(cols), filter=filter)
    long = wide.melt(id_vars=list(by), value_vars=list(cols), var_name="source_type",
                     value_name="n_attributions")
    long["source_type"] = long["source_type"].map(cols)
    total = long.groupby(list(by), dropna=False)["n_attributions"].transform("sum")
    long["share"] = (long["n_attributions"] / total.where(total > 0)).astype("float64")
    return long.sort_values([*by, "source_type"], na_position="last", ignore_index=True)


def hedge_rates(out, by: Sequence[str] = ("outlet",), filter=None) -> pd.DataFrame:
    """Hedges per 1,000 words per group, pooled over the group's words (not a mean of rates)."""
    sums = ["n_words", "n_hedges", "n_hedges_reporter", "n_hedges_source"]
    df = group_totals(out, by, sums=sums, filter=filter)
    words = df["n_words"].where(df["n_words"] > 0)
    for col, n in (("hedges_per_1k_words", "n_hedges"),
                   ("reporter_hedges_per_1k_words", "n_hedges_reporter")):
        df[col] = (1000.0 * df[n] / words).astype("float64")
    return df


def count_rows(out, name: str, by: Sequence[str], filter=None) -> pd.DataFrame:
    """Rows of ``attributions`` or ``hedges`` per group, tidy: ``*by, n``.

    ``by`` may mix the frame's own columns (``source_type``, ``cue_lemma``, ``category``,
    ``voice`` ...) with article columns (``outlet``) and periods (``month``), which are looked up
    by ``article_id`` from the articles frame (one small row per article held in memory).
    """
    by = list(by)
    own = set(dataset(out, name).schema.names)
    article_keys = [k for k in by if k not in own]
    lookup = None
    if article_keys:
        parts = [_with_periods(b, article_keys)[["article_id", *article_keys]]
                 for b in scan_results(out, "articles",
                                       columns=["article_id", *_source_cols(article_keys)])]
        lookup = pd.concat(parts).set_index("article_id") if parts else None
    read = ["article_id", *[k for k in by if k in own]] if article_keys else [k for k in by if k in own]
    counts: list[pd.DataFrame] = []
    for batch in scan_results(out, name, columns=read, filter=filter):
        if lookup is not None:
            batch = batch.join(lookup, on="article_id")
        counts.append(batch.groupby(by, dropna=False).size().to_frame("n"))
        if len(counts) > 16:
            counts = [_reduce(counts, by)]
    if not counts:
        return pd.DataFrame(columns=[*by, "n"])
    return _reduce(counts, by).reset_index().sort_values(by, na_position="last", ignore_index=True)
