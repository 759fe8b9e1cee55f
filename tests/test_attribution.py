"""The attribution engine on real text (the seed article, PolNeAR), crafted phenomena, edge cases,
property tests, and a regression guard on PolNeAR dev scored by the judges' scorer."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import attribution, train
from analysis.attribution import cues, patterns
from analysis.doc import Doc
from analysis.lexicon import load_lexicon
from analysis.pipeline import extract_article


def find(text):
    return attribution.find_attributions(Doc(text))


def check_spans(text, attrs):
    for a in attrs:
        for key in ("cue", "source", "content", "sentence"):
            s, e = getattr(a, f"{key}_start"), getattr(a, f"{key}_end")
            if s is None:
                assert e is None
                continue
            assert 0 <= s < e <= len(text), (key, a)
            if key != "sentence":
                assert text[s:e] == getattr(a, f"{key}_text")
    starts = [a.cue_start for a in attrs]
    assert None not in starts and starts == sorted(starts)  # every attribution has a cue, in text order


def by_cue(attrs, cue_text):
    hits = [a for a in attrs if a.cue_text == cue_text]
    assert hits, f"no attribution with cue {cue_text!r}: {[a.cue_text for a in attrs]}"
    return hits[0]


# --- the seed article ------------------------------------------------------------------------------
SEED_EXPECTED = [  # (a word of the source, cue lemma)
    ("Chebanenko", "say"),  # headline: ‘A Symbol of Unity and Sacrifice,’ Says Sculptor Alexei Chebanenko
    ("Chebanenko", "reveal"),
    ("he", "emphasize"),
    ("he", "say"),  # ‘We have sketches ...,’ he said
    ("Chebanenko", "share"),  # This revelation was shared by Alexei Chebanenko
    ("Lavrov", "confirm"),
    ("Belyushikov", "highlight"),
    ("Russian officials", "statement"),
    ("some in Russia", "view"),
    ("others", "question"),
    ("Critics", "argue"),
    ("supporters", "see"),
]


def test_seed_article_attributions(seed_text):
    attrs = find(seed_text)
    check_spans(seed_text, attrs)
    got = [(a.source_text or "", a.cue_lemma) for a in attrs]
    for word, lemma in SEED_EXPECTED:
        assert any(word in src and lemma == lem for src, lem in got), (word, lemma, got)
    assert not any("Cho Son-hui" in (a.source_text or "") for a in attrs)


def test_seed_article_kinds_and_spans(seed_text):
    attrs = find(seed_text)
    head = by_cue(attrs, "Says")
    assert head.kind == "headline"
    assert head.source_text == "Sculptor Alexei Chebanenko"
    assert head.content_text == "‘A Symbol of Unity and Sacrifice,’"
    shared = by_cue(attrs, "was shared")  # PolNeAR train leaves "by" out of passive cues 58 times in 90
    assert shared.kind == "passive" and shared.source_text == "Alexei Chebanenko"
    lavrov = by_cue(attrs, "confirmed")
    assert lavrov.kind == "mixed" and lavrov.content_text.startswith("that both nations")
    view = by_cue(attrs, "view")
    assert view.cue_category == "belief" and view.content_text == "it as a tribute to a strategic ally"
    said = by_cue(attrs, "said")
    assert said.kind == "direct" and said.content_text.startswith("‘We have sketches")
    assert by_cue(attrs, "argue").cue_category == "assertive"
    assert said.cue_category == "neutral"  # AP style: "said" is neutral


# --- crafted phenomena -------------------------------------------------------------------------------
CRAFTED = [
    # text, cue, source, content, kind
    ('"We will win," Smith said.', "said", "Smith", '"We will win,"', "direct"),
    (
        "“We will win,” said John Smith, a spokesman for the campaign.",
        "said",
        "John Smith, a spokesman for the campaign",
        "“We will win,”",
        "direct",
    ),
    ("'It is a good day,' the senator said.", "said", "the senator", "'It is a good day,'", "direct"),
    ("«We will win», he said.", "said", "he", "«We will win»", "direct"),
    (
        "The mayor said that the budget would be cut next year.",
        "said",
        "The mayor",
        "that the budget would be cut next year",
        "indirect",
    ),
    (
        "According to the report, the economy grew by 3 percent.",
        "According to",
        "the report",
        "the economy grew by 3 percent",
        "according_to",
    ),
    (
        "The economy grew by 3 percent, according to the report.",
        "according to",
        "the report",
        "The economy grew by 3 percent",
        "according_to",
    ),
    (
        "The decision was criticized by several senators.",
        "was criticized",
        "several senators",
        "The decision",
        "passive",
    ),
    ("She said: “This is not over.”", "said", "She", "“This is not over.”", "colon"),
    (
        "He said the deal was “a disaster for everyone.”",
        "said",
        "He",
        "the deal was “a disaster for everyone.”",
        "mixed",
    ),
    ("Critics argue that the plan is too expensive.", "argue", "Critics", "that the plan is too expensive", None),
    ("A new poll shows Clinton leading by five points.", "shows", "A new poll", "Clinton leading by five points", None),
    (
        "Sen. Chuck Grassley (R-Iowa) said the hearing would go ahead.",
        "said",
        "Sen. Chuck Grassley (R-Iowa)",
        "the hearing would go ahead",
        None,
    ),
    ("Officials told reporters that the plan was dead.", "told", "Officials", "that the plan was dead", None),
    ("“It was great,” she said, adding that the crowd loved it.", "adding", "she", "that the crowd loved it", None),
]


@pytest.mark.parametrize("text,cue,source,content,kind", CRAFTED)
def test_crafted_phenomena(text, cue, source, content, kind):
    attrs = find(text)
    check_spans(text, attrs)
    a = by_cue(attrs, cue)
    assert a.source_text == source
    assert a.content_text == content
    if kind:
        assert a.kind == kind


def test_agentless_expectation_has_no_source():
    a = by_cue(find("The governor is expected to sign the bill."), "is expected")
    assert a.source_text is None and a.cue_category == "expectation"


def test_quote_continuing_in_the_same_paragraph_joins_the_content():
    text = "“It was great,” she said. “We loved it.”"
    assert by_cue(find(text), "said").content_text == text


def test_multi_paragraph_quote_is_one_content():
    text = "Title line\n\n“First part of a long quote, and it goes on.\n\n“Second part of it,” he said."
    a = by_cue(find(text), "said")
    assert a.content_text.startswith("“First part") and a.content_text.endswith("of it,”")
    text = "She said: “Opening paragraph of a quote.\n\n“Closing paragraph.”\n\nNext paragraph."
    assert by_cue(find(text), "said").content_text.endswith("Closing paragraph.”")


def test_floating_quote_paragraphs_continue_the_previous_speaker():
    text = (
        "Smith arrived at the rally. “We will win,” he said.\n\n“And we will keep winning.”\n\n"
        "“Nothing can stop us.”\n\nThe crowd cheered.\n\n“A quote after narration.”"
    )
    attrs = find(text)
    check_spans(text, attrs)
    assert len(attrs) == 1  # no cue-less records: the floating quotes join the speaker's content
    said = attrs[0]
    assert said.content_text.startswith("“We will win,”")
    assert said.content_text.endswith("“Nothing can stop us.”")
    assert said.rule.endswith("+floating_quote")


def test_unclosed_quote_content_runs_to_paragraph_end():
    text = 'Jones said "this quote never closes and runs on\n\nA new paragraph.'
    a = by_cue(find(text), "said")
    assert a.content_text == '"this quote never closes and runs on'


def test_nested_content_is_kept_but_coordinate_clauses_are_cut():
    text = "Some in Russia view it as a tribute, others question the plan."
    attrs = find(text)
    assert by_cue(attrs, "view").content_text == "it as a tribute"
    assert by_cue(attrs, "question").source_text == "others"


def test_records_carry_the_contract_fields_and_an_explainable_rule(seed_text):
    for a in find(seed_text):
        for key in ("kind", "cue_lemma", "cue_category", "rule", "sentence_start"):
            assert hasattr(a, key)
        assert a.rule.split(":")[0] and (":cues.csv:" in a.rule or ":model:" in a.rule)


@pytest.mark.parametrize(
    "text, cue, pattern",
    [
        ("According to the report, taxes rose.", "According to", "according_to"),
        ("Statements from Russian officials followed the vote.", "Statements from", "nominal_from"),
        ("The plan was criticized by several senators.", "was criticized", "passive_by"),
        ("Smith attacked the plan, saying it would fail.", "saying", "participle"),
        ("“We will win,” Smith said.", "said", "trailing_quote_subject"),
        ("“We will win,” said Smith.", "said", "trailing_quote_inverted"),
        ("Smith said: “We will win.”", "said", "quote_after"),
        ("Smith said: taxes will rise.", "said", "colon"),
        ("Taxes will rise, the minister warned, citing the deficit.", "warned", "trailing_clause"),
        ("The minister said.", "said", "subject_only"),
        ("The economy is strong, said the minister, pointing to new figures.", "said", "inverted"),
        ("The senator said the bill would pass.", "said", "subject_left"),
        ("The outcome seems certain.", "seems", "agentless"),
    ],
)
def test_rule_names_the_span_pattern_that_fired(text, cue, pattern):
    assert by_cue(find(text), cue).rule.split(":")[0] == pattern


def test_every_rule_comes_from_a_pattern_of_the_tuple(seed_text):
    names = {p.__name__ for p in patterns.PATTERNS}
    assert names >= {"according_to", "passive_by", "trailing_quote", "subject_left"}
    for a in find(seed_text):
        fired = a.rule.split(":")[0]
        assert fired == "agentless" or fired in names or fired.rsplit("_", 1)[0] in names, fired


# --- real PolNeAR articles (train), hand-checked against their gold ---------------------------------
def _train_text(polnear_dir, stem):
    return (polnear_dir / "train" / "text" / f"{stem}.txt").read_text(encoding="utf-8")


def test_polnear_omalley_article(polnear_dir):
    text = _train_text(polnear_dir, "breitbart_2015-11-16_o-malley-campaign-to-shift-staff")
    attrs = find(text)
    check_spans(text, attrs)
    got = {(a.cue_text, a.source_text, a.content_text) for a in attrs}
    # each triple is the gold annotation, word for word
    assert (
        "says",
        "O’Malley’s campaign",
        "it will shift staff from its Baltimore headquarters to the early states",
    ) in got
    assert (
        "says",
        "Spokeswoman Haley Morris",
        "the candidate has “always run a lean campaign and will continue to do so.”",
    ) in got
    # gold has "was first reported by"; PolNeAR train leaves the "by" out of passive cues 58 times in 90
    assert ("was first reported", "MSNBC", "O’Malley’s move") in got


def test_polnear_gingrich_article_title_quote_is_not_content(polnear_dir):
    text = _train_text(polnear_dir, "breitbart_2016-07-14_gingrich-trump-must-decide-if-he")
    attrs = find(text)
    first, second = [a for a in attrs if a.cue_text == "said"][:2]
    assert first.source_text == "Newt Gingrich" and first.content_text.startswith("if presumptive")
    assert second.source_text == "Gingrich" and second.content_text.startswith("“In many ways")
    assert second.content_text.endswith("two-pirate ticket?”")


# --- edge cases and properties -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["", "   \n\n ", '"', "“", "”", "said", "' ' ' said '", "«»«", '\n"\n“\n', "According to", ": : :", "— said —"],
)
def test_degenerate_texts_do_not_raise(text):
    check_spans(text, find(text))


def test_non_string_input_yields_nothing():
    assert extract_article("x", None).attributions == []


@pytest.mark.slow
def test_huge_text_finishes(seed_text):
    text = (seed_text + "\n\n") * (5_000_000 // len(seed_text) + 1)
    attrs = find(text)
    assert len(attrs) > 1000
    assert attrs[-1].cue_end <= len(text)


QUOTEY = st.lists(
    st.one_of(
        st.sampled_from(list("\"'“”‘’«»„‹›`:;,.—\n ")),
        st.sampled_from(["said", "says", "told", "according to", "He", "Smith", "that", "was", "by", " the "]),
        st.characters(),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(QUOTEY)
def test_spans_are_valid_and_deterministic_on_arbitrary_text(text):
    attrs = find(text)
    check_spans(text, attrs)
    assert attrs == find(text)


# --- lexicon, model, training -----------------------------------------------------------------------
def test_cue_lexicon_rows_are_well_formed():
    rows = load_lexicon("cues")
    cats = {r["category"] for r in rows}
    assert cats <= {"neutral", "assertive", "belief", "evidential", "intention", "expectation", "mediated", "stance"}
    assert all(r["lemma"] and r["source"] for r in rows)
    said = next(r for r in rows if r["cue"] == "said")
    assert said["category"] == "neutral" and said["lemma"] == "say"


def test_shipped_model_is_complete():
    m = attribution.model()
    assert m["weights"] and m["vocab"] and m["left"] and m["right"]
    assert 0.2 <= m["threshold"] <= 0.8
    assert "said" in attribution.vocabulary()


def test_training_tables_are_deterministic(polnear_dir):
    arts = train.load_brat(polnear_dir / "train")
    few = {k: arts[k] for k in sorted(arts)[:20]}
    one = train.build(few)
    two = train.build(few)
    assert one[0] == two[0] and one[2] == two[2]
    assert one[2].count(1) > 50  # cue candidates labelled positive


def test_training_rows_are_cue_heads_not_every_word_of_a_cue():
    text = "Smith said in a statement that taxes will rise. The statement was long."
    cue = (text.index("said"), text.index(" that"))
    _, X, y, _, _, _ = train.build({"a": (text, [{"Cue": [cue], "Source": [(0, 5)], "Content": []}])})
    rows = {(row[0], label) for row, label in zip(X, y)}
    assert ("w=said", 1) in rows
    # "statement" inside the cue is no row (neither a cue of its own nor a false alarm); outside it
    # is an ordinary negative
    assert ("w=statement", 1) not in rows and [r for r in rows if r[0] == "w=statement"] == [("w=statement", 0)]


def _eval_folds():
    """The held-out evaluation script (benchmarks/ is not a package)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_attribution_folds.py"
    spec = importlib.util.spec_from_file_location("eval_attribution_folds", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_heldout_sixths_partition_train_in_name_order():
    folds = _eval_folds()
    arts = {f"art{k:02d}": k for k in range(20)}
    held = {s: folds.split(arts, s)[1] for s in folds.SIXTHS}
    assert sorted(held["A"]) == ["art00", "art06", "art12", "art18"]
    assert sorted(held["B"]) == ["art01", "art07", "art13", "art19"]
    assert sorted(k for h in held.values() for k in h) == sorted(arts)  # every article held out once
    rest, out = folds.split(arts, "C")
    assert not set(rest) & set(out) and len(rest) + len(out) == len(arts)


@pytest.mark.slow
def test_model_file_can_be_chosen_by_environment(polnear_dir, tmp_path, monkeypatch):
    # a model trained on a few train articles, written where ANALYSIS_ATTRIBUTION_MODEL points
    arts = train.load_brat(polnear_dir / "train")
    model, _ = train.train_model({k: arts[k] for k in sorted(arts)[:25]})
    assert model["articles"] == 25 and model["weights"].get("w=said", 0.0) > 0
    mute = {**model, "threshold": 1.01, "bias": -50.0}  # passes nothing: only the passive/nominal rules fire
    out = tmp_path / "mute.json"
    train.write_model(mute, out)
    text = "The senator said the bill would pass. It was criticized by several senators."
    monkeypatch.setenv(attribution.MODEL_ENV, str(out))
    assert attribution.model()["threshold"] == 1.01
    muted = find(text)
    assert [a.cue_text for a in muted] == ["was criticized"]
    monkeypatch.delenv(attribution.MODEL_ENV)
    assert attribution.model()["threshold"] < 1  # the shipped model again
    assert "said" in [a.cue_text for a in find(text)]


# --- regression guard on PolNeAR dev, scored by the judges' scorer -----------------------------------
# measured: attr 0.776, exact cue 0.685, exact source 0.696, token content 0.804
DEV_FLOOR = {"attr": 0.76, "exact_cue": 0.66, "exact_source": 0.68, "token_content": 0.78}


def test_polnear_dev_scores_stay_above_floor(polnear_dir, tmp_path):
    scorer = polnear_dir.parents[1] / "tools" / "polnear_score.py"
    if not scorer.exists():
        pytest.skip(f"{scorer} not present")
    dev = polnear_dir / "dev"
    pred = tmp_path / "pred.csv"
    with pred.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["article_id", "cue_start", "cue_end", "source_start", "source_end", "content_start", "content_end"])
        for p in sorted((dev / "text").glob("*.txt")):
            for a in find(p.read_text(encoding="utf-8")):
                w.writerow(
                    [p.stem]
                    + [
                        "" if getattr(a, k) is None else getattr(a, k)
                        for k in ("cue_start", "cue_end", "source_start", "source_end", "content_start", "content_end")
                    ]
                )
    out = subprocess.run(
        [sys.executable, str(scorer), str(dev), str(pred)], capture_output=True, text=True, check=True
    ).stdout
    scores = json.loads(out)
    for metric, floor in DEV_FLOOR.items():
        assert scores[metric]["f1"] >= floor, (metric, scores[metric], floor)


def test_passive_asked_has_no_source_and_passive_cue_leaves_by_out():
    # "X was asked": X is the addressee, the asker unnamed (PolNeAR train: no source 23 times in 29)
    asked = by_cue(find("The senator was asked whether he would run again."), "was asked")
    assert asked.source_text is None and asked.content_text == "whether he would run again"
    assert asked.rule.startswith("agentless:")
    # the agent of a passive reporting verb is its source; "by" stays out of the cue
    crit = by_cue(find("The plan was criticized by several senators on Monday."), "was criticized")
    assert crit.source_text == "several senators" and crit.rule.startswith("passive_by:")


@pytest.mark.parametrize(
    "text, cue, source",
    [
        # a coordinated verb's speaker is the clause subject, not "the plant and"
        ("The senator visits the plant and says the jobs will stay.", "says", "The senator"),
        # a participle right after a closing quote continues the speaker to the left
        ("Smith told the crowd, “We will win,” adding that the polls were wrong.", "adding", "Smith"),
        # "Name, appositive, said X": the speaker is the name, not the clause after "said"
        (
            "Mary Jones, a spokeswoman for the group, said the mayor was wrong.",
            "said",
            "Mary Jones, a spokeswoman for the group",
        ),
        # only "say" inverts mid-sentence: "Content, said X"
        ("The economy is strong, said the minister, pointing to new figures.", "said", "the minister"),
        ("Mr. Bush, known as Jeb, remembers the pastor fondly.", "remembers", "Mr. Bush, known as Jeb"),
        # a source never ends in an auxiliary nor is the expletive "there"
        ("Donald Trump Is Calling For A Ban\n\nThe story follows.", "Calling For", "Donald Trump"),
        ("There are fears that the deal will collapse.", "are fears", None),
    ],
)
def test_source_side_of_the_cue(text, cue, source):
    assert by_cue(find(text), cue).source_text == source


# --- the scorer's tables against the feature strings the model was trained on ------------------------
def _string_score(m, feats):
    """The model's definition: the bias plus the weight of each feature string, in order."""
    z = m.get("bias", 0.0) + sum(m["weights"].get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _assert_scores_match_strings(text):
    m = attribution.model()
    doc = Doc(text)
    for i in cues.cue_candidates(doc):
        sent = doc.sentence_tokens(i)
        # bit-identical: a float summed in another order could flip a decision at the threshold
        assert cues.cue_score(doc, i, sent, m) == _string_score(m, cues.cue_features(doc, i, sent))


def test_scorer_tables_equal_the_feature_string_weights(seed_text, polnear_dir):
    _assert_scores_match_strings(seed_text)
    for path in sorted((polnear_dir / "dev" / "text").glob("*.txt"))[:10]:
        _assert_scores_match_strings(path.read_text(encoding="utf-8"))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "said",
                "says",
                "told",
                "according",
                "to",
                "that",
                "the_a",
                "_",
                "_said",
                "said_",
                "Trump",
                "he",
                "“",
                "”",
                '"',
                ",",
                ".",
                ":",
                "\n",
                "believes",
                "statement",
                "from",
                "by",
                "was",
                "who",
            ]
        ),
        max_size=30,
    )
)
def test_scorer_tables_hold_for_tokens_with_underscores(words):
    # "\w" tokens may hold "_", the separator of the two-word feature strings
    _assert_scores_match_strings(" ".join(words))


def test_feature_tables_split_every_way():
    weights = {"wn1=a_b_c": 1.0, "sp2=<Cap>,": 2.0, "w=x": 3.0, "that_next": 4.0, "wsp1=a_b<low>": 5.0}
    tables = cues._feature_tables(weights, frozenset({"a", "a_b"}))
    for_ab = cues._word_tables(tables, "a_b", "none")
    for_a = cues._word_tables(tables, "a", "none")
    wn1 = [t for t, spec in enumerate(cues._TEMPLATES) if spec[0] == "wn1"][0]
    sp2 = [t for t, spec in enumerate(cues._TEMPLATES) if spec[0] == "sp2"][0]
    assert for_ab[wn1] == {"c": 1.0} and for_a[wn1] == {"b_c": 1.0}  # "wn1=" + w + "_" + n1, both ways
    assert for_a[sp2][("<Cap>", ",")] == 2.0 and for_a[cues._W] == {"x": 3.0}
    assert tables["that_next"] == 4.0
    wsp1 = [t for t, spec in enumerate(cues._TEMPLATES) if spec[0] == "wsp1"][0]
    assert for_ab[wsp1] == {"<low>": 5.0} and for_a[wsp1] == {"_b<low>": 5.0}


def test_a_word_outside_the_candidates_is_scored_from_its_feature_strings(seed_text):
    m = attribution.model()
    doc = Doc(seed_text)
    others = [i for i, w in enumerate(doc.low) if w not in attribution.vocabulary()][:50]
    for i in others:
        sent = doc.sentence_tokens(i)
        assert cues.cue_score(doc, i, sent, m) == _string_score(m, cues.cue_features(doc, i, sent))


def test_appositive_summary_is_not_part_of_the_content():
    text = (
        "Belyushikov previously highlighted the significant consequences of the deployment, "
        "a statement that has fueled speculation about the scale of the support."
    )
    (att,) = [a for a in find(text) if a.cue_text.endswith("highlighted")]
    assert att.content_text.endswith("consequences of the deployment")
    assert "speculation" not in att.content_text
