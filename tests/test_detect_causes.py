"""Cause attribution per query, per cluster, and the reference/production summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.detect import (
    CAUSES,
    MIN_DOMINANT_SHARE,
    attribute_causes,
    cause_summary,
    cluster_causes,
    detect_queries,
)
from analyzer.errors import InputError, SchemaError


@pytest.fixture()
def detections() -> pd.DataFrame:
    return detect_queries(
        [
            "what is the weather in Paris",
            "kal subah 7 baje ka alarm set karo please",
            "What year did the Wall fall? Also, recommend three novels",
            '{\n  "id": 1,\n  "name": "x",\n  "tags": ["a", "b"]\n}',
            "how do I file a warranty claim for my drone",
        ]
    )


def test_new_domain_only_where_no_other_cause_explains(detections: pd.DataFrame) -> None:
    uncovered = np.array([False, True, True, True, True])
    flagged = np.zeros(5, dtype=bool)
    out = attribute_causes(detections, uncovered, flagged)
    assert out["flags"].tolist() == [
        [], ["mixed_language"], ["multi_intent"], ["malformed"], ["new_domain"]
    ]
    assert out["is_new_domain"].tolist() == [False, False, False, False, True]
    assert "flags" not in detections.columns


def test_flagged_region_alone_makes_new_domain(detections: pd.DataFrame) -> None:
    out = attribute_causes(detections, np.zeros(5, bool), np.array([1, 0, 0, 0, 0], bool))
    assert out["flags"].iloc[0] == ["new_domain"]


def test_unexplained_structure_outlier_counts_as_new_domain(detections: pd.DataFrame) -> None:
    outlier = np.array([True, False, False, True, False])
    out = attribute_causes(detections, np.zeros(5, bool), np.zeros(5, bool), outlier)
    assert out["flags"].tolist() == [["new_domain"], ["mixed_language"], ["multi_intent"],
                                     ["malformed"], []]
    assert out["is_structure_outlier"].tolist() == outlier.tolist()


@pytest.mark.parametrize("bad", [np.zeros(4, bool), np.zeros((5, 2), bool)])
def test_wrong_length_mask_is_refused(detections: pd.DataFrame, bad: np.ndarray) -> None:
    with pytest.raises(InputError, match="one entry per detection row"):
        attribute_causes(detections, bad, np.zeros(5, bool))


def test_missing_detection_column_is_named() -> None:
    with pytest.raises(SchemaError, match="is_multi_intent"):
        attribute_causes(pd.DataFrame({"is_malformed": [True]}), np.ones(1), np.ones(1))


def test_cluster_causes_shares_and_dominant_cause() -> None:
    ids = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    flags = [["malformed"], ["malformed"], [], ["multi_intent", "new_domain"], ["new_domain"],
             [], [], [], ["mixed_language"]]
    table = cluster_causes(ids, flags).set_index("cluster_id")
    assert table.loc[0, "share_malformed"] == pytest.approx(2 / 3)
    assert table.loc[0, "dominant_cause"] == "malformed"
    assert table.loc[1, "share_new_domain"] == 1.0
    assert table.loc[1, "dominant_cause"] == "new_domain"
    assert table.loc[2, "share_mixed_language"] == 0.25
    assert table.loc[2, "dominant_cause"] == "none"
    assert table["n"].tolist() == [3, 2, 4]


def test_unknown_cause_is_refused() -> None:
    with pytest.raises(InputError, match="unknown cause"):
        cluster_causes(np.array([0]), [["typo"]])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.lists(st.sampled_from(CAUSES), unique=True)),
        min_size=1,
        max_size=60,
    )
)
def test_cluster_shares_are_in_unit_interval_and_dominant_is_consistent(
    rows: list[tuple[int, list[str]]],
) -> None:
    ids = np.array([r[0] for r in rows])
    table = cluster_causes(ids, [r[1] for r in rows])
    shares = table[[f"share_{c}" for c in CAUSES]].to_numpy()
    assert ((shares >= 0) & (shares <= 1)).all()
    assert table["n"].sum() == len(rows)
    for row, dominant in zip(shares, table["dominant_cause"]):
        if dominant == "none":
            assert row.max() < MIN_DOMINANT_SHARE
        else:
            assert row[CAUSES.index(dominant)] == row.max()


def test_cause_summary_counts_and_wilson_intervals() -> None:
    reference: list[list[str]] = [[]] * 90 + [["malformed"]] * 10
    production: list[list[str]] = [["malformed"]] * 30 + [["new_domain"]] * 20 + [[]] * 50
    summary = cause_summary(reference, production)
    assert set(summary) == set(CAUSES)
    ref = summary["malformed"]["reference"]
    assert (ref["n"], ref["total"], ref["share"]) == (10, 100, 0.1)
    assert ref["ci_low"] < 0.1 < ref["ci_high"]
    assert summary["malformed"]["production"]["ci_low"] > ref["ci_high"]
    assert summary["multi_intent"]["production"]["n"] == 0


