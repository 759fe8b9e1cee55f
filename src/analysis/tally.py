"""Tallies of the extraction frames: per article, outlet and month, with bootstrap intervals.

Everything here reads only the three frames (``attributions``, ``hedges``, ``articles``) and
returns tidy DataFrames, so a chart, a table and a headline figure are always the same numbers.
Rates are pooled (total hedges / total words), not averages of per-article rates, so a handful
of very short articles cannot dominate a month or an outlet. Intervals resample whole articles:
the article is the unit a newsroom publishes, and attributions within one story are not
independent of each other.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.extract import SOURCE_TYPES, Frames

# Source types that name someone: the "who is quoted" lists leave out anonymous and vague sources.
NAMED_TYPES = ("person", "organisation", "media", "document")


@dataclass(frozen=True)
class Metric:
    """A per-article ratio pooled over a group: sum(numerator) / sum(denominator) * scale."""

    label: str
    numerator: str
    denominator: str | None  # None: per article
    scale: float = 1.0


METRICS = {
    "attributions_per_article": Metric("Attributions per article", "n_attributions", None),
    "hedges_per_1k_words": Metric("Hedges per 1,000 words", "n_hedges", "n_words", 1000.0),
    "reporter_hedges_per_1k_words": Metric("Reporter-voice hedges per 1,000 words",
                                           "n_hedges_reporter", "n_words", 1000.0),
    "share_anonymous": Metric("Share of attributions to anonymous sources", "n_source_anonymous", "n_attributions"),
    "share_vague": Metric("Share of attributions to vague sources", "n_source_vague", "n_attributions"),
    "share_direct": Metric("Share of attributions that are direct quotes", "n_direct", "n_attributions"),
}


def _dates(series: pd.Series) -> pd.Series:
    dates = pd.to_datetime(series, errors="coerce", utc=True, format="mixed")
    return dates.dt.tz_localize(None)


def articles_table(frames: Frames) -> pd.DataFrame:
    """The per-article tallies with ``outlet`` and ``period`` (YYYY-MM) always present."""
    arts = frames.articles.copy()
    if "article_id" not in arts.columns:
        arts["article_id"] = pd.Series(dtype=str)
    arts["outlet"] = arts["outlet"].fillna("(unknown)") if "outlet" in arts.columns else "(unknown)"
    if "published" in arts.columns:
        arts["period"] = _dates(arts["published"]).dt.to_period("M").astype(str).replace("NaT", pd.NA)
    else:
        arts["period"] = pd.NA
    for col in {m.numerator for m in METRICS.values()} | {"n_words"}:
        if col not in arts.columns:
            arts[col] = pd.Series(0, index=arts.index, dtype="int64")
    return arts


def select(frames: Frames, outlet: str | None = None, start: str | None = None,
           end: str | None = None, article_ids=None) -> Frames:
    """The frames restricted to one outlet, a publication window (inclusive) and/or given articles."""
    arts = frames.articles
    keep = pd.Series(True, index=arts.index)
    if outlet is not None:
        keep &= arts["outlet"].eq(outlet) if "outlet" in arts.columns else False
    if start is not None or end is not None:
        dates = _dates(arts["published"]) if "published" in arts.columns else pd.Series(pd.NaT, index=arts.index)
        if start is not None:
            keep &= dates >= pd.Timestamp(start)
        if end is not None:
            # an end date names a whole day (or month): include everything published on it
            keep &= dates < pd.Timestamp(end) + _period_length(str(end))
    if article_ids is not None:
        keep &= arts["article_id"].astype(str).isin([str(a) for a in article_ids])
    arts = arts[keep.fillna(False).astype(bool)]
    ids = set(arts["article_id"].astype(str)) if "article_id" in arts.columns else set()
    return Frames(
        attributions=frames.attributions[frames.attributions["article_id"].astype(str).isin(ids)],
        hedges=frames.hedges[frames.hedges["article_id"].astype(str).isin(ids)],
        articles=arts,
    )


def _period_length(end: str) -> pd.DateOffset:
    return pd.DateOffset(months=1) if len(end.strip()) <= 7 else pd.DateOffset(days=1)


def _counted_hedges(frames: Frames) -> pd.DataFrame:
    h = frames.hedges
    return h[h["is_hedge"].fillna(True).astype(bool)] if len(h) else h


def headline(frames: Frames) -> dict:
    """The headline figures of a selection, as plain Python numbers (JSON-ready)."""
    arts = articles_table(frames)
    attrs = frames.attributions
    n_attr = int(len(attrs))
    n_words = int(arts["n_words"].sum())
    hedges = _counted_hedges(frames)
    n_hedges = int(len(hedges))
    n_rep = int((hedges["voice"] == "reporter").sum()) if n_hedges else 0
    types = attrs["source_type"].value_counts() if n_attr else pd.Series(dtype=int)
    named = attrs[attrs["source_type"].isin(NAMED_TYPES) & attrs["speaker"].notna()] if n_attr else attrs
    dates = _dates(arts["published"]).dropna() if "published" in arts.columns else pd.Series(dtype="datetime64[ns]")

    def share(n: int) -> float:
        return round(n / n_attr, 4) if n_attr else 0.0

    def per_k(n: int) -> float:
        return round(1000.0 * n / n_words, 3) if n_words else 0.0

    return {
        "n_articles": int(len(arts)),
        "n_outlets": int(arts["outlet"].nunique()),
        "first_published": dates.min().date().isoformat() if len(dates) else None,
        "last_published": dates.max().date().isoformat() if len(dates) else None,
        "n_words": n_words,
        "n_attributions": n_attr,
        "attributions_per_article": round(n_attr / len(arts), 3) if len(arts) else 0.0,
        "n_direct": int((attrs["kind"] == "direct").sum()) if n_attr else 0,
        "share_direct": share(int((attrs["kind"] == "direct").sum()) if n_attr else 0),
        "n_named_speakers": int(named["speaker"].nunique()) if len(named) else 0,
        "n_anonymous": int(types.get("anonymous", 0)),
        "share_anonymous": share(int(types.get("anonymous", 0))),
        "n_vague": int(types.get("vague", 0)),
        "share_vague": share(int(types.get("vague", 0))),
        "n_hedges": n_hedges,
        "n_hedges_reporter": n_rep,
        "hedges_per_1k_words": per_k(n_hedges),
        "reporter_hedges_per_1k_words": per_k(n_rep),
    }


def _with_group(frames: Frames, df: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """``df`` (rows with article_id) with a ``group`` column taken from the articles table."""
    df = df.copy()
    if by is None:
        df["group"] = "all"
        return df
    arts = articles_table(frames)
    groups = pd.Series(arts[by].to_numpy(), index=arts["article_id"].astype(str).to_numpy())
    df["group"] = df["article_id"].astype(str).map(groups)
    return df


def source_type_mix(frames: Frames, by: str | None = None) -> pd.DataFrame:
    """Attributions by source type (every type listed, zeros included): group, source_type, n, share."""
    attrs = _with_group(frames, frames.attributions, by)
    attrs["source_type"] = attrs["source_type"].fillna("unresolved")
    groups = sorted(attrs["group"].dropna().unique()) if by else ["all"]
    counts = attrs.groupby(["group", "source_type"]).size()
    types = SOURCE_TYPES + sorted(set(attrs["source_type"]) - set(SOURCE_TYPES))
    rows = []
    for g in groups:
        total = int(sum(counts.get((g, t), 0) for t in types))
        for t in types:
            n = int(counts.get((g, t), 0))
            rows.append({"group": g, "source_type": t, "n": n, "share": n / total if total else 0.0})
    return pd.DataFrame(rows, columns=["group", "source_type", "n", "share"])


def top_speakers(frames: Frames, n: int = 10, by: str | None = None) -> pd.DataFrame:
    """The most-cited named speakers: group, speaker, source_type, n attributions, n articles."""
    attrs = frames.attributions
    attrs = attrs[attrs["source_type"].isin(NAMED_TYPES) & attrs["speaker"].notna()]
    attrs = _with_group(frames, attrs, by)
    cols = ["group", "speaker", "source_type", "n", "n_articles"]
    if not len(attrs):
        return pd.DataFrame(columns=cols)
    out = (attrs.groupby(["group", "speaker"])
           .agg(source_type=("source_type", lambda s: s.mode().iat[0]),
                n=("article_id", "size"), n_articles=("article_id", "nunique"))
           .reset_index()
           .sort_values(["group", "n", "n_articles", "speaker"], ascending=[True, False, False, True]))
    return out.groupby("group", sort=True).head(n).reset_index(drop=True)[cols]


def cue_verbs(frames: Frames, n: int = 15, by: str | None = None) -> pd.DataFrame:
    """The most used attribution cues: group, cue_lemma, cue_category, n, share of the group."""
    attrs = _with_group(frames, frames.attributions, by)
    cols = ["group", "cue_lemma", "cue_category", "n", "share"]
    attrs = attrs[attrs["cue_lemma"].notna()]
    if not len(attrs):
        return pd.DataFrame(columns=cols)
    attrs["cue_category"] = attrs["cue_category"].fillna("(none)")
    out = attrs.groupby(["group", "cue_lemma", "cue_category"]).size().rename("n").reset_index()
    out["share"] = out["n"] / out.groupby("group")["n"].transform("sum")
    out = out.sort_values(["group", "n", "cue_lemma"], ascending=[True, False, True])
    return out.groupby("group", sort=True).head(n).reset_index(drop=True)[cols]


def _pooled(arts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    g = arts.groupby(keys, dropna=True)
    out = g.agg(n_articles=("article_id", "size"), n_words=("n_words", "sum"),
                n_attributions=("n_attributions", "sum"), n_hedges=("n_hedges", "sum"),
                n_hedges_reporter=("n_hedges_reporter", "sum")).reset_index()
    words = out["n_words"].where(out["n_words"] > 0)
    out["hedges_per_1k_words"] = (1000.0 * out["n_hedges"] / words).fillna(0.0)
    out["reporter_hedges_per_1k_words"] = (1000.0 * out["n_hedges_reporter"] / words).fillna(0.0)
    out["attributions_per_article"] = out["n_attributions"] / out["n_articles"]
    return out


def hedging_over_time(frames: Frames, by: str | None = None) -> pd.DataFrame:
    """Pooled hedging rates per month (and group): all hedges and reporter-voice hedges per 1,000 words."""
    arts = articles_table(frames)
    arts["group"] = arts[by] if by else "all"
    cols = ["group", "period", "n_articles", "n_words", "n_attributions", "n_hedges", "n_hedges_reporter",
            "hedges_per_1k_words", "reporter_hedges_per_1k_words", "attributions_per_article"]
    arts = arts[arts["period"].notna()]
    if not len(arts):
        return pd.DataFrame(columns=cols)
    return _pooled(arts, ["group", "period"]).sort_values(["group", "period"]).reset_index(drop=True)[cols]


def per_outlet(frames: Frames) -> pd.DataFrame:
    """One row per outlet: article and word counts and the pooled rates."""
    arts = articles_table(frames)
    cols = ["outlet", "n_articles", "n_words", "n_attributions", "n_hedges", "n_hedges_reporter",
            "hedges_per_1k_words", "reporter_hedges_per_1k_words", "attributions_per_article"]
    if not len(arts):
        return pd.DataFrame(columns=cols)
    return _pooled(arts, ["outlet"]).sort_values("outlet").reset_index(drop=True)[cols]


def bootstrap_intervals(frames: Frames, metrics=("hedges_per_1k_words", "attributions_per_article"),
                        by: str = "outlet", n_resamples: int = 2000, ci: float = 0.95,
                        seed: int = 20170301) -> pd.DataFrame:
    """Percentile bootstrap intervals per group, resampling whole articles.

    Deterministic: each group's generator is seeded from ``seed`` and the group's name, so adding
    or removing another outlet never moves this one's interval. Columns: group, metric, label,
    estimate, low, high, n_articles, n_resamples, ci.
    """
    arts = articles_table(frames)
    cols = ["group", "metric", "label", "estimate", "low", "high", "n_articles", "n_resamples", "ci"]
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; choose from {sorted(METRICS)}")
    rows = []
    alpha = (1.0 - ci) / 2.0
    for group, part in arts.groupby(by, sort=True):
        rng_seed = [seed, zlib.crc32(str(group).encode("utf-8"))]
        idx = np.random.default_rng(rng_seed).integers(0, len(part), size=(n_resamples, len(part)))
        for name in metrics:
            m = METRICS[name]
            num = part[m.numerator].to_numpy(dtype=float)
            den = part[m.denominator].to_numpy(dtype=float) if m.denominator else np.ones(len(part))
            with np.errstate(invalid="ignore", divide="ignore"):
                estimate = m.scale * num.sum() / den.sum() if den.sum() else np.nan
                boot = m.scale * num[idx].sum(axis=1) / den[idx].sum(axis=1)
            boot = boot[np.isfinite(boot)]
            low, high = (np.quantile(boot, [alpha, 1.0 - alpha]) if len(boot) else (np.nan, np.nan))
            rows.append({"group": group, "metric": name, "label": m.label, "estimate": float(estimate),
                         "low": float(low), "high": float(high), "n_articles": int(len(part)),
                         "n_resamples": n_resamples, "ci": ci})
    return pd.DataFrame(rows, columns=cols)


def attributions_of(frames: Frames, source_type: str | None = None, kind: str | None = None,
                    speaker: str | None = None) -> pd.DataFrame:
    """The attribution rows behind a figure (e.g. every anonymous source), in article order."""
    a = frames.attributions
    if source_type is not None:
        a = a[a["source_type"] == source_type]
    if kind is not None:
        a = a[a["kind"] == kind]
    if speaker is not None:
        a = a[a["speaker"] == speaker]
    return a.sort_values(["article_id", "cue_start"], kind="stable")


def hedges_of(frames: Frames, voice: str | None = None, category: str | None = None) -> pd.DataFrame:
    """The counted hedge rows behind a figure (e.g. reporter-voice hedges), in article order."""
    h = _counted_hedges(frames)
    if voice is not None:
        h = h[h["voice"] == voice]
    if category is not None:
        h = h[h["category"] == category]
    return h.sort_values(["article_id", "start"], kind="stable")
