"""The shift-analyzer command line. Only this module prints and chooses exit codes.

Exit codes: 0 done, 1 a gate was breached, 2 bad input or usage (one line, no traceback).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from analyzer.config import AnalyzerConfig, ClusterConfig, CoverConfig, EmbedConfig, ScoreConfig
from analyzer.errors import AnalyzerError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find where production LLM traffic has left the ground your eval/training set covers.",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_GATE, EXIT_INPUT = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        from analyzer import __version__

        typer.echo(f"shift-analyzer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Find where production LLM traffic has left the ground your eval/training set covers.

    Example: shift-analyzer report eval.jsonl prod.parquet --out reports/2026-11-27
    """


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


@app.command(
    epilog="Example: shift-analyzer report eval.jsonl prod.parquet --out reports/2026-11-27 "
    "--fail-on-uncovered 0.10 --segment-col client --segment-col locale "
    "--route-col model --cheap-route small"
)
def report(
    reference: Annotated[Path, typer.Argument(help="Reference (eval/training) queries: CSV, JSONL, Parquet or .txt.")],
    production: Annotated[Path, typer.Argument(help="Production sample, same formats.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created if missing).")],
    text_col: Annotated[str, typer.Option(help="Column holding the query text (chat logs: last user turn of 'messages').")] = "text",
    id_col: Annotated[str | None, typer.Option(help="Column holding the row id (default: id, else the row number).")] = None,
    model: Annotated[str | None, typer.Option(help="sentence-transformers model name or path (default: the offline all-MiniLM-L6-v2).")] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Embedding cache folder (default: the user cache dir).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")] = False,
    seed: Annotated[int | None, typer.Option(help="Random seed for sampling, UMAP and tests (default: 0).")] = None,
    alpha: Annotated[float | None, typer.Option(help="False-alarm level of coverage and FDR level of flags (default: 0.05).")] = None,
    fail_on_uncovered: Annotated[float | None, typer.Option(help="Exit 1 when the uncovered share's 95% lower bound exceeds this share (0-1).")] = None,
    config: Annotated[Path | None, typer.Option(help="TOML file with embed, cover, cluster and score tables.")] = None,
    encoding: Annotated[str, typer.Option(help="Encoding of CSV/JSONL/text inputs.")] = "utf-8",
    title: Annotated[str, typer.Option(help="Title of the HTML report.")] = "Shift report",
    segment_col: Annotated[list[str] | None, typer.Option("--segment-col", help="Metadata column to split production by (client, locale, tier, turns); repeatable. Numbers are bucketed.")] = None,
    route_col: Annotated[str | None, typer.Option(help="Column naming the model that served each query (with --cheap-route).")] = None,
    cheap_route: Annotated[str | None, typer.Option(help="Value of --route-col that means the cheap model.")] = None,
    outcome_col: Annotated[str | None, typer.Option(help="Column with an outcome signal: thumbs, retry, escalation (with --bad-outcome).")] = None,
    bad_outcome: Annotated[str | None, typer.Option(help="Value of --outcome-col that means a bad outcome.")] = None,
    label_size: Annotated[int, typer.Option(help="Most queries in to_label.jsonl, the labelling queue.")] = 200,
    redact: Annotated[bool, typer.Option("--redact", help="Mask e-mails, phone and card numbers, API keys and tokens in every output file.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Compare production queries with the reference and write the shift report.

    Writes queries.parquet, clusters.csv, summary.json, report.html and to_label.jsonl into
    --out. With --segment-col, the report ranks the segments that carry the at-risk traffic.
    Exit 0 done, 1 the --fail-on-uncovered gate was breached, 2 bad input.
    """
    from analyzer.pipeline import ReportOptions, run_report

    if fail_on_uncovered is not None and not 0.0 <= fail_on_uncovered <= 1.0:
        fail(f"--fail-on-uncovered must be a share between 0 and 1. Got {fail_on_uncovered}.")
    watch = Stopwatch(quiet)
    try:
        settings = build_config(config, model, cache_dir, seed, alpha)
        options = ReportOptions(
            text_col=text_col, id_col=id_col or "id", id_given=id_col is not None,
            encoding=encoding, use_cache=not no_cache, title=title,
            segment_cols=tuple(segment_col or ()), route_col=route_col, cheap_route=cheap_route,
            outcome_col=outcome_col, bad_outcome=bad_outcome, label_size=label_size,
            redact=redact,
        )
        result = run_report(reference, production, out, settings, options,
                            progress=watch, show_progress_bar=not quiet)
    except AnalyzerError as exc:
        fail(str(exc))
        return
    summary = result.summary
    low, high = summary.uncovered_share_ci
    typer.echo(
        f"verdict: {summary.verdict} | uncovered {summary.uncovered_share:.1%} "
        f"(95% CI {low:.1%}-{high:.1%}) | flagged regions: {len(summary.flagged_cluster_ids)} "
        f"of {summary.n_clusters} | report: {out / 'report.html'}"
    )
    if fail_on_uncovered is not None and low > fail_on_uncovered:
        typer.echo(
            f"gate: uncovered share lower bound {low:.1%} exceeds --fail-on-uncovered "
            f"{fail_on_uncovered:.1%}", err=True,
        )
        raise typer.Exit(EXIT_GATE)


from analyzer.cli_weekly import register as _register_weekly

_register_weekly(app)  # baseline, check, history


def main() -> None:
    """Console entry point."""
    try:
        app()
    except AnalyzerError as exc:  # raised outside a command body
        typer.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
