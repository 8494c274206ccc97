"""Exact cosine k-nearest-neighbour search on unit-norm vectors, in chunks (numpy only)."""

from __future__ import annotations

import numpy as np

from analyzer.errors import InputError


def nearest(
    queries: np.ndarray,
    points: np.ndarray,
    k: int,
    exclude_self: bool = False,
    chunk: int = 2048,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (indices, distances), each (n_queries, k), sorted by cosine distance.

    ``queries`` (n, d) and ``points`` (m, d) are unit-norm rows. With ``exclude_self`` the
    queries are the points themselves and each row's own index is left out (leave-one-out).
    """
    n, m = len(queries), len(points)
    k_eff = min(k, m - 1 if exclude_self else m)
    if k_eff < 1:
        raise InputError(
            f"Nearest-neighbour search needs at least {1 + int(exclude_self)} reference "
            f"point(s); got {m}. Add reference queries."
        )
    indices = np.empty((n, k_eff), dtype=np.int64)
    distances = np.empty((n, k_eff), dtype=np.float32)
    points_t = np.ascontiguousarray(points.T, dtype=np.float32)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        sims = queries[start:stop].astype(np.float32) @ points_t
        if exclude_self:
            rows = np.arange(stop - start)
            sims[rows, np.arange(start, stop)] = -np.inf
        if k_eff < m:
            part = np.argpartition(-sims, k_eff - 1, axis=1)[:, :k_eff]
        else:
            part = np.tile(np.arange(m), (stop - start, 1))
        part_sims = np.take_along_axis(sims, part, axis=1)
        order = np.argsort(-part_sims, axis=1, kind="stable")
        indices[start:stop] = np.take_along_axis(part, order, axis=1)
        distances[start:stop] = np.clip(
            1.0 - np.take_along_axis(part_sims, order, axis=1), 0.0, 2.0
        )
    return indices, distances


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Return the rows scaled to unit length (zero rows stay zero), as float32."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
