"""Conformal coverage of production queries by the reference.

The nonconformity score of a query blends two distances, in the embedding space centred on the
reference mean (unit rows):

* kNN: its mean cosine distance to its ``k`` nearest reference queries (local gaps);
* centroid: its squared distance to the nearest of K k-means centroids of the reference, about
  one per ``per_centroid`` reference queries. A centroid averages its members, so the distance is
  smoother than a few neighbours and larger near diffuse regions (a short centroid).

Each is standardized on the reference's own scores (median, interquartile range) and the score
is ``(1 - w) * knn + w * centroid``. The reference calibrates itself leave-one-out (each
reference query is scored against all the others; its own centroid is recomputed without it),
so every reference query counts and the p-value of a production query is

    p = (1 + #{calibration scores >= score}) / (n_reference + 1),

which is (conservatively) uniform when the query comes from the reference's distribution: a
production query is uncovered at level alpha when p < alpha, and in-distribution traffic is
uncovered at a rate of about alpha.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans

from analyzer.coverage.index import NeighborIndex, has_faiss
from analyzer.coverage.neighbors import unit_rows


def center(embeddings: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Return unit-norm rows after subtracting the reference mean (a shift of the origin)."""
    return unit_rows(embeddings - mean[None, :])


def knn_scores(
    queries: np.ndarray,
    reference: np.ndarray,
    k: int,
    leave_one_out: bool = False,
    index: NeighborIndex | None = None,
) -> np.ndarray:
    """Return the mean cosine distance of each query row to its ``k`` nearest reference rows.

    With ``leave_one_out`` the queries are the reference rows themselves and each skips itself.
    ``index`` searches ``reference`` (built over those rows); an exact one when omitted.
    """
    if index is None:
        index = NeighborIndex(reference, "flat" if has_faiss() else "numpy")
    _, distances = index.search_self(k) if leave_one_out else index.search(queries, k)
    scores: np.ndarray = distances.mean(axis=1).astype(np.float64)
    return scores


def centroid_count(n_reference: int, per_centroid: int, fit_max: int, min_centroids: int) -> int:
    """Centroids for a reference of ``n_reference`` distinct queries: one per ``per_centroid``
    of the (at most ``fit_max``) fitted ones, or 0 (kNN alone) when that is under
    ``min_centroids``."""
    count = min(n_reference, fit_max) // per_centroid
    return count if count >= min_centroids else 0


def fit_centroids(
    reference: np.ndarray, n_centroids: int, fit_max: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``n_centroids`` k-means centroids of the reference rows and each row's
    leave-one-out score.

    k-means is fitted on at most ``fit_max`` rows (a seeded sample). A fitted
    row's own centroid is recomputed without it: for a cluster of n_j members the squared
    distance grows by (n_j / (n_j - 1))^2 (exact when the centroid is its members' mean, as at
    k-means' convergence); a singleton has no own centroid and scores against the others. Rows
    outside the fitted sample are scored as they are.
    """
    rng = np.random.default_rng(seed)
    n = len(reference)
    fitted = np.sort(rng.choice(n, fit_max, replace=False)) if n > fit_max else np.arange(n)
    kmeans = KMeans(n_clusters=n_centroids, n_init=1, max_iter=100, random_state=seed)
    labels = kmeans.fit_predict(reference[fitted].astype(np.float64))
    centroids = kmeans.cluster_centers_.astype(np.float32)
    sizes = np.bincount(labels, minlength=n_centroids).astype(np.float64)
    own_label = np.full(n, -1, dtype=np.int64)
    own_label[fitted] = labels
    own_factor = np.ones(n)
    own = sizes[labels]
    own_factor[fitted] = np.where(own > 1, (own / np.maximum(own - 1.0, 1.0)) ** 2, np.inf)
    return centroids, _nearest_squared(reference, centroids, own_label, own_factor)


def centroid_scores(queries: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Return each query row's squared distance to its nearest centroid."""
    return _nearest_squared(queries, centroids)


def _nearest_squared(
    rows: np.ndarray,
    centroids: np.ndarray,
    own_label: np.ndarray | None = None,
    own_factor: np.ndarray | None = None,
    chunk: int = 4096,
) -> np.ndarray:
    """Squared distance of each row to its nearest centroid, a chunk of rows at a time.

    With ``own_label`` (-1 for none), the distance to a row's own centroid is multiplied by its
    ``own_factor`` first (an infinite factor drops that centroid: 0 x inf would be NaN).
    """
    out = np.empty(len(rows))
    norms = np.einsum("ij,ij->i", centroids, centroids).astype(np.float64)
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        own = np.einsum("ij,ij->i", part, part).astype(np.float64)
        cross = (part @ centroids.T).astype(np.float64)
        distances = np.maximum(own[:, None] - 2.0 * cross + norms[None, :], 0.0)
        if own_label is not None and own_factor is not None:
            index = np.flatnonzero(own_label[start : start + chunk] >= 0)
            label = own_label[start : start + chunk][index]
            factor = own_factor[start : start + chunk][index]
            dropped = np.isinf(factor)
            scaled = distances[index, label] * np.where(dropped, 1.0, factor)
            distances[index, label] = np.where(dropped, np.inf, scaled)
        out[start : start + chunk] = distances.min(axis=1)
    return out


def scale_of(calibration: np.ndarray) -> tuple[float, float]:
    """Median and interquartile range of calibration scores (a range of 0 becomes 1)."""
    low, median, high = np.quantile(calibration, [0.25, 0.5, 0.75])
    spread = float(high - low)
    return float(median), spread if spread > 0 else 1.0


def blend(knn: np.ndarray, centroid: np.ndarray, scale: np.ndarray, weight: float) -> np.ndarray:
    """Return ``(1 - weight) * z(knn) + weight * z(centroid)``.

    ``scale`` holds (knn median, knn range, centroid median, centroid range) from the reference.
    """
    z_knn = (knn - scale[0]) / scale[1]
    z_centroid = (centroid - scale[2]) / scale[3]
    blended: np.ndarray = (1.0 - weight) * z_knn + weight * z_centroid
    return blended


def conformal_pvalues(scores: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    """Return p = (1 + #{calibration >= score}) / (n + 1) for each score; in (0, 1]."""
    ordered = np.sort(calibration)
    at_least = len(ordered) - np.searchsorted(ordered, scores, side="left")
    return (1.0 + at_least) / (len(ordered) + 1.0)


@dataclass(frozen=True)
class UncoveredShare:
    """Share of production queries with p < alpha, with a bootstrap interval."""

    share: float
    low: float
    high: float


def uncovered_share(
    scores: np.ndarray,
    calibration: np.ndarray,
    alpha: float,
    n_bootstrap: int,
    rng: np.random.Generator,
    level: float = 0.95,
) -> UncoveredShare:
    """Return the uncovered share with a percentile bootstrap interval.

    Each replicate resamples both the production scores and the calibration scores, so the
    interval carries the calibration's own uncertainty as well as the sample's.
    """
    pvalues = conformal_pvalues(scores, calibration)
    share = float(np.mean(pvalues < alpha)) if len(scores) else 0.0
    if len(scores) == 0:
        return UncoveredShare(0.0, 0.0, 1.0)
    replicates = np.empty(n_bootstrap)
    for b in range(n_bootstrap):
        cal = calibration[rng.integers(0, len(calibration), len(calibration))]
        sample = scores[rng.integers(0, len(scores), len(scores))]
        replicates[b] = np.mean(conformal_pvalues(sample, cal) < alpha)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(replicates, [tail, 1.0 - tail])
    return UncoveredShare(share, float(low), float(high))
