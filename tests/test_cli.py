"""The command line as a user meets it: each mistake of issue 13 is one line on stderr and exit 2.

Every case runs ``analysis`` itself (``cli.main``, or the installed command in a subprocess) on
real files, and checks the exact line and the exit status; what was on disk before must still be
there afterwards, and nothing half-written may be left.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from report_fixtures import corpus_frame

import analysis
from analysis import cli, corpus, runs

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "sample" / "kursk-monument-article.txt"


def run(argv, capsys) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus_csv(tmp_path) -> Path:
    path = tmp_path / "corpus.csv"
    corpus_frame().to_csv(path, index=False)
    return path


def _config(tmp_path: Path, corpus_csv: Path, entry: str) -> Path:
    path = tmp_path / "r.yml"
    path.write_text(
        f"corpus: {corpus_csv}\nreports:\n  - notebook: {REPO / 'notebooks' / 'outlet_report.ipynb'}\n{entry}",
        encoding="utf-8",
    )
    return path


# --- analysis --version --------------------------------------------------------------------------


def test_version():
    done = subprocess.run([sys.executable, "-m", "analysis", "--version"], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"analysis {analysis.__version__}\n", "")


# --- analysis report: a mistake in the config stops the batch before any report runs ---------------


def test_report_with_a_misspelt_parameter_exits_2_before_running(tmp_path, corpus_csv, capsys):
    cfg = _config(
        tmp_path, corpus_csv, '    name: bbc\n    title: "Sources and hedging: BBC"\n    parameters: {outlett: BBC}\n'
    )
    code, out, err = run(["report", "--config", cfg, "--out", tmp_path / "out", "--no-pdf"], capsys)
    assert code == 2 and out == ""
    assert err.startswith(
        f"analysis: {cfg} report 1 (bbc): outlet_report.ipynb has no parameter 'outlett'; did you mean 'outlet'? "
        "its parameters are outlet, "
    )
    assert err.count("\n") == 1 and not (tmp_path / "out").exists()


def test_report_on_an_outlet_not_in_the_corpus_exits_2(tmp_path, corpus_csv, capsys):
    cfg = _config(tmp_path, corpus_csv, "    name: guardian\n    parameters: {outlet: Guardian}\n")
    code, out, err = run(["report", "--config", cfg, "--out", tmp_path / "out", "--no-pdf"], capsys)
    assert (code, out, err) == (
        2,
        "",
        f"analysis: {cfg} report 1 (guardian): {corpus_csv}: outlet 'Guardian' matches no article; "
        "the outlets are BBC, CNN (case and accents are ignored)\n",
    )


def test_report_for_each_on_a_missing_column_exits_2(tmp_path, corpus_csv, capsys):
    cfg = _config(tmp_path, corpus_csv, "    for_each: section\n    title: 'Section {section}'\n")
    code, out, err = run(["report", "--config", cfg, "--out", tmp_path / "out", "--no-pdf"], capsys)
    assert (code, out, err) == (
        2,
        "",
        f"analysis: {cfg} report 1 (outlet_report): for_each: section, but corpus {corpus_csv} has no column "
        "'section'; its columns are article_id, text, outlet, published, title, url\n",
    )


def test_report_out_that_is_a_file_exits_2(tmp_path, corpus_csv, capsys):
    afile = tmp_path / "afile.txt"
    afile.write_text("keep me", encoding="utf-8")
    cfg = _config(tmp_path, corpus_csv, "    parameters: {outlet: BBC}\n")
    code, out, err = run(["report", "--config", cfg, "--out", afile, "--no-pdf"], capsys)
    assert (code, err) == (
        2,
        f"analysis: cannot write {afile}: it is a file, not a folder; choose another --out folder\n",
    )
    assert afile.read_text(encoding="utf-8") == "keep me"


@pytest.mark.slow
def test_report_runs_from_any_folder_and_says_report_in_the_singular(tmp_path, corpus_csv):
    """A config with relative paths, run by the installed command from an unrelated folder."""
    desk = tmp_path / "desk"
    desk.mkdir()
    corpus_csv.rename(desk / "corpus.csv")
    (desk / "r.yml").write_text(
        "corpus: corpus.csv\ncache_dir: cache\nreports:\n"
        f"  - notebook: {os.path.relpath(REPO / 'notebooks' / 'outlet_report.ipynb', desk)}\n"
        "    name: rte\n    title: 'Sources and hedging: bbc'\n    parameters: {outlet: bbc, examples: 1}\n",
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = [str(Path(sys.executable).parent / "analysis"), "report", "--config", "../desk/r.yml", "--out", "out"]
    done = subprocess.run([*command, "--no-pdf", "--jobs", "1"], cwd=elsewhere, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("analysis: 1 of 1 report done in ")
    assert done.stdout.rstrip().endswith(f"-> {elsewhere / 'out' / 'index.html'}")
    assert (desk / "cache").is_dir() and not (elsewhere / "cache").exists()
    index = (elsewhere / "out" / "index.html").read_text(encoding="utf-8")
    assert f"by analysis {analysis.__version__}" in index and "outlet = BBC" in index and "corpus.csv" in index
    (outcome,) = json.loads((elsewhere / "out" / "batch.json").read_text(encoding="utf-8"))
    assert outcome["parameters"] == {"outlet": "BBC", "examples": 1}  # the corpus's own spelling
    record = analysis.reports.read_records(outcome["executed"])["headline"]
    assert record["n_articles"] == 2  # a1 and a2: the BBC articles, not every outlet


# --- analysis extract: write failures --------------------------------------------------------------


def test_extract_out_that_is_a_file_exits_2(tmp_path, corpus_csv, capsys):
    afile = tmp_path / "afile.txt"
    afile.write_text("keep me", encoding="utf-8")
    code, out, err = run(["extract", corpus_csv, "--out", afile, "--no-progress", "--workers", "1"], capsys)
    assert (code, out, err) == (
        2,
        "",
        f"analysis: cannot write {afile}: it is a file, not a folder; choose another --out folder "
        "(it is made if missing)\n",
    )
    assert afile.read_text(encoding="utf-8") == "keep me"
    code, _, err = run(["extract", corpus_csv, "--out", afile / "sub", "--no-progress"], capsys)
    assert (code, err) == (
        2,
        f"analysis: cannot write {afile / 'sub'}: {afile} is a file, not a folder; choose another --out folder\n",
    )


def test_extract_into_a_folder_without_permission_exits_2(tmp_path, corpus_csv, capsys, monkeypatch):
    """As the system says it when a folder cannot be made (simulated: the tests may run as root)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_mkdir = os.mkdir

    def mkdir(path, *args, **kw):
        p = Path(path)
        if locked in p.parents:
            if not p.parent.exists():
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(p))
            raise PermissionError(errno.EACCES, "Permission denied", str(p))
        return real_mkdir(path, *args, **kw)

    monkeypatch.setattr(os, "mkdir", mkdir)
    out = locked / "out"
    code, _, err = run(["extract", corpus_csv, "--out", out, "--no-progress", "--workers", "1"], capsys)
    assert (code, err) == (
        2,
        f"analysis: cannot write {out}: no permission to write there; "
        "choose another --out folder or change its permissions\n",
    )
    deep = locked / "a" / "out"
    code, _, err = run(["extract", corpus_csv, "--out", deep, "--no-progress", "--workers", "1"], capsys)
    assert err == (
        f"analysis: cannot write {deep} ({locked / 'a'}): no permission to write there; "
        "choose another --out folder or change its permissions\n"
    )
    assert list(locked.iterdir()) == []


def test_extract_on_a_full_disk_exits_2_and_replaces_nothing(tmp_path, corpus_csv, capsys, monkeypatch):
    out = tmp_path / "out"
    assert run(["extract", corpus_csv, "--out", out, "--no-progress", "--workers", "1"], capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_write = runs._write_csv
    calls = []

    def write_csv(df, fh, header):
        calls.append(1)
        if len(calls) > 3:  # the first chunk's three files are written, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(df, fh, header)

    monkeypatch.setattr(runs, "_write_csv", write_csv)
    argv = ["extract", corpus_csv, "--out", out, "--no-progress", "--workers", "1", "--chunk-size", "2"]
    code, out_text, err = run(argv, capsys)
    assert (code, out_text, err) == (
        2,
        "",
        f"analysis: cannot write {out}: the disk is full; free some space or choose another --out folder "
        f"on another disk (nothing in {out} was replaced)\n",
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the earlier run, whole; no .partial


def test_an_unforeseen_os_error_is_still_one_line(tmp_path, corpus_csv, capsys, monkeypatch):
    def unreadable(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", str(corpus_csv))

    monkeypatch.setattr(corpus, "_raw_chunks", unreadable)
    code, _, err = run(["extract", corpus_csv, "--out", tmp_path / "out", "--no-progress"], capsys)
    assert (code, err) == (2, f"analysis: {corpus_csv}: permission denied; check its permissions\n")


# --- analysis extract: encodings, grammar, a huge article ----------------------------------------------


def test_extract_a_latin1_csv_names_the_row_or_skips_each_bad_row(tmp_path, capsys):
    p = tmp_path / "latin1.csv"
    p.write_bytes(
        b"article_id,outlet,text\n"
        b'a,BBC,"The minister said the talks\nmay resume."\n'
        b"b,RT\xc9,Officials said it was over.\n"
        b"c,CNN,Critics argued the deal might fail.\n"
    )
    out = tmp_path / "out"
    code, _, err = run(["extract", p, "--out", out, "--no-progress", "--workers", "1"], capsys)
    assert (code, err) == (
        2,
        f"analysis: {p} row 3: column 'outlet' is not valid UTF-8 (byte 0xC9, 'É' in Latin-1, after 'RT'); "
        "re-save the file as UTF-8\n",
    )
    assert not out.exists()
    argv = ["extract", p, "--out", out, "--no-progress", "--workers", "1", "--on-error", "skip"]
    code, stdout, err = run(argv, capsys)
    reason = "column 'outlet' is not valid UTF-8 (byte 0xC9, 'É' in Latin-1, after 'RT'); re-save the file as UTF-8"
    assert code == 0 and stdout.startswith("analysis: 2 articles, ")
    assert err.splitlines() == [
        f"analysis: skipped {p} row 3: {reason}",
        f"analysis: 1 row skipped, listed in {out / 'run.json'}",
    ]
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert summary["skipped"] == [{"file": str(p), "where": "row 3", "reason": reason}]
    assert summary["counts"]["articles"] == 2


def test_extract_counts_in_good_english(tmp_path, capsys):
    one = tmp_path / "one.csv"
    corpus_frame().iloc[[3]].to_csv(one, index=False)  # "Nothing happened today. The weather was fine."
    code, stdout, _ = run(["extract", one, "--out", tmp_path / "out", "--no-progress", "--workers", "1"], capsys)
    counts = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["counts"]

    def n(k, noun):
        return f"{counts[k]} {noun}{'' if counts[k] == 1 else 's'}"

    assert code == 0
    assert (
        stdout
        == f"analysis: 1 article, {n('attributions', 'attribution')}, {n('hedges', 'hedge')} -> {tmp_path / 'out'}\n"
    )


def test_a_huge_article_is_named_once_before_it_is_extracted(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(corpus, "LARGE_ARTICLE_BYTES", 3_000)  # the seed article is 3,434 bytes
    p = tmp_path / "c.csv"
    rows = [*corpus_frame().itertuples(index=False)]
    big = ("seed", "BBC", "2017-01-01", "Kursk", "", SEED.read_text(encoding="utf-8"))
    corpus_frame([*rows, big]).to_csv(p, index=False)
    argv = ["extract", p, "--out", tmp_path / "out", "--no-progress", "--workers", "1", "--chunk-size", "1"]
    code, _, err = run(argv, capsys)
    assert code == 0
    assert err.splitlines() == [
        "analysis: article 'seed' is 3.4 kB of text: it is extracted in one piece (roughly 5 s per MB), "
        "so the progress bar stands still meanwhile"
    ]
