"""The people and bodies one article names: its mentions, its person entities and their lookups.

:class:`ArticleIndex` is built once per article from the shared :class:`~analysis.doc.Doc` (its
sentences are read, never recomputed): the name mentions (``mentions.MentionScanner``), person
entities made of them (full names make entities; a short name joins the full name it
abbreviates) and the indexes the typer asks: which entity a short name means, which
organisation a bare head noun repeats, which sentence or quote a position lies in.
"""

from __future__ import annotations

import bisect

from analysis.doc import Doc
from analysis.sources.lexicons import SourceLexicons, norm, remember
from analysis.sources.mentions import INITIAL, MentionScanner
from analysis.sources.records import Entity, Mention
from analysis.wordlists import NAME_SUFFIXES


def full_name(words: tuple) -> tuple | None:
    """A person's name as an entity key: (key, name, first, last, inner words) for a full name
    (two or more name words besides initials and suffixes), None for a short one."""
    name = [w for w in words if not INITIAL.match(w)] or list(words)
    core = [w for w in name if norm(w) not in NAME_SUFFIXES] or name
    if len(core) < 2:
        return None
    key = (norm(core[0]), norm(core[-1]), tuple(norm(w) for w in name if norm(w) in NAME_SUFFIXES))
    return key, " ".join(name), norm(core[0]), norm(core[-1]), frozenset(norm(w) for w in core[1:])


class ArticleIndex:
    """One article's name mentions and person entities, indexed for the typer's lookups.

    ``quoted``: the spans of the quotes being attributed (the attributions' contents), which
    lower a mention's salience as an antecedent.
    """

    def __init__(self, doc: Doc, lx: SourceLexicons, quoted: list[tuple[int, int]]):
        text = doc.text
        self.text, self.lx = text, lx
        if doc.sents:
            self.sents, self.sent_starts = doc.sents, doc.sent_starts
        else:
            self.sents, self.sent_starts = [(0, len(text))], [0]
        self.quoted = sorted(quoted)
        self.quote_starts = [s for s, _ in self.quoted]
        self.scan = MentionScanner(text, lx)
        self.entities: list[Entity] = []
        # indexes of ``entities`` (each list in creation order, as a scan of ``entities`` would
        # meet them): full names by last, first and inner word; name-only entities by name
        self.full_by_last: dict[str, list[Entity]] = {}
        self.full_by_first: dict[str, list[Entity]] = {}
        self.full_by_inner: dict[str, list[Entity]] = {}
        self.short_by_name: dict[str, Entity] = {}
        self._named: dict | None = None
        self.mentions, people = self.scan.find_mentions(self.sent_starts)
        self._make_entities(people)
        self.mention_starts = [m.start for m in self.mentions]

    # -- positions ------------------------------------------------------------------------------
    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        return i >= 0 and pos < self.quoted[i][1]

    # -- entities -------------------------------------------------------------------------------
    def _make_entities(self, people: list[Mention]) -> None:
        """Full names make entities; single words join the entity they abbreviate."""
        by_name: dict[tuple, Entity] = {}
        names, short = self.lx.full_names, []
        for m in people:
            full = names.get(m.words, False)
            if full is False:
                full = remember(names, m.words, full_name(m.words))
            if full is None:
                short.append(m)
                continue
            key, name, first, last, inner = full
            ent = by_name.get(key)
            if ent is None:
                ent = Entity(name, first, last, inner=set(inner))
                by_name[key] = ent
                self.entities.append(ent)
                self.full_by_last.setdefault(last, []).append(ent)
                self.full_by_first.setdefault(first, []).append(ent)
                for w in ent.inner:
                    self.full_by_inner.setdefault(w, []).append(ent)
            elif len(name) < len(ent.canonical):
                ent.canonical = name
            ent.full.append((m.start, m.end))
            self._add(ent, m)
        for m in short:
            ent = self.entity_for(m.words, m.start)
            if ent is None:
                ent = self.short_by_name.get(" ".join(m.words))
            if ent is None and not m.titles:
                # a lone capitalised word ("Listing several ...", "Islam") is not taken for a
                # person unless the extractor makes it a source (then see ``source_entity``)
                continue
            if ent is None:
                ent = Entity(" ".join(m.words), norm(m.words[0]), norm(m.words[-1]), short_only=True)
                self.entities.append(ent)
                self.short_by_name.setdefault(ent.canonical, ent)
            self._add(ent, m)

    def _add(self, ent: Entity, m: Mention) -> None:
        m.entity = ent
        ent.place((m.start, m.end, m.sent, m.first_in_sent, self.in_quote(m.start)))
        if m.titles:
            ent.titles.update(m.titles)
            for t in m.titles:
                ent.titles.update(t.split())
        ent.gender = ent.gender or m.gender
        if len(m.words) > 1:
            ent.hint = ent.hint or self.lx.given.get(m.words[0], "")

    def source_entity(self, m: Mention) -> Entity:
        """The entity for a source name found in no other form (created on first use)."""
        name = " ".join(w for w in m.words if not INITIAL.match(w)) or " ".join(m.words)
        ent = self.short_by_name.get(name)
        if ent is None:
            ent = Entity(name, norm(m.words[0]), norm(m.words[-1]), short_only=True)
            self.entities.append(ent)
            self.short_by_name[name] = ent
        m.sent = self.sent_of(m.start)
        self._add(ent, m)
        return ent

    def entity_for(self, words: tuple, pos: int) -> Entity | None:
        """The full-name entity a short name ("Lavrov", "Mr. Trump") abbreviates, or None."""
        if not words:
            return None
        last, first = norm(words[-1]), norm(words[0])
        cands = self.full_by_last.get(last, [])
        if len(words) > 1:
            cands = [e for e in cands if e.first == first] or cands
        if not cands and len(words) == 1:
            cands = self.full_by_inner.get(last) or self.full_by_first.get(first, [])
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]

        # the most recently mentioned before pos, else the first mentioned after it
        def score(e: Entity):
            k = bisect.bisect_right(e.starts, pos)
            return (1, e.starts[k - 1]) if k else (0, -e.starts[0] if e.starts else 0)

        return max(cands, key=score)

    # -- organisations and outlets --------------------------------------------------------------
    def named_with(self, kind: str, word: str | None) -> list[tuple[int, Mention]]:
        """(start, mention) of the mentions of ``kind`` with ``word`` among their words (any
        words if None), in text order; indexed on first use."""
        if self._named is None:
            self._named = {}
            for m in self.mentions:
                if m.kind in ("media", "organisation"):
                    self._named.setdefault((m.kind, None), []).append((m.start, m))
                    for w in dict.fromkeys(norm(w) for w in m.words):
                        self._named.setdefault((m.kind, w), []).append((m.start, m))
        return self._named.get((kind, word), [])
