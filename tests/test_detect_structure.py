"""Structure features, structure outliers and the per-feature shift test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.detect.structure import (
    SHARE_FEATURES,
    SHIFT_FEATURES,
    structure_features,
    structure_outliers,
    structure_shift,
)
from analyzer.errors import SchemaError


def _frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame([structure_features(t) for t in texts])


@pytest.fixture()
def short_queries() -> list[str]:
    rng = np.random.default_rng(7)
    words = ["book", "a", "flight", "to", "paris", "weather", "today", "play", "jazz", "now"]
    return [" ".join(rng.choice(words, size=int(rng.integers(3, 9)))) for _ in range(200)]


def test_features_of_a_known_text() -> None:
    features = structure_features("Hi 42!\nÉté")
    assert features["n_chars"] == 10
    assert features["n_words"] == 3
    assert features["n_lines"] == 2
    assert features["share_digit"] == pytest.approx(0.2)
    assert features["share_alpha"] == pytest.approx(0.5)
    assert features["share_non_ascii"] == pytest.approx(0.2)
    assert features["share_upper"] == pytest.approx(0.2)
    assert features["share_punct"] == pytest.approx(0.1)
    assert features["share_space"] == pytest.approx(0.2)


def test_empty_text_has_zero_features() -> None:
    features = structure_features("")
    assert features["n_chars"] == features["n_lines"] == 0
    assert all(features[name] == 0.0 for name in SHARE_FEATURES)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_shares_lie_in_unit_interval_for_any_text(text: str) -> None:
    features = structure_features(text)
    assert all(0.0 <= features[name] <= 1.0 for name in SHARE_FEATURES)
    classes = ("share_alpha", "share_digit", "share_punct", "share_space")
    assert sum(features[name] for name in classes) <= 1.0 + 1e-9
    assert features["n_chars"] == len(text)


def test_a_pasted_log_is_an_outlier_against_short_queries(short_queries: list[str]) -> None:
    reference = _frame(short_queries)
    log = "\n".join(
        f"2024-01-0{i} 10:00:0{i} ERROR worker[{i}] timeout after 30s" for i in range(9)
    )
    production = _frame(["book a flight to rome", log])
    assert structure_outliers(reference, production).tolist() == [False, True]


def test_a_sample_of_the_reference_has_no_outliers(short_queries: list[str]) -> None:
    reference = _frame(short_queries)
    assert not structure_outliers(reference, reference.iloc[:50]).any()


def test_shift_test_finds_a_length_shift_and_not_a_null_one(short_queries: list[str]) -> None:
    rng = np.random.default_rng(11)
    reference = _frame(short_queries[:100])
    same = _frame(short_queries[100:])
    long_texts = [" ".join(["word"] * int(rng.integers(30, 60))) for _ in range(100)]
    shifted = _frame(long_texts)
    by_feature = {r["feature"]: r for r in structure_shift(reference, shifted)}
    assert set(by_feature) == set(SHIFT_FEATURES)
    assert by_feature["n_chars"]["p_value"] < 1e-6
    assert by_feature["n_chars"]["production_quantiles"]["q50"] > 100
    null = {r["feature"]: r for r in structure_shift(reference, same)}
    assert null["n_chars"]["p_value"] > 0.001
    assert 0.0 <= null["n_chars"]["statistic"] <= 1.0


def test_missing_structure_column_names_the_columns() -> None:
    frame = pd.DataFrame({"n_chars": [1, 2]})
    with pytest.raises(SchemaError, match="lacks the structure column"):
        structure_shift(frame, frame)
    with pytest.raises(SchemaError, match="detect_queries"):
        structure_outliers(frame, frame)
