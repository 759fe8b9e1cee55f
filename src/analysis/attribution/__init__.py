"""Attribution extraction: who said (believed, found, wants) what, as cue, source and content spans.

:func:`find_attributions` is the pipeline step. Method (details and measured figures in
``docs/attribution.md``):

1. Cues (:mod:`.cues`): tokens of the cue vocabulary that the cue model accepts, grown over the
   neighbouring words annotators include ("has said", "said in a statement", "according to").
2. Source and content (:mod:`.patterns`, boundaries in :mod:`.spans`): the first span pattern
   around the cue that matches -- a trailing attribution after a quote, ``according to X``, a
   passive, a colon, the subject to the left and the clause to the right ...; quotes that follow
   continue the content (:mod:`.quotes`).
3. Passes over the article's attributions (:mod:`.quotes`): a content ends where the next
   attribution of its sentence begins; a cue inside another attribution's content is kept only
   when the model is sure of it; a quote paragraph without a cue continues the previous speaker.

Everything is offsets into the text as given; ``text[s:e] == *_text`` for every span. The step
never raises on text: odd input yields fewer attributions, not an error.

Modules, each importing only those before it: ``cues``, ``spans``, ``quotes`` (none imports
another) <- ``patterns`` <- this package. Word lists live in :mod:`analysis.wordlists`.
"""

from __future__ import annotations

from analysis.attribution import patterns, quotes, spans
from analysis.attribution.cues import MODEL_ENV, Cue, find_cues, lemma_category, model, prepare, vocabulary
from analysis.doc import Doc
from analysis.records import Attribution

__all__ = ["MODEL_ENV", "find_attributions", "model", "prepare", "vocabulary"]


def find_attributions(doc: Doc) -> list[Attribution]:
    """Attributions of an article, with their spans, ``kind``, cue lemma and category and ``rule``.

    Source typing is a step of its own (``analysis.sources``), run after this one by the pipeline.
    """
    if not doc.text.strip():
        return []
    prepare(doc)
    out: list[Attribution] = []
    probs: list[float] = []
    prev_sent, prev_src = None, None
    for cue in find_cues(doc):
        rec, src = _record(doc, cue, prev_src if prev_sent == cue.sent[0] else None)
        out.append(rec)
        probs.append(cue.p)
        if src is not None:
            prev_sent, prev_src = cue.sent[0], src
    quotes.cut_contents(out)
    out = quotes.drop_unsure_nested(out, probs)
    quotes.fold_floating_quotes(doc, out)
    return out


def _record(doc: Doc, cue: Cue, prev_src) -> tuple[Attribution, tuple[int, int] | None]:
    """The record of ``cue``, and its source's token range (which a later cue of the sentence may
    continue)."""
    text = doc.text
    a, b = cue.start, cue.end
    cs, ce = doc.starts[a], doc.ends[b]
    cue_low = " ".join(doc.norm[a : b + 1]) if a < b else doc.norm[a]
    lemma, category, lex_rule = lemma_category(cue_low, doc.norm[cue.head])
    kind, pattern, src, content = patterns.find_spans(doc, cue, lemma, category, prev_src)
    ss, se = _span(doc, src)
    ks, ke = _span(doc, content)
    k = cue.sent[0]
    sent_start, sent_end = doc.sents[k] if 0 <= k < len(doc.sents) else (None, None)
    rec = Attribution(
        kind=kind,
        cue_start=cs,
        cue_end=ce,
        cue_text=text[cs:ce],
        cue_lemma=lemma,
        cue_category=category,
        source_start=ss,
        source_end=se,
        source_text=None if ss is None else text[ss:se],
        content_start=ks,
        content_end=ke,
        content_text=None if ks is None else text[ks:ke],
        sentence_start=sent_start,
        sentence_end=sent_end,
        rule=f"{pattern}:{lex_rule}:p={cue.p:.2f}",
    )
    return rec, src


def _span(doc: Doc, rng) -> tuple[int, int] | tuple[None, None]:
    """Character offsets of a token range; (None, None) for no range or an empty one."""
    ch = spans.chars(doc, rng)
    return ch if ch is not None and ch[0] < ch[1] else (None, None)
