"""Shared definitions of the scorers: roles, the predictions CSV columns, P/R/F1, and reading a
predictions frame (offset columns as ints, article ids as strings)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.schema import as_offset

Span = tuple[int, int]
ROLES = ("source", "cue", "content")
_MISSING = {"", "nan", "none", "<na>"}

ATTRIBUTION_PRED_COLUMNS = ["article_id", "cue_start", "cue_end"]  # source_*, content_* optional
HEDGE_PRED_COLUMNS = ["article_id", "start", "end"]  # category, is_hedge optional


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    """Precision, recall and F1 (rounded to 4 decimals, 0.0 where undefined) plus the counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


# --------------------------------------------------------------------------- reading predictions


def read_predictions(path: str | Path, required: list[str]) -> pd.DataFrame:
    """A predictions CSV as a frame of strings (ids stay ids: '00012' is not the number 12)."""
    path = Path(path)
    if not path.is_file():
        raise AnalysisError(
            f"analysis: {path}: predictions file not found; "
            "give the attributions.csv / hedges.csv written by 'analysis extract'"
        )
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise AnalysisError(f"analysis: {path}: not a readable UTF-8 CSV ({err}); export it again as CSV") from None
    _require_columns(df, required, str(path))
    return df


def _require_columns(df: pd.DataFrame, required: list[str], where: str) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise AnalysisError(
            f"analysis: {where}: missing column(s) {', '.join(map(repr, missing))}; "
            f"a predictions file needs {', '.join(required)}"
        )


def _offsets(df: pd.DataFrame, col: str, where: str) -> list[int | None]:
    """An offset column as ints (None where empty); a value that is not a number is an error."""
    if col not in df.columns:
        return [None] * len(df)
    raw = df[col].astype("string").str.strip()
    missing = raw.isna() | raw.str.lower().isin(_MISSING)
    nums = pd.to_numeric(raw.mask(missing), errors="coerce")
    bad = (~missing & (nums.isna() | nums.abs().eq(float("inf")))).to_numpy()
    if bad.any():
        i = int(bad.argmax())
        raise AnalysisError(
            f"analysis: {where} row {_row(i)}: column '{col}' is {raw.iloc[i]!r}, "
            "not a character offset; fix it or leave it empty"
        )
    return [as_offset(v) for v in nums.to_numpy()]  # an empty cell is NaN there


def _row(i: int) -> int:
    """The row number a spreadsheet shows for data row ``i`` (the header is row 1), as corpus.py counts."""
    return i + 2


def _ids(df: pd.DataFrame) -> list[str]:
    return df["article_id"].astype("string").fillna("").tolist()


def _check_known(pred_ids: set[str], gold_ids, where: str, gold_where: str) -> int:
    """Count predicted articles missing from the gold; none matching at all means wrong files."""
    unknown = pred_ids - set(gold_ids)
    if pred_ids and unknown == pred_ids:
        example = sorted(unknown)[0]
        raise AnalysisError(
            f"analysis: {where}: none of its {len(pred_ids)} article ids is in {gold_where} "
            f"(e.g. {example!r}); article_id must be the gold text file's name "
            "without .txt (Szeged: the id written by szeged_score.py totext)"
        )
    return len(unknown)


def _role_spans(df: pd.DataFrame, where: str) -> list[dict[str, tuple[Span, ...]]]:
    """Each row's cue, source and content as span tuples (empty where the offsets are empty)."""
    _require_columns(df, ATTRIBUTION_PRED_COLUMNS, where)
    cols = {f"{r}_{x}": _offsets(df, f"{r}_{x}", where) for r in ROLES for x in ("start", "end")}

    def span(role: str, i: int) -> tuple[Span, ...]:
        a, b = cols[f"{role}_start"][i], cols[f"{role}_end"][i]
        return ((a, b),) if a is not None and b is not None else ()

    return [{r: span(r, i) for r in ROLES} for i in range(len(df))]
