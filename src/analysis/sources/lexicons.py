"""The source lexicons, indexed once, and the memos that articles share through them.

``source_lexicons()`` is the bundle every other module of the step reads: titles, roles, outlets,
organisation and country names, head nouns, phrases, pronouns, given names, anonymity phrases
(all CSV under ``analysis/lexicons``; ``ANALYSIS_LEXICONS`` can point at replacements). The
bundle also carries the memos that outlive one article (a word's token shape, a run's
classification, a chain's runs, a name's parts): they depend only on the lexicons, so they live
with them, bounded by ``MEMO_LIMIT`` (``remember``) and emptied by ``clear_memos``.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from analysis.lexicon import load_lexicon

# A word: letters/digits with inner apostrophes, hyphens, dots and ampersands ("U.S.", "Son-hui",
# "O'Connor", "AT&T"); a trailing dot is kept and judged later (abbreviation or full stop).
# Lexicon cues and the article's source spans are split into words alike.
TOKEN = re.compile(r"[^\W_](?:[\w'’.\-&]*[\w.])?")

# Entries a cross-article memo holds before it starts again. About 275 bytes an entry: five memos
# at 50,000 stay under ~70 MB a worker, reached after ~3,000 articles of varied news (the demo
# corpus's 3,788 articles fill 250,000 entries over all memos, 69 MB); the names a corpus
# repeats come back within a few articles of a reset.
MEMO_LIMIT = 50_000


class _Lowered(dict):
    """word -> the word lowercased with a straight apostrophe, the form lexicon lookups use. A
    dict that fills itself: ``norm`` is the step's commonest call, and a hit stays in C."""

    def __missing__(self, word: str) -> str:
        return remember(self, word, word.replace("’", "'").lower())


_LOWERED = _Lowered()
norm = _LOWERED.__getitem__


def clear_memos() -> None:
    """Forget what earlier articles taught the memos (not the lexicons): for timing a cold start,
    as a fresh process meets its first articles. The output never depends on the memos."""
    _LOWERED.clear()
    lx = source_lexicons()
    for memo in (lx.tok_shapes, lx.run_shapes, lx.chain_runs, lx.full_names):
        memo.clear()


def remember(memo: dict, key, value):
    """Store ``value`` in a memo shared across articles, emptied when it grows past a bound."""
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def norm_key(words) -> tuple[str, ...]:
    """Words as a lexicon key: each one ``norm``-ed."""
    return tuple(map(norm, words))


@dataclass
class SourceLexicons:
    """The lexicons indexed for the lookups the step makes, and the memos articles share."""

    titles: dict = field(default_factory=dict)  # token tuple -> (category, gender, where)
    title_len: int = 1
    title_first: set = field(default_factory=set)  # first words of titles, for a quick test
    roles: dict = field(default_factory=dict)  # single role/title word -> (gender, where)
    media: dict = field(default_factory=dict)  # token tuple (as written) -> (canonical, where)
    media_heads: dict = field(default_factory=dict)  # "Post" -> where
    media_nouns: dict = field(default_factory=dict)  # "newspaper" -> where
    names: dict = field(default_factory=dict)  # token tuple (as written) -> (type, where)
    heads: dict = field(default_factory=dict)  # lowercase head noun -> (type, where)
    phrases: dict = field(default_factory=dict)  # first word -> [(token tuple, type, where, line)]
    not_name: set = field(default_factory=set)
    anonymity: re.Pattern | None = None
    pronouns: dict = field(default_factory=dict)  # "he" -> (category, gender)
    speech: dict = field(default_factory=dict)  # "remarks" -> where (speaks for its possessor)
    given: dict = field(default_factory=dict)  # "Hillary" -> "f": a gender hint for pronouns
    # memos shared by all articles (they depend only on these lexicons): a matched word's token
    # shape (``mentions.token_shape``), a capitalised run's classification (``mentions.run_shape``),
    # a chain's runs (``MentionScanner.chain_runs``) and a name's parts (``entities.full_name``)
    tok_shapes: dict = field(default_factory=dict)
    run_shapes: dict = field(default_factory=dict)
    chain_runs: dict = field(default_factory=dict)  # a chain of capitalised words -> its runs
    full_names: dict = field(default_factory=dict)  # a person's name words -> ``full_name``


def _where(name: str, row: dict) -> str:
    return f"{name}.csv:{row['_line']}"


def _words(cue: str) -> list[str]:
    return [m.group() for m in TOKEN.finditer(cue)]


def source_lexicons() -> SourceLexicons:
    """The source lexicons in force (cached; the user's ANALYSIS_LEXICONS folder counts)."""
    return _build(os.environ.get("ANALYSIS_LEXICONS", ""))


@functools.lru_cache(maxsize=8)
def _build(override: str) -> SourceLexicons:
    """Index the lexicons once per override folder (``override`` is only the cache key)."""
    lx = SourceLexicons()
    for row in load_lexicon("titles"):
        words = _words(row["cue"])
        if not words:
            continue
        info = (row["category"], row.get("gender", ""), _where("titles", row))
        lx.titles.setdefault(norm_key(words), info)
        lx.title_len = max(lx.title_len, len(words))
        lx.title_first.add(norm(words[0]))
        if row["category"] in ("role", "person_title"):
            lx.roles.setdefault(norm(words[-1]), (row.get("gender", ""), _where("titles", row)))
    for row in load_lexicon("media"):
        words = _words(row["cue"])
        if not words:
            continue
        where = _where("media", row)
        if row["category"] == "media":
            if words[0] in ("The", "the") and len(words) > 1:
                words = words[1:]
            lx.media.setdefault(tuple(words), (" ".join(words), where))
        elif row["category"] == "media_head":
            lx.media_heads.setdefault(words[-1], where)
        elif row["category"] == "media_noun":
            lx.media_nouns.setdefault(norm(words[-1]), where)
    anonymity = []
    for row in load_lexicon("sources"):
        words = _words(row["cue"])
        cat, match, where = row["category"], row.get("match", "head"), _where("sources", row)
        if not words:
            continue
        if cat == "anonymity":
            anonymity.append(r"\s+".join(re.escape(w) for w in row["cue"].split()))
        elif cat == "not_name":
            lx.not_name.add(row["cue"])
        elif match == "name":
            lx.names.setdefault(tuple(words), (cat, where))
        elif cat == "speech":
            lx.speech[norm(words[-1])] = where
            lx.heads.setdefault(norm(words[-1]), ("document", where))
        elif match == "phrase":
            lx.phrases.setdefault(norm_key(words)[0], []).append((norm_key(words), cat, where, row["_line"]))
        else:
            lx.heads.setdefault(norm_key(words)[-1] if len(words) == 1 else " ".join(norm_key(words)), (cat, where))
    if anonymity:
        lx.anonymity = re.compile(r"\b(?:" + "|".join(anonymity) + r")\b", re.IGNORECASE)
    for row in load_lexicon("given_names"):
        lx.given[row["cue"]] = {"male": "m", "female": "f"}.get(row["category"], "")
    for row in load_lexicon("pronouns"):
        lx.pronouns[norm(row["cue"])] = (row["category"], row.get("gender", ""))
    return lx
