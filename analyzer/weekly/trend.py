"""The trend page's data: stored runs and clusters arranged by period (pure computation)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from analyzer.weekly.records import ClusterRecord, RunRecord


@dataclass(frozen=True)
class TrendSeries:
    """What the trend page shows, in period order (oldest first).

    ``cluster_shares`` maps each of the top clusters (by their largest production share over
    all periods, flagged ones first) to its share per period (NaN where absent).
    """

    runs: tuple[RunRecord, ...]
    periods: tuple[str, ...]
    cluster_shares: Mapping[int, tuple[float, ...]]
    cluster_labels: Mapping[int, str]
    causes: tuple[str, ...]


def trend_series(
    runs: Sequence[RunRecord], clusters: Sequence[ClusterRecord], *, top_n: int = 8
) -> TrendSeries:
    """Arrange stored runs and clusters for the trend page: top clusters, causes seen."""
    ordered = tuple(sorted(runs, key=lambda r: r.period))
    periods = tuple(r.period for r in ordered)
    index = {p: i for i, p in enumerate(periods)}
    shares: dict[int, list[float]] = {}
    labels: dict[int, str] = {}
    ever_flagged: set[int] = set()
    for c in clusters:
        if c.cluster_id < 0 or c.period not in index:
            continue
        shares.setdefault(c.cluster_id, [math.nan] * len(periods))[index[c.period]] = (
            c.share_production
        )
        labels[c.cluster_id] = c.label
        if c.is_flagged or c.is_new:
            ever_flagged.add(c.cluster_id)
    rank = sorted(
        shares,
        key=lambda cid: (cid not in ever_flagged, -np.nanmax(shares[cid]), cid),
    )[:top_n]
    causes = sorted({k for r in ordered for k, v in r.cause_shares.items() if v > 0})
    return TrendSeries(
        runs=ordered,
        periods=periods,
        cluster_shares={cid: tuple(shares[cid]) for cid in rank},
        cluster_labels={cid: labels[cid] for cid in rank},
        causes=tuple(causes),
    )
