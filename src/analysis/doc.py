"""One article as every component reads it: the :class:`Doc`, built once per article.

A ``Doc`` holds the text exactly as loaded and what more than one component reads of it: word
and punctuation tokens with their offsets, paragraphs, sentences and quotations. Nothing here
changes the text: every unit is ``(start, end)``, 0-based and end exclusive, so
``text[start:end]`` is the unit itself. Components (``attribution``, ``sources``, ``hedging``,
the article tallies) take the ``Doc``; none segments the text again.
"""

from __future__ import annotations

import bisect
import itertools
import re

_PARA = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and
# an opening capital, digit or quote; abbreviations are guarded below.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Cmdr|Adm|St|Jr|Sr|Rev|Hon|Pres|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|vs|etc|Inc|Corp|Co|Ltd|Mt|Ft|"
    r"U\.S|U\.N|U\.K|E\.U|D\.C|a\.m|p\.m|i\.e|e\.g)|\b[A-Z])\.$"
)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines (a blank line or a single newline separates paragraphs in news text)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, never crossing a paragraph (line) boundary, stripped of outer whitespace."""
    out: list[tuple[int, int]] = []
    for ps, pe in paragraphs(text):
        start = ps
        for m in _BOUNDARY.finditer(text, ps, pe):
            end = m.end()
            if _ABBREV.search(text, max(start, end - 8), m.start() + 1):
                continue
            out.append(_strip(text, start, end))
            start = end
        if start < pe:
            out.append(_strip(text, start, pe))
    return [s for s in out if s[0] < s[1]]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


# Quotation marks. Double marks pair within a paragraph; a paragraph whose quote is never closed
# (the news convention for a quote running over several paragraphs: an opening mark on each, a
# closing mark only on the last) yields a quote running to the paragraph end. Single marks are
# taken as quotes only outside double quotes and only at word edges, because ’ and ' are far more
# often apostrophes ("O’Malley’s", "don't", "voters'").
_DOUBLE = re.compile(r"''|``|[\"“”«»„]")  # '' and `` stand for double marks in some wire copy
_OPEN_D = frozenset({"“", "«", "„", "``"})
_CLOSE_D = frozenset({"”", "»"})
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘'‹](?=[\w\"“$])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?…\]\)])[’'›](?=[\s.,;:!?)\]—–-]|$)")
_SINGLE_CLOSE_CHAR = re.compile(r"[’'›]")  # the marks _SINGLE_CLOSE can match


# Which way a straight mark faces: after a space (or an opening bracket or dash) and before a word it
# opens; after a word or punctuation and before a space or punctuation it closes.
_OPENS_AFTER = frozenset("([{—–-/")
_CLOSES_BEFORE = frozenset(",.;:!?)]}—–")


def _facing(text: str, i: int, j: int, ps: int, pe: int) -> str:
    """'open', 'close', '' (either) or 'skip' (not a quotation mark) for the double mark at
    ``text[i:j]`` of paragraph [ps, pe)."""
    ch = text[i:j]
    if ch in _OPEN_D:
        return "open"
    if ch in _CLOSE_D:
        return "close"
    left = text[i - 1] if i > ps else " "
    right = text[j] if j < pe else " "
    if ch == '"' and right == "?" and j + 1 < pe and text[j + 1] not in "\"'":
        # '"?' is what scraping left of a lost character (a curly mark, a dash, a non-breaking
        # space): after a word or punctuation a closing mark ('concerns,"?explains'), after a
        # space most often a dash ('one "?congratulating itself'), no quotation mark at all
        return "skip" if left.isspace() or i == ps else "close"
    after_space = left.isspace() or left in _OPENS_AFTER
    before_space = right.isspace() or right in _CLOSES_BEFORE
    if after_space and not before_space:
        return "open"
    if before_space and not after_space:
        return "close"
    return ""


def quotes(text: str, sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int, bool]]:
    """Quoted passages as ``(start, end, closed)``: ``text[start:end]`` includes the marks.

    Marks are paired by which way they face, not by counting: a mark after a space and before a
    word opens, one after a word or punctuation and before a space closes; curly marks say it
    themselves. So one lost mark costs the quote it belonged to, not every pairing after it. A
    quote whose closing mark never comes (``closed`` False) runs to its paragraph's end when the
    next paragraph opens with a quotation mark (the news convention for a quote over several
    paragraphs), else to the end of the sentence it opened in (``sentences``, computed when None),
    or up to the next opening mark if that comes first. Never raises on unbalanced or stray marks:
    a stray closing mark is ignored.
    """
    if sentences is None:
        sentences = globals()["sentences"](text)
    sent_ends = [e for _, e in sentences]
    out: list[tuple[int, int, bool]] = []
    paras = paragraphs(text)
    for k, (ps, pe) in enumerate(paras):
        taken: list[tuple[int, int]] = []
        open_at = -1
        for m in _DOUBLE.finditer(text, ps, pe):
            i, j = m.span()
            facing = _facing(text, i, j, ps, pe)
            if facing == "skip":
                continue
            if open_at < 0:
                if facing == "close":
                    continue  # stray closer (the opener was on an earlier paragraph, lost, or a typo)
                open_at = i
            elif facing == "open":
                # a second opener before any closer: the first quote never closed
                end = min(_sentence_end(sent_ends, open_at, pe), _rstrip(text, open_at, i))
                taken.append((open_at, end))
                out.append((open_at, end, False))
                open_at = i
            else:
                taken.append((open_at, j))
                out.append((open_at, j, True))
                open_at = -1
        if open_at >= 0:
            continues = k + 1 < len(paras) and _DOUBLE.match(text, paras[k + 1][0]) is not None
            end = pe if continues else _sentence_end(sent_ends, open_at, pe)
            taken.append((open_at, end))
            out.append((open_at, end, False))
        out.extend(_single_quotes(text, ps, pe, taken))
    out.sort()
    return out


def _sentence_end(sent_ends: list[int], pos: int, limit: int) -> int:
    """The end of the sentence holding ``pos`` (at most ``limit``)."""
    k = bisect.bisect_right(sent_ends, pos)
    return min(sent_ends[k], limit) if k < len(sent_ends) else limit


def _single_quotes(text, ps, pe, taken):
    if not _SINGLE_CLOSE_CHAR.search(text, ps, pe):
        return []  # nothing can close a single quote here (most paragraphs): skip the scans

    def inside(i):
        return any(a <= i < b for a, b in taken)

    closers = [m.start() for m in _SINGLE_CLOSE.finditer(text, ps, pe) if not inside(m.start())]
    if not closers:
        return []  # an opener without closer is not taken (below)
    out, last = [], ps
    for m in _SINGLE_OPEN.finditer(text, ps, pe):
        i = m.start()
        if i < last or inside(i):
            continue
        close = next((c for c in closers if c > i + 1), None)
        if close is None:
            continue  # an opener without closer is most likely an apostrophe ('90s, 'em)
        out.append((i, close + 1, True))
        last = close + 1
    return out


def _rstrip(text, a, b):
    while b > a and text[b - 1].isspace():
        b -= 1
    return b


# --- the Doc --------------------------------------------------------------------------------------
# Tokens are \w+ runs and single punctuation marks; \w+ runs are also the words that rates count.
_TOKEN_SPLIT = re.compile(r"(\w+|[^\w\s])")
_WORD = re.compile(r"\w+")
QUOTE_CHARS = frozenset("\"“”«»„‘’'‹›")


class Doc:
    """Text, tokens, sentences, paragraphs and quotations of one article, as offsets.

    ``low`` is the lower-cased tokens; ``norm`` the tokens as the lexicons read them -- the same
    list until a component maps variant spellings onto lexicon forms (the attribution step maps
    British spellings to the American ones its lexicon and model know, :func:`set_norm`).
    """

    __slots__ = (
        "text",
        "starts",
        "ends",
        "low",
        "norm",
        "quote_tokens",
        "sents",
        "sent_starts",
        "quotes",
        "quote_starts",
        "open_marks",
        "close_marks",
        "_paragraphs",
        "_n_words",
    )

    def __init__(self, text: str):
        self.text = text
        # split() alternates the whitespace between tokens and the tokens: their running lengths
        # are the offsets (the same spans as finditer, without a match object per token)
        pieces = _TOKEN_SPLIT.split(text)
        offsets = list(itertools.accumulate(map(len, pieces), initial=0))
        self.starts = offsets[1:-1:2]
        self.ends = offsets[2::2]
        self.low = list(map(str.lower, pieces[1::2]))
        self.norm = self.low
        self.quote_tokens = list(itertools.compress(itertools.count(), map(QUOTE_CHARS.__contains__, self.low)))
        self.sents = sentences(text)
        self.sent_starts = [a for a, _ in self.sents]
        self.quotes = quotes(text, self.sents)
        self.quote_starts = [q[0] for q in self.quotes]
        # every character of a mark ('' and `` are two) -> its quote
        self.open_marks = {}
        self.close_marks = {}
        for q in self.quotes:
            self.open_marks[q[0]] = q
            if text[q[0] : q[0] + 2] in ("''", "``"):
                self.open_marks[q[0] + 1] = q
            if q[2]:
                self.close_marks[q[1] - 1] = q
                if text[q[1] - 2 : q[1]] == "''":
                    self.close_marks[q[1] - 2] = q
        self._paragraphs = None
        self._n_words = None

    @property
    def paragraphs(self) -> list[tuple[int, int]]:
        if self._paragraphs is None:
            self._paragraphs = paragraphs(self.text)
        return self._paragraphs

    @property
    def n_words(self) -> int:
        """Words (``\\w+`` runs): the denominator of every per-1,000-words rate."""
        if self._n_words is None:
            self._n_words = len(_WORD.findall(self.text))
        return self._n_words

    def set_norm(self, mapping: dict[str, str]) -> None:
        """Read the tokens in ``mapping`` as their mapped form in ``norm`` (``low`` is unchanged)."""
        if not mapping.keys().isdisjoint(self.low):
            self.norm = [mapping.get(w, w) for w in self.low]

    # --- token helpers -------------------------------------------------------------------------
    def tok_at(self, char: int) -> int:
        """Index of the first token ending after ``char``."""
        return bisect.bisect_right(self.ends, char)

    def last_tok_before(self, char: int) -> int:
        """Index of the last token starting before ``char`` (-1 if none)."""
        return bisect.bisect_left(self.starts, char) - 1

    def sentence_of(self, char: int) -> int:
        """Index of the sentence holding offset ``char`` (-1 when it lies outside every sentence)."""
        k = bisect.bisect_right(self.sent_starts, char) - 1
        return k if k >= 0 and char < self.sents[k][1] else -1

    def sentence_tokens(self, i: int) -> tuple[int, int, int]:
        """(sentence index, first token, last token) of the sentence holding token ``i``."""
        k = bisect.bisect_right(self.sent_starts, self.starts[i]) - 1
        if k < 0 or self.sents[k][1] <= self.starts[i]:
            return -1, i, i  # a token outside any sentence (whitespace-only paragraphs): itself
        a, b = self.sents[k]
        return k, bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b) - 1

    def quote_around(self, i: int):
        """The quote holding token ``i`` strictly inside its marks, or None."""
        c = self.starts[i]
        k = bisect.bisect_right(self.quote_starts, c) - 1
        for j in range(k, max(k - 3, -1), -1):
            q = self.quotes[j]
            if q[0] < c < q[1] - (1 if q[2] else 0):
                return q
        return None

    def is_quote_mark(self, i: int) -> bool:
        """Whether token ``i`` opens or closes a quote (not an apostrophe)."""
        c = self.starts[i]
        return c in self.open_marks or c in self.close_marks

    def is_word(self, i: int) -> bool:
        return 0 <= i < len(self.low) and (self.low[i][0].isalnum() or self.low[i][0] == "_")

    def capitalised(self, i: int) -> bool:
        return 0 <= i < len(self.low) and self.text[self.starts[i]].isupper()
