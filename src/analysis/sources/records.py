"""The records the source step passes between its modules: a word, a name mention, a person
entity and a typed source. Slotted: an article makes thousands of the first two."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(slots=True)
class Token:
    start: int
    end: int  # without a possessive 's or a sentence-final dot
    word: str
    stop: bool  # a full stop / line break follows: a run cannot continue past it


@dataclass(slots=True)
class Mention:
    start: int  # offsets of the name part (titles and descriptors stripped)
    end: int
    kind: str  # person / organisation / media / title / other / vague / anonymous /
    # product (a model name: "Sukhoi Superjet-100")
    words: tuple  # name words as written
    titles: list  # lowercased title/role words attached to it (a memoised tuple until a
    # role next to the name is added)
    gender: str
    where: str
    sent: int = 0
    first_in_sent: bool = False
    entity: Entity | None = None


@dataclass(slots=True)
class Entity:
    """One person of the article: every mention of them, short or full, and what they are called."""

    canonical: str
    first: str
    last: str
    full: list = field(default_factory=list)  # full-name mentions (start, end)
    positions: list = field(default_factory=list)  # (start, end, sent, first_in_sent, quoted)
    titles: set = field(default_factory=set)
    gender: str = ""
    source_sents: list = field(default_factory=list)
    short_only: bool = False
    hint: str = ""  # gender guessed from a given name; a title or pronoun overrides it
    inner: set = field(default_factory=set)  # name words after the first ("acosta", "febo")
    # ``positions`` again, ordered by start (ties in insertion order), with the starts alone for
    # bisect: the lookups "latest position before x" stay logarithmic on a book-length text
    by_start: list = field(default_factory=list)
    starts: list = field(default_factory=list)

    def place(self, p: tuple) -> None:
        self.positions.append(p)
        k = bisect.bisect_right(self.starts, p[0])
        self.starts.insert(k, p[0])
        self.by_start.insert(k, p)

    def latest(self, pos: int, exclude) -> tuple | None:
        """The position with the greatest start that ends by ``pos`` and lies outside ``exclude``
        (the earliest placed among equal starts), or None."""
        by, starts, found = self.by_start, self.starts, None
        for k in range(bisect.bisect_left(starts, pos) - 1, -1, -1):
            p = by[k]
            if found is not None and p[0] != found[0]:
                break
            if p[1] <= pos and not (exclude and exclude[0] <= p[0] < exclude[1]):
                found = p
        return found

    def full_mention(self, pos: int, default: tuple[int, int]) -> tuple[int, int]:
        """The span of the full name last given before ``pos`` (else the first one given after
        it); ``default`` when the article never gives the full name."""
        if not self.full:
            return default
        k = bisect.bisect_right(self.full, (pos, float("inf")))  # ``full`` is in text order
        return self.full[k - 1] if k else self.full[0]


@dataclass(slots=True)
class TypedSource:
    """What the typer says of one source span: its type, the speaker to group by, the span the
    speaker was resolved to, the rule that decided and the person entity, if one."""

    type: str
    speaker: str | None = None
    start: int | None = None
    end: int | None = None
    rule: str = ""
    entity: Entity | None = None
