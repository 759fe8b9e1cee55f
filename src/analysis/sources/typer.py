"""Typing one source span: noun phrase → person, organisation, media, document, anonymous, vague.

``Typer.type_span`` finds the span's head (the last word before a post-modifier, a comma or a
verb) and decides by it: a name is that name's type (a person's short name resolved to the full
one); otherwise lexicon phrases, head nouns and role nouns; a definite role or organisation noun
("the sculptor", "the ministry") is the one named before it; a speech act ("the sculptor's
remarks") speaks for its possessor. Pronouns go to the :class:`~analysis.sources.resolve.Resolver`,
except relative ones, which are typed here as the noun phrase before them.
"""

from __future__ import annotations

import bisect
import re

from analysis.sources.entities import ArticleIndex
from analysis.sources.lexicons import norm
from analysis.sources.mentions import is_cap, unnamed_phrase
from analysis.sources.records import Mention, Token, TypedSource
from analysis.sources.resolve import Resolver
from analysis.wordlists import (
    CLAUSE_WORDS,
    DEFINITE_DETERMINERS,
    HEAD_CUT_WORDS,
    HEAD_ENDERS,
    LEADING_CUT_WORDS,
    NAME_CONNECTORS,
    SUBJECT_PRONOUNS,
)


def _contains(seq: list[str], sub: tuple) -> bool:
    n = len(sub)
    return any(tuple(seq[i : i + n]) == sub for i in range(len(seq) - n + 1))


class Typer:
    """Types the source spans of one article (``index``), resolving through ``resolver``."""

    def __init__(self, index: ArticleIndex, resolver: Resolver):
        self.index, self.resolver = index, resolver
        self.scan, self.lx, self.text = index.scan, index.lx, index.text

    # -- entry ------------------------------------------------------------------------------------
    def type_span(self, a: int, b: int, exclude: tuple[int, int] | None) -> TypedSource:
        """The type and speaker of the source ``text[a:b]``; ``exclude``: the quote it is the
        source of (no antecedent inside it)."""
        toks = self.scan.tokens(a, b)
        if not toks:
            return TypedSource("unresolved", rule="empty source")
        if len(toks) == 1 and norm(toks[0].word) in self.lx.pronouns:
            return self.pronoun(toks[0], exclude)
        first = norm(toks[0].word)
        if first in SUBJECT_PRONOUNS:
            # "he said, though": a span that starts with a subject pronoun is about its referent
            return self.pronoun(toks[0], exclude)
        return self.noun_phrase(a, b, toks)

    def pronoun(self, tok: Token, exclude) -> TypedSource:
        word = norm(tok.word)
        cat, gender = self.lx.pronouns[word]
        if cat == "relative":
            return self.relative(tok, word)
        return self.resolver.pronoun(tok, word, cat, gender, exclude)

    # -- noun phrases -------------------------------------------------------------------------------
    def noun_phrase(self, a: int, b: int, toks: list[Token]) -> TypedSource:
        lx, index, scan = self.lx, self.index, self.scan
        # a span that starts with a preposition or "that" came from a clause: skip those words
        while len(toks) > 1 and norm(toks[0].word) in LEADING_CUT_WORDS:
            toks = toks[1:]
            a = toks[0].start
        low = [norm(t.word) for t in toks]
        # the head phrase: the words before a post-modifier ("officials [familiar with ...]") or
        # a comma or bracket ("Brian Fallon[, a spokesman]")
        h = len(toks)
        for i in range(1, len(toks)):
            gap = self.text[toks[i - 1].end : toks[i].start].strip(" '’s\u00a0")
            inside_name = (
                low[i] in NAME_CONNECTORS
                and is_cap(toks[i - 1].word)
                and i + 1 < len(toks)
                and is_cap(toks[i + 1].word)
            )  # "Ministry of Defense"
            if (low[i] in HEAD_CUT_WORDS and not inside_name) or low[i] in CLAUSE_WORDS or gap[:1] in HEAD_ENDERS:
                h = i
                break
        # a participle is not the head: "activists [clamoring] to block ..."
        while h > 1 and low[h - 1].endswith("ing") and low[h - 1] not in lx.heads and not is_cap(toks[h - 1].word):
            h -= 1
        head_toks, head = toks[:h], low[h - 1]
        handle = None
        if "@" in self.text[max(0, head_toks[0].start - 1) : head_toks[-1].end]:
            handle = next((t for t in head_toks if self.text[t.start - 1 : t.start] == "@"), None)
        if handle is not None:
            # "one Twitter user @nycsouthpaw": a social-media handle names one person
            return TypedSource("person", "@" + handle.word, handle.start - 1, handle.end, "social-media handle")
        named = [
            m
            for m in (
                scan.classify(r, r[0].start <= index.sent_starts[index.sent_of(r[0].start)] + 2)
                for r in scan.runs(head_toks)
            )
            if m is not None
        ]
        last = named[-1] if named else None
        head_is_name = last is not None and is_cap(head_toks[-1].word) and last.end >= head_toks[-1].end
        if head_is_name and last.kind in ("person", "media", "organisation"):
            return self.named(last)
        if head_is_name and last.kind == "product":
            return TypedSource(
                "unresolved", None, None, None, f"{last.where} '{' '.join(last.words)}': a thing, not a speaker"
            )
        # lexicon phrases anywhere in the span ("people familiar with", "some in")
        found = (
            []
            if lx.phrases.keys().isdisjoint(low)
            else [p for w in dict.fromkeys(low) for p in lx.phrases.get(w, ()) if _contains(low, p[0])]
        )
        if found:
            # the longest phrase wins; among equals, the earlier lexicon row
            words, cat, where, _ = min(found, key=lambda p: (-len(p[0]), p[3]))
            return self.unnamed(cat, a, b, f"{where} phrase '{' '.join(words)}'")
        if head_is_name and last.kind in ("vague", "anonymous"):
            return self.unnamed(last.kind, a, b, f"{last.where} head '{head}'")
        if head_is_name and last.kind == "title":
            return self.role(low[:h], last.titles[-1] if last.titles else head, a, b, h, toks)
        # "the sculptor's remarks", "his statement": a speech act speaks for its possessor
        if head in lx.speech and h > 1:
            poss = self.possessor(head_toks[:-1], exclude=None)
            if poss is not None and poss.type in ("person", "organisation", "media", "anonymous"):
                poss.rule = f"{lx.speech[head]} '{head}' of → {poss.rule}"
                return poss
        # a head noun from the lexicons
        if head in lx.media_nouns:
            return self.definite_thing("media", low, a, b, lx.media_nouns[head], head)
        info = lx.heads.get(" ".join(low[max(0, h - 2) : h])) or lx.heads.get(head)
        if info:
            cat, where = info
            if cat == "organisation":
                return self.definite_thing("organisation", low, a, b, where, head)
            if cat == "anonymous" and head in lx.roles:
                return self.role(low[:h], head, a, b, h, toks)
            return self.unnamed(cat, a, b, f"{where} head '{head}'")
        if head in lx.roles:
            return self.role(low[:h], head, a, b, h, toks)
        # an unknown head after a name: the name is most likely the source ("Trump surrogate")
        possessive = last is not None and self.text[last.end : last.end + 1] in ("'", "’")
        if last is not None and last.kind in ("person", "organisation", "media") and not possessive:
            return self.named(last)
        if last is not None and last.kind == "other" and not possessive:
            return TypedSource(
                "organisation", " ".join(last.words), last.start, last.end, "place or descriptor used as a source"
            )
        # an unknown head: a plural is most often an unnamed group of people ("regulators"); a
        # singular one is as often a thing ("the monument") as a person, so it is not counted
        # as an anonymous source
        if head.endswith("s") and not head.endswith("ss") and len(head) > 3:
            return self.unnamed("vague", a, b, f"default: unknown plural head '{head}'")
        return TypedSource("unresolved", None, None, None, f"default: unknown singular head '{head}'")

    def possessor(self, toks: list[Token], exclude) -> TypedSource | None:
        """The owner in "X's remarks" / "his remarks", typed like a source; None if there is none."""
        for i in range(len(toks) - 1, -1, -1):
            t = toks[i]
            word = norm(t.word)
            if word in ("his", "her", "their", "its"):
                return self.pronoun(t, exclude)
            after = self.text[t.end : t.end + 2]
            if after[:1] in "'’" and (after[1:2] == "s" or t.word.endswith("s")):
                return self.noun_phrase(toks[0].start, t.end, toks[: i + 1])
        return None

    def unnamed(self, cat: str, a: int, b: int, rule: str) -> TypedSource:
        phrase, s, e = unnamed_phrase(self.text, a, b)
        if cat == "media":
            return TypedSource("media", phrase, s, e, rule)
        return TypedSource(cat, phrase or None, s if phrase else None, e if phrase else None, rule)

    # -- names ------------------------------------------------------------------------------------
    def named(self, m: Mention) -> TypedSource:
        """A source given by a name: a person's full name and entity, or the body named."""
        if m.kind == "person":
            ent = m.entity
            if ent is None:
                ent = self.index.entity_for(m.words, m.start)
            if ent is None:
                # a name the article gives no fuller form of: it becomes an antecedent from now on
                ent = self.index.source_entity(m)
            s, e = ent.full_mention(m.start, (m.start, m.end))
            how = "full name" if (s, e) == (m.start, m.end) and len(m.words) > 1 else "short name → full name"
            if ent.short_only:
                how = "name (no full form in text)"
            return TypedSource("person", ent.canonical, s, e, f"{m.where}: {how}", ent)
        if (
            m.kind == "organisation"
            and len(m.words) == 1
            and m.words not in self.lx.names
            and self.lx.heads.get(norm(m.words[0]), ("",))[0] == "organisation"
        ):
            return self.generic_organisation(m)
        name = " ".join(m.words)
        return TypedSource(m.kind, name, m.start, m.end, f"{m.where}: {m.kind} name")

    def generic_organisation(self, m: Mention) -> TypedSource:
        """A bare capitalised head noun ("the Ministry", "Police") names no organisation by itself:
        it is the latest organisation named before it with that word ("Russian Defence
        Ministry"), else an unnamed one (speaker "ministry")."""
        word = norm(m.words[0])
        named = self.index.named_with("organisation", word)
        for k in range(bisect.bisect_left(named, (m.start,)) - 1, -1, -1):
            prev = named[k][1]
            if len(prev.words) > 1:
                return TypedSource(
                    "organisation",
                    " ".join(prev.words),
                    prev.start,
                    prev.end,
                    f"{m.where}: '{m.words[0]}' → earlier name",
                )
        return TypedSource("organisation", word, m.start, m.end, f"{m.where}: '{m.words[0]}' without a name")

    # -- heads that point back ------------------------------------------------------------------
    def role(self, low: list[str], head: str, a: int, b: int, h: int, toks) -> TypedSource:
        """A role without a name: 'the sculptor' is an anaphor, 'a spokesman' an unnamed person."""
        # a name in apposition after the role ("a spokesman for Clinton, Brian Fallon")
        rest = toks[h:]
        persons = [m for m in (self.scan.classify(r, False) for r in self.scan.runs(rest)) if m and m.kind == "person"]
        if persons and self.text[toks[h - 1].end : persons[-1].start].rstrip().endswith(","):
            return self.named(persons[-1])
        where = self.lx.roles.get(head, ("", "titles.csv"))[1]
        if low and low[0] in DEFINITE_DETERMINERS:
            gender = self.lx.roles.get(head, ("", ""))[0]
            ent, why = self.resolver.antecedent(a, gender, None, title=head)
            if ent is None:
                # "the retired neurosurgeon" after "Ben Carson": the person in focus, if recent
                ent, why = self.resolver.antecedent(a, gender, None, window=3)
            if ent is not None:
                s, e = ent.full_mention(a, ent.positions[0][:2])
                return TypedSource("person", ent.canonical, s, e, f"{where}: definite role '{head}' → {why}", ent)
        phrase, s, e = unnamed_phrase(self.text, a, b)
        return TypedSource("anonymous", phrase, s, e, f"{where}: role '{head}' without a name")

    def definite_thing(self, kind: str, low: list[str], a: int, b: int, where: str, head: str) -> TypedSource:
        """'the ministry' / 'the newspaper': the most recent organisation or outlet named with it."""
        if low and low[0] in DEFINITE_DETERMINERS:
            named = self.index.named_with(kind, head if kind != "media" else None)
            k = bisect.bisect_left(named, (a,)) - 1
            if k >= 0:
                m = named[k][1]
                return TypedSource(kind, " ".join(m.words), m.start, m.end, f"{where}: 'the {head}' → earlier name")
        phrase, s, e = unnamed_phrase(self.text, a, b)
        return TypedSource(kind, phrase, s, e, f"{where} head '{head}'")

    def relative(self, tok: Token, word: str) -> TypedSource:
        """'Alexei Chebanenko, a renowned Russian sculptor, who spoke ...': the noun phrase before."""
        index = self.index
        lo = max(index.sents[index.sent_of(tok.start)][0], tok.start - 200)
        left = self.text[lo : tok.start]
        chunks = [m for m in re.finditer(r"[^,;:()—–]+", left) if m.group().strip()]
        fallback = None
        for c in reversed(chunks[-4:]):
            a, b = lo + c.start(), lo + c.end()
            toks = self.scan.tokens(a, b)
            if not toks:
                continue
            k = bisect.bisect_left(index.mention_starts, toks[-1].end) - 1
            ends_in_mention = k >= 0 and index.mentions[k].end == toks[-1].end
            if (
                ends_in_mention
                and index.mentions[k].kind == "person"
                and index.mentions[k].entity is None
                and len(index.mentions[k].words) == 1
            ):
                continue  # "..., of Ashton, Md., who": a lone place-like word; look further back
            if ends_in_mention and index.mentions[k].kind in ("person", "organisation", "media"):
                r = self.named(index.mentions[k])
                r.rule = f"relative '{word}' → {r.rule}"
                return r
            cut = max([i + 1 for i, t in enumerate(toks) if norm(t.word) in HEAD_CUT_WORDS and i + 1 < len(toks)] + [0])
            toks = toks[cut:][-8:]
            a = toks[0].start
            r = self.noun_phrase(a, toks[-1].end, toks)
            if r.type in ("person", "organisation", "media") and r.speaker:
                r.rule = f"relative '{word}' → {r.rule}"
                return r
            if fallback is None and not r.rule.startswith("default"):
                fallback = r
        if fallback is not None:
            fallback.rule = f"relative '{word}' → {fallback.rule}"
            return fallback
        return TypedSource("unresolved", None, None, None, f"relative '{word}': no antecedent")
