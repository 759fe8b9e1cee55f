"""Highlighted HTML: well-formed whatever the spans, text never altered, untrusted text escaped."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_fixtures import corpus_frame, fake_frames

import analysis
from analysis import display, reports, tally
from analysis.display import Span

EVIL = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


class _Checker(HTMLParser):
    """Collects the text and fails on any tag other than properly nested <span>s."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.max_depth = [], [], 0
        self.covered: dict[str, set[int]] = {}  # tooltip -> character positions inside its spans
        self.pos = 0

    def handle_starttag(self, tag, attrs):
        assert tag == "span", tag
        self.stack.append(dict(attrs).get("title", ""))
        self.max_depth = max(self.max_depth, len(self.stack))

    def handle_endtag(self, tag):
        assert tag == "span" and self.stack, f"unbalanced </{tag}>"
        self.stack.pop()

    def handle_data(self, data):
        for title in self.stack:
            self.covered.setdefault(title, set()).update(range(self.pos, self.pos + len(data)))
        self.pos += len(data)
        self.text.append(data)


def _check(markup: str) -> _Checker:
    c = _Checker()
    c.feed(markup)
    c.close()
    assert not c.stack, "unclosed <span>"
    return c


@st.composite
def text_and_spans(draw):
    text = draw(st.text(alphabet=st.sampled_from(list("ab <>&\"'\n.é")), min_size=0, max_size=60))
    n = len(text)
    spans = []
    for i in range(draw(st.integers(0, 8))):
        s = draw(st.integers(0, n))
        e = draw(st.integers(s, n))
        spans.append(
            Span(
                s,
                e,
                draw(st.sampled_from(["an-src", "an-cue", "an-content", "an-hedge"])),
                f"{i} {draw(st.sampled_from(['', 'tip <b>', 'a &quot;']))}",
                i % 4,
            )
        )
    start = draw(st.integers(0, n))
    end = draw(st.integers(start, n))
    return text, spans, start, end


@settings(max_examples=300, deadline=None)
@given(text_and_spans())
def test_highlight_is_well_formed_and_keeps_the_text(case):
    text, spans, start, end = case
    markup = display.highlight(text, spans, start, end)
    checker = _check(markup)
    assert "".join(checker.text) == text[start:end]
    for sp in spans:  # each span highlights exactly its own characters (clipped to the window)
        want = set(range(max(sp.start, start) - start, min(sp.end, end) - start))
        assert checker.covered.get(sp.tooltip, set()) == want


def test_overlapping_attribution_and_hedge_spans_nest():
    text = "Officials said the plan may well fail soon."
    spans = [
        Span(0, 9, "an-src", "source", 0),
        Span(10, 14, "an-cue", "cue", 1),
        Span(15, 42, "an-content", "content", 2),
        Span(24, 32, "an-hedge", "hedge", 3),
        Span(12, 27, "an-hedge", "crossing", 3),
    ]  # crosses cue and content boundaries
    markup = display.highlight(text, spans)
    checker = _check(markup)
    assert "".join(checker.text) == text
    assert checker.max_depth == 3  # content > crossing hedge > hedge over "may"
    for sp in spans:
        assert checker.covered[sp.tooltip] == set(range(sp.start, sp.end)), sp


def test_article_html_highlights_every_attribution_and_hedge(monkeypatch):
    corpus, frames = fake_frames(monkeypatch)
    a1 = corpus.iloc[0]
    attrs = frames.attributions[frames.attributions["article_id"] == "a1"]
    hedges = frames.hedges[frames.hedges["article_id"] == "a1"]
    page = display.article_html(a1["text"], attrs, hedges, title=a1["title"], url=a1["url"])
    body = page.split('<div class="an-article">', 1)[1].rsplit("</div>", 1)[0]
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == a1["text"]
    assert body.count('class="an-src"') == len(attrs) == 3
    assert body.count('class="an-cue"') == 3
    assert body.count("an-hedge an-voice-reporter") == 2 and body.count("an-hedge an-voice-source") == 2
    assert 'title="source type: anonymous' in body
    assert 'href="https://www.bbc.co.uk/news/1"' in page
    assert page._repr_html_() == str(page)


def test_seed_article_with_the_real_engines(seed_text):
    """Whatever the engines find in the seed, the page is well formed and holds the text unchanged."""
    frames = analysis.extract(pd.DataFrame({"article_id": ["seed"], "text": [seed_text]}))
    page = display.article_html(seed_text, frames.attributions, frames.hedges)
    body = page.split('<div class="an-article">', 1)[1].rsplit("</div>", 1)[0]
    checker = _check(body)
    assert "".join(checker.text) == seed_text
    assert body.count('class="an-cue"') == len(frames.attributions)


def test_evidence_table_quotes_the_sentences_behind_a_figure(monkeypatch):
    corpus, frames = fake_frames(monkeypatch)
    rows = tally.attributions_of(frames, source_type="anonymous")
    table = display.evidence_table(corpus, rows, n=10, caption="Anonymous sources")
    assert "(2 of 2 shown)" in table
    assert table.count("<tr>") == 3  # header + one per anonymous attribution
    assert '<span class="an-src" title="source type: anonymous' in table
    assert "A source familiar with the matter</span>" in table and "a source</span>" in table
    assert "Residents may be evacuated" in table and "We are ready" not in table  # only those sentences
    hedges = display.evidence_table(corpus, tally.hedges_of(frames, voice="reporter"), caption="Reporter hedges")
    assert hedges.count('class="an-hedge an-voice-reporter"') == 2
    assert "no examples" in display.evidence_table(corpus, rows.iloc[0:0], caption="None")
    # spread over articles: with n=2, one example from each article before a second from any
    assert (
        len(set(re.findall(r'href="([^"]+)"', display.evidence_table(corpus, tally.attributions_of(frames), n=3)))) == 3
    )


def test_untrusted_text_never_becomes_markup(monkeypatch):
    evil_text = f"{EVIL[0]} John Smith said {EVIL[1]} may happen. {EVIL[1]} said it could."
    rows = [("x1", EVIL[1], "2017-01-01", EVIL[0], "javascript:alert(1)", evil_text)]
    corpus, frames = fake_frames(monkeypatch, rows)
    attrs = frames.attributions.copy()
    attrs["speaker"] = EVIL[0]
    attrs["rule"] = EVIL[1]
    outputs = [
        display.article_html(evil_text, attrs, frames.hedges, title=EVIL[0], url="javascript:alert(1)", meta=EVIL[1]),
        display.evidence_table(corpus, attrs, caption=EVIL[0]),
        display.evidence_table(corpus, frames.hedges, caption=EVIL[1]),
        display.title_block(EVIL[0], EVIL[1]),
        display.table(pd.DataFrame({"speaker": EVIL, "n": [1, 2]}), caption=EVIL[0]),
        display.headline_html([(EVIL[0], EVIL[1], EVIL[0])]),
        reports.index_html(
            [
                reports.Outcome(name="x", title=EVIL[0], html="/r/html/x.html"),
                reports.Outcome(name="y", title=EVIL[1], error=EVIL[0], cell=EVIL[1]),
            ],
            out=__import__("pathlib").Path("/r"),
            notes=[EVIL[1]],
        ),
    ]
    for out in outputs:
        assert "<script" not in out.lower() and "<img" not in out.lower()
        assert "javascript:" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outputs[0]


@pytest.mark.parametrize(
    "url,linked",
    [
        ("https://a.example/x?a=1&b=2", True),
        ("http://a.example", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        (None, False),
    ],
)
def test_safe_link_only_links_web_urls(url, linked):
    out = display.safe_link("T<i>", url)
    assert ("<a href=" in out) is linked
    assert "T&lt;i&gt;" in out
    if linked and "&" in url:
        assert "a=1&amp;b=2" in out


def test_pick_article(monkeypatch):
    corpus = corpus_frame()
    assert display.pick_article(corpus)["article_id"] == "a1"
    assert display.pick_article(corpus, "a3")["title"] == "Storm warning"
    with pytest.raises(analysis.AnalysisError, match="'zz' is not in the corpus"):
        display.pick_article(corpus, "zz")


def test_evidence_from_a_run_on_sentence_is_cut_to_its_context(monkeypatch):
    filler = "word " * 200
    text = f"{filler}The plan may fail {filler}"
    corpus, frames = fake_frames(monkeypatch, [("r1", "BBC", "2017-01-01", "Long", None, text)])
    table = display.evidence_table(corpus, frames.hedges, caption="Long")
    cell = re.search(r'<td class="an-sentence">(.*?)</td>', table, re.S).group(1)
    plain = html.unescape(re.sub(r"<[^>]+>", "", cell))
    assert plain.startswith("…") and plain.endswith("…")
    assert "The plan may fail" in plain and 'class="an-hedge an-voice-reporter"' in cell
    assert len(plain) < len(text) // 2


def test_table_labels_and_formats():
    out = display.table(
        pd.DataFrame({"n_words": [12345], "share": [0.25], "hedges_per_1k_words": [3.14159]}), percent=("share",)
    )
    assert "<th>words</th>" in out and "<th>hedges per 1,000 words</th>" in out
    assert "<td>12,345</td>" in out and "<td>25.0%</td>" in out and "<td>3.14</td>" in out
    assert "nothing to show" in display.table(pd.DataFrame(), caption="Empty")
