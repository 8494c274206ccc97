"""Cosine k-nearest-neighbour search behind one small interface: faiss exact, faiss HNSW, numpy.

:class:`NeighborIndex` holds fixed unit-norm points and answers ``search(queries, k)`` and the
leave-one-out ``search_self(k)``. Kinds:

* ``"flat"``: faiss ``IndexFlatIP``, exact inner product (the default);
* ``"hnsw"``: faiss ``IndexHNSWFlat`` (M=32, efSearch 128), approximate, for references above
  ``CoverConfig.exact_max`` distinct queries;
* ``"numpy"``: :func:`~analyzer.coverage.neighbors.nearest`, the exact reference implementation
  (and the fallback when faiss is not installed).

Every search asks for a few more candidates than ``k`` and ranks them again by their exact
float64 distance (ties by index), so exact faiss and numpy return the same neighbours and
distances (float32 search differs in the last bits), and scores do not depend on how the rows
were chunked. Leave-one-out asks for ``k + 1`` (plus those extra) neighbours of each indexed
point and drops the point itself *by index*: with duplicate vectors a point's own index need not
come first, and HNSW may not return it at all.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

from analyzer.coverage.neighbors import nearest
from analyzer.errors import ConfigError, InputError

INDEX_KINDS = ("flat", "hnsw", "numpy")
#: HNSW graph degree and search breadth: recall@10 0.988 on all-MiniLM-L6-v2 vectors at 99k
#: points (docs/scaling.md); the coverage scores' rank correlation with exact search 0.9998.
HNSW_M = 32
HNSW_EF_SEARCH = 128
#: Candidates asked for beyond k, then ranked again by exact float64 distance: float32 search
#: noise (about 1e-7) at the k-th place no longer decides which neighbour is kept.
EXTRA_CANDIDATES = 2


def has_faiss() -> bool:
    """Whether faiss can be imported (``faiss-cpu`` is a dependency; numpy is the fallback)."""
    return importlib.util.find_spec("faiss") is not None


def index_kind(n_points: int, exact_max: int) -> str:
    """The kind of index for ``n_points`` indexed points: exact up to ``exact_max``, HNSW above.

    Without faiss both become ``"numpy"`` (exact, slower).
    """
    if not has_faiss():
        return "numpy"
    return "flat" if n_points <= exact_max else "hnsw"


def _as_float32(vectors: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(vectors, dtype=np.float32)


class NeighborIndex:
    """Cosine kNN over fixed unit-norm ``points`` (m, d).

    Parameters
    ----------
    points
        The indexed rows, unit norm (cosine distance is 1 - inner product).
    kind
        ``"flat"`` (exact, faiss), ``"hnsw"`` (approximate, faiss) or ``"numpy"`` (exact).
    """

    def __init__(self, points: np.ndarray, kind: str = "flat") -> None:
        if kind not in INDEX_KINDS:
            raise ConfigError(
                f"The 'kind' parameter of NeighborIndex must be one of {', '.join(INDEX_KINDS)}. "
                f"Got {kind!r} instead."
            )
        self.kind = kind
        self.points = _as_float32(points)
        self._faiss: Any = None if kind == "numpy" else self._build(kind)

    def _build(self, kind: str) -> Any:
        import faiss

        dim = self.points.shape[1]
        index: Any
        if kind == "flat":
            index = faiss.IndexFlatIP(dim)
        else:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = HNSW_EF_SEARCH
        if len(self.points):
            index.add(self.points)
        return index

    @property
    def size(self) -> int:
        """Number of indexed points."""
        return len(self.points)

    def _check_k(self, k: int, leave_one_out: bool) -> int:
        k_eff = min(k, self.size - 1 if leave_one_out else self.size)
        if k_eff < 1:
            raise InputError(
                f"Nearest-neighbour search needs at least {1 + int(leave_one_out)} reference "
                f"point(s); got {self.size}. Add reference queries."
            )
        return k_eff

    def _candidates(self, queries: np.ndarray, count: int) -> np.ndarray:
        """(n, count) candidate indices from the index (-1 where HNSW found none)."""
        if self._faiss is None:
            return nearest(queries, self.points, count)[0]
        _, indices = self._faiss.search(queries, count)
        return np.asarray(indices, dtype=np.int64)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (indices, cosine distances), each (n_queries, min(k, m)), nearest first."""
        k_eff = self._check_k(k, leave_one_out=False)
        queries = _as_float32(queries)
        candidates = self._candidates(queries, min(k_eff + EXTRA_CANDIDATES, self.size))
        return _refine(queries, self.points, candidates, k_eff)

    def search_self(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Leave-one-out: each indexed point's ``k`` nearest *other* points, (m, min(k, m - 1))."""
        k_eff, candidates = self._self_candidates(k)
        rows = np.arange(self.size)
        return _refine(self.points, self.points, candidates, k_eff, own=rows)

    def search_self_fast(self, k: int) -> np.ndarray:
        """Indices of each point's ``k`` nearest other points in the index's own order, without
        the float64 re-ranking (as costly as the search): for callers whose result does not
        hang on near ties, e.g. a scan whose null uses the very same neighbourhoods. An exact
        index gives the exact neighbours up to float32 ties; HNSW may return fewer (the rest
        is then re-ranked as :meth:`search_self` does)."""
        k_eff, candidates = self._self_candidates(k)
        valid = candidates >= 0
        if (valid.sum(axis=1) < k_eff).any():
            return self.search_self(k)[0]
        order = np.argsort(~valid, axis=1, kind="stable")[:, :k_eff]
        return np.take_along_axis(candidates, order, axis=1)

    def _self_candidates(self, k: int) -> tuple[int, np.ndarray]:
        k_eff = self._check_k(k, leave_one_out=True)
        count = min(k_eff + 1 + EXTRA_CANDIDATES, self.size)
        candidates = self._candidates(self.points, count)
        rows = np.arange(self.size)
        candidates[candidates == rows[:, None]] = -1  # by index: a duplicate may come first
        return k_eff, candidates


def _refine(
    queries: np.ndarray,
    points: np.ndarray,
    candidates: np.ndarray,
    k: int,
    own: np.ndarray | None = None,
    chunk: int = 1024,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest of each row's candidates (-1: none) by float64 cosine distance, ties by
    index: the same neighbours and distances whichever search found the candidates. A row with
    fewer than ``k`` candidates is searched exactly (``own`` (n,): the index each row skips)."""
    indices = np.empty((len(queries), k), dtype=np.int64)
    distances = np.empty((len(queries), k), dtype=np.float64)
    for start in range(0, len(queries), chunk):
        part = slice(start, start + chunk)
        valid = candidates[part] >= 0
        safe = np.where(valid, candidates[part], 0)
        sims = np.einsum(
            "id,ikd->ik", queries[part].astype(np.float64), points[safe].astype(np.float64)
        )
        dist = np.where(valid, np.clip(1.0 - sims, 0.0, 2.0), np.inf)
        order = np.lexsort((np.where(valid, safe, len(points)), dist))[:, :k]
        indices[part] = np.take_along_axis(safe, order, axis=1)
        distances[part] = np.take_along_axis(dist, order, axis=1)
    short = np.flatnonzero(np.isinf(distances).any(axis=1))
    if len(short):  # HNSW found too few: search those rows exactly, then refine as above
        sims = queries[short] @ points.T
        if own is not None:
            sims[np.arange(len(short)), own[short]] = -np.inf
        top = np.argsort(-sims, axis=1, kind="stable")[:, : k + EXTRA_CANDIDATES]
        if own is not None:
            top[top == own[short][:, None]] = -1
        indices[short], distances[short] = _refine(queries[short], points, top, k)
    return indices, distances.astype(np.float32)


def build_index(points: np.ndarray, exact_max: int) -> NeighborIndex:
    """An index of ``points`` of the kind :func:`index_kind` picks for their number."""
    return NeighborIndex(points, index_kind(len(points), exact_max))
