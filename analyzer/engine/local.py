"""The local engine: the per-row stages in this process, ``chunk_rows`` distinct texts at a
time, so memory holds one chunk's work, the per-row results and the vectors (which spill to a
temporary file past one chunk, :mod:`analyzer.spill`)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from types import TracebackType
from typing import Self

import numpy as np

from analyzer.config import EngineConfig, Progress
from analyzer.coverage.index import NeighborIndex
from analyzer.embed import Embedder, EmbeddingCache
from analyzer.embed.workers import kept_pools
from analyzer.engine.rows import (
    RowCollector,
    RowSpec,
    RowWorker,
    ScoredRows,
    cache_new,
    distinct_as_sent,
)
from analyzer.regions.map import Assigner, local_assigner
from analyzer.spill import chunk_ranges


class LocalEngine:
    """The per-row stages here, chunk by chunk (a context manager: embedding worker processes
    stay open from one chunk to the next and close at exit).

    Parameters
    ----------
    config
        ``chunk_rows``: distinct texts per chunk, and rows kept in memory before vectors spill.
    spec
        The fitted state (coverage) and settings.
    embedder
        The driver's embedder.
    progress
        Called with a short message per chunk.
    index
        The reference's coverage index, when the driver has it.
    """

    def __init__(
        self,
        config: EngineConfig,
        spec: RowSpec,
        embedder: Embedder,
        progress: Progress | None = None,
        index: NeighborIndex | None = None,
    ) -> None:
        self.index = index
        self.config = config
        self.spec = spec
        self.embedder = embedder
        self.progress = progress
        self._stack = ExitStack()

    def __enter__(self) -> Self:
        self._stack.enter_context(kept_pools())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stack.close()

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def rows(self, texts: Sequence[str]) -> ScoredRows:
        """Every production row through normalize, embed, coverage and detectors."""
        spec, chunk = self.spec, self.config.chunk_rows
        distinct, row_part = distinct_as_sent(texts)
        cache = EmbeddingCache(spec.cache_dir) if spec.cache_dir else None
        worker = RowWorker(spec, self.embedder, self.index, self.progress)
        collector = RowCollector(None, chunk)
        parts = list(chunk_ranges(len(distinct), chunk))
        for number, part in enumerate(parts, 1):
            if len(parts) > 1:
                self._say(f"production chunk {number} of {len(parts)}")
            piece = worker.run(distinct[part])
            first = collector.add_part(piece)
            cache_new(cache, self.embedder.model_id, piece, first, spec.embed.max_chars)
        return collector.finish(row_part)

    def assigner(self, embeddings: np.ndarray) -> Assigner:
        """Place the points beyond the fitted sample here, ``chunk_rows`` at a time."""
        return local_assigner(embeddings, self.config.chunk_rows)
