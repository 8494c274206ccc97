"""The weekly check's computations on one run's result (no I/O, nothing printed).

``run_regions`` summarizes the run's clusters for registry matching; ``trend_frame`` adds each
cluster's stable id, newness, first period and growth; ``threshold_table`` is what the check
thresholds read; ``remap_ids`` rewrites a result with stable ids; ``run_records`` are the rows
the history stores. ``analyzer.weekly.check.run_check`` calls them in that order.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analyzer.result import ClusterRow, ClusterTable, QueryTable, ShiftResult
from analyzer.weekly.records import ClusterRecord, RunRecord
from analyzer.weekly.registry import cluster_centroids
from analyzer.weekly.thresholds import Breach

TREND_COLUMNS = [
    "cluster_id",
    "run_cluster_id",
    "is_new",
    "first_period",
    "share_production_prev",
    "growth",
    "n_periods_seen",
]


@dataclass(frozen=True)
class RunRegions:
    """One run's clusters as the registry sees them."""

    run_ids: np.ndarray
    centroids: np.ndarray
    members: list[np.ndarray]
    label_of: dict[int, str]
    can_be_new: np.ndarray


def run_regions(
    result: ShiftResult,
    reference_row_embeddings: np.ndarray,
    production_embeddings: np.ndarray,
    new_min_fold: float,
) -> RunRegions:
    """Centroids, reference members and labels of the run's clusters, and which may be new.

    A cluster may be new only when its production share is at least ``new_min_fold`` times its
    reference share.
    """
    labels_rows = result.queries.frame["cluster_id"].to_numpy(dtype=np.int64)
    row_embeddings = np.vstack([reference_row_embeddings, production_embeddings])
    run_ids, centroids = cluster_centroids(row_embeddings, labels_rows)
    ref_labels = labels_rows[: len(reference_row_embeddings)]
    members = [np.flatnonzero(ref_labels == c).astype(np.int64) for c in run_ids]
    labels = {r.stats.cluster_id: r.label for r in result.clusters}
    label_of = {int(c): labels.get(int(c), f"cluster {c}") for c in run_ids}
    shares = {
        r.stats.cluster_id: (r.stats.share_production, r.stats.share_reference)
        for r in result.clusters
    }
    can_be_new = np.array(
        [
            shares.get(int(c), (1.0, 0.0))[0] >= new_min_fold * shares.get(int(c), (1.0, 0.0))[1]
            for c in run_ids
        ],
        dtype=bool,
    )
    return RunRegions(run_ids, centroids, members, label_of, can_be_new)


def trend_frame(
    result: ShiftResult,
    stable: Mapping[int, int],
    new_ids: set[int],
    first_periods: Mapping[int, str],
    period: str,
    prev_shares: Mapping[int, float] | None,
    seen: Mapping[int, Sequence[Any]],
) -> pd.DataFrame:
    """Per cluster: stable id, run id, newness, first period, previous share, growth, periods
    seen. ``prev_shares`` is None when there is no previous run (growth is then NaN)."""
    rows = []
    for r in result.clusters:
        cid = r.stats.cluster_id
        sid = stable.get(cid, cid)
        prev = prev_shares.get(sid, 0.0) if prev_shares is not None else math.nan
        rows.append(
            {
                "cluster_id": sid,
                "run_cluster_id": cid,
                "is_new": sid in new_ids,
                "first_period": first_periods.get(sid, period) if cid >= 0 else "",
                "share_production_prev": prev,
                "growth": r.stats.share_production - prev,
                "n_periods_seen": len(seen.get(sid, [])),
            }
        )
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def threshold_table(
    result: ShiftResult, stable: Mapping[int, int], trend: pd.DataFrame
) -> pd.DataFrame:
    """The per-cluster table the check thresholds read (stable ids, label, share, flags)."""
    table = pd.DataFrame(
        [
            {
                "cluster_id": stable.get(r.stats.cluster_id, r.stats.cluster_id),
                "label": r.label,
                "share_production": r.stats.share_production,
                "is_flagged": r.stats.is_flagged,
            }
            for r in result.clusters
        ],
        columns=["cluster_id", "label", "share_production", "is_flagged"],
    )
    return table.merge(trend[["cluster_id", "is_new", "growth"]], on="cluster_id")


def emerging_outside_new(
    result: ShiftResult, stable: Mapping[int, int], new_ids: set[int]
) -> list[dict[str, Any]]:
    """Each emerging region with its share of production outside the clusters marked new
    (``share_outside_new``): new ground the cluster registry did not mark as new."""
    queries = result.queries.frame
    prod = queries[queries["side"] == "production"]
    if "emerging_id" not in prod.columns or not len(prod):
        return []
    in_new = np.array([stable.get(int(c), int(c)) in new_ids for c in prod["cluster_id"]])
    emerging = prod["emerging_id"].to_numpy()
    return [
        {
            "emerging_id": r.emerging_id,
            "label": r.label,
            "share_production": r.share_production,
            "share_outside_new": float(((emerging == r.emerging_id) & ~in_new).mean()),
        }
        for r in result.emerging
    ]


def remap_ids(
    result: ShiftResult,
    stable: Mapping[int, int],
    extra: pd.DataFrame,
    summary_extra: dict[str, Any],
) -> ShiftResult:
    """The result with every cluster id replaced by its stable id, ``extra`` joined to the
    cluster table and ``summary_extra`` added to the summary."""

    def to_stable(cid: int) -> int:
        return stable.get(int(cid), int(cid))

    rows = tuple(
        ClusterRow(
            dataclasses.replace(r.stats, cluster_id=to_stable(r.stats.cluster_id)),
            r.label,
            r.keywords,
            r.examples,
        )
        for r in result.clusters
    )
    earlier = result.clusters.extra
    if earlier is not None and len(earlier):
        earlier = earlier.assign(cluster_id=[to_stable(c) for c in earlier["cluster_id"]])
        extra = earlier.merge(extra, on="cluster_id", how="outer")
    queries = result.queries.frame.copy()
    queries["cluster_id"] = [to_stable(c) if c >= 0 else -1 for c in queries["cluster_id"]]
    emerging = dataclasses.replace(
        result.emerging,
        rows=tuple(
            dataclasses.replace(r, main_cluster_id=to_stable(r.main_cluster_id))
            for r in result.emerging
        ),
    )
    regions = [
        {**r, "main_cluster_id": to_stable(r["main_cluster_id"])}
        for r in result.summary.extra.get("emerging_regions", [])
    ]
    summary = dataclasses.replace(
        result.summary,
        flagged_cluster_ids=[to_stable(c) for c in result.summary.flagged_cluster_ids],
        extra={**result.summary.extra, "emerging_regions": regions, **summary_extra},
    )
    return dataclasses.replace(
        result,
        summary=summary,
        clusters=ClusterTable(rows, extra=extra),
        queries=QueryTable(queries),
        emerging=emerging,
    )


def run_records(
    result: ShiftResult,
    period: str,
    breaches: Sequence[Breach],
    new_ids: set[int],
    resolved: Sequence[int],
    causes: dict[str, float],
    baseline_id: str,
) -> tuple[RunRecord, list[ClusterRecord]]:
    """The history rows of one run (``result`` already carries stable ids)."""
    summary = result.summary
    run = RunRecord(
        period=period,
        verdict=summary.verdict,
        exit_code=1 if breaches else 0,
        n_reference=summary.n_reference,
        n_production=summary.n_production,
        uncovered_share=summary.uncovered_share,
        js_divergence=summary.js_divergence,
        flagged_cluster_ids=tuple(summary.flagged_cluster_ids),
        new_cluster_ids=tuple(sorted(new_ids)),
        resolved_cluster_ids=tuple(resolved),
        cause_shares=causes,
        breaches=tuple(b.message for b in breaches),
        baseline_id=baseline_id,
        summary={
            "uncovered_share_ci": list(summary.uncovered_share_ci),
            "n_clusters": summary.n_clusters,
        },
    )
    clusters = [
        ClusterRecord(
            cluster_id=r.stats.cluster_id,
            label=r.label,
            n_reference=r.stats.n_reference,
            n_production=r.stats.n_production,
            share_reference=r.stats.share_reference,
            share_production=r.stats.share_production,
            coverage=r.stats.coverage,
            is_flagged=r.stats.is_flagged,
            is_new=r.stats.cluster_id in new_ids,
            period=period,
        )
        for r in result.clusters
    ]
    return run, clusters
