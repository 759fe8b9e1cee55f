"""The cue model: which words are attribution cues, and how far a cue reaches.

Cue candidates are tokens whose form (``Doc.norm``: lower-cased, British spellings read as the
American forms, see :func:`prepare`) is in the cue vocabulary: the forms of ``lexicons/cues.csv``
plus the words PolNeAR's annotators marked as cues often enough. A logistic-regression model over
context features (:func:`cue_features`: neighbouring words, quote marks, position in the sentence,
the lexicon category) scores each candidate (:func:`cue_score`); :func:`find_cues` keeps those the
model accepts, plus passive reporting verbs with their agent and nominal cues with their source,
and grows each over the neighbouring words annotators include (:func:`expand_cue`).

The model is ``models/attribution.json``, or the file :data:`MODEL_ENV` names. ``analysis.train``
learns it from PolNeAR train with the same features, vocabulary and extension-table keys
(:func:`cue_features`, :func:`cue_lexicon`, :func:`word_class`), calling
:func:`clear_model_caches` first so that no earlier model leaks into training.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import os
import re
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from analysis.doc import QUOTE_CHARS, Doc
from analysis.lexicon import load_lexicon
from analysis.wordlists import NOMINAL_CUES, PARTICLES, PASSIVE_AUX, PRONOUNS, WEEKDAYS

# Another cue model (e.g. one trained on part of a corpus, for held-out evaluation) is used when
# this environment variable names its JSON file; read at each call, so it can be set at run time.
MODEL_ENV = "ANALYSIS_ATTRIBUTION_MODEL"


def _model_path() -> str:
    return os.environ.get(MODEL_ENV) or _shipped_model_path()


@functools.cache
def _shipped_model_path() -> str:
    return str(resources.files("analysis") / "models" / "attribution.json")


@functools.lru_cache(maxsize=4)
def _load_model(path: str) -> dict:
    p = Path(path)
    if not p.exists():  # a fresh checkout before training: the lexicon alone, default weights
        m = {"weights": {}, "bias": 0.0, "threshold": 0.5, "vocab": [], "left": {}, "right": {}}
    else:
        with p.open(encoding="utf-8") as fh:
            m = json.load(fh)
    m["left"] = {tuple(k.split(" ")): v for k, v in m.get("left", {}).items()}
    m["right"] = {tuple(k.split(" ")): v for k, v in m.get("right", {}).items()}
    m["feature_tables"] = _feature_tables(m["weights"], _candidate_words(m))
    return m


def clear_model_caches() -> None:
    """Forget every model read so far (and the vocabularies made from them): the next call reads
    the file again. Training calls this so that a model being trained never sees an earlier one."""
    _load_model.cache_clear()
    _vocabulary.cache_clear()


def _feature_tables(weights: dict, words: frozenset) -> dict:
    """The model's weights as one dict per feature template, keyed by the template's parts.

    Scoring a candidate then needs no feature strings: ``table.get(parts)`` is the weight of
    ``name + "=" + sep.join(parts)``. A key is entered under every split of its value into parts, so
    the lookup finds exactly the weights the strings would (a token may itself hold a "_").
    Templates holding the candidate word or its category are split once more by that word or
    category (``keyed``): a small table per word, put together per word in ``by_word``. Only the
    candidate ``words`` get tables (splitting every key every way would take seconds)."""
    index = {spec[0]: t for t, spec in enumerate(_TEMPLATES)}
    shared: list[dict] = [{} for _ in _TEMPLATES]
    keyed: list[dict] = [{} for _ in _TEMPLATES]
    for key, weight in weights.items():
        name, eq, value = key.partition("=")
        t = index.get(name) if eq else None
        if t is None:
            continue
        _, n, sep, by, pos = _TEMPLATES[t]
        for parts in ((value,),) if n == 1 else _splits(value, n, sep, pos if by == "w" else -1, words):
            if by:
                rest = parts[:pos] + parts[pos + 1 :]
                keyed[t].setdefault(parts[pos], {})[rest[0] if len(rest) == 1 else rest] = weight
            else:
                shared[t][parts[0] if n == 1 else parts] = weight
    return {"shared": shared, "keyed": keyed, "that_next": weights.get("that_next"), "by_word": {}, "words": words}


def _word_tables(tables: dict, w: str, cat: str) -> tuple[dict, ...]:
    """The table of each template for candidate word ``w`` of lexicon category ``cat``."""
    got = tables["by_word"].get((w, cat))
    if got is None:
        empty: dict = {}
        got = tuple(
            tables["keyed"][t].get(w if by == "w" else cat, empty) if by else tables["shared"][t]
            for t, (_, _, _, by, _) in enumerate(_TEMPLATES)
        )
        tables["by_word"][(w, cat)] = got
    return got


def _splits(value: str, n: int, sep: str, pos: int = -1, words: frozenset = frozenset()):
    """Every way of writing ``value`` as ``sep.join(parts)`` with ``n`` parts (with ``pos`` >= 0:
    those whose part ``pos`` is one of ``words``)."""
    if pos >= 0 and n == 2 and not sep:  # the word and a shape or subject, run together: few splits fit
        for k in range(len(value) + 1):
            parts = (value[:k], value[k:])
            if parts[pos] in words:
                yield parts
    elif sep and n == 2 and value.count(sep) == 1:  # the usual case: one separator, one split
        yield tuple(value.split(sep))
    elif sep:
        cuts = [k for k, c in enumerate(value) if c == sep]
        for chosen in itertools.combinations(cuts, n - 1):
            bounds = (-1, *chosen, len(value))
            yield tuple(value[bounds[k] + 1 : bounds[k + 1]] for k in range(n))
    else:
        for chosen in itertools.combinations_with_replacement(range(len(value) + 1), n - 1):
            bounds = (0, *chosen, len(value))
            yield tuple(value[bounds[k] : bounds[k + 1]] for k in range(n))


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, dict]:
    """Lower-cased cue form -> its cues.csv row (first row wins), multiword cues included."""
    out: dict[str, dict] = {}
    for row in load_lexicon("cues"):
        out.setdefault(row["cue"].lower(), row)
    return out


_AMERICAN_ENDINGS = (
    ("izations", "isations"),
    ("ization", "isation"),
    ("izing", "ising"),
    ("ized", "ised"),
    ("izes", "ises"),
    ("ize", "ise"),
    ("yzing", "ysing"),
    ("yzed", "ysed"),
    ("yzes", "yses"),
    ("yze", "yse"),
)


_SINGLE_L = re.compile(r"[^aeiou][aeo]l(?:ed|ing)$")  # "signaled", "labeling"; not "feeling", "revealed"


@functools.lru_cache(maxsize=1)
def british_spellings() -> dict[str, str]:
    """British form -> the American form the cue lexicon and the model know ("emphasised" ->
    "emphasized", "signalled" -> "signaled"). PolNeAR is American; BBC, RTÉ or TASS copy is not,
    and a cue should not be missed for its spelling. Built from cues.csv alone, so that training
    does not depend on an earlier model."""
    out = {}
    for word in cue_lexicon():
        if " " in word:
            continue
        british = next((word[: -len(us)] + uk for us, uk in _AMERICAN_ENDINGS if word.endswith(us)), None)
        if british is None and _SINGLE_L.search(word):
            cut = word.rindex("l") + 1
            british = word[:cut] + "l" + word[cut:]
        if british is not None and british not in cue_lexicon():
            out[british] = word
    return out


def prepare(doc: Doc) -> None:
    """Read British spellings as the American forms the cue lexicon and model know (``doc.norm``)."""
    doc.set_norm(british_spellings())


def model() -> dict:
    """The cue model in use (the file :data:`MODEL_ENV` names, else the shipped one), with the
    scorer's tables."""
    return _load_model(_model_path())


def vocabulary() -> frozenset:
    """Lower-cased single-word forms that are cue candidates."""
    return _vocabulary(_model_path())


@functools.lru_cache(maxsize=4)
def _vocabulary(path: str) -> frozenset:
    return _candidate_words(_load_model(path))


def _candidate_words(m: dict) -> frozenset:
    words = {c for c in cue_lexicon() if " " not in c}
    words.update(m.get("vocab", []))
    return frozenset(words)


# --- cue classification -------------------------------------------------------------------------
# Feature templates in the order the model adds their weights: (name, number of parts, separator,
# the part the scorer's tables are first split by -- the candidate word "w" or its lexicon category
# "cat" -- and that part's position). A feature is the string ``name + "=" + sep.join(parts)``;
# ``_cue_parts`` computes the parts, leaving out the word or category of a split template.
_TEMPLATES = (
    ("w", 1, "", "", 0),
    ("p1", 1, "", "", 0),
    ("n1", 1, "", "", 0),
    ("p2", 1, "", "", 0),
    ("n2", 1, "", "", 0),
    ("p1w", 2, "_", "w", 1),
    ("wn1", 2, "_", "w", 0),
    ("wn2", 3, "_", "w", 0),
    ("sp1", 1, "", "", 0),
    ("sn1", 1, "", "", 0),
    ("sp2", 2, "", "", 0),
    ("sn2", 2, "", "", 0),
    ("cat", 1, "", "", 0),
    ("suf", 1, "", "", 0),
    ("cap", 2, "", "", 0),
    ("pos", 1, "", "", 0),
    ("inq", 1, "", "", 0),
    # the word and its lexicon category with the shape or word on either side
    ("wsp1", 2, "", "w", 0),
    ("wsn1", 2, "", "w", 0),
    ("csp1", 2, "", "cat", 0),
    ("csn1", 2, "", "cat", 0),
    ("cp1", 2, "_", "cat", 0),
    ("cn1", 2, "_", "cat", 0),
    # a subject just before; quote marks near; a headline; how far into the sentence
    ("subj", 1, "", "", 0),
    ("subj_cat", 2, "", "cat", 1),
    ("subj_w", 2, "", "w", 1),
    ("nearq", 2, "", "cat", 1),
    ("qctx", 3, "", "cat", 2),
    ("head", 1, "", "", 0),
    ("left", 1, "", "", 0),
)


_W, _CAT = ([spec[0] for spec in _TEMPLATES].index(name) for name in ("w", "cat"))  # their positions


def _shape(doc: Doc, i: int) -> str:
    if i < 0 or i >= len(doc.norm):
        return "<edge>"
    w = doc.norm[i]
    if w in QUOTE_CHARS:
        if doc.starts[i] in doc.open_marks:
            return "<q_open>"
        if doc.starts[i] in doc.close_marks:
            return "<q_close>"
        return "<q>"
    if not (w[0].isalnum() or w[0] == "_"):  # not a word (Doc.is_word, inlined: this runs per candidate)
        return w
    return "<Cap>" if doc.text[doc.starts[i]].isupper() else "<low>"


def _cue_parts(doc: Doc, i: int, sent: tuple[int, int, int]) -> tuple[tuple, bool]:
    """The parts of each ``_TEMPLATES`` feature of candidate token ``i`` (a string where one part is
    left, else a tuple), and whether "that" follows within three words (the ``that_next`` flag)."""
    low, starts, text = doc.norm, doc.starts, doc.text
    n = len(low)
    w = low[i]
    p1 = low[i - 1] if i > 0 else "<s>"
    p2 = low[i - 2] if i > 1 else "<s>"
    n1 = low[i + 1] if i + 1 < n else "</s>"
    n2 = low[i + 2] if i + 2 < n else "</s>"
    _, s0, s1 = sent
    lex = cue_lexicon().get(w)
    cat = lex["category"] if lex else "none"
    sp2, sp1, sn1, sn2 = _shape(doc, i - 2), _shape(doc, i - 1), _shape(doc, i + 1), _shape(doc, i + 2)
    first = i == s0
    # a subject just before (a name or pronoun, no punctuation between)
    subj = "none"
    for j in range(i - 1, max(s0 - 1, i - 4), -1):
        lj = low[j]
        if not (lj[0].isalnum() or lj[0] == "_"):
            break
        if lj in PRONOUNS or lj in ("who", "which"):
            subj = "pron"
            break
        if text[starts[j]].isupper():
            subj = "name"
            break
    qt = doc.quote_tokens
    k = bisect.bisect_left(qt, max(s0, i - 12))
    q = "q" if k < len(qt) and qt[k] < min(s1 + 1, i + 12) else "-"
    qb = not doc.close_marks.keys().isdisjoint(starts[max(s0, i - 6) : i])  # a quote closes just before
    qa = not doc.open_marks.keys().isdisjoint(starts[i + 1 : min(s1 + 1, i + 4)])  # one opens just after
    left = i - s0
    parts = (
        w,
        p1,
        n1,
        p2,
        n2,
        p1,
        n1,
        (n1, n2),
        sp1,
        sn1,
        (sp2, sp1),
        (sn1, sn2),
        cat,
        w[-3:],
        (str(text[starts[i]].isupper()), str(first)),
        "first" if first else "last" if i >= s1 - 1 else "mid",
        str(doc.quote_around(i) is not None),
        sp1,
        sn1,
        sp1,
        sn1,
        p1,
        n1,
        subj,
        subj,
        subj,
        q,
        (str(qb), str(qa)),
        str(sent[0] == 0 and is_headline(doc, sent)),
        "0" if left == 0 else "1-2" if left <= 2 else "3-6" if left <= 6 else "7+",
    )
    return parts, "that" in low[i + 1 : min(i + 4, s1 + 1)]


def cue_features(doc: Doc, i: int, sent: tuple[int, int, int]) -> list[str]:
    """Context features of candidate token ``i`` (strings; the model holds a weight per string)."""
    parts, that_next = _cue_parts(doc, i, sent)
    f = []
    for (name, n, sep, by, pos), p in zip(_TEMPLATES, parts):
        if by:  # put the word or category back in its place
            rest = (p,) if n == 2 else p
            p = (*rest[:pos], parts[_W] if by == "w" else parts[_CAT], *rest[pos:])
        f.append(name + "=" + (p if n == 1 else sep.join(p)))
    if that_next:
        f.append("that_next")
    return f


def cue_score(doc: Doc, i: int, sent: tuple[int, int, int], m: dict) -> float:
    """The model's probability that candidate ``i`` is a cue: the weights of ``cue_features`` added
    in the same order, so the float is the same as summing the weights of the feature strings."""
    parts, that_next = _cue_parts(doc, i, sent)
    tables = m["feature_tables"]
    if parts[_W] not in tables["words"]:  # not a candidate word: the tables hold none but those
        z = m.get("bias", 0.0) + sum(m["weights"].get(f, 0.0) for f in cue_features(doc, i, sent))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    # absent features (None) and zero weights are dropped: adding 0.0 leaves a float sum unchanged
    weights = filter(None, map(dict.get, _word_tables(tables, parts[_W], parts[_CAT]), parts))
    if that_next and tables["that_next"] is not None:
        weights = itertools.chain(weights, (tables["that_next"],))
    z = m.get("bias", 0.0) + sum(weights)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def cue_candidates(doc: Doc) -> list[int]:
    """Indices of the tokens whose form is in the cue vocabulary."""
    vocab = vocabulary()
    return list(itertools.compress(itertools.count(), map(vocab.__contains__, doc.norm)))


def word_class(w: str) -> str:
    """A word as the generic left-extension rows key it: adverbs in -ly share their statistics."""
    return "<ly>" if w.endswith("ly") and len(w) > 4 else w


def _step(table: dict, keys) -> bool:
    """Whether the cue grows by one more word: the first (most specific) known row decides."""
    for k in keys:
        v = table.get(k)
        if v is not None:
            return v >= 0.5
    return False


def expand_cue(doc: Doc, i: int, s0: int, s1: int, m: dict) -> tuple[int, int]:
    """Token range of the cue around head ``i``, grown over words annotators include."""
    low, left, right = doc.norm, m["left"], m["right"]
    head = low[i]
    a = b = i
    for j in range(1, 5):
        if i - j < s0:
            break
        seq = tuple(low[i - j : i])
        w = low[i - j]
        if doc.capitalised(i - j) and w not in ("it", "there"):
            break
        if not _step(left, ((*seq, head), ("*", *seq), ("*", word_class(w)))):
            break
        a = i - j
    for j in range(1, 5):
        if i + j > s1:
            break
        seq = tuple(low[i + 1 : i + 1 + j])
        # the generic row only for function words: "criticism of", not "strategy said"
        keys = ((head, *seq), ("*", *seq)) if low[i + 1] in PARTICLES else ((head, *seq),)
        if not _step(right, keys):
            break
        b = i + j
    return a, b


def is_headline(doc: Doc, sent) -> bool:
    """The first line of a longer text, without a closing full stop: a headline."""
    if sent[0] != 0 or not doc.sents:
        return False
    end = doc.sents[0][1]
    return doc.text[end - 1] != "." and "\n" in doc.text[end : end + 3] and bool(doc.text[end:].strip())


def usually_sourceless(head: str) -> bool:
    """Whether annotators mostly leave a cue with this head without a source ("seems", "is
    expected"): the model's ``nosource`` rate, learned on train."""
    return model().get("nosource", {}).get(head, 0.0) >= 0.7


def lemma_category(cue_low: str, head_low: str) -> tuple[str, str, str]:
    """Lemma, lexicon category and the provenance of a cue (its cues.csv row, or the model)."""
    lex = cue_lexicon()
    row = lex.get(cue_low) or lex.get(head_low)
    if row is not None:
        return row.get("lemma") or row["cue"], row["category"], f"cues.csv:{row['_line']}"
    return head_low, "other", "model"


# --- the cues of a document ------------------------------------------------------------------------
class Cue(NamedTuple):
    """A cue found in a ``Doc``: its tokens [start, end], the head token the model scored, the
    sentence (index, first token, last token) and the model's probability."""

    start: int
    end: int
    head: int
    sent: tuple[int, int, int]
    p: float


def find_cues(doc: Doc) -> list[Cue]:
    """The cues of a prepared ``Doc`` (:func:`prepare`), in text order; touching cue words in a
    sentence are one cue ("has made no secret of")."""
    m = model()
    threshold = m.get("threshold", 0.5)
    found: list[Cue] = []
    for i in cue_candidates(doc):
        if doc.norm[i] in WEEKDAYS:
            continue  # "said Monday": a day joins a cue (the extension tables decide), never heads one
        sent = doc.sentence_tokens(i)
        p = cue_score(doc, i, sent, m)
        nxt = doc.norm[i + 1] if i + 1 <= sent[2] else ""
        nominal = doc.norm[i] in NOMINAL_CUES and nxt in ("from", "by")
        # "was shared by X": a reporting verb in the passive with its agent is an attribution
        passive = nxt == "by" and doc.norm[i] in cue_lexicon() and i > 0 and doc.norm[i - 1] in PASSIVE_AUX
        if p < threshold and not (nominal or passive):
            continue
        a, b = expand_cue(doc, i, sent[1], sent[2], m)
        if nominal:
            p, b = max(p, 0.5), max(b, i + 1)  # "statements from Russian officials": a rule, not a guess
        if found and a <= found[-1].end and found[-1].sent == sent:
            # overlapping or touching cue words: one cue ("has made no secret of")
            pa, pb, ph, ps, pp = found[-1]
            found[-1] = Cue(min(pa, a), max(pb, b), ph if pp >= p else i, ps, max(pp, p))
            continue
        found.append(Cue(a, b, i, sent, p))
    return found
