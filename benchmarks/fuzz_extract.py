"""Fuzzing as a benchmark: does extraction keep its span contract on any text at all?

Feeds --n generated texts (seeded, deterministic; 21 kinds from news-like copy to control
characters, mixed scripts and lone quotation marks) and --huge texts of 1-5 MB through
``analysis.extract`` in batches, and checks every row of the three frames against
:mod:`analysis.schema` (see ``check``): spans inside the text and covering their ``*_text``, the
cue inside its sentence, hedge voice and links, one ``articles`` row per article whose counts
agree with the other frames, contract columns and dtypes. A batch that raises is halved until the
failing texts are single; each is run through ``analysis.extract_article`` for its traceback. A
batch or text past its time limit (SIGALRM) counts as a crash: a hang stops a desk's batch as
surely as a traceback. Each distinct crash (exception type and innermost frame) and each violation
kind is shrunk to a minimal reproducer. Exit 1 on any crash or violation.

    .venv/bin/python benchmarks/fuzz_extract.py [--n 100000] [--seed 0] [--huge 3] [--json out.json]
    .venv/bin/python benchmarks/fuzz_extract.py --show 1234     # text 1234 of the run (same --seed)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import signal
import string
import sys
import time
import traceback
from collections import Counter, defaultdict

import pandas as pd

import analysis
from analysis import schema

# --- generators ------------------------------------------------------------------------------------
# Vocabulary of quote-heavy news copy; "|"-separated to keep the tables short.
FIRST = "John|Maria|Ahmed|Olga|Wei|Siobhan|José|Zoë|Jean-Luc|Nguyễn|Aleksandr|Ana|Kwame|Priya|Theresa|Will".split("|")
LAST = "Smith|García|O’Malley|O'Brien|Müller|Kowalski|al-Rashid|Obama|Putin|May|Lee|İnce|Straße|de la Cruz".split("|")
ROLES = "the mayor|a spokesman for the ministry|chief executive of Acme Corp.|a lawyer for the family".split("|")
TITLES = "Sen.|Dr.|Mr.|Mrs.|Prof.|Gen.|Rep.|President|Lt. Col.".split("|")
ORGS = (
    "the White House|the Kremlin|Reuters|the Associated Press|the U.S. State Department|Acme Inc.|NATO|the U.N.|"
    "police|the ministry|a report by the IMF|The New York Times"
).split("|")
VAGUE = (
    "some|critics|experts|many|observers|people familiar with the matter|a source|an official who spoke on "
    "condition of anonymity because he was not authorized to speak publicly"
).split("|")
PRONOUNS = "he|she|they|He|She|It|We".split("|")
CUES = (
    "said|says|told reporters|added|claimed|argued|warned|insisted|noted|believes|thinks|suggested|stated|"
    "announced|denied|wrote|tweeted|explained|acknowledged|told The Guardian|said in a statement|would say"
).split("|")
HEDGES = (
    "may|might|could|possibly|perhaps|reportedly|allegedly|appears to|seems to|is likely to|is unlikely to|"
    "probably|apparently|would|suggests"
).split("|")
CLAUSES = (
    "the economy {h} grow by 3 percent next year|the talks {h} collapse before May 5|the vaccine {h} be safe|"
    "nobody knew what happened|it was {h} a mistake|prices {h} rise if the war continues|the evidence {h} point "
    "to fraud|I don't think we {h} win|the bridge was closed at 5 p.m. on Jan. 3|the U.S. {h} impose sanctions|"
    "her account {h} have been hacked"
).split("|")
# (open, close) pairs: straight, curly, guillemets, German, single, wire-copy `` '', and mismatched
QUOTES = [tuple(p.split(" ")) for p in "\" \"|“ ”|« »|„ “|‘ ’|`` ''|' '|” ”".split("|")]
FOREIGN = (
    "Москва|сказал|«Мы победим», — сказал Путин.|北京|他说：“我们会赢。”|「はい」と言った|قال الرئيس|«نحن»|שלום|"
    "Ελλάδα|नमस्ते|한국어|İstanbul|Straße|ﬁnance|ｓａｉｄ|e\u0301|a\u0300\u0301\u0302\u0303\u0304|👍|👨‍👩‍👧|🇺🇦|👋🏽|\U0001d54a"
).split("|")
# bidi and invisible marks, no-break and ideographic spaces
MARKS = list(
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\u00ad\u00a0\u3000\u2009"
)
CONTROLS = [chr(c) for c in range(0x20)] + list("\x7f\x85\x9f\u2028\u2029\ufeff\ufffd")
PUNCT = string.punctuation + "—–…«»“”‘’„‚‹›¿¡·•′″§¶†‡※。，、！？「」『』"
QUOTE_ONLY = [*"\"“”‘’'«»„‚‹›「」", "``", "''"]
BLANKS = ["", " ", "\n", "\r\n", "\t\t", "\u3000", "\xa0", "\u2028", "\ufeff", "\x0b\x0c", "\r", " \n \n "]
# {O} {C}: the quotation marks; {s} speaker, {c} cue, {q} a clause ({Q} capitalised), {q2} another, {org}
TEMPLATES = (
    "{O}{Q},{C} {s} {c}.|{O}{q},{C} {c} {s}.|{s} {c} {q}.|{s} {c} that {q}.|According to {org}, {q}.|"
    "{Q}, {s} {c}.|{s} {c}: {O}{q}.{C}|{s}: {O}{q}{C}|{O}{q}.{C}|{O}{q}|{s} {c} {O}{q}{C} and {O}{q2}.{C}|{Q}.|"
    "{s}, who spoke on condition of anonymity because {q2}, {c} {q}.|The report, published by {org}, {c} {q}."
).split("|")


def speaker(r: random.Random) -> str:
    name = f"{r.choice(FIRST)} {r.choice(LAST)}"
    forms = [name, f"{r.choice(TITLES)} {name}", f"{name}, {r.choice(ROLES)},", r.choice(PRONOUNS)]
    return r.choice([*forms, r.choice(ORGS), r.choice(VAGUE), r.choice(LAST)])


def clause(r: random.Random) -> str:
    return r.choice(CLAUSES).format(h=r.choice(HEDGES))


def sentence(r: random.Random, oq: str, cq: str) -> str:
    q = clause(r)
    fields = {"O": oq, "C": cq, "s": speaker(r), "c": r.choice(CUES), "q": q, "Q": q[0].upper() + q[1:]}
    return r.choice(TEMPLATES).format(**fields, q2=clause(r), org=r.choice(ORGS))


def g_news(r: random.Random, paras: int = 0) -> str:
    out = [f"{r.choice(LAST)} says {clause(r)}"] if r.random() < 0.3 else []  # a headline
    for _ in range(paras or r.randint(1, 10)):
        oq, cq = r.choice(QUOTES) if r.random() < 0.5 else QUOTES[r.randrange(2)]
        out.append(" ".join(sentence(r, oq, cq) for _ in range(r.randint(1, 4))))
    return r.choice(["\n\n", "\n"]).join(out)


def _short(r):
    return g_news(r, r.randint(1, 4))


def _insert(r, text, items, k):
    chars = list(text)
    for _ in range(k):
        chars.insert(r.randint(0, len(chars)), r.choice(items))
    return "".join(chars)


def g_unbalanced_quotes(r):
    t = _short(r)
    idx = [i for i, ch in enumerate(t) if ch in "\"“”«»„‘’'"]
    drop = set(r.sample(idx, min(len(idx), r.randint(1, 3))))
    return _insert(r, "".join(ch for i, ch in enumerate(t) if i not in drop), QUOTE_ONLY, r.randint(0, 3))


def g_stray_qmark(r):  # marks lost in a bad conversion: "?, U+FFFD, mojibake
    bad = ['"?', "?", "\ufffd", "â€œ", "â€\x9d", "â€™", '?"', '"?"']
    return "".join(r.choice(bad) if ch in "\"“”‘’'" and r.random() < 0.7 else ch for ch in _short(r))


def g_mixed_scripts(r):
    words = _short(r).split(" ")
    for _ in range(r.randint(1, 1 + len(words) // 3)):
        i = r.randrange(len(words))
        words[i] = r.choice([r.choice(FOREIGN), words[i] + r.choice(MARKS), r.choice(MARKS) + words[i]])
    return " ".join(words)


def g_control_chars(r):
    return _insert(r, g_news(r, r.randint(1, 3)), CONTROLS, r.randint(1, 30))


def g_long_words(r):
    t, n = g_news(r, r.randint(1, 3)).split(" "), r.choice([200, 2000, 20000])
    letters = "".join(r.choice(string.ascii_letters) for _ in range(n))
    longs = ["a" * n, "said" * (n // 4), "-x" * (n // 2), "“" * n, "'" * n, letters, "https://e.com/" + "a/" * (n // 2)]
    t.insert(r.randint(0, len(t)), r.choice([*longs, "A." * (n // 2)]))
    return " ".join(t)


def g_no_whitespace(r):
    return "".join(_short(r).split())


def g_only_punctuation(r):
    return "".join(r.choice(PUNCT + " \n") for _ in range(r.randint(1, 400)))


def g_blank(r):
    return "".join(r.choice(BLANKS) for _ in range(r.randint(0, 4)))


def g_said_repeated(r):
    w = r.choice('said|Said|SAID|says|according to|told|said,|"said"|“said”|said:|he said|Smith said|said "'.split("|"))
    return r.choice([" ", "\n", "", ". ", ", "]).join([w] * r.randint(1, 300))


def g_html(r):
    tags = (
        '<p>{}</p>|<blockquote>{}</blockquote>|<div class="x">{}|{}<br/>|<a href="/said">{}</a>|<!-- {} -->|'
        "<script>var s = \"{}\";</script>|<p class='q'>&ldquo;{}&rdquo;</p>|{}&quot;&amp;"
    ).split("|")
    return "".join(r.choice(tags).format(p) for p in _short(r).split("\n"))


def g_only_quotes(r):
    return "".join(r.choice([*QUOTE_ONLY, " ", "\n", ""]) for _ in range(r.randint(1, 300)))


def g_newline_variants(r):
    t = g_news(r, r.randint(2, 6))
    nl = r.choice(["\r\n", "\r", "\u2028", "\x85", "\x0b", "\x0c", "\n\n\n\n", " \n ", None])
    if nl is None:  # mixed within one text
        return "".join(r.choice(["\r\n", "\r", "\n", "\n\r"]) if ch == "\n" else ch for ch in t)
    return t.replace("\n", nl)


def g_random_unicode(r):  # any code point but the surrogates, which UTF-8 text cannot hold
    ranges = [(0x20, 0x7E), (0xA0, 0x2FFF), (0x3000, 0xD7FF), (0xE000, 0xFFFF), (0x10000, 0x10FFFF)]
    return "".join(chr(r.randint(*r.choice(ranges))) for _ in range(r.randint(0, 300)))


def g_mutated(r):  # delete, duplicate, insert, rotate: 1-20 edits
    t = _short(r)
    for _ in range(r.randint(1, 20)):
        if not t:
            break
        a = r.randrange(len(t))
        b = min(len(t), a + r.randint(1, 40))
        t = r.choice([t[:a] + t[b:], t[:b] + t[a:b] + t[b:], t[:a] + r.choice(PUNCT + " \n") + t[a:], t[b:] + t[:b]])
    return t


def g_case(r):
    t = _short(r)
    return r.choice([t.upper(), t.lower(), t.title(), t.swapcase()])


def g_truncated(r):
    t = g_news(r, r.randint(1, 3))
    return t[: r.randint(0, len(t))]


def g_glued(r):
    return "".join("" if ch == " " and r.random() < 0.5 else ch for ch in _short(r))


def g_mixed_marks(r):
    return "".join(r.choice(QUOTE_ONLY) if ch in '"“”«»„‘’' else ch for ch in _short(r))


def g_continued_quote(r):  # the news convention: a quote over paragraphs opens each, closes the last
    oq, cq = r.choice(QUOTES[:3])
    paras = [f"{oq}{clause(r)}." for _ in range(r.randint(2, 6))]
    paras[-1] += cq + r.choice(["", f" {speaker(r)} {r.choice(CUES)}.", f" {r.choice(CUES)} {speaker(r)}."])
    return "\n\n".join([f"{speaker(r)} {r.choice(CUES)}:", *paras])


def g_big_paragraph(r):  # 4-16k characters in one paragraph: costs that grow faster than the text
    out, size = [], r.randint(4_000, 16_000)
    while sum(map(len, out)) < size:
        out.append(sentence(r, *r.choice(QUOTES)))
    return " ".join(out)


_KIND_WEIGHTS = (
    "news 20 unbalanced_quotes 8 stray_qmark 6 mixed_scripts 8 control_chars 6 long_words 3 no_whitespace 4 "
    "only_punctuation 4 blank 3 said_repeated 4 html 5 only_quotes 4 newline_variants 6 random_unicode 4 mutated 8 "
    "case 3 truncated 4 glued 4 mixed_marks 4 continued_quote 3 big_paragraph 1"
).split()
KINDS = {k: (globals()[f"g_{k}"], int(w)) for k, w in zip(_KIND_WEIGHTS[::2], _KIND_WEIGHTS[1::2])}
_NAMES = list(KINDS)
_WEIGHTS = [w for _, w in KINDS.values()]


def generate(seed: int, i: int) -> tuple[str, str]:
    """Text number ``i`` of the run with ``seed``: (kind, text). Each text has its own RNG."""
    r = random.Random(seed * 1_000_003 + i)
    kind = r.choices(_NAMES, _WEIGHTS)[0]
    return kind, KINDS[kind][0](r)


HUGE_KINDS = ["huge_news", "huge_one_paragraph", "huge_open_quote", "huge_no_space", "huge_quotes_only"]


def generate_huge(seed: int, j: int, n: int) -> tuple[str, str]:
    """Huge text ``j`` of ``n``: 1 MB to 5 MB, the kinds in turn."""
    r = random.Random(f"huge:{seed}:{j}")
    size = int(1e6 + (4e6 * j / (n - 1) if n > 1 else 0))
    kind = HUGE_KINDS[j % len(HUGE_KINDS)]
    parts, total = [], 0
    while total < size:
        p = g_only_quotes(r) if kind == "huge_quotes_only" else g_news(r)
        parts.append(p)
        total += len(p) + 2
    sep = "\n\n" if kind == "huge_news" else " "
    text = sep.join(parts)[:size]
    if kind == "huge_open_quote":
        text = "“" + text.replace("”", "").replace('"', "")
    elif kind == "huge_no_space":
        text = "".join(text.split())
    return kind, text


# --- checks ----------------------------------------------------------------------------------------
ROLES_ATTR = ("cue", "source", "content", "sentence", "speaker")
TEXT_COL = {"cue": "cue_text", "source": "source_text", "content": "content_text"}
VOICES = {"reporter", "source"}


def _v(x):
    """A frame cell as a plain value: None for any missing marker."""
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return None
    return x


def _span(row, s, e, n, name, bad):
    """Check one span; return it as (start, end) when usable, else None."""
    a, b = _v(row.get(s)), _v(row.get(e))
    if a is None and b is None:
        return None
    if a is None or b is None:
        bad(f"{name}.half_present")
        return None
    if not (0 <= a < b <= n):
        bad(f"{name}.empty" if a == b and 0 <= a <= n else f"{name}.out_of_range")
        return None
    return a, b


def check(ids: list[str], texts: dict, frames, report) -> None:
    """Check a batch's frames; ``report(kind, article_id, detail)`` records each violation.

    attributions: per role (cue, source, content, sentence, speaker) start and end both present or
    both absent, 0 <= start < end <= len(text); cue_text / source_text / content_text equal
    text[start:end] and are present exactly when their span is; a cue, inside its sentence;
    attribution_id present and unique per article; source_type one of schema.SOURCE_TYPES.
    hedges: a span (only a 'vague-attribution' hedge may lack one) inside the text and its
    sentence, text == text[start:end]; voice 'reporter' or 'source'; attribution_id, when set, an
    attribution of the same article, which 'source' voice needs and whose content holds the hedge.
    articles: one row per article; n_words >= 0; n_attributions, n_hedges, n_hedges_reporter and
    n_hedges_source agree with the rows of the other frames; rates finite and >= 0.
    """
    for name in schema.FRAME_NAMES:
        df = getattr(frames, name)
        want = schema.columns(name)
        if list(df.columns[: len(want)]) != want:
            report(f"{name}.schema.columns", ids[0], list(df.columns))
            return
        types = schema.dtypes(name)
        for c in want:
            if str(df[c].dtype) != str(types[c]):
                report(f"{name}.schema.dtype:{c}", ids[0], f"{df[c].dtype} != {types[c]}")
    id_set = set(ids)
    content = defaultdict(dict)  # article -> attribution_id -> content span
    n_attr = Counter()
    for row in frames.attributions.to_dict("records"):
        aid = row["article_id"]
        text = texts.get(aid)
        if text is None:
            report("attributions.unknown_article", aid, row["article_id"])
            continue

        def bad(k, aid=aid, row=row):
            report(f"attributions.{k}", aid, {c: row[c] for c in row if c.endswith(("start", "end", "text"))})

        n_attr[aid] += 1
        spans = {role: _span(row, f"{role}_start", f"{role}_end", len(text), role, bad) for role in ROLES_ATTR}
        for role, col in TEXT_COL.items():
            got, sp = _v(row[col]), spans[role]
            if sp is not None and got != text[sp[0] : sp[1]]:
                bad(f"{role}.text_mismatch" if got is not None else f"{role}.span_without_text")
            elif sp is None and got is not None and _v(row[f"{role}_start"]) is None:
                bad(f"{role}.text_without_span")
        if spans["cue"] is None and _v(row["cue_start"]) is None:
            bad("cue.missing")
        cue, sent = spans["cue"], spans["sentence"]
        if cue and sent and not (sent[0] <= cue[0] and cue[1] <= sent[1]):
            bad("cue.outside_sentence")
        if _v(row["source_type"]) is not None and row["source_type"] not in schema.SOURCE_TYPES:
            bad("source_type.unknown")
        at_id = _v(row["attribution_id"])
        if at_id is None:
            bad("attribution_id.missing")
        elif at_id in content[aid]:
            bad("attribution_id.duplicate")
        else:
            content[aid][at_id] = spans["content"]
    n_hedge, n_rep, n_src, hedge_ids = Counter(), Counter(), Counter(), defaultdict(set)
    for row in frames.hedges.to_dict("records"):
        aid = row["article_id"]
        text = texts.get(aid)
        if text is None:
            report("hedges.unknown_article", aid, row["article_id"])
            continue

        def bad(k, aid=aid, row=row):
            report(f"hedges.{k}", aid, {c: row[c] for c in ("start", "end", "text", "voice", "attribution_id")})

        sp = _span(row, "start", "end", len(text), "span", bad)
        if sp is None and _v(row["start"]) is None and row["category"] != "vague-attribution":
            bad("span.missing")
        if sp is not None and _v(row["text"]) != text[sp[0] : sp[1]]:
            bad("span.text_mismatch")
        sent = _span(row, "sentence_start", "sentence_end", len(text), "sentence", bad)
        if sp and sent and not (sent[0] <= sp[0] and sp[1] <= sent[1]):
            bad("span.outside_sentence")
        voice, link = _v(row["voice"]), _v(row["attribution_id"])
        if voice not in VOICES:
            bad("voice.unknown")
        if link is not None and link not in content[aid]:
            bad("attribution_id.dangling")
        elif voice == "source" and link is None:
            bad("voice.source_without_attribution")
        elif voice == "source" and sp and (c := content[aid][link]) and not (c[0] <= sp[0] and sp[1] <= c[1]):
            bad("voice.source_outside_content")
        hid = _v(row["hedge_id"])
        if hid is None or hid in hedge_ids[aid]:
            bad("hedge_id.missing_or_duplicate")
        hedge_ids[aid].add(hid)
        if _v(row["is_hedge"]) is None:
            bad("is_hedge.missing")
        elif row["is_hedge"]:
            n_hedge[aid] += 1
            (n_rep if voice == "reporter" else n_src)[aid] += 1
    arts = frames.articles
    tallies = {"n_attributions": n_attr, "n_hedges": n_hedge, "n_hedges_reporter": n_rep, "n_hedges_source": n_src}
    seen = Counter(arts["article_id"])
    for aid in id_set:
        if seen[aid] != 1:
            report("articles.rows_per_article", aid, seen[aid])
    for aid in set(seen) - id_set:
        report("articles.unknown_article", aid, seen[aid])
    for row in arts.to_dict("records"):
        aid = row["article_id"]
        if _v(row["n_words"]) is None or row["n_words"] < 0:
            report("articles.n_words", aid, row["n_words"])
        for col, want in tallies.items():
            if _v(row[col]) != want[aid]:
                report(f"articles.{col}_mismatch", aid, f"{row[col]} != {want[aid]} rows")
        for col in ("hedges_per_1k_words", "reporter_hedges_per_1k_words"):
            x = _v(row[col])
            if x is None or not math.isfinite(x) or x < 0:
                report(f"articles.{col}", aid, x)


# --- running ---------------------------------------------------------------------------------------
class Timeout(BaseException):
    """A time limit; a BaseException so that the engine's ``except Exception`` cannot swallow it."""


def _alarm(*_):
    raise Timeout("time limit exceeded")


def limited(seconds: float, fn, *args):
    """``fn(*args)`` under a SIGALRM time limit (raises Timeout)."""
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def frame_of(ids, texts):
    return pd.DataFrame({"article_id": ids, "text": [texts[i] for i in ids]})


def crash_of(aid: str, text: str, seconds: float) -> dict | None:
    """Run one text through ``extract_article``: None, or what it raised and where."""
    try:
        limited(seconds, analysis.extract_article, aid, text)
        return None
    except (Exception, Timeout) as err:  # noqa: BLE001 - every failure is a finding
        tb = traceback.extract_tb(err.__traceback__)
        inner = [f for f in tb if "/analysis/" in f.filename] or tb
        where = f"{os.path.basename(inner[-1].filename)}:{inner[-1].lineno} in {inner[-1].name}" if inner else "?"
        last = " ".join(traceback.format_exception_only(type(err), err)[-1].split())
        return {"key": f"{type(err).__name__} at {where}", "last_line": last[:300]}


def violations_of(text: str, seconds: float) -> set[str]:
    """The violation kinds of one text (empty when it crashes)."""
    found = set()
    try:
        frames = limited(seconds, analysis.extract, frame_of(["x"], {"x": text}))
    except (Exception, Timeout):  # noqa: BLE001
        return found
    check(["x"], {"x": text}, frames, lambda k, a, d: found.add(k))
    return found


def shrink(text: str, still: callable, budget: float) -> str:
    """Delta debugging: drop chunks of ``text`` while ``still(text)`` holds, within ``budget`` s."""
    stop = time.monotonic() + budget
    n = 2
    while len(text) >= 2 and time.monotonic() < stop:
        size = max(1, len(text) // n)
        for a in range(0, len(text), size):
            cand = text[:a] + text[a + size :]
            if time.monotonic() >= stop:
                break
            if still(cand):
                text, n = cand, max(n - 1, 2)
                break
        else:
            if size == 1:
                break
            n = min(n * 2, len(text))
    return text


class Run:
    """The findings of one run: crashes by (type, innermost frame), violations by kind, examples."""

    def __init__(self, args):
        self.args = args
        self.crashes: dict[str, dict] = {}
        self.violations: dict[str, dict] = {}
        self.kinds = Counter()
        self.chars = 0
        self.kind_of: dict[str, str] = {}  # article id -> text kind, for the batch being checked
        self.kept: dict[str, str] = {}  # the texts of each finding's first example, to shrink
        self.huge: list[dict] = []

    def report(self, kind, aid, detail):
        v = self.violations.setdefault(kind, {"count": 0, "examples": []})
        v["count"] += 1
        if len(v["examples"]) < self.args.examples:
            v["examples"].append({"article_id": aid, "text_kind": self.kind_of.get(aid), "detail": repr(detail)[:300]})

    def crash(self, aid, text, info):
        c = self.crashes.setdefault(info["key"], {"count": 0, "last_line": info["last_line"], "examples": []})
        c["count"] += 1
        if len(c["examples"]) < self.args.examples:
            example = {"article_id": aid, "text_kind": self.kind_of.get(aid), "len": len(text)}
            c["examples"].append({**example, "repr": repr(text[:120])})

    def counts(self) -> tuple[int, int]:
        return sum(c["count"] for c in self.crashes.values()), sum(v["count"] for v in self.violations.values())

    def batch(self, ids, texts, seconds):
        """Extract a batch; on a failure split it in halves until the failing texts are single."""
        try:
            frames = limited(seconds, analysis.extract, frame_of(ids, texts))
        except (Exception, Timeout) as err:  # noqa: BLE001
            if len(ids) > 1 and not isinstance(err, Timeout):
                half = len(ids) // 2
                self.batch(ids[:half], texts, seconds)
                self.batch(ids[half:], texts, seconds)
            elif len(ids) > 1:  # a hang: run each text on its own, under the per-text limit
                for aid in ids:
                    self.batch([aid], texts, self.args.text_timeout)
            else:
                info = crash_of(ids[0], texts[ids[0]], self.args.text_timeout) or {
                    "key": f"{type(err).__name__} in analysis.extract only",
                    "last_line": " ".join(traceback.format_exception_only(type(err), err)[-1].split())[:300],
                }
                self.crash(ids[0], texts[ids[0]], info)
            return
        check(ids, texts, frames, self.report)

    def feed(self, ids, kinds, texts, seconds):
        self.kind_of = dict(zip(ids, kinds))
        self.kinds.update(kinds)
        self.chars += sum(map(len, texts.values()))
        self.batch(ids, texts, seconds)
        firsts = {
            e["article_id"] for d in (*self.violations.values(), *self.crashes.values()) for e in d["examples"][:1]
        }
        self.kept.update({a: texts[a] for a in firsts & set(ids)})

    def generated(self):
        a = self.args
        t0 = time.perf_counter()
        for lo in range(0, a.n, a.batch):
            ids = [f"t{i}" for i in range(lo, min(a.n, lo + a.batch))]
            kinds, texts = zip(*(generate(a.seed, i) for i in range(lo, lo + len(ids))))
            before = self.counts()
            self.feed(ids, kinds, dict(zip(ids, texts)), a.batch_timeout)
            done, (nc, nv) = lo + len(ids), self.counts()
            if done % (a.batch * 10) == 0 or done == a.n or (nc, nv) != before:
                dt = time.perf_counter() - t0
                print(
                    f"  {done:>8,} texts  {dt:7.1f} s  {done / dt:7.0f} texts/s  crashes {nc}  violations {nv}",
                    flush=True,
                )
        return time.perf_counter() - t0

    def huge_texts(self, short_rate: float):
        for j in range(self.args.huge):
            kind, text = generate_huge(self.args.seed, j, self.args.huge)
            t = time.perf_counter()
            self.feed([f"huge{j}"], [kind], {f"huge{j}": text}, self.args.huge_timeout)
            dt = time.perf_counter() - t
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rel = len(text) / dt / (short_rate or 1)  # far below 1: the time grows faster than the text
            self.huge.append(
                {"kind": kind, "chars": len(text), "seconds": round(dt, 2), "chars_per_s": round(len(text) / dt),
                 "rate_vs_short_texts": round(rel, 3), "peak_rss_mb_so_far": round(rss)}
            )  # fmt: skip
            print(
                f"  huge {kind:<20} {len(text) / 1e6:5.2f} MB  {dt:7.1f} s  {len(text) / dt / 1e3:6.0f} k chars/s "
                f"({rel:.2f} x the short texts' rate)  peak RSS so far {rss:.0f} MB",
                flush=True,
            )

    def minimize(self):
        budget = self.args.minimize_seconds
        for key, c in self.crashes.items():
            text = self.kept.get(c["examples"][0]["article_id"])
            if key.startswith("Timeout") or text is None or len(text) > 200_000:
                continue  # a hang or a huge text would take hours to shrink
            c["minimal"] = repr(shrink(text, lambda t, k=key: (crash_of("x", t, 10) or {}).get("key") == k, budget))
        for kind, v in self.violations.items():
            text = self.kept.get(v["examples"][0]["article_id"])
            if text is not None and len(text) <= 200_000:
                v["minimal"] = repr(shrink(text, lambda t, k=kind: k in violations_of(t, 10), budget))


def summary(run: Run) -> None:
    n_crash, n_viol = run.counts()
    print(f"crashes: {n_crash} ({len(run.crashes)} distinct)")
    for key, c in sorted(run.crashes.items(), key=lambda kv: -kv[1]["count"]):
        print(f"  {c['count']:>7}  {key}\n           {c['last_line']}")
        for e in c["examples"]:
            print(f"           e.g. {e['article_id']} ({e['text_kind']}, {e['len']} chars): {e['repr']}")
        if "minimal" in c:
            print(f"           minimal: {c['minimal'][:300]}")
    print(f"contract violations: {n_viol} ({len(run.violations)} kinds)")
    for kind, v in sorted(run.violations.items(), key=lambda kv: -kv[1]["count"]):
        print(f"  {v['count']:>7}  {kind}")
        for e in v["examples"]:
            print(f"           e.g. {e['article_id']} ({e['text_kind']}): {e['detail']}")
        if "minimal" in v:
            print(f"           minimal: {v['minimal'][:300]}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=100_000, help="generated texts (default 100,000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--huge", type=int, default=3, help="texts of 1-5 MB, each run alone (default 3)")
    p.add_argument("--batch", type=int, default=1000, help="texts per analysis.extract call")
    p.add_argument("--batch-timeout", type=float, default=300, help="seconds before a batch counts as hung")
    p.add_argument("--text-timeout", type=float, default=30, help="seconds per text when a batch hung")
    p.add_argument("--huge-timeout", type=float, default=900, help="seconds per huge text")
    p.add_argument("--examples", type=int, default=3, help="examples kept per crash / violation kind")
    p.add_argument("--no-minimize", action="store_true", help="skip shrinking findings to reproducers")
    p.add_argument("--minimize-seconds", type=float, default=20, help="budget per finding for shrinking")
    p.add_argument("--show", type=int, metavar="INDEX", help="print text INDEX (kind and repr) and exit")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = p.parse_args(argv)
    if args.show is not None:
        kind, text = generate(args.seed, args.show)
        print(f"{kind}, {len(text)} chars:\n{text!r}")
        return 0
    signal.signal(signal.SIGALRM, _alarm)
    run, load0 = Run(args), os.getloadavg()
    print(
        f"fuzz_extract: {args.n:,} texts + {args.huge} huge, seed {args.seed}, batches of {args.batch}, "
        f"analysis {analysis.__version__}, Python {platform.python_version()}, load {load0[0]:.2f}",
        flush=True,
    )
    t0 = time.perf_counter()
    t_short = run.generated()
    short_chars = run.chars
    run.huge_texts(short_chars / t_short if args.n else 0.0)
    elapsed = time.perf_counter() - t0
    if not args.no_minimize and (run.crashes or run.violations):
        print("shrinking findings to minimal reproducers ...", flush=True)
        run.minimize()
    n_crash, n_viol = run.counts()
    rate = args.n / t_short if args.n else 0.0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\ntexts {args.n + args.huge:,} ({run.chars / 1e6:.1f} M chars)  time {elapsed:.1f} s  "
        f"short texts: {rate:.0f} texts/s, {short_chars / max(t_short, 1e-9) / 1e3:.0f} k chars/s "
        "(generation and checks included)  "
        f"peak RSS {rss:.0f} MB  load {load0[0]:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    print("texts by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(run.kinds.items())))
    summary(run)
    if args.json:
        out = {"args": vars(args), "analysis": analysis.__version__, "python": platform.python_version(),
               "texts": args.n + args.huge, "chars": run.chars, "seconds": round(elapsed, 2),
               "texts_per_s": round(rate, 1), "peak_rss_mb": round(rss), "kinds": dict(run.kinds), "huge": run.huge,
               "n_crashes": n_crash, "n_violations": n_viol, "crashes": run.crashes, "violations": run.violations,
               "loadavg": [load0, os.getloadavg()]}  # fmt: skip
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1, ensure_ascii=False, default=str)
    return 1 if n_crash or n_viol else 0


if __name__ == "__main__":
    sys.exit(main())
