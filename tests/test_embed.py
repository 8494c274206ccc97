from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.embed import (
    DEFAULT_MODEL_SHA256,
    EmbeddingCache,
    embed_texts,
    file_sha256,
    packaged_model_dir,
    resolve_model,
    text_key,
)
from analyzer.embed.model import DEFAULT_MODEL_FILES_SHA256
from analyzer.embed.weights import model_digest
from analyzer.errors import ModelError
from tests.builders import HashingEmbedder


class CountingEmbedder:
    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls: list[int] = []

    model_id = "counting"
    dimension = 64

    def encode(self, texts):
        self.calls.append(len(texts))
        return self.inner.encode(texts)


def test_cache_embeds_each_text_once_across_runs(tmp_path: Path, hashing_embedder) -> None:
    embedder = CountingEmbedder(hashing_embedder)
    cache = EmbeddingCache(tmp_path)
    first, new = embed_texts(["a b", "c d", "a b"], embedder, cache)
    assert new == 2 and embedder.calls == [2]
    second, new = embed_texts(["c d", "e f", "a b"], embedder, cache)
    assert new == 1 and embedder.calls == [2, 1]
    np.testing.assert_allclose(second[0], first[1])
    np.testing.assert_allclose(second[2], first[0])


def test_cache_compacts_many_shards_without_losing_vectors(
    tmp_path: Path, hashing_embedder
) -> None:
    cache = EmbeddingCache(tmp_path)
    texts = [f"query number {i}" for i in range(EmbeddingCache.max_shards + 3)]
    for text in texts:
        embed_texts([text], hashing_embedder, cache)
    shards = list((tmp_path / "hashing-trigrams-64").glob("keys-*.npy"))
    assert len(shards) <= EmbeddingCache.max_shards
    found = cache.lookup("hashing-trigrams-64", [text_key(t) for t in texts])
    assert len(found) == len(texts)


def test_cache_ignores_a_torn_shard(tmp_path: Path, hashing_embedder) -> None:
    cache = EmbeddingCache(tmp_path)
    embed_texts(["hello"], hashing_embedder, cache)
    for path in (tmp_path / "hashing-trigrams-64").glob("vectors-*.npy"):
        path.write_bytes(b"garbage")
    vectors, new = embed_texts(["hello"], hashing_embedder, cache)
    assert new == 1 and vectors.shape == (1, 64)


def test_keys_ending_in_zero_bytes_are_found(tmp_path: Path, hashing_embedder, monkeypatch) -> None:
    from analyzer import embed

    monkeypatch.setattr(embed, "text_key", lambda text: text.encode()[:8].ljust(16, b"\0"))
    cache = EmbeddingCache(tmp_path)
    embed_texts(["ab", "cd"], hashing_embedder, cache)
    counting = CountingEmbedder(hashing_embedder)
    counting.model_id = hashing_embedder.model_id
    _, new = embed_texts(["ab", "cd"], counting, cache)
    assert new == 0 and counting.calls == []


def test_clipping_makes_long_texts_share_a_key(hashing_embedder) -> None:
    texts = ["x" * 50 + "tail one", "x" * 50 + "tail two"]
    vectors, new = embed_texts(texts, hashing_embedder, None, max_chars=50)
    assert new == 1
    np.testing.assert_allclose(vectors[0], vectors[1])


def test_packaged_model_is_verified_by_hash() -> None:
    location, digest = resolve_model("all-MiniLM-L6-v2")
    assert digest == DEFAULT_MODEL_SHA256
    assert Path(location) == packaged_model_dir()
    assert file_sha256(packaged_model_dir() / "model.safetensors") == DEFAULT_MODEL_SHA256


def test_a_model_folder_is_identified_by_every_file_that_shapes_its_vectors(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    (folder / "1_Pooling").mkdir(parents=True)
    (folder / "model-00001-of-00002.safetensors").write_bytes(b"shard one")
    (folder / "model-00002-of-00002.safetensors").write_bytes(b"shard two")
    (folder / "tokenizer.json").write_text('{"vocab": 1}')
    (folder / "1_Pooling" / "config.json").write_text('{"mean": true}')
    (folder / "README.md").write_text("about the model")
    location, digest = resolve_model(str(folder))
    assert location == str(folder) and digest == model_digest(folder)
    (folder / "README.md").write_text("edited notes")  # no effect on the vectors
    assert model_digest(folder) == digest
    for changed in ("model-00002-of-00002.safetensors", "tokenizer.json", "1_Pooling/config.json"):
        original = (folder / changed).read_bytes()
        (folder / changed).write_bytes(original + b" ")
        assert model_digest(folder) != digest, changed
        (folder / changed).write_bytes(original)
    assert model_digest(folder) == digest


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), r"holds no weight file .* cannot be hashed and is refused"),
        (lambda p: None, r"neither a folder nor in the local Hugging Face cache"),
    ],
)
def test_a_model_that_cannot_be_hashed_is_refused(tmp_path: Path, make, message: str) -> None:
    folder = tmp_path / "no-model"
    make(folder)
    with pytest.raises(ModelError, match=message):
        resolve_model(str(folder))


def test_the_packaged_model_files_are_verified_with_the_weights() -> None:
    assert model_digest(packaged_model_dir()) == DEFAULT_MODEL_FILES_SHA256


@pytest.mark.e2e
def test_real_model_gives_unit_vectors_and_sensible_neighbours() -> None:
    from analyzer.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    vectors = embedder.encode(
        ["how do I reset my password", "I forgot my password", "best pizza in rome"]
    )
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    assert embedder.model_id.startswith("all-MiniLM-L6-v2@53aa51172d142c89")


# ---- worker processes and devices -------------------------------------------------------------


def _dying_factory():
    """A worker factory whose process dies at start (as an unguarded script's worker would)."""

    os._exit(3)


def test_workers_return_the_in_process_vectors_in_order(hashing_embedder) -> None:
    from analyzer.embed import workers

    rng = np.random.default_rng(0)
    # Lengths out of order, so the by-length chunks come back in another order than asked.
    texts = [f"query {i} " + "word " * int(rng.integers(0, 30)) for i in range(1100)]
    vectors = workers.encode_in_workers(HashingEmbedder, texts, 2)
    np.testing.assert_array_equal(vectors, hashing_embedder.encode(texts))


def test_a_worker_that_dies_is_a_clear_error() -> None:
    from analyzer.embed.workers import encode_in_workers
    from analyzer.errors import ModelError

    message = r"worker processes stopped \(.*\)\. A script .* `if __name__ == "
    with pytest.raises(ModelError, match=message):
        encode_in_workers(_dying_factory, ["a", "b"], 2)


@pytest.mark.parametrize(
    ("workers", "n_texts", "device", "expected"),
    [
        (None, 100, "cpu", 1),  # auto: too few texts to pay for starting processes
        (None, 19_999, "cpu", 1),
        (None, 50_000, "cpu", "auto"),
        (0, 50_000, "cpu", 1),
        (1, 50_000, "cpu", 1),
        (3, 50_000, "cpu", 3),
        (3, 600, "cpu", 2),  # never more workers than chunks of texts
        (3, 50_000, "cuda", 1),  # one process drives a GPU
        (None, 0, "cpu", 1),
    ],
)
def test_worker_count_rules(monkeypatch, workers, n_texts, device, expected) -> None:
    from analyzer.embed import workers as module

    monkeypatch.setattr(module, "idle_cores", lambda: 8)
    if expected == "auto":
        expected = module.MAX_AUTO_WORKERS
    assert module.resolve_workers(workers, n_texts, device) == expected


@pytest.mark.parametrize(
    ("cores", "load", "idle"),
    [(2, 0.2, 2), (2, 1.0, 2), (2, 3.4, 1), (8, 3.0, 6), (4, 40.0, 1)],
)
def test_idle_cores_leave_out_what_other_processes_keep_busy(
    monkeypatch, cores: int, load: float, idle: int
) -> None:
    from analyzer.embed import workers as module

    monkeypatch.setattr(module, "available_cores", lambda: cores)
    monkeypatch.setattr(module, "busy_elsewhere", lambda: None)  # no /proc/stat: load average
    monkeypatch.setattr("os.getloadavg", lambda: (load, load, load))
    assert module.idle_cores() == idle


@pytest.mark.parametrize(
    ("cores", "busy", "idle"), [(2, 0.0, 2), (2, 0.6, 1), (2, 1.9, 1), (8, 2.2, 6)]
)
def test_idle_cores_follow_the_short_cpu_sample_first(
    monkeypatch, cores: int, busy: float, idle: int
) -> None:
    from analyzer.embed import workers as module

    monkeypatch.setattr(module, "available_cores", lambda: cores)
    monkeypatch.setattr(module, "busy_elsewhere", lambda: busy)
    monkeypatch.setattr("os.getloadavg", lambda: (9.0, 9.0, 9.0))  # a lagging load average
    assert module.idle_cores() == idle


def test_busy_elsewhere_leaves_out_this_process_own_cpu_time() -> None:
    from analyzer.embed import workers as module

    module._last_sample = None
    busy = module.busy_elsewhere()  # this process sleeps through the sample
    assert busy is not None and 0.0 <= busy <= module.available_cores()
    assert module.busy_elsewhere() == busy  # reused within SAMPLE_REUSE_S


def test_auto_workers_stay_in_process_on_a_busy_machine(monkeypatch) -> None:
    from analyzer.embed import workers as module

    monkeypatch.setattr(module, "available_cores", lambda: 2)
    monkeypatch.setattr(module, "busy_elsewhere", lambda: 1.7)
    assert module.resolve_workers(None, 50_000, "cpu") == 1
    assert module.resolve_workers(2, 50_000, "cpu") == 2  # asked for: as asked


def test_auto_device_is_cuda_only_when_torch_sees_a_gpu(monkeypatch) -> None:
    import torch

    from analyzer.embed.model import resolve_device
    from analyzer.errors import ModelError

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu" and resolve_device("cpu") == "cpu"
    with pytest.raises(ModelError, match=r"device='cuda' was asked for, but torch .* sees no CUDA"):
        resolve_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda" and resolve_device("cpu") == "cpu"


def test_model_id_depends_on_neither_device_nor_workers() -> None:
    from analyzer.config import EmbedConfig
    from analyzer.embed import make_embedder

    ids = {
        make_embedder(EmbedConfig(device=device, workers=workers)).model_id
        for device in ("auto", "cpu", "cuda")
        for workers in (None, 0, 4)
    }
    assert len(ids) == 1


@pytest.mark.e2e
def test_two_worker_processes_give_the_in_process_vectors(clinc, tmp_path: Path) -> None:
    from analyzer.embed import SentenceTransformerEmbedder

    texts = clinc["text"].drop_duplicates().sample(1100, random_state=0).tolist()
    texts += ["a much longer query, " * 40]  # one long text in the last chunk
    alone = SentenceTransformerEmbedder(device="cpu", workers=1).encode(texts)
    spread = SentenceTransformerEmbedder(device="cpu", workers=2).encode(texts)
    difference = float(np.abs(alone - spread).max())
    print(f"max abs difference, 2 workers vs in-process: {difference:.2e}")
    assert difference < 1e-5, difference
    cache = EmbeddingCache(tmp_path)
    counting = CountingEmbedder(SentenceTransformerEmbedder(device="cpu", workers=2))
    counting.model_id = SentenceTransformerEmbedder().model_id
    embed_texts(texts[:600], counting, cache)
    _, new = embed_texts(texts, counting, cache)  # only the 502 missing texts go to workers
    assert new == len(texts) - 600 and counting.calls == [600, len(texts) - 600]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40_000), max_size=1_500))
def test_worker_tasks_cover_every_text_once_within_both_limits(sizes: list[int]) -> None:
    from analyzer.embed.workers import CHUNK_CHARS, CHUNK_TEXTS, _by_length, chunk_bounds

    texts = ["x" * size for size in sizes]
    order = _by_length(texts)
    bounds = chunk_bounds(texts, order)
    assert [a for a, _ in bounds] == [0, *[b for _, b in bounds[:-1]]][: len(bounds)]
    assert (bounds[-1][1] if bounds else 0) == len(texts)
    for a, b in bounds:
        chars = sum(len(texts[i]) for i in order[a:b])
        assert 0 < b - a <= CHUNK_TEXTS
        assert chars <= CHUNK_CHARS or b - a == 1  # one text longer than the limit goes alone
