"""The embedder a configuration asks for: :func:`make_embedder`."""

from __future__ import annotations

from analyzer.config import EmbedConfig
from analyzer.embed.model import Embedder, SentenceTransformerEmbedder


def make_embedder(embed: EmbedConfig, show_progress: bool = False) -> Embedder:
    """The embedder of ``embed.model`` on ``embed.device``, with ``embed.workers`` processes."""
    return SentenceTransformerEmbedder(
        embed.model,
        embed.batch_size,
        show_progress=show_progress,
        device=embed.device,
        workers=embed.workers,
    )
