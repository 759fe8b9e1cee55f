"""Evaluation: how well does the extraction agree with articles coded by hand?

Two kinds of hand-coded ("gold") data are read:

* **Attributions** in BRAT standoff, the PolNeAR layout: a folder with ``text/<id>.txt`` and
  ``attributions/<id>_<annotator>.ann`` (or ``<id>.ann``). An ``E`` line links one attribution:
  its cue ("said"), its source ("a White House official", may be absent) and its content (what was
  said; can be discontinuous, ``Content 10 40;45 90``, and can have a second part, ``Content2``).
* **Hedges** in the Szeged Uncertainty Corpus XML: inline ``<ccue>`` marks an uncertainty cue.
  Condition cues ("if", "unless") are not hedges in a newsroom's sense and are left out.

The numbers are precision (P: of what the tool found, the share that the coders also marked),
recall (R: of what the coders marked, the share the tool found) and F1 (their harmonic mean).
All counts are pooled over every article ("micro" averages) unless said otherwise.

The definitions are those of the judges' scorers (``polnear_score.py``, ``szeged_score.py``);
the tests check that both give the same numbers to four decimals.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.doc import sentences
from analysis.errors import AnalysisError
from analysis.pipeline import extract
from analysis.schema import as_offset

Span = tuple[int, int]
ROLES = ("source", "cue", "content")
# Word tokens: the same definition as the judges' scorer (and as the word counts in extract).
WORD = re.compile(r"\w+", re.UNICODE)
# A BRAT file name ends in the annotator's 4-hex-digit code (PolNeAR), or names the article alone.
_ANNOTATOR = re.compile(r"_[0-9a-f]{4}$")
_MISSING = {"", "nan", "none", "<na>"}

ATTRIBUTION_PRED_COLUMNS = ["article_id", "cue_start", "cue_end"]  # source_*, content_* optional
HEDGE_PRED_COLUMNS = ["article_id", "start", "end"]  # category, is_hedge optional


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GoldAttribution:
    """One hand-coded attribution; each role is a tuple of (start, end) spans (empty if absent)."""

    id: str
    cue: tuple[Span, ...]
    source: tuple[Span, ...]
    content: tuple[Span, ...]
    unresolved: tuple[str, ...] = ()  # role arguments naming a T line not defined above the E line


@dataclass(frozen=True)
class SzegedDocument:
    """One Szeged document: its text (sentences joined by newlines) and its gold hedge cues."""

    article_id: str
    text: str
    sentences: tuple[Span, ...]
    cues: tuple[Span, ...]


class WordTokens:
    """The ``\\w+`` tokens of one text, for fast span -> token-index lookups (bisect, not scans)."""

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in WORD.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def ids(self, spans) -> frozenset[int]:
        """Indices of the tokens that overlap any of the spans by at least one character."""
        out: set[int] = set()
        for a, b in spans:
            # tokens are sorted and disjoint: those with end > a and start < b form one run
            out.update(range(bisect_right(self.ends, a), bisect_left(self.starts, b)))
        return frozenset(out)


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    """Precision, recall and F1 (rounded to 4 decimals, 0.0 where undefined) plus the counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def _set_f1(pred: frozenset, gold: frozenset) -> float:
    """Token F1 of two token sets; two empty sets agree perfectly."""
    if not pred and not gold:
        return 1.0
    inter = len(pred & gold)
    return 2 * inter / (len(pred) + len(gold)) if inter else 0.0


def _hull(ids: frozenset[int]) -> tuple[int, int] | None:
    return (min(ids), max(ids)) if ids else None


# --------------------------------------------------------------------------- reading predictions


def read_predictions(path: str | Path, required: list[str]) -> pd.DataFrame:
    """A predictions CSV as a frame of strings (ids stay ids: '00012' is not the number 12)."""
    path = Path(path)
    if not path.is_file():
        raise AnalysisError(
            f"analysis: {path}: predictions file not found; "
            "give the attributions.csv / hedges.csv written by 'analysis extract'"
        )
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise AnalysisError(f"analysis: {path}: not a readable UTF-8 CSV ({err}); export it again as CSV") from None
    _require_columns(df, required, str(path))
    return df


def _require_columns(df: pd.DataFrame, required: list[str], where: str) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise AnalysisError(
            f"analysis: {where}: missing column(s) {', '.join(map(repr, missing))}; "
            f"a predictions file needs {', '.join(required)}"
        )


def _offsets(df: pd.DataFrame, col: str, where: str) -> list[int | None]:
    """An offset column as ints (None where empty); a value that is not a number is an error."""
    if col not in df.columns:
        return [None] * len(df)
    raw = df[col].astype("string").str.strip()
    missing = raw.isna() | raw.str.lower().isin(_MISSING)
    nums = pd.to_numeric(raw.mask(missing), errors="coerce")
    bad = (~missing & (nums.isna() | nums.abs().eq(float("inf")))).to_numpy()
    if bad.any():
        i = int(bad.argmax())
        raise AnalysisError(
            f"analysis: {where} row {_row(i)}: column '{col}' is {raw.iloc[i]!r}, "
            "not a character offset; fix it or leave it empty"
        )
    return [as_offset(v) for v in nums.to_numpy()]  # an empty cell is NaN there


def _row(i: int) -> int:
    """The row number a spreadsheet shows for data row ``i`` (the header is row 1), as corpus.py counts."""
    return i + 2


def _ids(df: pd.DataFrame) -> list[str]:
    return df["article_id"].astype("string").fillna("").tolist()


def _check_known(pred_ids: set[str], gold_ids, where: str, gold_where: str) -> int:
    """Count predicted articles missing from the gold; none matching at all means wrong files."""
    unknown = pred_ids - set(gold_ids)
    if pred_ids and unknown == pred_ids:
        example = sorted(unknown)[0]
        raise AnalysisError(
            f"analysis: {where}: none of its {len(pred_ids)} article ids is in {gold_where} "
            f"(e.g. {example!r}); article_id must be the gold text file's name "
            "without .txt (Szeged: the id written by szeged_score.py totext)"
        )
    return len(unknown)


# --------------------------------------------------------------------------- attributions (BRAT)


def _spans(field: str, where: str) -> tuple[Span, ...]:
    try:
        out = []
        for part in field.split(";"):
            a, b = part.split()
            out.append((int(a), int(b)))
        return tuple(out)
    except ValueError:
        raise AnalysisError(
            f"analysis: {where}: span {field!r} is not 'start end[;start end]'; fix the BRAT line"
        ) from None


def read_ann(path: str | Path) -> list[GoldAttribution]:
    """The attributions (E lines with a cue) of one BRAT ``.ann`` file, in file order.

    :func:`load_brat` reads a folder with it; a single file is for one annotator's coding of an
    article (PolNeAR codes some articles twice, ``<id>_<annotator>.ann``).
    """
    path = Path(path)
    # One pass, as the judges' scorer reads it: an E line sees only the T lines above it. (A few
    # PolNeAR links point forward; they are listed in GoldAttribution.unresolved, not silently lost.)
    text_spans: dict[str, tuple[Span, ...]] = {}
    attrs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        if line.startswith("T"):
            _kind, _, rest = cols[1].partition(" ")
            text_spans[cols[0]] = _spans(rest, f"{path} line {n}")
        elif line.startswith("E"):
            roles: dict[str, list[Span]] = defaultdict(list)
            unresolved = []
            for arg in cols[1].split():
                role, sep, tid = arg.partition(":")
                if not sep:
                    raise AnalysisError(
                        f"analysis: {path} line {n}: argument {arg!r} is not Role:T<n>; fix the BRAT line"
                    )
                if tid not in text_spans:
                    unresolved.append(arg)
                    continue
                # Content2 is the second part of the content: numbered roles fold into their role
                roles[role.rstrip("0123456789")].extend(text_spans[tid])
            if roles.get("Cue"):
                attrs.append(
                    GoldAttribution(
                        cols[0],
                        tuple(roles["Cue"]),
                        tuple(roles.get("Source", ())),
                        tuple(roles.get("Content", ())),
                        tuple(unresolved),
                    )
                )
    return attrs


def load_brat(gold_dir: str | Path) -> dict[str, tuple[str, list[GoldAttribution]]]:
    """Hand-coded attributions of a BRAT folder: ``{article_id: (text, [GoldAttribution, ...])}``.

    ``article_id`` is the text file's name without ``.txt``. Only articles with both a text and an
    annotation file are gold. Where several annotators coded an article
    (``<id>_<annotator>.ann``), the first file in sorted name order is used — the same choice as
    the judges' scorer, so that the numbers agree. Texts are read as UTF-8 text files (as BRAT and
    the judges' scorer read them).
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise AnalysisError(
            f"analysis: {gold_dir}: gold folder not found; give a BRAT folder with text/*.txt and attributions/*.ann"
        )
    text_dir, ann_dir = gold_dir / "text", gold_dir / "attributions"
    for d in (text_dir, ann_dir):
        if not d.is_dir():
            raise AnalysisError(
                f"analysis: {gold_dir}: no {d.name}/ subfolder; a gold folder holds "
                "text/*.txt and attributions/*.ann (BRAT) or attributions.csv"
            )
    texts = {p.stem: p for p in sorted(text_dir.glob("*.txt"))}
    first_ann: dict[str, Path] = {}
    for p in sorted(ann_dir.glob("*.ann")):
        first_ann.setdefault(_ANNOTATOR.sub("", p.stem), p)
    gold = {
        aid: (texts[aid].read_text(encoding="utf-8"), read_ann(ann)) for aid, ann in first_ann.items() if aid in texts
    }
    if not gold:
        raise AnalysisError(
            f"analysis: {gold_dir}: no article has both text/<id>.txt and "
            "attributions/<id>[_<annotator>].ann; check the file names"
        )
    return gold


def _role_spans(df: pd.DataFrame, where: str) -> list[dict[str, tuple[Span, ...]]]:
    """Each row's cue, source and content as span tuples (empty where the offsets are empty)."""
    _require_columns(df, ATTRIBUTION_PRED_COLUMNS, where)
    cols = {f"{r}_{x}": _offsets(df, f"{r}_{x}", where) for r in ROLES for x in ("start", "end")}

    def span(role: str, i: int) -> tuple[Span, ...]:
        a, b = cols[f"{role}_start"][i], cols[f"{role}_end"][i]
        return ((a, b),) if a is not None and b is not None else ()

    return [{r: span(r, i) for r in ROLES} for i in range(len(df))]


def _pred_attributions(pred: pd.DataFrame, where: str) -> dict[str, list[dict[str, tuple[Span, ...]]]]:
    """Predicted spans grouped by article (rows without a cue cannot be matched and are skipped)."""
    out: dict[str, list[dict[str, tuple[Span, ...]]]] = defaultdict(list)
    for aid, spans in zip(_ids(pred), _role_spans(pred, where)):
        if spans["cue"]:
            out[aid].append(spans)
    return out


def load_gold_csv(gold_dir: str | Path) -> dict[str, tuple[str, list[GoldAttribution]]]:
    """Hand-coded attributions from a spreadsheet: ``text/<id>.txt`` plus ``attributions.csv``.

    The CSV has one row per attribution with ``article_id`` and the offsets ``cue_start, cue_end``
    and, where present, ``source_start, source_end, content_start, content_end`` — the columns of
    the tool's own ``attributions.csv``, so a corrected copy of the tool's output is valid gold.
    Every text in ``text/`` is gold: an article without rows is an article with no attribution.
    """
    gold_dir = Path(gold_dir)
    csv = gold_dir / "attributions.csv"
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((gold_dir / "text").glob("*.txt"))}
    if not texts:
        raise AnalysisError(f"analysis: {gold_dir}: no text/*.txt; put the coded articles' texts there")
    df = read_predictions(csv, ATTRIBUTION_PRED_COLUMNS)
    gold: dict[str, tuple[str, list[GoldAttribution]]] = {aid: (t, []) for aid, t in texts.items()}
    for i, (aid, spans) in enumerate(zip(_ids(df), _role_spans(df, str(csv)))):
        where = f"analysis: {csv} row {_row(i)}"
        if aid not in gold:
            raise AnalysisError(f"{where}: article_id {aid!r} has no text/{aid}.txt; add the text or fix the id")
        if not spans["cue"]:
            raise AnalysisError(f"{where}: no cue_start/cue_end; every coded attribution needs its cue")
        text = gold[aid][0]
        for role, ((a, b),) in ((r, v) for r, v in spans.items() if v):
            if not 0 <= a < b <= len(text):
                raise AnalysisError(
                    f"{where}: {role} {a}-{b} is not inside the text ({len(text)} characters); "
                    "offsets are 0-based and end-exclusive"
                )
        gold[aid][1].append(GoldAttribution(f"row {_row(i)}", spans["cue"], spans["source"], spans["content"]))
    return gold


def load_gold(gold_dir: str | Path) -> dict[str, tuple[str, list[GoldAttribution]]]:
    """Gold attributions of a folder: BRAT (``attributions/*.ann``) or a spreadsheet (``attributions.csv``)."""
    gold_dir = Path(gold_dir)
    if gold_dir.is_dir() and not (gold_dir / "attributions").is_dir() and (gold_dir / "attributions.csv").is_file():
        return load_gold_csv(gold_dir)
    return load_brat(gold_dir)


def score_attributions(
    gold: dict[str, tuple[str, list[GoldAttribution]]], pred: pd.DataFrame, where: str = "predictions"
) -> dict:
    """P/R/F1 of predicted attributions against gold (from :func:`load_gold`).

    ``pred`` has ``article_id, cue_start, cue_end`` and optionally ``source_start, source_end,
    content_start, content_end`` (empty where absent) — the attributions frame of ``extract``.

    * ``token_<role>``: each word token of the article is labelled source / cue / content if any
      attribution covers it; P/R/F1 over those labelled tokens.
    * ``exact_<role>``: a span counts if it starts and ends on the same word tokens as a gold span
      (a discontinuous span is taken from its first to its last word).
    * ``attr``: predicted and gold attributions are paired one-to-one by how many cue words they
      share (largest overlap first; ties broken as in the judges' scorer); P = paired / predicted,
      R = paired / gold.
    * ``full``: a paired attribution that also has the right source (overlapping the gold source,
      or both without a source) and the right content (content word F1 >= 0.5).
    * ``matched_source_overlap`` / ``matched_content_f1``: averages over the paired attributions.
    * ``per_article``: a DataFrame, one row per gold article, to see which articles disagree.
    * ``unknown_article_ids``: predicted articles that are not in the gold (not scored).
    """
    preds = _pred_attributions(pred, where)
    unknown = _check_known(set(preds), gold, where, "the gold folder")
    tok = {r: [0, 0, 0] for r in ROLES}  # tp, pred, gold
    exact = {r: [0, 0, 0] for r in ROLES}
    n_pred = n_gold = n_match = n_full = 0
    src_ok_sum = content_f1_sum = 0.0
    rows = []
    for aid, (text, gattrs) in gold.items():
        words = WordTokens(text)
        g_ids = [{r: words.ids(getattr(a, r)) for r in ROLES} for a in gattrs]
        p_ids = [{r: words.ids(a[r]) for r in ROLES} for a in preds.get(aid, [])]
        art = {"article_id": aid, "gold_attributions": len(g_ids), "pred_attributions": len(p_ids)}
        for r in ROLES:
            g = frozenset().union(*(a[r] for a in g_ids))
            p = frozenset().union(*(a[r] for a in p_ids))
            counts = (len(g & p), len(p), len(g))
            tok[r] = [x + y for x, y in zip(tok[r], counts)]
            art[f"token_{r}_f1"] = prf(*counts)["f1"]
            ge = {h for a in g_ids if (h := _hull(a[r]))}
            pe = {h for a in p_ids if (h := _hull(a[r]))}
            exact[r] = [x + y for x, y in zip(exact[r], (len(ge & pe), len(pe), len(ge)))]
        matched = full = 0
        for gi, pi in pair_by_cue(g_ids, p_ids):
            g, p = g_ids[gi], p_ids[pi]
            src_ok = (not g["source"] and not p["source"]) or bool(g["source"] & p["source"])
            content_f1 = _set_f1(p["content"], g["content"])
            matched += 1
            src_ok_sum += src_ok
            content_f1_sum += content_f1
            full += src_ok and content_f1 >= 0.5
        n_match += matched
        n_full += full
        n_pred += len(p_ids)
        n_gold += len(g_ids)
        a_prf, f_prf = prf(matched, len(p_ids), len(g_ids)), prf(full, len(p_ids), len(g_ids))
        art.update(
            {
                "matched": matched,
                "full": full,
                "attr_p": a_prf["p"],
                "attr_r": a_prf["r"],
                "attr_f1": a_prf["f1"],
                "full_f1": f_prf["f1"],
            }
        )
        rows.append(art)
    return {
        "articles": len(gold),
        "gold_attributions": n_gold,
        "pred_attributions": n_pred,
        **{f"token_{r}": prf(*tok[r]) for r in ROLES},
        **{f"exact_{r}": prf(*exact[r]) for r in ROLES},
        "attr": prf(n_match, n_pred, n_gold),
        "full": prf(n_full, n_pred, n_gold),
        "matched_source_overlap": round(src_ok_sum / n_match, 4) if n_match else 0.0,
        "matched_content_f1": round(content_f1_sum / n_match, 4) if n_match else 0.0,
        "unknown_article_ids": unknown,
        "per_article": pd.DataFrame(
            rows,
            columns=[
                "article_id",
                "gold_attributions",
                "pred_attributions",
                "matched",
                "full",
                "attr_p",
                "attr_r",
                "attr_f1",
                "full_f1",
                "token_source_f1",
                "token_cue_f1",
                "token_content_f1",
            ],
        ),
    }


def pair_by_cue(g_ids: list[dict], p_ids: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), greedily by shared cue words.

    Ties go to the later gold / later prediction: the judges' scorer's order, kept so that the
    numbers agree exactly.
    """
    candidates = []
    for gi, g in enumerate(g_ids):
        for pi, p in enumerate(p_ids):
            shared = len(g["cue"] & p["cue"])
            if shared:
                candidates.append((shared, gi, pi))
    candidates.sort(reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


# --------------------------------------------------------------------------- hedges (Szeged)


def _flatten(elem: ET.Element, offset: int, cues: list[Span]) -> str:
    """The text inside ``elem`` (not its tail); non-condition ``ccue`` spans go into ``cues``."""
    pieces = [elem.text or ""]
    pos = offset + len(pieces[0])
    for child in elem:
        inner = _flatten(child, pos, cues)
        if child.tag == "ccue" and "condition" not in child.get("type", ""):
            cues.append((pos, pos + len(inner)))
        tail = child.tail or ""
        pieces += [inner, tail]
        pos += len(inner) + len(tail)
    return "".join(pieces)


def szeged_article_id(index: int, docid: str) -> str:
    """The file-safe article id of the judges' scorer: ``00042_`` + DocID (sanitised, 60 chars)."""
    return f"{index:05d}_" + re.sub(r"[^A-Za-z0-9]+", "_", docid)[:60]


def parse_docs(spec: str | slice | None, n: int) -> slice:
    """``all``, or a Python-style slice of documents where fractions mean shares: ``0.8:`` = last 20%."""
    if spec is None or isinstance(spec, slice):
        return spec or slice(None)
    spec = spec.strip()
    if spec in ("", "all", ":"):
        return slice(None)
    parts = spec.split(":")
    if len(parts) != 2:
        raise AnalysisError(f"analysis: --docs {spec!r}: give 'all' or a slice like 0.8: or 0:1000")

    def bound(x: str) -> int | None:
        if not x.strip():
            return None
        try:
            v = float(x)
        except ValueError:
            raise AnalysisError(
                f"analysis: --docs {spec!r}: {x!r} is not a number; give a slice like 0.8: or 0:1000"
            ) from None
        return int(v * n) if "." in x else int(v)

    return slice(bound(parts[0]), bound(parts[1]))


def load_szeged(xml_path: str | Path, docs: str | slice | None = None) -> list[SzegedDocument]:
    """Documents of a Szeged Uncertainty XML, as the judges' scorer builds them.

    Each document's text is its sentences joined by newlines; its id is ``f"{i:05d}_"`` plus the
    sanitised DocID (``i`` = position in the file); its gold cues are all ``<ccue>`` except
    condition cues. ``docs`` picks documents in file order (``"0.8:"`` = the last 20%).
    """
    xml_path = Path(xml_path)
    if not xml_path.is_file():
        raise AnalysisError(f"analysis: {xml_path}: Szeged XML not found; give the corpus file (wiki.xml)")
    try:
        root = ET.parse(xml_path).getroot()
    except ET.ParseError as err:
        raise AnalysisError(f"analysis: {xml_path}: not well-formed XML ({err})") from None
    all_docs = list(root.iter("Document"))
    out = []
    for i in range(len(all_docs))[parse_docs(docs, len(all_docs))]:
        doc = all_docs[i]
        lines, sents, cues, pos = [], [], [], 0
        for sent in doc.iter("Sentence"):
            line = _flatten(sent, pos, cues)
            lines.append(line)
            sents.append((pos, pos + len(line)))
            pos += len(line) + 1
        out.append(
            SzegedDocument(
                szeged_article_id(i, doc.findtext("DocID") or str(i)), "\n".join(lines), tuple(sents), tuple(cues)
            )
        )
    return out


def load_hedge_gold_csv(
    cues_csv: str | Path, texts_dir: str | Path, articles_csv: str | Path, split: str | None = None
) -> list[SzegedDocument]:
    """Hand-coded hedge cues kept as CSV (not inline XML), as documents :func:`score_hedges` reads.

    ``articles_csv`` lists every annotated article (``article_id``, optional ``split``), so an
    article or sentence without a cue still counts as certain; ``split`` keeps only its rows.
    ``cues_csv`` has ``article_id, start, end`` (offsets into ``texts_dir/<id>.txt`` read as UTF-8)
    and optionally ``cue_text`` (checked against the text) and ``category`` ('condition' rows are
    not hedges and are left out, as in the Szeged gold). Sentences are ``doc.sentences``.
    """
    for path in (cues_csv, articles_csv):
        if not Path(path).is_file():
            raise AnalysisError(
                f"analysis: {path}: hedge gold file not found; give the cue CSV and the "
                "article list CSV (tests/data/news_hedges_gold.csv, news_hedges_articles.csv)"
            )
    arts = read_predictions(articles_csv, ["article_id"])
    if split is not None:
        if "split" not in arts.columns:
            raise AnalysisError(f"analysis: {articles_csv}: no 'split' column; add it or give no split")
        arts = arts[arts["split"].astype("string").str.strip() == split]
    cues = read_predictions(cues_csv, HEDGE_PRED_COLUMNS)
    wanted = _ids(arts)
    known = set(wanted)
    by_article: dict[str, list[Span]] = defaultdict(list)
    starts, ends = _offsets(cues, "start", str(cues_csv)), _offsets(cues, "end", str(cues_csv))
    cats = cues["category"].astype("string").fillna("").str.lower() if "category" in cues.columns else None
    texts = cues["cue_text"].astype("string").fillna("") if "cue_text" in cues.columns else None
    for i, (aid, a, b) in enumerate(zip(_ids(cues), starts, ends)):
        if aid not in known and split is None:
            raise AnalysisError(
                f"analysis: {cues_csv} row {_row(i)}: article {aid!r} is not in "
                f"{articles_csv}; add it there or drop the row"
            )
        if aid in known and (cats is None or cats.iloc[i] != "condition"):
            by_article[aid].append((a, b, None if texts is None else texts.iloc[i], _row(i)))
    docs = []
    for aid in wanted:
        path = Path(texts_dir) / f"{aid}.txt"
        if not path.is_file():
            raise AnalysisError(
                f"analysis: {articles_csv}: article {aid!r} has no text {path}; "
                "give the folder holding <article_id>.txt"
            )
        text = path.read_bytes().decode("utf-8")
        spans = []
        for a, b, cue_text, row in sorted(by_article.get(aid, [])):
            if a is None or b is None or not 0 <= a < b <= len(text) or (cue_text and text[a:b] != cue_text):
                raise AnalysisError(
                    f"analysis: {cues_csv} row {row}: offsets {a}-{b} do not cover "
                    f"{cue_text!r} in {path.name}; fix the offsets"
                )
            spans.append((a, b))
        docs.append(SzegedDocument(aid, text, tuple(sentences(text)), tuple(spans)))
    return docs


def _counted_hedges(pred: pd.DataFrame) -> pd.Series:
    """Rows that are hedges: not category 'condition', not is_hedge False."""
    keep = pd.Series(True, index=pred.index)
    if "category" in pred.columns:
        keep &= pred["category"].astype("string").fillna("").str.strip().str.lower() != "condition"
    if "is_hedge" in pred.columns:
        keep &= pred["is_hedge"].astype("string").fillna("").str.strip().str.lower() != "false"
    return keep


def score_hedges(docs: list[SzegedDocument], pred: pd.DataFrame, where: str = "predictions") -> dict:
    """P/R/F1 of predicted hedge cues against Szeged gold (from :func:`load_szeged`).

    ``pred`` has ``article_id, start, end`` and optionally ``category`` and ``is_hedge`` (the
    hedges frame of ``extract``); condition cues (``category`` 'condition' or ``is_hedge`` False)
    are not hedges and are ignored.

    * ``sentence``: a sentence is *uncertain* if a cue overlaps it; P/R/F1 of the uncertain class
      (CoNLL-2010 Task 1 style): does the tool flag the same sentences as the coders?
    * ``cue``: each gold cue, in text order, is paired with the first still-unpaired predicted cue
      (in file order) that overlaps it by at least one character; P = paired / predicted,
      R = paired / gold.
    """
    _require_columns(pred, HEDGE_PRED_COLUMNS, where)
    pred = pred[_counted_hedges(pred)]
    starts, ends = _offsets(pred, "start", where), _offsets(pred, "end", where)
    preds: dict[str, list[Span]] = defaultdict(list)
    for aid, a, b in zip(_ids(pred), starts, ends):
        if a is None or b is None:
            raise AnalysisError(
                f"analysis: {where}: article {aid!r} has a hedge without start/end; every hedge needs both offsets"
            )
        preds[aid].append((a, b))
    unknown = _check_known(set(preds), (d.article_id for d in docs), where, "the Szeged documents")
    s_tp = s_pred = s_gold = 0
    c_match = c_pred = c_gold = 0
    for doc in docs:
        p = preds.get(doc.article_id, [])
        for a, b in doc.sentences:
            g_unc = any(x < b and y > a for x, y in doc.cues)
            p_unc = any(x < b and y > a for x, y in p)
            s_tp += g_unc and p_unc
            s_pred += p_unc
            s_gold += g_unc
        used: set[int] = set()
        for ga, gb in doc.cues:
            j = next((j for j, (pa, pb) in enumerate(p) if j not in used and pa < gb and pb > ga), None)
            if j is not None:
                used.add(j)
        c_match += len(used)
        c_pred += len(p)
        c_gold += len(doc.cues)
    return {
        "documents": len(docs),
        "sentence": prf(s_tp, s_pred, s_gold),
        "cue": prf(c_match, c_pred, c_gold),
        "unknown_article_ids": unknown,
    }


# --------------------------------------------------------------------------- command line


def run_extractor(ids: list[str], texts: list[str]):
    """The extractor's frames on gold texts: what is scored when no predictions are given (the
    command line, and the benchmarks' held-out and non-US evaluations)."""
    return extract(pd.DataFrame({"article_id": ids, "text": texts}))


def _table(summary: dict, rows: list[tuple[str, str]]) -> str:
    lines = [f"{'':<22}{'P':>8}{'R':>8}{'F1':>8}{'found':>8}{'gold':>8}"]
    for label, key in rows:
        m = summary[key]
        lines.append(f"{label:<22}{m['p']:>8.3f}{m['r']:>8.3f}{m['f1']:>8.3f}{m['pred']:>8}{m['gold']:>8}")
    return "\n".join(lines)


def _print_attributions(s: dict, pred_name: str) -> None:
    print(
        f"Attributions: {pred_name} vs {s['articles']} gold articles "
        f"({s['pred_attributions']} found, {s['gold_attributions']} coded)"
    )
    print(
        _table(
            s,
            [
                ("attribution (cue)", "attr"),
                ("full (+source+content)", "full"),
                *[(f"words: {r}", f"token_{r}") for r in ROLES],
                *[(f"exact span: {r}", f"exact_{r}") for r in ROLES],
            ],
        )
    )
    print(
        f"paired attributions: source overlaps gold {s['matched_source_overlap']:.1%}, "
        f"mean content word F1 {s['matched_content_f1']:.3f}"
    )
    worst = s["per_article"].sort_values(["attr_f1", "article_id"]).head(5)
    if len(worst):
        print("articles with the lowest attribution F1 (found / coded):")
        for r in worst.itertuples():
            print(f"  {r.attr_f1:.3f}  {r.pred_attributions:>3} / {r.gold_attributions:<3} {r.article_id}")
    if s["unknown_article_ids"]:
        print(f"note: {s['unknown_article_ids']} predicted article id(s) are not in the gold and were not scored")


def _print_hedges(s: dict, pred_name: str) -> None:
    print(f"Hedges: {pred_name} vs {s['documents']} Szeged documents")
    print(_table(s, [("uncertain sentences", "sentence"), ("hedge cues", "cue")]))
    if s["unknown_article_ids"]:
        print(f"note: {s['unknown_article_ids']} predicted article id(s) are not in the documents and were not scored")


def cli_evaluate(args) -> int:
    """``analysis evaluate --gold DIR [--pred CSV]`` and/or ``--szeged XML [--hedges CSV] [--docs 0.8:]``."""
    if args.pred and not args.gold:
        raise AnalysisError("analysis: evaluate --pred needs --gold BRAT_DIR to score against")
    if args.hedges and not args.szeged:
        raise AnalysisError("analysis: evaluate --hedges needs --szeged XML to score against")
    if not args.gold and not args.szeged:
        raise AnalysisError("analysis: evaluate needs --gold BRAT_DIR (attributions) and/or --szeged XML (hedges)")
    out: dict = {}
    if args.gold:
        gold = load_gold(args.gold)
        if args.pred:
            pred, name = read_predictions(args.pred, ATTRIBUTION_PRED_COLUMNS), str(args.pred)
        else:
            ids = list(gold)
            pred, name = run_extractor(ids, [gold[a][0] for a in ids]).attributions, "the extractor"
        out["attributions"] = score_attributions(gold, pred, name)
        if not args.json:
            _print_attributions(out["attributions"], name)
    if args.szeged:
        docs = load_szeged(args.szeged, args.docs)
        if args.hedges:
            pred, name = read_predictions(args.hedges, HEDGE_PRED_COLUMNS), str(args.hedges)
        else:
            pred = run_extractor([d.article_id for d in docs], [d.text for d in docs]).hedges
            name = "the extractor"
        out["hedges"] = score_hedges(docs, pred, name)
        if not args.json:
            if args.gold:
                print()
            _print_hedges(out["hedges"], name)
    if args.json:
        if "attributions" in out:
            out["attributions"] = {
                **out["attributions"],
                "per_article": out["attributions"]["per_article"].to_dict("records"),
            }
        print(json.dumps(out, indent=1))
    return 0
