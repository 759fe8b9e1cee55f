"""How fast is `analysis extract`? Articles/s and words/s on PolNeAR train texts, one core.

Stages, each timed over the whole corpus after a warm-up pass (lexicons loaded, regexes compiled):

  doc           building each article's Doc (tokens, sentences, paragraphs, quotes)
  attributions  the pipeline's 'attributions' step, on the prebuilt Docs
  sources       the 'sources' step (source typing, speakers), the attributions given
  hedges        the 'hedges' step, the typed attributions given
  tallies       the 'tallies' step, attributions and hedges given
  extract       analysis.extract(df): all of the above plus records -> frames
  extract_cold  the same, with source typing's cross-article memos emptied first (a fresh process)
  cli           `python -m analysis extract DIR --out TMP` end to end: interpreter start, imports,
                loading the corpus, extraction and CSV writing (one fresh process per run)

Each stage runs --repeat times; best and median are reported (best is the least disturbed by
other load on the machine; the median shows how noisy it was). The process is pinned to one core
(the child CLI process inherits the pinning). Timings from a busy machine are not comparable:
the JSON records the load average before and after.

    .venv/bin/python benchmarks/bench_extract.py [--corpus DIR] [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import analysis
from analysis import pipeline, sources
from analysis.doc import Doc
from analysis.pipeline import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED", REPO.parent / "shared"))
DEFAULT_CORPUS = SHARED / "corpora" / "polnear" / "train" / "text"
WORD = re.compile(r"\w+")


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu_model": model,
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "pandas": pd.__version__,
        "analysis": analysis.__version__,
    }


def pin(cpu: int | None) -> list[int] | None:
    """Pin this process (and children started later) to one core; None where the OS cannot."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    core = cpu if cpu is not None else allowed[-1]
    os.sched_setaffinity(0, {core})
    return sorted(os.sched_getaffinity(0))


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def step_stage(name: str, ids: list[str], docs: list[Doc]):
    """A timed function running the pipeline step ``name`` alone, on Articles built on the prebuilt
    Docs with the steps before it already run (outside the timing), as ``extract_article`` runs them."""
    names = [s.name for s in pipeline.STEPS]
    *before, step = pipeline.STEPS[: names.index(name) + 1]
    arts = [Article(aid, doc) for aid, doc in zip(ids, docs)]
    for earlier in before:
        for art in arts:
            earlier.run(art)
    return lambda: [step.run(art) for art in arts]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .txt articles (default PolNeAR train)"
    )
    p.add_argument("--repeat", type=int, default=5, help="timed runs per stage (default 5)")
    p.add_argument("--cli-repeat", type=int, default=3, help="timed runs of the CLI (default 3)")
    p.add_argument("--limit", type=int, default=0, help="use only the first N articles (0 = all)")
    p.add_argument("--cpu", type=int, default=None, help="core to pin to (default: the last allowed)")
    p.add_argument("--no-cli", action="store_true", help="skip the end-to-end CLI timing")
    p.add_argument("--json", type=Path, help="also write the results here")
    args = p.parse_args(argv)

    if not args.corpus.is_dir():
        sys.exit(f"bench_extract: {args.corpus}: no such folder (set ANALYSIS_SHARED or give --corpus)")
    pinned = pin(args.cpu)
    corpus = analysis.load_corpus(args.corpus)
    if args.limit:
        corpus = corpus.iloc[: args.limit].reset_index(drop=True)
    ids, texts = corpus["article_id"].astype(str).tolist(), corpus["text"].tolist()
    n_articles, n_words = len(texts), sum(len(WORD.findall(t)) for t in texts)
    warm = [pipeline.extract_article(aid, t) for aid, t in zip(ids, texts)]  # the warm-up pass
    n_attributions = sum(len(art.attributions) for art in warm)
    docs = [art.doc for art in warm]
    analysis.extract(corpus.iloc[:50])

    load_before = os.getloadavg()
    stages = {
        "doc": lambda: [Doc(t) for t in texts],
        **{s.name: step_stage(s.name, ids, docs) for s in pipeline.STEPS},
        "extract": lambda: analysis.extract(corpus),
        # as a fresh process meets these articles: source typing's memos of names seen in earlier
        # articles emptied first (the warm "extract" figure has met every name of the corpus before)
        "extract_cold": lambda: (sources.clear_memos(), analysis.extract(corpus)),
    }
    times = {name: timed(fn, args.repeat) for name, fn in stages.items()}
    if not args.no_cli:
        with tempfile.TemporaryDirectory() as tmp:
            src = args.corpus
            if args.limit:  # the CLI reads a folder: give it just the first N files
                src = Path(tmp) / "corpus"
                src.mkdir()
                for aid, text in zip(corpus["article_id"], texts):
                    (src / f"{aid}.txt").write_bytes(text.encode("utf-8"))
            cmd = [
                sys.executable,
                "-m",
                "analysis",
                "extract",
                str(src),
                "--out",
                str(Path(tmp) / "out"),
                "--no-progress",
                "--workers",
                "1",
            ]

            def cli():
                subprocess.run(cmd, check=True, capture_output=True)

            times["cli"] = timed(cli, args.cli_repeat)
    load_after = os.getloadavg()

    rows = []
    for name, ts in times.items():
        best, med = min(ts), statistics.median(ts)
        rows.append(
            {
                "stage": name,
                "runs": len(ts),
                "best_s": round(best, 3),
                "median_s": round(med, 3),
                "articles_per_s": round(n_articles / best, 1),
                "words_per_s": round(n_words / best),
                "articles_per_s_median": round(n_articles / med, 1),
                "words_per_s_median": round(n_words / med),
                "times_s": [round(t, 4) for t in ts],
            }
        )
    result = {
        "corpus": str(args.corpus),
        "articles": n_articles,
        "words": n_words,
        "attributions": n_attributions,
        "pinned_cpus": pinned,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "machine": machine(),
        "stages": rows,
    }

    m = result["machine"]
    print(f"{n_articles} articles, {n_words} words from {args.corpus}")
    print(
        f"{m['cpu_model']}, {m['nproc']} cores (pinned to {pinned}), Python {m['python']}, "
        f"load average {load_before[0]:.2f} -> {load_after[0]:.2f}"
    )
    print(f"{'stage':<14}{'runs':>5}{'best s':>9}{'median s':>10}{'articles/s':>12}{'words/s':>11}")
    for r in rows:
        print(
            f"{r['stage']:<14}{r['runs']:>5}{r['best_s']:>9.3f}{r['median_s']:>10.3f}"
            f"{r['articles_per_s']:>12.1f}{r['words_per_s']:>11,}"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
        print(f"-> {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
