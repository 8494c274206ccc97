"""The ranked segment table: at-risk share, Wilson interval, lift and excess per segment value.

Pure computation (no I/O, no printing). Every array argument is aligned with the rows of the
``production`` frame it comes with.

For a segment (one value of one segment column) with ``n`` production queries of which ``k``
are at risk (:func:`analyzer.segments.at_risk_mask`), and overall at-risk rate ``p0 = K / N``:
``at_risk_share = k / n`` with a Wilson interval ``[lo, hi]``; ``lift = (k / n) / p0``;
``excess_at_risk = k - n * p0`` (queries at risk beyond the overall rate) with interval
``[n * (lo - p0), n * (hi - p0)]``.

Segments are **ranked** by ``excess_at_risk_low = n * (lo - p0)``, the lower bound of the
excess, not by the point estimate: a small segment's wide interval pulls its bound down, so a
10-query segment cannot outrank a large one on a lucky point estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from analyzer.errors import InputError
from analyzer.segments._validation import _as_array, _check_columns
from analyzer.segments.buckets import bucket_segment
from analyzer.stats import fdr_qvalues, wilson_interval

# ----------------------------------------------------------------------------- segment table


@dataclass(frozen=True)
class SegmentTable:
    """Per (column, value) at-risk statistics of production, ranked.

    ``frame`` has one row per segment value with columns ``rank, column, value, n_production,
    n_at_risk, at_risk_share, at_risk_share_low, at_risk_share_high, n_uncovered,
    uncovered_share, uncovered_share_low, uncovered_share_high, lift, excess_at_risk,
    excess_at_risk_low, excess_at_risk_high, p_value, q_value, is_flagged,
    top_flagged_clusters``, sorted by ``rank`` (1 = most excess risk, by the lower
    bound ``excess_at_risk_low``). ``cluster_lift`` is long-form, one row per (column, value,
    cluster_id) with at least one query: ``n``, ``share_of_cluster``, ``lift`` (the segment's
    share of the cluster over its share of production), ``is_flagged_cluster``.
    """

    frame: pd.DataFrame
    cluster_lift: pd.DataFrame
    overall_at_risk_share: float
    overall_uncovered_share: float
    n_production: int
    confidence: float
    alpha: float
    columns: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the ranked segment rows."""
        return self.frame.copy()

    def to_records(self) -> list[dict[str, Any]]:
        """Rows as JSON-ready dicts (the summary.json ``segments`` list)."""
        records = []
        for row in self.frame.to_dict("records"):
            records.append(
                {
                    "column": str(row["column"]),
                    "value": str(row["value"]),
                    "n_production": int(row["n_production"]),
                    "n_at_risk": int(row["n_at_risk"]),
                    "at_risk_share": float(row["at_risk_share"]),
                    "at_risk_share_ci": [
                        float(row["at_risk_share_low"]),
                        float(row["at_risk_share_high"]),
                    ],
                    "uncovered_share": float(row["uncovered_share"]),
                    "uncovered_share_ci": [
                        float(row["uncovered_share_low"]),
                        float(row["uncovered_share_high"]),
                    ],
                    "lift": float(row["lift"]),
                    "excess_at_risk": float(row["excess_at_risk"]),
                    "excess_at_risk_ci": [
                        float(row["excess_at_risk_low"]),
                        float(row["excess_at_risk_high"]),
                    ],
                    "p_value": float(row["p_value"]),
                    "q_value": float(row["q_value"]),
                    "is_flagged": bool(row["is_flagged"]),
                    "rank": int(row["rank"]),
                    "top_flagged_clusters": list(row["top_flagged_clusters"]),
                }
            )
        return records

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready values: overall rates, definitions and the ranked rows."""
        return {
            "columns": list(self.columns),
            "n_production": self.n_production,
            "overall_at_risk_share": self.overall_at_risk_share,
            "overall_uncovered_share": self.overall_uncovered_share,
            "confidence": self.confidence,
            "alpha": self.alpha,
            "ranking": "excess_at_risk_low (lower bound of excess at-risk queries), descending",
            "segments": self.to_records(),
        }

    def lift_matrix(self, cluster_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Segment x cluster lift, rows "column=value" in rank order, columns cluster ids.

        Missing (segment, cluster) pairs have lift 0 (no query of the segment there).
        """
        long = self.cluster_lift
        if cluster_ids is not None:
            long = long[long["cluster_id"].isin(list(cluster_ids))]
        row_keys = [f"{c}={v}" for c, v in zip(self.frame["column"], self.frame["value"])]
        keys = long["column"].astype(str) + "=" + long["value"].astype(str)
        matrix = (
            pd.DataFrame({"segment": keys, "cluster_id": long["cluster_id"], "lift": long["lift"]})
            .pivot_table(index="segment", columns="cluster_id", values="lift", aggfunc="first")
            .reindex(index=row_keys)
        )
        if cluster_ids is not None:
            matrix = matrix.reindex(columns=list(cluster_ids))
        return matrix.fillna(0.0)


def segment_table(
    production: pd.DataFrame,
    segment_cols: Sequence[str],
    *,
    at_risk: NDArray[Any] | Sequence[bool],
    is_uncovered: NDArray[Any] | Sequence[bool],
    cluster_ids: NDArray[Any] | Sequence[int],
    flagged_cluster_ids: Sequence[int] = (),
    alpha: float = 0.05,
    confidence: float = 0.95,
    top_clusters: int = 3,
) -> SegmentTable:
    """At-risk share, interval, lift and excess of every segment value, ranked.

    Parameters
    ----------
    production
        Production queries, one row each, holding the ``segment_cols``.
    segment_cols
        Metadata columns to split by; each is bucketed by :func:`bucket_segment`.
    at_risk, is_uncovered
        Booleans per production row, shape (n,); see :func:`at_risk_mask`.
    cluster_ids
        Cluster id per production row, shape (n,).
    flagged_cluster_ids
        Clusters the score stage flagged; each segment lists those it concentrates in.
    alpha
        FDR level of the one-sided binomial test "this segment's at-risk rate exceeds the
        overall rate" (Benjamini-Hochberg across all segment values): ``is_flagged``.
    confidence
        Level of the Wilson intervals.
    top_clusters
        How many flagged clusters to list per segment.

    Returns
    -------
    SegmentTable
    """
    if not 0.0 < alpha < 1.0 or not 0.5 <= confidence < 1.0:
        raise InputError(
            f"segment_table needs 0 < alpha < 1 and 0.5 <= confidence < 1. Got alpha={alpha!r}, "
            f"confidence={confidence!r}."
        )
    cols = list(dict.fromkeys(segment_cols))
    _check_columns(production, cols, "segment")
    n = len(production)
    risk = _as_array(at_risk, n, "at_risk", bool)
    uncovered = _as_array(is_uncovered, n, "is_uncovered", bool)
    clusters = _as_array(cluster_ids, n, "cluster_ids", int)
    flagged = {int(c) for c in flagged_cluster_ids}
    p0 = float(risk.mean()) if n else 0.0
    u0 = float(uncovered.mean()) if n else 0.0

    rows: list[dict[str, Any]] = []
    lift_rows: list[pd.DataFrame] = []
    cluster_sizes = pd.Series(clusters).value_counts()
    for col in cols:
        frame = pd.DataFrame(
            {
                "value": bucket_segment(production[col]).to_numpy(),
                "risk": risk,
                "unc": uncovered,
                "cluster": clusters,
            }
        )
        counts, joint = _column_counts(frame, col, cluster_sizes, flagged, n, top_clusters)
        rows.extend(counts)
        lift_rows.append(joint)
    table = _with_statistics(pd.DataFrame(rows, columns=_COUNT_COLUMNS), p0, confidence, alpha)
    lift_frame = (
        pd.concat(lift_rows, ignore_index=True).rename(columns={"cluster": "cluster_id"})
        if lift_rows
        else pd.DataFrame(columns=_LIFT_COLUMNS)
    )
    return SegmentTable(
        frame=table[_TABLE_COLUMNS],
        cluster_lift=lift_frame,
        overall_at_risk_share=p0,
        overall_uncovered_share=u0,
        n_production=n,
        confidence=confidence,
        alpha=alpha,
        columns=tuple(cols),
    )


_COUNT_COLUMNS = [
    "column",
    "value",
    "n_production",
    "n_at_risk",
    "n_uncovered",
    "top_flagged_clusters",
]
_LIFT_COLUMNS = [
    "column",
    "value",
    "cluster_id",
    "n",
    "share_of_cluster",
    "lift",
    "excess",
    "is_flagged_cluster",
]
_TABLE_COLUMNS = [
    "rank",
    "column",
    "value",
    "n_production",
    "n_at_risk",
    "at_risk_share",
    "at_risk_share_low",
    "at_risk_share_high",
    "n_uncovered",
    "uncovered_share",
    "uncovered_share_low",
    "uncovered_share_high",
    "lift",
    "excess_at_risk",
    "excess_at_risk_low",
    "excess_at_risk_high",
    "p_value",
    "q_value",
    "is_flagged",
    "top_flagged_clusters",
]


def _column_counts(
    frame: pd.DataFrame,
    col: str,
    cluster_sizes: pd.Series,
    flagged: set[int],
    n: int,
    top_clusters: int,
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Counts of each value of one segment column (``frame``: value, risk, unc, cluster per
    row), and the value x cluster lift rows."""
    stats_frame = frame.groupby("value", sort=True).agg(
        n=("risk", "size"), k=("risk", "sum"), u=("unc", "sum")
    )
    joint = frame.groupby(["value", "cluster"], sort=True).size().rename("n").reset_index()
    seg_n = joint["value"].map(stats_frame["n"]).to_numpy(dtype=float)
    clu_n = joint["cluster"].map(cluster_sizes).to_numpy(dtype=float)
    joint_n = joint["n"].to_numpy(dtype=float)
    joint["share_of_cluster"] = joint_n / clu_n
    joint["lift"] = (joint_n / clu_n) / (seg_n / n)
    joint["excess"] = joint_n - clu_n * seg_n / n
    joint["is_flagged_cluster"] = joint["cluster"].isin(flagged)
    joint.insert(0, "column", col)
    rows = []
    for value, srow in stats_frame.iterrows():
        in_flagged = joint[
            (joint["value"] == value) & joint["is_flagged_cluster"] & (joint["lift"] > 1.0)
        ].sort_values(["excess", "cluster"], ascending=[False, True])
        top = [
            {
                "cluster_id": int(r["cluster"]),
                "n_production": int(r["n"]),
                "share_of_cluster": float(r["share_of_cluster"]),
                "lift": float(r["lift"]),
            }
            for r in in_flagged.head(top_clusters).to_dict("records")
        ]
        rows.append(
            {
                "column": col,
                "value": str(value),
                "n_production": int(srow["n"]),
                "n_at_risk": int(srow["k"]),
                "n_uncovered": int(srow["u"]),
                "top_flagged_clusters": top,
            }
        )
    return rows, joint


def _with_statistics(
    table: pd.DataFrame, p0: float, confidence: float, alpha: float
) -> pd.DataFrame:
    """Shares with Wilson intervals, lift, excess, the one-sided binomial test with BH q-values
    and the flag; ranked by the excess's lower bound."""
    seg_n = table["n_production"].to_numpy(dtype=float)
    seg_k = table["n_at_risk"].to_numpy(dtype=float)
    lo, hi = wilson_interval(seg_k, seg_n, confidence)
    if len(table) == 0:
        lo, hi = np.zeros(0), np.zeros(0)
    share = np.divide(seg_k, seg_n, out=np.zeros_like(seg_k), where=seg_n > 0)
    table["at_risk_share"] = share
    table["at_risk_share_low"] = lo
    table["at_risk_share_high"] = hi
    seg_u = table["n_uncovered"].to_numpy(dtype=float)
    table["uncovered_share"] = np.divide(seg_u, seg_n, out=np.zeros_like(seg_n), where=seg_n > 0)
    u_lo, u_hi = wilson_interval(seg_u, seg_n, confidence) if len(table) else (lo, hi)
    table["uncovered_share_low"] = u_lo
    table["uncovered_share_high"] = u_hi
    table["lift"] = share / p0 if p0 > 0 else np.ones_like(share)
    table["excess_at_risk"] = seg_k - seg_n * p0
    table["excess_at_risk_low"] = seg_n * (lo - p0)
    table["excess_at_risk_high"] = seg_n * (hi - p0)
    p_values = np.array(
        [
            _binom_greater(int(k), int(m), p0)
            for k, m in zip(table["n_at_risk"], table["n_production"])
        ],
        dtype=float,
    )
    table["p_value"] = p_values
    table["q_value"] = fdr_qvalues(p_values)
    table["is_flagged"] = (table["q_value"] < alpha) & (table["excess_at_risk"] > 0)
    table = table.sort_values(
        ["excess_at_risk_low", "excess_at_risk", "column", "value"],
        ascending=[False, False, True, True],
        kind="mergesort",
    ).reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    return table


def _binom_greater(k: int, n: int, p0: float) -> float:
    if n == 0 or p0 >= 1.0:
        return 1.0
    if p0 <= 0.0:
        return 0.0 if k > 0 else 1.0
    return float(stats.binom.sf(k - 1, n, p0))


__all__ = ["SegmentTable", "segment_table"]
