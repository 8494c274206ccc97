"""The Ray engine: the per-row stages as Ray Data ``map_batches`` over an actor pool.

Each actor builds the embedder (model loaded once per actor, one torch thread, or one GPU when
the cluster has them), the embedding cache and the reference's coverage index from the
:class:`~analyzer.engine.rows.RowSpec` the driver fitted, then runs normalize -> embed ->
coverage -> detectors on batches of distinct production texts; a second pool places the map's
points beyond its fitted sample. The driver keeps the fit and every statistic, writes the
embedding cache, and puts the batches back together in order. ``ray`` is imported here only:
it is the ``[ray]`` extra.

Batches travel between the driver and the actors as pickled :class:`RowPart` objects through
Ray's object store (trusted processes of one run; nothing of it is saved).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import pickle
import socket
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import numpy as np

from analyzer.config import EngineConfig, Progress
from analyzer.config.analysis import ray_endpoint
from analyzer.embed import Embedder, EmbeddingCache
from analyzer.engine.rows import (
    RowCollector,
    RowPart,
    RowSpec,
    RowWorker,
    ScoredRows,
    cache_new,
    distinct_as_sent,
)
from analyzer.errors import ConfigError
from analyzer.regions.map import Assigned, Assigner, FittedMap, assign_points
from analyzer.spill import chunk_ranges

#: CPUs Ray reserves per actor: fractional, so that Ray's own read and split tasks always find
#: a free CPU (with whole CPUs, 2 actors on 2 cores hung: the read task never got one).
ACTOR_CPUS = 0.5
#: Actors of a Ray this engine starts on one machine, at most.
MAX_LOCAL_ACTORS = 8
#: Distinct texts per batch sent to an actor, at most (fewer when that leaves actors idle).
BATCH_ROWS = 2_000
#: Seconds to wait for a Ray address to answer before giving up: left to itself, Ray retries
#: an unreachable address for about two minutes before it says so.
CONNECT_TIMEOUT_S = 10


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """A ConfigError unless the address's host accepts a connection on its port within
    ``timeout`` seconds."""
    endpoint = ray_endpoint(address)
    if endpoint is None:
        return
    try:
        with socket.create_connection(endpoint, timeout=timeout):
            pass
    except OSError as exc:
        reason = "no answer" if isinstance(exc, TimeoutError) else exc.strerror or str(exc)
        raise ConfigError(
            f"Cannot reach Ray at {address} ({reason} within {timeout:g} s). Check "
            "--ray-address: the head node's address and port, reachable from this machine "
            "(auto on a node of the cluster, ray://host:10001 through Ray Client)."
        ) from exc


#: Seconds Ray may wait for a reachable cluster's control store (GCS) to answer when joining.
GCS_WAIT_S = 30


@contextlib.contextmanager
def _gcs_wait(seconds: int) -> Iterator[None]:
    """Ray's wait for the cluster's control store bounded to ``seconds`` (unless the user set
    ``RAY_gcs_server_port_wait_time_s``): an address that accepts connections but is not Ray
    then fails in seconds, not minutes."""
    name = "RAY_gcs_server_port_wait_time_s"
    if name in os.environ:
        yield
        return
    os.environ[name] = str(seconds)
    try:
        yield
    finally:
        os.environ.pop(name, None)


def import_ray() -> Any:
    """The ``ray`` module with Ray Data; a ConfigError naming the extra when it is missing."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ConfigError(
            f"--engine ray needs Ray Data, which cannot be imported ({exc}). Install it with "
            "pip install 'shift-analyzer[ray]', or use --engine local."
        ) from exc
    return ray


class _RowActor:
    """A Ray actor: the per-row stages of batches of texts, with one model loaded."""

    def __init__(self, spec: RowSpec, device: str) -> None:
        import torch

        torch.set_num_threads(1)
        self.worker = RowWorker(spec.for_worker(device))

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        part = self.worker.run([str(t) for t in batch["text"]])
        return {"part": np.array([pickle.dumps(part)], dtype=object)}


class _AssignActor:
    """A Ray actor: places chunks of vectors from the fitted map's nearest points."""

    def __init__(self, fitted: FittedMap) -> None:
        self.fitted = fitted
        self.index = fitted.index()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        placed = [
            pickle.dumps(assign_points(self.fitted, pickle.loads(blob), self.index))
            for blob in batch["vectors"]
        ]
        return {"placed": np.array(placed, dtype=object)}


class RayEngine:
    """The per-row stages on Ray (a context manager: a Ray it started stops at exit).

    Parameters
    ----------
    config
        ``ray_address`` (None: a Ray on this machine for the run), ``ray_actors`` and
        ``chunk_rows`` (rows kept in memory on the driver before vectors spill).
    spec
        The fitted state and settings the actors need.
    embedder
        The driver's embedder: its model id names the vectors in the cache.
    progress
        Called with a short message at each step.
    """

    def __init__(
        self,
        config: EngineConfig,
        spec: RowSpec,
        embedder: Embedder,
        progress: Progress | None = None,
    ) -> None:
        self.config = config
        self.spec = spec
        self.embedder = embedder
        self.progress = progress
        self._started = False

    def __enter__(self) -> Self:
        ray = import_ray()
        self.ray = ray
        if not ray.is_initialized():
            package = str(Path(__file__).resolve().parents[1])
            runtime_env = {"py_modules": [package], "excludes": ["__pycache__", "*.pyc"]}
            options: dict[str, Any] = {
                "runtime_env": runtime_env,
                "logging_level": logging.ERROR,
                "log_to_driver": False,
                "include_dashboard": False,
            }
            if self.config.ray_address is None:
                options["num_cpus"] = os.cpu_count() or 1
            else:
                check_reachable(self.config.ray_address)
                options["address"] = self.config.ray_address
                if self.config.ray_address.startswith("ray://"):
                    options.pop("include_dashboard")
            joining = self.config.ray_address is not None
            try:
                with _gcs_wait(GCS_WAIT_S) if joining else contextlib.nullcontext():
                    ray.init(**options)
            except (ConnectionError, ValueError, RuntimeError) as exc:
                raise ConfigError(
                    f"Cannot start or join Ray at {self.config.ray_address or 'this machine'}: "
                    f"{exc}. Check --ray-address (auto, or ray://host:10001)."
                ) from exc
            self._started = True
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._started:
            self.ray.shutdown()
            self._started = False

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def _pool(self) -> tuple[int, float, float, str]:
        """Actors, CPUs and GPUs per actor, and the device they embed on."""
        resources = self.ray.cluster_resources()
        gpus = int(resources.get("GPU", 0))
        cpus = max(1, int(resources.get("CPU", 1)))
        if gpus and self.spec.embed.device != "cpu":
            return self.config.ray_actors or gpus, ACTOR_CPUS, 1.0, "cuda"
        default = min(cpus, MAX_LOCAL_ACTORS) if self.config.ray_address is None else cpus
        return self.config.ray_actors or default, ACTOR_CPUS, 0.0, "cpu"

    def rows(self, texts: Sequence[str]) -> ScoredRows:
        """Every production row through the per-row stages on the actors."""
        import pandas as pd

        ray, spec = self.ray, self.spec
        distinct, row_part = distinct_as_sent(texts)
        actors, cpus, gpus, device = self._pool()
        batch = max(64, min(BATCH_ROWS, math.ceil(len(distinct) / (4 * actors))))
        self._say(f"Ray: {len(distinct)} distinct texts, {actors} actors on {device}")
        if self.config.ray_address is not None:  # the cluster may not see this machine's files
            spec = RowSpec(spec.embed, None, spec.cover, spec.fit, spec.reference, spec.embedder)
        frames = [
            pd.DataFrame({"text": distinct[part]}) for part in chunk_ranges(len(distinct), batch)
        ]
        dataset = ray.data.from_pandas(frames).map_batches(
            _RowActor,
            fn_constructor_args=(spec, device),
            batch_size=batch,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=cpus,
            num_gpus=gpus,
            max_restarts=0,  # a failed actor fails the run rather than retrying without its spec
        )
        collector = RowCollector(None, self.config.chunk_rows)
        folder = self.spec.cache_dir
        cache = EmbeddingCache(folder) if folder else None
        for row in dataset.iter_rows():
            part: RowPart = pickle.loads(row["part"])
            first = collector.add_part(part)
            cache_new(cache, self.embedder.model_id, part, first, spec.embed.max_chars)
        return collector.finish(row_part)

    def assigner(self, embeddings: np.ndarray) -> Assigner:
        """Place the points beyond the fitted sample on the actors."""

        def assign(fitted: FittedMap, points: np.ndarray) -> Assigned:
            actors, cpus, _, _ = self._pool()
            size = max(256, min(self.config.chunk_rows, math.ceil(len(points) / (4 * actors))))
            items = [
                {"vectors": pickle.dumps(np.asarray(embeddings[points[part]], np.float32))}
                for part in chunk_ranges(len(points), size)
            ]
            dataset = self.ray.data.from_items(items).map_batches(
                _AssignActor,
                fn_constructor_args=(fitted,),
                batch_size=1,
                batch_format="numpy",
                compute=self.ray.data.ActorPoolStrategy(size=min(actors, len(items))),
                num_cpus=cpus,
                max_restarts=0,
            )
            parts = [pickle.loads(row["placed"]) for row in dataset.iter_rows()]
            return Assigned(
                np.concatenate([p.labels for p in parts]),
                np.concatenate([p.coords for p in parts]),
                np.concatenate([p.map_xy for p in parts]),
            )

        return assign
