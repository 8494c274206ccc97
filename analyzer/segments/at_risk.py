"""Which production queries are at risk.

A production query is **at risk** when it is uncovered (conformal p-value below alpha), or a
detector flagged it (any cause in its ``flags``: malformed, multi_intent, mixed_language,
new_domain), or it lies in a flagged cluster. Pure computation (no I/O, no printing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analyzer.errors import InputError


def at_risk_mask(
    is_uncovered: NDArray[Any] | Sequence[bool],
    cluster_ids: NDArray[Any] | Sequence[int],
    flagged_cluster_ids: Sequence[int],
    flags: Sequence[Sequence[str]] | None = None,
) -> NDArray[np.bool_]:
    """Which production queries are at risk.

    A query is at risk when it is uncovered, or carries at least one detector cause in
    ``flags`` (lists of "malformed", "multi_intent", "mixed_language", "new_domain"), or its
    cluster is in ``flagged_cluster_ids``.

    Parameters
    ----------
    is_uncovered
        Boolean per production query, shape (n,).
    cluster_ids
        Cluster id per production query, shape (n,); -1 is noise (a region of its own).
    flagged_cluster_ids
        Clusters the score stage flagged.
    flags
        Per query, the detector causes (an empty list or ``None`` for none).

    Returns
    -------
    numpy.ndarray
        Boolean array of shape (n,).
    """
    uncovered = np.asarray(is_uncovered, dtype=bool)
    clusters = np.asarray(cluster_ids)
    if uncovered.shape != clusters.shape:
        raise InputError(
            f"'is_uncovered' and 'cluster_ids' must have the same length. Got "
            f"{uncovered.shape[0]} and {clusters.shape[0]}."
        )
    risk = uncovered | np.isin(
        clusters, np.asarray(list(flagged_cluster_ids), dtype=clusters.dtype)
    )
    if flags is not None:
        if len(flags) != len(uncovered):
            raise InputError(
                f"'flags' must have one entry per production row ({len(uncovered)}). "
                f"Got {len(flags)} instead."
            )
        risk |= np.array([_has_cause(f) for f in flags], dtype=bool)
    return risk


def _has_cause(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return len(value) > 0


__all__ = ["at_risk_mask"]
