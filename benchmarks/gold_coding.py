"""Hand-coding demo-corpus articles blind: pick the articles, show them to a coder, check the coding.

A coder never sees the tool's output on the articles being coded: this script does not import
``analysis``; it reads the demo corpus CSV (``make data``) directly.

    python benchmarks/gold_coding.py select                 # -> tests/data/demo_gold_articles.csv
    python benchmarks/gold_coding.py show ARTICLE_ID        # the text, one sentence-ish line each, with offsets
    python benchmarks/gold_coding.py check FILE.json [...]  # spans match the text, labels are known
    python benchmarks/gold_coding.py collect DIR [...]      # coded JSON files -> tests/data/demo_gold_*.csv
    python benchmarks/gold_coding.py collect --second DIR   # a second coder -> tests/data/demo_gold_second_*.csv

The coding guide is docs/gold_coding.md. One JSON file per article and coder::

    {"article_id": "1467", "coder": "helper-3", "coded_at": "2026-12-03T18:20Z",
     "attributions": [{"id": 1, "cue": {"start": 236, "end": 248, "text": "according to"},
                       "source": {...} | null, "content": {...} | null,
                       "source_type": "person", "speaker": "Pyotr Ilyichev", "speaker_title": "...",
                       "gender": "male", "gender_evidence": "pronoun 'he'", "note": ""}],
     "hedges": [{"start": 10, "end": 15, "text": "could", "category": "epistemic",
                 "voice": "reporter", "attribution_id": null, "note": ""}]}
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "data" / "external" / "news_articles.csv"
DATA = REPO / "tests" / "data"
ARTICLES = DATA / "demo_gold_articles.csv"
SALT = "demo-gold-2026-12"
PER_OUTLET = 6  # 3 blind + 3 tune
WORDS = (150, 700)  # long enough to hold attributions, short enough to code by hand
SOURCE_TYPES = {"person", "organisation", "media", "document", "anonymous", "vague", "none"}
GENDERS = {"female", "male", "unknown"}
HEDGE_CATEGORIES = {"epistemic", "evidential", "reportative", "doxastic", "speculation", "investigation", "condition"}
VOICES = {"reporter", "source", "interview"}
_WORD = re.compile(r"\w+")


def corpus() -> dict[str, dict]:
    if not CORPUS.exists():
        sys.exit(f"gold_coding: {CORPUS} not found; run 'make data' first")
    csv.field_size_limit(1 << 30)
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        return {r["article_id"]: r for r in csv.DictReader(fh)}


def select() -> int:
    rows = corpus()
    taken = set()
    for name in ("intl_attributions_articles.csv",):
        with (DATA / name).open(encoding="utf-8") as fh:
            taken |= {r["article_id"] for r in csv.DictReader(fh)}
    by_outlet: dict[str, list[tuple[str, str, int]]] = {}
    for aid, r in rows.items():
        n = len(_WORD.findall(r["text"]))
        if aid in taken or not WORDS[0] <= n <= WORDS[1]:
            continue
        key = hashlib.sha1(f"{SALT}:{aid}".encode()).hexdigest()
        by_outlet.setdefault(r["outlet"], []).append((key, aid, n))
    out = []
    for outlet in sorted(by_outlet):
        for k, (_, aid, n) in enumerate(sorted(by_outlet[outlet])[:PER_OUTLET]):
            out.append(
                {"article_id": aid, "outlet": outlet, "split": "blind" if k < PER_OUTLET // 2 else "tune", "n_words": n}
            )
    with ARTICLES.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    print(f"wrote {ARTICLES.relative_to(REPO)}: {len(out)} articles, {len(by_outlet)} outlets")
    return 0


def show(aid: str) -> int:
    r = corpus().get(aid)
    if r is None:
        sys.exit(f"gold_coding: no article {aid!r} in {CORPUS}")
    text = r["text"]
    print(f"# article {aid} | {r['outlet']} | {r.get('published', '')} | {r.get('title', '')}")
    print(f"# {len(text)} characters; each line: start offset, then the text from there")
    start = 0
    for m in re.finditer(r"(?<=[.!?\"”])\s+(?=\S)", text):
        print(f"[{start:>5}] {text[start : m.start()]}")
        start = m.end()
    print(f"[{start:>5}] {text[start:]}")
    return 0


def _span_problems(text: str, span, where: str) -> list[str]:
    if span is None:
        return []
    if not isinstance(span, dict) or not {"start", "end", "text"} <= set(span):
        return [f"{where}: a span needs start, end and text"]
    s, e, t = span["start"], span["end"], span["text"]
    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
        return [f"{where}: offsets {s}..{e} are not inside the text (0..{len(text)})"]
    if text[s:e] != t:
        hits = [m.start() for m in re.finditer(re.escape(t), text)] if t else []
        hint = f"; {t!r} occurs at {hits[:6]}" if hits else f"; {t!r} does not occur in the text"
        return [f"{where}: text[{s}:{e}] is {text[s:e]!r}, not {t!r}{hint}"]
    return []


def check_file(path: Path, rows: dict[str, dict]) -> list[str]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        return [f"{path}: not readable JSON ({err})"]
    aid = str(doc.get("article_id", ""))
    if aid not in rows:
        return [f"{path}: unknown article_id {aid!r}"]
    text = rows[aid]["text"]
    problems = []
    for key in ("coder", "coded_at"):
        if not doc.get(key):
            problems.append(f"{path}: '{key}' is missing")
    ids = set()
    for i, a in enumerate(doc.get("attributions", [])):
        where = f"{path} attribution {a.get('id', i)}"
        ids.add(a.get("id"))
        if a.get("cue") is None:
            problems.append(f"{where}: every attribution has a cue")
        for role in ("cue", "source", "content"):
            problems += _span_problems(text, a.get(role), f"{where} {role}")
        for extra in a.get("content_more", []) or []:
            problems += _span_problems(text, extra, f"{where} content_more")
        if a.get("source_type") not in SOURCE_TYPES:
            problems.append(f"{where}: source_type {a.get('source_type')!r} is not one of {sorted(SOURCE_TYPES)}")
        if a.get("source_type") == "person" and a.get("gender") not in GENDERS:
            problems.append(f"{where}: a person source needs gender, one of {sorted(GENDERS)}")
    for i, h in enumerate(doc.get("hedges", [])):
        where = f"{path} hedge {i}"
        problems += _span_problems(text, h, where)
        if h.get("category") not in HEDGE_CATEGORIES:
            problems.append(f"{where}: category {h.get('category')!r} is not one of {sorted(HEDGE_CATEGORIES)}")
        if h.get("voice") not in VOICES:
            problems.append(f"{where}: voice {h.get('voice')!r} is not one of {sorted(VOICES)}")
        if h.get("voice") in ("source", "interview") and h.get("attribution_id") not in ids | {None}:
            problems.append(f"{where}: attribution_id {h.get('attribution_id')!r} names no attribution of this file")
    return problems


def check(paths: list[str]) -> int:
    rows = corpus()
    problems = [p for path in paths for p in check_file(Path(path), rows)]
    print("\n".join(problems) if problems else f"ok: {len(paths)} file(s)")
    return 1 if problems else 0


def _cell(span, key):
    return "" if span is None else span[key]


def collect(folders: list[str], prefix: str = "demo_gold") -> int:
    """Coded JSON files -> PREFIX_attributions.csv and PREFIX_hedges.csv (offsets, short texts;
    ``content_more``: the further parts of a split content as ``start-end;start-end``)."""
    rows = corpus()
    meta = {}
    with ARTICLES.open(encoding="utf-8") as fh:
        meta = {r["article_id"]: r for r in csv.DictReader(fh)}
    files = sorted(p for f in folders for p in Path(f).glob("*.json"))
    bad = [p for f in files for p in check_file(f, rows)]
    if bad:
        print("\n".join(bad))
        return 1
    att_rows, hedge_rows = [], []
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        aid = str(doc["article_id"])
        m = meta.get(aid, {})
        base = {
            "article_id": aid,
            "outlet": m.get("outlet", rows[aid]["outlet"]),
            "split": m.get("split", ""),
            "coder": doc["coder"],
            "coded_at": doc["coded_at"],
        }
        for a in doc.get("attributions", []):
            src, cue, con = a.get("source"), a["cue"], a.get("content")
            att_rows.append(
                {
                    **base,
                    "attribution_id": a.get("id"),
                    "cue_start": cue["start"],
                    "cue_end": cue["end"],
                    "cue_text": cue["text"],
                    "source_start": _cell(src, "start"),
                    "source_end": _cell(src, "end"),
                    "source_text": _cell(src, "text"),
                    "content_start": _cell(con, "start"),
                    "content_end": _cell(con, "end"),
                    "content_text": _cell(con, "text")[:120],
                    "content_more": ";".join(f"{x['start']}-{x['end']}" for x in a.get("content_more") or []),
                    "source_type": a.get("source_type", ""),
                    "speaker": a.get("speaker") or "",
                    "speaker_title": a.get("speaker_title") or "",
                    "gender": a.get("gender") or "",
                    "gender_evidence": a.get("gender_evidence") or "",
                    "note": a.get("note") or "",
                }
            )
        for h in doc.get("hedges", []):
            hedge_rows.append(
                {
                    **base,
                    "start": h["start"],
                    "end": h["end"],
                    "cue_text": h["text"],
                    "category": h["category"],
                    "voice": h["voice"],
                    "attribution_id": "" if h.get("attribution_id") is None else h["attribution_id"],
                    "note": h.get("note") or "",
                }
            )
    for name, data in ((f"{prefix}_attributions.csv", att_rows), (f"{prefix}_hedges.csv", hedge_rows)):
        if not data:
            continue
        with (DATA / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(data[0]))
            w.writeheader()
            w.writerows(data)
        print(f"wrote tests/data/{name}: {len(data)} rows from {len(files)} files")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("select", "show", "check", "collect"):
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "select":
        return select()
    if cmd == "show":
        return show(rest[0]) if rest else main([])
    if cmd == "check":
        return check(rest)
    if rest and rest[0] == "--second":  # a second coder's files, kept apart for the agreement figure
        return collect(rest[1:], prefix="demo_gold_second")
    return collect(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
