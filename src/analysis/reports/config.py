"""A report config, checked whole and expanded into jobs before any report runs.

A config is a list of reports (notebook, title, parameters, output name), or a mapping with
``reports:`` and batch-wide settings (``corpus``, ``subset``, ``cache_dir``). **Paths in a config
(``corpus``, ``notebook``, ``cache_dir``, a ``results_dir`` parameter) are relative to the folder
of the config file**, so a config runs the same from any folder; paths given on the command line
(``--corpus``, ``--out``) are relative to the current folder, as usual.

Nothing runs until every report passes these checks, each failing as one line naming the report:

- each parameter is one the notebook declares in its ``parameters`` cell (papermill's
  ``inspect_notebook``): a misspelt ``outlett`` would otherwise be ignored, and the report would
  cover every outlet under a title naming one;
- ``corpus``, ``cache_dir`` and ``title`` are the batch's (set with the report's own keys);
- an ``outlet`` / ``start`` / ``end`` selection must match at least one article of the report's
  corpus (outlet names match ignoring case and accents, as ``tally.select`` matches them, and the
  corpus's own spelling is what the notebook gets); an ``article_id`` must be in the corpus;
- a ``for_each`` column must exist in the corpus and hold values.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
import unicodedata
from pathlib import Path

import pandas as pd
import yaml

from analysis import cache, paths, results, tally
from analysis.corpus import counted, load_corpus
from analysis.errors import AnalysisError
from analysis.reports.render import OUT_FIX, Job, write_atomic

ENTRY_KEYS = ("name", "notebook", "title", "parameters", "for_each", "corpus")
CONFIG_KEYS = ("reports", "corpus", "subset", "cache_dir")
# Set by the batch, never by a report's parameters: each has its own key in the config.
BATCH_PARAMETERS = {
    "corpus": "the report's 'corpus:' key",
    "cache_dir": "'cache_dir:' at the top of the config",
    "title": "the report's 'title:' key",
}
PATH_PARAMETERS = ("results_dir",)  # parameters naming a folder: relative to the config, like its paths
SELECTION_PARAMETERS = ("outlet", "start", "end")  # checked against the corpus (tally.no_match)


def slug(text: str) -> str:
    """A file name for a report: lower case ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "report"


def load_config(path: str | os.PathLike) -> dict:
    """The config as ``{"reports": [...], ...settings}``, checked for the keys every report needs."""
    p = Path(path)
    if not p.is_file():
        what = "is a folder, not a file" if p.is_dir() else "not found"
        raise AnalysisError(f"analysis: report config {p} {what}; pass --config with a YAML list of reports")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise AnalysisError(
            f"analysis: {p}{where}: not valid YAML ({getattr(err, 'problem', err)}); fix the file"
        ) from None
    except UnicodeDecodeError:
        raise AnalysisError(f"analysis: {p}: not UTF-8 text; re-save the file as UTF-8") from None
    config = {"reports": raw} if isinstance(raw, list) else raw
    if not isinstance(config, dict) or not isinstance(config.get("reports"), list) or not config["reports"]:
        raise AnalysisError(
            f"analysis: {p}: expected a list of reports (or 'reports:' with one); see reports/reports.yml"
        )
    unknown = sorted(set(config) - set(CONFIG_KEYS))
    if unknown:
        raise AnalysisError(
            f"analysis: {p}: unknown setting(s) {', '.join(map(str, unknown))}; use {', '.join(CONFIG_KEYS)}"
        )
    for i, entry in enumerate(config["reports"], start=1):
        if not isinstance(entry, dict) or "notebook" not in entry:
            raise AnalysisError(f"analysis: {p} report {i}: no 'notebook'; give the notebook to run")
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        if unknown:
            raise AnalysisError(
                f"analysis: {p} report {i}: unknown key(s) {', '.join(map(str, unknown))}; use {', '.join(ENTRY_KEYS)}"
            )
        if not isinstance(entry.get("parameters") or {}, dict):
            raise AnalysisError(
                f"analysis: {p} report {i}: 'parameters' must be a mapping of name: value, e.g. {{outlet: BBC}}"
            )
    config["_path"] = str(p)
    config["_dir"] = str(p.resolve().parent)
    return config


def default_corpus(root: Path, say=print) -> Path:
    """The demo corpus of the project folder ``root`` if it has been fetched, else the bundled sample (saying so)."""
    demo, sample = root / paths.DEMO_CORPUS, root / paths.SAMPLE_CORPUS
    if demo.exists():
        return demo
    say(f"analysis: {demo} not found; using the bundled sample {sample} (run 'analysis data demo' for the demo corpus)")
    return sample


@functools.lru_cache(maxsize=2)
def _loaded(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    return load_corpus(path)


def corpus_frame(path: str | os.PathLike) -> pd.DataFrame:
    """The corpus at ``path``, loaded once for the checks, the for_each values and the cache (not to be modified)."""
    p = Path(path)
    stat = p.stat()
    return _loaded(str(p), stat.st_mtime_ns, stat.st_size)


def _fill(value, key: str, item: str):
    """``{key}`` replaced by ``item`` in strings (and inside lists/dicts); other values unchanged."""
    if isinstance(value, str):
        return item if value == "{" + key + "}" else value.replace("{" + key + "}", item)
    if isinstance(value, list):
        return [_fill(v, key, item) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, key, item) for k, v in value.items()}
    return value


def _plain(value):
    """YAML dates (``start: 2017-01-01``) as the ISO strings the notebooks and the index expect."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _subset(corpus_path: Path, spec: dict, out: Path) -> tuple[Path, str]:
    """A stratified sample of the corpus (``per_outlet`` articles of each outlet), written as CSV, and a note."""
    per = int(spec.get("per_outlet", 10))
    seed = int(spec.get("seed", 0))
    df = corpus_frame(corpus_path)
    if "outlet" not in df.columns:
        raise AnalysisError(f"analysis: subset: corpus {corpus_path} has no 'outlet' column to stratify by")
    parts = [g.sample(n=min(per, len(g)), random_state=seed) for _, g in df.groupby("outlet", sort=True)]
    sample = df.loc[sorted(i for p in parts for i in p.index)]
    dest = out / "data" / f"{corpus_path.stem}-{per}-per-outlet.csv"
    write_atomic(dest, lambda tmp: sample.to_csv(tmp, index=False), OUT_FIX)
    return dest, f"up to {per} per outlet of {corpus_path.name}, seed {seed}"


def notebook_parameters(path: str) -> tuple[str, ...]:
    """The names a notebook's ``parameters`` cell assigns, in order (papermill's ``inspect_notebook``)."""
    return _inspected(str(path), Path(path).stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)  # per notebook version: an edited notebook is inspected again
def _inspected(path: str, mtime_ns: int) -> tuple[str, ...]:
    import papermill

    try:
        return tuple(papermill.inspect_notebook(path))
    except Exception as err:  # not JSON, not a notebook: one line, like any other config problem
        raise AnalysisError(
            f"analysis: {path}: cannot read it as a notebook ({type(err).__name__}); check the file"
        ) from None


class _Entry:
    """One report of the config while it is checked: where it is, what it may set, its messages."""

    def __init__(self, config: dict, i: int, entry: dict, here: Path):
        self.cfg, self.i, self.entry = config.get("_path", "config"), i, entry
        self.notebook = (here / Path(entry["notebook"]).expanduser()).resolve()
        self.name = str(entry.get("name") or self.notebook.stem)
        if not self.notebook.is_file():
            raise self.error(
                f"notebook {entry['notebook']} not found at {self.notebook}; "
                f"paths in a config are relative to its folder ({here})",
                named=False,
            )
        self.known = notebook_parameters(str(self.notebook))

    def error(self, text: str, name: str | None = None, named: bool = True) -> AnalysisError:
        label = f" ({name or self.name})" if named else ""
        return AnalysisError(f"analysis: {self.cfg} report {self.i}{label}: {text}")

    def check_names(self, parameters: dict) -> None:
        """Every parameter the report sets is one its notebook declares, and none is the batch's."""
        settable = [k for k in self.known if k not in BATCH_PARAMETERS]
        for key in parameters:
            if key in BATCH_PARAMETERS:
                raise self.error(f"parameter {key!r} is set by the batch; use {BATCH_PARAMETERS[key]}")
            if key in self.known:
                continue
            if not self.known:
                raise self.error(
                    f"parameter {key!r}: {self.notebook.name} has no cell tagged 'parameters', so it takes "
                    "none; tag its parameters cell or remove 'parameters' from the report"
                )
            close = difflib.get_close_matches(str(key), settable, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise self.error(
                f"{self.notebook.name} has no parameter {key!r}; {hint}"
                f"its parameters are {', '.join(settable) or 'none a config may set'}"
            )


def _articles(corpus: Path, results_dir: str | None) -> list[pd.DataFrame]:
    """The article keys a report selects from: of its results folder if it reads one, else of its corpus."""
    cols = ["article_id", "outlet", "published"]
    if results_dir:
        return list(results.scan(results.as_source(Path(results_dir)), "articles", columns=cols))
    df = corpus_frame(corpus)
    return [df[[c for c in cols if c in df.columns]]]


def _check_selection(e: _Entry, name: str, params: dict, corpus: Path) -> None:
    """Outlet, period and article of a report exist in what it reads; the outlet in the corpus's own spelling."""
    for key in ("start", "end"):
        value = params.get(key)
        if value is not None:
            try:
                pd.Timestamp(str(value))
            except (ValueError, TypeError):
                raise e.error(
                    f"parameter {key!r} {value!r} is not a date; write it as YYYY-MM-DD (or YYYY-MM)", name
                ) from None
    selection = {k: params.get(k) for k in SELECTION_PARAMETERS}
    article_id = params.get("article_id")
    if all(v is None for v in selection.values()) and article_id is None:
        return
    batches = _articles(corpus, params.get("results_dir"))
    shown = params.get("results_dir") or corpus
    if any(v is not None for v in selection.values()):
        why = tally.no_match(batches, **{k: None if v is None else str(v) for k, v in selection.items()})
        if why:
            raise e.error(f"{shown}: {why}", name)
    if selection["outlet"] is not None:  # 'rte' selects RTÉ: the notebook shows the corpus's own name
        key = tally.outlet_key(selection["outlet"])
        names = {str(v) for b in batches if "outlet" in b.columns for v in b["outlet"].dropna().unique()}
        own = sorted(n for n in names if tally.outlet_key(n) == key)
        if own:
            params["outlet"] = own[0]
    if article_id is not None:
        ids = pd.concat([b["article_id"].astype(str) for b in batches], ignore_index=True)
        if str(article_id) not in set(ids):
            examples = ", ".join(ids.head(3))
            raise e.error(
                f"article_id {str(article_id)!r} is not in {shown} ({counted(len(ids), 'article')}, "
                f"e.g. {examples}); check the id or the report's 'corpus:'",
                name,
            )


def plan(config: dict, corpus: str | None = None, out: Path = Path("reports"), say=print) -> list[Job]:
    """Check the whole config and expand it into jobs with absolute paths (see the module's docstring).

    ``corpus`` (the --corpus flag) replaces the batch's corpus, for every report that does not
    name its own ``corpus:`` in the config, and is used whole (no ``subset``).
    """
    cfg_name = config.get("_path", "config")
    here = Path(config.get("_dir") or os.getcwd())
    root = paths.project_root(here)

    def at(path) -> Path:
        return (here / Path(str(path)).expanduser()).resolve()

    fallback = False
    if corpus:
        base = Path(corpus).expanduser().resolve()
    elif config.get("corpus"):
        base = at(config["corpus"])
    else:
        base, fallback = default_corpus(root, say), True
    if not base.exists():
        where = "--corpus" if corpus else f"'corpus' in {cfg_name} (relative to its folder)"
        raise AnalysisError(f"analysis: corpus {base} not found; fix {where}")
    note = ""
    if config.get("subset") and not corpus:
        base, note = _subset(base, config["subset"], out)
    cache_dir = str(at(config["cache_dir"]) if config.get("cache_dir") else root / paths.CACHE)
    jobs: list[Job] = []
    skipped = 0
    for i, entry in enumerate(config["reports"], start=1):
        e = _Entry(config, i, entry, here)
        given = {k: _plain(v) for k, v in (entry.get("parameters") or {}).items()}
        e.check_names(given)
        # a report that names its own corpus keeps it (its parameters, e.g. article_id, refer to it)
        path = at(entry["corpus"]) if entry.get("corpus") else base
        if not path.exists():
            raise e.error(f"corpus {entry['corpus']} not found at {path}; fix its 'corpus' (relative to the config)")
        template = {
            "name": e.name,
            "title": str(entry.get("title") or e.notebook.stem.replace("_", " ").capitalize()),
            "parameters": given,
        }
        items: list[str | None] = [None]
        key = entry.get("for_each")
        if key:
            df = corpus_frame(path)
            if key not in df.columns:
                if fallback and path == base:  # the announced fallback (no demo corpus yet): run the rest
                    say(f"analysis: {cfg_name} report {i} skipped: the sample corpus {path} has no '{key}' column")
                    skipped += 1
                    continue
                raise e.error(
                    f"for_each: {key}, but corpus {path} has no column {key!r}; "
                    f"its columns are {', '.join(map(str, df.columns))}"
                )
            items = sorted({str(v) for v in df[key].dropna() if str(v).strip()})
            if not items:
                raise e.error(f"for_each: {key}, but column {key!r} of corpus {path} is empty in every row")
        for item in items:
            t = _fill(template, key, item) if key else template
            name = slug(t["name"] if not key or "{" + key + "}" in template["name"] else f"{t['name']}-{item}")
            params = dict(t["parameters"])
            for p in PATH_PARAMETERS:
                if params.get(p):  # e.g. an 'analysis extract' run: the notebook reads it, nothing is extracted
                    folder = at(params[p])
                    if not folder.is_dir():
                        raise e.error(
                            f"{p} {params[p]} not found at {folder}; "
                            f"run 'analysis extract CORPUS --out {folder}' or fix the path",
                            name,
                        )
                    params[p] = str(folder)
            shown = dict(params)
            _check_selection(e, name, params, path)
            shown.update({k: params[k] for k in shown if k in SELECTION_PARAMETERS})
            batch = {"corpus": str(path), "cache_dir": cache_dir, "title": t["title"]}
            params.update({k: v for k, v in batch.items() if k in e.known})
            jobs.append(
                Job(
                    name=name,
                    notebook=str(e.notebook),
                    title=t["title"],
                    parameters=params,
                    corpus=str(path),
                    shown=shown,
                    corpus_note=note if path == base else "",
                    cache_dir=cache_dir,
                )
            )
    if not jobs:
        why = "its only report was skipped" if skipped == 1 else f"all {skipped} of its reports were skipped"
        raise AnalysisError(
            f"analysis: {cfg_name}: no report to run: {why} (see above); give a corpus with the columns they need"
        )
    seen: set[str] = set()
    for j in jobs:
        if j.name in seen:
            raise AnalysisError(f"analysis: {cfg_name}: two reports are named {j.name!r}; give them distinct 'name's")
        seen.add(j.name)
    return jobs


def warm_cache(jobs: list[Job], progress: bool = True) -> dict[str, str]:
    """Extract every corpus the jobs use, once, before the report processes start.

    A job given a ``results_dir`` reads that run instead (a large corpus is never loaded whole).
    Returns a description of each corpus for the index, e.g. ``{path: "99 articles"}``.
    """
    about: dict[str, str] = {}
    done: set[tuple[str, str]] = set()
    for j in jobs:
        folder = j.parameters.get("results_dir")
        if folder:
            about.setdefault(j.corpus, f"results read from {folder}")
        elif "corpus" in j.parameters and (j.corpus, j.cache_dir) not in done:
            df = corpus_frame(j.corpus)
            cache.extract_cached(df, j.cache_dir, progress=progress)
            done.add((j.corpus, j.cache_dir))
            about[j.corpus] = "; ".join(x for x in (counted(len(df), "article"), j.corpus_note) if x)
    return about
