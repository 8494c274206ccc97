from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.coverage.conformal import (
    blend,
    center,
    centroid_count,
    centroid_scores,
    conformal_pvalues,
    fit_centroids,
    knn_scores,
    scale_of,
    uncovered_share,
)
from analyzer.coverage.neighbors import nearest, unit_rows


@pytest.fixture()
def rng() -> np.random.Generator:
    return np.random.default_rng(11)


@given(
    st.lists(st.floats(0, 2), min_size=1, max_size=50),
    st.lists(st.floats(0, 2), min_size=1, max_size=50),
)
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
    centred = center(reference, mean)
    calibration = knn_scores(centred, centred, 5, leave_one_out=True)
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
    centred = center(reference, mean)
    calibration = knn_scores(centred, centred, 5, leave_one_out=True)
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


def _mixture(rng: np.random.Generator, n: int, n_blobs: int = 20, dim: int = 16) -> np.ndarray:
    means = rng.normal(size=(n_blobs, dim)) * 2.0
    return unit_rows(means[rng.integers(0, n_blobs, n)] + rng.normal(size=(n, dim)) * 0.6)


def test_centroid_leave_one_out_equals_refitting_the_own_centroid_without_the_row(rng) -> None:
    reference = _mixture(rng, 300)
    centroids, loo = fit_centroids(reference, n_centroids=10, fit_max=1000, seed=0)
    assert centroids.shape == (10, 16)
    distances = ((reference[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    labels = distances.argmin(axis=1)  # k-means labels are the nearest centroids at convergence
    for row in (0, 17, 123, 299):
        members = np.flatnonzero(labels == labels[row])
        others = members[members != row]
        if len(others):
            own = ((reference[row] - reference[others].mean(axis=0)) ** 2).sum()
        else:
            own = np.inf
        rest = np.delete(distances[row], labels[row]).min()
        assert loo[row] == pytest.approx(min(own, rest), rel=1e-4)


def test_centroid_scores_are_the_squared_distance_to_the_nearest_centroid(rng) -> None:
    queries, centroids = _mixture(rng, 50), _mixture(rng, 7)
    brute = ((queries[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2).min(axis=1)
    np.testing.assert_allclose(centroid_scores(queries, centroids), brute, rtol=1e-5, atol=1e-6)


def test_a_sampled_fit_scores_rows_outside_the_sample_as_they_are(rng) -> None:
    reference = _mixture(rng, 400)
    centroids, loo = fit_centroids(reference, n_centroids=10, fit_max=200, seed=3)
    assert len(centroids) == 10
    plain = centroid_scores(reference, centroids)
    # A fitted row's own centroid moves away from it, so leave-one-out never lowers a score;
    # half the rows were not fitted and keep their plain score exactly.
    assert np.all(loo >= plain - 1e-9)
    assert np.sum(np.isclose(loo, plain, rtol=0, atol=1e-12)) >= 200


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.0, 1.0))
def test_blend_is_the_weighted_sum_of_standardized_scores(seed: int, weight: float) -> None:
    rng = np.random.default_rng(seed)
    knn, centroid = rng.random(40), rng.random(40) * 3
    scale = np.array([*scale_of(knn), *scale_of(centroid)])
    blended = blend(knn, centroid, scale, weight)
    standard_knn = (knn - scale[0]) / scale[1]
    standard_centroid = (centroid - scale[2]) / scale[3]
    expected = (1 - weight) * standard_knn + weight * standard_centroid
    np.testing.assert_allclose(blended, expected)
    # Standardized on the reference itself, each part has median 0 and interquartile range 1.
    low, median, high = np.quantile((knn - scale[0]) / scale[1], [0.25, 0.5, 0.75])
    assert median == pytest.approx(0.0, abs=1e-12) and high - low == pytest.approx(1.0)


def test_scale_of_a_constant_calibration_keeps_a_unit_range() -> None:
    centre, spread = scale_of(np.full(10, 0.3))
    assert centre == pytest.approx(0.3) and spread == 1.0


def test_blended_score_keeps_the_false_alarm_rate_near_alpha_and_finds_a_new_blob(rng) -> None:
    data = _mixture(rng, 6000, n_blobs=40)
    reference, production = data[:4000], data[4000:]
    mean = reference.mean(axis=0)
    ref_c, prod_c = center(reference, mean), center(production, mean)
    knn_cal = knn_scores(ref_c, ref_c, 5, leave_one_out=True)
    centroids, cent_cal = fit_centroids(ref_c, n_centroids=4000 // 30, fit_max=20_000, seed=0)
    scale = np.array([*scale_of(knn_cal), *scale_of(cent_cal)])
    calibration = blend(knn_cal, cent_cal, scale, 0.7)

    def scores(rows: np.ndarray) -> np.ndarray:
        return blend(knn_scores(rows, ref_c, 5), centroid_scores(rows, centroids), scale, 0.7)

    rate = np.mean(conformal_pvalues(scores(prod_c), calibration) < 0.05)
    assert 0.03 <= rate <= 0.07
    novel = center(unit_rows(rng.normal(size=(200, 16)) * 0.6 + rng.normal(size=16) * 2.0), mean)
    assert np.mean(conformal_pvalues(scores(novel), calibration) < 0.05) > 0.9


def test_a_singleton_cluster_scores_against_the_other_centroids(rng) -> None:
    # 60 points in two tight groups plus one far point: with 3 centroids the far point is a
    # singleton sitting exactly on its own centroid (distance 0, where 0 x inf would be NaN).
    groups = np.r_[np.tile([1.0, 0, 0], (30, 1)), np.tile([0, 1.0, 0], (30, 1))]
    reference = np.vstack([groups + rng.normal(size=(60, 3)) * 0.01, [[0, 0, 1.0]]])
    centroids, loo = fit_centroids(reference, n_centroids=3, fit_max=1000, seed=0)
    assert len(centroids) == 3
    assert np.all(np.isfinite(loo))
    nearest_other = ((reference[-1] - centroids) ** 2).sum(axis=1)
    assert loo[-1] == pytest.approx(np.sort(nearest_other)[1], rel=1e-5)
    assert loo[-1] > np.max(loo[:-1])


@pytest.mark.parametrize(
    ("n_reference", "expected"),
    [(2999, 0), (3000, 100), (15_000, 500), (100_000, 666)],  # floor, then the 20,000-row fit cap
)
def test_centroid_count_is_one_per_30_fitted_queries_or_none_below_100(
    n_reference: int, expected: int
) -> None:
    count = centroid_count(n_reference, per_centroid=30, fit_max=20_000, min_centroids=100)
    assert count == expected
