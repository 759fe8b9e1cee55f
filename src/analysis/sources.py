"""Source typing, pronoun and short-name resolution, canonical speaker.

The attribution extractor finds *where* a source is named; this module says *who or what* it is.
``annotate_sources`` fills, for each attribution of one article:

- ``source_type``: person, organisation, media, document, anonymous (an unnamed but specific
  person or group: "a senior official", "Russian officials"), vague (an unnamed collective:
  "critics", "some in Russia") or unresolved (no source, or a pronoun with no antecedent);
- ``speaker`` (a canonical name to group by: "he" and "Lavrov" → "Sergey Lavrov"; a lowercase
  phrase for unnamed sources) and ``speaker_start``/``speaker_end``, the mention it came from;
- ``anonymity_explained`` and ``source_rule`` (which lexicon row or resolution step decided).

The method is deliberately light (regular expressions and lexicons, no parser) so it keeps up with
a batch of hundreds of articles a second: capitalised runs are the candidate names, the lexicons
(``titles``, ``sources``, ``media``, ``pronouns``, ``given_names``; all CSV a journalist can edit)
say which runs are titles, organisations or outlets, and pronouns go to the most salient compatible
antecedent, where salience is recency plus having been a source plus being a sentence's first-named
entity. Method, lexicons and measured accuracy: ``docs/sources.md``.
"""
from __future__ import annotations

import bisect
import functools
import operator
import os
import re
from dataclasses import dataclass, field

from analysis.doc import Doc
from analysis.lexicon import load_lexicon

# A word: letters/digits with inner apostrophes, hyphens, dots and ampersands ("U.S.", "Son-hui",
# "O'Connor", "AT&T"); a trailing dot is kept and judged later (abbreviation or full stop).
_TOKEN = re.compile(r"[^\W_](?:[\w'’.\-&]*[\w.])?")
# The same, for words that start with a letter other than a-z (capitals and non-ASCII letters,
# checked later) and for the lowercase words that may sit inside a name.
_CAP_TOKEN = re.compile(
    r"(?<![\w'’.\-&])(?:[^\W\d_a-z](?:[\w'’.\-&]*[\w.])?|"
    r"(?:of|for|de|du|da|del|della|di|van|von|der|den|bin|ibn|al|el|la|le|dos|das|y|the)\b|&)")
# A chain of such words joined by spaces and opened by a capital-like word: every name run of the
# article lies inside one chain, so the article is scanned chain by chain and each distinct chain
# is split into runs once (``_Doc._chain_runs``). Its first word is _CAP_TOKEN's first branch,
# written to be found faster: a quick test of the letter (A-Z or not ASCII), then the full test
# and the look-behind.
_CAP_CHAIN = re.compile(r"[A-Z\u0080-\U0010ffff](?<=[^\W\d_a-z])(?<![\w'’.\-&].)(?:[\w'’.\-&]*[\w.])?"
                        r"(?:[ \t\u00a0]+" + _CAP_TOKEN.pattern + ")*")
_WORD_BEFORE = re.compile(r"[\w\-]+")
_APPOSITION = re.compile(r"['’]?s?\s*,\s*(?:an?|the)\s+([^,.;:()]{1,70})")
_LOWER_WORD = re.compile(r"[a-z][a-z'’\-]*")     # a lowercase word (see ``_uses_lowercase``)
_LOWER_TAIL = frozenset("abcdefghijklmnopqrstuvwxyz'’-")
_INITIAL = re.compile(r"^[A-Z]\.$|^[A-Z]$")
# a model name: letters, a hyphen, digits ("Superjet-100", "Su-35", "F-16"): a thing, not a speaker
_MODEL_NAME = re.compile(r"[^\W\d_][\w.]*-\d")
_SUFFIXES = {"jr.", "jr", "sr.", "sr", "ii", "iii", "iv"}
# Lowercase words that may sit inside a capitalised name ("Studio of Military Painters",
# "Osama bin Laden", "Ludwig van Beethoven").
_CONNECTORS = {"of", "for", "de", "du", "da", "del", "della", "di", "van", "von", "der", "den",
               "bin", "ibn", "al", "el", "la", "le", "dos", "das", "y", "&"}
_CONNECTORS_THE = _CONNECTORS | {"the"}
_CUT_WORDS = {"who", "whom", "whose", "which", "that", "of", "for", "from", "at", "in", "with",
              "on", "by", "to", "familiar", "close", "involved", "and", "or", "about", "under",
              "over", "within", "among", "including", "than"}
_BREAKERS = set(",;:()\n—–!?\"“”")     # punctuation after a word that ends a name
# auxiliaries and reporting verbs: a span holding one is a clause; its subject comes before
_CLAUSE_WORDS = {"may", "might", "will", "would", "could", "can", "should", "must", "is", "are", "was",
                 "were", "has", "have", "had", "does", "did", "do", "said", "says", "say"}
_LEADING_CUT = _CUT_WORDS | _CLAUSE_WORDS
_HEAD_ENDERS = tuple(",(;:—–")
_SUBJECT_PRONOUNS = {"he", "she", "they", "i", "we"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_ARTICLES = {"a", "an", "the"}
_NAMED_KINDS = {"person", "organisation", "media"}
_GROUP_TYPES = {"organisation", "anonymous", "vague", "media"}
_THING_TYPES = {"organisation", "document", "media"}
_WINDOW = 8            # sentences a pronoun may reach back to its antecedent


# ----------------------------------------------------------------------------------------------
# Lexicons
# ----------------------------------------------------------------------------------------------

# Entries a cross-article memo holds before it starts again. About 275 bytes an entry: five memos
# at 50,000 stay under ~70 MB a worker, reached after ~3,000 articles of varied news (the demo
# corpus's 3,788 articles fill 250,000 entries over all memos, 69 MB); the names a corpus
# repeats come back within a few articles of a reset.
MEMO_LIMIT = 50_000


class _Lowered(dict):
    """word -> the word lowercased with a straight apostrophe, the form lexicon lookups use. A
    dict that fills itself: ``_norm`` is the module's commonest call, and a hit stays in C."""

    def __missing__(self, word: str) -> str:
        return _remember(self, word, word.replace("’", "'").lower())


_LOWERED = _Lowered()
_norm = _LOWERED.__getitem__


def clear_memos() -> None:
    """Forget what earlier articles taught the memos (not the lexicons): for timing a cold start,
    as a fresh process meets its first articles. The output never depends on the memos."""
    _LOWERED.clear()
    lx = lexicons()
    for memo in (lx.tok_shapes, lx.run_shapes, lx.chain_runs, lx.full_names):
        memo.clear()


def _remember(memo: dict, key, value):
    """Store ``value`` in a memo shared across articles, emptied when it grows past a bound."""
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def _uses_lowercase(text: str, word: str) -> bool:
    """Whether ``word`` is one of the lowercase words of ``text``: a match of ``_LOWER_WORD`` that
    no word character, apostrophe or hyphen precedes and no lowercase letter follows."""
    if not _LOWER_WORD.fullmatch(word):
        return False
    n, i = len(word), text.find(word)
    while i >= 0:
        if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_'’-")) and text[i + n:i + n + 1] not in _LOWER_TAIL:
            return True
        i = text.find(word, i + 1)
    return False


def _key(words) -> tuple[str, ...]:
    return tuple(map(_norm, words))


@dataclass
class _Lexicons:
    titles: dict = field(default_factory=dict)        # token tuple -> (category, gender, where)
    title_len: int = 1
    title_first: set = field(default_factory=set)     # first words of titles, for a quick test
    roles: dict = field(default_factory=dict)         # single role/title word -> (gender, where)
    media: dict = field(default_factory=dict)         # token tuple (as written) -> (canonical, where)
    media_heads: dict = field(default_factory=dict)   # "Post" -> where
    media_nouns: dict = field(default_factory=dict)   # "newspaper" -> where
    names: dict = field(default_factory=dict)         # token tuple (as written) -> (type, where)
    heads: dict = field(default_factory=dict)         # lowercase head noun -> (type, where)
    phrases: dict = field(default_factory=dict)       # first word -> [(token tuple, type, where, line)]
    not_name: set = field(default_factory=set)
    anonymity: re.Pattern | None = None
    pronouns: dict = field(default_factory=dict)      # "he" -> (category, gender)
    speech: dict = field(default_factory=dict)        # "remarks" -> where (speaks for its possessor)
    given: dict = field(default_factory=dict)         # "Hillary" -> "f": a gender hint for pronouns
    # memos shared by all articles (they depend only on these lexicons): a matched word's token
    # shape (see ``_Doc._shape``), a capitalised run's classification (``_Doc._run_shape``)
    # a chain's runs (``_Doc._chain_runs``) and a name's parts (``_full_name``)
    tok_shapes: dict = field(default_factory=dict)
    run_shapes: dict = field(default_factory=dict)
    chain_runs: dict = field(default_factory=dict)    # a chain of capitalised words -> its runs
    full_names: dict = field(default_factory=dict)    # a person's name words -> ``_full_name``


def _where(name: str, row: dict) -> str:
    return f"{name}.csv:{row['_line']}"


def _words(cue: str) -> list[str]:
    return [m.group() for m in _TOKEN.finditer(cue)]


def lexicons() -> _Lexicons:
    """The source lexicons in force (cached; the user's ANALYSIS_LEXICONS folder counts)."""
    return _build(os.environ.get("ANALYSIS_LEXICONS", ""))


@functools.lru_cache(maxsize=8)
def _build(override: str) -> _Lexicons:
    """Index the lexicons once per override folder (``override`` is only the cache key)."""
    lx = _Lexicons()
    for row in load_lexicon("titles"):
        words = _words(row["cue"])
        if not words:
            continue
        info = (row["category"], row.get("gender", ""), _where("titles", row))
        lx.titles.setdefault(_key(words), info)
        lx.title_len = max(lx.title_len, len(words))
        lx.title_first.add(_norm(words[0]))
        if row["category"] in ("role", "person_title"):
            lx.roles.setdefault(_norm(words[-1]), (row.get("gender", ""), _where("titles", row)))
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
            lx.media_nouns.setdefault(_norm(words[-1]), where)
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
            lx.speech[_norm(words[-1])] = where
            lx.heads.setdefault(_norm(words[-1]), ("document", where))
        elif match == "phrase":
            lx.phrases.setdefault(_key(words)[0], []).append((_key(words), cat, where, row["_line"]))
        else:
            lx.heads.setdefault(_key(words)[-1] if len(words) == 1 else " ".join(_key(words)), (cat, where))
    if anonymity:
        lx.anonymity = re.compile(r"\b(?:" + "|".join(anonymity) + r")\b", re.IGNORECASE)
    for row in load_lexicon("given_names"):
        lx.given[row["cue"]] = {"male": "m", "female": "f"}.get(row["category"], "")
    for row in load_lexicon("pronouns"):
        lx.pronouns[_norm(row["cue"])] = (row["category"], row.get("gender", ""))
    return lx


# ----------------------------------------------------------------------------------------------
# Mentions: capitalised runs of the article, classified once
# ----------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Tok:
    start: int
    end: int            # without a possessive 's or a sentence-final dot
    word: str
    stop: bool          # a full stop / line break follows: a run cannot continue past it


@dataclass(slots=True)
class _Mention:
    start: int          # offsets of the name part (titles and descriptors stripped)
    end: int
    kind: str           # person / organisation / media / title / other / vague / anonymous /
                        # product (a model name: "Sukhoi Superjet-100")
    words: tuple        # name words as written
    titles: list        # lowercased title/role words attached to it (a memoised tuple until a
                        # role next to the name is added)
    gender: str
    where: str
    sent: int = 0
    first_in_sent: bool = False
    entity: "_Entity | None" = None


@dataclass(slots=True)
class _Entity:
    canonical: str
    first: str
    last: str
    full: list = field(default_factory=list)       # full-name mentions (start, end)
    positions: list = field(default_factory=list)  # (start, end, sent, first_in_sent, quoted)
    titles: set = field(default_factory=set)
    gender: str = ""
    source_sents: list = field(default_factory=list)
    short_only: bool = False
    hint: str = ""          # gender guessed from a given name; a title or pronoun overrides it
    inner: set = field(default_factory=set)        # name words after the first ("acosta", "febo")
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


class _Doc:
    """One article: tokens, sentences, mentions and person entities."""

    def __init__(self, doc: Doc, lx: _Lexicons, quoted: list[tuple[int, int]]):
        text = doc.text
        self.text, self.lx = text, lx
        self.sents = doc.sents or [(0, len(text))]
        self.sent_starts = [s for s, _ in self.sents]
        self.quoted = sorted(quoted)
        self.quote_starts = [s for s, _ in self.quoted]
        self._lower: dict[str, bool] = {}              # memo of ``uses_lowercase``
        self.mentions: list[_Mention] = []
        self.entities: list[_Entity] = []
        # indexes of ``entities`` (each list in creation order, as a scan of ``entities`` would
        # meet them): full names by last, first and inner word; name-only entities by name
        self.full_by_last: dict[str, list[_Entity]] = {}
        self.full_by_first: dict[str, list[_Entity]] = {}
        self.full_by_inner: dict[str, list[_Entity]] = {}
        self.short_by_name: dict[str, _Entity] = {}
        self._named: dict | None = None
        self._find_mentions()
        self.mention_starts = [m.start for m in self.mentions]

    # -- tokens ---------------------------------------------------------------------------------
    def tokens(self, a: int, b: int) -> list[_Tok]:
        """All words inside ``[a, b)``; a word cut by ``b`` ends there ("they" of "they're")."""
        return self._scan(_TOKEN, a, b)

    def _scan(self, pattern: re.Pattern, a: int, b: int) -> list[_Tok]:
        out, text, shapes = [], self.text, self.lx.tok_shapes
        for m in pattern.finditer(text, a, b):
            w = m.group()
            shape = shapes.get(w)
            if shape is None:
                shape = _remember(shapes, w, self._shape(w))
            if shape:
                s, e = m.span()
                out.append(_Tok(s, e - shape[0], shape[1], shape[2] or text[e:e + 1] in _BREAKERS))
        return out

    def _chain_tokens(self, a: int, b: int) -> list[_Tok]:
        """``_scan(_CAP_TOKEN, a, b)`` for a chain (``_CAP_CHAIN``): its words are parted by spaces
        and tabs only, so splitting finds them without a search."""
        text, shapes, out = self.text, self.lx.tok_shapes, []
        chain, pos = text[a:b], 0
        for w in chain.split():
            s = chain.find(w, pos)
            pos = s + len(w)
            shape = shapes.get(w)
            if shape is None:
                shape = _remember(shapes, w, self._shape(w))
            if shape:
                e = a + pos
                out.append(_Tok(a + s, e - shape[0], shape[1], shape[2] or text[e:e + 1] in _BREAKERS))
        return out

    def _shape(self, w: str) -> tuple:
        """How a matched word becomes a token: (characters cut from its end, the word, whether
        it ends in a full stop); () when nothing is left of it."""
        n, stop = len(w), False
        if w.endswith(".") and not self._abbrev(w):
            w, stop = w[:-1], True
        if len(w) > 2 and (w[-1] in "'’" or (w[-1] == "s" and w[-2] in "'’")):
            w = w[:-1] if w[-1] in "'’" else w[:-2]
        return (n - len(w), w, stop) if w else ()

    def _abbrev(self, w: str) -> bool:
        core = w.rstrip(".")
        return (len(core) <= 1 or "." in core or (_norm(w),) in self.lx.titles or
                _norm(w) in _SUFFIXES or (core.isupper() and len(core) <= 3))

    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        return i >= 0 and pos < self.quoted[i][1]

    def uses_lowercase(self, word: str) -> bool:
        """Whether the article has ``word`` as a lowercase word (a common word, so a capitalised
        use of it is no name); asked of few words, so answered by search, not by listing all."""
        hit = self._lower.get(word)
        if hit is None:
            hit = self._lower[word] = _uses_lowercase(self.text, word)
        return hit

    # -- runs -----------------------------------------------------------------------------------
    def runs(self, toks: list[_Tok]) -> list[list[_Tok]]:
        """Sequences of capitalised words (with name connectors) as token lists."""
        out, i, n = [], 0, len(toks)
        while i < n:
            if not toks[i].word[:1].isupper():
                i += 1
                continue
            run = [toks[i]]
            j = i + 1
            while j < n and not run[-1].stop and self._gap_ok(run[-1], toks[j]):
                w = toks[j].word
                if w[:1].isupper():
                    run.append(toks[j])
                    j += 1
                    continue
                # connectors only count when a capitalised word follows ("Studio of Military ...")
                k = j
                while k < n and toks[k].word.lower() in _CONNECTORS_THE and not toks[k].stop \
                        and self._gap_ok(toks[k - 1], toks[k]) and k - j < 2:
                    k += 1
                if k > j and k < n and _is_cap(toks[k].word) and self._gap_ok(toks[k - 1], toks[k]) \
                        and toks[j].word.lower() != "the":
                    run.extend(toks[j:k + 1])
                    j = k + 1
                    continue
                break
            out.append(run)
            i = j
        return out

    def _chain_runs(self, a: int, b: int) -> tuple:
        """The name runs of the chain ``text[a:b]``, ready for ``_find_mentions``: for each run
        its token spans relative to ``a``, its words, and the words that cut it as a title-case
        headline if the article uses them in lowercase (``_find_mentions``: "Monument Says
        Sculptor Alexei Chebanenko" keeps the words after "Says"), last first. A run of one
        sentence-opening word ("The", "But", "Monday": the commonest capitalised words) is left
        out."""
        lx, out = self.lx, []
        for run in self.runs(self._chain_tokens(a, b)):
            words = tuple([t.word for t in run])
            if len(run) == 1 and words[0] in lx.not_name:
                continue
            cuts = []
            for j in range(len(run) - 2, -1, -1):
                low = _norm(words[j])
                if low not in lx.heads and (low,) not in lx.titles and low not in _CONNECTORS:
                    cuts.append((j, low))
            spans = tuple([(t.start - a, t.end - a) for t in run])
            # a one-word run is classified the same wherever it stands: once, here
            single = self._run_shape(self.run_key(words, False), run) if len(run) == 1 else None
            out.append((spans, words, tuple(cuts), single))
        return tuple(out)

    def _gap_ok(self, a: _Tok, b: _Tok) -> bool:
        gap = self.text[a.end:b.start]
        return gap == " " or (gap.strip(" \t\u00a0") == "" and "\n" not in gap)

    # -- mention classification -----------------------------------------------------------------
    def classify_run(self, run: list[_Tok], sentence_initial: bool) -> _Mention | None:
        lx = self.lx
        toks = list(run)
        # a leading "The" or a sentence opener is not part of the name
        while toks and (toks[0].word in ("The", "the") or
                        (toks[0].word in lx.not_name and len(toks) > 0) or
                        ("'" in _norm(toks[0].word) and _norm(toks[0].word).split("'")[0] in lx.pronouns) or
                        (sentence_initial and toks[0] is run[0] and len(toks) > 1 and
                         self.uses_lowercase(toks[0].word.lower()) and
                         _norm(toks[0].word) not in lx.title_first)):
            toks = toks[1:]
        while toks and toks[-1].word.lower() in _CONNECTORS:
            toks = toks[:-1]
        while toks and toks[0].word.lower() in _CONNECTORS_THE:
            toks = toks[1:]
        if not toks:
            return None
        words = tuple([t.word for t in toks])
        whole = _span(toks)
        if len(words) > 1 and all(map(str.isupper, words)) and max(map(len, words)) > 3:
            # shouting headline ("FELLOW DOCTORS DON'T ..."): typed by its head word, never a name
            info = lx.heads.get(_norm(words[-1]))
            return _Mention(*whole, info[0] if info else "other", words, [], "", info[1] if info else "")
        if words in lx.media:
            return _Mention(*whole, "media", words, [], "", lx.media[words][1])
        if words in lx.names:
            return _Mention(*whole, lx.names[words][0], words, [], "", lx.names[words][1])
        # strip titles and descriptors from the front: "Russian Foreign Minister Sergey Lavrov"
        titles, gender, where, k = [], "", "", 0
        while k < len(toks) and _norm(words[k]) in lx.title_first:
            hit = None
            for L in range(min(lx.title_len, len(toks) - k), 0, -1):
                info = lx.titles.get(_key(words[k:k + L]))
                if info:
                    hit = (L, info)
                    break
            if not hit:
                break
            L, (cat, g, w) = hit
            if cat != "descriptor":
                titles.append(" ".join(_key(words[k:k + L])))
                gender = gender or g
                where = w
            k += L
        rest = toks[k:]
        if not rest and len(toks) >= 2 and (_norm(words[-2]),) in lx.titles and \
                lx.titles[(_norm(words[-2]),)][1]:
            # "Mr. King", "Ms. Bishop": after a gendered honorific the last word is a surname
            rest, titles = toks[-1:], titles[:-1]
        # a title further in ends a title-case headline's words: "Says Sculptor Alexei Chebanenko"
        for j in range(len(rest) - 2, -1, -1):
            info = lx.titles.get((_norm(rest[j].word),))
            if info and info[0] != "descriptor":
                titles.append(_norm(rest[j].word))
                gender = gender or info[1]
                rest = rest[j + 1:]
                break
        if titles and rest and rest[0].word in ("of", "for"):
            # "Minister of Venezuela Nelson Martinez": the office's complement is no part of the name
            rest = self._after_complement(rest[1:])
        if not rest:
            kind = "title" if titles else "other"
            return _Mention(*whole, kind, words, titles, gender, where)
        rwords = tuple([t.word for t in rest])
        rspan = _span(rest)
        # "Republicans", "Cuban Americans", "Hedge Funds": a capitalised common noun, not a name
        head = _norm(rwords[-1])
        info = lx.heads.get(head)
        if info and info[0] in ("vague", "anonymous") and len(rwords) == 1:
            return _Mention(*whole, info[0], words, titles, "", info[1])
        plural_of = lx.heads.get(head[:-1]) if head.endswith("s") else None
        if plural_of and plural_of[0] == "organisation" and rwords[-1] not in lx.media_heads:
            return _Mention(*whole, "vague", words, titles, "", plural_of[1])
        if rwords in lx.media:
            return _Mention(*rspan, "media", rwords, titles, "", lx.media[rwords][1])
        if rwords in lx.names:
            return _Mention(*rspan, lx.names[rwords][0], rwords, titles, "", lx.names[rwords][1])
        if len(rwords) >= 2 and rwords[-1] in lx.media_heads:
            return _Mention(*whole, "media", words, [], "", lx.media_heads[rwords[-1]])
        if any(_MODEL_NAME.match(w) for w in rwords):
            return _Mention(*whole, "product", words, [], "", "model name")
        for w in rwords:
            info = lx.heads.get(_norm(w))
            if info and info[0] == "organisation":
                return _Mention(*whole, "organisation", words, [], "", info[1])
        if len(rwords) == 1 and rwords[0].replace(".", "").isupper() and 2 <= len(rwords[0].replace(".", "")) <= 6:
            return _Mention(*rspan, "organisation", rwords, [], "", "acronym")
        caps = [t for t in rest if _is_cap(t.word) and _norm(t.word) not in _SUFFIXES]
        if len(caps) > 3:
            # a title-case headline run ("Figure Endorses Hillary Clinton"): a name is its last words
            rest = rest[-2:]
            rwords, rspan = tuple(t.word for t in rest), _span(rest)
        return _Mention(*rspan, "person", rwords, titles, gender, where or "name")

    def _after_complement(self, toks: list[_Tok]) -> list[_Tok]:
        """The name after an office's complement ("[of] the United States Barack Obama" → "Barack
        Obama"): the words after a known place or organisation, else the last two name words
        (initials between them kept); none when the complement is all there is ("of Finance")."""
        while toks and toks[0].word.lower() in _CONNECTORS_THE:
            toks = toks[1:]
        words = tuple(t.word for t in toks)
        for n in range(len(toks), 0, -1):
            if words[:n] in self.lx.names or words[:n] in self.lx.media:
                return toks[n:]
        k, named = len(toks), 0
        while k > 1 and named < 2:
            k -= 1
            if not _INITIAL.match(words[k]) and _norm(words[k]) not in _SUFFIXES:
                named += 1
        return toks[k:] if len(toks) > 1 else []

    def classify(self, run: list[_Tok], sentence_initial: bool, sent: int = 0) -> _Mention | None:
        """``classify_run`` through a memo: names recur ("Trump" twenty times an article, in
        every article), so each distinct run is classified once. The memo key holds all that
        ``classify_run`` reads: the words, and the lowercase use of the first one if it opens a
        sentence."""
        shape = self._run_shape(self.run_key(tuple([t.word for t in run]), sentence_initial), run)
        if shape is None:
            return None
        i, j, kind, words, titles, gender, where = shape
        return _Mention(run[i].start, run[j].end, kind, words, list(titles), gender, where, sent)

    def run_key(self, words: tuple, sentence_initial: bool) -> tuple:
        """The memo key of a run's classification: its words, and whether it opens a sentence
        with a word the article also uses in lowercase (all that ``classify_run`` reads)."""
        if len(words) == 1:
            return words, False
        return words, sentence_initial and self.uses_lowercase(words[0].lower())

    def _run_shape(self, key: tuple, run: list[_Tok] | None, spans=(), offset: int = 0) -> tuple | None:
        """The memoised ``classify_run`` of a run (given as tokens, or as spans relative to
        ``offset`` with the words of ``key``): (index of its first and last name token, kind,
        words, titles, gender, where), or None when it names nothing."""
        shapes = self.lx.run_shapes
        shape = shapes.get(key, False)
        if shape is False:
            if run is None:
                run = [_Tok(offset + s, offset + e, w, False) for (s, e), w in zip(spans, key[0])]
            m = self.classify_run(run, key[1])
            if m is not None:
                starts, ends = [t.start for t in run], [t.end for t in run]
                shape = (starts.index(m.start), ends.index(m.end), m.kind, m.words, tuple(m.titles),
                         m.gender, m.where)
            shape = _remember(shapes, key, None if m is None else shape)
        return shape

    def _find_mentions(self) -> None:
        text, lx, sent_starts = self.text, self.lx, self.sent_starts
        chains, mentions, people = lx.chain_runs, self.mentions, []
        si, last_sent, named_sent = 0, len(sent_starts) - 1, -1
        for chain in _CAP_CHAIN.finditer(text):
            a, b = chain.span()
            # the runs of a chain depend on its text and on whether punctuation ends its last word
            key = (chain.group(), text[b:b + 1] in _BREAKERS)
            runs = chains.get(key)
            if runs is None:
                runs = _remember(chains, key, self._chain_runs(a, b))
            for spans, words, cuts, shape in runs:
                start = a + spans[0][0]
                while si < last_sent and sent_starts[si + 1] <= start:
                    si += 1
                if shape is None:
                    if len(words) == 1:
                        continue        # a one-word run that names nothing
                    # a title-case headline: keep the words after the last common (lowercase) word
                    for j, low in cuts:
                        if self.uses_lowercase(low):
                            spans, words = spans[j + 1:], words[j + 1:]
                            break
                    shape = self._run_shape(self.run_key(words, start <= sent_starts[si] + 2), None, spans, a)
                    if shape is None:
                        continue
                i, j, kind, mwords, titles, gender, where = shape
                m = _Mention(a + spans[i][0], a + spans[j][1], kind, mwords, titles, gender, where, si)
                if kind in _NAMED_KINDS:
                    if si != named_sent:
                        m.first_in_sent, named_sent = True, si
                    if kind == "person":
                        self._attach_roles(m, start)
                        people.append(m)
                mentions.append(m)
        # people: full names make entities; single words join the entity they abbreviate
        by_name: dict[tuple, _Entity] = {}
        names, short = lx.full_names, []
        for m in people:
            full = names.get(m.words, False)
            if full is False:
                full = _remember(names, m.words, _full_name(m.words))
            if full is None:
                short.append(m)
                continue
            key, name, first, last, inner = full
            ent = by_name.get(key)
            if ent is None:
                ent = _Entity(name, first, last, inner=set(inner))
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
                ent = _Entity(" ".join(m.words), _norm(m.words[0]), _norm(m.words[-1]), short_only=True)
                self.entities.append(ent)
                self.short_by_name.setdefault(ent.canonical, ent)
            self._add(ent, m)

    def _add(self, ent: _Entity, m: _Mention) -> None:
        m.entity = ent
        ent.place((m.start, m.end, m.sent, m.first_in_sent, self.in_quote(m.start)))
        if m.titles:
            ent.titles.update(m.titles)
            for t in m.titles:
                ent.titles.update(t.split())
        ent.gender = ent.gender or m.gender
        if len(m.words) > 1:
            ent.hint = ent.hint or self.lx.given.get(m.words[0], "")

    def _attach_roles(self, m: _Mention, run_start: int) -> None:
        """Role words just before ("sculptor Alexei Chebanenko") or in apposition after
        (", a renowned Russian sculptor,") the name (whose run starts at ``run_start``) describe
        the same person."""
        lx, text = self.lx, self.text
        before = text[max(0, run_start - 40):run_start].split()
        if before and _norm(before[-1]) in lx.roles:
            m.titles = list(m.titles)
            for word in reversed(before[-3:]):
                info = lx.roles.get(_norm(word))
                if info is None:      # also stops at punctuation: "said," is no role
                    break
                m.titles.append(_norm(word))
                m.gender = m.gender or info[0]
        app = _APPOSITION.match(text, m.end, m.end + 90)
        if app:
            for word in _WORD_BEFORE.findall(app.group(1)):
                info = lx.roles.get(_norm(word))
                if info:
                    m.titles = [*m.titles, _norm(word)]
                    m.gender = m.gender or info[0]

    def named_with(self, kind: str, word: str | None) -> list[tuple[int, _Mention]]:
        """(start, mention) of the mentions of ``kind`` with ``word`` among their words (any
        words if None), in text order; indexed on first use."""
        if self._named is None:
            self._named = {}
            for m in self.mentions:
                if m.kind in ("media", "organisation"):
                    self._named.setdefault((m.kind, None), []).append((m.start, m))
                    for w in dict.fromkeys(_norm(w) for w in m.words):
                        self._named.setdefault((m.kind, w), []).append((m.start, m))
        return self._named.get((kind, word), [])

    def source_entity(self, m: _Mention) -> _Entity:
        """The entity for a source name found in no other form (created on first use)."""
        name = " ".join(w for w in m.words if not _INITIAL.match(w)) or " ".join(m.words)
        ent = self.short_by_name.get(name)
        if ent is None:
            ent = _Entity(name, _norm(m.words[0]), _norm(m.words[-1]), short_only=True)
            self.entities.append(ent)
            self.short_by_name[name] = ent
        m.sent = self.sent_of(m.start)
        self._add(ent, m)
        return ent

    def entity_for(self, words: tuple, pos: int) -> _Entity | None:
        """The full-name entity a short name ("Lavrov", "Mr. Trump") abbreviates, or None."""
        if not words:
            return None
        last, first = _norm(words[-1]), _norm(words[0])
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
        def score(e: _Entity):
            k = bisect.bisect_right(e.starts, pos)
            return (1, e.starts[k - 1]) if k else (0, -e.starts[0] if e.starts else 0)
        return max(cands, key=score)


def _full_name(words: tuple) -> tuple | None:
    """A person's name as an entity key: (key, name, first, last, inner words) for a full name
    (two or more name words besides initials and suffixes), None for a short one."""
    name = [w for w in words if not _INITIAL.match(w)] or list(words)
    core = [w for w in name if _norm(w) not in _SUFFIXES] or name
    if len(core) < 2:
        return None
    key = (_norm(core[0]), _norm(core[-1]), tuple(_norm(w) for w in name if _norm(w) in _SUFFIXES))
    return key, " ".join(name), _norm(core[0]), _norm(core[-1]), frozenset(_norm(w) for w in core[1:])


def _is_cap(w: str) -> bool:
    return w[:1].isupper()


def _span(toks: list[_Tok]) -> tuple[int, int]:
    return toks[0].start, toks[-1].end


# ----------------------------------------------------------------------------------------------
# Typing one source span
# ----------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Result:
    type: str
    speaker: str | None = None
    start: int | None = None
    end: int | None = None
    rule: str = ""
    entity: _Entity | None = None


def _phrase(text: str, a: int, b: int) -> tuple[str, int, int]:
    """The normalised phrase for an unnamed source and the span it comes from: cut at a comma,
    bracket or relative clause, leading articles dropped, lowercased."""
    chunk = text[a:b]
    cut = re.search(r"\s*[,(;:—–]|\s+(?:who|whom|whose|which|that)\b", chunk)
    if cut and cut.start() > 0:
        b = a + cut.start()
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and not text[b - 1].isalnum():
        b -= 1
    words = text[a:b].split()
    while words and words[0].lower() in _ARTICLES and len(words) > 1:
        a = text.index(words[1], a + len(words[0]))
        words = words[1:]
    return _norm(" ".join(words)), a, b


class _Typer:
    def __init__(self, doc: _Doc):
        self.doc, self.lx, self.text = doc, doc.lx, doc.text
        self.history: list[tuple[int, _Result]] = []   # (source start, result) so far
        self.last_speaker: _Entity | None = None          # the entity of the latest such result

    # -- entry ------------------------------------------------------------------------------------
    def type_span(self, a: int, b: int, exclude: tuple[int, int] | None) -> _Result:
        toks = self.doc.tokens(a, b)
        if not toks:
            return _Result("unresolved", rule="empty source")
        if len(toks) == 1 and _norm(toks[0].word) in self.lx.pronouns:
            return self.pronoun(toks[0], exclude)
        first = _norm(toks[0].word)
        if first in _SUBJECT_PRONOUNS:
            # "he said, though": a span that starts with a subject pronoun is about its referent
            return self.pronoun(toks[0], exclude)
        return self.noun_phrase(a, b, toks)

    # -- noun phrases -------------------------------------------------------------------------------
    def noun_phrase(self, a: int, b: int, toks: list[_Tok]) -> _Result:
        lx, doc = self.lx, self.doc
        # a span that starts with a preposition or "that" came from a clause: skip those words
        while len(toks) > 1 and _norm(toks[0].word) in _LEADING_CUT:
            toks = toks[1:]
            a = toks[0].start
        low = [_norm(t.word) for t in toks]
        # the head phrase: the words before a post-modifier ("officials [familiar with ...]") or
        # a comma or bracket ("Brian Fallon[, a spokesman]")
        h = len(toks)
        for i in range(1, len(toks)):
            gap = self.text[toks[i - 1].end:toks[i].start].strip(" '’s\u00a0")
            inside_name = (low[i] in _CONNECTORS and _is_cap(toks[i - 1].word) and i + 1 < len(toks)
                           and _is_cap(toks[i + 1].word))       # "Ministry of Defense"
            if (low[i] in _CUT_WORDS and not inside_name) or low[i] in _CLAUSE_WORDS or gap[:1] in _HEAD_ENDERS:
                h = i
                break
        # a participle is not the head: "activists [clamoring] to block ..."
        while h > 1 and low[h - 1].endswith("ing") and low[h - 1] not in lx.heads and not _is_cap(toks[h - 1].word):
            h -= 1
        head_toks, head = toks[:h], low[h - 1]
        handle = None
        if "@" in self.text[max(0, head_toks[0].start - 1):head_toks[-1].end]:
            handle = next((t for t in head_toks if self.text[t.start - 1:t.start] == "@"), None)
        if handle is not None:
            # "one Twitter user @nycsouthpaw": a social-media handle names one person
            return _Result("person", "@" + handle.word, handle.start - 1, handle.end, "social-media handle")
        named = [m for m in (doc.classify(r, r[0].start <= doc.sent_starts[doc.sent_of(r[0].start)] + 2)
                             for r in doc.runs(head_toks)) if m is not None]
        last = named[-1] if named else None
        head_is_name = last is not None and _is_cap(head_toks[-1].word) and last.end >= head_toks[-1].end
        if head_is_name and last.kind in ("person", "media", "organisation"):
            return self.named(last)
        if head_is_name and last.kind == "product":
            return _Result("unresolved", None, None, None, f"{last.where} '{' '.join(last.words)}': a thing, not a speaker")
        # lexicon phrases anywhere in the span ("people familiar with", "some in")
        found = [] if lx.phrases.keys().isdisjoint(low) else \
            [p for w in dict.fromkeys(low) for p in lx.phrases.get(w, ()) if _contains(low, p[0])]
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
        info = lx.heads.get(" ".join(low[max(0, h - 2):h])) or lx.heads.get(head)
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
        possessive = last is not None and self.text[last.end:last.end + 1] in ("'", "’")
        if last is not None and last.kind in ("person", "organisation", "media") and not possessive:
            return self.named(last)
        if last is not None and last.kind == "other" and not possessive:
            return _Result("organisation", " ".join(last.words), last.start, last.end,
                           "place or descriptor used as a source")
        # an unknown head: a plural is most often an unnamed group of people ("regulators"); a
        # singular one is as often a thing ("the monument") as a person, so it is not counted
        # as an anonymous source
        if head.endswith("s") and not head.endswith("ss") and len(head) > 3:
            return self.unnamed("vague", a, b, f"default: unknown plural head '{head}'")
        return _Result("unresolved", None, None, None, f"default: unknown singular head '{head}'")

    def possessor(self, toks: list[_Tok], exclude) -> _Result | None:
        """The owner in "X's remarks" / "his remarks", typed like a source; None if there is none."""
        for i in range(len(toks) - 1, -1, -1):
            t = toks[i]
            word = _norm(t.word)
            if word in ("his", "her", "their", "its"):
                return self.pronoun(t, exclude)
            after = self.text[t.end:t.end + 2]
            if after[:1] in "'’" and (after[1:2] == "s" or t.word.endswith("s")):
                return self.noun_phrase(toks[0].start, t.end, toks[:i + 1])
        return None

    def unnamed(self, cat: str, a: int, b: int, rule: str) -> _Result:
        phrase, s, e = _phrase(self.text, a, b)
        if cat == "media":
            return _Result("media", phrase, s, e, rule)
        return _Result(cat, phrase or None, s if phrase else None, e if phrase else None, rule)

    def named(self, m: _Mention) -> _Result:
        if m.kind == "person":
            ent = m.entity
            if ent is None:
                ent = self.doc.entity_for(m.words, m.start)
            if ent is None:
                # a name the article gives no fuller form of: it becomes an antecedent from now on
                ent = self.doc.source_entity(m)
            s, e = self.full_mention(ent, m.start, (m.start, m.end))
            how = "full name" if (s, e) == (m.start, m.end) and len(m.words) > 1 else "short name → full name"
            if ent.short_only:
                how = "name (no full form in text)"
            return _Result("person", ent.canonical, s, e, f"{m.where}: {how}", ent)
        if m.kind == "organisation" and len(m.words) == 1 and m.words not in self.lx.names \
                and self.lx.heads.get(_norm(m.words[0]), ("",))[0] == "organisation":
            return self.generic_organisation(m)
        name = " ".join(m.words)
        return _Result(m.kind, name, m.start, m.end, f"{m.where}: {m.kind} name")

    def generic_organisation(self, m: _Mention) -> _Result:
        """A bare capitalised head noun ("the Ministry", "Police") names no organisation by itself:
        it is the latest organisation named before it with that word ("Russian Defence
        Ministry"), else an unnamed one (speaker "ministry")."""
        word = _norm(m.words[0])
        named = self.doc.named_with("organisation", word)
        for k in range(bisect.bisect_left(named, (m.start,)) - 1, -1, -1):
            prev = named[k][1]
            if len(prev.words) > 1:
                return _Result("organisation", " ".join(prev.words), prev.start, prev.end,
                               f"{m.where}: '{m.words[0]}' → earlier name")
        return _Result("organisation", word, m.start, m.end, f"{m.where}: '{m.words[0]}' without a name")

    def full_mention(self, ent: _Entity, pos: int, default: tuple[int, int]) -> tuple[int, int]:
        if not ent.full:
            return default
        k = bisect.bisect_right(ent.full, (pos, float("inf")))     # ``full`` is in text order
        return ent.full[k - 1] if k else ent.full[0]

    def role(self, low: list[str], head: str, a: int, b: int, h: int, toks) -> _Result:
        """A role without a name: 'the sculptor' is an anaphor, 'a spokesman' an unnamed person."""
        # a name in apposition after the role ("a spokesman for Clinton, Brian Fallon")
        rest = toks[h:]
        persons = [m for m in (self.doc.classify(r, False) for r in self.doc.runs(rest)) if m and m.kind == "person"]
        if persons and self.text[toks[h - 1].end:persons[-1].start].rstrip().endswith(","):
            return self.named(persons[-1])
        where = self.lx.roles.get(head, ("", "titles.csv"))[1]
        if low and low[0] in _DEFINITE:
            gender = self.lx.roles.get(head, ("", ""))[0]
            ent, why = self.antecedent(a, gender, None, title=head)
            if ent is None:
                # "the retired neurosurgeon" after "Ben Carson": the person in focus, if recent
                ent, why = self.antecedent(a, gender, None, window=3)
            if ent is not None:
                s, e = self.full_mention(ent, a, ent.positions[0][:2])
                return _Result("person", ent.canonical, s, e, f"{where}: definite role '{head}' → {why}", ent)
        phrase, s, e = _phrase(self.text, a, b)
        return _Result("anonymous", phrase, s, e, f"{where}: role '{head}' without a name")

    def definite_thing(self, kind: str, low: list[str], a: int, b: int, where: str, head: str) -> _Result:
        """'the ministry' / 'the newspaper': the most recent organisation or outlet named with it."""
        if low and low[0] in _DEFINITE:
            named = self.doc.named_with(kind, head if kind != "media" else None)
            k = bisect.bisect_left(named, (a,)) - 1
            if k >= 0:
                m = named[k][1]
                return _Result(kind, " ".join(m.words), m.start, m.end, f"{where}: 'the {head}' → earlier name")
        phrase, s, e = _phrase(self.text, a, b)
        return _Result(kind, phrase, s, e, f"{where} head '{head}'")

    # -- pronouns -----------------------------------------------------------------------------------
    def pronoun(self, tok: _Tok, exclude) -> _Result:
        cat, gender = self.lx.pronouns[_norm(tok.word)]
        word = _norm(tok.word)
        if cat == "personal":
            ent, why = self.antecedent(tok.start, gender, exclude)
            if ent is None:
                return _Result("unresolved", None, None, None, f"pronoun '{word}': no antecedent")
            if not ent.gender:
                ent.gender = gender       # later pronouns agree with this one
            s, e = self.full_mention(ent, tok.start, ent.positions[0][:2])
            return _Result("person", ent.canonical, s, e, f"pronoun '{word}' → {why}", ent)
        if cat in ("plural", "neuter"):
            wanted = _GROUP_TYPES if cat == "plural" else _THING_TYPES
            sent = self.doc.sent_of(tok.start)
            for pos, r in reversed(self.history):
                if sent - self.doc.sent_of(pos) > 3:
                    break
                if r.type in wanted:
                    return _Result(r.type, r.speaker, r.start, r.end, f"pronoun '{word}' → previous {r.type} source", r.entity)
            before = self.doc.mentions      # those before the pronoun, walked back from it
            for k in range(bisect.bisect_left(self.doc.mention_starts, tok.start) - 1, -1, -1):
                m = before[k]
                if sent - m.sent > 1:
                    break
                if self.doc.in_quote(m.start):
                    continue
                if m.kind in ("organisation", "media"):
                    return _Result(m.kind, " ".join(m.words), m.start, m.end, f"pronoun '{word}' → nearest {m.kind} name")
                prev = before[k - 1] if k > 0 else None
                if cat == "plural" and m.kind == "person" and prev is not None and prev.kind == "person" \
                        and self.text[prev.end:m.start].strip(" ,'’s") == "and" and m.entity and prev.entity:
                    # "Sens. Mike Crapo and Jim Risch ... they": the pair of people
                    pair = f"{prev.entity.canonical} and {m.entity.canonical}"
                    return _Result("person", pair, prev.start, m.end, f"pronoun '{word}' → named pair '{pair}'")
            lo = self.doc.sents[max(0, sent - 1)][0]
            for t in reversed(self.doc.tokens(lo, tok.start)):
                info = self.lx.heads.get(_norm(t.word))
                if info is None or self.doc.in_quote(t.start):
                    continue
                plural = _norm(t.word).endswith("s")
                if info[0] in wanted and (plural == (cat == "plural") or info[0] == "vague"):
                    phrase, s, e = _phrase(self.text, t.start, t.end)
                    return _Result(info[0], phrase, s, e, f"pronoun '{word}' → {info[1]} head '{_norm(t.word)}'")
            return _Result("unresolved", None, None, None, f"pronoun '{word}': no group antecedent")
        if cat == "relative":
            return self.relative(tok, word)
        if cat == "first_person" and word in ("i", "me", "my"):
            # the writer (op-eds, letters, interviews); inside a quote, the quoted speaker (second pass)
            return _Result("person", None, None, None, f"first person '{word}': the writer or the quoted speaker")
        return _Result("unresolved", None, None, None, f"pronoun '{word}' ({cat}): not resolved")

    def relative(self, tok: _Tok, word: str) -> _Result:
        """'Alexei Chebanenko, a renowned Russian sculptor, who spoke ...': the noun phrase before."""
        doc = self.doc
        lo = max(doc.sents[doc.sent_of(tok.start)][0], tok.start - 200)
        left = self.text[lo:tok.start]
        chunks = [m for m in re.finditer(r"[^,;:()—–]+", left) if m.group().strip()]
        fallback = None
        for c in reversed(chunks[-4:]):
            a, b = lo + c.start(), lo + c.end()
            toks = doc.tokens(a, b)
            if not toks:
                continue
            k = bisect.bisect_left(doc.mention_starts, toks[-1].end) - 1
            ends_in_mention = k >= 0 and doc.mentions[k].end == toks[-1].end
            if ends_in_mention and doc.mentions[k].kind == "person" and doc.mentions[k].entity is None \
                    and len(doc.mentions[k].words) == 1:
                continue        # "..., of Ashton, Md., who": a lone place-like word; look further back
            if ends_in_mention and doc.mentions[k].kind in ("person", "organisation", "media"):
                r = self.named(doc.mentions[k])
                r.rule = f"relative '{word}' → {r.rule}"
                return r
            cut = max([i + 1 for i, t in enumerate(toks) if _norm(t.word) in _CUT_WORDS and i + 1 < len(toks)] + [0])
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
        return _Result("unresolved", None, None, None, f"relative '{word}': no antecedent")

    def antecedent(self, pos: int, gender: str, exclude, title: str | None = None, window: int = _WINDOW):
        """The most salient person before ``pos``: recent, a previous source, a sentence's first
        name, outside the quote being attributed, agreeing in gender (and title, if given)."""
        sent = self.doc.sent_of(pos)
        last_speaker = self.last_speaker
        best, best_score, why = None, None, ""
        for ent in self.doc.entities:
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
                why = "last speaker" if ent is last_speaker else ("earlier source" if ent.source_sents else "nearest person")
        if best is not None:
            return best, f"{why} '{best.canonical}'"
        return None, ""

    def record(self, pos: int, r: _Result) -> None:
        self.history.append((pos, r))
        if r.entity is not None:
            self.last_speaker = r.entity
            r.entity.source_sents.append(self.doc.sent_of(pos))
            if r.start is not None:
                r.entity.place((pos, pos + 1, self.doc.sent_of(pos), False, False))


def _contains(seq: list[str], sub: tuple) -> bool:
    n = len(sub)
    return any(tuple(seq[i:i + n]) == sub for i in range(len(seq) - n + 1))


# ----------------------------------------------------------------------------------------------
# The public function
# ----------------------------------------------------------------------------------------------

def annotate_sources(doc: Doc, attributions: list[dict]) -> None:
    """Fill ``source_type``, ``speaker``, ``speaker_start``, ``speaker_end``,
    ``anonymity_explained`` and ``source_rule`` in each attribution dict (in text order), in place.

    An attribution gives its source as ``source_start``/``source_end`` (None when it has none);
    ``kind == "floating"`` with no source continues the previous speaker. Never raises on text.
    """
    if not attributions:
        return
    text = doc.text
    lx = lexicons()
    contents = [(_offset(a.get("content_start")), _offset(a.get("content_end"))) for a in attributions]
    typer = _Typer(_Doc(doc, lx, [(cs, ce) for cs, ce in contents if cs is not None and ce is not None]))
    prev: _Result | None = None
    for att, (cs, ce) in zip(attributions, contents):
        a, b = _offset(att.get("source_start")), _offset(att.get("source_end"))
        ok = a is not None and b is not None and 0 <= a < b <= len(text)
        exclude = (cs, ce) if cs is not None and ce is not None else None
        if not ok and att.get("kind") == "floating" and prev is not None:
            r = _Result(prev.type, prev.speaker, prev.start, prev.end, "floating quote: previous speaker", prev.entity)
        elif not ok:
            r = _Result("unresolved", rule="no source span")
        else:
            r = typer.type_span(a, b, exclude)
            typer.record(a, r)
        if r.start is None or r.end is None or not (0 <= r.start < r.end <= len(text)):
            r.start = r.end = None
        att["source_type"] = r.type
        att["speaker"] = r.speaker or None
        att["speaker_start"], att["speaker_end"] = r.start, r.end
        att["anonymity_explained"] = r.type == "anonymous" and _explained(typer.doc, att, a if ok else None)
        att["source_rule"] = r.rule
        prev = r
    _quoted_first_person(attributions, contents)


def _offset(value) -> int | None:
    """An offset as a Python int (numpy and pandas integers too); None for None / NA / non-integers."""
    if type(value) is int:
        return value
    if value is None or isinstance(value, bool):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _quoted_first_person(attributions: list[dict], contents: list[tuple]) -> None:
    """An "I" inside another attribution's quote is that attribution's speaker."""
    for att in attributions:
        if not str(att.get("source_rule", "")).startswith("first person"):
            continue
        pos = _offset(att.get("source_start"))
        for other, (cs, ce) in zip(attributions, contents):
            if other is att or cs is None or ce is None or not cs <= pos < ce:
                continue
            if other.get("source_type") == "person" and other.get("speaker"):
                att["speaker"] = other["speaker"]
                att["speaker_start"], att["speaker_end"] = other.get("speaker_start"), other.get("speaker_end")
                att["source_rule"] += f" → speaker of the enclosing quote '{other['speaker']}'"
            break


def _explained(doc: _Doc, att: dict, source_start: int | None) -> bool:
    """True when the sentence(s) around an anonymous source say why it is unnamed."""
    if doc.lx.anonymity is None:
        return False
    points = [p for p in (source_start, _offset(att.get("source_end")), _offset(att.get("cue_start"))) if p is not None]
    if not points:
        return False
    s0 = doc.sents[doc.sent_of(min(points))][0]
    last = doc.sent_of(max(points))
    e0 = doc.sents[min(last + 1, len(doc.sents) - 1)][1] if last + 1 < len(doc.sents) and \
        doc.sents[last][1] - s0 < 60 else doc.sents[last][1]
    return doc.lx.anonymity.search(doc.text, s0, max(e0, s0)) is not None
