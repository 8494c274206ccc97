"""Segment and routing analysis: who carries the at-risk traffic, and on which route.

Pure computation (no I/O, no printing). Every array argument is aligned with the rows of the
``production`` frame it comes with.

Definitions (also in ``docs/segments.md`` and the report's appendix):

* A production query is **at risk** when it is uncovered (conformal p-value below alpha), or a
  detector flagged it (any cause in its ``flags``: malformed, multi_intent, mixed_language,
  new_domain), or it lies in a flagged cluster. See :func:`at_risk_mask`.
* For a segment (one value of one segment column) with ``n`` production queries of which ``k``
  are at risk, and overall at-risk rate ``p0 = K / N``: ``at_risk_share = k / n`` with a Wilson
  interval ``[lo, hi]``; ``lift = (k / n) / p0``; ``excess_at_risk = k - n * p0`` (queries at
  risk beyond the overall rate) with interval ``[n * (lo - p0), n * (hi - p0)]``.
* Segments are **ranked** by ``excess_at_risk_low = n * (lo - p0)``, the lower bound of the
  excess, not by the point estimate: a small segment's wide interval pulls its bound down, so a
  10-query segment cannot outrank a large one on a lucky point estimate.
* Per cluster, ``risk = share_production * (1 - coverage) * cheap_share`` times the
  bad-outcome lift when an outcome column is given (see :func:`cluster_routing`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from analyzer.errors import InputError, SchemaError

if TYPE_CHECKING:  # pragma: no cover - import cycle: label_queue uses bucket_segment
    from analyzer.label_queue import LabelQueue
    from analyzer.result import ShiftResult

MISSING = "(missing)"
OTHER = "(other)"
CAUSES = ("malformed", "multi_intent", "mixed_language", "new_domain")

# Upper bounds of the count buckets: 0, 1, 2-3, 4-10, 11-30, 31-100, ... (half-decades).
_COUNT_UPPER = (0, 1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000)


# ----------------------------------------------------------------------------- validation


def _check_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        existing = ", ".join(map(str, frame.columns))
        raise SchemaError(
            f"The {what} column(s) {', '.join(map(repr, missing))} are not in the production "
            f"data. Existing columns: {existing}. Pass one of those names."
        )


def _as_array(values: Any, n: int, name: str, dtype: type) -> NDArray[Any]:
    array = np.asarray(values)
    if array.ndim != 1 or len(array) != n:
        raise InputError(
            f"'{name}' must be a 1-d array with one entry per production row ({n}). "
            f"Got shape {array.shape} instead."
        )
    if dtype is bool:
        if array.dtype != np.bool_:
            if array.dtype.kind == "f" and np.isnan(array).any():
                raise InputError(
                    f"'{name}' must be boolean; it holds NaN. Fill missing values first."
                )
            array = array.astype(bool)
        return array
    return array.astype(dtype)


# ----------------------------------------------------------------------------- statistics


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
        Arrays of the bounds, in [0, 1].
    """
    k_arr = np.asarray(k, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    safe_n = np.where(n_arr > 0, n_arr, 1.0)
    p = k_arr / safe_n
    denom = 1.0 + z * z / safe_n
    centre = (p + z * z / (2.0 * safe_n)) / denom
    half = z * np.sqrt(p * (1.0 - p) / safe_n + z * z / (4.0 * safe_n * safe_n)) / denom
    # Exact at the edges (k = 0, k = n) and never on the wrong side of k / n (rounding).
    lower = np.where((n_arr > 0) & (k_arr > 0), np.clip(centre - half, 0.0, p), 0.0)
    upper = np.where((n_arr > 0) & (k_arr < n_arr), np.clip(centre + half, p, 1.0), 1.0)
    return np.atleast_1d(lower).astype(np.float64), np.atleast_1d(upper).astype(np.float64)


def benjamini_hochberg(p_values: NDArray[Any]) -> NDArray[np.float64]:
    """Benjamini-Hochberg q-values of a 1-d array of p-values (same order)."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return np.zeros(0)
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(ranked, 1.0)
    return q


# ----------------------------------------------------------------------------- at risk


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
    risk = uncovered | np.isin(clusters, np.asarray(list(flagged_cluster_ids), dtype=clusters.dtype))
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


# ----------------------------------------------------------------------------- bucketing


def _format_number(x: float) -> str:
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.3g}"


def bucket_segment(
    values: pd.Series, *, max_levels: int = 6, max_categories: int = 20
) -> pd.Series:
    """Turn one metadata column into readable segment values (strings).

    * Missing values (and empty strings) become ``"(missing)"``.
    * Numeric columns with at most ``max_levels`` distinct values stay as they are ("1", "2").
    * Non-negative whole numbers (turn counts, lengths) go into half-decade buckets "0", "1",
      "2-3", "4-10", "11-30", "31-100", ...; the highest non-empty bucket is open ("11+"), and
      the top buckets merge until at most ``max_levels`` remain.
    * Other numbers go into quantile buckets (quintile edges at 3 significant digits):
      "< a", "a to < b", ">= c".
    * Other columns keep their values as text; past ``max_categories`` distinct values, the
      rarest become ``"(other)"``.

    Parameters
    ----------
    values
        One column of the production frame.
    max_levels
        Most numeric buckets.
    max_categories
        Most categories kept by name.

    Returns
    -------
    pandas.Series
        Strings, same index as ``values``.
    """
    if max_levels < 2 or max_categories < 1:
        raise InputError(
            f"bucket_segment needs max_levels >= 2 and max_categories >= 1. Got "
            f"max_levels={max_levels}, max_categories={max_categories}."
        )
    missing = values.isna().to_numpy()
    out = np.full(len(values), MISSING, dtype=object)
    present = values[~missing]
    is_numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype
    )
    if is_numeric and len(present):
        numbers = present.to_numpy(dtype=float)
        distinct = np.unique(numbers)
        if len(distinct) <= max_levels:
            out[~missing] = [_format_number(x) for x in numbers]
        elif (numbers >= 0).all() and np.equal(np.floor(numbers), numbers).all():
            out[~missing] = _count_buckets(numbers, max_levels)
        else:
            out[~missing] = _quantile_buckets(numbers, max_levels)
    else:
        text = np.array([str(v).strip() for v in present], dtype=object)
        text[text == ""] = MISSING
        out[~missing] = text
        kept = pd.Series(out).value_counts()
        if len(kept) > max_categories:
            order = sorted(kept.items(), key=lambda item: (-item[1], str(item[0])))
            keep = {name for name, _ in order[:max_categories]} | {MISSING}
            out = np.array([v if v in keep else OTHER for v in out], dtype=object)
    return pd.Series(out, index=values.index, dtype=object, name=values.name)


def _count_buckets(numbers: NDArray[np.float64], max_levels: int) -> list[str]:
    upper = np.array(_COUNT_UPPER + (math.inf,))
    index = np.searchsorted(upper, numbers, side="left")
    used = sorted(set(index.tolist()))
    # Merge the highest buckets into one open bucket until few enough remain.
    while len(used) > max_levels:
        index[index == used[-1]] = used[-2]
        used = used[:-1]
    top = used[-1]
    labels: list[str] = []
    for i in index.tolist():
        low = 0 if i == 0 else int(_COUNT_UPPER[i - 1]) + 1
        if i == top and (len(used) > 1 or numbers.max() > low):
            labels.append(f"{low}+")
            continue
        high = int(upper[i]) if math.isfinite(upper[i]) else low
        labels.append(str(low) if high == low else f"{low}-{high}")
    return labels


def _quantile_buckets(numbers: NDArray[np.float64], max_levels: int) -> list[str]:
    n_bins = min(max_levels, 5)
    cuts = np.quantile(numbers, np.linspace(0, 1, n_bins + 1)[1:-1])
    edges = sorted({float(f"{c:.3g}") for c in cuts})
    edges = [e for e in edges if numbers.min() < e <= numbers.max()]
    if not edges:
        return [_format_number(float(f"{numbers.min():.3g}")) + " to " +
                _format_number(float(f"{numbers.max():.3g}"))] * len(numbers)
    index = np.searchsorted(np.array(edges), numbers, side="right")
    labels = [f"< {_format_number(edges[0])}"]
    labels += [
        f"{_format_number(a)} to < {_format_number(b)}" for a, b in itertools.pairwise(edges)
    ]
    labels.append(f">= {_format_number(edges[-1])}")
    return [labels[i] for i in index.tolist()]


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
                    "at_risk_share_ci": [float(row["at_risk_share_low"]), float(row["at_risk_share_high"])],
                    "uncovered_share": float(row["uncovered_share"]),
                    "uncovered_share_ci": [
                        float(row["uncovered_share_low"]), float(row["uncovered_share_high"])
                    ],
                    "lift": float(row["lift"]),
                    "excess_at_risk": float(row["excess_at_risk"]),
                    "excess_at_risk_ci": [
                        float(row["excess_at_risk_low"]), float(row["excess_at_risk_high"])
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
        buckets = bucket_segment(production[col]).to_numpy()
        frame = pd.DataFrame({"value": buckets, "risk": risk, "unc": uncovered, "cluster": clusters})
        grouped = frame.groupby("value", sort=True)
        stats_frame = grouped.agg(n=("risk", "size"), k=("risk", "sum"), u=("unc", "sum"))
        joint = frame.groupby(["value", "cluster"], sort=True).size().rename("n").reset_index()
        seg_n = joint["value"].map(stats_frame["n"]).to_numpy(dtype=float)
        clu_n = joint["cluster"].map(cluster_sizes).to_numpy(dtype=float)
        joint_n = joint["n"].to_numpy(dtype=float)
        joint["share_of_cluster"] = joint_n / clu_n
        joint["lift"] = (joint_n / clu_n) / (seg_n / n)
        joint["excess"] = joint_n - clu_n * seg_n / n
        joint["is_flagged_cluster"] = joint["cluster"].isin(flagged)
        joint.insert(0, "column", col)
        lift_rows.append(joint)
        for value, srow in stats_frame.iterrows():
            in_flagged = joint[(joint["value"] == value) & joint["is_flagged_cluster"] & (joint["lift"] > 1.0)]
            in_flagged = in_flagged.sort_values(["excess", "cluster"], ascending=[False, True])
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
                {"column": col, "value": str(value), "n_production": int(srow["n"]),
                 "n_at_risk": int(srow["k"]), "n_uncovered": int(srow["u"]),
                 "top_flagged_clusters": top}
            )

    table = pd.DataFrame(
        rows,
        columns=["column", "value", "n_production", "n_at_risk", "n_uncovered", "top_flagged_clusters"],
    )
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
    table["q_value"] = benjamini_hochberg(p_values)
    table["is_flagged"] = (table["q_value"] < alpha) & (table["excess_at_risk"] > 0)
    table = table.sort_values(
        ["excess_at_risk_low", "excess_at_risk", "column", "value"],
        ascending=[False, False, True, True],
        kind="mergesort",
    ).reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    order = [
        "rank", "column", "value", "n_production", "n_at_risk", "at_risk_share",
        "at_risk_share_low", "at_risk_share_high", "n_uncovered", "uncovered_share",
        "uncovered_share_low", "uncovered_share_high", "lift",
        "excess_at_risk", "excess_at_risk_low", "excess_at_risk_high", "p_value", "q_value",
        "is_flagged", "top_flagged_clusters",
    ]
    lift_frame = (
        pd.concat(lift_rows, ignore_index=True).rename(columns={"cluster": "cluster_id"})
        if lift_rows
        else pd.DataFrame(
            columns=["column", "value", "cluster_id", "n", "share_of_cluster", "lift", "excess",
                     "is_flagged_cluster"]
        )
    )
    return SegmentTable(
        frame=table[order],
        cluster_lift=lift_frame,
        overall_at_risk_share=p0,
        overall_uncovered_share=u0,
        n_production=n,
        confidence=confidence,
        alpha=alpha,
        columns=tuple(cols),
    )


def _binom_greater(k: int, n: int, p0: float) -> float:
    if n == 0 or p0 >= 1.0:
        return 1.0
    if p0 <= 0.0:
        return 0.0 if k > 0 else 1.0
    return float(stats.binom.sf(k - 1, n, p0))


# ----------------------------------------------------------------------------- routing


def matches_value(values: pd.Series, target: object) -> NDArray[np.bool_]:
    """Which entries equal ``target``, comparing as the CLI would (text from the command line).

    Booleans and numbers match their text forms ("true", "1", "1.0"); text compares with
    surrounding whitespace removed and case ignored. Missing values never match.
    """
    wanted = str(target).strip().casefold()
    try:
        wanted_number: float | None = float(wanted)
    except ValueError:
        wanted_number = None
    if wanted in ("true", "false"):
        wanted_bool: bool | None = wanted == "true"
    else:
        wanted_bool = None
    out = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values.tolist()):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        if isinstance(v, (bool, np.bool_)):
            out[i] = wanted_bool is not None and bool(v) == wanted_bool or (
                wanted_number is not None and float(v) == wanted_number
            )
        elif isinstance(v, (int, float, np.integer, np.floating)):
            out[i] = wanted_number is not None and float(v) == wanted_number
        else:
            out[i] = str(v).strip().casefold() == wanted
    return out


@dataclass(frozen=True)
class ClusterRouting:
    """Per-cluster routing feedback, one row per cluster (noise -1 included).

    ``frame`` columns: ``cluster_id, n_production, share_production, coverage, n_cheap,
    cheap_share, n_bad_outcome, bad_outcome_rate, bad_outcome_lift, risk, risk_rank,
    top_segments`` (a list of ``{"column", "value", "n", "lift"}``). ``cheap_share`` and the
    outcome columns are NaN when the route / outcome column was not given.
    """

    frame: pd.DataFrame
    has_route: bool
    has_outcome: bool
    overall_cheap_share: float
    overall_bad_outcome_rate: float

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the per-cluster rows, riskiest first."""
        return self.frame.copy()

    def clusters_columns(self) -> pd.DataFrame:
        """The columns that clusters.csv gains, keyed by ``cluster_id``; ``top_segments`` as
        text ("client=batch-api x8.1; locale=hi x3.0")."""
        out = self.frame[
            ["cluster_id", "top_segments", "cheap_share", "bad_outcome_rate", "risk", "risk_rank"]
        ].copy()
        out["top_segments"] = [
            "; ".join(f"{s['column']}={s['value']} x{s['lift']:.2f}" for s in segs)
            for segs in out["top_segments"]
        ]
        if not self.has_outcome:
            out = out.drop(columns=["bad_outcome_rate"])
        return out

    def risk_by_cluster(self) -> dict[int, float]:
        """``{cluster_id: risk}``, the input of the labelling queue."""
        return {int(c): float(r) for c, r in zip(self.frame["cluster_id"], self.frame["risk"])}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: overall rates and the per-cluster rows."""

        def clean(v: Any) -> Any:
            if isinstance(v, (float, np.floating)):
                return None if math.isnan(float(v)) else float(v)
            if isinstance(v, (np.integer,)):
                return int(v)
            return v

        return {
            "has_route": self.has_route,
            "has_outcome": self.has_outcome,
            "overall_cheap_share": clean(self.overall_cheap_share),
            "overall_bad_outcome_rate": clean(self.overall_bad_outcome_rate),
            "clusters": [
                {k: clean(v) for k, v in row.items()} for row in self.frame.to_dict("records")
            ],
        }


def cluster_routing(
    production: pd.DataFrame,
    cluster_ids: NDArray[Any] | Sequence[int],
    is_uncovered: NDArray[Any] | Sequence[bool],
    *,
    segment_cols: Sequence[str] = (),
    route_col: str | None = None,
    cheap_route: object | None = None,
    outcome_col: str | None = None,
    bad_outcome: object | None = None,
    prior_strength: float = 10.0,
    top_k: int = 3,
    min_lift: float = 1.25,
) -> ClusterRouting:
    """Cheap-route share, bad-outcome rate, top segments and risk of every cluster.

    ``risk = share_production * (1 - coverage) * cheap_share * bad_outcome_lift`` where
    ``coverage`` is the cluster's covered share of production, ``cheap_share`` its share served
    by ``cheap_route`` (a factor of 1 when no route column is given), and ``bad_outcome_lift``
    the cluster's shrunk bad-outcome rate over the overall rate (1 when no outcome column is
    given). Shrinkage: ``(bad + m * r0) / (n + m)`` with ``m = prior_strength`` and overall
    rate ``r0``, so a 3-query cluster with one thumbs-down does not triple its risk.

    Parameters
    ----------
    production
        Production queries, one row each.
    cluster_ids, is_uncovered
        Per production row, shape (n,).
    segment_cols
        Segment columns for ``top_segments``: values with lift of at least ``min_lift`` in the
        cluster, the largest excess count (queries beyond the segment's overall share) first.
    route_col, cheap_route
        Column naming the model that served each query and the cheap model's value.
    outcome_col, bad_outcome
        Column with an outcome signal and the value that means a bad outcome.
    prior_strength
        Pseudo-count of the bad-outcome shrinkage.
    top_k
        Segment values listed per cluster.
    min_lift
        Least lift for a segment value to count as over-represented in a cluster.

    Returns
    -------
    ClusterRouting
    """
    if (route_col is None) != (cheap_route is None):
        raise InputError(
            f"The route column and the cheap route go together. Got route_col={route_col!r}, "
            f"cheap_route={cheap_route!r}; pass both (--route-col COL --cheap-route VALUE) or neither."
        )
    if (outcome_col is None) != (bad_outcome is None):
        raise InputError(
            f"The outcome column and the bad outcome go together. Got outcome_col={outcome_col!r}, "
            f"bad_outcome={bad_outcome!r}; pass both (--outcome-col COL --bad-outcome VALUE) or neither."
        )
    if prior_strength < 0:
        raise InputError(f"prior_strength must be >= 0. Got {prior_strength!r}.")
    needed = list(segment_cols) + [c for c in (route_col, outcome_col) if c is not None]
    _check_columns(production, needed, "segment/route/outcome")
    n = len(production)
    clusters = _as_array(cluster_ids, n, "cluster_ids", int)
    uncovered = _as_array(is_uncovered, n, "is_uncovered", bool)
    cheap = (
        matches_value(production[route_col], cheap_route) if route_col is not None else np.ones(n, bool)
    )
    bad = (
        matches_value(production[outcome_col], bad_outcome) if outcome_col is not None else np.zeros(n, bool)
    )
    frame = pd.DataFrame({"cluster_id": clusters, "unc": uncovered, "cheap": cheap, "bad": bad})
    agg = frame.groupby("cluster_id", sort=True).agg(
        n_production=("unc", "size"), n_uncovered=("unc", "sum"), n_cheap=("cheap", "sum"),
        n_bad_outcome=("bad", "sum"),
    ).reset_index()
    size = agg["n_production"].to_numpy(dtype=float)
    agg["share_production"] = size / max(n, 1)
    agg["coverage"] = 1.0 - agg["n_uncovered"].to_numpy(dtype=float) / size
    cheap_share = agg["n_cheap"].to_numpy(dtype=float) / size
    r0 = float(bad.mean()) if n else 0.0
    bad_rate = agg["n_bad_outcome"].to_numpy(dtype=float) / size
    if outcome_col is not None and r0 > 0:
        shrunk = (agg["n_bad_outcome"].to_numpy(dtype=float) + prior_strength * r0) / (size + prior_strength)
        bad_lift = shrunk / r0
    else:
        bad_lift = np.ones(len(agg))
    risk = agg["share_production"].to_numpy() * (1.0 - agg["coverage"].to_numpy()) * cheap_share * bad_lift
    agg["cheap_share"] = cheap_share if route_col is not None else np.nan
    if route_col is None:
        agg["n_cheap"] = 0
    agg["bad_outcome_rate"] = bad_rate if outcome_col is not None else np.nan
    agg["bad_outcome_lift"] = bad_lift if outcome_col is not None else np.nan
    agg["risk"] = risk
    top_segments = _top_segments(production, list(dict.fromkeys(segment_cols)), clusters,
                                 agg["cluster_id"].tolist(), top_k, min_lift)
    agg["top_segments"] = pd.Series(top_segments, index=agg.index, dtype=object)
    agg = agg.sort_values(["risk", "cluster_id"], ascending=[False, True], kind="mergesort")
    agg = agg.reset_index(drop=True)
    agg["risk_rank"] = np.arange(1, len(agg) + 1)
    cols = ["cluster_id", "risk_rank", "n_production", "share_production", "coverage", "n_cheap",
            "cheap_share", "n_bad_outcome", "bad_outcome_rate", "bad_outcome_lift", "risk",
            "top_segments"]
    return ClusterRouting(
        frame=agg[cols],
        has_route=route_col is not None,
        has_outcome=outcome_col is not None,
        overall_cheap_share=float(cheap.mean()) if route_col is not None and n else math.nan,
        overall_bad_outcome_rate=r0 if outcome_col is not None else math.nan,
    )


def _top_segments(
    production: pd.DataFrame,
    segment_cols: list[str],
    clusters: NDArray[Any],
    cluster_order: list[int],
    top_k: int,
    min_lift: float,
) -> list[list[dict[str, Any]]]:
    n = len(production)
    per_cluster: dict[int, list[tuple[float, str, str, int, float]]] = {c: [] for c in cluster_order}
    sizes = pd.Series(clusters).value_counts()
    for col in segment_cols:
        values = bucket_segment(production[col]).to_numpy()
        seg_sizes = pd.Series(values).value_counts()
        joint = pd.DataFrame({"c": clusters, "v": values}).groupby(["c", "v"]).size().reset_index()
        for c, v, count in joint.itertuples(index=False, name=None):
            expected = sizes[c] * seg_sizes[v] / n
            excess = float(count) - expected
            lift = (count / sizes[c]) / (seg_sizes[v] / n)
            if excess <= 0 or lift < min_lift:
                continue
            per_cluster[int(c)].append((excess, col, str(v), int(count), float(lift)))
    out = []
    for c in cluster_order:
        ranked = sorted(per_cluster[int(c)], key=lambda t: (-t[0], t[1], t[2]))[:top_k]
        out.append([{"column": col, "value": v, "n": cnt, "lift": lift} for _, col, v, cnt, lift in ranked])
    return out


# ----------------------------------------------------------------------------- one call


@dataclass(frozen=True)
class SegmentOptions:
    """The command-line options of the segment stage (``--segment-col`` and friends)."""

    segment_cols: tuple[str, ...] = ()
    route_col: str | None = None
    cheap_route: str | None = None
    outcome_col: str | None = None
    bad_outcome: str | None = None
    label_size: int = 200
    seed: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.label_size, bool) or not isinstance(self.label_size, int) or self.label_size < 0:
            raise InputError(
                f"--label-size must be an int >= 0. Got {self.label_size!r}; pass e.g. --label-size 200."
            )


@dataclass(frozen=True)
class SegmentAnalysis:
    """The segment stage's results: segment table (None without segment columns), per-cluster
    routing and risk, and the labelling queue."""

    table: SegmentTable | None
    routing: ClusterRouting
    queue: LabelQueue
    options: SegmentOptions

    def summary_extra(self) -> dict[str, Any]:
        """Keys for summary.json: ``segments`` (ranked rows), ``segments_overall``,
        ``routing`` (overall cheap share and bad-outcome rate) and ``label_queue`` (counts)."""
        overall: dict[str, Any] = {
            "columns": list(self.options.segment_cols),
            "ranking": "excess_at_risk_ci lower bound, descending",
            "at_risk_definition": "uncovered, or a detector cause, or in a flagged cluster",
        }
        if self.table is not None:
            overall.update(
                overall_at_risk_share=self.table.overall_at_risk_share,
                overall_uncovered_share=self.table.overall_uncovered_share,
                confidence=self.table.confidence,
            )
        routing = self.routing.to_dict()
        queue = self.queue.to_dict()
        return {
            "segments": self.table.to_records() if self.table is not None else [],
            "segments_overall": overall,
            "routing": {
                "route_col": self.options.route_col, "cheap_route": self.options.cheap_route,
                "outcome_col": self.options.outcome_col, "bad_outcome": self.options.bad_outcome,
                "overall_cheap_share": routing["overall_cheap_share"],
                "overall_bad_outcome_rate": routing["overall_bad_outcome_rate"],
            },
            "label_queue": {k: v for k, v in queue.items() if k != "queries"},
        }

    def clusters_columns(self) -> pd.DataFrame:
        """Columns to merge into clusters.csv on ``cluster_id``."""
        return self.routing.clusters_columns()

    def label_records(self) -> list[dict[str, Any]]:
        """The lines of to_label.jsonl, in priority order."""
        return self.queue.to_records()


def analyze_segments(
    production: pd.DataFrame,
    *,
    embeddings: NDArray[Any],
    cluster_ids: NDArray[Any] | Sequence[int],
    is_uncovered: NDArray[Any] | Sequence[bool],
    coverage_p: NDArray[Any] | Sequence[float],
    flagged_cluster_ids: Sequence[int],
    flags: Sequence[Sequence[str]] | None = None,
    options: SegmentOptions | None = None,
    id_col: str = "id",
    text_col: str = "text",
    alpha: float = 0.05,
) -> SegmentAnalysis:
    """Run the whole segment stage on the production rows: at-risk mask, segment table,
    cluster routing and the labelling queue.

    Parameters
    ----------
    production
        Production queries with all input columns, one row per input row.
    embeddings
        Production embeddings, shape (n, d), row-aligned.
    cluster_ids, is_uncovered, coverage_p
        Per production row, shape (n,).
    flagged_cluster_ids
        Clusters the score stage flagged.
    flags
        Detector causes per row, or ``None`` when the detectors did not run.
    options
        Segment, route, outcome columns and the queue size.
    id_col, text_col
        Names of the id and text columns in ``production``.
    alpha
        FDR level of the segment tests.

    Returns
    -------
    SegmentAnalysis
    """
    from analyzer.label_queue import labelling_queue

    opts = options if options is not None else SegmentOptions()
    risk = at_risk_mask(is_uncovered, cluster_ids, flagged_cluster_ids, flags)
    table = (
        segment_table(
            production, opts.segment_cols, at_risk=risk, is_uncovered=is_uncovered,
            cluster_ids=cluster_ids, flagged_cluster_ids=flagged_cluster_ids, alpha=alpha,
        )
        if opts.segment_cols
        else None
    )
    routing = cluster_routing(
        production, cluster_ids, is_uncovered, segment_cols=opts.segment_cols,
        route_col=opts.route_col, cheap_route=opts.cheap_route,
        outcome_col=opts.outcome_col, bad_outcome=opts.bad_outcome,
    )
    queue = labelling_queue(
        production, embeddings, cluster_ids, routing.risk_by_cluster(), size=opts.label_size,
        seed=opts.seed, at_risk=risk, coverage_p=coverage_p, is_uncovered=is_uncovered,
        causes=flags, segment_cols=opts.segment_cols, id_col=id_col, text_col=text_col,
    )
    return SegmentAnalysis(table=table, routing=routing, queue=queue, options=opts)



def check_segment_options(production: pd.DataFrame, options: SegmentOptions) -> None:
    """Fail early (before any embedding) when a named column is not in the production data."""
    if (options.route_col is None) != (options.cheap_route is None):
        raise InputError(
            f"--route-col and --cheap-route go together. Got --route-col {options.route_col!r} "
            f"and --cheap-route {options.cheap_route!r}; pass both or neither."
        )
    if (options.outcome_col is None) != (options.bad_outcome is None):
        raise InputError(
            f"--outcome-col and --bad-outcome go together. Got --outcome-col "
            f"{options.outcome_col!r} and --bad-outcome {options.bad_outcome!r}; pass both or neither."
        )
    named = [*options.segment_cols, *(c for c in (options.route_col, options.outcome_col) if c)]
    _check_columns(production, named, "segment/route/outcome")


def add_segments(
    result: ShiftResult,
    production: pd.DataFrame,
    embeddings: NDArray[Any],
    options: SegmentOptions,
    *,
    id_col: str = "id",
    text_col: str = "text",
) -> tuple[ShiftResult, SegmentAnalysis]:
    """Extend a scored result with the segment stage.

    Returns the result with ``segments``, ``segments_overall``, ``routing`` and
    ``label_queue`` added to the summary and ``top_segments``, ``cheap_share``,
    ``bad_outcome_rate`` (with an outcome column), ``risk`` and ``risk_rank`` added to the
    cluster table, plus the :class:`SegmentAnalysis` (whose queue becomes to_label.jsonl).

    Parameters
    ----------
    result
        What :meth:`analyzer.baseline.Baseline.score` returned for ``production``.
    production
        The production batch's frame (input columns under their own names), row-aligned with
        the production rows of ``result.queries``.
    embeddings
        Production embeddings, shape (n, d), row-aligned.
    options
        Segment, route and outcome columns and the queue size.
    id_col, text_col
        The id and text columns of ``production``.
    """
    from dataclasses import replace

    queries = result.queries.frame
    prod = queries[queries["side"] == "production"]
    if len(prod) != len(production):
        raise InputError(
            f"The result has {len(prod)} production rows but the production frame has "
            f"{len(production)}. Pass the frame of the batch that was scored."
        )
    flags = prod["flags"].tolist() if "flags" in prod.columns else None
    analysis = analyze_segments(
        production.reset_index(drop=True),
        embeddings=embeddings,
        cluster_ids=prod["cluster_id"].to_numpy(),
        is_uncovered=prod["is_uncovered"].to_numpy(dtype=bool),
        coverage_p=prod["coverage_p"].to_numpy(dtype=float),
        flagged_cluster_ids=list(result.summary.flagged_cluster_ids),
        flags=flags,
        options=options,
        id_col=id_col,
        text_col=text_col,
        alpha=float(result.summary.alpha),
    )
    extra = analysis.clusters_columns()
    if result.clusters.extra is not None:
        extra = result.clusters.extra.merge(extra, on="cluster_id", how="outer")
    clusters = replace(result.clusters, extra=extra)
    summary = replace(result.summary, extra={**result.summary.extra, **analysis.summary_extra()})
    return replace(result, summary=summary, clusters=clusters), analysis


__all__ = [
    "CAUSES",
    "MISSING",
    "OTHER",
    "ClusterRouting",
    "SegmentAnalysis",
    "SegmentOptions",
    "SegmentTable",
    "add_segments",
    "analyze_segments",
    "at_risk_mask",
    "benjamini_hochberg",
    "bucket_segment",
    "check_segment_options",
    "cluster_routing",
    "matches_value",
    "segment_table",
    "wilson_interval",
]
