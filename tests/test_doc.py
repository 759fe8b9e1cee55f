"""The Doc: tokens, paragraphs, sentences and quotation marks as offsets into the untouched text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.doc import Doc, paragraphs, quotes, sentences


def _quoted(text):
    return [(text[a:b], closed) for a, b, closed in quotes(text)]


def test_sentences_keep_titles_and_initials_together():
    text = "Sen. Chuck Grassley said no. Mr. Trump agreed with U.S. officials. Then he left."
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Sen. Chuck Grassley said no.",
        "Mr. Trump agreed with U.S. officials.",
        "Then he left.",
    ]


def test_paragraphs_are_lines():
    text = "Headline\n\nFirst para.\nSecond para.\n"
    assert [text[a:b] for a, b in paragraphs(text)] == ["Headline", "First para.", "Second para."]


def test_curly_straight_and_guillemet_quotes():
    assert _quoted("“A,” he said. “B.”") == [("“A,”", True), ("“B.”", True)]
    assert _quoted('"A," he said.') == [('"A,"', True)]
    assert _quoted("«Nous gagnerons», dit-il.") == [("«Nous gagnerons»", True)]
    assert _quoted("''We work,'' said Monika.") == [("''We work,''", True)]


def test_single_quotes_at_word_edges_but_not_apostrophes():
    text = "‘A Symbol of Unity,’ Says Sculptor Alexei Chebanenko"
    assert _quoted(text) == [("‘A Symbol of Unity,’", True)]
    assert _quoted("O’Malley’s staff and the voters’ choice in the ’90s") == []
    assert _quoted("'Hello,' she said.") == [("'Hello,'", True)]


def test_unclosed_quote_runs_to_paragraph_end_and_stray_closer_is_ignored():
    text = 'He said "this never closes\n\nNext paragraph.” And more.'
    assert _quoted(text) == [('"this never closes', False)]


def test_multi_paragraph_quote_has_one_open_quote_per_paragraph():
    text = "“First paragraph of the quote.\n\n“Second and last,” he said."
    assert _quoted(text) == [("“First paragraph of the quote.", False), ("“Second and last,”", True)]


def test_second_opener_before_a_closer_restarts_the_quote():
    text = "“Unclosed part “inner closed” tail"
    spans = quotes(text)
    assert spans[0][2] is False and text[spans[1][0] : spans[1][1]] == "“inner closed”"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n\"'“”‘’«»`A")), max_size=80))
def test_spans_stay_inside_text_on_arbitrary_quote_soup(text):
    for a, b in sentences(text) + paragraphs(text):
        assert 0 <= a < b <= len(text)
    for a, b, closed in quotes(text):
        assert 0 <= a < b <= len(text)
        assert isinstance(closed, bool)
    assert quotes(text) == quotes(text)


def test_sentences_of_the_same_text_are_a_fresh_list_each_time():
    text = "One sentence here. Another one there.\nA second paragraph."
    first = sentences(text)
    first.append((0, 1))  # a caller changing its list does not change the next caller's
    assert sentences(text) == [(0, 18), (19, 37), (38, 57)]
    assert sentences("Other text.") == [(0, 11)]
    assert sentences(text) == [(0, 18), (19, 37), (38, 57)]


def test_a_doc_computes_its_sentences_once():
    doc = Doc("One sentence here. Another one there.\nA second paragraph.")
    assert doc.sents == [(0, 18), (19, 37), (38, 57)]
    assert doc.sents is doc.sents  # an attribute, not recomputed per reader
    assert doc.sent_starts == [0, 19, 38]
    assert doc.paragraphs is doc.paragraphs


# --- the Doc ------------------------------------------------------------------------------------
_TEXT = (
    "Sen. Chuck Grassley said no. “We will not,” he added.\n\n"
    "O’Malley’s staff disagreed: ‘It is done,’ they said. Costs rose 3.5% in the U.S."
)


def test_doc_tokens_offsets_match_the_text():
    doc = Doc(_TEXT)
    assert len(doc.starts) == len(doc.ends) == len(doc.low) == len(doc.norm)
    assert [_TEXT[a:b].lower() for a, b in zip(doc.starts, doc.ends)] == doc.low
    assert doc.low[:6] == ["sen", ".", "chuck", "grassley", "said", "no"]
    assert all(a < b for a, b in zip(doc.starts, doc.ends))
    assert all(b <= a for b, a in zip(doc.ends, doc.starts[1:]))  # in order, never overlapping
    assert doc.norm == doc.low  # until a component maps spellings


def test_doc_units_equal_the_module_functions():
    doc = Doc(_TEXT)
    assert doc.sents == sentences(_TEXT)
    assert doc.quotes == quotes(_TEXT)
    assert doc.paragraphs == paragraphs(_TEXT)
    assert [_TEXT[a:b] for a, b, _ in doc.quotes] == ["“We will not,”", "‘It is done,’"]


def test_doc_n_words_counts_word_runs():
    for text in (_TEXT, "", "   ", "It's 3.5% -- of e-mail", "Ünïcödé wörds ok_then 42"):
        assert Doc(text).n_words == len(re.findall(r"\w+", text))


def test_doc_token_helpers():
    doc = Doc(_TEXT)
    said = doc.low.index("said")
    assert doc.tok_at(doc.starts[said]) == said
    assert doc.sentence_of(doc.starts[said]) == 0
    k, first, last = doc.sentence_tokens(said)
    assert k == 0 and doc.low[first] == "sen" and doc.low[last] == "."
    will = doc.low.index("will")
    assert doc.quote_around(will) == doc.quotes[0]
    assert doc.quote_around(said) is None
    assert doc.is_quote_mark(doc.tok_at(doc.quotes[0][0]))
    apostrophe = doc.tok_at(_TEXT.index("’s staff"))
    assert doc.low[apostrophe] == "’" and not doc.is_quote_mark(apostrophe)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_every_token_span_is_its_text_on_arbitrary_text(text):
    doc = Doc(text)
    assert len(doc.starts) == len(doc.ends) == len(doc.low)
    for a, b, low in zip(doc.starts, doc.ends, doc.low):
        assert 0 <= a < b <= len(text)
        assert text[a:b].lower() == low
        assert not text[a:b].isspace()
    assert doc.n_words == len(re.findall(r"\w+", text))
    assert doc.sents == sentences(text) and doc.quotes == quotes(text)
