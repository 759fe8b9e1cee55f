"""Where things are: the one place for default paths and the folders the package reads.

Relative defaults (``data/cache``, ``reports``) are relative to the *project folder*: the nearest
folder at or above the current one that holds ``reports/reports.yml`` or ``pyproject.toml`` next to
``src/analysis`` -- so a notebook run by papermill from ``notebooks/`` or from the repository root
finds the same data. Outside a project they are relative to the current folder.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

DATA = "data"
DEMO_CORPUS = "data/external/news_articles.csv"
SAMPLE_CORPUS = "data/sample"
CACHE = "data/cache"
REPORTS = "reports"
REPORTS_CONFIG = "reports/reports.yml"

LEXICONS_ENV = "ANALYSIS_LEXICONS"  # a folder of the user's own lexicon copies
SHARED_ENV = "ANALYSIS_SHARED"  # the research corpora (PolNeAR, Szeged), for training and evaluation


def _is_project(folder: Path) -> bool:
    return (folder / REPORTS_CONFIG).is_file() or (
        (folder / "pyproject.toml").is_file() and (folder / "src" / "analysis").is_dir()
    )


def project_root(start: str | os.PathLike | None = None) -> Path:
    """The project folder at or above ``start`` (default: the current folder), else ``start`` itself."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    return here


def resolve(path: str | os.PathLike, base: str | os.PathLike | None = None) -> Path:
    """``path`` as given when absolute or present; else relative to ``base`` (default: the project folder).

    A notebook in ``notebooks/`` that names ``data/external/news_articles.csv`` finds the file in
    the project folder, whichever folder papermill runs it from.
    """
    p = Path(path).expanduser()
    if p.is_absolute() or (base is None and p.exists()):
        return p
    return Path(base) / p if base is not None else project_root() / p


@functools.lru_cache(maxsize=1)
def package_folder() -> Path:
    # importlib.resources is slow (about 0.2 ms a call) and engines look paths up per article
    return Path(str(resources.files("analysis")))


def lexicon_folder() -> Path:
    return package_folder() / "lexicons"


def model_folder() -> Path:
    return package_folder() / "models"


def shared_folder() -> Path:
    """The shared research data: ``$ANALYSIS_SHARED``, else ``shared/`` beside the project folder."""
    env = os.environ.get(SHARED_ENV)
    return Path(env) if env else project_root(Path(__file__).parent).parent / "shared"
