"""What every command shares: exit codes, the one-line error, progress, settings from flags.

Exit codes: 0 done, 1 a gate was breached, 2 bad input or usage (one line, no traceback).
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

from analyzer.config import AnalyzerConfig, ClusterConfig, CoverConfig, EmbedConfig, ScoreConfig

EXIT_OK, EXIT_GATE, EXIT_INPUT = 0, 1, 2


def fail(message: str) -> None:
    """Print a one-line error and exit 2."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(EXIT_INPUT)


class Stopwatch:
    """Prints each step with the elapsed time, to stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if not self.quiet:
            typer.echo(f"[{time.perf_counter() - self.start:6.1f}s] {message}", err=True)


def build_config(
    config_path: Path | None, model: str | None, cache_dir: Path | None,
    seed: int | None, alpha: float | None,
) -> AnalyzerConfig:
    """The TOML config (if any) with the command-line options laid over it."""
    base = AnalyzerConfig.from_toml(config_path) if config_path else AnalyzerConfig()
    embed, cover, cluster, score = base.embed, base.cover, base.cluster, base.score
    if model is not None or cache_dir is not None:
        embed = EmbedConfig(model or embed.model, str(cache_dir) if cache_dir else embed.cache_dir,
                            embed.batch_size, embed.max_chars)
    if alpha is not None:
        cover = CoverConfig(cover.k, alpha, cover.n_bootstrap, cover.exact_max)
        score = ScoreConfig(alpha, score.min_fold, score.smoothing, score.n_permutations,
                            score.test_sample, score.n_examples, score.n_keywords, score.seed)
    if seed is not None:
        cluster = ClusterConfig(cluster.fit_cap, cluster.n_neighbors, cluster.n_components,
                                cluster.min_cluster_size, cluster.min_samples, cluster.selection, seed)
        score = ScoreConfig(score.alpha, score.min_fold, score.smoothing, score.n_permutations,
                            score.test_sample, score.n_examples, score.n_keywords, seed)
    return AnalyzerConfig(embed, cover, cluster, score)
