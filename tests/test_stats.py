"""Shared statistical rules: Wilson intervals and Benjamini-Hochberg q-values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.stats import fdr_qvalues, wilson_bounds, wilson_interval


def test_wilson_interval_matches_known_values() -> None:
    lo, hi = wilson_interval(np.array([0, 5, 10]), np.array([10, 10, 10]))
    assert lo[0] == 0.0 and hi[0] == pytest.approx(0.2775, abs=1e-3)
    assert lo[1] == pytest.approx(0.2366, abs=1e-3) and hi[1] == pytest.approx(0.7634, abs=1e-3)
    assert lo[2] == pytest.approx(0.7225, abs=1e-3) and hi[2] == pytest.approx(1.0)


def test_wilson_bounds_of_one_proportion() -> None:
    low, high = wilson_bounds(10, 100)
    assert low == pytest.approx(0.0552, abs=1e-4)
    assert high == pytest.approx(0.1744, abs=1e-4)
    assert wilson_bounds(0, 0) == (0.0, 1.0)


@given(st.integers(0, 500), st.integers(0, 500))
def test_wilson_bounds_hold_the_proportion(k: int, extra: int) -> None:
    n = k + extra
    low, high = wilson_bounds(k, n)
    share = k / n if n else 0.5
    assert 0.0 <= low <= share <= high <= 1.0


def test_qvalues_match_hand_computation() -> None:
    np.testing.assert_allclose(
        fdr_qvalues(np.array([0.01, 0.04, 0.03, 0.005])), [0.02, 0.04, 0.04, 0.02]
    )
    assert fdr_qvalues(np.array([0.01, 0.04, 0.03, 0.5])).tolist() == pytest.approx(
        [0.04, 0.16 / 3, 0.16 / 3, 0.5]
    )
    assert fdr_qvalues(np.zeros(0)).shape == (0,)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=40))
def test_qvalues_are_at_least_pvalues_and_at_most_one(p: list[float]) -> None:
    q = fdr_qvalues(np.array(p))
    assert np.all(q >= np.array(p) - 1e-12) and np.all(q <= 1)
