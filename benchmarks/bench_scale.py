"""Throughput and memory of `analysis extract` on a large JSONL corpus: 1 worker, all cores, Dask.

    .venv/bin/python benchmarks/bench_scale.py                 # 200,000 articles (the target run)
    .venv/bin/python benchmarks/bench_scale.py --n 5000        # a quick check

The corpus is built by replicating real articles (PolNeAR train and dev texts, plus the demo
corpus data/external/news_articles.csv if present) under fresh ids into --dir (default /tmp), and
kept there for the next run. Each mode runs the real command line in a child process; peak memory
is the largest sum of resident set sizes over that process and all its children (workers, Dask
nannies and workers), sampled every 0.2 s: an upper bound, since pages shared between processes
count once per process; the sum of proportional set sizes (PSS), which shares them out, is given
beside it. Targets: speed-up >= 1.8 with 2 workers on 2 cores, and
peak memory < 1 GB on 200,000 articles.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED", REPO.parent / "shared"))
DEMO = REPO / "data" / "external" / "news_articles.csv"


def source_texts() -> list[tuple[str, str]]:
    """(outlet, text) of the real articles to replicate."""
    texts = []
    for split in ("train", "dev"):
        for p in sorted((SHARED / "corpora" / "polnear" / split / "text").glob("*.txt")):
            texts.append((p.stem.split("_")[0], p.read_bytes().decode("utf-8")))
    if DEMO.is_file():
        from analysis.corpus import load_corpus

        try:
            demo = load_corpus(DEMO, on_error="skip")
            outlets = demo["outlet"] if "outlet" in demo.columns else ["demo"] * len(demo)
            texts.extend(zip(outlets, demo["text"]))
        except Exception as err:  # noqa: BLE001 - the demo corpus is a bonus, PolNeAR suffices
            print(f"bench: {DEMO} not used ({err})", file=sys.stderr)
    if not texts:
        sys.exit(f"bench: no texts: {SHARED}/corpora/polnear is missing (set ANALYSIS_SHARED)")
    return texts


def build_corpus(path: Path, n: int) -> None:
    texts = source_texts()
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for i in range(n):
            outlet, text = texts[i % len(texts)]
            month = 1 + (i // len(texts)) % 12
            fh.write(
                json.dumps(
                    {
                        "article_id": f"bench-{i:07d}",
                        "text": text,
                        "outlet": outlet,
                        "published": f"2016-{month:02d}-{1 + i % 28:02d}",
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    tmp.replace(path)


def sample_tree(proc: psutil.Process, cpu: dict[int, float]) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) over ``proc`` and its descendants; PSS shares shared pages out.

    Also records each process's CPU seconds so far in ``cpu`` (by pid).
    """
    rss = pss = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            info = p.memory_full_info()
            times = p.cpu_times()
        except psutil.Error:  # a process that just ended
            continue
        rss, pss = rss + info.rss, pss + getattr(info, "pss", info.rss)
        cpu[p.pid] = times.user + times.system
    return rss, pss


def run_mode(corpus: Path, out: Path, flags: list[str], fmt: str, chunk_size: int) -> dict:
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        sys.executable,
        "-m",
        "analysis",
        "extract",
        str(corpus),
        "--out",
        str(out),
        "--format",
        fmt,
        "--chunk-size",
        str(chunk_size),
        "--no-progress",
        *flags,
    ]
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc, peak, peak_pss, cpu = psutil.Process(child.pid), 0, 0, {}
    while child.poll() is None:
        try:
            rss, pss = sample_tree(proc, cpu)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    seconds = time.perf_counter() - t0
    stdout, stderr = child.communicate()
    if child.returncode:
        sys.exit(f"bench: {' '.join(cmd)} failed ({child.returncode}): {stderr.strip()[-500:]}")
    run = json.loads((out / "run.json").read_text())
    n = run["counts"]["articles"]
    return {
        "articles": n,
        "seconds": round(seconds, 2),
        "articles_per_s": round(n / seconds, 1),
        "extract_seconds": run["timings"]["seconds"],
        "peak_rss_mb": round(peak / 2**20),
        "peak_pss_mb": round(peak_pss / 2**20),
        "cpu_seconds": round(sum(cpu.values()), 1),
        "projected_1m_minutes": round(1_000_000 / (n / seconds) / 60, 1),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000, help="articles in the corpus (default 200,000)")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/analysis-bench-scale"), help="corpus and outputs")
    ap.add_argument("--modes", default="serial,workers,dask", help="any of serial, workers, dask")
    ap.add_argument("--workers", type=int, default=0, help="processes for 'workers' and 'dask' (0 = all cores)")
    ap.add_argument("--format", default="parquet", choices=["csv", "parquet", "both"])
    ap.add_argument(
        "--chunk-size", type=int, default=0, help="0 = the CLI default (about 8 chunks per worker, at most 1000)"
    )
    args = ap.parse_args(argv)

    args.dir.mkdir(parents=True, exist_ok=True)
    corpus = args.dir / f"corpus-{args.n}.jsonl"
    if not corpus.exists():
        t0 = time.perf_counter()
        build_corpus(corpus, args.n)
        print(f"bench: built {corpus} ({corpus.stat().st_size / 2**20:.0f} MB) in {time.perf_counter() - t0:.1f} s")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    n_workers = args.workers or cores
    flags = {
        "serial": ["--workers", "1"],
        "workers": ["--workers", str(n_workers)],
        "dask": ["--dask", "local", "--workers", str(n_workers)],
    }
    report = {
        "n": args.n,
        "cores": cores,
        "workers": n_workers,
        "format": args.format,
        "chunk_size": args.chunk_size,
        "load_average": os.getloadavg(),
        "modes": {},
    }
    for mode in args.modes.split(","):
        res = run_mode(corpus, args.dir / f"out-{mode}", flags[mode], args.format, args.chunk_size)
        report["modes"][mode] = res
        print(
            f"bench: {mode:8s} {res['articles_per_s']:8.1f} articles/s  peak RSS {res['peak_rss_mb']:5d} MB "
            f"(PSS {res['peak_pss_mb']} MB)  "
            f"1M articles ~ {res['projected_1m_minutes']} min",
            flush=True,
        )
    base = report["modes"].get("serial")
    if base:
        for mode, res in report["modes"].items():
            res["speedup"] = round(res["articles_per_s"] / base["articles_per_s"], 2)
            # What the speed-up would be on an idle machine if the work spread perfectly over the
            # workers: a busy machine slows wall time, but barely changes CPU seconds per article.
            slots = 1 if mode == "serial" else min(n_workers, cores)
            res["speedup_if_idle"] = (
                round(slots * base["cpu_seconds"] / res["cpu_seconds"], 2) if res["cpu_seconds"] else None
            )
    print(
        f"bench: load average {report['load_average'][0]:.1f} on {cores} cores "
        "(numbers taken on a busy machine are not the machine's)"
    )
    print(json.dumps(report, indent=2))
    (args.dir / f"report-{args.n}.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
