"""Running ``extract`` over a corpus: serial for now (workers, streaming and Dask to come)."""
from __future__ import annotations

from pathlib import Path

from analysis import corpus, extract


def write_frames(frames: extract.Frames, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in ("attributions", "hedges", "articles"):
        tmp = out / f".{name}.csv.tmp"
        getattr(frames, name).to_csv(tmp, index=False)
        tmp.replace(out / f"{name}.csv")


def cli_extract(args) -> int:
    articles = corpus.load_corpus(args.input)
    frames = extract.extract(articles, progress=not args.no_progress)
    write_frames(frames, Path(args.out))
    print(f"analysis: {len(frames.articles)} articles, {len(frames.attributions)} attributions, "
          f"{len(frames.hedges)} hedges -> {args.out}")
    return 0
