"""The `report` command: compare production with the reference and write the shift report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analyzer.cli.common import (
    EXIT_GATE,
    BadOutcome,
    CacheDir,
    CheapRoute,
    Device,
    Encoding,
    EngineKind,
    IdCol,
    LabelSize,
    Model,
    NoCache,
    OutcomeCol,
    Quiet,
    RayAddress,
    Redact,
    ReferenceFile,
    RouteCol,
    Seed,
    SegmentCols,
    Stopwatch,
    TextCol,
    Workers,
    fail,
    flag_overrides,
)
from analyzer.config import load_settings
from analyzer.errors import AnalyzerError

REPORT_EXAMPLE = (
    "Example: shift-analyzer report eval.jsonl prod.parquet --out reports/2026-11-27 "
    "--fail-on-uncovered 0.10 --segment-col client --segment-col locale "
    "--route-col model --cheap-route small"
)


def report_command(
    reference: ReferenceFile,
    production: Annotated[Path, typer.Argument(help="Production sample, same formats.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created if missing).")],
    text_col: TextCol = "text",
    id_col: IdCol = None,
    model: Model = None,
    device: Device = None,
    workers: Workers = None,
    engine: EngineKind = None,
    ray_address: RayAddress = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    seed: Seed = None,
    alpha: Annotated[
        float | None,
        typer.Option(help="False-alarm level of coverage and FDR level of flags (default: 0.05)."),
    ] = None,
    fail_on_uncovered: Annotated[
        float | None,
        typer.Option(
            help="Exit 1 when the uncovered share's 95% lower bound exceeds this share (0-1)."
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="TOML file with embed, cover, cluster and score tables.")
    ] = None,
    encoding: Encoding = "utf-8",
    title: Annotated[str, typer.Option(help="Title of the HTML report.")] = "Shift report",
    segment_col: SegmentCols = None,
    route_col: RouteCol = None,
    cheap_route: CheapRoute = None,
    outcome_col: OutcomeCol = None,
    bad_outcome: BadOutcome = None,
    label_size: LabelSize = 200,
    redact: Redact = False,
    quiet: Quiet = False,
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
        flags = flag_overrides(
            model=model,
            cache_dir=cache_dir,
            seed=seed,
            alpha=alpha,
            device=device,
            workers=workers,
            engine=engine,
            ray_address=ray_address,
        )
        settings = load_settings(config, overrides=flags).analysis
        options = ReportOptions(
            text_col=text_col,
            id_col=id_col,
            encoding=encoding,
            use_cache=not no_cache,
            title=title,
            segment_cols=tuple(segment_col or ()),
            route_col=route_col,
            cheap_route=cheap_route,
            outcome_col=outcome_col,
            bad_outcome=bad_outcome,
            label_size=label_size,
            redact=redact,
        )
        result = run_report(
            reference,
            production,
            out,
            settings,
            options,
            progress=watch,
            show_progress_bar=not quiet,
        )
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
            f"{fail_on_uncovered:.1%}",
            err=True,
        )
        raise typer.Exit(EXIT_GATE)


def register(app: typer.Typer) -> None:
    """Add the `report` command to the main app."""
    app.command("report", epilog=REPORT_EXAMPLE)(report_command)
