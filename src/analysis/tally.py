"""Tallies of the extraction frames: per article, outlet and month, with bootstrap intervals.

Every function takes either the frames in memory (``Frames``, from ``extract`` or the cache) or a
results folder written by ``analysis extract --out DIR`` (CSV or Parquet partitions), or a
selection of either made by :func:`select`. Each metric is written once, over the streamed
group-bys of ``results.py``: in memory a frame is one batch; on disk pyarrow reads only the
columns a tally needs (and, for evidence, only the matching rows), so both give the same tables
and a million-article run is never in pandas whole.

Rates are pooled (total hedges / total words), not averages of per-article rates, so a handful
of very short articles cannot dominate a month or an outlet. Intervals resample whole articles:
the article is the unit a newsroom publishes, and attributions within one story are not
independent of each other.
"""

from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import results
from analysis.errors import AnalysisError
from analysis.schema import FRAME_NAMES, SOURCE_TYPES, Frames

# Source types that name someone: the "who is quoted" lists leave out anonymous and vague sources.
NAMED_TYPES = ("person", "organisation", "media", "document")
UNKNOWN_OUTLET = "(unknown)"
# 'condition' cues (is_hedge False) are reported but not counted; a missing flag counts.
COUNTED = {"is_hedge": (True, None)}
# Cells of one block of bootstrap indices (resamples x articles): bounds memory for big outlets.
_BOOT_CELLS = 20_000_000


@dataclass(frozen=True)
class Metric:
    """A per-article ratio pooled over a group: sum(numerator) / sum(denominator) * scale."""

    label: str
    numerator: str
    denominator: str  # an articles column; "n_articles" (1 per article) for "per article"
    scale: float = 1.0

    def of(self, numerator, denominator):
        """The pooled value from summed numerator and denominator (NaN where the denominator is 0)."""
        num = np.asarray(numerator, dtype=float)
        den = np.asarray(denominator, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.scale * num / np.where(den > 0, den, np.nan)


METRICS = {
    "attributions_per_article": Metric("Attributions per article", "n_attributions", "n_articles"),
    "hedges_per_1k_words": Metric("Hedges per 1,000 words", "n_hedges", "n_words", 1000.0),
    "reporter_hedges_per_1k_words": Metric(
        "Reporter-voice hedges per 1,000 words", "n_hedges_reporter", "n_words", 1000.0
    ),
    "share_anonymous": Metric("Share of attributions to anonymous sources", "n_source_anonymous", "n_attributions"),
    "share_vague": Metric("Share of attributions to vague sources", "n_source_vague", "n_attributions"),
    "share_direct": Metric("Share of attributions that are direct quotes", "n_direct", "n_attributions"),
}
_TABLE_METRICS = ("hedges_per_1k_words", "reporter_hedges_per_1k_words", "attributions_per_article")
_TABLE_SUMS = ["n_words", "n_attributions", "n_hedges", "n_hedges_reporter"]


def _dates(series: pd.Series) -> pd.Series:
    dates = pd.to_datetime(series, errors="coerce", utc=True, format="mixed")
    return dates.dt.tz_localize(None)


def outlet_key(name) -> str:
    """How outlet names are compared: 'RTE', 'rte' and 'RTÉ' are one outlet (case, accents and spacing aside)."""
    text = unicodedata.normalize("NFKD", str(name))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def _outlet_is(col: pd.Series, outlet) -> pd.Series:
    key = outlet_key(outlet)
    # the key of each distinct name, not of each row: a million rows hold a few dozen outlets
    return col.isin([v for v in col.dropna().unique() if outlet_key(v) == key])


def _keep(arts: pd.DataFrame, outlet, start, end, article_ids) -> pd.Series:
    keep = pd.Series(True, index=arts.index)
    if outlet is not None:
        keep &= _outlet_is(arts["outlet"], outlet) if "outlet" in arts.columns else False
    if start is not None or end is not None:
        dates = _dates(arts["published"]) if "published" in arts.columns else pd.Series(pd.NaT, index=arts.index)
        if start is not None:
            keep &= dates >= pd.Timestamp(start)
        if end is not None:
            # an end date names a whole day (or month): include everything published on it
            keep &= dates < pd.Timestamp(end) + _period_length(str(end))
    if article_ids is not None:
        keep &= arts["article_id"].astype(str).isin([str(a) for a in article_ids])
    return keep.fillna(False).astype(bool)


def matching(articles: pd.DataFrame, outlet=None, start=None, end=None, article_ids=None) -> pd.Series:
    """Which rows of an articles (or corpus) frame a selection keeps, as :func:`select` chooses them."""
    return _keep(articles, outlet, start, end, article_ids)


def _listed(names: list[str], most: int = 30) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def no_match(batches, outlet=None, start=None, end=None) -> str | None:
    """Why an outlet / period selection matches no article, in one line; None when it matches some.

    ``batches``: article (or corpus) frames with ``outlet`` and ``published`` columns. The line lists
    the outlets that exist (when the outlet matches nothing) or the dates of the articles there are.
    """
    names: dict[str, int] = {}
    first = last = None
    matched = 0
    for b in batches:
        matched += int(_keep(b, outlet, start, end, None).sum())
        if "outlet" in b.columns:
            for name, n in b["outlet"].dropna().astype(str).value_counts().items():
                names[name] = names.get(name, 0) + int(n)
        mine = _keep(b, outlet, None, None, None)
        dates = _dates(b.loc[mine, "published"]).dropna() if "published" in b.columns else pd.Series(dtype=object)
        if len(dates):
            first = min(first, dates.min()) if first is not None else dates.min()
            last = max(last, dates.max()) if last is not None else dates.max()
    if matched:
        return None
    known = sorted((n for n in names if n.strip()), key=outlet_key)
    if outlet is not None and not any(outlet_key(n) == outlet_key(outlet) for n in known):
        if not known:
            return f"outlet {outlet!r} matches no article: the corpus names no outlets; leave outlet empty"
        return f"outlet {outlet!r} matches no article; the outlets are {_listed(known)} (case and accents are ignored)"
    own = next((n for n in known if outlet is not None and outlet_key(n) == outlet_key(outlet)), None)
    whose, its = (f" of outlet {own!r}", "its articles") if own is not None else ("", "the articles")
    have = f"were published {first:%Y-%m-%d} to {last:%Y-%m-%d}" if first is not None else "have no publication date"
    return f"no article{whose} was published {start or 'any time'} to {end or 'the latest'}; {its} {have}"


def outlet_name(data, outlet: str | None) -> str | None:
    """The data's own spelling of ``outlet`` ('rte' -> 'RTÉ'), to show readers; ``outlet`` if none matches."""
    if outlet is None:
        return None
    counts: dict[str, int] = {}
    for b in results.scan(data, "articles", columns=["outlet"]):
        for name, n in b.loc[_outlet_is(b["outlet"], outlet), "outlet"].astype(str).value_counts().items():
            counts[name] = counts.get(name, 0) + int(n)
    return max(sorted(counts), key=counts.get) if counts else outlet


def select(
    data,
    outlet: str | None = None,
    start: str | None = None,
    end: str | None = None,
    article_ids=None,
    must_match: bool = False,
):
    """The data restricted to one outlet, a publication window (inclusive) and/or given articles.

    Outlet names match ignoring case and accents (:func:`outlet_key`: ``"rte"`` selects ``RTÉ``).
    Frames in, Frames out. A results folder in, a :class:`results.Selection` out: the articles'
    keys are tested batch by batch and the chosen ids become a filter on every later read.
    ``must_match``: an outlet or period that matches no article is an ``AnalysisError`` listing
    the outlets (or the dates) there are, instead of an empty selection.
    """
    src = results.as_source(data)
    if must_match and (outlet is not None or start is not None or end is not None):
        why = no_match(results.scan(src, "articles", columns=["outlet", "published"]), outlet, start, end)
        if why:
            raise AnalysisError(f"analysis: {why}")
    if isinstance(src, results.Selection):
        if outlet is None and start is None and end is None and article_ids is None:
            return src
        import pyarrow as pa

        ids = [
            b.loc[_keep(b, outlet, start, end, article_ids), "article_id"].astype(str)
            for b in results.scan(src, "articles", columns=["article_id", "outlet", "published"])
        ]
        chosen = pd.concat(ids).tolist() if ids else []
        return results.Selection(src.out, pa.array(chosen, type=pa.string()))
    arts = src.articles[_keep(src.articles, outlet, start, end, article_ids)]
    ids = set(arts["article_id"].astype(str)) if "article_id" in arts.columns else set()
    return Frames(
        attributions=src.attributions[src.attributions["article_id"].astype(str).isin(ids)],
        hedges=src.hedges[src.hedges["article_id"].astype(str).isin(ids)],
        articles=arts,
    )


def in_memory(data) -> Frames:
    """The three frames of the data in pandas: for one article or a small selection of a folder."""
    src = results.as_source(data)
    if isinstance(src, Frames):
        return src
    return Frames(*(results.read_rows(src, name) for name in FRAME_NAMES))


def _period_length(end: str) -> pd.DateOffset:
    return pd.DateOffset(months=1) if len(end.strip()) <= 7 else pd.DateOffset(days=1)


def _n(counts: pd.DataFrame, col: str | None = None, value=None) -> int:
    """Total ``n`` of a count table, optionally of the rows whose ``col`` is ``value``."""
    rows = counts if col is None else counts[counts[col].isin([value])]
    return int(rows["n"].sum())


def _rounded(value: float, digits: int) -> float:
    return round(float(value), digits) if np.isfinite(value) else 0.0


def headline(data) -> dict:
    """The headline figures of a selection, as plain Python numbers (JSON-ready)."""
    src = results.as_source(data)
    days = results.group_totals(src, by=["outlet", "day"], sums=["n_words"])
    attrs = results.count_rows(src, "attributions", by=["kind", "source_type"])
    named = results.count_rows(src, "attributions", by=["speaker"], where={"source_type": NAMED_TYPES})
    hedges = results.count_rows(src, "hedges", by=["voice"], where=COUNTED)
    n_articles, n_words = int(days["n_articles"].sum()), int(days["n_words"].sum())
    n_attr, n_direct = _n(attrs), _n(attrs, "kind", "direct")
    n_anon, n_vague = _n(attrs, "source_type", "anonymous"), _n(attrs, "source_type", "vague")
    n_hedges, n_rep = _n(hedges), _n(hedges, "voice", "reporter")
    dates = days["day"].dropna()

    def metric(name: str, num: int, den: int, digits: int) -> float:
        return _rounded(METRICS[name].of(num, den), digits)

    return {
        "n_articles": n_articles,
        "n_outlets": int(days["outlet"].fillna(UNKNOWN_OUTLET).nunique()),
        "first_published": str(dates.min()) if len(dates) else None,
        "last_published": str(dates.max()) if len(dates) else None,
        "n_words": n_words,
        "n_attributions": n_attr,
        "attributions_per_article": metric("attributions_per_article", n_attr, n_articles, 3),
        "n_direct": n_direct,
        "share_direct": metric("share_direct", n_direct, n_attr, 4),
        "n_named_speakers": int(named["speaker"].notna().sum()),
        "n_anonymous": n_anon,
        "share_anonymous": metric("share_anonymous", n_anon, n_attr, 4),
        "n_vague": n_vague,
        "share_vague": metric("share_vague", n_vague, n_attr, 4),
        "n_hedges": n_hedges,
        "n_hedges_reporter": n_rep,
        "hedges_per_1k_words": metric("hedges_per_1k_words", n_hedges, n_words, 3),
        "reporter_hedges_per_1k_words": metric("reporter_hedges_per_1k_words", n_rep, n_words, 3),
    }


def _with_group(df: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """``df`` with a ``group`` column from its ``by`` column, without the rows that have no group."""
    if by is None:
        return df.assign(group="all")
    group = df[by].fillna(UNKNOWN_OUTLET) if by == "outlet" else df[by]
    return df.assign(group=group)[group.notna().to_numpy()]


def _keys(by: str | None, *rest: str) -> list[str]:
    return list(dict.fromkeys([*([by] if by else []), *rest]))


def _pooled(sums: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Group sums re-added over ``keys`` (groups merged by a filled key), with the pooled rates."""
    out = sums.groupby(keys, dropna=True, sort=True)[["n_articles", *_TABLE_SUMS]].sum().reset_index()
    for name in _TABLE_METRICS:
        m = METRICS[name]
        out[name] = pd.Series(m.of(out[m.numerator], out[m.denominator]), index=out.index).fillna(0.0)
    return out


def source_type_mix(data, by: str | None = None) -> pd.DataFrame:
    """Attributions by source type (every type listed, zeros included): group, source_type, n, share."""
    counts = results.count_rows(data, "attributions", by=_keys(by, "source_type"))
    counts = _with_group(counts, by)
    counts["source_type"] = counts["source_type"].fillna("unresolved")
    totals = counts.groupby(["group", "source_type"])["n"].sum()
    groups = sorted(counts["group"].unique()) if by else ["all"]
    types = SOURCE_TYPES + sorted(set(counts["source_type"]) - set(SOURCE_TYPES))
    rows = []
    for g in groups:
        total = int(sum(totals.get((g, t), 0) for t in types))
        for t in types:
            n = int(totals.get((g, t), 0))
            rows.append({"group": g, "source_type": t, "n": n, "share": n / total if total else 0.0})
    return pd.DataFrame(rows, columns=["group", "source_type", "n", "share"])


def top_speakers(data, n: int = 10, by: str | None = None) -> pd.DataFrame:
    """The most-cited named speakers: group, speaker, source_type, n attributions, n articles."""
    cols = ["group", "speaker", "source_type", "n", "n_articles"]
    named = {"source_type": NAMED_TYPES}
    per_type = results.count_rows(data, "attributions", by=_keys(by, "speaker", "source_type"), where=named)
    per_type = _with_group(per_type[per_type["speaker"].notna()], by)
    if not len(per_type):
        return pd.DataFrame(columns=cols)
    totals = results.count_rows(data, "attributions", by=_keys(by, "speaker"), where=named, distinct="article_id")
    totals = (
        _with_group(totals[totals["speaker"].notna()], by)
        .groupby(["group", "speaker"])[["n", "n_distinct"]]
        .sum()
        .reset_index()
        .rename(columns={"n_distinct": "n_articles"})
    )
    # a speaker's type is the one most of their attributions have (ties: alphabetical)
    per_type = per_type.groupby(["group", "speaker", "source_type"])["n"].sum().reset_index()
    mode = per_type.sort_values(
        ["group", "speaker", "n", "source_type"], ascending=[True, True, False, True]
    ).drop_duplicates(["group", "speaker"])[["group", "speaker", "source_type"]]
    out = totals.merge(mode, on=["group", "speaker"]).sort_values(
        ["group", "n", "n_articles", "speaker"], ascending=[True, False, False, True]
    )
    return out.groupby("group", sort=True).head(n).reset_index(drop=True)[cols]


def cue_verbs(data, n: int = 15, by: str | None = None) -> pd.DataFrame:
    """The most used attribution cues: group, cue_lemma, cue_category, n, share of the group."""
    cols = ["group", "cue_lemma", "cue_category", "n", "share"]
    counts = results.count_rows(data, "attributions", by=_keys(by, "cue_lemma", "cue_category"))
    counts = _with_group(counts[counts["cue_lemma"].notna()], by)
    if not len(counts):
        return pd.DataFrame(columns=cols)
    counts["cue_category"] = counts["cue_category"].fillna("(none)")
    out = counts.groupby(["group", "cue_lemma", "cue_category"])["n"].sum().reset_index()
    out["share"] = out["n"] / out.groupby("group")["n"].transform("sum")
    out = out.sort_values(["group", "n", "cue_lemma"], ascending=[True, False, True])
    return out.groupby("group", sort=True).head(n).reset_index(drop=True)[cols]


def hedging_over_time(data, by: str | None = None) -> pd.DataFrame:
    """Pooled hedging rates per month (and group): all hedges and reporter-voice hedges per 1,000 words."""
    cols = [
        "group",
        "period",
        "n_articles",
        "n_words",
        "n_attributions",
        "n_hedges",
        "n_hedges_reporter",
        "hedges_per_1k_words",
        "reporter_hedges_per_1k_words",
        "attributions_per_article",
    ]
    sums = _with_group(results.group_totals(data, by=_keys(by, "period"), sums=_TABLE_SUMS), by)
    sums = sums[sums["period"].notna()]
    if not len(sums):
        return pd.DataFrame(columns=cols)
    return _pooled(sums, ["group", "period"])[cols]


def per_outlet(data) -> pd.DataFrame:
    """One row per outlet: article and word counts and the pooled rates."""
    cols = [
        "outlet",
        "n_articles",
        "n_words",
        "n_attributions",
        "n_hedges",
        "n_hedges_reporter",
        "hedges_per_1k_words",
        "reporter_hedges_per_1k_words",
        "attributions_per_article",
    ]
    sums = results.group_totals(data, by=["outlet"], sums=_TABLE_SUMS)
    if not len(sums):
        return pd.DataFrame(columns=cols)
    sums["outlet"] = sums["outlet"].fillna(UNKNOWN_OUTLET)
    return _pooled(sums, ["outlet"])[cols]


def bootstrap_intervals(
    data,
    metrics=("hedges_per_1k_words", "attributions_per_article"),
    by: str = "outlet",
    n_resamples: int = 2000,
    ci: float = 0.95,
    seed: int = 20170301,
) -> pd.DataFrame:
    """Percentile bootstrap intervals per group, resampling whole articles.

    Deterministic: each group's generator is seeded from ``seed`` and the group's name, so adding
    or removing another outlet never moves this one's interval. Columns: group, metric, label,
    estimate, low, high, n_articles, n_resamples, ci. Reads only the group key and the metrics'
    per-article columns; the resampling runs in blocks so a large outlet never needs every
    resample's indices at once.
    """
    cols = ["group", "metric", "label", "estimate", "low", "high", "n_articles", "n_resamples", "ci"]
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; choose from {sorted(METRICS)}")
    needed = sorted({c for m in metrics for c in (METRICS[m].numerator, METRICS[m].denominator)} - {"n_articles"})
    parts = list(results.scan_articles(data, [by], needed))
    arts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[by, *needed])
    arts["n_articles"] = 1
    rows = []
    alpha = (1.0 - ci) / 2.0
    for group, part in _with_group(arts, by).groupby("group", sort=True):
        values = {c: part[c].to_numpy(dtype=float) for c in {*needed, "n_articles"}}
        boots: dict[str, list[np.ndarray]] = {name: [] for name in metrics}
        # one stream of indices per group, shared by every metric, drawn block by block (the same
        # numbers as one draw): memory holds one block, not every resample of a large outlet
        rng = np.random.default_rng([seed, zlib.crc32(str(group).encode("utf-8"))])
        block = max(1, _BOOT_CELLS // len(part))
        for first in range(0, n_resamples, block):
            idx = rng.integers(0, len(part), size=(min(block, n_resamples - first), len(part)))
            for name in metrics:
                m = METRICS[name]
                boots[name].append(m.of(values[m.numerator][idx].sum(axis=1), values[m.denominator][idx].sum(axis=1)))
        for name in metrics:
            m = METRICS[name]
            boot = np.concatenate(boots[name]) if boots[name] else np.array([])
            boot = boot[np.isfinite(boot)]
            low, high = np.quantile(boot, [alpha, 1.0 - alpha]) if len(boot) else (np.nan, np.nan)
            rows.append(
                {
                    "group": group,
                    "metric": name,
                    "label": m.label,
                    "estimate": float(m.of(values[m.numerator].sum(), values[m.denominator].sum())),
                    "low": float(low),
                    "high": float(high),
                    "n_articles": int(len(part)),
                    "n_resamples": n_resamples,
                    "ci": ci,
                }
            )
    return pd.DataFrame(rows, columns=cols)


def attributions_of(
    data, source_type: str | None = None, kind: str | None = None, speaker: str | None = None
) -> pd.DataFrame:
    """The attribution rows behind a figure (e.g. every anonymous source), in article order.

    On a results folder only the matching rows are read (a pyarrow filter).
    """
    where = {k: v for k, v in (("source_type", source_type), ("kind", kind), ("speaker", speaker)) if v is not None}
    rows = results.read_rows(data, "attributions", where=where)
    return rows.sort_values(["article_id", "cue_start"], kind="stable", ignore_index=True)


def hedges_of(data, voice: str | None = None, category: str | None = None) -> pd.DataFrame:
    """The counted hedge rows behind a figure (e.g. reporter-voice hedges), in article order."""
    where = {**COUNTED, **{k: v for k, v in (("voice", voice), ("category", category)) if v is not None}}
    rows = results.read_rows(data, "hedges", where=where)
    return rows.sort_values(["article_id", "start"], kind="stable", ignore_index=True)
