"""The coverage stage: fit on the reference once, then p-values for each production batch.

:func:`fit_coverage` returns the fitted state ``Baseline.fit`` keeps (centre, centroids, score
scale, leave-one-out calibration scores); :func:`coverage_scores` scores any embeddings against
it; :func:`score_coverage` turns a batch's scores into p-values, the uncovered flag and the
uncovered share with its bootstrap interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analyzer.config import CoverConfig
from analyzer.coverage.conformal import (
    UncoveredShare,
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
from analyzer.coverage.index import NeighborIndex, build_index


@dataclass(frozen=True)
class CoverageFit:
    """What fitting coverage on the reference learns.

    ``center`` (d,) the reference mean; ``centroids`` (K, d) k-means centroids of the centred
    reference (K = 0: kNN alone); ``scale`` (4,) medians and ranges of the kNN and centroid
    scores; ``calibration`` (n_reference,) the leave-one-out scores p-values are ranked among.
    """

    center: np.ndarray
    centroids: np.ndarray
    scale: np.ndarray
    calibration: np.ndarray


@dataclass(frozen=True)
class Coverage:
    """One batch's coverage: per distinct text and per row.

    ``scores`` (u,) the nonconformity score of each distinct text; ``pvalues`` and
    ``is_uncovered`` (n,) per row; ``share`` the uncovered share with its interval.
    """

    scores: np.ndarray
    pvalues: np.ndarray
    is_uncovered: np.ndarray
    share: UncoveredShare


def reference_index(
    reference: np.ndarray, cover: CoverConfig, mean: np.ndarray | None = None
) -> NeighborIndex:
    """The neighbour index coverage searches: the reference (n, d) centred on ``mean`` (its own
    mean when omitted); exact up to ``cover.exact_max`` rows, HNSW above."""
    centred = center(reference, reference.mean(axis=0) if mean is None else mean)
    return build_index(centred, cover.exact_max)


def fit_coverage(
    reference: np.ndarray, cover: CoverConfig, index: NeighborIndex | None = None
) -> CoverageFit:
    """Fit coverage on the reference embeddings (n, d): centre, centroids, scale, calibration.

    Every reference row calibrates, leave-one-out: its kNN distance skips itself and its own
    centroid is recomputed without it. ``index`` is :func:`reference_index` of the same rows
    (built here when omitted; pass it to reuse it for scoring).
    """
    mean = reference.mean(axis=0)
    index = reference_index(reference, cover, mean) if index is None else index
    centred = index.points
    knn = knn_scores(centred, centred, cover.k, leave_one_out=True, index=index)
    n_centroids = centroid_count(
        len(centred), cover.per_centroid, cover.centroid_fit_max, cover.min_centroids
    )
    if cover.centroid_weight == 0.0 or n_centroids == 0:
        empty = np.zeros((0, centred.shape[1]), dtype=np.float32)
        return CoverageFit(mean, empty, np.array([0.0, 1.0, 0.0, 1.0]), knn)
    centroids, own = fit_centroids(centred, n_centroids, cover.centroid_fit_max, cover.seed)
    scale = np.array([*scale_of(knn), *scale_of(own)])
    return CoverageFit(mean, centroids, scale, blend(knn, own, scale, cover.centroid_weight))


def coverage_scores(
    embeddings: np.ndarray,
    reference: np.ndarray,
    fitted: CoverageFit,
    cover: CoverConfig,
    index: NeighborIndex | None = None,
) -> np.ndarray:
    """Nonconformity score of each row of ``embeddings`` (m, d) against the ``reference`` (n, d):
    the kNN distance, blended with the centroid distance when the fit has centroids.

    ``index`` is :func:`reference_index` of the reference at ``fitted.center`` (built here when
    omitted)."""
    queries = center(embeddings, fitted.center)
    if index is None:
        index = reference_index(reference, cover, fitted.center)
    knn = knn_scores(queries, index.points, cover.k, index=index)
    if len(fitted.centroids) == 0:
        return knn
    centroid = centroid_scores(queries, fitted.centroids)
    return blend(knn, centroid, fitted.scale, cover.centroid_weight)


def score_coverage(
    scores: np.ndarray,
    inverse: np.ndarray,
    calibration: np.ndarray,
    cover: CoverConfig,
    rng: np.random.Generator,
) -> Coverage:
    """P-values of the rows (``inverse`` maps each row to its distinct text's score), the
    uncovered flag at ``cover.alpha`` and the uncovered share with its bootstrap interval."""
    row_scores = scores[inverse]
    pvalues = conformal_pvalues(row_scores, calibration)
    share = uncovered_share(row_scores, calibration, cover.alpha, cover.n_bootstrap, rng)
    return Coverage(scores, pvalues, pvalues < cover.alpha, share)
