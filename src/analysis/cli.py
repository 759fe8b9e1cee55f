"""The ``analysis`` command: extract | evaluate | report | data.

Each subcommand is a thin wrapper over a library function; user errors (``AnalysisError``) are
printed as one line and exit with status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import errno
import sys

from analysis import paths
from analysis.errors import AnalysisError
from analysis.version import __version__


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="analysis", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"analysis {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser(
        "extract",
        help="attributions, hedges and per-article tallies of a corpus",
        epilog="An article over 5 MB is named on stderr before it is extracted: one article is extracted in "
        "one piece (roughly 5 s per MB), so the progress bar stands still meanwhile.",
    )
    e.add_argument("input", help="a folder of .txt files, or a .csv / .jsonl / .parquet corpus")
    e.add_argument("--out", required=True, help="output folder (attributions, hedges, articles)")
    e.add_argument(
        "--format",
        choices=["csv", "parquet", "both"],
        default="csv",
        help="csv files, parquet partitions (for large runs), or both (default csv)",
    )
    e.add_argument("--workers", type=int, default=0, help="processes on this machine (default: all cores)")
    e.add_argument(
        "--dask",
        default=None,
        metavar="local|tcp://HOST:PORT",
        help="run on a Dask LocalCluster or an existing scheduler",
    )
    e.add_argument(
        "--on-error",
        choices=["stop", "skip"],
        default="stop",
        help="a malformed input row: stop at it, or skip it and list it (default stop)",
    )
    e.add_argument(
        "--chunk-size",
        type=int,
        default=0,
        help="articles per chunk when streaming (default 0: about 8 chunks per worker, at most 1000)",
    )
    e.add_argument("--no-progress", action="store_true", help="no progress bar")

    v = sub.add_parser("evaluate", help="P/R/F1 against hand-annotated gold data")
    v.add_argument(
        "--gold", help="gold folder: text/*.txt + attributions/*.ann (BRAT, PolNeAR layout) or + attributions.csv"
    )
    v.add_argument("--pred", help="attributions.csv from 'analysis extract'")
    v.add_argument("--szeged", metavar="XML", help="Szeged Uncertainty Corpus XML (hedge gold)")
    v.add_argument("--hedges", metavar="CSV", help="hedges.csv to score against --szeged (default: run the extractor)")
    v.add_argument("--docs", default="all", help="which Szeged documents: all, or a slice like 0.8: (last 20%%)")
    v.add_argument("--json", action="store_true", help="print the full JSON summary")

    r = sub.add_parser("report", help="run the notebook batch into HTML/PDF reports")
    r.add_argument(
        "--config",
        default=None,
        help="YAML list of notebooks + parameters; paths in it are relative to its folder "
        f"(default: {paths.REPORTS_CONFIG} of the project folder)",
    )
    r.add_argument("--jobs", type=int, default=0, help="reports run in parallel (default: all cores)")
    r.add_argument(
        "--corpus",
        default=None,
        help="replace the batch corpus (reports that name their own corpus keep it; no subset is applied)",
    )
    r.add_argument(
        "--out",
        default=None,
        help=f"where executed/, html/, pdf/ and index.html go (default: {paths.REPORTS}/ of the project folder)",
    )
    r.add_argument("--no-pdf", action="store_true", help="HTML only")

    d = sub.add_parser("data", help="acquire the demo corpus")
    d.add_argument("what", choices=["demo", "sample"], help="demo: News Articles (Dai 2017); sample: the bundled seed")
    d.add_argument("--dest", default=paths.DATA, help="data folder (default ./data)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            from analysis import parallel

            return parallel.cli_extract(args)
        if args.command == "evaluate":
            from analysis import evaluate

            return evaluate.cli_evaluate(args)
        if args.command == "report":
            from analysis import reports

            # the defaults are the project's, from whichever of its folders the command runs
            args.config = args.config or str(paths.project_root() / paths.REPORTS_CONFIG)
            args.out = args.out or str(paths.project_root() / paths.REPORTS)
            return reports.cli_report(args)
        if args.command == "data":
            from analysis import datasets

            return datasets.cli_data(args)
    except AnalysisError as err:
        msg = str(err)
        print(msg if msg.startswith("analysis:") else f"analysis: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("analysis: interrupted", file=sys.stderr)
        return 130
    except OSError as err:  # a file the checks above did not foresee: still one line, never a traceback
        print(f"analysis: {_os_error(err)}", file=sys.stderr)
        return 2
    return 0


def _os_error(err: OSError) -> str:
    """'data/x.csv: permission denied; check its permissions' from any OSError."""
    where = f"{err.filename}: " if err.filename else ""
    said = (err.strerror or str(err) or type(err).__name__).lower()
    hint = {
        errno.EACCES: "check its permissions",
        errno.EPERM: "check its permissions",
        errno.ENOSPC: "free some disk space",
        errno.ENOENT: "check the path",
    }.get(err.errno, "check the path and try again")
    return f"{where}{said}; {hint}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
