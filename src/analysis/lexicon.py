"""Loading the editable lexicons (CSV files shipped under ``analysis/lexicons/``).

A lexicon is a CSV with at least the columns ``cue``, ``category`` and ``note``; each lexicon may
add its own columns (for example ``source`` for the literature a list came from). Journalists edit
these files, not the code. A user may point the environment variable ``ANALYSIS_LEXICONS`` at a
folder of their own copies: a file there replaces the shipped file of the same name.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import os
from importlib import resources
from pathlib import Path

from analysis.errors import AnalysisError

REQUIRED = ("cue", "category", "note")


@functools.lru_cache(maxsize=1)
def _package_folder() -> Path:
    # importlib.resources is slow (about 0.2 ms a call) and engines look the path up per article
    return Path(str(resources.files("analysis") / "lexicons"))


def lexicon_path(name: str) -> Path:
    """The file a lexicon is read from: the user's override folder first, then the package."""
    override = os.environ.get("ANALYSIS_LEXICONS")
    if override:
        candidate = Path(override) / f"{name}.csv"
        if candidate.exists():
            return candidate
    return _package_folder() / f"{name}.csv"


@functools.lru_cache(maxsize=None)
def _load(path: str) -> tuple[dict, ...]:
    p = Path(path)
    if not p.exists():
        raise AnalysisError(f"analysis: lexicon {p} not found; reinstall the package or fix ANALYSIS_LEXICONS")
    rows = []
    with p.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise AnalysisError(f"analysis: {p}: missing column(s) {', '.join(missing)}; a lexicon needs {', '.join(REQUIRED)}")
        for lineno, row in enumerate(reader, start=2):
            cue = (row.get("cue") or "").strip()
            if not cue or cue.startswith("#"):
                continue
            if not (row.get("category") or "").strip():
                raise AnalysisError(f"analysis: {p} line {lineno}: cue {cue!r} has no category; fill in the 'category' column")
            row = {k: (v or "").strip() for k, v in row.items() if k is not None}
            row["_line"] = lineno
            rows.append(row)
    return tuple(rows)


def load_lexicon(name: str) -> list[dict]:
    """Rows of lexicon ``name`` (file stem) as dicts, stripped; ``_line`` is the CSV line number."""
    return [dict(r) for r in _load(str(lexicon_path(name)))]


def lexicon_fingerprint() -> str:
    """A hash of every lexicon in force, so cached results are invalidated when one is edited."""
    h = hashlib.sha256()
    folder = _package_folder()
    for p in sorted(folder.glob("*.csv")):
        h.update(p.name.encode())
        h.update(lexicon_path(p.stem).read_bytes())
    return h.hexdigest()[:16]
