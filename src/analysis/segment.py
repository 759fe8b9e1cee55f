"""Paragraphs and sentences as character offsets into the untouched text.

Nothing here changes the text: every function returns ``(start, end)`` pairs, 0-based and end
exclusive, so ``text[start:end]`` is the unit itself.
"""
from __future__ import annotations

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


# The last text's sentences: one article passes through extraction, attribution and source typing,
# each asking for its sentences.
_last_sentences: tuple[str, list[tuple[int, int]]] = ("", [])


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, never crossing a paragraph (line) boundary, stripped of outer whitespace."""
    global _last_sentences
    last_text, last = _last_sentences
    if text is last_text or text == last_text:
        return list(last)  # a copy: the caller may change its list
    out = _sentences(text)
    _last_sentences = (text, out)
    return list(out)


def _sentences(text: str) -> list[tuple[int, int]]:
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
