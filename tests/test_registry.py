"""Stable cluster identities: matching a run's clusters to the registry."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.errors import InputError
from analyzer.weekly.registry import (
    cluster_centroids,
    cosine_distances,
    jaccard_distances,
    match_clusters,
)


def _centroids(seed: int, n: int, dim: int = 16) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, dim))


@pytest.fixture
def registry() -> tuple[np.ndarray, np.ndarray]:
    return _centroids(7, 6), np.array([3, 10, 11, 12, 20, 21])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 25))
def test_registry_matched_against_itself_keeps_its_ids(seed: int, n: int) -> None:
    cents = _centroids(seed, n)
    ids = np.random.default_rng(seed + 1).permutation(1000)[:n]
    result = match_clusters(cents, cents, ids, max_distance=0.05)
    np.testing.assert_array_equal(result.stable_ids, ids)
    assert result.is_matched.all()
    assert not result.is_new.any()
    np.testing.assert_allclose(result.costs, 0.0, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 20), m=st.integers(0, 20))
def test_permuting_clusters_permutes_their_ids(seed: int, n: int, m: int) -> None:
    rng = np.random.default_rng(seed)
    reg = _centroids(seed, m)
    ids = np.arange(m, dtype=np.int64) * 2
    # this run: noisy copies of some registry regions plus unrelated ones
    run = _centroids(seed + 1, n)
    k = min(n, m)
    run[:k] = reg[:k] + 0.05 * rng.normal(size=(k, reg.shape[1]))
    perm = rng.permutation(n)
    base = match_clusters(run, reg, ids, max_distance=0.3)
    permuted = match_clusters(run[perm], reg, ids, max_distance=0.3)
    np.testing.assert_array_equal(permuted.is_matched, base.is_matched[perm])
    np.testing.assert_array_equal(
        permuted.stable_ids[permuted.is_matched], base.stable_ids[perm][base.is_matched[perm]]
    )
    # fresh ids stay unique and above the registry
    assert len(set(permuted.stable_ids.tolist())) == n
    if m:
        assert permuted.stable_ids[~permuted.is_matched].min(initial=10**9) > ids.max()


def test_noisy_copies_keep_ids_and_a_far_region_is_new(
    registry: tuple[np.ndarray, np.ndarray],
) -> None:
    cents, ids = registry
    rng = np.random.default_rng(3)
    far = -cents.mean(axis=0, keepdims=True) + 0.01 * rng.normal(size=(1, cents.shape[1]))
    run = np.vstack([cents[[4, 0, 2]] + 0.05 * rng.normal(size=(3, cents.shape[1])), far])
    result = match_clusters(run, cents, ids)
    assert result.stable_ids[:3].tolist() == [20, 3, 11]
    assert result.stable_ids[3] == 22
    assert result.is_new.tolist() == [False, False, False, True]
    assert result.new_ids == [22]


def test_a_split_region_gets_a_fresh_id_but_is_not_new(
    registry: tuple[np.ndarray, np.ndarray],
) -> None:
    cents, ids = registry
    rng = np.random.default_rng(4)
    halves = cents[[1, 1]] + 0.1 * rng.normal(size=(2, cents.shape[1]))
    result = match_clusters(halves, cents, ids)
    assert min(result.stable_ids.tolist()) == 10
    unmatched = ~result.is_matched
    assert unmatched.sum() == 1
    assert result.parent_ids[unmatched].tolist() == [10]
    assert not result.is_new.any()


def test_membership_overlap_breaks_a_centroid_tie() -> None:
    cents = np.array([[1.0, 0.0], [1.0, 0.0]])
    reg_members = [np.arange(0, 10), np.arange(10, 20)]
    run = np.array([[1.0, 0.0]])
    result = match_clusters(
        run, cents, [5, 6], members=[np.arange(12, 20)], registry_members=reg_members
    )
    assert result.stable_ids.tolist() == [6]


def test_unknown_registry_membership_falls_back_to_centroid_distance() -> None:
    cents = np.array([[1.0, 0.0], [0.0, 1.0]])
    result = match_clusters(
        np.array([[0.1, 1.0]]), cents, [0, 1], members=[np.arange(3)], registry_members=[None, None]
    )
    assert result.stable_ids.tolist() == [1]
    assert result.costs[0] == pytest.approx(1 - 1 / np.sqrt(1.01))


def test_empty_registry_hands_out_ids_from_next_id() -> None:
    result = match_clusters(_centroids(1, 3), np.zeros((0, 16)), [], next_id=40)
    assert result.stable_ids.tolist() == [40, 41, 42]
    assert result.is_new.all()
    assert np.isinf(result.costs).all()


def test_no_clusters_gives_empty_result(registry: tuple[np.ndarray, np.ndarray]) -> None:
    cents, ids = registry
    result = match_clusters(np.zeros((0, 16)), cents, ids)
    assert result.stable_ids.shape == (0,)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_distance": 0.0}, "max_distance must be in"),
        ({"overlap_weight": 1.5}, "overlap_weight must be in"),
        ({"next_id": 5}, "collides with registry id"),
    ],
)
def test_bad_parameters_are_refused(
    registry: tuple[np.ndarray, np.ndarray], kwargs: dict[str, float], match: str
) -> None:
    cents, ids = registry
    with pytest.raises(InputError, match=match):
        match_clusters(cents, cents, ids, **kwargs)  # type: ignore[arg-type]


def test_duplicate_registry_ids_are_refused(registry: tuple[np.ndarray, np.ndarray]) -> None:
    cents, _ = registry
    with pytest.raises(InputError, match="unique non-negative"):
        match_clusters(cents, cents, [1, 1, 2, 3, 4, 5])


def test_dimension_mismatch_names_the_model(registry: tuple[np.ndarray, np.ndarray]) -> None:
    cents, ids = registry
    with pytest.raises(InputError, match="same embedding model"):
        match_clusters(_centroids(2, 2, dim=8), cents, ids)


def test_zero_centroid_is_refused() -> None:
    with pytest.raises(InputError, match="all-zero centroid"):
        cosine_distances(np.zeros((1, 3)), np.ones((1, 3)))


def test_jaccard_is_nan_where_unknown_and_one_where_one_side_is_empty() -> None:
    out = jaccard_distances([[1, 2], []], [[2, 3], None, [], [7]])
    assert out[0, 0] == pytest.approx(1 - 1 / 3)
    assert out[0, 3] == 1.0
    assert np.isnan(out[0, 1]) and np.isnan(out[1, 1]) and np.isnan(out[1, 2])
    assert out[0, 2] == 1.0 and out[1, 0] == 1.0


def test_cluster_holding_none_of_a_covered_regions_reference_never_takes_its_id() -> None:
    # the run's cluster sits on the registry entry but holds none of its reference queries:
    # new ground next to a covered region, not the covered region itself; a production-only
    # entry may take a cluster with a few reference queries (the clustering moved)
    cents = np.array([[1.0, 0.0], [0.0, 1.0]])
    run = np.array([[1.0, 0.05], [0.05, 1.0]])
    result = match_clusters(run, cents, [3, 4], members=[[], [7, 8]],
                            registry_members=[np.arange(5), []])
    assert result.stable_ids.tolist() == [5, 4]
    assert result.is_matched.tolist() == [False, True]
    # nor does a cluster that holds other reference queries than the entry did
    other = match_clusters(run[:1], cents[:1], [3], members=[[9]], registry_members=[[1, 2]])
    assert other.stable_ids.tolist() == [4]
    # both production only: the same new region as last week
    again = match_clusters(run[:1], cents[:1], [3], members=[[]], registry_members=[[]])
    assert again.stable_ids.tolist() == [3]


def test_cluster_centroids_skip_noise_and_are_unit() -> None:
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(30, 4))
    labels = np.repeat([-1, 2, 5], 10)
    present, cents = cluster_centroids(emb, labels)
    assert present.tolist() == [2, 5]
    np.testing.assert_allclose(np.linalg.norm(cents, axis=1), 1.0)
    unit = emb[10:20] / np.linalg.norm(emb[10:20], axis=1, keepdims=True)
    expected = unit.mean(axis=0)
    np.testing.assert_allclose(cents[0], expected / np.linalg.norm(expected))


def test_cluster_centroids_refuse_misaligned_labels() -> None:
    with pytest.raises(InputError, match="do not align"):
        cluster_centroids(np.zeros((3, 2)), [0, 1])


def test_a_cluster_that_cannot_be_new_is_a_split_of_its_nearest_entry(
    registry: tuple[np.ndarray, np.ndarray],
) -> None:
    cents, ids = registry
    far = -cents[:2].mean(axis=0, keepdims=True)
    run = np.vstack([far, far + 0.01])
    result = match_clusters(run, cents, ids, can_be_new=[False, True])
    assert not result.is_matched.any()
    assert result.is_new.tolist() == [False, True]
    nearest = ids[np.argmin(cosine_distances(far, cents)[0])]
    assert result.parent_ids.tolist() == [nearest, -1]


def test_can_be_new_must_align_with_the_clusters(registry: tuple[np.ndarray, np.ndarray]) -> None:
    cents, ids = registry
    with pytest.raises(InputError, match="can_be_new has 2 values for 6 clusters"):
        match_clusters(cents, cents, ids, can_be_new=[True, False])
