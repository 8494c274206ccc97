"""Cosine k-nearest-neighbour search behind one small interface: faiss exact, faiss HNSW, numpy.

:class:`NeighborIndex` holds fixed unit-norm points and answers ``search(queries, k)`` and the
leave-one-out ``search_self(k)``. Kinds:

* ``"flat"``: faiss ``IndexFlatIP``, exact inner product (the default);
* ``"hnsw"``: faiss ``IndexHNSWFlat`` (M=32, efSearch 128), approximate, for references above
  ``CoverConfig.exact_max`` distinct queries;
* ``"numpy"``: :func:`~analyzer.coverage.neighbors.nearest`, the exact reference implementation
  (and the fallback when faiss is not installed).

Leave-one-out asks the index for ``k + 1`` neighbours of each indexed point and drops the point
itself *by index*: with duplicate vectors a point's own index need not come first, and HNSW may
not return it at all (then the ``k`` first neighbours are kept).
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

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (indices, cosine distances), each (n_queries, min(k, m)), nearest first."""
        k_eff = self._check_k(k, leave_one_out=False)
        if self._faiss is None:
            return nearest(queries, self.points, k_eff)
        queries = _as_float32(queries)
        similarities, indices = self._faiss.search(queries, k_eff)
        missing = np.flatnonzero((indices < 0).any(axis=1))
        if len(missing):  # HNSW found fewer than k: search those rows exactly
            indices[missing], similarities[missing] = _exact(queries[missing], self.points, k_eff)
        return indices.astype(np.int64), _distances(similarities)

    def search_self(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Leave-one-out: each indexed point's ``k`` nearest *other* points, (m, min(k, m - 1))."""
        k_eff = self._check_k(k, leave_one_out=True)
        if self._faiss is None:
            return nearest(self.points, self.points, k_eff, exclude_self=True)
        similarities, indices = self._faiss.search(self.points, k_eff + 1)
        rows = np.arange(self.size)
        # Keep the results that are neither the row itself nor missing (-1), in their order.
        dropped = (indices == rows[:, None]) | (indices < 0)
        order = np.argsort(dropped, axis=1, kind="stable")[:, :k_eff]
        indices = np.take_along_axis(indices, order, axis=1)
        similarities = np.take_along_axis(similarities, order, axis=1)
        short = np.flatnonzero(np.take_along_axis(dropped, order, axis=1).any(axis=1))
        if len(short):  # HNSW found fewer than k others: search those rows exactly
            indices[short], similarities[short] = _exact(
                self.points[short], self.points, k_eff, own=short
            )
        return indices.astype(np.int64), _distances(similarities)


def _distances(similarities: np.ndarray) -> np.ndarray:
    distances: np.ndarray = np.clip(1.0 - similarities, 0.0, 2.0).astype(np.float32)
    return distances


def _exact(
    queries: np.ndarray, points: np.ndarray, k: int, own: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-``k`` (indices, similarities) of a few rows; ``own`` (n,) indices to skip."""
    similarities = queries @ points.T
    if own is not None:
        similarities[np.arange(len(queries)), own] = -np.inf
    top = np.argsort(-similarities, axis=1, kind="stable")[:, :k]
    return top, np.take_along_axis(similarities, top, axis=1)


def build_index(points: np.ndarray, exact_max: int) -> NeighborIndex:
    """An index of ``points`` of the kind :func:`index_kind` picks for their number."""
    return NeighborIndex(points, index_kind(len(points), exact_max))
