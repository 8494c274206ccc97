"""Vectors that may not fit in memory: kept in memory up to a limit, then in a temporary file.

A :class:`VectorStore` takes float32 rows in chunks; :meth:`~VectorStore.finish` returns one
(n, d) array: in memory when the rows stayed under ``spill_rows``, else a read-only
``np.memmap`` over a temporary file that is already unlinked (the mapping keeps it alive, and
the disk space is returned when the array is garbage collected). Code that indexes the array
(``vectors[rows]``) reads only those rows; code that needs every row walks it in chunks
(:func:`chunk_ranges`) and calls :func:`release` afterwards, so that the pages read do not
stay counted in the process's resident memory.
"""

from __future__ import annotations

import mmap
import tempfile
from collections.abc import Iterator
from typing import IO

import numpy as np

#: Rows per chunk when a whole spilled array is walked.
CHUNK_ROWS = 50_000


def chunk_ranges(n: int, size: int = CHUNK_ROWS) -> Iterator[slice]:
    """Slices that cover ``range(n)`` in order, ``size`` rows each (the last one shorter)."""
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def release(array: np.ndarray) -> None:
    """Drop a spilled array's pages from this process's resident set (they stay in the page
    cache and are read back on use); nothing for an array in memory."""
    handle = getattr(array, "_mmap", None)
    if isinstance(handle, mmap.mmap) and hasattr(handle, "madvise"):
        handle.madvise(mmap.MADV_DONTNEED)


class VectorStore:
    """Append float32 rows of width ``dim``; keep them in memory up to ``spill_rows`` rows.

    Parameters
    ----------
    dim
        Width of every row (None: the width of the first rows appended).
    spill_rows
        Above this many rows the store moves to a temporary file (in ``$TMPDIR``).
    """

    def __init__(self, dim: int | None, spill_rows: int) -> None:
        self.dim = dim
        self.spill_rows = spill_rows
        self._parts: list[np.ndarray] = []
        self._file: IO[bytes] | None = None
        self.n_rows = 0

    @property
    def is_spilled(self) -> bool:
        """Whether the rows live in a temporary file."""
        return self._file is not None

    def append(self, vectors: np.ndarray) -> None:
        """Add rows (m, dim)."""
        if self.dim is None:
            self.dim = int(vectors.shape[1])
        rows = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        self.n_rows += len(rows)
        if self._file is None and self.n_rows > self.spill_rows:
            self._file = tempfile.TemporaryFile(prefix="shift-analyzer-vectors-")  # noqa: SIM115
            for part in self._parts:
                self._file.write(part.tobytes())
            self._parts = []
        if self._file is not None:
            self._file.write(rows.tobytes())
        else:
            self._parts.append(rows)

    def finish(self) -> np.ndarray:
        """All rows as one (n, dim) array (read-only and file-backed once spilled)."""
        if self._file is None:
            if not self._parts:
                return np.zeros((0, self.dim or 0), dtype=np.float32)
            return self._parts[0] if len(self._parts) == 1 else np.concatenate(self._parts)
        self._file.flush()
        dim = int(self.dim or 0)
        array: np.ndarray = np.memmap(
            self._file, dtype=np.float32, mode="r", shape=(self.n_rows, dim)
        )
        self._file.close()  # the mapping holds its own reference to the unlinked file
        self._file = None
        return array


def take(array: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``array[rows]`` (rows: an index array) in memory. A spilled array is read one
    :data:`CHUNK_ROWS` range of its rows at a time, each range's pages released after it is
    read, so the resident set never holds more of the file than one range (reading every row
    at once held all of it: 732 MiB at 500,000 x 384)."""
    rows = np.asarray(rows, dtype=np.int64)
    if getattr(array, "_mmap", None) is None:
        return np.asarray(array[rows])
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    out = np.empty((len(rows), *array.shape[1:]), dtype=array.dtype)
    for part in chunk_ranges(len(array), CHUNK_ROWS):
        low, high = np.searchsorted(ordered, [part.start, part.stop])
        if high > low:
            out[order[low:high]] = array[ordered[low:high]]
            release(array)
    return out


def gather(vectors: np.ndarray, rows: np.ndarray, spill_rows: int) -> np.ndarray:
    """``vectors[rows]``, built chunk by chunk into a :class:`VectorStore` when that is more
    than ``spill_rows`` rows (the same values; in memory otherwise)."""
    if len(rows) <= spill_rows:
        return np.asarray(vectors[rows], dtype=np.float32)
    store = VectorStore(vectors.shape[1], spill_rows)
    for part in chunk_ranges(len(rows)):
        store.append(vectors[rows[part]])
    release(vectors)
    return store.finish()


def stack(first: np.ndarray, second: np.ndarray, spill_rows: int) -> np.ndarray:
    """``np.vstack([first, second])``, spilled like :func:`gather` above ``spill_rows`` rows."""
    if len(first) + len(second) <= spill_rows:
        return np.vstack([first, second])
    store = VectorStore(first.shape[1], spill_rows)
    for array in (first, second):
        for part in chunk_ranges(len(array)):
            store.append(array[part])
        release(array)
    return store.finish()
