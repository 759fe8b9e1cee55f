"""Shared fixtures: the seed article and the shared corpora (PolNeAR, Szeged) beside the repo.

The corpora live in ``../shared`` (set ANALYSIS_SHARED to point elsewhere); CI has them. They are
never copied into the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED", REPO.parent / "shared"))
SEED = REPO / "data" / "sample" / "kursk-monument-article.txt"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not present (set ANALYSIS_SHARED to the shared data folder)")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _need(SHARED)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def polnear_dir() -> Path:
    return _need(SHARED / "corpora" / "polnear")


@pytest.fixture(scope="session")
def szeged_xml() -> Path:
    return _need(SHARED / "corpora" / "szeged-uncertainty" / "wiki.xml")
