"""Embedding spread over worker processes on one machine, one torch thread each.

Two processes with one thread each embed faster than one process with two threads (measured in
docs/scaling.md). Workers start with the ``spawn`` method (torch is not safe across ``fork``),
build their own copy of the model from a picklable factory, and encode chunks of texts; the
results come back in order. They never touch the embedding cache: :func:`embed_texts` hands them
only the texts the cache lacks and the parent process writes the cache.

A script that runs the analysis with workers must guard its entry point with
``if __name__ == "__main__":`` (as with any spawn-started pool); the CLI does.

Inside :func:`kept_pools` (one whole report or check) a pool stays open from one ``encode``
call to the next, so its processes start and load the model once per run, not once per chunk;
in auto mode a pool the reference opened also embeds the production, however few its texts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

import numpy as np

from analyzer.errors import ModelError

#: Below this many texts to embed, auto mode stays in one process (with a torch thread per idle
#: core): starting two workers (imports and model load) costs about 15 CPU-seconds on the build
#: machine, and two one-thread workers embed short queries only 17% faster than one process with
#: two threads (about 420 against 360 per second, quiet machine): break-even about 17,000 texts.
PARALLEL_MIN_TEXTS = 20_000
#: Auto mode's most workers: more processes than this rarely help one machine's memory bandwidth.
MAX_AUTO_WORKERS = 4
#: Texts per task sent to a worker, at most (results come back in order) ...
CHUNK_TEXTS = 512
#: ... and characters per task, at most: long prompts go in smaller tasks, so that one worker
#: does not get most of the work (600 long prompts were 2 tasks of 512 and 88 texts).
CHUNK_CHARS = 32_000

_worker_embedder: Any = None
#: Pools kept open inside :func:`kept_pools`, by (factory, number of workers); None outside.
_kept: dict[tuple[str, int], ProcessPoolExecutor] | None = None


@contextmanager
def kept_pools() -> Iterator[None]:
    """Keep each worker pool open across ``encode`` calls inside the block; shut them at exit."""
    global _kept
    if _kept is not None:  # nested: the outer block owns the pools
        yield
        return
    _kept = {}
    try:
        yield
    finally:
        pools, _kept = _kept, None
        for pool in pools.values():
            pool.shutdown(wait=True, cancel_futures=True)


def available_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def idle_cores() -> int:
    """Cores that other processes leave free (at least 1): all cores less the CPU time other
    processes used in the last fifth of a second, or less the 1-minute load average beyond this
    process's own where that cannot be read. On a shared machine two processes, or two threads,
    on cores that others keep busy embed at half the speed of one (docs/scaling.md). A short
    sample and not the load average first: the load average still counts, for a minute, the
    worker processes this run (or the run before) has just stopped."""
    cores = available_cores()
    busy = busy_elsewhere()
    if busy is None:
        try:
            busy = max(0.0, os.getloadavg()[0] - 1.0)
        except OSError:  # not available on this platform
            return cores
    return max(1, min(cores, round(cores - busy)))


#: Seconds of the CPU sample behind :func:`busy_elsewhere`, and how long its answer is reused.
SAMPLE_S, SAMPLE_REUSE_S = 0.2, 2.0
_last_sample: tuple[float, float] | None = None


def _cpu_seconds() -> tuple[float, float, float] | None:
    """(busy seconds of the cores this process may run on, this process's CPU seconds, the
    time) now; None off Linux. Only those cores: on a large host, a container's own two cores
    are what matters, not the host's other jobs."""
    try:
        allowed = os.sched_getaffinity(0)
        with open("/proc/stat", encoding="ascii") as stat:
            lines = [line.split() for line in stat if line[:3] == "cpu" and line[3].isdigit()]
        busy = 0.0
        for fields in lines:
            if int(fields[0][3:]) in allowed:
                values = [float(v) for v in fields[1:9]]
                busy += sum(values) - values[3] - values[4]  # less idle and iowait
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    own = os.times()
    return busy / os.sysconf("SC_CLK_TCK"), own.user + own.system, time.monotonic()


def busy_elsewhere() -> float | None:
    """Cores other processes kept busy over a short sample (:data:`SAMPLE_S`), reused for
    :data:`SAMPLE_REUSE_S`; None where /proc/stat cannot be read."""
    global _last_sample
    now = time.monotonic()
    if _last_sample is not None and now - _last_sample[0] < SAMPLE_REUSE_S:
        return _last_sample[1]
    first = _cpu_seconds()
    if first is None:
        return None
    time.sleep(SAMPLE_S)
    second = _cpu_seconds()
    if second is None:
        return None
    elapsed = second[2] - first[2]
    busy = max(0.0, (second[0] - first[0]) - (second[1] - first[1])) / elapsed
    busy = min(busy, float(available_cores()))  # clock ticks are coarse: never above the cores
    _last_sample = (second[2], busy)
    return busy


def resolve_workers(workers: int | None, n_texts: int, device: str) -> int:
    """Worker processes for embedding ``n_texts`` texts on ``device`` ("cpu" or "cuda").

    ``None`` (auto): as many as there are idle cores (:func:`idle_cores`), at most 4, on the
    CPU when there are at least ``PARALLEL_MIN_TEXTS`` texts, else 1. 0 and 1 mean in-process.
    A GPU is driven from one process.
    """
    if device != "cpu" or n_texts == 0:
        return 1
    if workers is None:
        if n_texts < PARALLEL_MIN_TEXTS:
            return 1
        workers = min(idle_cores(), MAX_AUTO_WORKERS)
    chunks = -(-n_texts // CHUNK_TEXTS)
    return max(1, min(workers, chunks))


def _init_worker(factory: Callable[[], Any]) -> None:
    """Run once in each worker: one thread for torch and the tokenizers, then the model."""
    global _worker_embedder
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = "1"
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    _worker_embedder = factory()


def _encode_chunk(texts: list[str]) -> np.ndarray:
    return np.asarray(_worker_embedder.encode(texts), dtype=np.float32)


def _by_length(texts: Sequence[str]) -> np.ndarray:
    """Order of the texts by length, so each chunk pads its batches little."""
    return np.argsort(np.fromiter((len(t) for t in texts), dtype=np.int64), kind="stable")


def chunk_bounds(texts: Sequence[str], order: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) positions in ``order`` of the tasks: consecutive texts, at most
    :data:`CHUNK_TEXTS` of them and :data:`CHUNK_CHARS` characters (at least one text)."""
    bounds: list[tuple[int, int]] = []
    start, chars = 0, 0
    for position, index in enumerate(order):
        size = len(texts[index])
        if position > start and (position - start >= CHUNK_TEXTS or chars + size > CHUNK_CHARS):
            bounds.append((start, position))
            start, chars = position, 0
        chars += size
    if start < len(order):
        bounds.append((start, len(order)))
    return bounds


def encode_in_workers(
    factory: Callable[[], Any],
    texts: Sequence[str],
    workers: int,
    on_chunk: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Encode ``texts`` (at least one) in ``workers`` spawned processes; return (n, d) float32
    rows in the order of ``texts``.

    ``factory`` is a picklable callable returning an embedder with ``encode`` (called once per
    worker); ``on_chunk`` is called with the number of texts of each finished chunk.
    """
    order = _by_length(texts)
    chunks = [[texts[i] for i in order[a:b]] for a, b in chunk_bounds(texts, order)]
    out: np.ndarray | None = None
    key = (repr(factory), workers)
    pool = _kept.get(key) if _kept is not None else None
    if pool is None:
        import multiprocessing

        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(factory,),
        )
        if _kept is not None:
            _kept[key] = pool
    try:
        start = 0
        for vectors in pool.map(_encode_chunk, chunks):
            if out is None:
                out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
            out[order[start : start + len(vectors)]] = vectors
            start += len(vectors)
            if on_chunk is not None:
                on_chunk(len(vectors))
    except BrokenProcessPool as exc:
        if _kept is not None:
            _kept.pop(key, None)
        raise ModelError(
            f"The embedding worker processes stopped ({str(exc).rstrip('.')}). A script that "
            "runs the analysis with workers must guard its entry point with "
            '`if __name__ == "__main__":`; otherwise pass workers=1 to embed in this process.'
        ) from exc
    finally:
        if _kept is None or _kept.get(key) is not pool:
            pool.shutdown(wait=True)
    assert out is not None  # at least one chunk
    return out


def _kept_count(factory: Callable[[], Any]) -> int | None:
    """Workers of a pool for ``factory`` already open inside :func:`kept_pools`: in auto mode
    such a pool takes every later ``encode`` call, however few its texts (its start is paid)."""
    if not _kept:
        return None
    counts = [count for (key, count) in _kept if key == repr(factory)]
    return max(counts) if counts else None


def encode_spread(
    texts: Sequence[str],
    workers: int | None,
    device: str,
    factory: Callable[[], Any],
    encode_here: Callable[[Sequence[str]], np.ndarray],
    show_progress: bool = False,
) -> np.ndarray:
    """Encode in worker processes built by ``factory`` when :func:`resolve_workers` says so,
    else with ``encode_here`` in this process; what every backend's ``encode`` does."""
    kept = _kept_count(factory) if workers is None else None
    count = kept or resolve_workers(workers, len(texts), device)
    if count <= 1:
        return encode_here(texts)
    if not show_progress:
        return encode_in_workers(factory, texts, count)
    from tqdm.auto import tqdm

    with tqdm(total=len(texts), desc=f"Embedding ({count} processes)") as bar:
        return encode_in_workers(factory, texts, count, on_chunk=bar.update)
