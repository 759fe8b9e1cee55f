"""Readers of hand-coded ("gold") data: attributions in BRAT standoff (PolNeAR layout) or as a
spreadsheet (``attributions.csv``), and hedge cues in the Szeged Uncertainty XML or as CSV."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from analysis.doc import sentences
from analysis.errors import AnalysisError
from analysis.evaluate.common import (
    ATTRIBUTION_PRED_COLUMNS,
    HEDGE_PRED_COLUMNS,
    Span,
    _ids,
    _offsets,
    _role_spans,
    _row,
    read_predictions,
)

# A BRAT file name ends in the annotator's 4-hex-digit code (PolNeAR), or names the article alone.
_ANNOTATOR = re.compile(r"_[0-9a-f]{4}$")


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
