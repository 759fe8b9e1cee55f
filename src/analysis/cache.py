"""Extraction results cached on disk, so notebooks and batch reports re-use one extraction run.

An entry is keyed by everything that can change the frames: the corpus (its fingerprint), the
package version, the lexicons in force and the analysis source code itself (a hash of the
package's ``.py`` files), so editing a lexicon row or a rule invalidates old results without
anyone having to remember to clear the cache. Entries are Parquet, written to a temporary folder
and renamed into place, and guarded by a file lock so parallel report processes never extract
the same corpus twice or read a half-written entry.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from analysis import lexicon, runs
from analysis.corpus import corpus_fingerprint, large_article_warning, large_articles
from analysis.paths import CACHE
from analysis.pipeline import extract
from analysis.schema import FRAME_NAMES, Frames
from analysis.version import __version__

KEEP_ENTRIES = 8  # every code or lexicon edit makes a new entry; old ones are removed past this
FIX = "set cache_dir (in a notebook's parameters or a report config) to a folder you can write"


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the analysis package's source files: a code change invalidates cached frames."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for p in sorted(root.rglob("*.py")):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def cache_key(articles: pd.DataFrame) -> str:
    """The cache entry name for a corpus frame under the code and lexicons now in force."""
    parts = [corpus_fingerprint(articles), __version__, lexicon.lexicon_fingerprint(), code_fingerprint()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive advisory lock on ``path`` (POSIX flock; a no-op where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic rename still prevents torn reads
        yield
        return
    with runs.writing(path.parent, FIX):
        fh = open(path, "a+")  # noqa: SIM115 - closed below, after the lock is released
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read(entry: Path) -> Frames:
    return Frames(**{name: pd.read_parquet(entry / f"{name}.parquet") for name in FRAME_NAMES})


def _write(frames: Frames, entry: Path) -> None:
    """The entry written whole into a temporary folder and renamed into place, or not at all."""
    tmp = None
    try:
        with runs.writing(entry.parent, FIX):
            tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
            for name in FRAME_NAMES:
                getattr(frames, name).to_parquet(tmp / f"{name}.parquet", index=False)
            os.replace(tmp, entry)
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def extract_cached(articles: pd.DataFrame, cache_dir: str | os.PathLike = CACHE, progress: bool = False) -> Frames:
    """``extract(articles)``, re-using an earlier run with the same corpus, code and lexicons.

    A cache folder that cannot be written (not a folder, no permission, disk full) is a one-line
    ``AnalysisError``; no incomplete entry is ever left to be read later.
    """
    cache = Path(cache_dir)
    entry = cache / cache_key(articles)
    if entry.is_dir():
        return _read(entry)
    with runs.writing(cache, FIX):
        cache.mkdir(parents=True, exist_ok=True)
    with _locked(cache / f"{entry.name}.lock"):
        if entry.is_dir():  # another process finished it while we waited for the lock
            return _read(entry)
        for aid, size in large_articles(articles):
            print(large_article_warning(aid, size), file=sys.stderr)
        frames = extract(articles, progress=progress)
        _write(frames, entry)
    prune(cache, keep=KEEP_ENTRIES)
    return _read(entry)


def prune(cache_dir: str | os.PathLike, keep: int = KEEP_ENTRIES) -> list[Path]:
    """Remove all but the ``keep`` most recently written entries; returns what was removed."""
    cache = Path(cache_dir)
    entries = sorted(
        (p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    removed = []
    for old in entries[keep:]:
        with _locked(cache / f"{old.name}.lock"):  # never under a reader that holds the lock
            shutil.rmtree(old, ignore_errors=True)
        (cache / f"{old.name}.lock").unlink(missing_ok=True)
        removed.append(old)
    return removed
