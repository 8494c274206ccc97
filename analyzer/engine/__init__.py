"""Engines: where the per-row stages of a production batch run (docs/scaling.md, Engines).

``local`` runs them in this process (with the embedding's worker processes), ``chunk_rows``
distinct texts at a time; ``ray`` runs them as Ray Data ``map_batches`` over an actor pool
(:mod:`analyzer.engine.raydata`, the ``[ray]`` extra). Both return the same
:class:`~analyzer.engine.rows.ScoredRows` and place the points beyond the map's fitted sample
through an :data:`~analyzer.regions.map.Assigner`; the driver keeps the fit and the statistics.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

import numpy as np

from analyzer.config import EngineConfig, Progress
from analyzer.coverage.index import NeighborIndex
from analyzer.embed import Embedder
from analyzer.engine.rows import RowSpec, ScoredRows
from analyzer.regions.map import Assigner


class Engine(Protocol):
    """An open engine: the per-row stages of a batch, and the map's assignment."""

    def rows(self, texts: Sequence[str]) -> ScoredRows:
        """Every production row as sent through normalize, embed, coverage and detectors."""
        ...

    def assigner(self, embeddings: np.ndarray) -> Assigner:
        """An assigner of the map's points beyond its fitted sample, reading ``embeddings``
        (n, d), the joint points' vectors."""
        ...


def check_engine(config: EngineConfig) -> None:
    """Fail early, before any work, when the configured engine cannot run here: Ray missing, or
    a Ray address that does not answer."""
    if config.kind == "ray":
        from analyzer.engine.raydata import check_reachable, import_ray

        import_ray()
        if config.ray_address is not None:
            check_reachable(config.ray_address)


@contextmanager
def open_engine(
    config: EngineConfig,
    spec: RowSpec,
    embedder: Embedder,
    progress: Progress | None = None,
    index: NeighborIndex | None = None,
) -> Iterator[Engine]:
    """The engine ``config.kind`` for one run; what it started is stopped at exit.

    ``embedder`` is the driver's (the local engine uses it; Ray actors build their own from
    ``spec`` unless ``spec.embedder`` is set); ``index`` the driver's coverage index.
    """
    if config.kind == "ray":
        from analyzer.engine.raydata import RayEngine

        with RayEngine(config, spec, embedder, progress) as ray_engine:
            yield ray_engine
        return
    from analyzer.engine.local import LocalEngine

    with LocalEngine(config, spec, embedder, progress, index) as local_engine:
        yield local_engine


__all__ = ["Engine", "RowSpec", "ScoredRows", "check_engine", "open_engine"]
