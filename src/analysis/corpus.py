"""Loading a corpus: a folder of .txt files, or a .csv / .jsonl / .parquet file of articles.

A corpus frame has the columns ``article_id`` (str) and ``text`` (str, exactly as read: every
offset downstream indexes into it, so nothing here strips, normalises or re-encodes it), then
whichever of ``outlet``, ``published``, ``title``, ``url`` are present, then any extra columns in
the order of the file.

Inputs:

- a folder of ``.txt`` files (or one ``.txt`` file): one article per file, ``article_id`` is the
  file name without ``.txt``; the text is the file's bytes decoded as strict UTF-8, so ``\\r\\n``
  and a byte-order mark stay as they are. Other files in the folder are ignored.
- ``.csv``: UTF-8, a header row, columns ``article_id`` and ``text`` at least. Every cell is read
  as text ("NA", "null" and "" stay what they are). **Row numbers in messages count the header
  as row 1**, one row per record, as a spreadsheet shows it (a cell holding line breaks is still
  one row). Fully blank rows are not articles and are passed over (they still count as rows).
- ``.jsonl`` (or ``.ndjson``): one JSON object per line; **messages give the line number**
  (1-based). Blank lines are passed over.
- ``.parquet``: columns ``article_id`` and ``text`` at least; messages give the 1-based row.

Each problem is an ``AnalysisError`` of one line naming the file, the row or line and the fix.
With ``on_error="skip"`` a bad row is left out instead, printed as one line on stderr and listed
in ``df.attrs["skipped"]`` as ``(file, where, reason)`` tuples; nothing is dropped silently.
Problems with a whole file (missing path, unknown format, missing column, a header that is not
UTF-8, a CSV that cannot be parsed) always stop, as there is no row to skip. A CSV row holding bytes
that are not UTF-8 (a Latin-1 or Windows-1252 export) is a bad row like any other: named by its
spreadsheet row, skipped with ``on_error="skip"``.

``published`` is parsed to a datetime (naive, UTC: a time with an offset is converted, a time
without one is taken as it is); an empty cell is missing (NaT), a cell that is not a date is an
error. Where ``outlet`` is absent or empty and ``url`` is present, the outlet is derived from the
URL's domain with the ``outlets`` lexicon; an unknown domain becomes the bare domain.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from analysis.errors import AnalysisError
from analysis.lexicon import load_lexicon

REQUIRED_COLUMNS = ("article_id", "text")
# Same list as extract.ARTICLE_META (a test keeps them equal); defined here because loading
# comes before extraction in the data flow.
META_COLUMNS = ("outlet", "published", "title", "url")
_FORMATS = "a folder of .txt files, or a .csv, .jsonl or .parquet file"
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".txt": "txt"}
# Internal columns carried from the readers to the validation, dropped before a chunk is yielded.
_WHERE, _BAD = "_where", "_bad"  # _where: (file, "row 17" / "line 5" / "")
_BAD_PUBLISHED = "_published_raw"  # the cell as written, kept for the message until validation ends
_UTF8_FIX = "re-save the file as UTF-8"

Skipped = tuple[str, str, str]  # (file, "row 17" / "line 5" / "" for a .txt file, reason)

# An article this large holds up one worker for a minute or more (extraction runs at about 1 MB of
# text in 5 s, and one article is never split), so it is named on stderr before the run reaches it.
LARGE_ARTICLE_BYTES = 5_000_000


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 article', '2 articles', '3,788 articles': a count for a message, in good English."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def _a(word: str) -> str:
    """'a str', 'an int64': the indefinite article a message needs before ``word``."""
    return f"{'an' if word[:1].lower() in 'aeio' else 'a'} {word}"


def large_articles(chunk: pd.DataFrame, limit: int | None = None) -> list[tuple[str, int]]:
    """(article_id, size in UTF-8 bytes) of each article of ``chunk`` above ``limit`` (default
    ``LARGE_ARTICLE_BYTES``) bytes."""
    limit = LARGE_ARTICLE_BYTES if limit is None else limit
    lengths = chunk["text"].str.len()
    # a character is 1 to 4 bytes: only the texts that might be over the limit are encoded
    maybe = chunk.loc[lengths >= limit // 4, ["article_id", "text"]]
    sizes = [(str(aid), len(text.encode("utf-8", "surrogatepass"))) for aid, text in maybe.itertuples(index=False)]
    return [(aid, size) for aid, size in sizes if size > limit]


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1_000_000 else f"{n / 1e3:,.1f} kB"


def large_article_warning(article_id: str, size: int) -> str:
    """The one line said (on stderr) before an article of ``size`` bytes (see ``large_articles``) is extracted."""
    return (
        f"analysis: article {article_id!r} is {_size(size)} of text: it is extracted in one piece "
        "(roughly 5 s per MB), so the progress bar stands still meanwhile"
    )


# --------------------------------------------------------------------------------------------
# Outlets from URLs


def outlet_names() -> dict[str, str]:
    """URL domain -> outlet name, from the ``outlets`` lexicon."""
    return {row["cue"].lower(): row["outlet"] for row in load_lexicon("outlets")}


_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")


def url_domain(url: str) -> str:
    """The host of ``url``, lower case, without ``www.`` and port; "" if there is none."""
    s = str(url).strip()
    if not s:
        return ""
    if "://" not in s:
        s = "//" + s  # "www.bbc.co.uk/news" has no scheme; urlsplit needs the // to see a host
    try:
        host = urlsplit(s).hostname or ""
    except ValueError:
        return ""
    if not _HOST.fullmatch(host):  # "not a url" has no domain; a bare word is no outlet either
        return ""
    return host[4:] if host.startswith("www.") else host


def outlet_from_url(url: str, names: dict[str, str] | None = None) -> str:
    """The outlet publishing ``url``: the ``outlets`` lexicon entry for its domain or a parent
    domain (``europe.chinadaily.com.cn`` -> China Daily), else the bare domain; "" without a URL."""
    host = url_domain(url)
    if not host:
        return ""
    names = outlet_names() if names is None else names
    parts = host.split(".")
    for i in range(len(parts) - 1):
        hit = names.get(".".join(parts[i:]))
        if hit:
            return hit
    return host


# --------------------------------------------------------------------------------------------
# Readers: each yields raw chunks with the internal columns _where (file + row/line, for
# messages) and _bad (a reason the record could not even be read, else None).


def _read_txt(files: list[Path], chunksize: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(files), chunksize):
        records = []
        for f in files[start : start + chunksize]:
            rec = {"article_id": f.stem, "text": None, _WHERE: (str(f), ""), _BAD: None}
            try:
                rec["text"] = f.read_bytes().decode("utf-8")
                if not rec["text"].strip():
                    rec[_BAD] = "the file is empty or only whitespace; add the article text or remove the file"
            except UnicodeDecodeError as err:
                rec[_BAD] = f"byte {err.start} is not valid UTF-8; {_UTF8_FIX}"
            except OSError as err:
                rec[_BAD] = f"cannot be read ({err.strerror}); check its permissions"
            records.append(rec)
        yield pd.DataFrame.from_records(records)


def _csv_error(path: Path, err: Exception) -> AnalysisError:
    detail = str(err).replace("Error tokenizing data. C error: ", "").strip()
    return AnalysisError(f"analysis: {path}: cannot parse the CSV ({detail}); check the quotes and commas there")


# A CSV is decoded with surrogateescape: each byte that is not UTF-8 becomes one lone surrogate
# (U+DC80..U+DCFF), which strict UTF-8 can never produce. So the parser still sees every quote and
# comma, the undecodable cells are found by row (as a spreadsheet numbers them), and on_error="skip"
# can leave out just those rows instead of the whole file.
_UNDECODED = re.compile("[\udc80-\udcff]")


def _undecodable(cell: str, column: str) -> str:
    """Why ``cell`` (holding an escaped byte) is unusable: the byte, what it is in Latin-1, where."""
    m = _UNDECODED.search(cell)
    byte = ord(m.group()) - 0xDC00
    before = _UNDECODED.sub("\ufffd", cell[max(0, m.start() - 20) : m.start()])
    after = f" after {before!r}" if before else " at its start"
    return (
        f"column {column!r} is not valid UTF-8 (byte 0x{byte:02X}, {bytes([byte]).decode('latin-1')!r} in Latin-1,"
        f"{after}); {_UTF8_FIX}"
    )


def _flag_undecodable(chunk: pd.DataFrame) -> pd.DataFrame:
    """Rows with an escaped byte get a reason in ``_BAD``; every column becomes a pandas str column."""
    for col in [c for c in chunk.columns if c not in (_WHERE, _BAD)]:
        cells = chunk[col]
        hit = cells.str.contains(_UNDECODED, regex=True)
        if hit.any():
            first = hit & chunk[_BAD].isna()
            chunk.loc[first, _BAD] = [_undecodable(c, str(col)) for c in cells[first]]
            # the row is reported and dropped; its cells only need to survive the str conversion
            chunk[col] = cells.str.replace(_UNDECODED, "\ufffd", regex=True)
        chunk[col] = chunk[col].astype(str)
    return chunk


def _read_csv(path: Path, chunksize: int) -> Iterator[pd.DataFrame]:
    opts = {
        "dtype": object,  # python str can hold the escaped bytes; converted to str once flagged
        "keep_default_na": False,
        "na_filter": False,
        "encoding": "utf-8",
        "encoding_errors": "surrogateescape",
    }
    try:
        header = pd.read_csv(path, nrows=0, **opts).columns
    except pd.errors.EmptyDataError:
        raise AnalysisError(
            f"analysis: {path}: the file is empty; it needs a header row with article_id,text and one row per article"
        ) from None
    except pd.errors.ParserError as err:
        raise _csv_error(path, err) from None
    except UnicodeEncodeError:  # an escaped byte in a column name (pandas makes the names Arrow strings)
        with path.open("rb") as fh:  # no row to skip: the header is the whole file's
            first = fh.readline().decode("utf-8", "surrogateescape").rstrip("\r\n")
        reason = _undecodable(first, "header").split(" is not valid UTF-8 ", 1)[1]
        raise AnalysisError(f"analysis: {path} row 1: the header is not valid UTF-8 {reason}") from None
    _check_columns(path, list(header))
    # Blank lines are kept so that row numbers match the file; blank rows are dropped below.
    reader = None
    while True:
        try:
            if reader is None:  # pandas may parse the first rows already when it opens the file
                reader = pd.read_csv(path, chunksize=chunksize, skip_blank_lines=False, **opts)
            chunk = next(reader)
        except StopIteration:
            return
        except pd.errors.ParserError as err:
            raise _csv_error(path, err) from None
        chunk = chunk[(chunk != "").any(axis=1)]
        chunk.insert(0, _WHERE, [(str(path), f"row {i + 2}") for i in chunk.index])  # +1 header, +1 one-based
        chunk.insert(1, _BAD, None)
        yield _flag_undecodable(chunk.reset_index(drop=True))


def _read_jsonl(path: Path, chunksize: int) -> Iterator[pd.DataFrame]:
    records: list[dict] = []
    offset = 0
    with path.open("rb") as fh:  # bytes, so that one undecodable line is reported as that line
        for lineno, raw in enumerate(fh, start=1):
            where = (str(path), f"line {lineno}")
            line_start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            rec: dict = {_WHERE: where, _BAD: None}
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as err:
                rec[_BAD] = f"byte {line_start + err.start} is not valid UTF-8; {_UTF8_FIX}"
            except json.JSONDecodeError as err:
                # json's "Unterminated string starting at" already ends in "at"
                msg = err.msg.removesuffix(" at")
                rec[_BAD] = f"not valid JSON ({msg} at column {err.colno}); fix or remove the line"
            else:
                if not isinstance(obj, dict):
                    rec[_BAD] = (
                        f"is a JSON {type(obj).__name__}, not an object; "
                        'write one {"article_id": ..., "text": ...} object per line'
                    )
                else:
                    missing = [c for c in REQUIRED_COLUMNS if c not in obj]
                    if missing:
                        rec[_BAD] = (
                            f"no field {', '.join(repr(c) for c in missing)} (fields found: "
                            f"{', '.join(obj) or 'none'}); every line needs article_id and text"
                        )
                    else:
                        rec.update({k: v for k, v in obj.items() if k not in (_WHERE, _BAD)})
                        aid = rec["article_id"]
                        if aid is not None and not isinstance(aid, str):
                            rec["article_id"] = str(aid)  # 12 -> "12" before pandas can make it 12.0
            records.append(rec)
            if len(records) >= chunksize:
                yield pd.DataFrame.from_records(records)
                records = []
    if records:
        yield pd.DataFrame.from_records(records)


def _read_parquet(path: Path, chunksize: int) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    def unreadable(err: Exception) -> AnalysisError:
        detail = " ".join(str(err).split()) or type(err).__name__
        return AnalysisError(
            f"analysis: {path}: cannot read it as Parquet ({detail}); "
            "check that the file is complete and really Parquet"
        )

    try:
        pf = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several types (ArrowInvalid, OSError, ...)
        raise unreadable(err) from None
    _check_columns(path, list(pf.schema_arrow.names))
    done = 0
    batches = pf.iter_batches(batch_size=chunksize)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except Exception as err:
            raise unreadable(err) from None
        ids = batch.column("article_id")
        if not pa.types.is_string(ids.type) and not pa.types.is_large_string(ids.type):
            # Cast in Arrow: an integer id column with nulls would otherwise become floats (12.0).
            batch = batch.set_column(
                batch.schema.get_field_index("article_id"), "article_id", pc.cast(ids, pa.string())
            )
        chunk = batch.to_pandas()
        chunk.insert(0, _WHERE, [(str(path), f"row {done + i + 1}") for i in range(len(chunk))])
        chunk.insert(1, _BAD, None)
        done += len(chunk)
        yield chunk


def _check_columns(path: Path, found: list[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if missing:
        fix = "a corpus needs article_id and text"
        seps = [sep for sep in (";", "\t", "|") if len(found) == 1 and sep in str(found[0])]
        if seps:  # a spreadsheet saved with another separator reads as one long column
            fix = f"the file seems to use {seps[0]!r} between columns; save it as comma-separated CSV"
        raise AnalysisError(
            f"analysis: {path}: missing column {', '.join(repr(c) for c in missing)} "
            f"(columns found: {', '.join(map(str, found)) or 'none'}); {fix}"
        )


def _raw_chunks(path: Path, chunksize: int) -> Iterator[pd.DataFrame]:
    if not path.exists():
        raise AnalysisError(f"analysis: {path}: no such file or folder; check the path")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
        if not files:
            raise AnalysisError(
                f"analysis: {path}: the folder holds no .txt files; "
                "put one article per .txt file there, or pass a .csv, .jsonl or .parquet file"
            )
        return _read_txt(files, chunksize)
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise AnalysisError(f"analysis: {path}: unknown corpus format '{path.suffix}'; use {_FORMATS}")
    if kind == "txt":
        return _read_txt([path], chunksize)
    return {"csv": _read_csv, "jsonl": _read_jsonl, "parquet": _read_parquet}[kind](path, chunksize)


# --------------------------------------------------------------------------------------------
# Validation, shared by every format and by load_corpus / iter_corpus


def _parse_published(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(datetimes, mask of cells that are filled in but are not dates)."""
    if pd.api.types.is_datetime64_any_dtype(col):
        if getattr(col.dt, "tz", None) is not None:
            col = col.dt.tz_convert("UTC").dt.tz_localize(None)
        return col, pd.Series(False, index=col.index)
    text = col.fillna("").str.strip() if _is_text(col) else col.map(lambda v: _as_str(v).strip())
    filled = text != ""
    # ISO first: fast and unambiguous; only the rest goes through the slower per-cell parser.
    parsed = pd.to_datetime(text.where(filled), format="ISO8601", errors="coerce", utc=True)
    retry = filled & parsed.isna()
    if retry.any():
        parsed[retry] = pd.to_datetime(text[retry], format="mixed", errors="coerce", utc=True)
    parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed, filled & parsed.isna()


def _is_text(col: pd.Series) -> bool:
    """A pandas string column: every cell is a str or missing, no per-cell check needed."""
    return isinstance(col.dtype, pd.StringDtype)


def _as_str(v) -> str:
    """A cell as text: missing is "", anything else its str()."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    return v if isinstance(v, str) else str(v)


def _problems(chunk: pd.DataFrame) -> pd.Series:
    """A reason per row that is not a usable article (None where the row is fine), duplicates aside."""
    reasons = chunk[_BAD].astype(object).where(chunk[_BAD].notna(), None)

    def flag(mask: pd.Series, reason) -> None:
        new = mask & reasons.isna()
        if new.any():
            reasons[new] = [reason(i) if callable(reason) else reason for i in chunk.index[new]]

    text = chunk["text"]
    is_str = text.notna() if _is_text(text) else text.map(lambda v: isinstance(v, str)).astype(bool)
    flag(
        ~is_str & text.notna(),
        lambda i: f"column 'text' is {_a(type(text[i]).__name__)}, not a string; quote the text",
    )
    flag(~is_str | (text.where(is_str, "") == ""), "column 'text' is empty; fill it or drop the row")
    flag(text.where(is_str, "").str.strip() == "", "column 'text' is only whitespace; fill it or drop the row")
    ids = chunk["article_id"]
    flag(
        ids.isna() | (ids.astype(str).str.strip() == ""), "column 'article_id' is empty; give every article a unique id"
    )
    if "published" in chunk.columns:
        parsed, bad = _parse_published(chunk["published"])
        chunk["published"] = parsed
        flag(
            bad,
            lambda i: (
                f"column 'published' {str(chunk.loc[i, _BAD_PUBLISHED])!r} is not a date; "
                "write it as YYYY-MM-DD or leave it empty"
            ),
        )
    return reasons


def _validate(chunk: pd.DataFrame, seen: dict[str, str], on_error: str, skipped: list[Skipped]) -> pd.DataFrame:
    for c in REQUIRED_COLUMNS:  # a JSONL chunk whose every line was unreadable has neither
        if c not in chunk.columns:
            chunk[c] = None
    if "published" in chunk.columns:
        chunk[_BAD_PUBLISHED] = chunk["published"]
    reasons = _problems(chunk)
    ids = chunk["article_id"].fillna("") if _is_text(chunk["article_id"]) else chunk["article_id"].map(_as_str)
    # Duplicates are checked in file order among otherwise good rows, across all chunks (seen).
    wheres = chunk[_WHERE].tolist()
    reason_list = reasons.tolist()
    for pos, aid in enumerate(ids.tolist()):
        if reason_list[pos] is not None:
            continue
        if aid in seen:
            reason_list[pos] = (
                f"article_id {aid!r} repeats {_short_where(seen[aid], wheres[pos])}; give every article a unique id"
            )
        else:
            seen[aid] = wheres[pos]
    reasons = pd.Series(reason_list, index=chunk.index, dtype=object)
    bad = reasons.notna()
    if bad.any():
        if on_error == "stop":
            first = chunk.index[bad][0]
            raise AnalysisError(f"analysis: {_place(chunk.loc[first, _WHERE])}: {reasons[first]}")
        for i in chunk.index[bad]:
            where = chunk.loc[i, _WHERE]
            print(f"analysis: skipped {_place(where)}: {reasons[i]}", file=sys.stderr)
            skipped.append((*where, reasons[i]))
    good = chunk.loc[~bad].copy()
    good["article_id"] = ids[~bad].astype(str)
    good["text"] = good["text"].astype(str)
    return _tidy(good)


def _place(where: tuple[str, str]) -> str:
    """('corpus.csv', 'row 7') -> 'corpus.csv row 7'; ('folder/a.txt', '') -> 'folder/a.txt'."""
    file, at = where
    return f"{file} {at}" if at else file


def _short_where(earlier: tuple[str, str], now: tuple[str, str]) -> str:
    """'row 3' when both rows are in the same file, else the full place of the earlier row."""
    return earlier[1] if earlier[0] == now[0] and earlier[1] else _place(earlier)


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    # Missing url, outlet and title cells become "" so that every format gives the same frame.
    for c in ("url", "outlet", "title"):
        if c in df.columns:
            df[c] = df[c].fillna("") if _is_text(df[c]) else df[c].map(_as_str).astype(str)
    if "url" in df.columns:
        blank = df["outlet"].str.strip() == "" if "outlet" in df.columns else pd.Series(True, index=df.index)
        if blank.any():  # an outlet given by the user wins; only empty cells are derived
            names = outlet_names()
            derived = df.loc[blank, "url"].map(lambda u: outlet_from_url(u, names))
            if "outlet" not in df.columns:
                df["outlet"] = derived.astype(str)
            else:
                df.loc[blank, "outlet"] = derived
    meta = [c for c in META_COLUMNS if c in df.columns]
    rest = [c for c in df.columns if c not in (*REQUIRED_COLUMNS, *meta, _WHERE, _BAD, _BAD_PUBLISHED)]
    return df[[*REQUIRED_COLUMNS, *meta, *rest]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Public API


def _validated(path: Path, chunksize: int, on_error: str, skipped: list[Skipped]) -> Iterator[pd.DataFrame]:
    """Validated, non-empty chunks; every skipped row is appended to ``skipped`` as it is met."""
    if on_error not in ("stop", "skip"):
        raise ValueError(f"on_error must be 'stop' or 'skip', not {on_error!r}")
    if chunksize < 1:
        raise ValueError("chunksize must be at least 1")
    seen: dict[str, str] = {}
    n = 0
    for raw in _raw_chunks(path, chunksize):
        if raw.empty:  # a header-only CSV, or a chunk of blank rows
            continue
        chunk = _validate(raw, seen, on_error, skipped)
        if len(chunk):
            n += len(chunk)
            yield chunk
    if n == 0:
        left = f" after skipping {counted(len(skipped), 'bad row')} listed above" if skipped else ""
        raise AnalysisError(
            f"analysis: {path}: no articles{left}; a corpus needs at least one row with article_id and text"
        )


def iter_corpus(path: str | Path, chunksize: int = 1000, on_error: str = "stop") -> Iterator[pd.DataFrame]:
    """Validated chunks of at most ``chunksize`` articles, read as the file streams.

    Article ids are checked for duplicates across chunks. With ``on_error="skip"``, each chunk's
    ``attrs["skipped"]`` lists the rows skipped since the previous chunk; rows skipped after the
    last article come in a final chunk with no rows, so a caller that collects ``attrs["skipped"]``
    from every chunk has the complete list.
    """
    skipped: list[Skipped] = []
    reported = 0
    columns = ["article_id", "text"]
    for chunk in _validated(Path(path), chunksize, on_error, skipped):
        chunk.attrs["skipped"] = skipped[reported:]
        reported = len(skipped)
        columns = list(chunk.columns)
        yield chunk
    if len(skipped) > reported:
        tail = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        tail.attrs["skipped"] = skipped[reported:]
        yield tail


def load_corpus(path: str | Path, on_error: str = "stop") -> pd.DataFrame:
    """The whole corpus as one frame; ``attrs["skipped"]`` lists every skipped row.

    Built on the same reading and validation as ``iter_corpus``.
    """
    skipped: list[Skipped] = []
    chunks = list(_validated(Path(path), 10_000, on_error, skipped))
    df = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    df.attrs = {"skipped": skipped, "source": str(path)}
    return df


def corpus_fingerprint(df: pd.DataFrame) -> str:
    """A sha256 over ids, texts and every other column, for caching results of this corpus."""
    h = hashlib.sha256()
    cols = [*REQUIRED_COLUMNS, *sorted(c for c in df.columns if c not in REQUIRED_COLUMNS)]
    h.update(json.dumps(cols).encode())
    for row in df[cols].itertuples(index=False, name=None):
        for v in row:
            # Length-prefixed, so that ("ab", "c") and ("a", "bc") hash differently.
            b = ("" if v is pd.NaT else _as_str(v)).encode("utf-8", "surrogatepass")
            h.update(len(b).to_bytes(8, "little"))
            h.update(b)
    return h.hexdigest()
