"""Source typing, pronoun and short-name resolution, canonical speaker.

The attribution extractor finds *where* a source is named; this step says *who or what* it is.
``annotate_sources`` fills, for each attribution of one article:

- ``source_type``: person, organisation, media, document, anonymous (an unnamed but specific
  person or group: "a senior official", "Russian officials"), vague (an unnamed collective:
  "critics", "some in Russia") or unresolved (no source, or a pronoun with no antecedent);
- ``speaker`` (a canonical name to group by: "he" and "Lavrov" → "Sergey Lavrov"; a lowercase
  phrase for unnamed sources) and ``speaker_start``/``speaker_end``, the mention it came from;
- ``anonymity_explained`` and ``source_rule`` (which lexicon row or resolution step decided).

The method is deliberately light (regular expressions and lexicons, no parser) so it keeps up with
a batch of hundreds of articles a second: capitalised runs are the candidate names, the lexicons
(``titles``, ``sources``, ``media``, ``pronouns``, ``given_names``; all CSV a journalist can edit)
say which runs are titles, organisations or outlets, and pronouns go to the most salient compatible
antecedent, where salience is recency plus having been a source plus being a sentence's first-named
entity. Method, lexicons and measured accuracy: ``docs/sources.md``.

Modules, each importing only those listed before it (closed word lists come from
``analysis.wordlists``):

- ``lexicons``: the CSV lexicons indexed (``source_lexicons``) and the memos articles share;
- ``records``: ``Token``, ``Mention``, ``Entity``, ``TypedSource``;
- ``mentions``: words, capitalised runs and their classification (``MentionScanner``);
- ``entities``: one article's mentions and person entities, indexed (``ArticleIndex``);
- ``resolve``: antecedents of pronouns and definite roles, the sources so far (``Resolver``);
- ``typer``: a source span's noun phrase → type and speaker (``Typer``);
- this module: the pipeline step.
"""

from __future__ import annotations

from analysis.doc import Doc
from analysis.records import Attribution
from analysis.sources.entities import ArticleIndex
from analysis.sources.lexicons import clear_memos, source_lexicons
from analysis.sources.records import TypedSource
from analysis.sources.resolve import Resolver, first_person_in_quotes
from analysis.sources.typer import Typer

__all__ = ["annotate_sources", "clear_memos", "source_lexicons"]


def annotate_sources(doc: Doc, attributions: list[Attribution]) -> None:
    """Fill ``source_type``, ``speaker``, ``speaker_start``, ``speaker_end``,
    ``anonymity_explained`` and ``source_rule`` of each attribution (in text order), in place.

    An attribution gives its source as ``source_start``/``source_end`` (None when it has none);
    ``kind == "floating"`` with no source continues the previous speaker. Never raises on text.
    """
    if not attributions:
        return
    text = doc.text
    lx = source_lexicons()
    contents = [(a.content_start, a.content_end) for a in attributions]
    index = ArticleIndex(doc, lx, [(cs, ce) for cs, ce in contents if cs is not None and ce is not None])
    resolver = Resolver(index)
    typer = Typer(index, resolver)
    prev: TypedSource | None = None
    source_starts = []
    for att, (cs, ce) in zip(attributions, contents):
        a, b = att.source_start, att.source_end
        source_starts.append(a)
        ok = a is not None and b is not None and 0 <= a < b <= len(text)
        exclude = (cs, ce) if cs is not None and ce is not None else None
        if not ok and att.kind == "floating" and prev is not None:
            r = TypedSource(
                prev.type, prev.speaker, prev.start, prev.end, "floating quote: previous speaker", prev.entity
            )
        elif not ok:
            r = TypedSource("unresolved", rule="no source span")
        else:
            r = typer.type_span(a, b, exclude)
            resolver.record(a, r)
        if r.start is None or r.end is None or not (0 <= r.start < r.end <= len(text)):
            r.start = r.end = None
        att.source_type = r.type
        att.speaker = r.speaker or None
        att.speaker_start, att.speaker_end = r.start, r.end
        att.anonymity_explained = r.type == "anonymous" and _explained(index, att, a if ok else None)
        att.source_rule = r.rule
        prev = r
    first_person_in_quotes(attributions, source_starts, contents)


def _explained(index: ArticleIndex, att: Attribution, source_start: int | None) -> bool:
    """True when the sentence(s) around an anonymous source say why it is unnamed."""
    if index.lx.anonymity is None:
        return False
    points = [p for p in (source_start, att.source_end, att.cue_start) if p is not None]
    if not points:
        return False
    s0 = index.sents[index.sent_of(min(points))][0]
    last = index.sent_of(max(points))
    e0 = (
        index.sents[min(last + 1, len(index.sents) - 1)][1]
        if last + 1 < len(index.sents) and index.sents[last][1] - s0 < 60
        else index.sents[last][1]
    )
    return index.lx.anonymity.search(index.text, s0, max(e0, s0)) is not None
