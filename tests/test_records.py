"""The pipeline's records and the frames made of them: the fields are the schema's columns."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
import pytest

from analysis import records, schema
from analysis.records import Attribution, Hedge


@pytest.mark.parametrize("name, record", [("attributions", Attribution), ("hedges", Hedge)])
def test_record_fields_are_the_frame_columns_in_order(name, record):
    assert [f.name for f in fields(record)] == schema.columns(name)
    assert not hasattr(record(), "__dict__")  # slotted: a misspelt field is an error, not a new key
    with pytest.raises(AttributeError):
        record().cue_star = 1


def test_to_frame_gives_the_contract_frame():
    att = Attribution("a", 0, "direct", 0, 4, "said", "say", "neutral", rule="x")
    df = records.to_frame([att, Attribution("a", 1, cue_start=9, cue_end=13)], "attributions")
    assert list(df.columns) == schema.ATTRIBUTION_COLUMNS
    assert df.dtypes.to_dict() == schema.empty("attributions").dtypes.to_dict()
    assert df["cue_end"].tolist() == [4, 13] and df["source_start"].isna().all()
    empty = records.to_frame([], "hedges")
    assert list(empty.columns) == schema.HEDGE_COLUMNS and len(empty) == 0
    assert empty.dtypes.to_dict() == schema.empty("hedges").dtypes.to_dict()


def test_an_engines_own_record_adds_extra_columns():
    @dataclass(slots=True)
    class Scored(Hedge):
        score: float | None = None

    hedges = [Hedge("a", 0, 0, 3, "may"), Scored("a", 1, 4, 9, "might", score=0.5)]
    df = records.to_frame(hedges, "hedges")
    assert list(df.columns) == [*schema.HEDGE_COLUMNS, "score"]
    assert df["score"].isna().tolist() == [True, False]
    assert list(records.to_frame(hedges, "hedges", extras=False).columns) == schema.HEDGE_COLUMNS


@pytest.mark.parametrize(
    "value, offset",
    [(None, None), (pd.NA, None), (float("nan"), None), (np.nan, None), (7, 7), (np.int64(7), 7), (7.0, 7), ("7", 7)],
)
def test_as_offset(value, offset):
    assert schema.as_offset(value) == offset
