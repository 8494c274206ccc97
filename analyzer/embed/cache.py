"""On-disk embedding cache keyed by (model id, text hash), and ``embed_texts`` through it."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from analyzer.config import EmbedConfig
from analyzer.embed.model import Embedder

KEY_BYTES = 16


def text_key(text: str) -> bytes:
    """Return the 16-byte cache key of a text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


def _key_array(keys: Sequence[bytes]) -> np.ndarray:
    """Keys as an (n, 16) uint8 array (a fixed-width bytes dtype would drop trailing zero bytes)."""
    return np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, KEY_BYTES).copy()


def _key_bytes(array: np.ndarray) -> list[bytes]:
    """The inverse of ``_key_array``; a shard in any other layout yields no keys."""
    if array.dtype != np.uint8 or array.ndim != 2 or array.shape[1] != KEY_BYTES:
        return []
    raw = array.tobytes()
    return [raw[i : i + KEY_BYTES] for i in range(0, len(raw), KEY_BYTES)]


class EmbeddingCache:
    """On-disk embedding cache keyed by (model id, text hash).

    Each write adds one shard (``keys-*.npy`` of 16-byte hashes and ``vectors-*.npy``) under a
    folder per model; shards are merged when there are many. No pickle: plain ``.npy`` arrays.
    """

    max_shards = 16

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _folder(self, model_id: str) -> Path:
        safe = "".join(c if c.isalnum() or c in "-_.@" else "_" for c in model_id)
        return self.root / safe

    def _shards(self, model_id: str) -> list[tuple[Path, Path]]:
        folder = self._folder(model_id)
        if not folder.is_dir():
            return []
        pairs = []
        for keys in sorted(folder.glob("keys-*.npy")):
            vectors = keys.with_name(keys.name.replace("keys-", "vectors-"))
            if vectors.is_file():
                pairs.append((keys, vectors))
        return pairs

    def lookup(self, model_id: str, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """Return the cached vector of every key that is present."""
        wanted = set(keys)
        found: dict[bytes, np.ndarray] = {}
        for keys_path, vectors_path in self._shards(model_id):
            try:
                shard_keys = np.load(keys_path, allow_pickle=False)
                shard_vectors = np.load(vectors_path, allow_pickle=False, mmap_mode="r")
            except (OSError, ValueError):
                continue  # a torn shard is ignored; its texts are embedded again
            if len(shard_keys) != len(shard_vectors):
                continue
            for row, key in enumerate(_key_bytes(shard_keys)):
                if key in wanted and key not in found:
                    found[key] = np.array(shard_vectors[row], dtype=np.float32)
        return found

    def store(self, model_id: str, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Add vectors to the cache (atomic per shard)."""
        if len(keys) == 0:
            return
        folder = self._folder(model_id)
        folder.mkdir(parents=True, exist_ok=True)
        tag = uuid.uuid4().hex
        key_array = _key_array(keys)
        for name, array in (("vectors", vectors.astype(np.float32)), ("keys", key_array)):
            tmp = folder / f".{name}-{tag}.tmp.npy"
            np.save(tmp, array, allow_pickle=False)
            os.replace(tmp, folder / f"{name}-{tag}.npy")
        if len(self._shards(model_id)) > self.max_shards:
            self._compact(model_id)

    def _compact(self, model_id: str) -> None:
        shards = self._shards(model_id)
        all_keys = [np.load(k, allow_pickle=False) for k, _ in shards]
        all_vectors = [np.load(v, allow_pickle=False) for _, v in shards]
        usable = [i for i, k in enumerate(all_keys) if _key_bytes(k) or len(k) == 0]
        keys = np.concatenate([all_keys[i] for i in usable]).reshape(-1, KEY_BYTES)
        vectors = np.concatenate([all_vectors[i] for i in usable])
        _, first = np.unique(keys, axis=0, return_index=True)
        self.store_merged(model_id, keys[first], vectors[first], shards)

    def store_merged(
        self,
        model_id: str,
        keys: np.ndarray,
        vectors: np.ndarray,
        replaced: list[tuple[Path, Path]],
    ) -> None:
        folder = self._folder(model_id)
        tag = uuid.uuid4().hex
        for name, array in (("vectors", vectors), ("keys", keys)):
            tmp = folder / f".{name}-{tag}.tmp.npy"
            np.save(tmp, array, allow_pickle=False)
            os.replace(tmp, folder / f"{name}-{tag}.npy")
        for keys_path, vectors_path in replaced:
            keys_path.unlink(missing_ok=True)
            vectors_path.unlink(missing_ok=True)


def embed_texts(
    texts: Sequence[str],
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    max_chars: int = EmbedConfig().max_chars,
    on_progress: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Embed texts, reusing the cache; return (embeddings (n, d) float32, number embedded anew).

    Texts are clipped to ``max_chars`` for embedding; equal clipped texts are embedded once.
    """
    vectors, is_new = embed_through_cache(texts, embedder, cache, max_chars, on_progress)
    keys = {text_key(t[:max_chars]) for t, new in zip(texts, is_new) if new}
    return vectors, len(keys)


def embed_through_cache(
    texts: Sequence[str],
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    max_chars: int = EmbedConfig().max_chars,
    on_progress: Callable[[str], None] | None = None,
    store: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`embed_texts`, returning which texts (n,) were embedded anew rather than read from
    the cache; with ``store`` False the new vectors are not written to the cache (a worker that
    leaves the writing to one process)."""
    clipped = [t[:max_chars] for t in texts]
    keys = [text_key(t) for t in clipped]
    unique: dict[bytes, str] = {}
    for key, text in zip(keys, clipped):
        unique.setdefault(key, text)
    found = cache.lookup(embedder.model_id, list(unique)) if cache is not None else {}
    missing = [k for k in unique if k not in found]
    if on_progress is not None:
        on_progress(
            f"embedding {len(missing)} new texts ({len(unique) - len(missing)} from cache, "
            f"{len(texts) - len(unique)} duplicates)"
        )
    if missing:
        new_vectors = embedder.encode([unique[k] for k in missing])
        if cache is not None and store:
            cache.store(embedder.model_id, missing, new_vectors)
        found.update(zip(missing, new_vectors))
    is_new = np.zeros(len(texts), dtype=bool)
    if missing:
        fresh = set(missing)
        is_new[:] = [k in fresh for k in keys]
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32), is_new
    return np.stack([found[k] for k in keys]).astype(np.float32), is_new
