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
