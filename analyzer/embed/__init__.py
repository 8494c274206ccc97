"""Stage 3, embed: texts -> unit-norm float32 vectors.

Contract: an :class:`Embedder` has a ``model_id`` naming the model and its weights (two embedders
with one ``model_id`` give the same vectors), a ``dimension`` and ``encode(texts) -> (n, d)``.
:func:`embed_texts` embeds each distinct (clipped) text once, through the on-disk
:class:`EmbeddingCache` keyed by (model id, text hash). No pickle anywhere.
"""

from __future__ import annotations

from analyzer.embed.cache import EmbeddingCache, embed_texts, text_key
from analyzer.embed.model import (
    DEFAULT_MODEL_SHA256,
    Embedder,
    SentenceTransformerEmbedder,
    file_sha256,
    packaged_model_dir,
    resolve_model,
)

__all__ = [
    "DEFAULT_MODEL_SHA256",
    "Embedder",
    "EmbeddingCache",
    "SentenceTransformerEmbedder",
    "embed_texts",
    "file_sha256",
    "packaged_model_dir",
    "resolve_model",
    "text_key",
]
