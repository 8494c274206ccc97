"""Conformal kNN coverage of production queries by the reference.

The nonconformity score of a query is its mean cosine distance to its ``k`` nearest reference
queries, in the embedding space centred on the reference mean. The reference calibrates itself
leave-one-out (each reference query is scored against all the others), so every reference query
counts and the p-value of a production query is

    p = (1 + #{calibration scores >= score}) / (n_reference + 1),

which is (conservatively) uniform when the query comes from the reference's distribution: a
production query is uncovered at level alpha when p < alpha, and in-distribution traffic is
uncovered at a rate of about alpha.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analyzer.neighbors import nearest, unit_rows


def center(embeddings: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Return unit-norm rows after subtracting the reference mean (a shift of the origin)."""
    return unit_rows(embeddings - mean[None, :])


def knn_scores(
    queries: np.ndarray, reference: np.ndarray, k: int, leave_one_out: bool = False
) -> np.ndarray:
    """Return the mean cosine distance of each query row to its ``k`` nearest reference rows."""
    _, distances = nearest(queries, reference, k, exclude_self=leave_one_out)
    scores: np.ndarray = distances.mean(axis=1).astype(np.float64)
    return scores


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
