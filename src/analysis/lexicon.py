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
from pathlib import Path

from analysis.errors import AnalysisError
from analysis.paths import LEXICONS_ENV, lexicon_folder

REQUIRED = ("cue", "category", "note")
# Each shipped lexicon's allowed categories and its own required columns: a row outside them is a
# one-line error naming the file and row, never a type that no tally counts ("vauge").
SCHEMAS: dict[str, tuple[frozenset, tuple[str, ...]]] = {
    "content_enders": (frozenset({"appositive_summary"}), ()),
    "cues": (
        frozenset({"neutral", "assertive", "belief", "stance", "evidential", "intention", "expectation", "mediated"}),
        (),
    ),
    "given_names": (frozenset({"male", "female"}), ()),
    "hedges": (
        frozenset({"epistemic", "evidential", "reportative", "doxastic", "speculation", "investigation", "condition"}),
        (),
    ),
    "media": (frozenset({"media", "media_head", "media_noun"}), ()),
    "outlets": (frozenset({"domain"}), ("outlet",)),
    "pronouns": (frozenset({"personal", "plural", "neuter", "relative", "first_person", "second_person"}), ("gender",)),
    "sources": (
        frozenset({"anonymous", "vague", "document", "organisation", "speech", "anonymity", "not_name"}),
        ("match",),
    ),
    "titles": (frozenset({"person_title", "role", "descriptor"}), ("gender",)),
}


def categories(name: str) -> frozenset:
    """The categories lexicon ``name`` allows (empty for a lexicon without a declared schema)."""
    return SCHEMAS.get(name, (frozenset(), ()))[0]


def lexicon_path(name: str) -> Path:
    """The file a lexicon is read from: the user's override folder first, then the package."""
    override = os.environ.get(LEXICONS_ENV)
    if override:
        candidate = Path(override) / f"{name}.csv"
        if candidate.exists():
            return candidate
    return lexicon_folder() / f"{name}.csv"


@functools.cache
def _load(path: str, name: str = "") -> tuple[dict, ...]:
    p = Path(path)
    allowed, extra = SCHEMAS.get(name, (frozenset(), ()))
    if not p.exists():
        raise AnalysisError(f"analysis: lexicon {p} not found; reinstall the package or fix ANALYSIS_LEXICONS")
    rows = []
    with p.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in (*REQUIRED, *extra) if c not in (reader.fieldnames or [])]
        if missing:
            raise AnalysisError(
                f"analysis: {p}: missing column(s) {', '.join(missing)}; "
                f"this lexicon needs {', '.join((*REQUIRED, *extra))}"
            )
        for lineno, row in enumerate(reader, start=2):
            cue = (row.get("cue") or "").strip()
            if not cue or cue.startswith("#"):
                continue
            if not (row.get("category") or "").strip():
                raise AnalysisError(
                    f"analysis: {p} line {lineno}: cue {cue!r} has no category; fill in the 'category' column"
                )
            row = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if allowed and row["category"] not in allowed:
                raise AnalysisError(
                    f"analysis: {p} line {lineno}: cue {cue!r} has category {row['category']!r}, "
                    f"which is not one of {', '.join(sorted(allowed))}; fix the 'category' column"
                )
            row["_line"] = lineno
            rows.append(row)
    return tuple(rows)


def load_lexicon(name: str) -> list[dict]:
    """Rows of lexicon ``name`` (file stem) as dicts, stripped; ``_line`` is the CSV line number."""
    return [dict(r) for r in _load(str(lexicon_path(name)), name)]


def lexicon_fingerprint() -> str:
    """A hash of every lexicon in force, so cached results are invalidated when one is edited."""
    h = hashlib.sha256()
    folder = lexicon_folder()
    for p in sorted(folder.glob("*.csv")):
        h.update(p.name.encode())
        h.update(lexicon_path(p.stem).read_bytes())
    return h.hexdigest()[:16]
