"""Span patterns: where the source and the content of a cue lie.

Each pattern is a function ``(doc, cue context) -> (kind, pattern name, source, content) | None``
named as the pattern part of the ``rule`` column it writes (``trailing_quote`` writes
``trailing_quote_subject`` or ``trailing_quote_inverted``). :func:`find_spans` tries them in the
order of :data:`PATTERNS` and takes the first that matches; ``subject_left`` matches every cue, so
one always does. The order is part of the behaviour: an earlier pattern's guard is what keeps a
later one from seeing a cue (``subject_only`` is tried after ``trailing_clause`` and so only meets
sentences without a comma before the cue). Source and content are token ranges [a, b] of the
``Doc`` or None; :mod:`analysis.attribution.spans` finds their boundaries.

After the pattern, rules every pattern shares: cues that annotators mostly leave without a source
("seems", "is expected") and a passive "was asked" get none (pattern ``agentless``), a source never
ends in an auxiliary nor is the expletive "there", and an indirect belief cue is of kind
``belief``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.attribution import cues, quotes, spans
from analysis.attribution.cues import Cue
from analysis.doc import QUOTE_CHARS, Doc
from analysis.wordlists import (
    AUX,
    AUX_TAIL,
    DETERMINERS,
    NOMINAL_CUES,
    NOMINAL_STOP,
    PARTICIPLE_LEAD,
    PARTICLES,
    PASSIVE_AUX,
    PRONOUNS,
    SUBORD,
    VERBS,
)

Range = tuple[int, int]
Match = tuple[str, str, Range | None, Range | None]  # kind, pattern name, source, content


@dataclass(slots=True)
class CueContext:
    """What the patterns read about a cue: its tokens [a, b] and head, its sentence (index, first
    and last token), the last token before trailing punctuation, the cue's lemma, and the source of
    the sentence's previous attribution (which a participle or coordinated verb continues)."""

    a: int
    b: int
    head: int
    sent: tuple[int, int, int]
    s0: int
    s1: int
    last: int
    lemma: str
    prev_src: Range | None


def according_to(doc: Doc, c: CueContext) -> Match | None:
    """``according to X``: X is the source; the content follows X, or else precedes the cue."""
    low = doc.norm
    if not (low[c.head] == "according" or (c.a < c.b and low[c.b] == "to" and low[c.a] == "according")):
        return None
    src = spans.np_right_short(doc, c.b + 1, c.s1)
    if src is not None and src[1] < c.last - 1:
        content = spans.trim(doc, src[1] + 1, c.s1)
    else:
        content = spans.trim(doc, spans.after_dateline(doc, c.s0, c.a), c.a - 1)
    return "according_to", "according_to", src, content


def nominal_from(doc: Doc, c: CueContext) -> Match | None:
    """A nominal cue with its source: ``statements from X``, ``criticism by X`` (no content)."""
    low = doc.norm
    if not (low[c.b] in ("by", "from") and c.b > c.a and low[c.head] in NOMINAL_CUES):
        return None
    src = spans.np_right_short(doc, c.b + 1, c.s1)
    if src is not None:
        stop = next((k for k in range(src[0] + 1, src[1] + 1) if low[k] in NOMINAL_STOP), None)
        src = spans.trim(doc, src[0], stop - 1) if stop is not None else src
    return "nominal", "nominal_from", src, None


def passive_by(doc: Doc, c: CueContext) -> Match | None:
    """A passive reporting verb with its agent (``was shared by X``): the agent is the source, the
    subject the content."""
    low, a, b = doc.norm, c.a, c.b
    if low[b] == "by" and b > a:
        by = b
    elif b + 1 <= c.s1 and low[b + 1] == "by" and any(low[k] in PASSIVE_AUX for k in range(a, b)):
        by = b + 1  # "was shared by X": annotators leave the "by" out of the cue about two times in three
    elif (
        b == a
        and b + 1 <= c.s1
        and low[b + 1] == "by"
        and low[b].endswith("ed")
        and a - 1 >= c.s0
        and doc.is_word(a - 1)
        and low[a - 1] not in AUX
        and low[a - 1] not in PRONOUNS
    ):
        by = b + 1  # a reduced relative: "the compensation requested by the families"
    else:
        return None
    agent = spans.np_right_short(doc, by + 1, c.s1)
    if agent is not None:  # "requested by the families was not disclosed": the verb ends the agent
        verb = next((k for k in range(agent[0] + 1, agent[1] + 1) if low[k] in VERBS), None)
        agent = spans.trim(doc, agent[0], verb - 1) if verb is not None else agent
    agent = spans.trim_time(doc, *agent) if agent is not None else None  # "by senators on Monday"
    return "passive", "passive_by", agent, spans.subject_left(doc, a, c.s0)


def participle(doc: Doc, c: CueContext) -> Match | None:
    """An "-ing" cue continuing a clause ("..., he said, adding ...", "X attacked Y, saying ..."):
    the clause's subject (or the sentence's previous source) speaks."""
    low, a = doc.norm, c.a
    # '"...," adding ...' counts too: on PolNeAR train the speaker of such a participle after a
    # closing quote is never the noun phrase to its right
    if not (
        low[c.head].endswith("ing")
        and low[c.head] != "according"
        and a - 1 >= c.s0
        and (low[a - 1] in PARTICIPLE_LEAD or doc.starts[a - 1] in doc.close_marks)
    ):
        return None
    src = c.prev_src if c.prev_src is not None else spans.sentence_subject(doc, c.s0, a)
    return "indirect", "participle", src, spans.content_right(doc, c.b, c.s1, c.lemma)


def trailing_quote(doc: Doc, c: CueContext) -> Match | None:
    """A quote closing just before the cue: ``"...," X said`` (``trailing_quote_subject``) or
    ``"...," said X`` (``trailing_quote_inverted``); a quote opening the next sentence of the same
    paragraph continues the content."""
    a, b = c.a, c.b
    qb = quotes.quote_before(doc, a, c.s0)
    if qb is None:
        return None
    if _has_subject_between(doc, qb[1], a) and not _clause_ends(doc, b, c.last):
        return None  # 'Fox's “Hannity,” Newt Gingrich said if ...': the quote is a title, not content
    q, close_tok = qb
    qa, qz = quotes.quote_range(doc, q)
    between = spans.trim(doc, close_tok + 1, a - 1)
    if between is not None and any(doc.is_word(k) for k in range(between[0], between[1] + 1)):
        src, pattern = spans.subject_left(doc, a, close_tok + 1), "trailing_quote_subject"
    else:
        src, pattern = spans.np_right(doc, b + 1, c.s1), "trailing_quote_inverted"
    content = (qa, qz)
    nxt = quotes.following_quote(doc, c.s1)
    if nxt is not None:
        content = (qa, quotes.quote_range(doc, nxt)[1])
    kind = "headline" if cues.is_headline(doc, c.sent) else "direct"
    return kind, pattern, src, content


def quote_after(doc: Doc, c: CueContext) -> Match | None:
    """A quote opening right after the cue (``X said: "..."``, ``X said, "..."``): the content."""
    q = quotes.quote_after(doc, c.b, c.s1)
    if q is None:
        return None
    qa, qz = quotes.quote_range(doc, q)
    kind = "colon" if doc.norm[c.b + 1] == ":" else "direct"
    return kind, "quote_after", spans.subject_left(doc, c.a, c.s0), (qa, qz)


def colon(doc: Doc, c: CueContext) -> Match | None:
    """``X said: content`` without quote marks."""
    if not (c.b + 1 <= c.s1 and doc.norm[c.b + 1] == ":"):
        return None
    return "colon", "colon", spans.subject_left(doc, c.a, c.s0), spans.trim(doc, c.b + 2, c.s1)


def trailing_clause(doc: Doc, c: CueContext) -> Match | None:
    """``Content, X said.`` / ``Content, said X.`` with the cue at the clause end: the source
    stands between the last comma and the cue, the content before that comma."""
    if not _at_clause_end(doc, c):
        return None
    comma = next((k for k in range(c.a - 1, c.s0 - 1, -1) if doc.norm[k] == ","), None)
    if comma is None:
        return None
    src = spans.trim(doc, comma + 1, c.a - 1)
    return "indirect", "trailing_clause", src, spans.trim(doc, spans.after_dateline(doc, c.s0, comma), comma - 1)


def subject_only(doc: Doc, c: CueContext) -> Match | None:
    """The cue at the clause end with no comma before it ("X agreed."): a source, no content."""
    if not _at_clause_end(doc, c):
        return None
    return "indirect", "subject_only", spans.subject_left(doc, c.a, c.s0), None


def inverted(doc: Doc, c: CueContext) -> Match | None:
    """``Content, said X, ...`` inverted mid-sentence: X is the source, the clause before the content.

    Only "say": for other verbs ("Mr. Bush, known as Jeb, remembers X") the source sat to the left
    79 times in 81 on PolNeAR train. And only where X ends the clause: in "Labour's shadow
    chancellor, Rachel Reeves, said the plans were reckless" the words after "said" are the
    content, not its speaker."""
    low, a, b, s1 = doc.norm, c.a, c.b, c.s1
    if not (
        c.lemma == "say"
        and a - 1 >= c.s0
        and low[a - 1] == ","
        and b + 1 <= s1
        and (doc.capitalised(b + 1) or low[b + 1] in DETERMINERS or _described_name(doc, b + 1, s1))
        and not _opens_with_appositive(doc, c.s0, a)
    ):
        return None
    src = spans.np_right(doc, b + 1, s1)
    if src is not None and _holds_verb(doc, src[0], src[1]):
        return None
    content = spans.trim(doc, spans.after_dateline(doc, c.s0, a), a - 2)
    return "indirect", "inverted", spans.name_before_adjunct(doc, src), content


def subject_left(doc: Doc, c: CueContext) -> Match:
    """The subject to the left of the cue and the clause to its right (``indirect``, or ``mixed``
    when the content holds a quote mark). Matches every cue: the last pattern tried."""
    low = doc.norm
    content = spans.content_right(doc, c.b, c.s1, c.lemma)
    kind = "indirect"
    if content is not None and any(low[k] in QUOTE_CHARS for k in range(content[0], content[1] + 1)):
        kind = "mixed"
    src = spans.subject_left(doc, c.a, c.s0)
    if src is not None and low[src[1]] in ("and", "but", "or"):
        # "X visits the plant and says": a coordinated verb; its subject opens the clause (on PolNeAR
        # train a source ending in a conjunction was wrong 58 times in 83)
        src = c.prev_src if c.prev_src is not None else spans.sentence_subject(doc, c.s0, src[1])
    return kind, "subject_left", src, content


PATTERNS: tuple[Callable[[Doc, CueContext], Match | None], ...] = (
    according_to,
    nominal_from,
    passive_by,
    participle,
    trailing_quote,
    quote_after,
    colon,
    trailing_clause,
    subject_only,
    inverted,
    subject_left,
)


def find_spans(doc: Doc, cue: Cue, lemma: str, category: str, prev_src: Range | None) -> Match:
    """Kind, pattern name, source and content token ranges of ``cue`` (of lexicon ``category``);
    ``prev_src`` is the source of the previous attribution in the same sentence, if any."""
    low = doc.norm
    a, b, head, sent = cue.start, cue.end, cue.head, cue.sent
    _, s0, s1 = sent
    last = s1
    while last > b and not doc.is_word(last) and low[last] not in QUOTE_CHARS:
        last -= 1
    context = CueContext(a, b, head, sent, s0, s1, last, lemma, prev_src)
    for pattern_of in PATTERNS:
        found = pattern_of(doc, context)
        if found is not None:
            break
    kind, pattern, src, content = found
    if cues.usually_sourceless(low[head]) and pattern == "subject_left":
        src, pattern = None, "agentless"  # "seems", "is expected": the writer's own evidential
    elif low[head] == "asked" and head > 0 and low[head - 1] in PASSIVE_AUX and pattern != "passive_by":
        # "X was asked about Y": X is the addressee; the asker is unnamed (no source 23 times in 29 on train)
        src, pattern = None, "agentless"
    if category == "belief" and kind == "indirect":
        kind = "belief"
    if src is not None:
        # a source never ends in an auxiliary ("Donald Trump Is Calling", "those who have expressed"
        # leaving "have") nor is the expletive "there"
        k = src[1]
        while k >= src[0] and low[k] in AUX_TAIL:
            k -= 1
        src = (src[0], k) if k >= src[0] and low[src[0] : k + 1] != ["there"] else None
    return kind, pattern, src, content


# --- guards of the patterns ---------------------------------------------------------------------
def _at_clause_end(doc: Doc, c: CueContext) -> bool:
    """Whether the cue ends its sentence, or a participle adding to the content follows it
    ("..., TASS reported, citing a source")."""
    low, b = doc.norm, c.b
    return b >= c.last or (
        low[b + 1] == "," and b + 2 <= c.s1 and low[b + 2].endswith("ing") and low[b + 2] != "according"
    )


def _described_name(doc: Doc, a: int, s1: int) -> bool:
    """Whether a name with a lower-case description in front starts at ``a`` ("security firm
    Lookout", "opposition leader Jeremy Corbyn"): a speaker after an inverted "said"."""
    k = a
    while k <= s1 and k < a + 4 and doc.is_word(k) and not doc.capitalised(k):
        if doc.norm[k] in VERBS or doc.norm[k] in SUBORD or doc.norm[k] in PRONOUNS or doc.norm[k] in PARTICLES:
            return False
        k += 1
    return a < k <= s1 and doc.capitalised(k)


def _holds_verb(doc: Doc, a: int, b: int) -> bool:
    """Whether tokens [a, b] hold a finite verb before any comma: a clause, not a noun phrase."""
    for k in range(a, b + 1):
        if doc.norm[k] == ",":
            return False
        if doc.norm[k] in VERBS:
            return True
    return False


def _has_subject_between(doc: Doc, close_tok: int, a: int) -> bool:
    """Whether a word stands between a closing quote and the cue ('"...," Newt Gingrich said')."""
    return any(doc.is_word(k) for k in range(close_tok + 1, a))


def _clause_ends(doc: Doc, b: int, last: int) -> bool:
    """Whether the clause ends soon after the cue ("..." he said on Monday. / ..." he said, adding)."""
    if b >= last or doc.norm[b + 1] in (",", ";", "—", "–"):
        return True
    return sum(doc.is_word(k) for k in range(b + 1, last + 1)) <= 4


def _opens_with_appositive(doc: Doc, s0: int, a: int) -> bool:
    """Whether the clause opens with a name and a comma ("Scot Ross, executive director of X, said
    ..."): the speaker then stands to the left of the cue, not after it."""
    k = first = spans.strip_lead(doc, spans.after_dateline(doc, s0, a), a)
    while k < a and (doc.capitalised(k) or doc.norm[k] in (".", "’", "'", "s", "-")):
        k += 1
    return first < k < a and doc.norm[k] == ","
