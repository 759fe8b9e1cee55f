"""Name mentions: the article's capitalised words, split into name runs and classified.

The article is scanned chain by chain (``CAP_CHAIN``: capitalised words and name particles joined
by spaces); a chain is split into runs (``MentionScanner.runs``) and each run is stripped of
titles and descriptors and classified (``classify_run``) into a :class:`Mention`: person,
organisation, outlet, title, model name ... Chains, token shapes and run classifications depend
only on the lexicons, so they are memoised across articles (``lexicons.remember``); what depends
on the article (whether it uses a word in lowercase) is part of the memo key.
"""

from __future__ import annotations

import re

from analysis.sources.lexicons import TOKEN, SourceLexicons, norm, norm_key, remember
from analysis.sources.records import Mention, Token
from analysis.wordlists import (
    ARTICLES,
    NAME_BREAKERS,
    NAME_CONNECTORS,
    NAME_CONNECTORS_THE,
    NAME_SUFFIXES,
)

# ``TOKEN``, for words that start with a letter other than a-z (capitals and non-ASCII letters,
# checked later) and for the lowercase words that may sit inside a name.
CAP_TOKEN = re.compile(
    r"(?<![\w'’.\-&])(?:[^\W\d_a-z](?:[\w'’.\-&]*[\w.])?|"
    r"(?:of|for|de|du|da|del|della|di|van|von|der|den|bin|ibn|al|el|la|le|dos|das|y|the)\b|&)"
)
# A chain of such words joined by spaces and opened by a capital-like word: every name run of the
# article lies inside one chain, so the article is scanned chain by chain and each distinct chain
# is split into runs once (``MentionScanner.chain_runs``). Its first word is CAP_TOKEN's first
# branch, written to be found faster: a quick test of the letter (A-Z or not ASCII), then the full
# test and the look-behind.
CAP_CHAIN = re.compile(
    r"[A-Z\u0080-\U0010ffff](?<=[^\W\d_a-z])(?<![\w'’.\-&].)(?:[\w'’.\-&]*[\w.])?"
    r"(?:[ \t\u00a0]+" + CAP_TOKEN.pattern + ")*"
)
_WORD_BEFORE = re.compile(r"[\w\-]+")
_APPOSITION = re.compile(r"['’]?s?\s*,\s*(?:an?|the)\s+([^,.;:()]{1,70})")
_LOWER_WORD = re.compile(r"[a-z][a-z'’\-]*")  # a lowercase word (see ``uses_lowercase``)
_LOWER_TAIL = frozenset("abcdefghijklmnopqrstuvwxyz'’-")
INITIAL = re.compile(r"^[A-Z]\.$|^[A-Z]$")
# a model name: letters, a hyphen, digits ("Superjet-100", "Su-35", "F-16"): a thing, not a speaker
_MODEL_NAME = re.compile(r"[^\W\d_][\w.]*-\d")
# the kinds of mention that name someone who can speak
_NAMED_KINDS = {"person", "organisation", "media"}


def uses_lowercase(text: str, word: str) -> bool:
    """Whether ``word`` is one of the lowercase words of ``text``: a match of ``_LOWER_WORD`` that
    no word character, apostrophe or hyphen precedes and no lowercase letter follows."""
    if not _LOWER_WORD.fullmatch(word):
        return False
    n, i = len(word), text.find(word)
    while i >= 0:
        if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_'’-")) and text[
            i + n : i + n + 1
        ] not in _LOWER_TAIL:
            return True
        i = text.find(word, i + 1)
    return False


def is_cap(w: str) -> bool:
    return w[:1].isupper()


def span(toks: list[Token]) -> tuple[int, int]:
    return toks[0].start, toks[-1].end


def unnamed_phrase(text: str, a: int, b: int) -> tuple[str, int, int]:
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
    while words and words[0].lower() in ARTICLES and len(words) > 1:
        a = text.index(words[1], a + len(words[0]))
        words = words[1:]
    return norm(" ".join(words)), a, b


# ----------------------------------------------------------------------------------------------
# Words and runs, as the lexicons alone decide them (memoised across articles)
# ----------------------------------------------------------------------------------------------


def token_shape(w: str, lx: SourceLexicons) -> tuple:
    """How a matched word becomes a token: (characters cut from its end, the word, whether
    it ends in a full stop); () when nothing is left of it."""
    n, stop = len(w), False
    if w.endswith(".") and not _abbrev(w, lx):
        w, stop = w[:-1], True
    if len(w) > 2 and (w[-1] in "'’" or (w[-1] == "s" and w[-2] in "'’")):
        w = w[:-1] if w[-1] in "'’" else w[:-2]
    return (n - len(w), w, stop) if w else ()


def _abbrev(w: str, lx: SourceLexicons) -> bool:
    core = w.rstrip(".")
    return (
        len(core) <= 1
        or "." in core
        or (norm(w),) in lx.titles
        or norm(w) in NAME_SUFFIXES
        or (core.isupper() and len(core) <= 3)
    )


def classify_run(run: list[Token], common_opener: bool, lx: SourceLexicons) -> Mention | None:
    """The mention a run of capitalised words makes, titles and descriptors stripped; None when
    nothing of it is left. ``common_opener``: the run opens a sentence with a word the article
    also uses in lowercase ("Critics Say ..."), so that word is no part of the name."""
    toks = list(run)
    # a leading "The" or a sentence opener is not part of the name
    while toks and (
        toks[0].word in ("The", "the")
        or (toks[0].word in lx.not_name and len(toks) > 0)
        or ("'" in norm(toks[0].word) and norm(toks[0].word).split("'")[0] in lx.pronouns)
        or (common_opener and toks[0] is run[0] and len(toks) > 1 and norm(toks[0].word) not in lx.title_first)
    ):
        toks = toks[1:]
    while toks and toks[-1].word.lower() in NAME_CONNECTORS:
        toks = toks[:-1]
    while toks and toks[0].word.lower() in NAME_CONNECTORS_THE:
        toks = toks[1:]
    if not toks:
        return None
    words = tuple([t.word for t in toks])
    whole = span(toks)
    if len(words) > 1 and all(map(str.isupper, words)) and max(map(len, words)) > 3:
        # shouting headline ("FELLOW DOCTORS DON'T ..."): typed by its head word, never a name
        info = lx.heads.get(norm(words[-1]))
        return Mention(*whole, info[0] if info else "other", words, [], "", info[1] if info else "")
    if words in lx.media:
        return Mention(*whole, "media", words, [], "", lx.media[words][1])
    if words in lx.names:
        return Mention(*whole, lx.names[words][0], words, [], "", lx.names[words][1])
    # strip titles and descriptors from the front: "Russian Foreign Minister Sergey Lavrov"
    titles, gender, where, k = [], "", "", 0
    while k < len(toks) and norm(words[k]) in lx.title_first:
        hit = None
        for L in range(min(lx.title_len, len(toks) - k), 0, -1):
            info = lx.titles.get(norm_key(words[k : k + L]))
            if info:
                hit = (L, info)
                break
        if not hit:
            break
        L, (cat, g, w) = hit
        if cat != "descriptor":
            titles.append(" ".join(norm_key(words[k : k + L])))
            gender = gender or g
            where = w
        k += L
    rest = toks[k:]
    if not rest and len(toks) >= 2 and (norm(words[-2]),) in lx.titles and lx.titles[(norm(words[-2]),)][1]:
        # "Mr. King", "Ms. Bishop": after a gendered honorific the last word is a surname
        rest, titles = toks[-1:], titles[:-1]
    # a title further in ends a title-case headline's words: "Says Sculptor Alexei Chebanenko"
    for j in range(len(rest) - 2, -1, -1):
        info = lx.titles.get((norm(rest[j].word),))
        if info and info[0] != "descriptor":
            titles.append(norm(rest[j].word))
            gender = gender or info[1]
            rest = rest[j + 1 :]
            break
    if titles and rest and rest[0].word in ("of", "for"):
        # "Minister of Venezuela Nelson Martinez": the office's complement is no part of the name
        rest = _after_complement(rest[1:], lx)
    if not rest:
        kind = "title" if titles else "other"
        return Mention(*whole, kind, words, titles, gender, where)
    rwords = tuple([t.word for t in rest])
    rspan = span(rest)
    # "Republicans", "Cuban Americans", "Hedge Funds": a capitalised common noun, not a name
    head = norm(rwords[-1])
    info = lx.heads.get(head)
    if info and info[0] in ("vague", "anonymous") and len(rwords) == 1:
        return Mention(*whole, info[0], words, titles, "", info[1])
    plural_of = lx.heads.get(head[:-1]) if head.endswith("s") else None
    if plural_of and plural_of[0] == "organisation" and rwords[-1] not in lx.media_heads:
        return Mention(*whole, "vague", words, titles, "", plural_of[1])
    if rwords in lx.media:
        return Mention(*rspan, "media", rwords, titles, "", lx.media[rwords][1])
    if rwords in lx.names:
        return Mention(*rspan, lx.names[rwords][0], rwords, titles, "", lx.names[rwords][1])
    if len(rwords) >= 2 and rwords[-1] in lx.media_heads:
        return Mention(*whole, "media", words, [], "", lx.media_heads[rwords[-1]])
    if any(_MODEL_NAME.match(w) for w in rwords):
        return Mention(*whole, "product", words, [], "", "model name")
    for w in rwords:
        info = lx.heads.get(norm(w))
        if info and info[0] == "organisation":
            return Mention(*whole, "organisation", words, [], "", info[1])
    if len(rwords) == 1 and rwords[0].replace(".", "").isupper() and 2 <= len(rwords[0].replace(".", "")) <= 6:
        return Mention(*rspan, "organisation", rwords, [], "", "acronym")
    caps = [t for t in rest if is_cap(t.word) and norm(t.word) not in NAME_SUFFIXES]
    if len(caps) > 3:
        # a title-case headline run ("Figure Endorses Hillary Clinton"): a name is its last words
        rest = rest[-2:]
        rwords, rspan = tuple(t.word for t in rest), span(rest)
    return Mention(*rspan, "person", rwords, titles, gender, where or "name")


def _after_complement(toks: list[Token], lx: SourceLexicons) -> list[Token]:
    """The name after an office's complement ("[of] the United States Barack Obama" → "Barack
    Obama"): the words after a known place or organisation, else the last two name words
    (initials between them kept); none when the complement is all there is ("of Finance")."""
    while toks and toks[0].word.lower() in NAME_CONNECTORS_THE:
        toks = toks[1:]
    words = tuple(t.word for t in toks)
    for n in range(len(toks), 0, -1):
        if words[:n] in lx.names or words[:n] in lx.media:
            return toks[n:]
    k, named = len(toks), 0
    while k > 1 and named < 2:
        k -= 1
        if not INITIAL.match(words[k]) and norm(words[k]) not in NAME_SUFFIXES:
            named += 1
    return toks[k:] if len(toks) > 1 else []


def run_shape(key: tuple, run: list[Token] | None, lx: SourceLexicons, spans=(), offset: int = 0) -> tuple | None:
    """The memoised ``classify_run`` of a run (given as tokens, or as spans relative to
    ``offset`` with the words of ``key``): (index of its first and last name token, kind,
    words, titles, gender, where), or None when it names nothing. ``key``: see
    ``MentionScanner.run_key``."""
    shapes = lx.run_shapes
    shape = shapes.get(key, False)
    if shape is False:
        if run is None:
            run = [Token(offset + s, offset + e, w, False) for (s, e), w in zip(spans, key[0])]
        m = classify_run(run, key[1], lx)
        if m is not None:
            starts, ends = [t.start for t in run], [t.end for t in run]
            shape = (starts.index(m.start), ends.index(m.end), m.kind, m.words, tuple(m.titles), m.gender, m.where)
        shape = remember(shapes, key, None if m is None else shape)
    return shape


# ----------------------------------------------------------------------------------------------
# One article's words and mentions
# ----------------------------------------------------------------------------------------------


class MentionScanner:
    """The words of one article as the source step reads them: the tokens of a span, its runs
    of capitalised words, their classification, and the article's name mentions."""

    def __init__(self, text: str, lx: SourceLexicons):
        self.text, self.lx = text, lx
        self._lower: dict[str, bool] = {}  # memo of ``uses_lowercase``

    # -- tokens ---------------------------------------------------------------------------------
    def tokens(self, a: int, b: int) -> list[Token]:
        """All words inside ``[a, b)``; a word cut by ``b`` ends there ("they" of "they're")."""
        return self.scan(TOKEN, a, b)

    def scan(self, pattern: re.Pattern, a: int, b: int) -> list[Token]:
        out, text, lx = [], self.text, self.lx
        shapes = lx.tok_shapes
        for m in pattern.finditer(text, a, b):
            w = m.group()
            shape = shapes.get(w)
            if shape is None:
                shape = remember(shapes, w, token_shape(w, lx))
            if shape:
                s, e = m.span()
                out.append(Token(s, e - shape[0], shape[1], shape[2] or text[e : e + 1] in NAME_BREAKERS))
        return out

    def chain_tokens(self, a: int, b: int) -> list[Token]:
        """``scan(CAP_TOKEN, a, b)`` for a chain (``CAP_CHAIN``): its words are parted by spaces
        and tabs only, so splitting finds them without a search."""
        text, lx, out = self.text, self.lx, []
        shapes = lx.tok_shapes
        chain, pos = text[a:b], 0
        for w in chain.split():
            s = chain.find(w, pos)
            pos = s + len(w)
            shape = shapes.get(w)
            if shape is None:
                shape = remember(shapes, w, token_shape(w, lx))
            if shape:
                e = a + pos
                out.append(Token(a + s, e - shape[0], shape[1], shape[2] or text[e : e + 1] in NAME_BREAKERS))
        return out

    def uses_lowercase(self, word: str) -> bool:
        """Whether the article has ``word`` as a lowercase word (a common word, so a capitalised
        use of it is no name); asked of few words, so answered by search, not by listing all."""
        hit = self._lower.get(word)
        if hit is None:
            hit = self._lower[word] = uses_lowercase(self.text, word)
        return hit

    # -- runs -----------------------------------------------------------------------------------
    def runs(self, toks: list[Token]) -> list[list[Token]]:
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
                while (
                    k < n
                    and toks[k].word.lower() in NAME_CONNECTORS_THE
                    and not toks[k].stop
                    and self._gap_ok(toks[k - 1], toks[k])
                    and k - j < 2
                ):
                    k += 1
                if (
                    k > j
                    and k < n
                    and is_cap(toks[k].word)
                    and self._gap_ok(toks[k - 1], toks[k])
                    and toks[j].word.lower() != "the"
                ):
                    run.extend(toks[j : k + 1])
                    j = k + 1
                    continue
                break
            out.append(run)
            i = j
        return out

    def chain_runs(self, a: int, b: int) -> tuple:
        """The name runs of the chain ``text[a:b]``, ready for ``find_mentions``: for each run
        its token spans relative to ``a``, its words, and the words that cut it as a title-case
        headline if the article uses them in lowercase (``find_mentions``: "Monument Says
        Sculptor Alexei Chebanenko" keeps the words after "Says"), last first. A run of one
        sentence-opening word ("The", "But", "Monday": the commonest capitalised words) is left
        out."""
        lx, out = self.lx, []
        for run in self.runs(self.chain_tokens(a, b)):
            words = tuple([t.word for t in run])
            if len(run) == 1 and words[0] in lx.not_name:
                continue
            cuts = []
            for j in range(len(run) - 2, -1, -1):
                low = norm(words[j])
                if low not in lx.heads and (low,) not in lx.titles and low not in NAME_CONNECTORS:
                    cuts.append((j, low))
            spans = tuple([(t.start - a, t.end - a) for t in run])
            # a one-word run is classified the same wherever it stands: once, here
            single = run_shape(self.run_key(words, False), run, lx) if len(run) == 1 else None
            out.append((spans, words, tuple(cuts), single))
        return tuple(out)

    def _gap_ok(self, a: Token, b: Token) -> bool:
        gap = self.text[a.end : b.start]
        return gap == " " or (gap.strip(" \t\u00a0") == "" and "\n" not in gap)

    # -- mentions -------------------------------------------------------------------------------
    def run_key(self, words: tuple, sentence_initial: bool) -> tuple:
        """The memo key of a run's classification: its words, and whether it opens a sentence
        with a word the article also uses in lowercase (all that ``classify_run`` reads)."""
        if len(words) == 1:
            return words, False
        return words, sentence_initial and self.uses_lowercase(words[0].lower())

    def classify(self, run: list[Token], sentence_initial: bool, sent: int = 0) -> Mention | None:
        """``classify_run`` through a memo: names recur ("Trump" twenty times an article, in
        every article), so each distinct run is classified once."""
        shape = run_shape(self.run_key(tuple([t.word for t in run]), sentence_initial), run, self.lx)
        if shape is None:
            return None
        i, j, kind, words, titles, gender, where = shape
        return Mention(run[i].start, run[j].end, kind, words, list(titles), gender, where, sent)

    def find_mentions(self, sent_starts: list[int]) -> tuple[list[Mention], list[Mention]]:
        """The article's name mentions in text order, and the person mentions among them (their
        titles and roles attached). ``sent_starts``: the article's sentence starts."""
        text, lx = self.text, self.lx
        chains, mentions, people = lx.chain_runs, [], []
        si, last_sent, named_sent = 0, len(sent_starts) - 1, -1
        for chain in CAP_CHAIN.finditer(text):
            a, b = chain.span()
            # the runs of a chain depend on its text and on whether punctuation ends its last word
            key = (chain.group(), text[b : b + 1] in NAME_BREAKERS)
            runs = chains.get(key)
            if runs is None:
                runs = remember(chains, key, self.chain_runs(a, b))
            for spans, words, cuts, shape in runs:
                start = a + spans[0][0]
                while si < last_sent and sent_starts[si + 1] <= start:
                    si += 1
                if shape is None:
                    if len(words) == 1:
                        continue  # a one-word run that names nothing
                    # a title-case headline: keep the words after the last common (lowercase) word
                    for j, low in cuts:
                        if self.uses_lowercase(low):
                            spans, words = spans[j + 1 :], words[j + 1 :]
                            break
                    shape = run_shape(self.run_key(words, start <= sent_starts[si] + 2), None, lx, spans, a)
                    if shape is None:
                        continue
                i, j, kind, mwords, titles, gender, where = shape
                m = Mention(a + spans[i][0], a + spans[j][1], kind, mwords, titles, gender, where, si)
                if kind in _NAMED_KINDS:
                    if si != named_sent:
                        m.first_in_sent, named_sent = True, si
                    if kind == "person":
                        self._attach_roles(m, start)
                        people.append(m)
                mentions.append(m)
        return mentions, people

    def _attach_roles(self, m: Mention, run_start: int) -> None:
        """Role words just before ("sculptor Alexei Chebanenko") or in apposition after
        (", a renowned Russian sculptor,") the name (whose run starts at ``run_start``) describe
        the same person."""
        lx, text = self.lx, self.text
        before = text[max(0, run_start - 40) : run_start].split()
        if before and norm(before[-1]) in lx.roles:
            m.titles = list(m.titles)
            for word in reversed(before[-3:]):
                info = lx.roles.get(norm(word))
                if info is None:  # also stops at punctuation: "said," is no role
                    break
                m.titles.append(norm(word))
                m.gender = m.gender or info[0]
        app = _APPOSITION.match(text, m.end, m.end + 90)
        if app:
            for word in _WORD_BEFORE.findall(app.group(1)):
                info = lx.roles.get(norm(word))
                if info:
                    m.titles = [*m.titles, norm(word)]
                    m.gender = m.gender or info[0]
