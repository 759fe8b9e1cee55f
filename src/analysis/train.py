"""Train the attribution cue model on PolNeAR train: ``python -m analysis.train [POLNEAR_DIR]``.

Writes ``src/analysis/models/attribution.json`` (a few hundred kB of JSON: cue vocabulary, the
logistic-regression weight of each context feature, the cue-extension tables and the decision
threshold). Deterministic: the same data gives the same file. scikit-learn is needed here only,
never at inference. POLNEAR_DIR defaults to ``../shared/corpora/polnear`` beside the repository
(or ``$ANALYSIS_SHARED/corpora/polnear``); only its ``train`` split is read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

from analysis.attribution import cues
from analysis.doc import Doc

MODEL_OUT = Path(__file__).resolve().parent / "models" / "attribution.json"
# Words that annotators fold into cue spans but that never head a cue on their own.
STOP = frozenset(
    """to of a an the on about is for in s has have was are not with t as at by had been were
would will be it and that from more over up out his her their this could can so just even like its
my our your he she they we i you who which what there than do does did no into very also""".split()
)


def default_polnear() -> Path:
    shared = os.environ.get("ANALYSIS_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[3] / "shared"
    return base / "corpora" / "polnear"


def load_brat(split_dir: Path) -> dict[str, tuple[str, list[dict]]]:
    """Article stem -> (text, attributions as {'Cue': [(s, e)], 'Source': [...], 'Content': [...]}).

    The gold is read by :func:`analysis.evaluate.load_brat` (first annotator's file per article, as
    the PolNeAR scorer does), so training and evaluation see the same attributions.
    """
    from analysis.evaluate import load_brat as load_gold

    return {
        aid: (text, [{"Cue": sorted(g.cue), "Source": sorted(g.source), "Content": sorted(g.content)} for g in gold])
        for aid, (text, gold) in load_gold(split_dir).items()
    }


def _hull_tokens(doc: Doc, spans) -> tuple[int, int] | None:
    """First and last word token overlapping the spans (the scorer's view of a span)."""
    a, b = min(s for s, _ in spans), max(e for _, e in spans)
    toks = [k for k in range(doc.tok_at(a), len(doc.norm)) if doc.starts[k] < b]
    toks = [k for k in toks if doc.is_word(k)]
    return (toks[0], toks[-1]) if toks else None


def build(articles: dict) -> tuple[dict, list, list, list, list, int]:
    """Vocabulary and extension tables, then the candidate feature rows and labels."""
    in_cue, total = Counter(), Counter()
    docs = []
    for _stem, (text, gold) in sorted(articles.items()):
        doc = Doc(text)
        cues.prepare(doc)
        pairs = [(h, bool(g.get("Source"))) for h, g in ((_hull_tokens(doc, g["Cue"]), g) for g in gold) if h]
        hulls = [h for h, _ in pairs]
        cue_tok = {}
        for n_cue, (a, b) in enumerate(hulls):
            for k in range(a, b + 1):
                cue_tok.setdefault(k, n_cue)
        for k, w in enumerate(doc.norm):
            total[w] += 1
            if k in cue_tok:
                in_cue[w] += 1
        docs.append((doc, hulls, cue_tok, [src for _, src in pairs]))
    ratio = {w: in_cue[w] / total[w] for w in in_cue}
    vocab = sorted(w for w, c in in_cue.items() if c >= 2 and ratio[w] >= 0.05 and w not in STOP and (w[0].isalpha()))
    lex = set(cues.cue_lexicon())
    cand_words = set(vocab) | {w for w in lex if " " not in w}

    left, right = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    nosource = defaultdict(lambda: [0, 0])
    X, y, groups, cue_ids = [], [], [], []
    for n, (doc, hulls, cue_tok, sources) in enumerate(docs):
        heads = set()
        for (a, b), has_source in zip(hulls, sources):
            inside = [k for k in range(a, b + 1) if doc.norm[k] in cand_words]
            if not inside:
                continue
            h = max(inside, key=lambda k: (ratio.get(doc.norm[k], 0.0), -k))
            heads.add(h)
            nosource[doc.norm[h]][1] += 1
            nosource[doc.norm[h]][0] += not has_source
            # step j asks: given the cue already reaches j-1 words out, does it reach j?
            for j in range(1, 5):
                if h - j < 0 or a > h - j + 1:
                    break
                seq = doc.norm[h - j : h]
                for key in ((*seq, doc.norm[h]), ("*", *seq), ("*", cues.word_class(doc.norm[h - j]))):
                    left[key][1] += 1
                    left[key][0] += a <= h - j
            for j in range(1, 5):
                if h + j >= len(doc.norm) or b < h + j - 1:
                    break
                seq = doc.norm[h + 1 : h + 1 + j]
                for key in ((doc.norm[h], *seq), ("*", *seq)):
                    right[key][1] += 1
                    right[key][0] += b >= h + j
        for i, w in enumerate(doc.norm):
            # a candidate inside a gold cue other than its head ("statement" in "said in a
            # statement", "made" in "has made no secret of") is no training row: it is neither a
            # cue of its own nor a false alarm, and as a positive it taught the model that a
            # word's every use near a cue is one (held-out train sixths A / B: exact cue F1
            # +1.0 / +0.7 points, attribution F1 +0.1 / +0.4)
            if w in cand_words and (i not in cue_tok or i in heads):
                X.append(cues.cue_features(doc, i, doc.sentence_tokens(i)))
                y.append(int(i in cue_tok))
                groups.append(n)
                cue_ids.append(f"{n}:{cue_tok[i]}" if i in cue_tok else "")
    # keep the decisive rows only: a step is taken when its row says so, otherwise the next
    # (more general) row is consulted, so rows that say "no" are kept too when well attested
    tables = {
        side: {" ".join(k): round(v[0] / v[1], 3) for k, v in tab.items() if v[1] >= 3}
        for side, tab in (("left", left), ("right", right))
    }
    tables["nosource"] = {k: round(v[0] / v[1], 3) for k, v in nosource.items() if v[1] >= 5 and v[0] / v[1] >= 0.7}
    n_gold = sum(len(d[1]) for d in docs)
    return {"vocab": vocab, **tables}, X, y, groups, cue_ids, n_gold


def fit(X, y, groups, cue_ids, n_gold, C: float = 0.5):
    """Weights per feature string and a threshold chosen on out-of-fold predictions."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    # features seen once carry no evidence and make the model file large
    seen = Counter(f for row in X for f in set(row))
    vec = DictVectorizer()
    M = vec.fit_transform([{f: 1 for f in row if seen[f] >= 2} for row in X]).tocsr()
    M.indices = M.indices.astype(np.int32)  # liblinear takes 32-bit sparse indices only
    M.indptr = M.indptr.astype(np.int32)
    y = np.asarray(y)
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(M, y, groups):
        clf = LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=0)
        clf.fit(M[tr], y[tr])
        oof[te] = clf.predict_proba(M[te])[:, 1]

    # the threshold that maximises an attribution-level F1 out of fold: a gold cue is found when
    # any of its candidate words passes; a passing word outside every gold cue is a false alarm
    def attr_f1(t):
        hit = oof >= t
        found = len({c for c, h in zip(cue_ids, hit) if h and c})
        false = int((hit & (y == 0)).sum())
        p = found / (found + false) if found + false else 0.0
        r = found / n_gold
        return 2 * p * r / (p + r) if p + r else 0.0

    best = max((attr_f1(t), t) for t in np.arange(0.2, 0.8, 0.02))
    clf = LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=0)
    clf.fit(M, y)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-3}
    return weights, round(float(clf.intercept_[0]), 4), round(float(best[1]), 3), float(best[0]), oof


def train_model(articles: dict, C: float = 0.5) -> tuple[dict, float]:
    """The model (the JSON-able dict written by :func:`main`) trained on ``articles`` (from
    :func:`load_brat`), with its out-of-fold attribution F1."""
    # the model being trained must not see an earlier model's vocabulary
    cues.clear_model_caches()
    meta, X, y, groups, cue_ids, n_gold = build(articles)
    weights, bias, threshold, f1, oof = fit(X, y, groups, cue_ids, n_gold, C)
    # a learned candidate word that never found a true cue out of fold only costs time and false
    # alarms ("campaign", "states"); lexicon words stay candidates whatever their score. (Keeping
    # every word that passed the threshold once gave the same held-out F1 with more candidates;
    # asking for two true cues lost 0.003-0.004 attribution F1 on both held-out sixths.)
    found: Counter = Counter()
    for row, p, label in zip(X, oof, y):
        if label and p >= threshold:
            found[row[0][2:]] += 1  # the "w=" feature
    meta["vocab"] = [w for w in meta["vocab"] if found[w]]
    model = {
        "about": "PolNeAR-train cue model; retrain with python -m analysis.train",
        "articles": len(articles),
        "candidates": len(y),
        "positives": int(sum(y)),
        "oof_attribution_f1": round(f1, 4),
        "threshold": threshold,
        "bias": bias,
        **meta,
        "weights": weights,
    }
    return model, f1


def write_model(model: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, sort_keys=True, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis.train", description=__doc__.splitlines()[0])
    ap.add_argument("polnear", nargs="?", type=Path, default=default_polnear())
    ap.add_argument("--out", type=Path, default=MODEL_OUT)
    ap.add_argument("-C", type=float, default=0.5, help="inverse L2 regularisation strength")
    args = ap.parse_args(argv)
    train_dir = args.polnear / "train"
    if not (train_dir / "text").is_dir():
        print(
            f"analysis: {train_dir} has no text/ folder; pass the PolNeAR folder as the first argument", file=sys.stderr
        )
        return 2
    model, f1 = train_model(load_brat(train_dir), args.C)
    write_model(model, args.out)
    print(
        f"wrote {args.out}: {len(model['vocab'])} vocabulary words, {len(model['weights'])} weights, "
        f"threshold {model['threshold']}, out-of-fold attribution F1 {f1:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
