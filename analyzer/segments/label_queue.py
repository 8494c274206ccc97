"""The labelling queue: which production queries to label next and add to the training set.

Pure computation (no I/O, no printing). The selection, in order:

1. Candidates are the at-risk production queries (all production queries when no at-risk mask
   is given) in clusters whose risk is above zero.
2. Exact duplicates collapse: texts equal after case folding and whitespace collapse keep one
   row (the most relevant; ties by row order of a seeded shuffle).
3. Clusters take turns by risk with D'Hondt quotients: the next pick goes to the cluster with
   the largest ``risk / (picked + 1)``, so the queue's budget is split in proportion to risk
   and its head already spans the riskiest clusters.
4. Inside the chosen cluster, maximal marginal relevance picks the query maximising
   ``diversity_weight * relevance - (1 - diversity_weight) * max cosine similarity`` to every
   query already in the queue (all clusters), where relevance is ``log p / log p_min`` of the
   coverage p-value (1 for the least covered candidate, 0 at p = 1) plus 0.25 per detector
   cause. A candidate whose cosine similarity
   to a queued query reaches ``near_duplicate`` is dropped as a near duplicate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analyzer.errors import InputError
from analyzer.result import json_ready
from analyzer.segments.buckets import bucket_segment
from analyzer.segments.queue_rows import QueueRows

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LabelQueue:
    """The prioritised queue, one row per query to label, ``priority`` 1 first.

    ``frame`` columns: ``priority, id, text, cluster_id, cluster_risk, cluster_risk_rank,
    coverage_p, causes`` (list of str), ``segments`` (dict column -> value), ``why`` (one
    readable sentence).
    """

    frame: pd.DataFrame
    n_candidates: int
    n_exact_duplicates: int
    n_near_duplicates: int
    requested: int

    def __len__(self) -> int:
        return len(self.frame)

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the queue."""
        return self.frame.copy()

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per query, in priority order (the lines of to_label.jsonl)."""
        records = []
        for row in self.frame.to_dict("records"):
            p = row["coverage_p"]
            records.append(
                {
                    "priority": int(row["priority"]),
                    "id": json_ready(row["id"]),
                    "text": str(row["text"]),
                    "cluster_id": int(row["cluster_id"]),
                    "cluster_risk": float(row["cluster_risk"]),
                    "cluster_risk_rank": int(row["cluster_risk_rank"]),
                    "coverage_p": None if p is None or math.isnan(float(p)) else float(p),
                    "causes": list(row["causes"]),
                    "segments": dict(row["segments"]),
                    "why": str(row["why"]),
                }
            )
        return records

    def to_dict(self) -> dict[str, Any]:
        """Counts of the selection and the records."""
        return {
            "requested": self.requested,
            "n_selected": len(self.frame),
            "n_candidates": self.n_candidates,
            "n_exact_duplicates": self.n_exact_duplicates,
            "n_near_duplicates": self.n_near_duplicates,
            "queries": self.to_records(),
        }


def normalize_for_dedup(text: str) -> str:
    """Key under which two texts count as exact duplicates (case-folded, spaces collapsed)."""
    return _SPACE.sub(" ", str(text)).strip().casefold()


def labelling_queue(
    production: pd.DataFrame,
    embeddings: NDArray[Any],
    cluster_ids: NDArray[Any] | Sequence[int],
    cluster_risk: Mapping[int, float],
    *,
    size: int = 200,
    seed: int = 0,
    at_risk: NDArray[Any] | Sequence[bool] | None = None,
    coverage_p: NDArray[Any] | Sequence[float] | None = None,
    is_uncovered: NDArray[Any] | Sequence[bool] | None = None,
    causes: Sequence[Sequence[str]] | None = None,
    segment_cols: Sequence[str] = (),
    id_col: str = "id",
    text_col: str = "text",
    near_duplicate: float = 0.95,
    diversity_weight: float = 0.7,
) -> LabelQueue:
    """Pick up to ``size`` production queries to label, riskiest regions first, diverse.

    Parameters
    ----------
    production
        Production queries, one row each, with ``id_col``, ``text_col`` and ``segment_cols``.
    embeddings
        Production embeddings, shape (n, d), row-aligned with ``production``.
    cluster_ids
        Cluster id per production row, shape (n,).
    cluster_risk
        ``{cluster_id: risk}``, e.g. :meth:`analyzer.segments.ClusterRouting.risk_by_cluster`;
        clusters missing from it or with risk 0 contribute nothing.
    size
        Most queries in the queue.
    seed
        Seeds the shuffle that breaks ties, so the queue is reproducible.
    at_risk
        Booleans per row; only at-risk queries are candidates when given.
    coverage_p
        Conformal coverage p-value per row (lower: further outside the reference).
    is_uncovered
        Booleans per row; uncovered queries list "uncovered" first among their causes.
    causes
        Detector causes per row (lists among "malformed", "multi_intent", "mixed_language",
        "new_domain"); each adds 0.25 to the query's relevance.
    segment_cols
        Columns whose (bucketed) values each queued query reports.
    id_col, text_col
        Names of the id and text columns.
    near_duplicate
        Cosine similarity at or above which a candidate is a near duplicate of a queued query.
    diversity_weight
        MMR weight of relevance against similarity, in [0, 1].

    Returns
    -------
    LabelQueue
    """
    _check_settings(size, near_duplicate, diversity_weight)
    rows = QueueRows.build(
        production,
        embeddings,
        cluster_ids,
        cluster_risk,
        at_risk=at_risk,
        coverage_p=coverage_p,
        is_uncovered=is_uncovered,
        causes=causes,
        needed=[id_col, text_col, *segment_cols],
        text_col=text_col,
    )
    pool, n_candidates = _distinct_candidates(rows, seed)
    chosen, n_near = _select(rows, pool, cluster_risk, size, near_duplicate, diversity_weight)
    frame = _queue_frame(
        production, rows, [int(pool[j]) for j in chosen], cluster_risk, segment_cols, id_col
    )
    return LabelQueue(
        frame=frame,
        n_candidates=n_candidates,
        n_exact_duplicates=n_candidates - len(pool),
        n_near_duplicates=n_near,
        requested=size,
    )


def _check_settings(size: int, near_duplicate: float, diversity_weight: float) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise InputError(
            f"The labelling queue size must be an int >= 0. Got {size!r}; pass e.g. label_size=200."
        )
    if not 0.0 < near_duplicate <= 1.0 or not 0.0 <= diversity_weight <= 1.0:
        raise InputError(
            f"near_duplicate must be in (0, 1] and diversity_weight in [0, 1]. Got "
            f"near_duplicate={near_duplicate!r}, diversity_weight={diversity_weight!r}."
        )


def _distinct_candidates(rows: QueueRows, seed: int) -> tuple[NDArray[np.int64], int]:
    """The candidates left once exact duplicates keep their most relevant row (ties by a
    seeded shuffle), as sorted row indices, and the number of candidates before."""
    rng = np.random.default_rng(seed)
    idx = np.flatnonzero(rows.candidate)
    n_candidates = len(idx)
    idx = idx[rng.permutation(len(idx))]
    idx = idx[np.argsort(-rows.relevance[idx], kind="stable")]
    seen: set[str] = set()
    keep: list[int] = []
    for i in idx.tolist():
        key = normalize_for_dedup(rows.texts[i])
        if key not in seen:
            seen.add(key)
            keep.append(i)
    return np.array(sorted(keep), dtype=np.int64), n_candidates


def _select(
    rows: QueueRows,
    pool: NDArray[np.int64],
    cluster_risk: Mapping[int, float],
    size: int,
    near_duplicate: float,
    diversity_weight: float,
) -> tuple[list[int], int]:
    """Positions in ``pool`` in queue order: clusters take turns by D'Hondt quotients of their
    risk; inside one, maximal marginal relevance; near duplicates of a queued query drop out."""
    vectors = rows.vectors[pool]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(pool) else np.zeros((0, 1))
    unit = vectors / np.where(norms > 0, norms, 1.0)
    max_sim = np.full(len(pool), -1.0)
    alive = np.ones(len(pool), dtype=bool)
    pool_clusters = rows.clusters[pool]
    order = sorted(set(pool_clusters.tolist()), key=lambda c: (-cluster_risk.get(c, 0.0), c))
    members = {c: np.flatnonzero(pool_clusters == c) for c in order}
    picked = dict.fromkeys(order, 0)
    chosen: list[int] = []
    n_near = 0
    while len(chosen) < size:
        open_clusters = [c for c in order if alive[members[c]].any()]
        if not open_clusters:
            break
        target = max(open_clusters, key=lambda c: (cluster_risk[c] / (picked[c] + 1), -c))
        local = members[target][alive[members[target]]]
        score = diversity_weight * rows.relevance[pool[local]] - (
            1.0 - diversity_weight
        ) * np.maximum(max_sim[local], 0.0)
        best = int(local[int(np.argmax(score))])
        alive[best] = False
        chosen.append(best)
        picked[target] += 1
        sims = unit @ unit[best]
        max_sim = np.maximum(max_sim, sims)
        near = alive & (sims >= near_duplicate)
        n_near += int(near.sum())
        alive &= ~near
    return chosen, n_near


_QUEUE_COLUMNS = [
    "priority",
    "id",
    "text",
    "cluster_id",
    "cluster_risk",
    "cluster_risk_rank",
    "coverage_p",
    "causes",
    "segments",
    "why",
]


def _queue_frame(
    production: pd.DataFrame,
    rows: QueueRows,
    chosen: list[int],
    cluster_risk: Mapping[int, float],
    segment_cols: Sequence[str],
    id_col: str,
) -> pd.DataFrame:
    """One row per queued query (``chosen`` production row indices, in priority order)."""
    risk_rank = {
        c: r + 1
        for r, c in enumerate(
            sorted(cluster_risk, key=lambda c: (-float(np.nan_to_num(cluster_risk[c])), c))
        )
    }
    seg_values = {c: bucket_segment(production[c]).to_numpy() for c in dict.fromkeys(segment_cols)}
    ids = production[id_col].to_numpy()
    records = []
    for priority, i in enumerate(chosen, start=1):
        c = int(rows.clusters[i])
        segments = {col: str(vals[i]) for col, vals in seg_values.items()}
        risk, rank, p_value = (
            float(cluster_risk[c]),
            int(risk_rank.get(c, 0)),
            float(rows.p_values[i]),
        )
        records.append(
            {
                "priority": priority,
                "id": ids[i],
                "text": rows.texts[i],
                "cluster_id": c,
                "cluster_risk": risk,
                "cluster_risk_rank": rank,
                "coverage_p": p_value,
                "causes": rows.cause_lists[i],
                "segments": segments,
                "why": _why(c, rank, risk, p_value, rows.cause_lists[i], segments),
            }
        )
    return pd.DataFrame(records, columns=_QUEUE_COLUMNS)


def _why(
    cluster: int,
    rank: int,
    risk: float,
    p_value: float,
    causes: list[str],
    segments: dict[str, str],
) -> str:
    region = "noise region" if cluster == -1 else f"cluster {cluster}"
    parts = [f"{region} is risk rank {rank} (risk {risk:.3g})"]
    if not math.isnan(p_value):
        parts.append(f"coverage p={p_value:.3g}")
    if causes:
        parts.append("causes: " + ", ".join(causes))
    if segments:
        parts.append("segment " + ", ".join(f"{k}={v}" for k, v in segments.items()))
    return "; ".join(parts)


__all__ = ["LabelQueue", "labelling_queue", "normalize_for_dedup"]
