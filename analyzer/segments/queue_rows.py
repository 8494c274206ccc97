"""The labelling queue's view of the production rows: validated, row-aligned, with weights.

A row is a candidate when its teaching weight (:mod:`analyzer.segments.evidence`) is above
zero; its relevance inside its region is its weight over the largest weight of the batch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analyzer.errors import InputError, SchemaError


def _causes_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value]


def _per_row(name: str, values: Any, n: int, dtype: type) -> NDArray[Any]:
    array: NDArray[Any] = np.asarray(values, dtype=dtype)
    if array.shape != (n,):
        raise InputError(f"{name} must have {n} entries. Got shape {array.shape}.")
    return array


@dataclass(frozen=True)
class QueueRows:
    """The production rows as the queue sees them, validated and row-aligned (n,)."""

    texts: list[str]
    vectors: NDArray[np.float32]
    clusters: NDArray[np.int64]
    regions: NDArray[np.int64]
    weights: NDArray[np.float64]
    candidate: NDArray[np.bool_]
    p_values: NDArray[np.float64]
    relevance: NDArray[np.float64]
    cause_lists: list[list[str]]

    @classmethod
    def build(
        cls,
        production: pd.DataFrame,
        embeddings: NDArray[Any],
        cluster_ids: NDArray[Any] | Sequence[int],
        weights: NDArray[Any] | Sequence[float],
        *,
        regions: NDArray[Any] | Sequence[int] | None,
        coverage_p: NDArray[Any] | Sequence[float] | None,
        is_uncovered: NDArray[Any] | Sequence[bool] | None,
        causes: Sequence[Sequence[str]] | None,
        needed: list[str],
        text_col: str,
    ) -> QueueRows:
        missing = [c for c in needed if c not in production.columns]
        if missing:
            raise SchemaError(
                f"The labelling queue needs column(s) {', '.join(map(repr, missing))}, which the "
                f"production data lacks. Existing columns: "
                f"{', '.join(map(str, production.columns))}."
            )
        n = len(production)
        # a spilled array stays a memmap, so that its pages can leave the resident set after use
        vectors = (
            embeddings
            if isinstance(embeddings, np.memmap) and embeddings.dtype == np.float32
            else np.asarray(embeddings, dtype=np.float32)
        )
        if vectors.ndim != 2 or vectors.shape[0] != n:
            raise InputError(
                f"embeddings must have shape (n_production, d) = ({n}, d). Got {vectors.shape}."
            )
        clusters = _per_row("cluster_ids", np.asarray(cluster_ids).astype(int), n, int)
        weight = np.nan_to_num(_per_row("weights", weights, n, float), nan=0.0)
        region = clusters if regions is None else _per_row("regions", regions, n, int)
        p_values = _per_row(
            "coverage_p", coverage_p if coverage_p is not None else np.full(n, np.nan), n, float
        )
        cause_lists = (
            [_causes_list(c) for c in causes] if causes is not None else [[] for _ in range(n)]
        )
        if len(cause_lists) != n:
            raise InputError(f"causes must have {n} entries. Got {len(cause_lists)}.")
        if is_uncovered is not None:
            uncovered = _per_row("is_uncovered", is_uncovered, n, bool)
            cause_lists = [
                ["uncovered", *c] if u else c for u, c in zip(uncovered.tolist(), cause_lists)
            ]
        top = float(weight.max()) if n and weight.max() > 0 else 1.0
        texts = production[text_col].astype(str).tolist()
        return cls(
            texts,
            vectors,
            clusters,
            region,
            weight,
            weight > 0,
            p_values,
            weight / top,
            cause_lists,
        )
