"""Per-cluster routing feedback: cheap-route share, bad-outcome rate, top segments and risk.

Pure computation (no I/O, no printing). Every array argument is aligned with the rows of the
``production`` frame it comes with.

Per cluster, ``risk = share_production * (1 - coverage) * cheap_share`` times the
bad-outcome lift when an outcome column is given (see :func:`cluster_routing`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analyzer.errors import InputError
from analyzer.segments._validation import _as_array, _check_columns
from analyzer.segments.buckets import bucket_segment


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
            out[i] = (
                wanted_bool is not None
                and bool(v) == wanted_bool
                or (wanted_number is not None and float(v) == wanted_number)
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
            f"cheap_route={cheap_route!r}; pass both route_col= and cheap_route=, or neither."
        )
    if (outcome_col is None) != (bad_outcome is None):
        raise InputError(
            f"The outcome column and the bad outcome go together. Got outcome_col={outcome_col!r}, "
            f"bad_outcome={bad_outcome!r}; pass both outcome_col= and bad_outcome=, or neither."
        )
    if prior_strength < 0:
        raise InputError(f"prior_strength must be >= 0. Got {prior_strength!r}.")
    needed = list(segment_cols) + [c for c in (route_col, outcome_col) if c is not None]
    _check_columns(production, needed, "segment/route/outcome")
    n = len(production)
    clusters = _as_array(cluster_ids, n, "cluster_ids", int)
    uncovered = _as_array(is_uncovered, n, "is_uncovered", bool)
    cheap = (
        matches_value(production[route_col], cheap_route)
        if route_col is not None
        else np.ones(n, bool)
    )
    bad = (
        matches_value(production[outcome_col], bad_outcome)
        if outcome_col is not None
        else np.zeros(n, bool)
    )
    frame = pd.DataFrame({"cluster_id": clusters, "unc": uncovered, "cheap": cheap, "bad": bad})
    agg = (
        frame.groupby("cluster_id", sort=True)
        .agg(
            n_production=("unc", "size"),
            n_uncovered=("unc", "sum"),
            n_cheap=("cheap", "sum"),
            n_bad_outcome=("bad", "sum"),
        )
        .reset_index()
    )
    size = agg["n_production"].to_numpy(dtype=float)
    agg["share_production"] = size / max(n, 1)
    agg["coverage"] = 1.0 - agg["n_uncovered"].to_numpy(dtype=float) / size
    cheap_share = agg["n_cheap"].to_numpy(dtype=float) / size
    r0 = float(bad.mean()) if n else 0.0
    bad_rate = agg["n_bad_outcome"].to_numpy(dtype=float) / size
    if outcome_col is not None and r0 > 0:
        shrunk = (agg["n_bad_outcome"].to_numpy(dtype=float) + prior_strength * r0) / (
            size + prior_strength
        )
        bad_lift = shrunk / r0
    else:
        bad_lift = np.ones(len(agg))
    risk = (
        agg["share_production"].to_numpy()
        * (1.0 - agg["coverage"].to_numpy())
        * cheap_share
        * bad_lift
    )
    agg["cheap_share"] = cheap_share if route_col is not None else np.nan
    if route_col is None:
        agg["n_cheap"] = 0
    agg["bad_outcome_rate"] = bad_rate if outcome_col is not None else np.nan
    agg["bad_outcome_lift"] = bad_lift if outcome_col is not None else np.nan
    agg["risk"] = risk
    top_segments = _top_segments(
        production,
        list(dict.fromkeys(segment_cols)),
        clusters,
        agg["cluster_id"].tolist(),
        top_k,
        min_lift,
    )
    agg["top_segments"] = pd.Series(top_segments, index=agg.index, dtype=object)
    agg = agg.sort_values(["risk", "cluster_id"], ascending=[False, True], kind="mergesort")
    agg = agg.reset_index(drop=True)
    agg["risk_rank"] = np.arange(1, len(agg) + 1)
    cols = [
        "cluster_id",
        "risk_rank",
        "n_production",
        "share_production",
        "coverage",
        "n_cheap",
        "cheap_share",
        "n_bad_outcome",
        "bad_outcome_rate",
        "bad_outcome_lift",
        "risk",
        "top_segments",
    ]
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
    per_cluster: dict[int, list[tuple[float, str, str, int, float]]] = {
        c: [] for c in cluster_order
    }
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
        out.append(
            [{"column": col, "value": v, "n": cnt, "lift": lift} for _, col, v, cnt, lift in ranked]
        )
    return out


__all__ = ["ClusterRouting", "cluster_routing", "matches_value"]
