"""Evidence of shift per production query: what a label on it would teach the router.

Pure computation. A region's uncovered queries are not all shifted: traffic like the reference
is uncovered at a rate of alpha, so a region of ``n`` production queries with ``u`` uncovered
holds about ``max(0, u - alpha n)`` shifted ones. Spread over its uncovered queries, each carries

    e = max(0, 1 - alpha n / u)

(0 in an ordinary region, whatever its size; close to 1 where nearly every query is
uncovered). The same holds for each detector cause (malformed, multi-intent, mixed language)
against its rate in the reference: ``e = max(0, 1 - rate n / m)`` for the ``m`` queries of the
region with the cause. A member of an emerging region carries ``1 - p`` of the region's
p-value. A query's evidence is the largest that applies.

What a label teaches: ``evidence x route weight x outcome weight`` (route weight 1 on the
cheap model, 0.5 on another, 1 without a route column; outcome weight 2 for a bad outcome, 1
otherwise); summed over a region it is the expected number of shifted (cheaply routed,
badly served) queries the region holds, and the labelling queue shares its budget by it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

#: Causes whose reference rate is their chance level (new_domain is derived from coverage).
DETECTOR_CAUSES = ("malformed", "multi_intent", "mixed_language")
#: Weight of a shifted query served by a model other than the cheap one.
OTHER_ROUTE_WEIGHT = 0.5
#: Weight of a shifted query with a bad outcome.
BAD_OUTCOME_WEIGHT = 2.0


def shift_evidence(
    regions: NDArray[np.int64],
    is_uncovered: NDArray[np.bool_],
    alpha: float,
    flags: Sequence[Sequence[str]] | None = None,
    reference_rates: Mapping[str, float] | None = None,
    emerging_ids: NDArray[np.int64] | None = None,
    emerging_p: Mapping[int, float] | None = None,
) -> NDArray[np.float64]:
    """Per production row (n,), the evidence in [0, 1] that it is shifted (module docstring).

    ``regions`` (n,) the cluster of each row; ``flags`` the detector causes per row and
    ``reference_rates`` each cause's share in the reference; ``emerging_ids`` (n,) with -1
    for none and ``emerging_p`` each emerging region's p-value.
    """
    n = len(regions)
    evidence = np.zeros(n)
    sizes = _count(regions, np.ones(n, dtype=bool))
    uncovered = _count(regions, is_uncovered)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(uncovered > 0, 1.0 - alpha * sizes / uncovered, 0.0)
    evidence = np.where(is_uncovered, np.maximum(share, 0.0), evidence)
    for cause in DETECTOR_CAUSES if flags is not None else ():
        has = np.array([cause in (f or ()) for f in flags or []], dtype=bool)
        if not has.any():
            continue
        rate = float((reference_rates or {}).get(cause, 0.0))
        count = _count(regions, has)
        with np.errstate(divide="ignore", invalid="ignore"):
            part = np.where(count > 0, 1.0 - rate * sizes / count, 0.0)
        evidence = np.where(has, np.maximum(evidence, np.maximum(part, 0.0)), evidence)
    if emerging_ids is not None:
        for eid, p in (emerging_p or {}).items():
            members = emerging_ids == eid
            evidence[members] = np.maximum(evidence[members], 1.0 - float(p))
    return np.clip(evidence, 0.0, 1.0)


def _count(regions: NDArray[np.int64], mask: NDArray[np.bool_]) -> NDArray[np.float64]:
    """For each row, how many rows of its region have ``mask``."""
    keys, inverse = np.unique(regions, return_inverse=True)
    totals = np.bincount(inverse, weights=mask.astype(float), minlength=len(keys))
    return np.asarray(totals[inverse], dtype=np.float64)


def teaching_weights(
    evidence: NDArray[np.float64],
    is_cheap: NDArray[np.bool_] | None = None,
    is_bad: NDArray[np.bool_] | None = None,
) -> NDArray[np.float64]:
    """``evidence x route weight x outcome weight`` per row (module docstring)."""
    weights = evidence.copy()
    if is_cheap is not None:
        weights *= np.where(is_cheap, 1.0, OTHER_ROUTE_WEIGHT)
    if is_bad is not None:
        weights *= np.where(is_bad, BAD_OUTCOME_WEIGHT, 1.0)
    return weights


def queue_regions(
    clusters: NDArray[np.int64], emerging_ids: NDArray[np.int64] | None
) -> NDArray[np.int64]:
    """The region a row counts in for the queue: its emerging region when it has one (keys
    above every cluster id), else its cluster."""
    if emerging_ids is None:
        return clusters.astype(np.int64)
    top = int(clusters.max()) + 1 if len(clusters) else 0
    return np.where(emerging_ids >= 0, top + emerging_ids, clusters).astype(np.int64)
