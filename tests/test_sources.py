"""Source typing and speaker resolution: the seed article, hand-labelled PolNeAR sources, edge cases."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.doc import Doc
from analysis.evaluate import read_ann
from analysis.pipeline import extract_article
from analysis.records import Attribution
from analysis.schema import SOURCE_TYPES
from analysis.sources import annotate_sources

# Hand-labelled gold source spans: "gold" (PolNeAR train, 146 sources; the lexicons were tuned on
# it) and "heldout" (PolNeAR dev, 96 sources in two batches, each labelled and scored before any
# fix it prompted; see docs/sources.md for the blind figures).
GOLD = Path(__file__).parent / "data" / "source_types_gold.csv"
HELDOUT = Path(__file__).parent / "data" / "source_types_heldout.csv"
# set on every attribution (``speaker`` and its span stay None where there is no one to name)
FILLED = ("source_type", "anonymity_explained", "source_rule")


def _att(text: str, source: str | None, after: str = "", cue_len: int = 4) -> Attribution:
    """An attribution as the extractor gives it, with the source found after ``after``."""
    if source is None:
        return Attribution(kind="indirect", cue_start=0, cue_end=cue_len)
    s = text.index(source, text.index(after) if after else 0)
    e = s + len(source)
    return Attribution(
        kind="indirect", source_start=s, source_end=e, source_text=source, cue_start=e + 1, cue_end=e + 1 + cue_len
    )


def _check_spans(text: str, atts: list[Attribution]) -> None:
    for a in atts:
        assert a.source_type in SOURCE_TYPES
        s, e = a.speaker_start, a.speaker_end
        assert (s is None) == (e is None)
        if s is not None:
            assert 0 <= s < e <= len(text)
            assert text[s:e].strip() == text[s:e] != ""


# ---- the seed article -------------------------------------------------------------------------

SEED_EXPECTED = [
    # (source as written, search after, type, speaker)
    ("Alexei Chebanenko", "", "person", "Alexei Chebanenko"),
    ("Alexei Chebanenko", "shared by", "person", "Alexei Chebanenko"),
    ("Chebanenko", "Chebanenko, who", "person", "Alexei Chebanenko"),
    ("he", "work in progress, ", "person", "Alexei Chebanenko"),
    ("he", "will look like,’ ", "person", "Alexei Chebanenko"),
    ("Lavrov", "During a press conference", "person", "Sergey Lavrov"),
    ("Russian officials", "", "anonymous", "russian officials"),
    ("Belyushikov", "Belyushikov previously", "person", "Andrei Belyushikov"),
    ("some in Russia", "", "vague", "some in russia"),
    ("others", "strategic ally", "vague", "others"),
    ("Critics", "", "vague", "critics"),
    ("supporters", "Western nations", "vague", "supporters"),
]


def test_seed_sources(seed_text):
    atts = [_att(seed_text, src, after) for src, after, _, _ in SEED_EXPECTED]
    annotate_sources(Doc(seed_text), atts)
    got = [(a.source_type, a.speaker) for a in atts]
    assert got == [(t, s) for _, _, t, s in SEED_EXPECTED]
    _check_spans(seed_text, atts)
    # "he" points at the full-name mention it was resolved to, and says why
    he = atts[3]
    assert seed_text[he.speaker_start : he.speaker_end] == "Alexei Chebanenko"
    assert "pronoun 'he'" in he.source_rule
    assert all(a.source_rule for a in atts)
    assert not any(a.anonymity_explained for a in atts)


def test_seed_he_not_resolved_to_merely_mentioned_person(seed_text):
    # Cho Son-hui is mentioned after Lavrov but never a source: "he" after Lavrov's quote is Lavrov
    anchor = "Korean People’s Army.’"
    assert anchor in seed_text
    text = seed_text.replace(anchor, anchor + " ‘It is a tribute,’ he said.")
    atts = [_att(text, "Lavrov", "During a press conference"), _att(text, "he", "It is a tribute,’ ")]
    annotate_sources(Doc(text), atts)
    assert atts[1].speaker == "Sergey Lavrov"


def test_titles_and_honorifics_are_stripped():
    text = (
        "Russian Foreign Minister Sergey Lavrov met Donald J. Trump on Monday. "
        "Mr. Trump said the talks went well. Trump added that Lavrov agreed."
    )
    atts = [
        _att(text, "Russian Foreign Minister Sergey Lavrov"),
        _att(text, "Mr. Trump"),
        _att(text, "Trump", "went well."),
    ]
    annotate_sources(Doc(text), atts)
    assert [a.speaker for a in atts] == ["Sergey Lavrov", "Donald Trump", "Donald Trump"]
    assert text[atts[1].speaker_start : atts[1].speaker_end] == "Donald J. Trump"


def test_gender_keeps_she_off_a_man():
    text = "Senator Mary Smith met Mr. John Brown. Brown said the bill was dead. Later, she said it could be saved."
    atts = [_att(text, "Brown", "John Brown."), _att(text, "she")]
    annotate_sources(Doc(text), atts)
    assert atts[1].speaker == "Mary Smith"


@pytest.mark.parametrize(
    "source,expected",
    [
        ("a senior official", "anonymous"),
        ("people familiar with the matter", "anonymous"),
        ("an aide", "anonymous"),
        ("experts", "vague"),
        ("many", "vague"),
        ("the Kremlin", "organisation"),
        ("the Ministry of Defense", "organisation"),
        ("Reuters", "media"),
        ("The Washington Post", "media"),
        ("a report", "document"),
        ("court documents", "document"),
        ("the poll", "document"),
    ],
)
def test_types_from_lexicons(source, expected):
    text = f"The talks failed. {source} said on Monday that nothing was agreed."
    atts = [_att(text, source)]
    annotate_sources(Doc(text), atts)
    assert atts[0].source_type == expected, atts[0].source_rule


def test_names_titles_possessors_and_handles(seed_text):
    text = (
        "Larry King hosts a show on RT. Mr. King said the network pays well. "
        "Donna Sampson Rawlings, 59, of Ashton, Md., who watched the ceremony, cried. "
        "One Twitter user @nycsouthpaw pointed out the gap."
    )
    atts = [_att(text, "Mr. King"), _att(text, "who", "Md.,"), _att(text, "One Twitter user @nycsouthpaw")]
    annotate_sources(Doc(text), atts)
    assert [(a.source_type, a.speaker) for a in atts] == [
        ("person", "Larry King"),
        ("person", "Donna Sampson Rawlings"),
        ("person", "@nycsouthpaw"),
    ]
    # a speech act speaks for its possessor: "The sculptor's remarks" are Chebanenko's
    atts = [_att(seed_text, "Alexei Chebanenko", "shared by"), _att(seed_text, "The sculptor’s remarks")]
    annotate_sources(Doc(seed_text), atts)
    assert atts[1].speaker == "Alexei Chebanenko" and "remarks" in atts[1].source_rule


# ---- typing errors seen in a TASS report ---------------------------------------------------------


def test_bare_ministry_resolves_to_the_named_one():
    text = (
        "MOSCOW, March 3. /TASS/. The Russian Defence Ministry said on Friday that the drills had ended. "
        "The Ministry added that 20 jets took part. Police said the roads were open."
    )
    atts = [_att(text, "The Russian Defence Ministry"), _att(text, "The Ministry", "ended."), _att(text, "Police")]
    annotate_sources(Doc(text), atts)
    assert [(a.source_type, a.speaker) for a in atts] == [
        ("organisation", "Russian Defence Ministry"),
        ("organisation", "Russian Defence Ministry"),
        ("organisation", "police"),
    ]
    assert text[atts[1].speaker_start : atts[1].speaker_end] == "Russian Defence Ministry"
    assert "earlier name" in atts[1].source_rule and "without a name" in atts[2].source_rule
    # with no named ministry before it, "the Ministry" stays an unnamed organisation, not a name
    text = "The Ministry said on Friday that the drills had ended."
    atts = [_att(text, "The Ministry")]
    annotate_sources(Doc(text), atts)
    assert (atts[0].source_type, atts[0].speaker) == ("organisation", "ministry")


def test_model_name_is_no_speaker():
    text = (
        "The Sukhoi Superjet-100 landed safely in Moscow, Aeroflot said. "
        "Sukhoi Superjet-100 has flown since 2008, according to the company."
    )
    atts = [_att(text, "Sukhoi Superjet-100", "Moscow")]
    annotate_sources(Doc(text), atts)
    assert atts[0].source_type not in ("person", "organisation"), atts[0]
    assert atts[0].speaker is None and "model name" in atts[0].source_rule


def test_office_complement_is_no_part_of_the_name():
    text = (
        "Oil Minister of Venezuela Nelson Martinez said OPEC would meet in May. "
        "Martinez added that prices were stable. Minister of Finance said nothing."
    )
    atts = [_att(text, "Oil Minister of Venezuela Nelson Martinez"), _att(text, "Martinez", "May.")]
    annotate_sources(Doc(text), atts)
    assert [a.speaker for a in atts] == ["Nelson Martinez", "Nelson Martinez"]
    assert text[atts[0].speaker_start : atts[0].speaker_end] == "Nelson Martinez"
    # an office with its complement and no name after it names nobody
    atts = [_att(text, "Minister of Finance")]
    annotate_sources(Doc(text), atts)
    assert atts[0].speaker != "of Finance" and atts[0].source_type != "person", atts[0]


@pytest.mark.parametrize(
    "rank", ["Lieutenant-General", "Major-General", "Vice-Admiral", "Rear-Admiral", "Colonel-General", "Rear Admiral"]
)
def test_hyphenated_military_ranks_are_titles(rank):
    text = (
        f"Commander of the Western Military District {rank} Sergei Surovikin said the troops were ready. "
        "Surovikin added that the drills would go on."
    )
    atts = [_att(text, f"{rank} Sergei Surovikin"), _att(text, "Surovikin", "ready.")]
    annotate_sources(Doc(text), atts)
    assert [(a.source_type, a.speaker) for a in atts] == [("person", "Sergei Surovikin")] * 2
    assert text[atts[0].speaker_start : atts[0].speaker_end] == "Sergei Surovikin"


def test_user_lexicon_override(tmp_path, monkeypatch):
    text = "The talks failed. Bloggerati said nothing was agreed."
    atts = [_att(text, "Bloggerati")]
    annotate_sources(Doc(text), atts)
    assert atts[0].source_type == "person"
    shipped = Path(__file__).resolve().parents[1] / "src" / "analysis" / "lexicons" / "sources.csv"
    (tmp_path / "sources.csv").write_text(
        shipped.read_text(encoding="utf-8") + "bloggerati,vague,head,test row\n", encoding="utf-8"
    )
    monkeypatch.setenv("ANALYSIS_LEXICONS", str(tmp_path))
    atts = [_att(text, "Bloggerati")]
    annotate_sources(Doc(text), atts)
    assert atts[0].source_type == "vague" and "sources.csv" in atts[0].source_rule


def test_anonymity_explained():
    text = (
        "The deal is off, said a senior official, who spoke on condition of anonymity because he "
        "was not authorised to discuss the talks. Another official said talks would resume."
    )
    atts = [_att(text, "a senior official"), _att(text, "Another official")]
    annotate_sources(Doc(text), atts)
    assert [a.source_type for a in atts] == ["anonymous", "anonymous"]
    assert [a.anonymity_explained for a in atts] == [True, False]


def test_no_source_pronoun_without_antecedent_and_floating():
    text = "He said the plan was sound. “It will work,” he added. “We are ready.”"
    atts = [_att(text, "He"), _att(text, None)]
    atts[1].kind = "floating"
    annotate_sources(Doc(text), atts)
    assert atts[0].source_type == "unresolved" and atts[0].speaker is None
    assert atts[1].source_type == "unresolved"
    atts = [_att(text, None)]
    annotate_sources(Doc(text), atts)
    assert atts[0].source_type == "unresolved" and atts[0].source_rule == "no source span"


def test_floating_quote_continues_previous_speaker():
    text = "Jane Doe, the mayor, said the bridge is safe. “It will stand,” she said. “It is fine.”"
    atts = [_att(text, "Jane Doe"), _att(text, None)]
    atts[1].kind = "floating"
    annotate_sources(Doc(text), atts)
    assert atts[1].speaker == "Jane Doe" and atts[1].source_type == "person"


def test_empty_and_odd_input():
    annotate_sources(Doc(""), [])
    atts = [_att("x", None)]
    annotate_sources(Doc(""), atts)
    assert atts[0].source_type == "unresolved"
    text = "Ğülşen Ünal‑Öztürk, a sculptor 🎨, said: ‘ok’. ＡＢＣ said so. Ünal‑Öztürk added more."
    atts = [_att(text, "Ğülşen Ünal‑Öztürk"), _att(text, "ＡＢＣ"), _att(text, "Ünal‑Öztürk", "said so.")]
    annotate_sources(Doc(text), atts)
    _check_spans(text, atts)
    assert atts[0].source_type == "person"


# ---- property: never raises, speaker spans are mentions inside the text ---------------------------

_words = st.sampled_from(
    [
        "he",
        "she",
        "they",
        "it",
        "who",
        "Mr.",
        "Smith",
        "John",
        "Ministry",
        "of",
        "Defense",
        "officials",
        "critics",
        "a",
        "the",
        "report",
        "Reuters",
        ",",
        ".",
        "said",
        "\n",
        "“",
        "”",
        "Ünal",
        "X.",
        "de",
        "I",
        "some",
        "in",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_words, min_size=0, max_size=40),
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(1, 30), st.sampled_from(["direct", "indirect", "floating"])),
        max_size=6,
    ),
    st.text(max_size=20),
)
def test_property_never_raises(words, spans, noise):
    text = " ".join(words) + noise
    atts = []
    for start, length, kind in sorted(spans):
        if len(text) == 0:
            break
        s = min(start, len(text) - 1)
        e = min(len(text), s + length)
        atts.append(Attribution(kind=kind, source_start=s, source_end=e, source_text=text[s:e], cue_start=s, cue_end=e))
    annotate_sources(Doc(text), atts)
    for a in atts:
        assert all(getattr(a, f) is not None for f in FILLED)
    _check_spans(text, atts)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120), st.lists(st.tuples(st.integers(0, 130), st.integers(0, 40)), max_size=5))
def test_property_arbitrary_unicode(text, spans):
    atts = [
        Attribution(
            kind="direct",
            source_start=s,
            source_end=s + n,
            content_start=s,
            content_end=s + 2 * n,
            cue_start=s,
            cue_end=s + 1,
        )
        for s, n in spans
        if 0 <= s < s + n <= len(text)
    ]
    annotate_sources(Doc(text), atts)
    _check_spans(text, atts)


_name_words = st.sampled_from(
    [
        "The",
        "the",
        "of",
        "Of",
        "de",
        "van",
        "&",
        "Mr.",
        "U.S.",
        "Trump",
        "Trump's",
        "Smith.",
        "O'Neil",
        "Ünal",
        "É",
        "ßeta",
        "x2",
        "A.",
        "B",
        "CEO.",
        "Sen.",
        "Superjet-100",
        "said",
        "New",
        "York",
        "Jr.",
        "The.",
        "Al",
    ]
)
_gaps = st.sampled_from([" ", "  ", "\t", "\u00a0", "\n", ", ", ". ", "’s ", " (", "—"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_name_words, _gaps), max_size=25))
def test_chains_find_the_runs_of_a_token_scan(pieces):
    """Mentions are found chain by chain (``CAP_CHAIN``, split into runs once per distinct chain):
    the same runs as tokenising the whole text and joining its capitalised words."""
    from analysis.sources import source_lexicons
    from analysis.sources.mentions import CAP_CHAIN, CAP_TOKEN, MentionScanner

    text = "".join(w + g for w, g in pieces)
    lx = source_lexicons()
    scan = MentionScanner(text, lx)
    expected = [
        [(t.start, t.end, t.word) for t in run]
        for run in scan.runs(scan.scan(CAP_TOKEN, 0, len(text)))
        if not (len(run) == 1 and run[0].word in lx.not_name)
    ]
    got = []
    for chain in CAP_CHAIN.finditer(text):
        a, b = chain.span()
        assert scan.chain_tokens(a, b) == scan.scan(CAP_TOKEN, a, b)
        got += [[(a + s, a + e, w) for (s, e), w in zip(spans, words)] for spans, words, _, _ in scan.chain_runs(a, b)]
    assert got == expected


# ---- PolNeAR: hand-labelled gold source types ------------------------------------------------------


def _polnear_attributions(root: Path, article: str) -> tuple[str, list[Attribution]]:
    """Gold attributions of one PolNeAR article (one annotator's BRAT file), in text order; a role
    coded in several pieces is taken from its first start to its last end."""
    text = (root / "text" / (article.rsplit("_", 1)[0] + ".txt")).read_text(encoding="utf-8")
    atts = []
    for gold in read_ann(root / "attributions" / f"{article}.ann"):
        att = Attribution(kind="indirect")
        for role in ("source", "cue", "content"):
            spans = getattr(gold, role)
            if spans:
                setattr(att, f"{role}_start", min(s for s, _ in spans))
                setattr(att, f"{role}_end", max(e for _, e in spans))
        if att.source_start is not None:
            att.source_text = text[att.source_start : att.source_end]
        atts.append(att)
    atts.sort(key=lambda a: min(x for x in (a.source_start, a.cue_start, a.content_start) if x is not None))
    return text, atts


def polnear_source_accuracy(root: Path, labels: Path) -> dict:
    """Type accuracy and speaker accuracy (all persons; he/she pronouns) on a labelled sample."""
    gold = list(csv.DictReader(labels.open(encoding="utf-8")))
    done: dict[str, tuple[str, list[Attribution]]] = {}
    n_type = n_spk = ok_spk = n_pron = ok_pron = 0
    for g in gold:
        if g["article"] not in done:
            text, atts = _polnear_attributions(root, g["article"])
            annotate_sources(Doc(text), atts)
            done[g["article"]] = (text, atts)
        text, atts = done[g["article"]]
        s, e = int(g["source_start"]), int(g["source_end"])
        assert text[s:e].startswith(g["source_text"].removesuffix("...")), g
        a = next(a for a in atts if (a.source_start, a.source_end) == (s, e))
        n_type += a.source_type == g["source_type"]
        if g["speaker"]:
            n_spk += 1
            ok_spk += a.speaker == g["speaker"]
            if text[s:e].lower() in ("he", "she", "him", "his", "her"):
                n_pron += 1
                ok_pron += a.speaker == g["speaker"]
    return {
        "n": len(gold),
        "type_accuracy": n_type / len(gold),
        "speaker_accuracy": ok_spk / n_spk,
        "n_pronouns": n_pron,
        "pronoun_accuracy": ok_pron / n_pron,
    }


def test_polnear_hand_labelled_types(polnear_dir):
    scores = polnear_source_accuracy(polnear_dir / "train", GOLD)
    assert scores["n"] >= 140
    # measured 0.973 / 0.951 / 0.90 (see docs/sources.md); the floors leave room for lexicon edits
    assert scores["type_accuracy"] >= 0.90, scores
    assert scores["speaker_accuracy"] >= 0.85, scores
    assert scores["pronoun_accuracy"] >= 0.80, scores


def test_polnear_heldout_types(polnear_dir):
    scores = polnear_source_accuracy(polnear_dir / "dev", HELDOUT)
    assert scores["n"] >= 90
    # measured blind (before any fix they prompted) 0.833 type / 0.895 speaker; 0.896 / 0.965 now
    assert scores["type_accuracy"] >= 0.85, scores
    assert scores["speaker_accuracy"] >= 0.88, scores


def _annotated(text: str, atts: list[Attribution]) -> list[Attribution]:
    atts = [replace(a) for a in atts]
    annotate_sources(Doc(text), atts)
    return atts


def test_memos_shared_across_articles_do_not_change_results(seed_text, polnear_dir):
    """Token shapes and run classifications are memoised across articles: an article comes out
    the same whether the memos are cold or warmed by other articles."""
    from analysis.attribution import find_attributions
    from analysis.sources import source_lexicons

    seed_atts = find_attributions(Doc(seed_text))
    lx = source_lexicons()
    lx.tok_shapes.clear()
    lx.run_shapes.clear()
    cold = _annotated(seed_text, seed_atts)
    for path in sorted((polnear_dir / "dev" / "text").glob("*.txt"))[:20]:
        other = path.read_text(encoding="utf-8")
        other_doc = Doc(other)
        annotate_sources(other_doc, find_attributions(other_doc))
    assert lx.run_shapes
    assert _annotated(seed_text, seed_atts) == cold


def test_long_text_copies_resolve_alike(seed_text):
    """On a text of many copies of one article (entities with hundreds of positions, the indexed
    lookups of the latest mention), every copy after the first resolves like the second."""
    from analysis.attribution import find_attributions

    unit = seed_text + "\n\n"
    atts = find_attributions(Doc(unit))
    n = 40
    text = unit * n
    shifted = []
    for k in range(n):
        for a in atts:
            b = replace(a)
            for f in ("source_start", "source_end", "cue_start", "cue_end", "content_start", "content_end"):
                if getattr(b, f) is not None:
                    setattr(b, f, getattr(b, f) + k * len(unit))
            shifted.append(b)
    out = _annotated(text, shifted)
    _check_spans(text, out)

    def copy(k: int) -> list[tuple]:
        rows = out[k * len(atts) : (k + 1) * len(atts)]
        return [
            (
                r.source_type,
                r.speaker,
                r.source_rule,
                None if r.speaker_start is None else r.speaker_start - k * len(unit),
            )
            for r in rows
        ]

    assert any(r[0] == "person" for r in copy(1))
    assert copy(1) == copy(n - 1)


def _typed_attributions(text: str) -> list[Attribution]:
    """Attributions with their sources typed (the pipeline's first two steps)."""
    return extract_article("t", text, disable=("hedges", "tallies")).attributions


def test_memos_never_change_the_output(polnear_dir):
    from analysis import sources

    texts = [p.read_text(encoding="utf-8") for p in sorted((polnear_dir / "dev" / "text").glob("*.txt"))[:12]]
    warm = [_typed_attributions(t) for t in texts]
    sources.clear_memos()
    assert not sources.source_lexicons().chain_runs
    cold = [_typed_attributions(t) for t in reversed(texts)][::-1]
    assert cold == warm


def test_memos_stay_bounded_and_a_reset_changes_nothing(polnear_dir, monkeypatch):
    from analysis import sources
    from analysis.sources import lexicons

    texts = [p.read_text(encoding="utf-8") for p in sorted((polnear_dir / "dev" / "text").glob("*.txt"))[:8]]
    sources.clear_memos()
    roomy = [_typed_attributions(t) for t in texts]
    monkeypatch.setattr(lexicons, "MEMO_LIMIT", 20)
    sources.clear_memos()
    tight = [_typed_attributions(t) for t in texts]
    lx = sources.source_lexicons()
    assert all(len(m) <= 21 for m in (lx.tok_shapes, lx.run_shapes, lx.chain_runs, lx.full_names, lexicons._LOWERED))
    assert tight == roomy
