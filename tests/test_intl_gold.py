"""The hand-coded non-US attribution gold (tests/data/intl_attributions_*.csv) is well-formed.

The gold holds offsets only; the texts come from the demo corpus (``make data``), so the checks
that need the texts skip when it is not downloaded. Scores: benchmarks/eval_intl_attributions.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from analysis import evaluate
from analysis.corpus import load_corpus

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "intl_attributions_gold.csv"
ARTICLES = REPO / "tests" / "data" / "intl_attributions_articles.csv"
CORPUS = REPO / "data" / "external" / "news_articles.csv"
OUTLETS = ["TASS", "China Daily", "BBC", "RTÉ", "DW", "Al Jazeera"]
ROLES = ("cue", "source", "content")
COLUMNS = [
    "article_id",
    "outlet",
    "split",
    "cue_start",
    "cue_end",
    "source_start",
    "source_end",
    "content_start",
    "content_end",
    "cue_text",
    "source_text",
    "content_text",
    "note",
]


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    return pd.read_csv(GOLD, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    return pd.read_csv(ARTICLES, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    if not CORPUS.is_file():
        pytest.skip(f"{CORPUS} not downloaded (run make data); the gold texts come from it")
    df = load_corpus(CORPUS, on_error="skip")
    return df.assign(article_id=df["article_id"].astype(str)).set_index("article_id")


def test_columns_and_article_list(gold, articles):
    assert list(gold.columns) == COLUMNS
    assert list(articles.columns) == ["article_id", "outlet", "split", "n_words"]
    assert articles["article_id"].is_unique and len(articles) == 24
    # two tune and two blind articles per outlet
    counts = articles.groupby(["outlet", "split"]).size()
    assert {(o, s): 2 for o in OUTLETS for s in ("tune", "blind")} == counts.to_dict()
    assert set(gold["article_id"]) <= set(articles["article_id"])
    listed = articles.set_index("article_id")
    assert (gold["outlet"] == listed.loc[gold["article_id"], "outlet"].to_numpy()).all()
    assert (gold["split"] == listed.loc[gold["article_id"], "split"].to_numpy()).all()


def test_offsets_are_well_formed(gold):
    for i, row in gold.iterrows():
        assert row["cue_start"] and row["cue_end"], f"row {i}: every attribution has a cue"
        for role in ROLES:
            a, b = row[f"{role}_start"], row[f"{role}_end"]
            assert bool(a) == bool(b) == bool(row[f"{role}_text"]), f"row {i}: {role} half empty"
            if a:
                assert 0 <= int(a) < int(b), f"row {i}: {role} {a}-{b}"
                assert int(b) - int(a) == len(row[f"{role}_text"]), f"row {i}: {role} length"
    cues = gold[["article_id", "cue_start", "cue_end"]]
    assert not cues.duplicated().any(), "two attributions share one cue span"


def test_articles_are_the_hash_selection(corpus, articles):
    """The first four articles of 150-500 words per outlet in sha256(article_id) order: not hand-picked."""
    df = corpus.reset_index()
    df["n_words"] = df["text"].str.split().str.len()
    df = df[df["n_words"].between(150, 500) & df["outlet"].isin(OUTLETS)]
    df = df.assign(h=df["article_id"].map(lambda a: hashlib.sha256(a.encode()).hexdigest())).sort_values("h")
    expected = {a for o in OUTLETS for a in df[df["outlet"] == o]["article_id"].head(4)}
    assert set(articles["article_id"]) == expected
    n_words = df.set_index("article_id")["n_words"]
    assert all(int(n) == n_words[a] for a, n in zip(articles["article_id"], articles["n_words"]))


def test_spans_match_the_corpus_texts(corpus, gold):
    for i, row in gold.iterrows():
        text = corpus.loc[row["article_id"], "text"]
        for role in ROLES:
            if row[f"{role}_start"]:
                a, b = int(row[f"{role}_start"]), int(row[f"{role}_end"])
                assert b <= len(text), f"row {i}: {role} ends after the text"
                assert text[a:b] == row[f"{role}_text"], f"row {i}: {role} text differs"


def test_gold_loads_through_load_gold_csv(corpus, gold, articles, tmp_path):
    """The layout the benchmark writes (text/<id>.txt + attributions.csv) reads back unchanged."""
    (tmp_path / "text").mkdir()
    for aid in articles["article_id"]:
        (tmp_path / "text" / f"{aid}.txt").write_bytes(corpus.loc[aid, "text"].encode("utf-8"))
    gold.drop(columns=["note"]).to_csv(tmp_path / "attributions.csv", index=False)
    loaded = evaluate.load_gold_csv(tmp_path)
    assert set(loaded) == set(articles["article_id"])  # articles without attributions are gold too
    assert sum(len(attrs) for _, attrs in loaded.values()) == len(gold)
    for aid, (text, attrs) in loaded.items():
        assert text == corpus.loc[aid, "text"]
        rows = gold[gold["article_id"] == aid]
        coded = zip(rows["cue_start"].astype(int), rows["cue_end"].astype(int))
        assert sorted(a.cue[0] for a in attrs) == sorted(coded)
