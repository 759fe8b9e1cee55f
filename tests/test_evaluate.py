"""evaluate: our P/R/F1 must equal the judges' scorers (run as subprocesses) to four decimals."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from analysis import evaluate as ev
from analysis.cli import main
from analysis.errors import AnalysisError

PRED_COLS = ["article_id", "cue_start", "cue_end", "source_start", "source_end", "content_start", "content_end"]


# --------------------------------------------------------------------------- helpers


def run_judge(shared_dir, script, *args) -> dict:
    out = subprocess.run(
        [sys.executable, str(shared_dir / "tools" / script), *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def assert_same(ours: dict, judge: dict) -> None:
    """Every number the judge reports, ours reports too, equal to 4 decimals."""
    for key, theirs in judge.items():
        mine = ours[key]
        if isinstance(theirs, dict):
            for k, v in theirs.items():
                assert mine[k] == pytest.approx(v, abs=1e-4), (key, k, mine, theirs)
        else:
            assert mine == pytest.approx(theirs, abs=1e-4), (key, mine, theirs)


@pytest.fixture(scope="module")
def dev_gold(polnear_dir):
    return ev.load_brat(polnear_dir / "dev")


@pytest.fixture(scope="module")
def gold_rows(dev_gold) -> pd.DataFrame:
    """The gold attributions written as a prediction CSV would be (discontinuous spans as hulls)."""
    rows = []
    for aid, (_text, attrs) in dev_gold.items():
        for a in attrs:
            row = {"article_id": aid, "cue_start": a.cue[0][0], "cue_end": a.cue[-1][1]}
            if a.source:
                row.update(source_start=min(s for s, _ in a.source), source_end=max(e for _, e in a.source))
            if a.content:
                row.update(content_start=min(s for s, _ in a.content), content_end=max(e for _, e in a.content))
            rows.append(row)
    return pd.DataFrame(rows, columns=PRED_COLS).astype(dict.fromkeys(PRED_COLS[1:], "Int64"))


def _shift(df, k):
    out = df.copy()
    for c in PRED_COLS[1:]:
        out[c] = out[c] + k
    return out


def _drop_sources(df):
    out = df.copy()
    out.loc[out.index[::2], ["source_start", "source_end"]] = pd.NA
    return out


def _extra(df, dev_gold):
    rng = random.Random(3)
    extra = []
    for aid, (text, _) in list(dev_gold.items())[:30]:
        for _ in range(5):
            a = rng.randrange(0, len(text) - 40)
            extra.append(
                {
                    "article_id": aid,
                    "cue_start": a,
                    "cue_end": a + rng.randrange(1, 12),
                    "content_start": a + 15,
                    "content_end": a + 15 + rng.randrange(0, 200),
                }
            )
    return pd.concat([df, df.sample(frac=0.2, random_state=1), pd.DataFrame(extra)], ignore_index=True)


def _random(df, dev_gold):
    rng = random.Random(7)
    rows = []
    for aid, (text, attrs) in dev_gold.items():
        for _ in range(len(attrs)):
            a, b, c = (rng.randrange(0, len(text)) for _ in range(3))
            rows.append(
                {
                    "article_id": aid,
                    "cue_start": a,
                    "cue_end": a + rng.randrange(1, 10),
                    "source_start": b,
                    "source_end": b + rng.randrange(0, 30),
                    "content_start": c,
                    "content_end": c + rng.randrange(0, 300),
                }
            )
    return pd.DataFrame(rows)


def _jitter(df, dev_gold):
    """Partly right: content cut short, sources widened, some cues missing, an unknown article."""
    out = df.copy()
    out["content_end"] = out["content_start"] + (out["content_end"] - out["content_start"]) // 3
    out["source_start"] = out["source_start"] - 5
    out.loc[out.index[::7], ["cue_start", "cue_end"]] = pd.NA
    bogus = pd.DataFrame([{"article_id": "not-an-article", "cue_start": 1, "cue_end": 4}])
    return pd.concat([out, bogus], ignore_index=True)


PERTURBATIONS = {
    "gold": lambda df, g: df,
    "shifted+3": lambda df, g: _shift(df, 3),
    "shifted-40": lambda df, g: _shift(df, -40),
    "dropped_sources": lambda df, g: _drop_sources(df),
    "extra_predictions": _extra,
    "random_spans": _random,
    "jitter_and_unknown_id": _jitter,
    "empty": lambda df, g: df.iloc[:0],
    "extractor": lambda df, g: _extracted(g),
}


def _extracted(dev_gold):
    """The project's own output on the gold texts (whatever the engines produce today)."""
    from analysis.pipeline import extract

    ids = list(dev_gold)
    return extract(pd.DataFrame({"article_id": ids, "text": [dev_gold[a][0] for a in ids]})).attributions


# --------------------------------------------------------------------------- PolNeAR agreement


@pytest.mark.parametrize("name", list(PERTURBATIONS))
def test_attribution_scores_agree_with_judge(name, dev_gold, gold_rows, shared_dir, polnear_dir, tmp_path):
    pred = PERTURBATIONS[name](gold_rows, dev_gold)
    csv = tmp_path / "pred.csv"
    pred.to_csv(csv, index=False)
    judge = run_judge(shared_dir, "polnear_score.py", polnear_dir / "dev", csv)
    ours = ev.score_attributions(dev_gold, ev.read_predictions(csv, ev.ATTRIBUTION_PRED_COLUMNS))
    assert_same(ours, judge)
    # the in-memory frame (Int64 offsets, as extract returns them) scores the same as its CSV
    assert_same(ev.score_attributions(dev_gold, pred), judge)


def test_gold_as_prediction_is_perfect_on_sources_and_cues(dev_gold, gold_rows):
    s = ev.score_attributions(dev_gold, gold_rows)
    for key in ("token_source", "token_cue", "exact_source", "exact_cue"):
        assert s[key]["f1"] == 1.0, key
    assert s["matched_source_overlap"] == 1.0
    assert s["unknown_article_ids"] == 0
    # content is < 1 only because a discontinuous content is written as its hull
    assert 0.97 < s["token_content"]["f1"] < 1.0


def test_per_article_breakdown_finds_the_bad_article(dev_gold, gold_rows):
    worst = sorted(dev_gold)[5]
    pred = gold_rows[gold_rows.article_id != worst]
    per = ev.score_attributions(dev_gold, pred)["per_article"]
    assert list(per.article_id) == list(dev_gold)
    assert per.set_index("article_id").loc[worst, "attr_f1"] == 0.0
    assert per.sort_values("attr_f1").iloc[0]["article_id"] == worst
    assert (per.gold_attributions.sum(), per.matched.sum()) == (
        sum(len(a) for _, a in dev_gold.values()),
        ev.score_attributions(dev_gold, pred)["attr"]["tp"],
    )


def test_load_brat_reads_discontinuous_spans_and_content2(dev_gold):
    text, attrs = dev_gold["politico_2016-09-22_house-panel-votes-to-hold-clinto"]
    assert any(len(a.content) > 1 for _, attrs_ in dev_gold.values() for a in attrs_)
    for a in attrs:
        for s, e in a.cue + a.source + a.content:
            assert 0 <= s < e <= len(text)
    # links to a T line below the E line are not used (as the judge) but are listed, not lost
    assert any(a.unresolved for a in attrs)


def test_load_brat_takes_the_first_annotator(tmp_path, polnear_dir):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    text = "The mayor said the bridge will close. Critics said it will not."
    (tmp_path / "text" / "a1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "attributions" / "a1_00bb.ann").write_text(
        "T1\tSource 38 45\tCritics\nT2\tCue 46 50\tsaid\nE1\tAttribution:T2 Source:T1 Cue:T2\n"
    )
    (tmp_path / "attributions" / "a1_00aa.ann").write_text(
        "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 24;25 36\tthe bridge\n"
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    )
    gold = ev.load_brat(tmp_path)
    ((_, [a]),) = gold.values()
    assert a.source == ((0, 9),) and a.content == ((15, 24), (25, 36))


def test_spreadsheet_gold_scores_like_brat(polnear_dir, dev_gold, gold_rows, tmp_path):
    """A folder with text/ and attributions.csv (e.g. the tool's output, corrected) is gold too."""
    ids = sorted(dev_gold)[:4]
    (tmp_path / "text").mkdir()
    for aid in ids:
        shutil.copy(polnear_dir / "dev" / "text" / f"{aid}.txt", tmp_path / "text")
    rows = gold_rows[gold_rows.article_id.isin(ids)]
    rows.to_csv(tmp_path / "attributions.csv", index=False)
    gold = ev.load_gold(tmp_path)
    assert sorted(gold) == ids and sum(len(a) for _, a in gold.values()) == len(rows)
    s = ev.score_attributions(gold, rows)
    assert s["exact_content"]["f1"] == s["token_content"]["f1"] == 1.0  # hulls against hulls
    brat = ev.score_attributions({a: dev_gold[a] for a in ids}, rows)
    assert brat["token_cue"] == s["token_cue"] and brat["token_source"] == s["token_source"]
    rows.assign(cue_end=rows.cue_end.where(rows.index != rows.index[1], 10**6)).to_csv(
        tmp_path / "attributions.csv", index=False
    )
    with pytest.raises(AnalysisError, match=r"attributions\.csv row 3: cue .* is not inside the text"):
        ev.load_gold(tmp_path)


# --------------------------------------------------------------------------- Szeged agreement


@pytest.fixture(scope="module")
def szeged_docs(szeged_xml):
    return ev.load_szeged(szeged_xml)


def test_szeged_documents_match_the_judges_text(szeged_xml, shared_dir, szeged_docs, tmp_path):
    subprocess.run(
        [sys.executable, str(shared_dir / "tools" / "szeged_score.py"), "totext", str(szeged_xml), str(tmp_path)],
        check=True,
    )
    files = sorted(tmp_path.glob("*.txt"))
    assert [p.stem for p in files] == [d.article_id for d in szeged_docs]
    for p, d in zip(files, szeged_docs):
        assert p.read_bytes().decode("utf-8") == d.text
        assert len(d.sentences) == d.text.count("\n") + 1
    assert sum(len(d.cues) for d in szeged_docs) == 3265 - 491  # condition cues left out


def test_szeged_docs_slice_is_the_last_fifth(szeged_xml, szeged_docs):
    dev = ev.load_szeged(szeged_xml, "0.8:")
    assert len(dev) == len(szeged_docs) - int(0.8 * len(szeged_docs))
    assert dev[0] == szeged_docs[int(0.8 * len(szeged_docs))]
    assert dev[-1] == szeged_docs[-1]
    assert ev.load_szeged(szeged_xml, "0:10") == szeged_docs[:10]


def _hedge_predictions(docs) -> pd.DataFrame:
    rng = random.Random(11)
    cue_words = re.compile(r"\b(may|might|likely|probably|possibly|believed|suggests?|if|whether|some)\b", re.I)
    rows = []
    for d in docs:
        for a, b in d.cues:
            if rng.random() < 0.6:  # most gold cues, some shifted onto their neighbours
                k = rng.choice([0, 0, 0, 2, -3])
                rows.append({"article_id": d.article_id, "start": a + k, "end": b + k, "category": "gold"})
        for m in cue_words.finditer(d.text):
            cat = "condition" if m.group().lower() == "if" else "lexicon"
            rows.append({"article_id": d.article_id, "start": m.start(), "end": m.end(), "category": cat})
    rows.append({"article_id": "99999_nowhere", "start": 0, "end": 3, "category": ""})
    rng.shuffle(rows)  # file order matters for cue pairing
    return pd.DataFrame(rows)


def test_hedge_scores_agree_with_judge(szeged_xml, shared_dir, szeged_docs, tmp_path):
    pred = _hedge_predictions(szeged_docs)
    csv = tmp_path / "hedges.csv"
    pred.to_csv(csv, index=False)
    judge = run_judge(shared_dir, "szeged_score.py", "score", szeged_xml, csv)
    ours = ev.score_hedges(szeged_docs, ev.read_predictions(csv, ev.HEDGE_PRED_COLUMNS))
    assert_same(ours, judge)
    assert 0 < ours["cue"]["f1"] < 1 and ours["unknown_article_ids"] == 1


def test_hedges_with_is_hedge_false_are_ignored(szeged_docs):
    d = next(d for d in szeged_docs if d.cues)
    (a, b), aid = d.cues[0], d.article_id
    pred = pd.DataFrame({"article_id": [aid, aid], "start": [a, 0], "end": [b, 1], "is_hedge": [True, False]})
    s = ev.score_hedges([d], pred)
    assert (s["cue"]["tp"], s["cue"]["pred"]) == (1, 1)
    assert ev.score_hedges([d], pred.assign(is_hedge=False))["cue"]["pred"] == 0


# --------------------------------------------------------------------------- errors


def test_missing_gold_folder_is_one_line(tmp_path):
    with pytest.raises(AnalysisError, match="gold folder not found"):
        ev.load_brat(tmp_path / "nope")
    (tmp_path / "text").mkdir()
    with pytest.raises(AnalysisError, match="no attributions/ subfolder"):
        ev.load_brat(tmp_path)


def test_prediction_errors_name_the_file_and_fix(tmp_path, dev_gold):
    bad = tmp_path / "p.csv"
    bad.write_text("article_id,start\nx,1\n")
    with pytest.raises(AnalysisError, match=r"p\.csv: missing column\(s\) 'cue_start', 'cue_end'"):
        ev.read_predictions(bad, ev.ATTRIBUTION_PRED_COLUMNS)
    aid = next(iter(dev_gold))
    with pytest.raises(AnalysisError, match=r"row 3: column 'cue_end' is 'ten'"):
        ev.score_attributions(
            dev_gold, pd.DataFrame({"article_id": [aid, aid], "cue_start": ["1", "5"], "cue_end": ["3", "ten"]})
        )
    with pytest.raises(AnalysisError, match="none of its 1 article ids is in the gold"):
        ev.score_attributions(dev_gold, pd.DataFrame({"article_id": ["x"], "cue_start": [1], "cue_end": [3]}))
    with pytest.raises(AnalysisError, match="not found"):
        ev.read_predictions(tmp_path / "missing.csv", ev.HEDGE_PRED_COLUMNS)


def test_numeric_looking_ids_stay_strings(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "00012.txt").write_text("Officials said no.", encoding="utf-8")
    (tmp_path / "attributions" / "00012.ann").write_text("T1\tCue 10 14\tsaid\nE1\tCue:T1\n")
    csv = tmp_path / "p.csv"
    csv.write_text("article_id,cue_start,cue_end\n00012,10,14\n")
    s = ev.score_attributions(ev.load_brat(tmp_path), ev.read_predictions(csv, ev.ATTRIBUTION_PRED_COLUMNS))
    assert s["attr"]["f1"] == 1.0


# --------------------------------------------------------------------------- command line


def test_cli_evaluate_gold_pred_table_and_json(polnear_dir, gold_rows, tmp_path, capsys):
    csv = tmp_path / "attributions.csv"
    _drop_sources(gold_rows).to_csv(csv, index=False)
    assert main(["evaluate", "--gold", str(polnear_dir / "dev"), "--pred", str(csv)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"attribution \(cue\)\s+0\.979\s+0\.979\s+0\.979", out)
    assert "lowest attribution F1" in out
    assert main(["evaluate", "--gold", str(polnear_dir / "dev"), "--pred", str(csv), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)["attributions"]
    assert summary["token_cue"]["f1"] == 1.0 and summary["token_source"]["r"] < 0.6
    assert len(summary["per_article"]) == 84


def test_cli_errors_are_one_line(tmp_path, szeged_xml, capsys):
    for argv, needle in [
        (["--gold", str(tmp_path / "nope")], "gold folder not found"),
        ([], "needs --gold BRAT_DIR"),
        (["--szeged", str(tmp_path / "x.xml")], "Szeged XML not found"),
        (["--szeged", str(szeged_xml), "--docs", "half"], "--docs 'half'"),
        (["--szeged", str(szeged_xml), "--docs", "0.5:x"], "'x' is not a number"),
        (["--pred", "a.csv"], "--pred needs --gold"),
    ]:
        assert main(["evaluate", *argv]) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("analysis: ") and err.count("\n") == 1 and needle in err, (argv, err)
        assert "analysis: analysis" not in err


def test_cli_runs_the_extractor_when_no_predictions_given(polnear_dir, szeged_xml, tmp_path, capsys):
    small = tmp_path / "gold"
    for sub in ("text", "attributions"):
        (small / sub).mkdir(parents=True)
    for p in sorted((polnear_dir / "dev" / "text").glob("*.txt"))[:3]:
        shutil.copy(p, small / "text")
        for ann in (polnear_dir / "dev" / "attributions").glob(p.stem + "*.ann"):
            shutil.copy(ann, small / "attributions")
    assert main(["evaluate", "--gold", str(small), "--szeged", str(szeged_xml), "--docs", "0.99:", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["attributions"]["articles"] == 3
    assert out["hedges"]["documents"] == len(ev.load_szeged(szeged_xml, "0.99:"))
    assert out["hedges"]["sentence"]["gold"] > 0
