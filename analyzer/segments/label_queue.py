"""The labelling queue: which production queries to label next and add to the training set.

Pure computation (no I/O, no printing). It leads with what a label would teach the router:
each production query carries a teaching weight (:mod:`analyzer.segments.evidence`: the
evidence that it is shifted beyond the alpha level, times its routing to the cheap model and
its outcome); a region's value is the sum over its queries, the expected number of shifted
queries it holds. Region size alone earns nothing: an ordinary region's uncovered queries
carry no evidence. The selection, in order:

1. Candidates are the production queries with a weight above zero.
2. Exact duplicates collapse: texts equal after case folding and whitespace collapse keep one
   row (the weightiest; ties by row order of a seeded shuffle).
3. Regions (clusters, and emerging regions on their own) take turns with D'Hondt quotients:
   the next pick goes to the region with the largest ``value / (picked + 1)``, so the budget is
   split in proportion to the shifted queries each holds and the queue's head spans them.
4. Inside the chosen region, maximal marginal relevance picks the query maximising
   ``diversity_weight * relevance - (1 - diversity_weight) * max cosine similarity`` to every
   query already in the queue, relevance being its weight over the batch's largest. A
   candidate whose cosine similarity to a queued query reaches ``near_duplicate`` is dropped.
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
from analyzer.spill import take

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LabelQueue:
    """The prioritised queue, one row per query to label, ``priority`` 1 first.

    ``frame`` columns: ``priority, id, text, cluster_id, shift_evidence`` (the query's teaching
    weight), ``region_expected_shifted`` and ``region_rank`` (its region's value and rank),
    ``cluster_risk, cluster_risk_rank`` (the routing table's), ``coverage_p, causes`` (list of
    str), ``segments`` (dict column -> value), ``why`` (one readable sentence).
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
                    "shift_evidence": float(row["shift_evidence"]),
                    "region_expected_shifted": float(row["region_expected_shifted"]),
                    "region_rank": int(row["region_rank"]),
                    "cluster_risk": json_ready(float(row["cluster_risk"])),
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
    weights: NDArray[Any] | Sequence[float],
    *,
    regions: NDArray[Any] | Sequence[int] | None = None,
    size: int = 200,
    seed: int = 0,
    coverage_p: NDArray[Any] | Sequence[float] | None = None,
    is_uncovered: NDArray[Any] | Sequence[bool] | None = None,
    causes: Sequence[Sequence[str]] | None = None,
    cluster_risk: Mapping[int, float] | None = None,
    segment_cols: Sequence[str] = (),
    id_col: str = "id",
    text_col: str = "text",
    near_duplicate: float = 0.95,
    diversity_weight: float = 0.7,
) -> LabelQueue:
    """Pick up to ``size`` production queries to label, most shifted regions first, diverse.

    Parameters
    ----------
    production
        Production queries, one row each, with ``id_col``, ``text_col`` and ``segment_cols``.
    embeddings
        Production embeddings, shape (n, d), row-aligned with ``production``.
    cluster_ids
        Cluster id per production row, shape (n,).
    weights
        Teaching weight per row, shape (n,) (:func:`analyzer.segments.evidence.teaching_weights`);
        rows with weight 0 are no candidates.
    regions
        Region per row for the turns, shape (n,) (default: the clusters;
        :func:`analyzer.segments.evidence.queue_regions` puts emerging regions apart).
    size
        Most queries in the queue.
    seed
        Seeds the shuffle that breaks ties, so the queue is reproducible.
    coverage_p
        Conformal coverage p-value per row, reported with each queued query.
    is_uncovered
        Booleans per row; uncovered queries list "uncovered" first among their causes.
    causes
        Detector causes per row (lists among "malformed", "multi_intent", "mixed_language",
        "new_domain").
    cluster_risk
        ``{cluster_id: risk}`` of the routing table, reported with each queued query.
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
        weights,
        regions=regions,
        coverage_p=coverage_p,
        is_uncovered=is_uncovered,
        causes=causes,
        needed=[id_col, text_col, *segment_cols],
        text_col=text_col,
    )
    pool, n_candidates = _distinct_candidates(rows, seed)
    values = region_values(rows)
    chosen, n_near = _select(rows, pool, values, size, near_duplicate, diversity_weight)
    frame = _queue_frame(
        production,
        rows,
        [int(pool[j]) for j in chosen],
        values,
        cluster_risk or {},
        segment_cols,
        id_col,
    )
    return LabelQueue(
        frame=frame,
        n_candidates=n_candidates,
        n_exact_duplicates=n_candidates - len(pool),
        n_near_duplicates=n_near,
        requested=size,
    )


def region_values(rows: QueueRows) -> dict[int, float]:
    """``{region: sum of its rows' teaching weights}``: the expected number of shifted
    (cheaply routed, badly served) queries each region holds."""
    keys, inverse = np.unique(rows.regions, return_inverse=True)
    totals = np.bincount(inverse, weights=rows.weights, minlength=len(keys))
    return {int(k): float(v) for k, v in zip(keys, totals, strict=True)}


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
    values: Mapping[int, float],
    size: int,
    near_duplicate: float,
    diversity_weight: float,
) -> tuple[list[int], int]:
    """Positions in ``pool`` in queue order: regions take turns by D'Hondt quotients of their
    value; inside one, maximal marginal relevance; near duplicates of a queued query drop out."""
    vectors = take(rows.vectors, pool)  # a spilled array: read range by range, pages released
    norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(pool) else np.zeros((0, 1))
    unit = vectors / np.where(norms > 0, norms, 1.0)
    max_sim = np.full(len(pool), -1.0)
    alive = np.ones(len(pool), dtype=bool)
    pool_regions = rows.regions[pool]
    order = sorted(set(pool_regions.tolist()), key=lambda c: (-values.get(c, 0.0), c))
    members = {c: np.flatnonzero(pool_regions == c) for c in order}
    picked = dict.fromkeys(order, 0)
    chosen: list[int] = []
    n_near = 0
    while len(chosen) < size:
        open_clusters = [c for c in order if alive[members[c]].any()]
        if not open_clusters:
            break
        target = max(open_clusters, key=lambda c: (values[c] / (picked[c] + 1), -c))
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
    "shift_evidence",
    "region_expected_shifted",
    "region_rank",
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
    values: Mapping[int, float],
    cluster_risk: Mapping[int, float],
    segment_cols: Sequence[str],
    id_col: str,
) -> pd.DataFrame:
    """One row per queued query (``chosen`` production row indices, in priority order)."""
    region_rank = {c: r + 1 for r, c in enumerate(sorted(values, key=lambda c: (-values[c], c)))}
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
        c, region = int(rows.clusters[i]), int(rows.regions[i])
        segments = {col: str(vals[i]) for col, vals in seg_values.items()}
        p_value = float(rows.p_values[i])
        value = values.get(region, 0.0)
        records.append(
            {
                "priority": priority,
                "id": ids[i],
                "text": rows.texts[i],
                "cluster_id": c,
                "shift_evidence": float(rows.weights[i]),
                "region_expected_shifted": value,
                "region_rank": region_rank.get(region, 0),
                "cluster_risk": float(cluster_risk.get(c, math.nan)),
                "cluster_risk_rank": int(risk_rank.get(c, 0)),
                "coverage_p": p_value,
                "causes": rows.cause_lists[i],
                "segments": segments,
                "why": _why(
                    c,
                    region != c,
                    region_rank.get(region, 0),
                    value,
                    p_value,
                    rows.cause_lists[i],
                    segments,
                ),
            }
        )
    return pd.DataFrame(records, columns=_QUEUE_COLUMNS)


def _why(
    cluster: int,
    emerging: bool,
    rank: int,
    value: float,
    p_value: float,
    causes: list[str],
    segments: dict[str, str],
) -> str:
    region = "noise region" if cluster == -1 else f"cluster {cluster}"
    if emerging:
        region = f"an emerging region in {region}"
    parts = [f"{region} holds about {value:.3g} shifted queries (rank {rank})"]
    if not math.isnan(p_value):
        parts.append(f"coverage p={p_value:.3g}")
    if causes:
        parts.append("causes: " + ", ".join(causes))
    if segments:
        parts.append("segment " + ", ".join(f"{k}={v}" for k, v in segments.items()))
    return "; ".join(parts)


__all__ = ["LabelQueue", "labelling_queue", "normalize_for_dedup"]
