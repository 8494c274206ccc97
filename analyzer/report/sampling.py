"""Which points the report's map draws when there are too many (presentation data selection).

A pure function of the query table's ``side`` and ``cluster_id`` columns: no statistics, no
I/O. Every point of a flagged cluster is kept (up to the budget); the rest of the budget is
spread over (side, cluster) strata in proportion to their size, with a floor so that small
regions stay visible, and each stratum is sampled uniformly at random with a fixed seed.
The page states how many of how many points are drawn and how they were chosen.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analyzer.errors import InputError

#: Points the map draws at most: 50k WebGL points stay interactive in about a second and keep
#: the page near 12 MB with hover text (docs/report.md).
DEFAULT_POINT_BUDGET = 50_000
#: Points every (side, cluster) stratum keeps when sampled (all of them when it is smaller).
STRATUM_FLOOR = 20


@dataclass(frozen=True)
class PointSelection:
    """The rows the map draws, sorted, and how they were chosen.

    ``indices`` index the query table (shape (n_drawn,)). ``note`` is one sentence for the
    page, empty when every point is drawn.
    """

    indices: NDArray[np.int64]
    n_total: int
    n_flagged_total: int
    n_flagged_drawn: int
    budget: int

    @property
    def n_drawn(self) -> int:
        return len(self.indices)

    @property
    def is_sampled(self) -> bool:
        return self.n_drawn < self.n_total

    @property
    def note(self) -> str:
        if not self.is_sampled:
            return ""
        flagged = (
            f"all {self.n_flagged_total:,} points of flagged regions"
            if self.n_flagged_drawn == self.n_flagged_total
            else f"{self.n_flagged_drawn:,} of the {self.n_flagged_total:,} points of flagged "
            "regions (a stratified sample: they alone exceed the budget)"
        )
        return (
            f"The map draws {self.n_drawn:,} of {self.n_total:,} points (budget {self.budget:,}): "
            f"{flagged}, and a random sample of the other regions stratified by side and region "
            f"(in proportion to size, at least {STRATUM_FLOOR} per region and side). "
            "Search and highlighting cover the drawn points; the tables, counts and statistics "
            "use every query."
        )


def _stratified(
    strata: NDArray[np.int64], budget: int, rng: np.random.Generator
) -> NDArray[np.int64]:
    """Positions (into ``strata``) of a sample of ``budget`` items, proportional per stratum."""
    n = len(strata)
    if budget >= n:
        return np.arange(n, dtype=np.int64)
    if budget <= 0:
        return np.zeros(0, dtype=np.int64)
    _, inverse, counts = np.unique(strata, return_inverse=True, return_counts=True)
    floor = np.minimum(counts, STRATUM_FLOOR)
    if floor.sum() >= budget:  # too many strata: the floor alone does not fit
        floor = np.zeros_like(counts)
    rest = budget - int(floor.sum())
    extra = (counts - floor) * rest / max(int((counts - floor).sum()), 1)
    take = floor + np.floor(extra).astype(np.int64)
    remainder = budget - int(take.sum())
    if remainder > 0:  # largest fractional parts first, only where points are left
        frac = np.where(take < counts, extra - np.floor(extra), -1.0)
        for i in np.argsort(-frac, kind="stable")[:remainder]:
            if take[i] < counts[i]:
                take[i] += 1
    order = np.argsort(inverse, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    chosen = [
        rng.choice(order[s : s + c], size=int(t), replace=False)
        for s, c, t in zip(starts, counts, take)
        if t > 0
    ]
    return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)


def select_points(
    sides: NDArray[np.str_] | list[str],
    cluster_ids: NDArray[np.int64] | list[int],
    flagged: Collection[int],
    budget: int = DEFAULT_POINT_BUDGET,
    seed: int = 0,
    always: NDArray[np.bool_] | None = None,
) -> PointSelection:
    """Choose the points the map draws.

    Parameters
    ----------
    sides
        ``"reference"`` or ``"production"`` per query, shape (n,).
    cluster_ids
        Cluster of each query, shape (n,).
    flagged
        Flagged cluster ids: their points are all kept while they fit the budget.
    always
        Points kept as flagged ones are (e.g. emerging regions), shape (n,).
    budget
        Most points drawn; every point is drawn when n is within it.
    seed
        Seed of the sample (the same input always draws the same points).

    Returns
    -------
    PointSelection
    """
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise InputError(
            f"The point budget of the map must be an int >= 1. Got {budget!r}; pass e.g. 50000."
        )
    side = np.asarray(sides).astype(str)
    clusters = np.asarray(cluster_ids, dtype=np.int64)
    if side.shape != clusters.shape:
        raise InputError(
            f"sides and cluster_ids must have one value per query. Got {side.shape[0]} sides and "
            f"{clusters.shape[0]} cluster ids; pass the columns of one query table."
        )
    n = len(clusters)
    is_flagged = np.isin(clusters, np.fromiter(flagged, dtype=np.int64, count=len(flagged)))
    if always is not None:
        is_flagged |= np.asarray(always, dtype=bool)
    n_flagged = int(is_flagged.sum())
    if n <= budget:
        return PointSelection(np.arange(n, dtype=np.int64), n, n_flagged, n_flagged, budget)
    rng = np.random.default_rng(seed)
    side_code = (side == "production").astype(np.int64)
    # Strata: (side, cluster); cluster ids may be -1 (noise), so shift them to be >= 0.
    strata = (clusters - clusters.min()) * 2 + side_code
    flagged_pos = np.flatnonzero(is_flagged)
    other_pos = np.flatnonzero(~is_flagged)
    if n_flagged >= budget:
        keep = flagged_pos[_stratified(strata[flagged_pos], budget, rng)]
    else:
        rest = other_pos[_stratified(strata[other_pos], budget - n_flagged, rng)]
        keep = np.sort(np.concatenate([flagged_pos, rest]))
    n_flagged_drawn = int(is_flagged[keep].sum())
    return PointSelection(keep.astype(np.int64), n, n_flagged, n_flagged_drawn, budget)


__all__ = ["DEFAULT_POINT_BUDGET", "PointSelection", "select_points"]
