from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.cover import center, conformal_pvalues, knn_scores, uncovered_share
from analyzer.neighbors import nearest, unit_rows


@pytest.fixture()
def rng() -> np.random.Generator:
    return np.random.default_rng(11)


@given(st.lists(st.floats(0, 2), min_size=1, max_size=50), st.lists(st.floats(0, 2), min_size=1, max_size=50))
def test_pvalues_lie_in_0_1_and_fall_with_the_score(calibration, scores) -> None:
    cal, s = np.array(calibration), np.array(scores)
    p = conformal_pvalues(s, cal)
    assert np.all((p > 0) & (p <= 1))
    order = np.argsort(s)
    assert np.all(np.diff(p[order]) <= 1e-12)


def test_leave_one_out_excludes_the_point_itself(rng) -> None:
    points = unit_rows(rng.normal(size=(30, 8)))
    idx, dist = nearest(points, points, 3, exclude_self=True)
    assert not np.any(idx == np.arange(30)[:, None])
    assert np.all(dist > 0)


def test_in_distribution_traffic_is_uncovered_at_about_alpha(rng) -> None:
    data = unit_rows(rng.normal(size=(4000, 16)))
    reference, production = data[:2000], data[2000:]
    mean = reference.mean(axis=0)
    calibration = knn_scores(center(reference, mean), center(reference, mean), 5, leave_one_out=True)
    scores = knn_scores(center(production, mean), center(reference, mean), 5)
    rate = np.mean(conformal_pvalues(scores, calibration) < 0.05)
    assert 0.03 <= rate <= 0.07
    share = uncovered_share(scores, calibration, 0.05, 200, rng)
    assert share.low <= 0.05 <= share.high + 0.01
    assert share.low <= share.share <= share.high


def test_far_away_traffic_is_uncovered(rng) -> None:
    reference = unit_rows(rng.normal(size=(500, 16)) + np.r_[4.0, np.zeros(15)])
    far = unit_rows(rng.normal(size=(100, 16)) - np.r_[4.0, np.zeros(15)])
    mean = reference.mean(axis=0)
    calibration = knn_scores(center(reference, mean), center(reference, mean), 5, leave_one_out=True)
    scores = knn_scores(center(far, mean), center(reference, mean), 5)
    assert np.mean(conformal_pvalues(scores, calibration) < 0.05) > 0.95


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_shuffling_production_changes_no_pvalue(seed: int) -> None:
    rng = np.random.default_rng(seed)
    reference = unit_rows(rng.normal(size=(60, 6)))
    production = unit_rows(rng.normal(size=(40, 6)))
    calibration = knn_scores(reference, reference, 3, leave_one_out=True)
    p = conformal_pvalues(knn_scores(production, reference, 3), calibration)
    perm = rng.permutation(40)
    p_shuffled = conformal_pvalues(knn_scores(production[perm], reference, 3), calibration)
    np.testing.assert_allclose(p[perm], p_shuffled)
