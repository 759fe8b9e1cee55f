"""Checks a finished report folder (CI: after `analysis report --config reports/ci.yml --out DIR`).

Set ANALYSIS_REPORTS_DIR (or ANALYSIS_CI_REPORTS) to the folder; skipped when unset. ANALYSIS_MIN_OUTLET_REPORTS
(default 9, the outlets of the demo corpus) is the number of outlet reports the index must link.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

# .ci/run exports ANALYSIS_CI_REPORTS; ANALYSIS_REPORTS_DIR is the name for everyone else
DIR = os.environ.get("ANALYSIS_REPORTS_DIR") or os.environ.get("ANALYSIS_CI_REPORTS")
pytestmark = pytest.mark.skipif(not DIR, reason="set ANALYSIS_REPORTS_DIR to a finished reports folder")
MIN_OUTLETS = int(os.environ.get("ANALYSIS_MIN_OUTLET_REPORTS", "9"))


@pytest.fixture(scope="module")
def out() -> Path:
    return Path(DIR)


@pytest.fixture(scope="module")
def outcomes(out) -> list[dict]:
    return json.loads((out / "batch.json").read_text(encoding="utf-8"))


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pypdf = pytest.importorskip("pypdf", reason="install poppler-utils (pdftotext) to check PDF text")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def test_every_report_finished(outcomes):
    failed = [f"{o['name']}: {o['cell']} {o['error']}" for o in outcomes if o["error"]]
    assert not failed, failed


def test_index_links_every_report(out, outcomes):
    index = (out / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"]+)"', index))
    kinds = [o["notebook"] for o in outcomes]
    assert kinds.count("outlet_report") >= MIN_OUTLETS
    assert "comparison" in kinds and "article" in kinds
    for o in outcomes:
        assert os.path.relpath(o["html"], out) in links, f"index does not link {o['name']}"
        assert (out / os.path.relpath(o["html"], out)).exists()


@pytest.mark.parametrize("kind", ["html", "pdf"])
def test_each_report_reads_well(out, outcomes, kind):
    for o in outcomes:
        assert o[kind], f"{o['name']}: no {kind}"
        path = out / os.path.relpath(o[kind], out)
        if kind == "html":
            page = path.read_text(encoding="utf-8")
            assert 'class="highlight hl-' not in page and "from analysis import" not in page, f"{o['name']}: code shown"
            assert re.search(r'<img [^>]*src="data:image/png;base64,', page), f"{o['name']}: no embedded chart"
            assert o["title"].replace("&", "&amp;") in page
        else:
            text = " ".join(_pdf_text(path).split())
            assert o["title"] in text, f"{o['name']}: title {o['title']!r} not in the PDF text"
