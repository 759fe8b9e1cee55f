"""Optional dependencies (the extras of pyproject.toml), imported when first needed.

A missing one is a one-line ``AnalysisError`` saying which extra installs it, never an
``ImportError`` traceback.
"""

from __future__ import annotations

import importlib

from analysis.errors import AnalysisError


def require_dask():
    """The dask module, with ``dask.dataframe`` and ``distributed`` importable."""
    try:
        dask = importlib.import_module("dask")
        importlib.import_module("dask.dataframe")
        importlib.import_module("distributed")
    except ImportError:
        raise AnalysisError(
            "analysis: Dask is not installed; install it with "
            "pip install -e '.[dask]' (or pip install 'dask[distributed]')"
        ) from None
    return dask
