"""The neighbour index: faiss exact search agrees with numpy, HNSW above exact_max, and
leave-one-out drops each point by its index (duplicates included)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import AnalyzerConfig, Baseline, load_queries
from analyzer.config import CoverConfig, ScoreConfig
from analyzer.coverage import index as index_module
from analyzer.coverage.conformal import conformal_pvalues
from analyzer.coverage.index import NeighborIndex, build_index, index_kind
from analyzer.coverage.neighbors import nearest, unit_rows
from analyzer.coverage.stage import coverage_scores, fit_coverage, reference_index
from analyzer.errors import ConfigError, InputError
from tests.builders import HashingEmbedder


def _mixture(rng: np.random.Generator, n: int, n_blobs: int = 30, dim: int = 32) -> np.ndarray:
    means = rng.normal(size=(n_blobs, dim)) * 2.0
    return unit_rows(means[rng.integers(0, n_blobs, n)] + rng.normal(size=(n, dim)) * 0.7)


@pytest.fixture(scope="module")
def clinc_vectors(clinc: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Real CLINC150 texts through the hashing embedder: 2,500 training queries (reference) and
    1,000 test queries with out-of-scope ones among them (production)."""
    embedder = HashingEmbedder(128)
    train = clinc[(clinc["split"] == "train") & ~clinc["is_oos"]].drop_duplicates("text")
    test = clinc[clinc["split"] == "test"].drop_duplicates("text")
    reference = embedder.encode(train["text"].sample(2500, random_state=0).tolist())
    production = embedder.encode(test["text"].sample(1000, random_state=1).tolist())
    return reference, production


def test_faiss_exact_gives_the_numpy_scores_and_the_same_pvalues(clinc_vectors) -> None:
    reference, production = clinc_vectors
    cover = CoverConfig(min_centroids=10)
    mean = reference.mean(axis=0)
    exact = reference_index(reference, cover, mean)
    assert exact.kind == "flat"
    reference_numpy = NeighborIndex(exact.points, "numpy")
    fits = {
        "flat": fit_coverage(reference, cover, index=exact),
        "numpy": fit_coverage(reference, cover, index=reference_numpy),
    }
    np.testing.assert_allclose(fits["flat"].calibration, fits["numpy"].calibration, atol=1e-6)
    scores = {
        name: coverage_scores(production, reference, fits[name], cover, index)
        for name, index in (("flat", exact), ("numpy", reference_numpy))
    }
    np.testing.assert_allclose(scores["flat"], scores["numpy"], atol=1e-6)
    p_flat = conformal_pvalues(scores["flat"], fits["flat"].calibration)
    p_numpy = conformal_pvalues(scores["numpy"], fits["numpy"].calibration)
    np.testing.assert_array_equal(p_flat, p_numpy)


def test_faiss_exact_finds_the_numpy_neighbours(clinc_vectors) -> None:
    reference, production = clinc_vectors
    idx_flat, dist_flat = NeighborIndex(reference, "flat").search(production, 10)
    idx_numpy, dist_numpy = nearest(production, reference, 10)
    np.testing.assert_allclose(dist_flat, dist_numpy, atol=1e-6)
    # Only ties may come in another order (the hashing embedder has many): the neighbours
    # strictly nearer than each row's k-th distance are the same set.
    for row in range(len(production)):
        inner = dist_numpy[row] < dist_numpy[row, -1] - 1e-5
        assert set(idx_flat[row][inner]) == set(idx_numpy[row][inner])


def test_leave_one_out_drops_each_point_by_index_even_among_duplicates() -> None:
    rng = np.random.default_rng(3)
    base = _mixture(rng, 60)
    points = np.concatenate([base, base[:20], base[:5]])  # rows 0-4 have two duplicates
    for kind in ("flat", "hnsw", "numpy"):
        indices, distances = NeighborIndex(points, kind).search_self(4)
        rows = np.arange(len(points))[:, None]
        assert not np.any(indices == rows), kind
        # Each of rows 0-4 finds its two copies at distance 0, whatever order faiss gives them.
        assert np.all(distances[:5, :2] < 1e-6), kind
        np.testing.assert_allclose(
            distances, nearest(points, points, 4, exclude_self=True)[1], atol=1e-6
        )


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 6), st.sampled_from(["flat", "hnsw"]))
def test_leave_one_out_never_returns_the_point_itself(seed: int, k: int, kind: str) -> None:
    rng = np.random.default_rng(seed)
    points = _mixture(rng, int(rng.integers(k + 2, 80)), dim=8)
    points[rng.integers(0, len(points), 5)] = points[0]  # duplicates of row 0
    indices, distances = NeighborIndex(points, kind).search_self(k)
    assert indices.shape == (len(points), k)
    assert not np.any(indices == np.arange(len(points))[:, None])
    assert np.all(np.diff(distances, axis=1) >= -1e-6)
    exact = nearest(points, points, k, exclude_self=True)[1]
    if kind == "flat":
        np.testing.assert_allclose(distances, exact, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 6), st.sampled_from(["flat", "hnsw", "numpy"]))
def test_fast_leave_one_out_skips_the_point_and_matches_the_reranked_distances(
    seed: int, k: int, kind: str
) -> None:
    rng = np.random.default_rng(seed)
    points = _mixture(rng, int(rng.integers(k + 2, 80)), dim=8)
    points[rng.integers(0, len(points), 5)] = points[0]  # duplicates of row 0
    index = NeighborIndex(points, kind)
    fast = index.search_self_fast(k)
    assert fast.shape == (len(points), k)
    assert not np.any(fast == np.arange(len(points))[:, None])
    if kind != "hnsw":  # exact: the same neighbour distances, whatever order ties take
        found = 1.0 - np.einsum("id,ikd->ik", points.astype(np.float64), points[fast])
        exact = index.search_self(k)[1]
        np.testing.assert_allclose(np.sort(found, axis=1), exact, atol=1e-5)


def test_hnsw_is_used_above_exact_max_and_finds_nearly_every_neighbour() -> None:
    rng = np.random.default_rng(5)
    points = _mixture(rng, 3000)
    assert index_kind(1000, exact_max=1000) == "flat"
    assert index_kind(1001, exact_max=1000) == "hnsw"
    assert build_index(points, exact_max=1000).kind == "hnsw"
    assert build_index(points, exact_max=3000).kind == "flat"
    queries = _mixture(np.random.default_rng(6), 300)
    approximate, _ = build_index(points, exact_max=1000).search(queries, 10)
    exact, _ = nearest(queries, points, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approximate, exact)])
    assert recall > 0.95


def test_a_baseline_above_exact_max_calibrates_and_scores_with_hnsw(clinc: pd.DataFrame) -> None:
    train = clinc[(clinc["split"] == "train") & ~clinc["is_oos"]].drop_duplicates("text")
    ref = train.sample(1400, random_state=0)
    prod = clinc[clinc["split"] == "test"].sample(300, random_state=1)
    config = AnalyzerConfig(
        cover=CoverConfig(exact_max=1000, n_bootstrap=50),
        score=ScoreConfig(n_permutations=20, test_sample=200),
    )
    baseline = Baseline(config, HashingEmbedder(), use_cache=False).fit(load_queries(ref))
    result = baseline.score(load_queries(prod))
    assert result.summary.parameters["neighbor_index"] == "hnsw"
    exact = Baseline(
        config.with_overrides({"cover": {"exact_max": 200_000}}), HashingEmbedder(), use_cache=False
    ).fit(load_queries(ref))
    # The approximate calibration stays close to the exact one (same scores, up to misses).
    agree = np.isclose(baseline.calibration_, exact.calibration_, atol=1e-5)
    assert agree.mean() > 0.95


def test_without_faiss_search_falls_back_to_numpy(monkeypatch) -> None:
    monkeypatch.setattr(index_module, "has_faiss", lambda: False)
    assert index_kind(10, exact_max=1000) == "numpy"
    assert index_kind(10**6, exact_max=1000) == "numpy"


def test_an_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"'kind' parameter of NeighborIndex .* Got 'ivf'"):
        NeighborIndex(np.eye(3, dtype=np.float32), "ivf")


@pytest.mark.parametrize("kind", ["flat", "hnsw", "numpy"])
def test_leave_one_out_needs_two_points(kind: str) -> None:
    with pytest.raises(InputError, match=r"at least 2 reference point\(s\); got 1"):
        NeighborIndex(np.eye(1, 4, dtype=np.float32), kind).search_self(3)
