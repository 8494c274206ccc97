"""Joint map and clustering: UMAP (5-d for clustering, 2-d for the map) and HDBSCAN.

Both are fit on a capped sample; the other points, and HDBSCAN's noise, are assigned from their
nearest fitted neighbours, so every query ends in a region and none drops out of the accounting.
UMAP gets an exact cosine kNN graph computed once (faiss's exact inner-product index, numpy
without faiss) and shared by both runs, which skips pynndescent and its compilation.
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from analyzer.config import ClusterConfig
from analyzer.coverage.index import NeighborIndex, has_faiss
from analyzer.errors import InputError
from analyzer.spill import CHUNK_ROWS, chunk_ranges, release

#: The fewest distinct queries (both sides together) that can be mapped and clustered.
MIN_POINTS = 10

_NUMBA_MODULES = (
    "umap.umap_",
    "umap.layouts",
    "umap.utils",
    "umap.spectral",
    "umap.distances",
    "umap.sparse",
    "pynndescent.distances",
    "pynndescent.utils",
    "pynndescent.sparse",
)


def default_numba_cache_dir() -> str:
    from platformdirs import user_cache_dir

    return os.path.join(user_cache_dir("shift-analyzer"), "numba")


def import_umap() -> Any:
    """Import umap with numba's on-disk cache turned on for its compiled functions.

    umap-learn compiles most of its functions without ``cache=True``, so every new process paid
    about 30 s of compilation; enabling the cache on each dispatcher makes later processes load
    the compiled code instead (measured in docs/design.md).
    """
    os.environ.setdefault("NUMBA_CACHE_DIR", default_numba_cache_dir())
    import umap
    from numba.core.registry import CPUDispatcher

    for name in _NUMBA_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for value in vars(module).values():
            if isinstance(value, CPUDispatcher):
                try:
                    value.enable_caching()
                except (RuntimeError, TypeError, ValueError, AttributeError):
                    continue  # a function numba cannot cache just compiles as before
    return umap


@dataclass(frozen=True)
class ClusterMap:
    """Where every query lands.

    ``labels`` (n,) cluster ids (>= 0; -1 only when HDBSCAN found no cluster at all);
    ``is_core`` (n,) True where HDBSCAN itself placed the point (False: assigned from
    neighbours); ``coords`` (n, n_components) the clustering space; ``map_xy`` (n, 2) the map;
    ``fit_index`` the rows UMAP and HDBSCAN were fit on.
    """

    labels: np.ndarray
    is_core: np.ndarray
    coords: np.ndarray
    map_xy: np.ndarray
    fit_index: np.ndarray
    min_cluster_size: int


def fit_sample(groups: np.ndarray, cap: int, rng: np.random.Generator) -> np.ndarray:
    """Return sorted row indices of a sample of at most ``cap`` rows, stratified by group."""
    n = len(groups)
    if n <= cap:
        return np.arange(n)
    chosen = []
    for value in np.unique(groups):
        members = np.flatnonzero(groups == value)
        take = max(1, round(cap * len(members) / n))
        chosen.append(rng.choice(members, size=min(take, len(members)), replace=False))
    return np.sort(np.concatenate(chosen))


def auto_min_cluster_size(n_fit: int) -> int:
    """Scale HDBSCAN's minimum cluster size with the number of fitted points.

    About 0.13% of the points (20 at 15,000), at least 10 and at most 100: small enough that a
    new intent of a few dozen queries forms a region of its own (measured on CLINC150 held-out
    domains in docs/design.md, where 0.4% merged new intents into covered regions).
    """
    return max(10, min(100, round(0.0013 * n_fit)))


def _vote(neighbor_labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted majority label of each row's neighbours."""
    out = np.empty(len(neighbor_labels), dtype=np.int64)
    for row, (labels, w) in enumerate(zip(neighbor_labels, weights)):
        values, inverse = np.unique(labels, return_inverse=True)
        out[row] = values[np.argmax(np.bincount(inverse, weights=w))]
    return out


def _umap(
    umap: Any,
    n_components: int,
    min_dist: float,
    knn: tuple[np.ndarray, np.ndarray],
    config: ClusterConfig,
    data: np.ndarray,
    n_epochs: int = 200,
    init: str | np.ndarray = "spectral",
) -> np.ndarray:
    model = umap.UMAP(
        n_components=n_components,
        n_neighbors=knn[0].shape[1],
        min_dist=min_dist,
        metric="cosine",
        precomputed_knn=(knn[0], knn[1], None),
        random_state=config.seed,
        n_epochs=n_epochs,
        init=init,
        low_memory=True,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(model.fit_transform(data), dtype=np.float32)


def _plane(coords: np.ndarray) -> np.ndarray:
    """The first two principal axes of ``coords`` (n, c), scaled to [-10, 10]: a map's start."""
    centred = coords - coords.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    plane = centred @ axes[:2].T
    scale = float(np.abs(plane).max()) or 1.0
    return np.asarray(10.0 * plane / scale, dtype=np.float32)


@dataclass(frozen=True)
class FittedMap:
    """UMAP and HDBSCAN fitted on the sample: what assigning any other point needs.

    ``fit_index`` the sampled points; ``vectors`` (n_fit, d) their embeddings; ``labels``
    (noise already voted into a cluster), ``is_core``, ``coords`` (n_fit, n_components) and
    ``map_xy`` (n_fit, 2) theirs. Plain arrays: an engine ships it to its workers.
    """

    fit_index: np.ndarray
    vectors: np.ndarray
    labels: np.ndarray
    is_core: np.ndarray
    coords: np.ndarray
    map_xy: np.ndarray
    min_cluster_size: int

    def index(self) -> NeighborIndex:
        """An exact neighbour index over the fitted points."""
        return NeighborIndex(self.vectors, "flat" if has_faiss() else "numpy")


@dataclass(frozen=True)
class Assigned:
    """Points placed from their nearest fitted neighbours: ``labels`` (m,), ``coords``
    (m, n_components), ``map_xy`` (m, 2)."""

    labels: np.ndarray
    coords: np.ndarray
    map_xy: np.ndarray


#: Places points beyond the fitted sample: (the fitted map, the points' indices) -> Assigned.
Assigner = Callable[[FittedMap, np.ndarray], Assigned]


def assign_points(
    fitted: FittedMap, vectors: np.ndarray, index: NeighborIndex | None = None
) -> Assigned:
    """Place unit ``vectors`` (m, d) from their 10 nearest fitted points (cosine): the region
    by a distance-weighted vote, coordinates by the weighted mean. Row by row, so chunks of
    rows give the same result as all rows at once."""
    index = index or fitted.index()
    idx, dist = index.search(vectors, min(10, len(fitted.vectors)))
    weights = 1.0 / (dist + 1e-3)
    norm = weights / weights.sum(axis=1, keepdims=True)
    return Assigned(
        _vote(fitted.labels[idx], weights),
        np.einsum("rk,rkc->rc", norm, fitted.coords[idx]).astype(np.float32),
        np.einsum("rk,rkc->rc", norm, fitted.map_xy[idx]).astype(np.float32),
    )


def local_assigner(embeddings: np.ndarray, chunk: int = CHUNK_ROWS) -> Assigner:
    """An :data:`Assigner` that reads ``embeddings[points]`` here, ``chunk`` points at a time."""

    def assign(fitted: FittedMap, points: np.ndarray) -> Assigned:
        index = fitted.index()
        parts = [
            assign_points(fitted, embeddings[points[part]], index)
            for part in chunk_ranges(len(points), chunk)
        ]
        release(embeddings)
        return Assigned(
            np.concatenate([p.labels for p in parts]),
            np.concatenate([p.coords for p in parts]),
            np.concatenate([p.map_xy for p in parts]),
        )

    return assign


def fit_map(embeddings: np.ndarray, groups: np.ndarray, config: ClusterConfig) -> FittedMap:
    """Fit UMAP (5-d and 2-d) and HDBSCAN on a sample of unit ``embeddings`` (n, d), at most
    ``config.fit_cap`` points stratified by ``groups`` (n,); HDBSCAN's noise points join the
    cluster of their nearest core points."""
    import hdbscan

    umap = import_umap()
    rng = np.random.default_rng(config.seed)
    fit_index = fit_sample(groups, config.fit_cap, rng)
    fit_data = np.asarray(embeddings[fit_index], dtype=np.float32)
    n_fit = len(fit_index)
    if n_fit < MIN_POINTS:
        raise InputError(
            f"Mapping and clustering need at least {MIN_POINTS} distinct queries across the "
            f"reference and production; got {n_fit}. Add queries to either file."
        )
    k = min(config.n_neighbors, n_fit - 1)
    exact = NeighborIndex(fit_data, "flat" if has_faiss() else "numpy")
    knn = exact.search(fit_data, k)
    coords_fit = _umap(umap, config.n_components, 0.0, knn, config, fit_data)
    # The map starts from the clustering space's two main axes, so half the epochs suffice.
    xy_fit = _umap(umap, 2, 0.1, knn, config, fit_data, n_epochs=100, init=_plane(coords_fit))

    min_size = config.min_cluster_size or auto_min_cluster_size(n_fit)
    clusterer = hdbscan.HDBSCAN(
        min_cluster_size=min_size,
        min_samples=config.min_samples,
        cluster_selection_method=config.selection,
        core_dist_n_jobs=1,
    )
    labels_fit = np.asarray(clusterer.fit_predict(coords_fit), dtype=np.int64)
    is_core_fit = labels_fit >= 0
    if is_core_fit.any() and not is_core_fit.all():
        core = np.flatnonzero(is_core_fit)
        noise = np.flatnonzero(~is_core_fit)
        from sklearn.neighbors import NearestNeighbors

        finder = NearestNeighbors(n_neighbors=min(5, len(core))).fit(coords_fit[core])
        dist, idx = finder.kneighbors(coords_fit[noise])
        labels_fit[noise] = _vote(labels_fit[core][idx], 1.0 / (dist + 1e-6))
    return FittedMap(fit_index, fit_data, labels_fit, is_core_fit, coords_fit, xy_fit, min_size)


def build_map(
    embeddings: np.ndarray,
    groups: np.ndarray,
    config: ClusterConfig,
    assign: Assigner | None = None,
) -> ClusterMap:
    """Map and cluster unit-norm ``embeddings`` (n, d); ``groups`` (n,) stratifies the sample.

    The points beyond the fitted sample are placed by ``assign`` (default: here, in chunks;
    an engine passes its own)."""
    n = len(embeddings)
    fitted = fit_map(embeddings, groups, config)
    fit_index = fitted.fit_index
    labels = np.empty(n, dtype=np.int64)
    is_core = np.zeros(n, dtype=bool)
    coords = np.empty((n, config.n_components), dtype=np.float32)
    map_xy = np.empty((n, 2), dtype=np.float32)
    labels[fit_index], is_core[fit_index] = fitted.labels, fitted.is_core
    coords[fit_index], map_xy[fit_index] = fitted.coords, fitted.map_xy
    rest = np.setdiff1d(np.arange(n), fit_index, assume_unique=True)
    if len(rest):
        placed = (assign or local_assigner(embeddings))(fitted, rest)
        labels[rest], coords[rest], map_xy[rest] = placed.labels, placed.coords, placed.map_xy
    return ClusterMap(labels, is_core, coords, map_xy, fit_index, fitted.min_cluster_size)
