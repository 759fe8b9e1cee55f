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


def quotes(text: str) -> list[tuple[int, int, bool]]:
    """Quoted passages as ``(start, end, closed)``: ``text[start:end]`` includes the marks.

    ``closed`` is False for a quote left open at its paragraph's end (the span then runs to the
    end of the paragraph). Never raises on unbalanced or stray marks: a stray closing mark is ignored.
    """
    out: list[tuple[int, int, bool]] = []
    for ps, pe in paragraphs(text):
        taken: list[tuple[int, int]] = []
        open_at, open_ch = -1, ""
        for m in _DOUBLE.finditer(text, ps, pe):
            ch, i = m.group(), m.start()
            if open_at < 0:
                if ch in _CLOSE_D:
                    continue  # stray closer (the opener was on an earlier paragraph, or a typo)
                open_at, open_ch = i, ch
            elif ch in _OPEN_D and open_ch in _OPEN_D:
                # a second opener before any closer: the first quote never closed; restart here
                taken.append((open_at, i))
                out.append((open_at, _rstrip(text, open_at, i), False))
                open_at, open_ch = i, ch
            else:
                taken.append((open_at, m.end()))
                out.append((open_at, m.end(), True))
                open_at = -1
        if open_at >= 0:
            taken.append((open_at, pe))
            out.append((open_at, pe, False))
        out.extend(_single_quotes(text, ps, pe, taken))
    out.sort()
    return out


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
        self.quotes = quotes(text)
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
