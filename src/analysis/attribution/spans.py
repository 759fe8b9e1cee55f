"""Span boundaries around a cue, as token ranges [a, b] (inclusive) of a ``Doc``.

The patterns (:mod:`analysis.attribution.patterns`) decide where a source and a content lie; the
functions here find how far each reaches: the subject to the left of a cue (:func:`subject_left`),
the noun phrase to its right (:func:`np_right`), the clause after it (:func:`content_right`), and
the trims every span goes through (punctuation, trailing adverbs and time phrases, datelines).
A function returns None where no span is left.
"""

from __future__ import annotations

import functools

from analysis.doc import QUOTE_CHARS, Doc
from analysis.lexicon import load_lexicon
from analysis.wordlists import (
    ADJUNCT_PREPS,
    AUX,
    CLAUSE_STOP,
    CONJ,
    DETERMINERS,
    LEAD_WORDS,
    NOUN_OBJECT_VERBS,
    PRONOUNS,
    SUBORD,
    TIME_LEAD,
    TIME_WORDS,
    TRAILING_ADVERBS,
    VERBS,
    WEEKDAYS,
)


def trim(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """Drop punctuation (but not quote marks) from both ends of token range [a, b]."""
    low = doc.norm
    while a <= b and not doc.is_word(a) and low[a] not in QUOTE_CHARS and low[a] not in "($":
        a += 1
    while b >= a and not doc.is_word(b) and low[b] not in QUOTE_CHARS and low[b] not in ")%":
        b -= 1
    return (a, b) if a <= b else None


def chars(doc: Doc, rng) -> tuple[int, int] | None:
    """Character offsets (start, end-exclusive) of token range ``rng``, or None."""
    if rng is None or not (0 <= rng[0] <= rng[1] < len(doc.starts)):
        return None
    return doc.starts[rng[0]], doc.ends[rng[1]]


def np_right(doc: Doc, a: int, s1: int) -> tuple[int, int] | None:
    """Noun phrase starting at token ``a``: up to the sentence end or a clause stop (appositives kept)."""
    low = doc.norm
    b = a
    while b <= s1 and low[b] not in CLAUSE_STOP and not doc.is_quote_mark(b) and low[b] != "(":
        if low[b] == "," and b + 1 <= s1:
            nxt = low[b + 1]
            # ", who ...", ", adding ...", ", referring to ...": the speaker's description has ended
            if nxt in SUBORD or nxt in CONJ or (nxt.endswith("ing") and not doc.capitalised(b + 1)):
                break
        b += 1
    return trim_time(doc, a, b - 1)


def trim_time(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """Drop a trailing time phrase from a source: "The White House on Monday"."""
    low = doc.norm
    if b - 1 > a and low[b] in WEEKDAYS and low[b - 1] in ("on", "last", "this"):
        b -= 2
    elif b > a and low[b] in WEEKDAYS:
        b -= 1
    return _trim_adverbs(doc, a, b)


def np_right_short(doc: Doc, a: int, s1: int) -> tuple[int, int] | None:
    """Noun phrase after 'according to' / 'by': up to the first comma or clause stop."""
    b = a
    while b <= s1 and doc.norm[b] not in CLAUSE_STOP and doc.norm[b] != "," and not doc.is_quote_mark(b):
        b += 1
    return trim(doc, a, b - 1)


def _stop_left(doc: Doc, k: int, s0: int, commas: bool) -> bool:
    w = doc.norm[k]
    return (
        w in CLAUSE_STOP
        or w in SUBORD
        or doc.is_quote_mark(k)
        or (commas and w == ",")
        or (w == "." and k > s0 and doc.norm[k - 1] in QUOTE_CHARS)
    )


def _walk_left(doc: Doc, j: int, s0: int, commas: bool) -> int:
    """First token of the stretch ending at ``j`` that no clause boundary interrupts."""
    k = j
    while k >= s0 and not _stop_left(doc, k, s0, commas):
        k -= 1
    return k + 1


def strip_lead(doc: Doc, first: int, j: int) -> int:
    """Skip conjunctions and a leading adverbial ("But", "On Monday,", "Later on Sunday,")."""
    low = doc.norm
    while first <= j and low[first] in CONJ:
        first += 1
    if first <= j and low[first] in LEAD_WORDS:
        for k in range(first, j):
            if low[k] == ",":
                return k + 1
    # a time phrase without its comma: "On Friday the father of Lubitz said", "Last week the ministry said"
    if (
        first + 2 <= j
        and low[first] in TIME_LEAD
        and low[first + 1] in TIME_WORDS
        and doc.is_word(first + 2)
        and low[first + 2] not in ("s", "and", "or")
    ):
        first += 2
    while first <= j and low[first] in (
        "also",
        "still",
        "now",
        "then",
        "later",
        "earlier",
        "what",
        "with",
        "how",
        "why",
        "whom",
    ):
        first += 1
    # a question: "Have you been surprised", "Did Trump say"
    if first < j and low[first] in AUX and (low[first + 1] in PRONOUNS or doc.capitalised(first + 1)):
        first += 1
    return first


def subject_left(doc: Doc, a: int, s0: int) -> tuple[int, int] | None:
    """The subject of the cue at token ``a``: the noun phrase ending just before it."""
    low = doc.norm
    j = a - 1
    if j < s0:
        return None
    if low[j] in ("who", "which"):
        return j, j  # "those who said": the relative pronoun stands for the source
    if low[j] == ",":
        # "Name, a title of X, who ..., said": the source is the name and everything in apposition
        # (commas, "who" clauses and "Ava, Mo." included) back to the clause start
        k = j - 1
        while k >= s0 and low[k] not in CLAUSE_STOP and not doc.is_quote_mark(k) and low[k] != "that":
            k -= 1
        first = strip_lead(doc, k + 1, j - 1)
        return _trim_adverbs(doc, first, j - 1)
    first = strip_lead(doc, _walk_left(doc, j, s0, commas=True), j)
    # a finite verb inside the stretch ends the subject: "Clinton met with workers ... in hopes of"
    for k in range(first + 1, j + 1):
        w = low[k]
        if (w in VERBS or (len(w) > 4 and w.endswith("ed") and low[k - 1] not in DETERMINERS)) and not doc.capitalised(
            k
        ):
            return trim_time(doc, first, k - 1)
    return trim_time(doc, first, j)


def _trim_adverbs(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """Drop adverbs and punctuation trailing a subject: "Trump later", "Murphy, though,"."""
    while (
        b >= a
        and (doc.norm[b] in TRAILING_ADVERBS or not doc.is_word(b))
        and not doc.is_quote_mark(b)
        and doc.norm[b] not in ")%"
    ):
        b -= 1
    return trim(doc, a, b)


def sentence_subject(doc: Doc, s0: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase opening the clause at ``s0``: "He", "Mr. Trump", "The State Department"."""
    low = doc.norm
    first = strip_lead(doc, s0, limit)
    k = first
    while k < limit:
        w = low[k]
        if (
            doc.capitalised(k)
            or w in ("the", "a", "an", "his", "her", "their", "its", "of", ".", "’", "'", "s", "-")
            or w.isdigit()
        ):
            k += 1
            if w in PRONOUNS and k - 1 == first:
                break
            continue
        break
    # a lower-case noun after a determiner: "the campaign", "the president"
    if k < limit and k > first and low[k - 1] in ("the", "a", "an", "his", "her", "their", "its") and doc.is_word(k):
        k += 1
    return trim(doc, first, k - 1) if k > first else None


def content_right(doc: Doc, b: int, s1: int, lemma: str) -> tuple[int, int] | None:
    """The clause after the cue, to the sentence end; a quote opened in it runs to its close."""
    low = doc.norm
    a = b + 1
    if a > s1:
        return None
    if low[a] in (":", ","):
        a += 1
    if lemma in NOUN_OBJECT_VERBS:
        # "told reporters that ...": the addressee is not content
        for k in range(a, min(a + 8, s1 + 1)):
            if low[k] == "that" or (low[k] in QUOTE_CHARS and doc.starts[k] in doc.open_marks):
                a = k
                break
            if not doc.is_word(k):
                break
    elif low[a] in ADJUNCT_PREPS or low[a] in TIME_WORDS or low[a] in ("last", "this", "earlier", "later"):
        # "said in a recent interview that ...", "said on Tuesday almost 13,000 ..."
        that = _that_clause(doc, a, s1, 12)
        if that is not None:
            a = that
        elif a + 1 <= s1 and low[a] in TIME_LEAD and low[a + 1] in TIME_WORDS:
            a += 2
        elif low[a] in WEEKDAYS:
            a += 1
    if a > s1:
        return None
    end = s1
    for k in range(a, s1 + 1):
        q = doc.open_marks.get(doc.starts[k])
        if q is not None:  # a quote opened in the clause runs to its close, past the sentence end
            end = max(end, doc.last_tok_before(q[1]))
    end = min(end, len(low) - 1)
    enders = _content_enders()
    for k in range(a + 1, end - 2):
        # "highlighted Y, a statement that has fueled speculation": the appositive that sums up
        # what was said is the reporter's comment, not the content (lexicons/content_enders.csv)
        if (
            low[k] == ","
            and low[k + 1] in ("a", "an", "the")
            and low[k + 2] in enders
            and low[k + 3] in ("that", "which")
        ):
            end = k - 1
            break
    return trim(doc, a, end)


def _that_clause(doc: Doc, a: int, s1: int, limit: int) -> int | None:
    """The "that" (or opening quote) starting the reported clause within ``limit`` tokens of
    ``a``, before any comma or clause stop; None where there is none."""
    low = doc.norm
    for k in range(a, min(a + limit, s1 + 1)):
        if low[k] == "that" or (low[k] in QUOTE_CHARS and doc.starts[k] in doc.open_marks):
            return k
        if low[k] in CLAUSE_STOP or low[k] in (",", ".", "?", "!") or doc.is_quote_mark(k):
            return None
    return None


@functools.cache
def _content_enders() -> frozenset:
    return frozenset(r["cue"].lower() for r in load_lexicon("content_enders"))


def after_dateline(doc: Doc, s0: int, limit: int) -> int:
    """First token after a dateline opening the sentence ("SOFIA, Bulgaria - ", "GAZA CITY — "),
    else ``s0``: the place an agency filed from is not what anyone said."""
    for k in range(s0, min(s0 + 7, limit)):
        w = doc.norm[k]
        if w in ("-", "—", "–") and k > s0 and doc.text[doc.starts[k] - 1].isspace():  # not "R-Iowa"
            return k + 1
        if not (w == "," or (doc.is_word(k) and doc.capitalised(k))):
            return s0
    return s0


def name_before_adjunct(doc: Doc, src: tuple[int, int] | None) -> tuple[int, int] | None:
    """A speaker after an inverted "said" ends where an adjunct follows its name: "said security
    firm Lookout [in a blog about the malware]", "said Jane Doe [at a press conference]"."""
    if src is None:
        return None
    for k in range(src[0] + 1, src[1] + 1):
        if doc.norm[k] == ",":
            break
        if doc.norm[k] in ADJUNCT_PREPS and doc.capitalised(k - 1):
            return trim(doc, src[0], k - 1)
    return src
