"""Who a pronoun or a definite role points at: antecedents by salience, and the sources so far.

A :class:`Resolver` walks one article's sources in text order (``record``), so it knows the
previous sources and the last speaker; ``antecedent`` ranks the article's people before a
position by salience (recency, having been a source, being a sentence's first name, not being
inside the quote attributed, gender and title agreement), and ``pronoun`` resolves he/she, they/it
and first person. Relative pronouns ("who", "which") point at the noun phrase before them, which
only the typer can type: ``typer.Typer.pronoun`` sends those there. ``first_person_in_quotes``
is the step's last pass: an "I" inside a quote is the quote's speaker.
"""

from __future__ import annotations

import bisect

from analysis.records import Attribution
from analysis.sources.entities import ArticleIndex
from analysis.sources.lexicons import norm
from analysis.sources.mentions import unnamed_phrase
from analysis.sources.records import Entity, Token, TypedSource

_GROUP_TYPES = {"organisation", "anonymous", "vague", "media"}  # what "they" can be
_THING_TYPES = {"organisation", "document", "media"}  # what "it" can be
_WINDOW = 8  # sentences a pronoun may reach back to its antecedent


class Resolver:
    """Antecedents for one article's pronouns and definite roles, and its sources so far."""

    def __init__(self, index: ArticleIndex):
        self.index, self.lx, self.text = index, index.lx, index.text
        self.history: list[tuple[int, TypedSource]] = []  # (source start, result) so far
        self.last_speaker: Entity | None = None  # the entity of the latest such result

    def record(self, pos: int, r: TypedSource) -> None:
        """Remember the source typed at ``pos``: it is an antecedent for the sources after it."""
        self.history.append((pos, r))
        if r.entity is not None:
            self.last_speaker = r.entity
            r.entity.source_sents.append(self.index.sent_of(pos))
            if r.start is not None:
                r.entity.place((pos, pos + 1, self.index.sent_of(pos), False, False))

    def antecedent(self, pos: int, gender: str, exclude, title: str | None = None, window: int = _WINDOW):
        """The most salient person before ``pos``: recent, a previous source, a sentence's first
        name, outside the quote being attributed, agreeing in gender (and title, if given)."""
        sent = self.index.sent_of(pos)
        last_speaker = self.last_speaker
        best, best_score, why = None, None, ""
        for ent in self.index.entities:
            known = ent.gender or ent.hint
            if gender and known and known != gender:
                continue
            if title and title not in ent.titles:
                continue
            latest = ent.latest(pos, exclude)
            if latest is None:
                continue
            s, _, psent, first, quoted = latest
            dist = sent - psent
            if dist > window and (ent is not last_speaker or window < _WINDOW):
                continue
            score = -1.0 * dist + (1.0 if first else 0.0) - (1.0 if quoted else 0.0)
            if ent.source_sents:
                score += 1.0
            if ent is last_speaker:
                score += 2.5
            if ent.short_only and not ent.titles:
                score -= 1.5
            key = (score, s)
            if best_score is None or key > best_score:
                best, best_score = ent, key
                why = (
                    "last speaker"
                    if ent is last_speaker
                    else ("earlier source" if ent.source_sents else "nearest person")
                )
        if best is not None:
            return best, f"{why} '{best.canonical}'"
        return None, ""

    def pronoun(self, tok: Token, word: str, cat: str, gender: str, exclude) -> TypedSource:
        """A personal, plural, neuter or first-person pronoun (``cat``, from ``pronouns.csv``)."""
        if cat == "personal":
            ent, why = self.antecedent(tok.start, gender, exclude)
            if ent is None:
                return TypedSource("unresolved", None, None, None, f"pronoun '{word}': no antecedent")
            if not ent.gender:
                ent.gender = gender  # later pronouns agree with this one
            s, e = ent.full_mention(tok.start, ent.positions[0][:2])
            return TypedSource("person", ent.canonical, s, e, f"pronoun '{word}' → {why}", ent)
        if cat in ("plural", "neuter"):
            return self._group(tok, word, cat)
        if cat == "first_person" and word in ("i", "me", "my"):
            # the writer (op-eds, letters, interviews); inside a quote, the quoted speaker (second pass)
            return TypedSource("person", None, None, None, f"first person '{word}': the writer or the quoted speaker")
        return TypedSource("unresolved", None, None, None, f"pronoun '{word}' ({cat}): not resolved")

    def _group(self, tok: Token, word: str, cat: str) -> TypedSource:
        """A plural or neuter pronoun ("they", "it"): the last group or thing source nearby, else
        a named organisation (or pair of people) just before, else a group noun."""
        index = self.index
        wanted = _GROUP_TYPES if cat == "plural" else _THING_TYPES
        sent = index.sent_of(tok.start)
        for pos, r in reversed(self.history):
            if sent - index.sent_of(pos) > 3:
                break
            if r.type in wanted:
                return TypedSource(
                    r.type, r.speaker, r.start, r.end, f"pronoun '{word}' → previous {r.type} source", r.entity
                )
        before = index.mentions  # those before the pronoun, walked back from it
        for k in range(bisect.bisect_left(index.mention_starts, tok.start) - 1, -1, -1):
            m = before[k]
            if sent - m.sent > 1:
                break
            if index.in_quote(m.start):
                continue
            if m.kind in ("organisation", "media"):
                return TypedSource(
                    m.kind, " ".join(m.words), m.start, m.end, f"pronoun '{word}' → nearest {m.kind} name"
                )
            prev = before[k - 1] if k > 0 else None
            if (
                cat == "plural"
                and m.kind == "person"
                and prev is not None
                and prev.kind == "person"
                and self.text[prev.end : m.start].strip(" ,'’s") == "and"
                and m.entity
                and prev.entity
            ):
                # "Sens. Mike Crapo and Jim Risch ... they": the pair of people
                pair = f"{prev.entity.canonical} and {m.entity.canonical}"
                return TypedSource("person", pair, prev.start, m.end, f"pronoun '{word}' → named pair '{pair}'")
        lo = index.sents[max(0, sent - 1)][0]
        for t in reversed(index.scan.tokens(lo, tok.start)):
            info = self.lx.heads.get(norm(t.word))
            if info is None or index.in_quote(t.start):
                continue
            plural = norm(t.word).endswith("s")
            if info[0] in wanted and (plural == (cat == "plural") or info[0] == "vague"):
                phrase, s, e = unnamed_phrase(self.text, t.start, t.end)
                return TypedSource(info[0], phrase, s, e, f"pronoun '{word}' → {info[1]} head '{norm(t.word)}'")
        return TypedSource("unresolved", None, None, None, f"pronoun '{word}': no group antecedent")


def first_person_in_quotes(
    attributions: list[Attribution], source_starts: list[int | None], contents: list[tuple]
) -> None:
    """An "I" inside another attribution's quote is that attribution's speaker. ``source_starts``
    and ``contents``: each attribution's source start and content span, as offsets or None."""
    for att, pos in zip(attributions, source_starts):
        if not att.source_rule.startswith("first person"):
            continue
        for other, (cs, ce) in zip(attributions, contents):
            if other is att or cs is None or ce is None or not cs <= pos < ce:
                continue
            if other.source_type == "person" and other.speaker:
                att.speaker = other.speaker
                att.speaker_start, att.speaker_end = other.speaker_start, other.speaker_end
                att.source_rule += f" → speaker of the enclosing quote '{other.speaker}'"
            break
