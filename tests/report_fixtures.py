"""Hand-built, realistic extraction output for the tally / display / report tests.

The real attribution and hedging engines are developed in parallel; these stand-ins follow the
column contract of ``analysis.schema`` (offsets into the untouched text, ``text[s:e] == *_text``)
so the tests exercise our code on full frames whatever state the engines are in. They stand in
for the pipeline's components (which read the article's ``Doc``); the fake attributions carry
their own source types, so source typing is switched off with them.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import attribution, hedging, sources
from analysis.doc import Doc
from analysis.pipeline import extract
from analysis.records import Attribution, Hedge
from analysis.schema import Frames

ARTICLES = [
    (
        "a1",
        "BBC",
        "2017-01-05",
        "Talks resume",
        "https://www.bbc.co.uk/news/1",
        'Officials said the talks may resume next week. "We are ready," John Smith said.\n\n'
        "A source familiar with the matter said the deal could collapse. It appears likely to fail.",
    ),
    (
        "a2",
        "BBC",
        "2017-02-10",
        "Budget row",
        "https://www.bbc.co.uk/news/2",
        "Mary Jones said the budget was balanced. Critics argued it might not last.\n\n"
        "The ministry said in a statement that spending would rise.",
    ),
    (
        "a3",
        "CNN",
        "2017-01-20",
        "Storm warning",
        "https://edition.cnn.com/3",
        "The storm could reach the coast by Friday, forecasters said. John Smith told reporters he was worried.\n\n"
        "Residents may be evacuated, a source said.",
    ),
    ("a4", "CNN", "2017-03-02", "Quiet day", None, "Nothing happened today. The weather was fine."),
]

_ATTR = re.compile(
    r"(?P<src>[A-Z][a-z]+ [A-Z][a-z]+|Officials|Critics|The ministry|A source(?: familiar with the matter)?"
    r"|a source|forecasters|he|she) (?P<cue>said|told|argued)"
)
_TYPES = {
    "Officials": "vague",
    "Critics": "vague",
    "forecasters": "vague",
    "The ministry": "organisation",
    "a source": "anonymous",
    "A source familiar with the matter": "anonymous",
    "A source": "anonymous",
}
_LEMMA = {"said": "say", "told": "tell", "argued": "argue"}
_HEDGE = re.compile(r"\b(may|might|could|appears|likely)\b")


def fake_attributions(doc: Doc):
    text, out = doc.text, []
    for ss, se in doc.sents:
        sent = text[ss:se]
        for m in _ATTR.finditer(sent):
            src = m.group("src")
            stype = _TYPES.get(src, "person")
            cs, ce = ss + m.end("cue"), se
            before = sent[: m.start()].rstrip(" ,")
            if before:  # "... , X said." : the content precedes the source
                cs, ce = ss, ss + len(before)
            elif text[ce - 1] == ".":
                ce -= 1
            cs += len(text[cs:ce]) - len(text[cs:ce].lstrip(" "))
            out.append(
                Attribution(
                    kind="direct" if '"' in text[cs:ce] else "indirect",
                    cue_start=ss + m.start("cue"),
                    cue_end=ss + m.end("cue"),
                    cue_text=m.group("cue"),
                    cue_lemma=_LEMMA[m.group("cue")],
                    cue_category="neutral" if m.group("cue") != "argued" else "argue",
                    source_start=ss + m.start("src"),
                    source_end=ss + m.end("src"),
                    source_text=src,
                    source_type=stype,
                    speaker=src if stype in ("person", "organisation") else None,
                    speaker_start=None,
                    speaker_end=None,
                    content_start=cs,
                    content_end=ce,
                    content_text=text[cs:ce],
                    sentence_start=ss,
                    sentence_end=se,
                    anonymity_explained=False,
                    rule="fake:said",
                )
            )
    return out


def fake_hedges(doc: Doc, attributions=None):
    text, out = doc.text, []
    attributions = attributions or []
    for ss, se in doc.sents:
        for m in _HEDGE.finditer(text, ss, se):
            inside = [
                i for i, a in enumerate(attributions) if a.content_start <= m.start() and m.end() <= a.content_end
            ]
            out.append(
                Hedge(
                    start=m.start(),
                    end=m.end(),
                    text=m.group(),
                    cue=m.group().lower(),
                    category="modal" if m.group() in ("may", "might", "could") else "epistemic",
                    is_hedge=True,
                    voice="source" if inside else "reporter",
                    attribution_id=inside[0] if inside else None,
                    sentence_start=ss,
                    sentence_end=se,
                    rule="fake:hedge",
                )
            )
    return out


def corpus_frame(rows=ARTICLES) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "outlet", "published", "title", "url", "text"])


def use_fake_engines(monkeypatch) -> None:
    monkeypatch.setattr(attribution, "find_attributions", fake_attributions)
    monkeypatch.setattr(sources, "annotate_sources", lambda doc, attributions: None)
    monkeypatch.setattr(hedging, "find_hedges", fake_hedges)


def fake_frames(monkeypatch, rows=ARTICLES) -> tuple[pd.DataFrame, Frames]:
    use_fake_engines(monkeypatch)
    corpus = corpus_frame(rows)
    return corpus, extract(corpus)
