"""The rows of the run history: runs, clusters per run and registry entries.

Each record converts to and from its SQLite table row by column name (``to_row`` /
``from_row``), so adding a column never shifts what another one reads.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from analyzer.result import json_ready

BASELINE_PERIOD = ""  # first_period of registry entries that come from the baseline itself


def _float(value: float | None) -> float:
    return math.nan if value is None else float(value)


@dataclass(frozen=True)
class RunRecord:
    """One check run: the figures the trend page and alerts look back on."""

    period: str
    verdict: str
    exit_code: int
    n_reference: int
    n_production: int
    uncovered_share: float
    js_divergence: float = math.nan
    flagged_cluster_ids: tuple[int, ...] = ()
    new_cluster_ids: tuple[int, ...] = ()
    resolved_cluster_ids: tuple[int, ...] = ()
    cause_shares: Mapping[str, float] = field(default_factory=dict)
    breaches: tuple[str, ...] = ()
    baseline_id: str = ""
    created_at: str = ""
    summary: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (the full summary is left out; see ``summary``)."""
        return {
            "period": self.period,
            "verdict": self.verdict,
            "exit_code": self.exit_code,
            "uncovered_share": json_ready(self.uncovered_share),
            "js_divergence": json_ready(self.js_divergence),
            "n_reference": self.n_reference,
            "n_production": self.n_production,
            "flagged_cluster_ids": list(self.flagged_cluster_ids),
            "new_cluster_ids": list(self.new_cluster_ids),
            "resolved_cluster_ids": list(self.resolved_cluster_ids),
            "cause_shares": dict(self.cause_shares),
            "breaches": list(self.breaches),
            "baseline_id": self.baseline_id,
            "created_at": self.created_at,
        }

    def to_row(self) -> dict[str, Any]:
        """The ``runs`` table row, by column name."""
        return {
            "period": self.period,
            "created_at": self.created_at,
            "baseline_id": self.baseline_id,
            "verdict": self.verdict,
            "exit_code": int(self.exit_code),
            "n_reference": int(self.n_reference),
            "n_production": int(self.n_production),
            "uncovered_share": json_ready(self.uncovered_share),
            "js_divergence": json_ready(self.js_divergence),
            "flagged_cluster_ids": json.dumps([int(i) for i in self.flagged_cluster_ids]),
            "new_cluster_ids": json.dumps([int(i) for i in self.new_cluster_ids]),
            "resolved_cluster_ids": json.dumps([int(i) for i in self.resolved_cluster_ids]),
            "cause_shares": json.dumps({k: float(v) for k, v in self.cause_shares.items()}),
            "breaches": json.dumps(list(self.breaches)),
            "summary": json.dumps(dict(self.summary), default=str, allow_nan=False),
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RunRecord:
        """A run from its ``runs`` table row (read by column name)."""
        return cls(
            period=row["period"],
            created_at=row["created_at"],
            baseline_id=row["baseline_id"],
            verdict=row["verdict"],
            exit_code=row["exit_code"],
            n_reference=row["n_reference"],
            n_production=row["n_production"],
            uncovered_share=_float(row["uncovered_share"]),
            js_divergence=_float(row["js_divergence"]),
            flagged_cluster_ids=tuple(json.loads(row["flagged_cluster_ids"])),
            new_cluster_ids=tuple(json.loads(row["new_cluster_ids"])),
            resolved_cluster_ids=tuple(json.loads(row["resolved_cluster_ids"])),
            cause_shares=json.loads(row["cause_shares"]),
            breaches=tuple(json.loads(row["breaches"])),
            summary=json.loads(row["summary"]),
        )


@dataclass(frozen=True)
class ClusterRecord:
    """One cluster (by stable id) in one run."""

    cluster_id: int
    label: str
    n_reference: int
    n_production: int
    share_reference: float
    share_production: float
    coverage: float
    is_flagged: bool
    is_new: bool
    period: str = ""

    def to_row(self) -> dict[str, Any]:
        """The ``run_clusters`` table row, by column name."""
        return {
            "period": self.period,
            "cluster_id": int(self.cluster_id),
            "label": self.label,
            "n_reference": int(self.n_reference),
            "n_production": int(self.n_production),
            "share_reference": float(self.share_reference),
            "share_production": float(self.share_production),
            "coverage": json_ready(self.coverage),
            "is_flagged": int(bool(self.is_flagged)),
            "is_new": int(bool(self.is_new)),
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ClusterRecord:
        """A cluster from its ``run_clusters`` table row (read by column name)."""
        return cls(
            period=row["period"],
            cluster_id=row["cluster_id"],
            label=row["label"],
            n_reference=row["n_reference"],
            n_production=row["n_production"],
            share_reference=row["share_reference"],
            share_production=row["share_production"],
            coverage=_float(row["coverage"]),
            is_flagged=bool(row["is_flagged"]),
            is_new=bool(row["is_new"]),
        )


@dataclass(frozen=True)
class RegistryEntry:
    """A region seen so far: stable id, unit centroid (dim,), reference member indices."""

    cluster_id: int
    label: str
    centroid: npt.NDArray[np.float32]
    members: npt.NDArray[np.int64] | None
    first_period: str
    last_period: str
    n_runs: int = 1

    def to_row(self) -> dict[str, Any]:
        """The ``registry`` table row, by column name (arrays as little-endian bytes)."""
        centroid = np.asarray(self.centroid, dtype="<f4")
        members = None if self.members is None else np.asarray(self.members, dtype="<i8")
        return {
            "cluster_id": int(self.cluster_id),
            "label": self.label,
            "dim": int(centroid.size),
            "centroid": centroid.tobytes(),
            "members": None if members is None else members.tobytes(),
            "first_period": self.first_period,
            "last_period": self.last_period,
            "n_runs": int(self.n_runs),
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RegistryEntry:
        """An entry from its ``registry`` table row (read by column name)."""
        members = row["members"]
        return cls(
            cluster_id=row["cluster_id"],
            label=row["label"],
            centroid=np.frombuffer(row["centroid"], dtype="<f4").reshape(row["dim"]).copy(),
            members=None if members is None else np.frombuffer(members, dtype="<i8").copy(),
            first_period=row["first_period"],
            last_period=row["last_period"],
            n_runs=row["n_runs"],
        )
