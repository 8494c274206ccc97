"""Stage 3, embed: texts -> unit-norm float32 vectors.

Contract: an :class:`Embedder` has a ``model_id`` naming the model and its weights (two embedders
with one ``model_id`` give the same vectors), a ``dimension`` and ``encode(texts) -> (n, d)``.
:func:`embed_texts` embeds each distinct (clipped) text once, through the on-disk
:class:`EmbeddingCache` keyed by (model id, text hash). No pickle anywhere. :func:`make_embedder`
builds the configured one; on the CPU it may spread encoding over worker processes
(:mod:`~analyzer.embed.workers`), which embed only what the cache lacks.
"""

from __future__ import annotations

from analyzer.embed.backends import make_embedder
from analyzer.embed.cache import EmbeddingCache, embed_texts, text_key
from analyzer.embed.model import (
    DEFAULT_MODEL_SHA256,
    Embedder,
    SentenceTransformerEmbedder,
    packaged_model_dir,
    resolve_model,
)
from analyzer.embed.weights import file_sha256

__all__ = [
    "DEFAULT_MODEL_SHA256",
    "Embedder",
    "EmbeddingCache",
    "SentenceTransformerEmbedder",
    "embed_texts",
    "file_sha256",
    "make_embedder",
    "packaged_model_dir",
    "resolve_model",
    "text_key",
]
