from __future__ import annotations

import numpy as np
import pytest

from analyzer.config import ClusterConfig
from analyzer.coverage.neighbors import unit_rows
from analyzer.regions.map import auto_min_cluster_size, build_map, fit_sample


@pytest.fixture()
def blobs() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(8)
    centres = unit_rows(rng.normal(size=(4, 32))) * 6
    truth = np.repeat(np.arange(4), 150)
    points = unit_rows(centres[truth] + rng.normal(size=(600, 32)))
    return points, truth


def test_blobs_are_recovered_and_every_point_is_placed(blobs) -> None:
    points, truth = blobs
    cmap = build_map(points, np.zeros(len(points), int), ClusterConfig(seed=1))
    assert cmap.labels.shape == (600,) and np.all(cmap.labels >= 0)
    assert cmap.map_xy.shape == (600, 2) and cmap.coords.shape == (600, 5)
    # Leaf selection may split a blob into parts, but no region mixes blobs.
    for cluster in np.unique(cmap.labels):
        members = truth[cmap.labels == cluster]
        assert np.mean(members == np.bincount(members).argmax()) > 0.95


def test_points_beyond_the_cap_are_assigned_from_neighbours(blobs) -> None:
    points, truth = blobs
    cmap = build_map(points, np.zeros(len(points), int), ClusterConfig(fit_cap=300, seed=1))
    assert len(cmap.fit_index) == 300
    rest = np.setdiff1d(np.arange(600), cmap.fit_index)
    assert not cmap.is_core[rest].any()
    for cluster in np.unique(cmap.labels):
        members = truth[cmap.labels == cluster]
        assert np.mean(members == np.bincount(members).argmax()) > 0.95


def test_same_seed_same_map(blobs) -> None:
    points, _ = blobs
    a = build_map(points, np.zeros(600, int), ClusterConfig(seed=3, fit_cap=200))
    b = build_map(points, np.zeros(600, int), ClusterConfig(seed=3, fit_cap=200))
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_allclose(a.map_xy, b.map_xy)


def test_fit_sample_keeps_group_proportions() -> None:
    groups = np.r_[np.zeros(900, int), np.ones(100, int)]
    sample = fit_sample(groups, 200, np.random.default_rng(0))
    assert len(sample) == 200 and np.sum(groups[sample] == 1) == 20


@pytest.mark.parametrize(("n", "size"), [(100, 10), (15000, 20), (20000, 26), (10**6, 100)])
def test_min_cluster_size_scales(n: int, size: int) -> None:
    assert auto_min_cluster_size(n) == size
