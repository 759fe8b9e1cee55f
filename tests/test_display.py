"""Highlighted HTML: well-formed whatever the spans, text never altered, untrusted text escaped."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_fixtures import corpus_frame, fake_frames

import analysis
from analysis import display, explorer, palette, quality, reports, tally
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
    assert "(2 of 2 attributions shown)" in table
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
        display.evidence_table(corpus, attrs, caption=EVIL[0], interactive=True),
        display.table(pd.DataFrame({"speaker": EVIL, "source_type": EVIL}), caption=EVIL[1], interactive=True),
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
        # the title block carries the interactive tables' own script; no outside text becomes markup
        assert "<script>alert" not in out.lower() and "<img" not in out.lower()
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


# ---------------------------------------------------------------------------------------------
# Interactive tables on screen, static in print; percentages; colour chips


def _interactive_and_static(out: str) -> tuple[str, str]:
    live = out.split('<div class="an-interactive">', 1)[1].split('<div class="an-static">', 1)[0]
    static = out.split('<div class="an-static">', 1)[1]
    return live, static


def test_interactive_tables_are_searchable_on_screen_and_plain_in_print(monkeypatch):
    corpus, frames = fake_frames(monkeypatch)
    rows = tally.attributions_of(frames)
    out = display.evidence_table(corpus, rows, n=10, caption="All attributions", interactive=True)
    live, static = _interactive_and_static(out)
    assert "<style>.an-static { display: none; } @media print { .an-interactive { display: none" in out
    assert "new ITable(" in live and '"topEnd": "search"' in live and '"maxBytes"' not in live
    assert static.count("<tr>") == 1 + len(rows)  # the print copy holds every row shown
    assert re.search(r"<script[^>]*\bsrc=", out) is None, "no script is fetched from anywhere"
    # the DataTable's rows are the static table's cells
    data = json.loads(json.loads(re.search(r'"data_json": (".*?[^\\]"),?\n', live).group(1)))
    assert [row[1] for row in data] == re.findall(r'<td class="an-sentence">(.*?)</td>', static)
    plain = display.evidence_table(corpus, rows, n=10, caption="All attributions")
    assert plain == static.removesuffix("</div>")
    monkeypatch.setattr(display, "_datatables_bundle", lambda: "")  # itables not installed: plain tables
    assert display.evidence_table(corpus, rows, n=10, caption="All attributions", interactive=True) == plain


def test_title_block_bundles_the_table_script_once_and_offline():
    page = display.title_block("T", "sub")
    assert page.count("injectModule(") == 2  # defined and called once: the bundle, inlined
    assert re.search(r"<(script|link)[^>]*\b(src|href)=[\"']?https?:", page) is None
    assert "https://" not in page.split("</style>", 1)[1].split("<h1", 1)[0][:2000]


def test_shares_are_percentages_in_tables_too():
    """The comparison table showed 0.08 where its chart said 8%."""
    intervals = pd.DataFrame(
        {
            "group": ["BBC", "BBC"],
            "metric": ["share_anonymous", "hedges_per_1k_words"],
            "label": ["Share of attributions to anonymous sources", "Hedges per 1,000 words"],
            "estimate": [0.0812, 5.678],
            "low": [0.05, 4.1],
            "high": [0.111, 7.2],
            "n_articles": [12, 1200],
            "n_resamples": [100, 100],
            "ci": [0.95, 0.95],
        }
    )
    out = display.intervals_table(intervals)
    assert "<td>8.1%</td><td>5.0%</td><td>11.1%</td><td>12 (few)</td>" in out
    assert "<td>5.68</td><td>4.10</td><td>7.20</td><td>1,200</td>" in out
    assert "0.08" not in out and "<th>95% low</th>" in out
    assert "<td>25.0%</td>" in display.table(pd.DataFrame({"share": [0.25]}))  # 'share' columns by default


def test_category_cells_carry_the_chart_colour():
    out = display.table(pd.DataFrame({"source_type": ["anonymous"], "category": ["doxastic"], "voice": ["reporter"]}))
    assert f"background:{palette.PALETTE['source_type']['anonymous']}" in out
    assert f"background:{palette.PALETTE['hedge_category']['doxastic']}" in out
    assert f"background:{palette.PALETTE['voice']['reporter']}" in out
    assert display.chip("voice", None) == ""
    # the reporter-voice highlight is a tint of the charts' reporter-voice colour
    assert palette.tint(palette.PALETTE["voice"]["reporter"], 0.78) in display.CSS


# ---------------------------------------------------------------------------------------------
# Honest numbers: measured accuracy, lost quotation marks, few articles

DAMAGED = [
    ("d1", "HuffPost", "2017-01-05", "One", None, 'Officials said the talks may resume."?We are ready,"?he said.'),
    ("d2", "HuffPost", "2017-01-06", "Two", None, "Critics argued it might not last. We don?t know."),
    ("d3", "HuffPost", "2017-02-07", "Three", None, '"We are ready," John Smith said.'),
    ("d4", "BBC", "2017-02-08", "Four", None, "Mary Jones said the budget was balanced."),
]


def test_lost_quote_marks_are_detected_per_article_from_frames_or_file(monkeypatch, tmp_path):
    corpus, frames = fake_frames(monkeypatch, DAMAGED)
    from analysis import datasets

    assert datasets.lost_quote_marks is quality.lost_quote_marks  # one detector, below the display layer
    notes = quality.corpus_notes(frames, corpus)
    assert notes.texts_checked and notes.n_articles == 4
    assert notes.outlets.to_dict("records") == [
        {"outlet": "BBC", "n_articles": 1, "n_lost_quotes": 0},
        {"outlet": "HuffPost", "n_articles": 3, "n_lost_quotes": 2},
    ]
    assert notes.periods.to_dict("records") == [
        {"period": "2017-01", "n_articles": 2},
        {"period": "2017-02", "n_articles": 2},
    ]
    path = tmp_path / "corpus.csv"
    corpus.to_csv(path, index=False)
    assert quality.corpus_notes(frames, path).outlets.equals(notes.outlets)  # streamed from the file: the same
    one = quality.corpus_notes(tally.select(frames, outlet="BBC"), corpus)
    assert one.outlets["outlet"].tolist() == ["BBC"] and one.damaged().empty
    unknown = quality.corpus_notes(frames)
    assert not unknown.texts_checked and unknown.damaged().empty


def test_method_note_states_measured_accuracy_read_from_the_package_file(monkeypatch, tmp_path):
    note = display.method_note()
    figures = quality.load_accuracy()
    assert {"attribution_precision", "attribution_recall", "source_type_accuracy"} <= set(figures)
    for f in figures.values():
        assert f"{f['n']:,} {f['n_of']}" in note
    assert f"| attribution precision | {figures['attribution_precision']['value']:.0%} |" in note
    # the prose is written from the file: another measurement, another note
    changed = {"figures": {"x": {**figures["attribution_precision"], "value": 0.5, "measured": "2027-01-31"}}}
    path = tmp_path / "accuracy.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    monkeypatch.setattr(quality, "accuracy_path", lambda: path)
    note = display.method_note()
    assert "| attribution precision | 50% |" in note and "31 January 2027" in note and "84%" not in note


@pytest.mark.parametrize(
    "change,message",
    [
        ({"value": 83.7}, "'value' 83.7 is not between 0 and 1"),
        ({"value": "0.8"}, "'value' must be a float"),
        ({"n": 0}, "'n' must be positive"),
        ({"measured": "last week"}, "'measured' 'last week' is not a date"),
        ({"command": ""}, "'command' must be a str"),
        ({"data": None}, "'data' must be a str"),
    ],
)
def test_a_bad_accuracy_file_is_one_line_naming_the_figure(tmp_path, change, message):
    good = quality.load_accuracy()["attribution_recall"]
    path = tmp_path / "accuracy.json"
    path.write_text(json.dumps({"figures": {"recall": {**good, **change}}}), encoding="utf-8")
    with pytest.raises(analysis.AnalysisError) as err:
        quality.load_accuracy(path)
    assert str(err.value).startswith(f"analysis: {path}: figure 'recall': ") and message in str(err.value)
    assert "\n" not in str(err.value)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(analysis.AnalysisError, match="not valid JSON"):
        quality.load_accuracy(path)
    path.write_text('{"figures": {}}', encoding="utf-8")
    with pytest.raises(analysis.AnalysisError, match="non-empty 'figures'"):
        quality.load_accuracy(path)


def test_method_note_and_caution_name_the_corpus_flaws(monkeypatch):
    corpus, frames = fake_frames(monkeypatch, DAMAGED)
    notes = quality.corpus_notes(frames, corpus)
    note = display.method_note(notes)
    assert "2 of 3 HuffPost articles lost their quotation marks in the source data; direct-quote shares" in note
    assert "BBC articles lost" not in note
    assert f"This report rests on 4 articles, fewer than {quality.FEW_ARTICLES}." in note
    assert "95% intervals shown" not in note  # the outlet report shows none
    assert "within the 95% intervals shown" in display.method_note(notes, intervals=True)
    box = display.caution(notes)
    assert "Read with care." in box and "2 of 3 HuffPost articles lost their quotation marks" in box
    bbc = quality.corpus_notes(tally.select(frames, article_ids=["d4"]), corpus)
    assert display.caution(bbc) is None  # one clean article: nothing to warn of
    assert "These figures describe one article." in display.method_note(bbc)
    assert "No article in this report shows lost quotation marks." in display.method_note(bbc)
    assert "were not checked" in display.method_note(quality.corpus_notes(frames))
    evil = quality.corpus_notes(
        frames.__class__(frames.attributions, frames.hedges, frames.articles.assign(outlet=EVIL[0])), corpus
    )
    assert "<script" not in display.method_note(evil) and "&lt;script&gt;" in display.method_note(evil)


def test_months_and_outlets_with_few_articles_are_listed(monkeypatch):
    corpus, frames = fake_frames(monkeypatch, DAMAGED)
    notes = quality.corpus_notes(frames, corpus)
    big = quality.CorpusNotes(
        n_articles=600,
        outlets=pd.DataFrame({"outlet": ["BBC", "CNN"], "n_articles": [580, 20], "n_lost_quotes": [0, 3]}),
        periods=pd.DataFrame({"period": ["2017-01", "2017-02"], "n_articles": [595, 5]}),
        texts_checked=True,
    )
    note = display.method_note(big)
    assert "Outlets with fewer than 30 articles: CNN (20 articles)." in note
    assert "Months with fewer than 30 articles: 2017-02 (5 articles)." in note
    assert "3 of 20 CNN articles lost their quotation marks in the source data; direct-quote" in note
    assert quality.caution_lines(big)[0].startswith("Fewer than 30 articles: CNN (20 articles)")
    cards = display.headline_cards(tally.headline(frames), notes)
    assert "few: read with care" in cards and "undercounted (quote marks lost)" in cards
    assert "undercounted" not in display.headline_cards(tally.headline(frames))


# ---------------------------------------------------------------------------------------------
# The explorer behind notebooks/explore.ipynb


def test_explorer_view_redraws_for_each_choice(monkeypatch):
    corpus, frames = fake_frames(monkeypatch)
    menus = explorer.options(frames)
    assert [v for _, v in menus["outlet"]] == ["", "BBC", "CNN"] and menus["outlet"][1][0] == "BBC (2 articles)"
    assert [v for _, v in menus["period"]] == ["", "2017-01", "2017-02", "2017-03"]
    everything = explorer.view(frames, corpus)
    assert "n = 9 attributions in 4 articles" in everything[0]
    anonymous = explorer.view(frames, corpus, outlet="CNN", source_type="anonymous")
    assert (
        "CNN · any month · source type anonymous" in anonymous[0] and "n = 1 attribution in 2 articles" in anonymous[0]
    )
    assert anonymous[1].colour_key == {"source_type": {"anonymous": palette.PALETTE["source_type"]["anonymous"]}}
    assert "a source</span>" in anonymous[-1] and "John Smith" not in anonymous[-1]
    january = explorer.view(frames, corpus, period="2017-01", cue_category="neutral")
    assert "n = 6 attributions in 2 articles (few: read with care)" in january[0]


def test_explorer_widgets_redraw_on_change(monkeypatch):
    pytest.importorskip("ipywidgets")
    corpus, frames = fake_frames(monkeypatch)
    calls = []
    monkeypatch.setattr(explorer, "view", lambda data, texts, **choice: calls.append(choice) or [])
    panel = explorer.explorer(frames, corpus, outlet="BBC")
    pickers = {w.description: w for box in panel.children[:2] for w in box.children}
    assert calls[-1]["outlet"] == "BBC" and calls[-1]["source_type"] == ""
    pickers["Source type"].value = "vague"
    assert calls[-1] == {"outlet": "BBC", "period": "", "source_type": "vague", "cue_category": "", "examples": 10}
    with pytest.raises(analysis.AnalysisError, match="outlet 'Guardian' is not in this data; choose from BBC, CNN"):
        explorer.explorer(frames, corpus, outlet="Guardian")
    with pytest.raises(analysis.AnalysisError, match="unknown choice"):
        explorer.explorer(frames, corpus, outlett="BBC")
