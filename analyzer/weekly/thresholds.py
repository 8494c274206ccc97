"""Weekly-check thresholds: :func:`evaluate` compares one run's figures with ``CheckConfig``.

Pure: returns the list of breaches (empty: exit 0; otherwise exit 1). ``CheckConfig`` (the
``[check]`` table of ``shift.toml``) lives in :mod:`analyzer.config` with the other settings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from analyzer.config import CheckConfig
from analyzer.detect.causes import CAUSES


@dataclass(frozen=True)
class Breach:
    """One threshold exceeded: which rule, by what, and the one-line message."""

    rule: str
    value: float
    limit: float
    message: str
    cluster_id: int | None = None
    cause: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        return asdict(self)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def evaluate(
    config: CheckConfig,
    *,
    uncovered_share: float,
    clusters: pd.DataFrame,
    cause_shares: Mapping[str, float] | None = None,
    emerging: Sequence[Mapping[str, Any]] = (),
) -> list[Breach]:
    """Compare one run's figures with the thresholds.

    Parameters
    ----------
    config
        The thresholds.
    uncovered_share
        This period's share of uncovered production queries (NaN: rule skipped).
    clusters
        One row per cluster with ``cluster_id``, ``label``, ``share_production``,
        ``is_flagged``, and optionally ``is_new`` and ``growth`` (NaN growth is skipped).
        Noise (``cluster_id`` -1) is never a cluster breach.
    cause_shares
        Share of production queries per cause.
    emerging
        The emerging regions (``emerging_id``, ``label``, ``share_outside_new``: their share of
        production outside clusters marked new); new ground, counted with the new clusters.

    Returns
    -------
    list of Breach
        In rule order, clusters by descending share; empty when nothing is breached.
    """
    frame = clusters[clusters["cluster_id"] >= 0].sort_values(
        "share_production", ascending=False, kind="stable"
    )
    return [
        *_uncovered_breaches(config, uncovered_share),
        *_flagged_breaches(config, frame),
        *_new_breaches(config, frame, emerging),
        *_growth_breaches(config, frame),
        *_cause_breaches(config, cause_shares or {}),
    ]


def _uncovered_breaches(config: CheckConfig, share: float) -> list[Breach]:
    if not (math.isfinite(share) and share > config.max_uncovered_share):
        return []
    message = (
        f"{_pct(share)} of production is not covered by the reference "
        f"(limit {_pct(config.max_uncovered_share)})"
    )
    return [Breach("max_uncovered_share", float(share), config.max_uncovered_share, message)]


def _flagged_breaches(config: CheckConfig, frame: pd.DataFrame) -> list[Breach]:
    if "is_flagged" not in frame:
        return []
    limit = config.max_flagged_share
    out = []
    for row in frame[frame["is_flagged"].astype(bool)].to_dict(orient="records"):
        share = float(row["share_production"])
        if share > limit:
            message = (
                f"flagged cluster {int(row['cluster_id'])} ({row['label']}) takes "
                f"{_pct(share)} of production (limit {_pct(limit)})"
            )
            out.append(
                Breach(
                    "max_flagged_share", share, limit, message, cluster_id=int(row["cluster_id"])
                )
            )
    return out


def _new_breaches(
    config: CheckConfig, frame: pd.DataFrame, emerging: Sequence[Mapping[str, Any]]
) -> list[Breach]:
    new = frame[frame["is_new"].astype(bool)] if "is_new" in frame else frame.iloc[:0]
    outside = [e for e in emerging if float(e["share_outside_new"]) > 0]
    total = float(new["share_production"].sum()) + sum(
        float(e["share_outside_new"]) for e in outside
    )
    if not ((len(new) or outside) and total > config.max_new_share):
        return []
    names = [f"{int(r['cluster_id'])} ({r['label']})" for r in new.to_dict("records")]
    names += [f"emerging region e{int(e['emerging_id'])} ({e['label']})" for e in outside]
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    message = (
        f"regions never seen before take {_pct(total)} of production: "
        f"{', '.join(names[:5])}{more} (limit {_pct(config.max_new_share)})"
    )
    single = int(new["cluster_id"].iloc[0]) if len(new) == 1 and not outside else None
    return [Breach("max_new_share", total, config.max_new_share, message, cluster_id=single)]


def _growth_breaches(config: CheckConfig, frame: pd.DataFrame) -> list[Breach]:
    if "growth" not in frame:
        return []
    out = []
    for row in frame.to_dict(orient="records"):
        growth = float(row["growth"])
        if math.isfinite(growth) and growth > config.max_growth:
            message = (
                f"cluster {int(row['cluster_id'])} ({row['label']}) grew by "
                f"{100 * growth:.1f} share points since the previous period "
                f"(limit {100 * config.max_growth:.1f})"
            )
            out.append(
                Breach(
                    "max_growth",
                    growth,
                    config.max_growth,
                    message,
                    cluster_id=int(row["cluster_id"]),
                )
            )
    return out


def _cause_breaches(config: CheckConfig, shares: Mapping[str, float]) -> list[Breach]:
    out = []
    for cause, share in sorted(shares.items()):
        if math.isfinite(share) and share > config.max_cause_share:
            message = (
                f"{_pct(share)} of production is {cause.replace('_', '-')} "
                f"(limit {_pct(config.max_cause_share)})"
            )
            out.append(
                Breach(
                    "max_cause_share", float(share), config.max_cause_share, message, cause=cause
                )
            )
    return out


def cause_shares(flags: Sequence[Sequence[str]] | pd.Series) -> dict[str, float]:
    """Share of queries carrying each cause, from per-query lists of causes.

    Causes that never occur are reported as 0.0; an empty input gives an empty dict.
    """
    lists = list(flags)
    if not lists:
        return {}
    counts = dict.fromkeys(CAUSES, 0)
    for entry in lists:
        for cause in set(entry if entry is not None else ()):
            counts[str(cause)] = counts.get(str(cause), 0) + 1
    return {cause: count / len(lists) for cause, count in counts.items()}
