"""Inter-coder agreement on the hand-coded demo gold (docs/gold_coding.md), blind to the tool.

Usage::

    python benchmarks/gold_agreement.py --primary /work/gold-coding/A /work/gold-coding/B \\
        /work/gold-coding/C /work/gold-coding/D --second /work/gold-coding/E [--json out.json]

Each folder holds one coded JSON file per article (format: docstring of
``benchmarks/gold_coding.py``). The primary folders code disjoint article sets; the second coder
re-coded some of them independently. Every article coded by a primary coder *and* the second
coder is compared; all counts are pooled over those articles. The primary coding plays "gold"
and the second "prediction" for precision/recall (P = matched / second, R = matched / primary);
F1 is symmetric, so it does not depend on that choice.

Like ``benchmarks/gold_coding.py`` this script is blind: it does not import ``analysis`` and
never runs the extraction software. It needs only the standard library and reads the article
texts from ``data/external/news_articles.csv`` and the outlets from
``tests/data/demo_gold_articles.csv``.

Words are ``\\w+`` runs of the article text; a span covers a word if they share a character.

Attributions
  * ``attr``: attributions are paired one-to-one by how many cue words they share, largest
    overlap first (ties to the later primary / later second attribution, the order of the
    PolNeAR scorer); a pair needs at least one shared cue word. P/R/F1 of paired attributions.
  * ``exact_cue``: cues that start and end on the same words (a multiset match of
    (first word, last word) per article; needs no pairing).
  * ``exact_source`` / ``exact_content``: paired attributions whose source (content) starts and
    ends on the same words (a split content with ``content_more`` is taken from its first to its
    last word). Two missing sources agree; two missing contents do not count. P/R/F1 against
    all attributions of each side, and ``share_of_pairs`` (agreeing / paired).
  * ``source_overlap_share`` and ``content_word_f1_mean``: over paired attributions, the share
    whose sources share a word (or both are missing), and the mean word F1 of the contents.
  * ``token_<label>``: every word is labelled source / cue / content by a coder if any of that
    coder's attributions covers it with that role (a word inside a nested attribution can carry
    two labels), and ``none`` if it carries none; P/R/F1 per label over the words.
  * ``source_type``: over paired attributions, the share with the same ``source_type`` and
    Cohen's kappa; the most frequent disagreements are listed.
  * ``speaker``: over pairs where both coders gave a speaker, the share of identical names
    (case-insensitive, surrounding spaces ignored).
  * ``gender``: over pairs both coders typed ``person``, the share with the same gender, kappa.

Hedges (category ``condition`` left out on both sides: it is recorded, not counted)
  * ``hedge_cue``: hedge spans paired one-to-one by shared words, largest overlap first; P/R/F1.
  * ``hedge_category`` / ``hedge_voice``: over paired hedges, share identical and Cohen's kappa.
  * ``reporter_voice``: for each coder folder, the share of its counted hedges in the reporter's
    voice, on the doubly coded articles and on all the articles in the folder.

Tables: per outlet, per primary coder and per article, attribution F1 and hedge cue F1.
Kappa is ``None`` (printed n/a) when chance agreement is 1 (one label used throughout); P/R/F1
are ``None`` (n/a) for a group where neither coder marked anything.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
CORPUS = REPO / "data" / "external" / "news_articles.csv"
ARTICLES = REPO / "tests" / "data" / "demo_gold_articles.csv"
WORD = re.compile(r"\w+")
ROLES = ("source", "cue", "content")
LABELS = ROLES + ("none",)


# --------------------------------------------------------------------------- small helpers


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    """P/R/F1 (4 decimals) with the counts; pred = second, gold = primary.

    0.0 where undefined, but ``None`` when neither side has anything (nothing to agree on)."""
    if not n_pred and not n_gold:
        return {"p": None, "r": None, "f1": None, "tp": 0, "second": 0, "primary": 0}
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "second": n_pred, "primary": n_gold}


def agreement(pairs: list[tuple[str, str]]) -> dict:
    """Share of identical labels and Cohen's kappa over (primary, second) label pairs."""
    n = len(pairs)
    if not n:
        return {"n": 0, "share": None, "kappa": None}
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    kappa = None if pe >= 1 else (po - pe) / (1 - pe)
    return {"n": n, "share": round(po, 4), "kappa": None if kappa is None else round(kappa, 4)}


def share(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


class Words:
    """The ``\\w+`` words of one text; ``ids`` gives the indices of the words a span touches."""

    def __init__(self, text: str):
        self.n = 0
        self.at: list[int | None] = [None] * len(text)
        for i, m in enumerate(WORD.finditer(text)):
            for c in range(m.start(), m.end()):
                self.at[c] = i
            self.n = i + 1

    def ids(self, spans) -> frozenset[int]:
        out = set()
        for sp in spans:
            if sp is None:
                continue
            for c in range(max(0, sp["start"]), min(len(self.at), sp["end"])):
                if self.at[c] is not None:
                    out.add(self.at[c])
        return frozenset(out)


def hull(ids: frozenset[int]) -> tuple[int, int] | None:
    return (min(ids), max(ids)) if ids else None


def pair_by_overlap(prim: list[frozenset], sec: list[frozenset]) -> list[tuple[int, int]]:
    """One-to-one (primary index, second index) pairs, greedily by shared words (at least one)."""
    cand = [(len(p & s), i, j) for i, p in enumerate(prim) for j, s in enumerate(sec) if p & s]
    cand.sort(reverse=True)
    used_p, used_s, pairs = set(), set(), []
    for _, i, j in cand:
        if i not in used_p and j not in used_s:
            used_p.add(i)
            used_s.add(j)
            pairs.append((i, j))
    return pairs


def _key(aid: str):
    return (0, int(aid), aid) if aid.isdigit() else (1, 0, aid)


# --------------------------------------------------------------------------- reading


def read_folder(folder: Path) -> dict[str, dict]:
    docs = {}
    for f in sorted(folder.glob("*.json")):
        doc = json.loads(f.read_text(encoding="utf-8"))
        docs[str(doc.get("article_id", f.stem))] = doc
    return docs


def _span(row: dict, role: str) -> dict | None:
    if not row[f"{role}_start"]:
        return None
    return {"start": int(row[f"{role}_start"]), "end": int(row[f"{role}_end"]), "text": row[f"{role}_text"]}


def read_csv_gold(prefix: str) -> dict[str, dict[str, dict]]:
    """The collected gold CSVs (``tests/data/PREFIX_attributions.csv`` / ``_hedges.csv``) as the
    JSON-shaped documents the folders hold, grouped by coder: {coder: {article_id: doc}}."""
    docs: dict[str, dict[str, dict]] = {}

    def doc(row):
        coder = row["coder"].split(" ")[0].removeprefix("helper-coder-")
        return docs.setdefault(coder, {}).setdefault(
            row["article_id"],
            {"article_id": row["article_id"], "coder": row["coder"], "attributions": [], "hedges": []},
        )

    with (DATA / f"{prefix}_attributions.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            more = [
                dict(zip(("start", "end"), map(int, part.split("-"))))
                for part in row["content_more"].split(";")
                if part
            ]
            doc(row)["attributions"].append(
                {
                    "id": int(row["attribution_id"]),
                    "cue": _span(row, "cue"),
                    "source": _span(row, "source"),
                    "content": {**_span(row, "content"), "text": None} if row["content_start"] else None,
                    "content_more": more,
                    "source_type": row["source_type"],
                    "speaker": row["speaker"] or None,
                    "gender": row["gender"] or None,
                }
            )
    with (DATA / f"{prefix}_hedges.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            doc(row)["hedges"].append(
                {
                    "start": int(row["start"]),
                    "end": int(row["end"]),
                    "text": row["cue_text"],
                    "category": row["category"],
                    "voice": row["voice"],
                }
            )
    return docs


def read_texts(ids: set[str]) -> dict[str, str]:
    csv.field_size_limit(1 << 30)
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        return {r["article_id"]: r["text"] for r in csv.DictReader(fh) if r["article_id"] in ids}


def read_outlets() -> dict[str, str]:
    if not ARTICLES.exists():
        return {}
    with ARTICLES.open(encoding="utf-8", newline="") as fh:
        return {r["article_id"]: r["outlet"] for r in csv.DictReader(fh)}


def span_problems(doc: dict, text: str) -> int:
    """Spans whose text field does not match the article text at their offsets."""
    spans = []
    for a in doc.get("attributions", []):
        spans += [a.get("cue"), a.get("source"), a.get("content")] + list(a.get("content_more") or [])
    spans += doc.get("hedges", [])
    # a content read from the CSVs has no text (the CSV keeps only its first 120 characters)
    return sum(
        1 for s in spans if s is not None and s.get("text") is not None and text[s["start"] : s["end"]] != s["text"]
    )


def attributions(doc: dict, words: Words) -> list[dict]:
    out = []
    for a in doc.get("attributions", []):
        out.append(
            {
                "cue": words.ids([a.get("cue")]),
                "source": words.ids([a.get("source")]),
                "content": words.ids([a.get("content")] + list(a.get("content_more") or [])),
                "source_type": a.get("source_type") or "",
                "speaker": a.get("speaker") or "",
                "gender": a.get("gender") or "",
                "cue_text": (a.get("cue") or {}).get("text", ""),
            }
        )
    return out


def counted_hedges(doc: dict) -> list[dict]:
    return [h for h in doc.get("hedges", []) if h.get("category") != "condition"]


# --------------------------------------------------------------------------- scoring


class Tally:
    """Counts for one group of articles (all, an outlet, a primary coder, one article)."""

    def __init__(self):
        self.articles = 0
        self.att = [0, 0, 0]  # pairs, second, primary
        self.hedge = [0, 0, 0]

    def add(self, att_pairs, n_sec, n_prim, h_pairs, h_sec, h_prim):
        self.articles += 1
        self.att = [x + y for x, y in zip(self.att, (att_pairs, n_sec, n_prim))]
        self.hedge = [x + y for x, y in zip(self.hedge, (h_pairs, h_sec, h_prim))]

    def row(self) -> dict:
        return {"articles": self.articles, "attr": prf(*self.att), "hedge_cue": prf(*self.hedge)}


def compare(
    primary: dict[str, tuple[str, dict]], second: dict[str, dict], texts: dict[str, str], outlets: dict[str, str]
) -> dict:
    common = sorted(set(primary) & set(second), key=_key)
    att = [0, 0, 0]
    exact = {r: [0, 0, 0] for r in ROLES}
    tok = {lab: [0, 0, 0] for lab in LABELS}
    src_overlap = 0
    content_f1_sum = 0.0
    types, genders, hedge_cats, hedge_voices = [], [], [], []
    speakers_same = speakers_n = 0
    speaker_diffs = []
    hedge = [0, 0, 0]
    condition = [0, 0]  # primary, second
    by_outlet, by_coder = defaultdict(Tally), defaultdict(Tally)
    per_article = []
    bad_spans = {}
    for aid in common:
        label, pdoc = primary[aid]
        sdoc = second[aid]
        text = texts[aid]
        for who, doc in ((label, pdoc), ("second", sdoc)):
            if k := span_problems(doc, text):
                bad_spans[f"{who}/{aid}"] = k
        words = Words(text)
        pa, sa = attributions(pdoc, words), attributions(sdoc, words)

        # token labels
        for r in ROLES:
            gp = frozenset().union(*(a[r] for a in pa)) if pa else frozenset()
            gs = frozenset().union(*(a[r] for a in sa)) if sa else frozenset()
            tok[r] = [x + y for x, y in zip(tok[r], (len(gp & gs), len(gs), len(gp)))]
        every = frozenset(range(words.n))
        np_ = every - frozenset().union(*(a[r] for a in pa for r in ROLES)) if pa else every
        ns_ = every - frozenset().union(*(a[r] for a in sa for r in ROLES)) if sa else every
        tok["none"] = [x + y for x, y in zip(tok["none"], (len(np_ & ns_), len(ns_), len(np_)))]

        # exact cue: multiset of (first word, last word)
        cp = Counter(h for a in pa if (h := hull(a["cue"])))
        cs = Counter(h for a in sa if (h := hull(a["cue"])))
        exact["cue"] = [x + y for x, y in zip(exact["cue"], (sum((cp & cs).values()), len(sa), len(pa)))]

        pairs = pair_by_overlap([a["cue"] for a in pa], [a["cue"] for a in sa])
        att = [x + y for x, y in zip(att, (len(pairs), len(sa), len(pa)))]
        src_ok = con_ok = 0
        for i, j in pairs:
            p, s = pa[i], sa[j]
            src_ok += hull(p["source"]) == hull(s["source"])
            con_ok += p["content"] != frozenset() and hull(p["content"]) == hull(s["content"])
            src_overlap += (not p["source"] and not s["source"]) or bool(p["source"] & s["source"])
            if not p["content"] and not s["content"]:
                content_f1_sum += 1.0
            else:
                inter = len(p["content"] & s["content"])
                content_f1_sum += 2 * inter / (len(p["content"]) + len(s["content"]))
            types.append((p["source_type"], s["source_type"]))
            if p["speaker"].strip() and s["speaker"].strip():
                speakers_n += 1
                if p["speaker"].strip().casefold() == s["speaker"].strip().casefold():
                    speakers_same += 1
                else:
                    speaker_diffs.append(
                        {"article_id": aid, "cue": p["cue_text"], "primary": p["speaker"], "second": s["speaker"]}
                    )
            if p["source_type"] == "person" and s["source_type"] == "person":
                genders.append((p["gender"], s["gender"]))
        exact["source"] = [x + y for x, y in zip(exact["source"], (src_ok, len(sa), len(pa)))]
        exact["content"] = [x + y for x, y in zip(exact["content"], (con_ok, len(sa), len(pa)))]

        # hedges
        ph, sh = counted_hedges(pdoc), counted_hedges(sdoc)
        condition[0] += len(pdoc.get("hedges", [])) - len(ph)
        condition[1] += len(sdoc.get("hedges", [])) - len(sh)
        hpairs = pair_by_overlap([words.ids([h]) for h in ph], [words.ids([h]) for h in sh])
        hedge = [x + y for x, y in zip(hedge, (len(hpairs), len(sh), len(ph)))]
        for i, j in hpairs:
            hedge_cats.append((ph[i].get("category", ""), sh[j].get("category", "")))
            hedge_voices.append((ph[i].get("voice", ""), sh[j].get("voice", "")))

        outlet = outlets.get(aid, "?")
        counts = (len(pairs), len(sa), len(pa), len(hpairs), len(sh), len(ph))
        by_outlet[outlet].add(*counts)
        by_coder[label].add(*counts)
        one = Tally()
        one.add(*counts)
        per_article.append({"article_id": aid, "outlet": outlet, "primary_coder": label, **one.row()})

    n_pairs = att[0]
    exact_out = {}
    for r in ROLES:
        exact_out[f"exact_{r}"] = prf(*exact[r])
        if r != "cue":
            exact_out[f"exact_{r}"]["share_of_pairs"] = share(exact[r][0], n_pairs)
    type_diffs = Counter((a, b) for a, b in types if a != b)
    return {
        "articles": common,
        "attributions": {
            "attr": prf(*att),
            **exact_out,
            "source_overlap_share": share(src_overlap, n_pairs),
            "content_word_f1_mean": round(content_f1_sum / n_pairs, 4) if n_pairs else None,
            **{f"token_{lab}": prf(*tok[lab]) for lab in LABELS},
            "source_type": {
                **agreement(types),
                "disagreements": [{"primary": a, "second": b, "n": n} for (a, b), n in type_diffs.most_common()],
            },
            "speaker": {"n": speakers_n, "share": share(speakers_same, speakers_n), "disagreements": speaker_diffs},
            "gender": agreement(genders),
        },
        "hedges": {
            "hedge_cue": prf(*hedge),
            "condition_left_out": {"primary": condition[0], "second": condition[1]},
            "hedge_category": agreement(hedge_cats),
            "hedge_voice": agreement(hedge_voices),
        },
        "by_outlet": {k: by_outlet[k].row() for k in sorted(by_outlet)},
        "by_primary_coder": {k: by_coder[k].row() for k in sorted(by_coder)},
        "per_article": per_article,
        "span_text_mismatches": bad_spans,
    }


def reporter_voice(folders: dict[str, dict[str, dict]], common: list[str]) -> dict:
    out = {}
    for label, docs in folders.items():
        row = {}
        for scope, ids in (("double_coded", [a for a in common if a in docs]), ("all", list(docs))):
            hs = [h for a in ids for h in counted_hedges(docs[a])]
            rep = sum(h.get("voice") == "reporter" for h in hs)
            row[scope] = {"articles": len(ids), "hedges": len(hs), "reporter": rep, "share": share(rep, len(hs))}
        out[label] = row
    return out


# --------------------------------------------------------------------------- report


def _f(x, pct=True) -> str:
    if x is None:
        return "n/a"
    return f"{x:.1%}" if pct else f"{x:.3f}"


def _prf_line(name: str, s: dict) -> str:
    return (
        f"  {name:<22} P {_f(s['p']):>6}  R {_f(s['r']):>6}  F1 {_f(s['f1']):>6}   "
        f"(matched {s['tp']}, primary {s['primary']}, second {s['second']})"
    )


def _agree_line(name: str, s: dict) -> str:
    return f"  {name:<22} identical {_f(s['share'])}  kappa {_f(s['kappa'], False)}   (n = {s['n']})"


def _table(title: str, rows: dict[str, dict]) -> list[str]:
    out = [f"{title:<28} {'art':>3}  {'attr P/S/M':>13} {'attr F1':>8}   {'hedge P/S/M':>11} {'hedge F1':>8}"]
    for name, r in rows.items():
        a, h = r["attr"], r["hedge_cue"]
        out.append(
            f"{name[:28]:<28} {r['articles']:>3}  {a['primary']:>4}/{a['second']:>3}/{a['tp']:>3} "
            f"{_f(a['f1']):>8}   {h['primary']:>3}/{h['second']:>3}/{h['tp']:>3} {_f(h['f1']):>8}"
        )
    return out


def report(res: dict, args, primary_labels: list[str], second_label: str) -> str:
    A, H = res["attributions"], res["hedges"]
    lines = [
        "Inter-coder agreement on the hand-coded demo gold (blind; no extraction run)",
        f"primary: {', '.join(primary_labels)}   second: {second_label}",
        f"doubly coded articles: {len(res['articles'])}  ({' '.join(res['articles'])})",
        "P = matched / second coder, R = matched / primary coder; F1 is symmetric.",
        "",
        "Attributions",
        _prf_line("attribution (cue)", A["attr"]),
        _prf_line("exact cue", A["exact_cue"]),
        _prf_line("exact source", A["exact_source"]),
        _prf_line("exact content", A["exact_content"]),
        f"  paired attributions: exact source {_f(A['exact_source']['share_of_pairs'])}, exact content "
        f"{_f(A['exact_content']['share_of_pairs'])}, source overlaps {_f(A['source_overlap_share'])}, "
        f"content word F1 mean {_f(A['content_word_f1_mean'])}",
        "  token level (every \\w+ word labelled by each coder):",
    ]
    lines += [_prf_line(f"  {lab}", A[f"token_{lab}"]) for lab in LABELS]
    lines += ["", "Who is speaking (over paired attributions)", _agree_line("source type", A["source_type"])]
    if A["source_type"]["disagreements"]:
        lines.append(
            "    disagreements (primary -> second): "
            + ", ".join(f"{d['primary']}->{d['second']} {d['n']}" for d in A["source_type"]["disagreements"][:8])
        )
    sp = A["speaker"]
    lines.append(f"  {'speaker':<22} identical {_f(sp['share'])}   (n = {sp['n']}, both gave a speaker)")
    for d in sp["disagreements"][:12]:
        lines.append(f"    {d['article_id']:>5} {d['cue']!r:<18} {d['primary']!r} vs {d['second']!r}")
    if len(sp["disagreements"]) > 12:
        lines.append(f"    ... {len(sp['disagreements']) - 12} more in the JSON")
    lines.append(_agree_line("gender (both person)", A["gender"]))
    cl = H["condition_left_out"]
    lines += [
        "",
        f"Hedges (condition left out: primary {cl['primary']}, second {cl['second']})",
        _prf_line("hedge cue", H["hedge_cue"]),
        _agree_line("category (paired)", H["hedge_category"]),
        _agree_line("voice (paired)", H["hedge_voice"]),
        "  reporter-voice share of counted hedges:",
    ]
    for label, r in res["reporter_voice"].items():
        d, a = r["double_coded"], r["all"]
        lines.append(
            f"    {label:<10} double-coded {_f(d['share']):>6} ({d['reporter']}/{d['hedges']}, "
            f"{d['articles']} art.)   all its articles {_f(a['share']):>6} "
            f"({a['reporter']}/{a['hedges']}, {a['articles']} art.)"
        )
    lines += ["", "P/S/M = primary / second / matched counts", ""]
    lines += _table("outlet", res["by_outlet"]) + [""]
    lines += _table("primary coder", res["by_primary_coder"]) + [""]
    lines += _table(
        "article (outlet, coder)",
        {f"{r['article_id']} {r['outlet'][:14]} {r['primary_coder']}": r for r in res["per_article"]},
    )
    if res["span_text_mismatches"]:
        lines += [
            "",
            "warning: spans whose text does not match the article at their offsets: "
            + ", ".join(f"{k} {v}" for k, v in res["span_text_mismatches"].items()),
        ]
    if res["duplicates"]:
        lines += [
            "",
            "warning: articles in more than one primary folder (first folder kept): " + ", ".join(res["duplicates"]),
        ]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--primary",
        nargs="+",
        help="folders of the primary coders' JSON files (default: tests/data/demo_gold_*.csv, grouped by coder)",
    )
    ap.add_argument(
        "--second", help="folder of the second coder's JSON files (default: tests/data/demo_gold_second_*.csv)"
    )
    ap.add_argument("--json", help="also write the results to this JSON file")
    args = ap.parse_args(argv)
    if bool(args.primary) != bool(args.second):
        ap.error("give both --primary and --second, or neither (the collected CSVs are read)")
    for d in (args.primary or []) + ([args.second] if args.second else []):
        if not Path(d).is_dir():
            ap.error(f"{d} is not a folder")
    if not CORPUS.exists():
        ap.error(f"{CORPUS} not found; run 'make data' first")

    folders: dict[str, dict[str, dict]] = {}
    primary: dict[str, tuple[str, dict]] = {}
    duplicates = []
    labels = []
    sources = {Path(d).name: read_folder(Path(d)) for d in args.primary} if args.primary else read_csv_gold("demo_gold")
    for label, coded in sorted(sources.items()):
        labels.append(label)
        folders[label] = coded
        for aid, doc in folders[label].items():
            if aid in primary:
                duplicates.append(f"{aid} ({primary[aid][0]}, {label})")
                continue
            primary[aid] = (label, doc)
    if args.second:
        second_label, second = Path(args.second).name, read_folder(Path(args.second))
    else:
        [(second_label, second)] = read_csv_gold("demo_gold_second").items()
    only_second = sorted(set(second) - set(primary), key=_key)
    texts = read_texts(set(primary) | set(second))
    missing = sorted((set(primary) & set(second)) - set(texts), key=_key)
    if missing:
        ap.error(f"articles not in {CORPUS}: {', '.join(missing)}")
    if not set(primary) & set(second):
        ap.error("no article is coded by both a primary coder and the second coder")

    res = compare(primary, second, texts, read_outlets())
    folders[second_label + " (second)"] = second
    res["reporter_voice"] = reporter_voice(folders, res["articles"])
    res["duplicates"] = duplicates
    res["second_only_articles"] = only_second
    res["inputs"] = {
        "primary": [str(Path(d).resolve()) for d in args.primary] if args.primary else "csv",
        "second": str(Path(args.second).resolve()) if args.second else "csv",
        "files": {k: len(v) for k, v in folders.items()},
    }
    text = report(res, args, labels, second_label)
    if only_second:
        text += f"\n\nnote: coded by the second coder only (no primary yet, not scored): {' '.join(only_second)}"
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
