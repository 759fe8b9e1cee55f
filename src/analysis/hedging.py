"""Hedge cues, their category and voice: how sure does the story sound, and who is unsure.

The cues and their context rules are data, in ``lexicons/hedges.csv`` (one row per surface form).
Every cue of the lexicon goes into one compiled alternation; each match is then checked against
the context rules of its row(s), read left to right (the first row whose rules pass wins, so a
cue such as ``if`` can have an ``investigation`` row with a narrow rule before a general
``condition`` row). The columns that drive the checks:

``require_before`` / ``veto_before``
    a regular expression searched in the text just before the cue (same sentence, at most
    ``CONTEXT`` characters); anchor it with ``$``. The cue fires only if ``require_before``
    matches (when given) and ``veto_before`` does not.
``require_after`` / ``veto_after``
    the same, matched at the start of the text just after the cue (anchored there).
``check``
    the name of one of the few rules that a regular expression cannot say well (``not-month``
    for "May"); see ``_CHECKS``.

Expressions are case-sensitive unless they start with ``(?i)``; the cue itself matches in any case.
Voice: a cue inside the content span of an attribution with an identified source is the source's
hedge (``voice='source'``, linked by ``attribution_id``); everything else, including a cue in the
reporting clause itself ("allegedly said"), is the reporter's.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from analysis import lexicon
from analysis.doc import Doc
from analysis.errors import AnalysisError
from analysis.records import Attribution, Hedge

LEXICON = "hedges"
CONTEXT = 80  # characters of context the rules see on each side (within the sentence)
CATEGORIES = ("epistemic", "evidential", "reportative", "doxastic", "speculation", "investigation", "condition")
NOT_COUNTED = {"condition"}  # reported for reading, but an "if" clause is not a hedge
INFERENTIAL = {"evidential", "speculation"}  # as an attribution's cue, these name no speaker


@dataclass(frozen=True)
class _Row:
    cue: str
    category: str
    rule: str  # "hedges.csv:34" (+ " may:not-month" when a coded check is involved)
    require_before: re.Pattern | None
    require_after: re.Pattern | None
    veto_before: re.Pattern | None
    veto_after: re.Pattern | None
    check: Callable[[str, int, int, int], bool] | None

    def fires(self, text: str, start: int, end: int, left: str, right: str, sent_start: int) -> bool:
        if self.require_before is not None and not self.require_before.search(left):
            return False
        if self.require_after is not None and not self.require_after.match(right):
            return False
        if self.veto_before is not None and self.veto_before.search(left):
            return False
        if self.veto_after is not None and self.veto_after.match(right):
            return False
        return self.check is None or self.check(text, start, end, sent_start)


# --- coded checks: only what a context expression cannot say well -------------------------------
_MONTH_AFTER = re.compile(
    r"\s*(?:\d|,?\s*(?:1[89]|20)\d\d\b|(?:and|or|to|through|-|–|—)\s*(?:June|April|July|March)\b)"
)
_MONTH_BEFORE = re.compile(
    r"(?i:\b(?:in|of|on|early|late|mid|last|next|this|since|until|till|by|from|between|during|through|"
    r"throughout|before|after|around|beginning|end|and|or|April|March|June)\s*-?\s*)$"
)
_HEADLINE_VERB = re.compile(
    r"\s+(?:Be|Have|Not|Face|Get|Need|Seek|Lose|Win|Soon|Never|Also|Well|Try|Take|Hold|Move|Delay|Drop|Run|Quit|Back|Join)\b"
)
_OPENERS = "\"'“‘«([—–- "


def _modal_not_month(text: str, start: int, end: int, sent_start: int) -> bool:
    """Lower-case "may" is the modal; capitalised "May" is the month, a name or a wish/permission.

    An epistemic "may" never opens a declarative sentence ("May 3 was ...", "May I ask ...",
    "May was the deadliest month"), and mid-sentence a capital means the month or a surname
    ("in May", "Theresa May"). The one modal use with a capital is a headline in title case
    ("Russia May Face New Sanctions"), recognised by the capitalised verb after it.
    """
    if text[start] == "m":
        return True
    after = text[end : end + 12]
    if not text[sent_start:start].strip(_OPENERS) or _MONTH_AFTER.match(after):
        return False
    return not _MONTH_BEFORE.search(text[max(sent_start, start - 20) : start]) and bool(_HEADLINE_VERB.match(after))


_CHECKS: dict[str, Callable[[str, int, int, int], bool]] = {
    "not-month": _modal_not_month,
}


@dataclass(frozen=True)
class _Engine:
    pattern: re.Pattern
    rows: dict[str, tuple[_Row, ...]]


def _compile_rx(value: str, path: str, line: int, column: str) -> re.Pattern | None:
    if not value:
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise AnalysisError(
            f"analysis: {path} line {line}: column '{column}' is not a valid regular expression ({exc}); fix it"
        ) from None


def _norm(cue: str) -> str:
    return " ".join(cue.lower().split())


@functools.lru_cache(maxsize=4)
def _engine(path: str) -> _Engine:
    name = path.rsplit("/", 1)[-1]
    rows: dict[str, list[_Row]] = {}
    for r in lexicon.load_lexicon(LEXICON):
        line = r["_line"]
        category = r["category"].lower()
        if category not in CATEGORIES:
            raise AnalysisError(
                f"analysis: {path} line {line}: category {r['category']!r} "
                f"is not one of {', '.join(CATEGORIES)}; fix it"
            )
        check_name = r.get("check", "")
        if check_name and check_name not in _CHECKS:
            raise AnalysisError(
                f"analysis: {path} line {line}: check {check_name!r} is unknown; "
                f"use one of {', '.join(_CHECKS)} or leave it empty"
            )
        cue = _norm(r["cue"])
        rule = f"{name}:{line}" + (f" {cue}:{check_name}" if check_name else "")
        rows.setdefault(cue, []).append(
            _Row(
                cue=cue,
                category=category,
                rule=rule,
                require_before=_compile_rx(r.get("require_before", ""), path, line, "require_before"),
                require_after=_compile_rx(r.get("require_after", ""), path, line, "require_after"),
                veto_before=_compile_rx(r.get("veto_before", ""), path, line, "veto_before"),
                veto_after=_compile_rx(r.get("veto_after", ""), path, line, "veto_after"),
                check=_CHECKS.get(check_name),
            )
        )
    pattern = re.compile(rf"(?<!\w){_trie_regex(list(rows))}(?!\w)", re.IGNORECASE) if rows else re.compile(r"(?!x)x")
    return _Engine(pattern, {c: tuple(v) for c, v in rows.items()})


def _trie_regex(cues: list[str]) -> str:
    """One alternation over all cues, factored by common prefixes.

    A flat alternation of ~170 cues makes the regex engine try every cue at every word start; the
    prefix-factored form rejects a position after one or two characters, which keeps hedging
    well under a millisecond per article. Longer continuations come first, so "may or may not"
    wins over "may" at the same position (the trailing word-boundary check makes the engine back off to a
    shorter cue when a longer one does not end on a word boundary).
    """
    trie: dict = {}
    for cue in cues:
        node = trie
        for i, word in enumerate(cue.split()):
            for tok in ([" "] if i else []) + list(word):
                node = node.setdefault(tok, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = []
        for tok in sorted((t for t in node if t), key=lambda t: (t == " ", t)):
            branches.append((r"\s+" if tok == " " else re.escape(tok)) + emit(node[tok]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{emit(trie)})"


def _speakers(attributions: list[Attribution], hedges: list[Hedge]) -> list[tuple[int, int, int | None]]:
    """(content_start, content_end, attribution_id) of the attributions that have a speaker.

    An attribution whose own cue is an evidential or speculation hedge ("the evidence *suggests*
    that ...", "fuelled *speculation* that ...") has no one speaking: what follows stays in the
    reporter's voice. Nor has one whose source the engine could not identify
    (``source_type == 'unresolved'``: "the involvement of the studio suggests that ..."): a hedge
    is put in a source's mouth only when there is a source to name. An attribution without an
    ``attribution_id`` is named by its position, as ``pipeline.extract_article`` numbers them.
    """
    inferential = [(h.start, h.end) for h in hedges if h.category in INFERENTIAL]
    out = []
    for i, a in enumerate(attributions):
        cs, ce = a.content_start, a.content_end
        if cs is None or ce is None or a.source_type == "unresolved":
            continue
        qs, qe = a.cue_start, a.cue_end
        if qs is not None and qe is not None and any(x < qe and y > qs for x, y in inferential):
            continue
        out.append((cs, ce, i if a.attribution_id is None else a.attribution_id))
    return out


def _voice(start: int, end: int, speakers) -> tuple[str, int | None]:
    """The innermost content span holding [start, end) gives the voice; none means the reporter's."""
    best = None
    for cs, ce, aid in speakers:
        if cs <= start and end <= ce and (best is None or ce - cs < best[1] - best[0]):
            best = (cs, ce, aid)
    return ("source", best[2]) if best else ("reporter", None)


def find_hedges(doc: Doc, attributions: list[Attribution] | None = None) -> list[Hedge]:
    """Hedge cues of an article (``article_id`` and ``hedge_id`` left to the pipeline).

    ``attributions``: the article's, with ``attribution_id``, ``content_start``, ``content_end``
    (and ``source_type`` once typed); a cue inside a content span is in the source's voice. Never
    raises on text; the lexicon is checked on load.
    """
    text = doc.text
    if not text:
        return []
    engine = _engine(str(lexicon.lexicon_path(LEXICON)))
    sents = doc.sents
    starts = [s for s, _ in sents]
    attributions = attributions or []
    out: list[Hedge] = []
    for m in engine.pattern.finditer(text):
        start, end = m.span()
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and sents[i][0] <= start and end <= sents[i][1]:
            s_start, s_end = sents[i]
        else:  # a cue outside every given sentence: its own context
            s_start, s_end = start, end
        left = text[max(s_start, start - CONTEXT) : start]
        right = text[end : min(s_end, end + CONTEXT)]
        for row in engine.rows.get(_norm(m.group()), ()):
            if row.fires(text, start, end, left, right, s_start):
                break
        else:
            continue
        out.append(
            Hedge(
                start=start,
                end=end,
                text=text[start:end],
                cue=row.cue,
                category=row.category,
                is_hedge=row.category not in NOT_COUNTED,
                sentence_start=s_start,
                sentence_end=s_end,
                rule=row.rule,
            )
        )
    speakers = _speakers(attributions, out)
    for h in out:
        h.voice, h.attribution_id = _voice(h.start, h.end, speakers)
    return out


def vague_attribution_hedges(attributions: list[Attribution] | None) -> list[Hedge]:
    """Hedging by attribution: one hedge record per attribution to a vague source.

    "Some say", "critics argue", "many believe": the reporter leans on a source nobody can check.
    The record covers the source span (``category='vague-attribution'``, reporter's voice, linked
    by ``attribution_id``); offsets are None where the attribution has no source span. These are
    kept apart from ``find_hedges`` so that ``articles.csv`` counts them once, in their own column.
    """
    return [
        Hedge(
            start=a.source_start,
            end=a.source_end,
            text=a.source_text,
            cue=(a.source_text or "").lower() or None,
            category="vague-attribution",
            attribution_id=a.attribution_id,
            sentence_start=a.sentence_start,
            sentence_end=a.sentence_end,
            rule="attribution:vague-source",
        )
        for a in attributions or []
        if a.source_type == "vague"
    ]
