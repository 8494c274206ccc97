"""Statistical rules shared by several stages (one copy each): Wilson intervals, BH q-values."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats


def wilson_interval(
    k: NDArray[Any] | int, n: NDArray[Any] | int, confidence: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score interval of a binomial proportion.

    Parameters
    ----------
    k, n
        Successes and trials, scalars or arrays of the same shape; ``n == 0`` gives ``[0, 1]``.
    confidence
        Two-sided confidence level.

    Returns
    -------
    lower, upper
        Arrays (at least 1-d) of the bounds, in [0, 1]; exact at k = 0 and k = n, and never
        on the wrong side of k / n.
    """
    k_arr = np.asarray(k, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    safe_n = np.where(n_arr > 0, n_arr, 1.0)
    p = k_arr / safe_n
    denom = 1.0 + z * z / safe_n
    centre = (p + z * z / (2.0 * safe_n)) / denom
    half = z * np.sqrt(p * (1.0 - p) / safe_n + z * z / (4.0 * safe_n * safe_n)) / denom
    lower = np.where((n_arr > 0) & (k_arr > 0), np.clip(centre - half, 0.0, p), 0.0)
    upper = np.where((n_arr > 0) & (k_arr < n_arr), np.clip(centre + half, p, 1.0), 1.0)
    return np.atleast_1d(lower).astype(np.float64), np.atleast_1d(upper).astype(np.float64)


def wilson_bounds(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """:func:`wilson_interval` of one proportion, as two floats."""
    lower, upper = wilson_interval(k, n, confidence)
    return float(lower[0]), float(upper[0])


def fdr_qvalues(p_values: NDArray[Any] | list[float]) -> NDArray[np.float64]:
    """Benjamini-Hochberg q-values of a 1-d array of p-values, same order, capped at 1
    (:func:`scipy.stats.false_discovery_control`)."""
    p = np.asarray(p_values, dtype=float)
    if len(p) == 0:
        return np.zeros(0)
    return np.asarray(stats.false_discovery_control(p, method="bh"), dtype=np.float64)
