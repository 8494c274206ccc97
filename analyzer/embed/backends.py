"""The embedder a configuration asks for: :func:`make_embedder`, by model name.

| ``model``                      | backend                                          | vectors |
|--------------------------------|--------------------------------------------------|---------|
| ``all-MiniLM-L6-v2`` (default) | sentence-transformers, torch fp32, CPU or GPU    | 384     |
| ``all-MiniLM-L6-v2+onnx-int8`` | the same weights as int8 ONNX, onnxruntime, CPU  | 384     |
| ``use-multilingual-v3``        | Universal Sentence Encoder multilingual, numpy   | 512     |
| any other name or path         | that sentence-transformers model                 |         |

Each has its own ``model_id``, so their vectors never mix in a cache or a baseline.
"""

from __future__ import annotations

from analyzer.config import EmbedConfig
from analyzer.embed.model import Embedder, SentenceTransformerEmbedder
from analyzer.embed.multilingual import USE_MODEL, UseMultilingualEmbedder
from analyzer.embed.onnx import ONNX_MODEL, ONNX_SUFFIX, OnnxInt8Embedder
from analyzer.errors import ModelError

BUILT_IN_MODELS = ("all-MiniLM-L6-v2", ONNX_MODEL, USE_MODEL)


def make_embedder(embed: EmbedConfig, show_progress: bool = False) -> Embedder:
    """The embedder of ``embed.model`` on ``embed.device``, with ``embed.workers`` processes."""
    name = embed.model
    if name in (ONNX_MODEL, f"sentence-transformers/{ONNX_MODEL}"):
        return OnnxInt8Embedder(
            embed.batch_size, show_progress, device=embed.device, workers=embed.workers
        )
    if name.endswith(ONNX_SUFFIX):
        raise ModelError(
            f"model={name!r}: only the packaged all-MiniLM-L6-v2 has an int8 ONNX backend. "
            f"Pass model={ONNX_MODEL} or a sentence-transformers model name or path."
        )
    if name == USE_MODEL:
        return UseMultilingualEmbedder(show_progress, device=embed.device, workers=embed.workers)
    return SentenceTransformerEmbedder(
        name,
        embed.batch_size,
        show_progress=show_progress,
        device=embed.device,
        workers=embed.workers,
    )
