"""The detect stage on a small hand-built result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyzer.detect.stage import add_detections
from analyzer.errors import SchemaError
from analyzer.result import ClusterTable, QueryTable, ShiftResult, Summary


def _result(frame: pd.DataFrame, flagged: list[int]) -> ShiftResult:
    summary = Summary(
        verdict="shift", alpha=0.05, n_reference=int((frame["side"] == "reference").sum()),
        n_production=int((frame["side"] == "production").sum()), uncovered_share=0.5,
        uncovered_share_ci=(0.1, 0.9), js_divergence=0.1, global_tests={}, n_clusters=2,
        flagged_cluster_ids=flagged, skipped_rows=[], parameters={}, versions={},
    )
    return ShiftResult(summary, ClusterTable(rows=()), QueryTable(frame))


@pytest.fixture()
def result() -> ShiftResult:
    rng = np.random.default_rng(3)
    templates = ["book a flight to city {}", "what is the weather in town {} tomorrow morning?",
                 "Play song {}", ("How many hours is the drive from exit {} to the airport, and "
                 "is there a toll on the way?"), "set alarm {}"]
    reference = [templates[i % 5].format(n) for i, n in enumerate(rng.integers(0, 100, size=30))]
    production = [
        "book a flight to rome",
        "kal subah ka alarm set karo please",
        "What is the fare? Also, book a hotel for two nights",
        '{\n  "id": 7,\n  "name": "x",\n  "tags": ["a"]\n}',
        "how do I claim my drone warranty",
    ]
    frame = pd.DataFrame({
        "side": ["reference"] * 30 + ["production"] * 5,
        "text": reference + production,
        "language": ["en"] * 35,  # an input column that clashes with a detector column
        "cluster_id": [0] * 30 + [0, 1, 1, 1, 1],
        "is_uncovered": [False] * 30 + [False, True, True, True, True],
    })
    return _result(frame, flagged=[1])


def test_stage_adds_columns_causes_and_summary(result: ShiftResult) -> None:
    out = add_detections(result)
    queries = out.queries.frame
    prod = queries[queries["side"] == "production"]
    assert prod["flags"].tolist() == [
        [], ["mixed_language"], ["multi_intent"], ["malformed"], ["new_domain"]
    ]
    assert queries["language"].tolist() == ["en"] * 35  # the input column is kept
    assert "detected_language" in queries.columns
    clusters = out.clusters.extra.set_index("cluster_id")
    assert clusters.loc[1, "share_new_domain"] == 0.25
    assert clusters.loc[0, "dominant_cause"] == "none"
    assert out.summary.extra["causes"]["malformed"]["production"]["n"] == 1
    assert {r["feature"] for r in out.summary.extra["structure_shift"]} >= {"n_chars"}
    assert "flags" not in result.queries.frame.columns  # the input result is unchanged
    assert out.summary.to_dict()["causes"]["new_domain"]["production"]["n"] == 1


def test_stage_names_a_missing_column(result: ShiftResult) -> None:
    with pytest.raises(SchemaError, match="text_col"):
        add_detections(result, text_col="query")
