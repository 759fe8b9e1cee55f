"""Quotation pairing that survives scraped copy: one lost mark costs its own quote, not the article's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.doc import quotes


def quoted(text: str) -> list[tuple[str, bool]]:
    return [(text[a:b], closed) for a, b, closed in quotes(text)]


def test_a_lost_closing_mark_costs_only_its_own_quote():
    text = '"We will win, he said on Monday. "We are strong," she said. Then "we go home," he added.'
    got = quoted(text)
    assert ('"We are strong,"', True) in got
    assert ('"we go home,"', True) in got
    # the quote that lost its closing mark ends with its sentence, not at the next opening mark
    assert ('"We will win, he said on Monday.', False) in got


def test_a_lost_opening_mark_costs_only_its_own_quote():
    text = 'We will win," he said. "We are strong," she said. "We go home," he added.'
    assert quoted(text) == [('"We are strong,"', True), ('"We go home,"', True)]


def test_pairing_does_not_invert_after_a_lost_mark_in_flattened_copy():
    # paragraph breaks gone, the first closing mark lost: counting marks would pair every later
    # closing mark with the next opening one and quote the narration in between
    parts = [f'"Point number {i} stands," said speaker {i}.' for i in range(6)]
    parts[0] = parts[0].replace('stands,"', "stands,")
    text = " ".join(parts)
    got = quoted(text)
    for i in range(1, 6):
        assert (f'"Point number {i} stands,"', True) in got
    assert not any("said speaker" in q for q, closed in got if closed)


def test_a_quote_over_paragraphs_runs_to_its_paragraph_end():
    text = '"The first paragraph of the quote. It goes on.\n"And the second one," he said.'
    assert quoted(text) == [('"The first paragraph of the quote. It goes on.', False), ('"And the second one,"', True)]


def test_an_unclosed_quote_without_a_continuation_ends_with_its_sentence():
    text = 'He said "we will win. Nobody doubted it.\nThe next paragraph.'
    assert quoted(text) == [('"we will win.', False)]


def test_curly_marks_say_which_way_they_face():
    text = "“We will win,” he said. ”Stray. “Again,” she said."
    assert ("“We will win,”", True) in quoted(text)
    assert ("“Again,”", True) in quoted(text)


def test_wire_copy_double_apostrophes_open_and_close():
    text = "''We feel good about it,'' she said. ''This Week'' airs today."
    assert quoted(text) == [("''We feel good about it,''", True), ("''This Week''", True)]


def test_question_mark_artefacts_of_lost_characters():
    # '"?' is what scraping left of a lost curly mark, dash or non-breaking space
    text = 'The filing, "which was long,"?explains the rules. A few "?again, all Republicans "?agreed.'
    assert quoted(text) == [('"which was long,"', True)]


def test_a_real_question_mark_after_a_closing_mark():
    text = 'Did he say "yes"? Nobody knows.'
    assert quoted(text) == [('"yes"', True)]


SENTENCE = st.builds(
    lambda words, speaker: f'"{" ".join(words)}," said {speaker}.',
    st.lists(st.sampled_from(["we", "will", "win", "today", "Moscow", "never", "again"]), min_size=1, max_size=6),
    st.sampled_from(["Mr Smith", "the minister", "she", "officials"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCE, min_size=2, max_size=8), st.data())
def test_one_lost_mark_costs_at_most_one_quote(sentences, data):
    text = " ".join(sentences)
    full = {(a, b) for a, b, closed in quotes(text) if closed}
    assert len(full) == len(sentences)
    marks = [i for i, c in enumerate(text) if c == '"']
    lost = data.draw(st.sampled_from(marks))
    damaged = text[:lost] + " " + text[lost + 1 :]  # same length: the other quotes keep their offsets
    kept = {(a, b) for a, b, closed in quotes(damaged) if closed}
    assert len(kept & full) >= len(full) - 1


@given(st.text(alphabet=st.sampled_from(list("ab .,?\"“”\n'")), max_size=80))
def test_any_text_gives_spans_inside_it(text):
    for a, b, _closed in quotes(text):
        assert 0 <= a < b <= len(text)
        assert text[a] in "\"“«„'‘`‹"
