"""Paragraphs, sentences and quotation marks as offsets into the untouched text."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import segment


def _quoted(text):
    return [(text[a:b], closed) for a, b, closed in segment.quotes(text)]


def test_sentences_keep_titles_and_initials_together():
    text = "Sen. Chuck Grassley said no. Mr. Trump agreed with U.S. officials. Then he left."
    spans = segment.sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Sen. Chuck Grassley said no.", "Mr. Trump agreed with U.S. officials.", "Then he left."]


def test_paragraphs_are_lines():
    text = "Headline\n\nFirst para.\nSecond para.\n"
    assert [text[a:b] for a, b in segment.paragraphs(text)] == ["Headline", "First para.", "Second para."]


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
    spans = segment.quotes(text)
    assert spans[0][2] is False and text[spans[1][0]:spans[1][1]] == "“inner closed”"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n\"'“”‘’«»`A")), max_size=80))
def test_spans_stay_inside_text_on_arbitrary_quote_soup(text):
    for a, b in segment.sentences(text) + segment.paragraphs(text):
        assert 0 <= a < b <= len(text)
    for a, b, closed in segment.quotes(text):
        assert 0 <= a < b <= len(text)
        assert isinstance(closed, bool)
    assert segment.quotes(text) == segment.quotes(text)


def test_sentences_of_the_same_text_are_a_fresh_list_each_time():
    text = "One sentence here. Another one there.\nA second paragraph."
    first = segment.sentences(text)
    first.append((0, 1))  # a caller changing its list does not change the next caller's
    assert segment.sentences(text) == [(0, 18), (19, 37), (38, 57)]
    assert segment.sentences("Other text.") == [(0, 11)]
    assert segment.sentences(text) == [(0, 18), (19, 37), (38, 57)]
