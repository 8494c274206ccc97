"""Typed results: ShiftResult with its summary, cluster table and query table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analyzer.regions.stats import ClusterStats

SCHEMA_VERSION = 1

QUERY_COLUMNS = (
    "side",
    "cluster_id",
    "map_x",
    "map_y",
    "coverage_p",
    "is_uncovered",
    "is_emerging",
    "emerging_id",
)


@dataclass(frozen=True)
class ClusterRow:
    """A cluster's statistics with its description (label, keywords, examples)."""

    stats: ClusterStats
    label: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"cluster_id": self.stats.cluster_id, "label": self.label}
        out["keywords"] = ", ".join(self.keywords)
        out.update({k: v for k, v in self.stats.to_dict().items() if k != "cluster_id"})
        out["examples"] = json.dumps(list(self.examples), ensure_ascii=False)
        return out


@dataclass(frozen=True)
class ClusterTable:
    """All clusters, flagged first, then by production share."""

    rows: tuple[ClusterRow, ...]
    extra: pd.DataFrame | None = None

    def __iter__(self) -> Iterator[ClusterRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per cluster with the clusters.csv columns (plus any added by later stages)."""
        frame = pd.DataFrame([r.to_dict() for r in self.rows])
        if self.extra is not None and len(frame):
            frame = frame.merge(self.extra, on="cluster_id", how="left")
        return frame

    def flagged_ids(self) -> list[int]:
        return [r.stats.cluster_id for r in self.rows if r.stats.is_flagged]


@dataclass(frozen=True)
class QueryTable:
    """One row per input query of both sides: input columns plus the analysis columns."""

    frame: pd.DataFrame

    def __len__(self) -> int:
        return len(self.frame)

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()


@dataclass(frozen=True)
class Summary:
    """Headline figures of one analysis (summary.json)."""

    verdict: str
    alpha: float
    n_reference: int
    n_production: int
    uncovered_share: float
    uncovered_share_ci: tuple[float, float]
    js_divergence: float
    global_tests: dict[str, Any]
    n_clusters: int
    flagged_cluster_ids: list[int]
    skipped_rows: list[dict[str, Any]]
    parameters: dict[str, Any]
    versions: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION
    #: True once personal data and secrets were masked (``--redact``); masking is done once.
    redacted: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        extra = out.pop("extra")
        out["uncovered_share_ci"] = list(self.uncovered_share_ci)
        out = {"schema_version": out.pop("schema_version"), **out, **extra}
        plain: dict[str, Any] = json_ready(out)
        return plain


def json_ready(value: Any) -> Any:
    """A JSON-ready copy of ``value``: dicts (string keys) and lists recursively, numpy scalars
    as Python values, NaN and infinities as None, anything else that JSON lacks as its text."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def query_frame(
    reference: pd.DataFrame,
    production: pd.DataFrame,
    labels: np.ndarray,
    map_xy: np.ndarray,
    pvalues: np.ndarray,
    is_uncovered: np.ndarray,
    is_core: np.ndarray,
    detections: pd.DataFrame,
    emerging_ids: np.ndarray | None = None,
) -> pd.DataFrame:
    """The queries.parquet frame: every input row of both sides with the analysis columns.

    ``labels``, ``map_xy`` (rows, 2), ``is_core``, ``detections`` and ``emerging_ids`` (-1:
    none) cover the reference rows then the production rows; ``pvalues`` and ``is_uncovered``
    the production rows. An input
    column whose name an analysis column takes is kept as ``input_<name>``.
    """
    reserved = set(QUERY_COLUMNS) | {"is_core"} | set(detections.columns)
    frames = []
    for side, frame in (("reference", reference), ("production", production)):
        frame = frame.rename(columns={c: f"input_{c}" for c in frame.columns if c in reserved})
        frame.insert(0, "side", side)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True, sort=False)
    n_ref = len(reference)
    out["cluster_id"] = labels.astype(np.int64)
    out["map_x"] = map_xy[:, 0].astype(np.float64)
    out["map_y"] = map_xy[:, 1].astype(np.float64)
    out["coverage_p"] = np.r_[np.full(n_ref, np.nan), pvalues]
    out["is_uncovered"] = np.r_[np.zeros(n_ref, bool), is_uncovered]
    out["is_core"] = is_core
    emerging = np.full(len(out), -1, dtype=np.int64) if emerging_ids is None else emerging_ids
    out["is_emerging"] = emerging >= 0
    out["emerging_id"] = emerging.astype(np.int64)
    for column in detections.columns:
        out[column] = detections[column].to_numpy()
    return out


@dataclass(frozen=True)
class EmergingRegion:
    """A group of production queries each weakly covered but together new (emerging.csv)."""

    emerging_id: int
    label: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    n_production: int
    share_production: float
    n_distinct: int
    mean_coverage_p: float
    statistic: float
    window: int
    p_value: float
    main_cluster_id: int
    share_in_flagged: float
    causes: dict[str, float] = field(default_factory=dict)
    dominant_cause: str = "none"

    def to_dict(self) -> dict[str, Any]:
        """One row of emerging.csv (keywords joined, examples as JSON, causes as columns)."""
        out = {k: v for k, v in asdict(self).items() if k not in ("causes", "keywords", "examples")}
        out["keywords"] = ", ".join(self.keywords)
        out.update({f"share_{c}": share for c, share in self.causes.items()})
        out["examples"] = json.dumps(list(self.examples), ensure_ascii=False)
        return out


EMERGING_COLUMNS = (
    "emerging_id",
    "label",
    "keywords",
    "n_production",
    "share_production",
    "n_distinct",
    "mean_coverage_p",
    "statistic",
    "window",
    "p_value",
    "main_cluster_id",
    "share_in_flagged",
    "dominant_cause",
    "examples",
)


@dataclass(frozen=True)
class EmergingTable:
    """Every emerging region of a run, strongest evidence first (possibly none)."""

    rows: tuple[EmergingRegion, ...] = ()

    def __iter__(self) -> Iterator[EmergingRegion]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per emerging region with the emerging.csv columns (header only when none)."""
        records = [r.to_dict() for r in self.rows]
        frame = pd.DataFrame(records)
        if frame.empty:
            return pd.DataFrame(columns=list(EMERGING_COLUMNS))
        first = [c for c in EMERGING_COLUMNS if c in frame.columns]
        return frame[first + [c for c in frame.columns if c not in first]]


@dataclass(frozen=True)
class ShiftResult:
    """What ``Baseline.score`` returns: summary, clusters, queries and emerging regions."""

    summary: Summary
    clusters: ClusterTable
    queries: QueryTable
    emerging: EmergingTable = field(default_factory=EmergingTable)
