"""Are the three frames byte-identical to a reference run? The check every structural change reruns.

Extracts PolNeAR train + dev and the demo corpus with the installed package (``analysis.extract``,
one process), writes each corpus's three frames as CSV with ``analysis.runs.write_frames``
(the writer ``analysis extract`` uses), and either saves them as the reference or compares them
with one saved earlier, file by file and byte by byte. A difference names the corpus, the frame
and the first differing row, with both versions of the row.

    # before the change (on the old commit)
    .venv/bin/python benchmarks/check_identical.py --save /tmp/frames-before
    # after it
    .venv/bin/python benchmarks/check_identical.py --compare /tmp/frames-before

Exit status: 0 identical, 1 a difference, 2 a corpus missing. ``--corpora polnear-train,demo``
picks corpora; ``--limit N`` takes the first N articles of each (a quick look, not the check).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED", REPO.parent / "shared"))
CORPORA = {
    "polnear-train": SHARED / "corpora" / "polnear" / "train" / "text",
    "polnear-dev": SHARED / "corpora" / "polnear" / "dev" / "text",
    "demo": REPO / "data" / "external" / "news_articles.csv",
}
FRAMES = ("attributions", "hedges", "articles")


def _write(name: str, path: Path, out: Path, limit: int | None) -> float:
    import analysis
    from analysis.runs import write_frames

    articles = analysis.load_corpus(path)
    if limit:
        articles = articles.head(limit)
    t0 = time.perf_counter()
    frames = analysis.extract(articles)
    seconds = time.perf_counter() - t0
    write_frames(frames, out / name, fmt="csv")
    print(
        f"{name}: {len(articles):,} articles, {len(frames.attributions):,} attributions, "
        f"{len(frames.hedges):,} hedges in {seconds:.1f} s"
    )
    return seconds


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.csv"))


def _first_difference(a: Path, b: Path) -> str:
    with a.open(encoding="utf-8") as fa, b.open(encoding="utf-8") as fb:
        for row, (la, lb) in enumerate(zip(fa, fb), start=1):
            if la != lb:
                return f"line {row}:\n    reference: {la.rstrip()[:400]}\n    now:       {lb.rstrip()[:400]}"
    return "one file is a prefix of the other (rows added or lost at the end)"


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", metavar="DIR", help="write the reference frames here")
    mode.add_argument("--compare", metavar="DIR", help="compare with the reference frames saved here")
    ap.add_argument("--corpora", default=",".join(CORPORA), help=f"comma-separated, of {', '.join(CORPORA)}")
    ap.add_argument("--limit", type=int, default=None, help="first N articles of each corpus only")
    args = ap.parse_args(argv)

    names = [n.strip() for n in args.corpora.split(",") if n.strip()]
    unknown = [n for n in names if n not in CORPORA]
    if unknown:
        print(f"check_identical: unknown corpus {', '.join(unknown)}; known: {', '.join(CORPORA)}", file=sys.stderr)
        return 2
    missing = [f"{n} ({CORPORA[n]})" for n in names if not CORPORA[n].exists()]
    if missing:
        print(
            f"check_identical: missing {'; '.join(missing)} (make data fetches the demo corpus; "
            "PolNeAR lies in ../shared or ANALYSIS_SHARED)",
            file=sys.stderr,
        )
        return 2

    if args.save:
        out = Path(args.save)
        for n in names:
            _write(n, CORPORA[n], out, args.limit)
        for n in names:
            for p in _files(out / n):
                print(f"  {n}/{p.name}  {_digest(p)}")
        return 0

    ref = Path(args.compare)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        now = Path(tmp)
        different = 0
        for n in names:
            _write(n, CORPORA[n], now, args.limit)
            if not (ref / n).is_dir():
                print(f"check_identical: no reference for {n} in {ref}; run --save there first", file=sys.stderr)
                return 2
            for frame in FRAMES:
                a, b = ref / n / f"{frame}.csv", now / n / f"{frame}.csv"
                if a.read_bytes() == b.read_bytes():
                    print(f"  identical  {n}/{frame}.csv  {_digest(b)}")
                else:
                    different += 1
                    print(f"  DIFFERENT  {n}/{frame}.csv  {_first_difference(a, b)}")
        print("identical" if not different else f"{different} frame(s) differ")
        return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
