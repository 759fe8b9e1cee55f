"""The pipeline: one Doc per article, named steps in order, switched off by name, needs checked."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import pipeline
from analysis.doc import Doc
from analysis.errors import AnalysisError
from analysis.pipeline import Article, article_tallies, extract_article, extract_chunk
from analysis.schema import SOURCE_TYPES, TALLY_COLUMNS


@pytest.fixture(scope="module")
def seed_article(seed_text) -> Article:
    return extract_article("seed", seed_text)


def test_the_steps_in_order():
    assert pipeline.STEP_NAMES == ("attributions", "sources", "hedges", "tallies")
    assert pipeline.steps() == pipeline.STEPS
    assert [s.name for s in pipeline.steps(("tallies",))] == ["attributions", "sources", "hedges"]
    assert [s.name for s in pipeline.steps(("attributions", "sources"))] == ["hedges", "tallies"]


def test_switching_off_a_needed_step_names_both():
    with pytest.raises(AnalysisError, match=r"step 'sources' needs step 'attributions', which is switched off") as err:
        pipeline.steps(("attributions",))
    assert "'sources'" in str(err.value) and "'attributions'" in str(err.value)
    with pytest.raises(AnalysisError, match="'sources'.*'attributions'"):
        extract_article("x", "Officials said the talks may resume.", disable=("attributions",))


def test_an_unknown_step_is_an_error_listing_the_steps():
    with pytest.raises(
        AnalysisError,
        match=r"unknown pipeline step\(s\) hedging; "
        r"the steps are attributions, sources, hedges, tallies",
    ):
        pipeline.steps(("hedging",))
    with pytest.raises(AnalysisError, match="the steps are attributions, sources, hedges, tallies"):
        extract_article("x", "It may rain.", disable=("sources", "typo"))


def test_extract_article_gives_the_doc_and_what_the_steps_found(seed_article, seed_text):
    art = seed_article
    assert isinstance(art, Article) and art.article_id == "seed"
    assert isinstance(art.doc, Doc) and art.doc.text == seed_text
    assert art.attributions and art.hedges
    assert all(a.article_id == "seed" for a in (*art.attributions, *art.hedges))
    assert [a.attribution_id for a in art.attributions] == list(range(len(art.attributions)))
    assert [h.hedge_id for h in art.hedges] == list(range(len(art.hedges)))
    assert all(a.source_type in SOURCE_TYPES for a in art.attributions)
    assert list(art.tallies) == ["article_id", *TALLY_COLUMNS]
    assert art.tallies == article_tallies("seed", art.doc, art.attributions, art.hedges)
    assert art.tallies["n_words"] == art.doc.n_words


def test_switching_off_sources_leaves_source_types_empty(seed_article, seed_text):
    art = extract_article("seed", seed_text, disable=("sources",))
    assert art.attributions and all(a.source_type is None for a in art.attributions)
    # the spans the attribution step found are the same; sources only adds to them
    spans = ("cue_start", "cue_end", "source_start", "source_end", "content_start", "content_end")
    assert [[getattr(a, k) for k in spans] for a in art.attributions] == [
        [getattr(a, k) for k in spans] for a in seed_article.attributions
    ]
    assert sum(art.tallies[f"n_source_{t}"] for t in SOURCE_TYPES) == 0
    frames, failed = extract_chunk(
        pd.DataFrame({"article_id": ["seed"], "text": [seed_text]}),
        extractor=lambda aid, text: extract_article(aid, text, disable=("sources",)),
    )
    assert not failed and len(frames.attributions) == len(art.attributions)
    assert frames.attributions["source_type"].isna().all()


def test_hedges_alone_are_all_in_the_reporters_voice(seed_article, seed_text):
    art = extract_article("seed", seed_text, disable=("attributions", "sources"))
    assert art.attributions == []
    assert art.hedges and all(h.voice == "reporter" and h.attribution_id is None for h in art.hedges)
    # the same cues as the full pipeline finds; only their voice can differ
    cues = ("start", "end", "text", "category", "is_hedge", "rule")
    assert [[getattr(h, k) for k in cues] for h in art.hedges] == [
        [getattr(h, k) for k in cues] for h in seed_article.hedges
    ]
    assert art.tallies["n_attributions"] == 0 and art.tallies["n_hedges_source"] == 0


def test_switching_off_tallies_and_everything():
    art = extract_article("x", "Officials said the talks may resume.", disable=("tallies",))
    assert art.tallies is None and art.attributions and art.hedges
    art = extract_article("x", "Officials said the talks may resume.", disable=pipeline.STEP_NAMES)
    assert (art.attributions, art.hedges, art.tallies) == ([], [], None)
    assert art.doc.text == "Officials said the talks may resume."


def test_non_text_is_an_empty_article():
    for text in (None, float("nan"), ""):
        art = extract_article("x", text)
        assert art.doc.text == "" and art.attributions == [] and art.hedges == []
        assert art.tallies["n_words"] == 0 and art.tallies["hedges_per_1k_words"] == 0.0


def test_a_custom_extractor_returns_an_article():
    def only_hedges(aid, text):
        return extract_article(aid, text, disable=("attributions", "sources"))

    df = pd.DataFrame({"article_id": ["a", "b"], "text": ["It may rain.", "Nothing here."], "outlet": ["X", "Y"]})
    frames, failed = extract_chunk(df, extractor=only_hedges)
    assert not failed and len(frames.attributions) == 0
    assert frames.hedges["article_id"].tolist() == ["a"] and frames.hedges["voice"].tolist() == ["reporter"]
    assert frames.articles["outlet"].tolist() == ["X", "Y"] and frames.articles["n_hedges"].tolist() == [1, 0]
