"""The weekly drift check's commands: `baseline`, `check` and `history`.

The jobs behind them live in ``analyzer.weekly.jobs`` (``make_baseline``, ``history_runs``,
``write_trend_page``) and ``analyzer.weekly.check`` (``run_check``); they return values and
print nothing. The typer commands here parse options, print one summary line and choose the exit
code: 0 no threshold breached, 1 a threshold breached, 2 bad input (one line, no traceback).
Registered on the main app by :mod:`analyzer.cli` with ``register(app)``.
"""

from __future__ import annotations

import json
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
from analyzer.weekly.check import run_check
from analyzer.weekly.jobs import (
    current_period,
    history_runs,
    make_baseline,
    write_trend_page,
)

__all__ = ["register"]

# ---- commands ---------------------------------------------------------------------------------

BASELINE_EXAMPLE = "Example: shift-analyzer baseline eval.jsonl --out baselines/router-v3"
CHECK_EXAMPLE = (
    "Example: shift-analyzer check baselines/router-v3 prod-2026-w48.parquet "
    "--history shift-history.sqlite --period 2026-W48 --out reports/2026-W48"
)
HISTORY_EXAMPLE = (
    "Example: shift-analyzer history shift-history.sqlite --out reports/trend.html (or --json)"
)


def baseline_command(
    reference: ReferenceFile,
    out: Annotated[Path, typer.Option("--out", "-o", help="Baseline folder to create.")],
    text_col: TextCol = "text",
    id_col: IdCol = None,
    model: Model = None,
    device: Device = None,
    workers: Workers = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    seed: Seed = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help=(
                "shift.toml with embed, cover, cluster and score tables (the check table is "
                "read by `check`)."
            )
        ),
    ] = None,
    encoding: Encoding = "utf-8",
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing baseline folder.")
    ] = False,
    quiet: Quiet = False,
) -> None:
    """Save a baseline: the embedded reference, its coverage calibration and cluster registry.

    The folder (manifest.json, Parquet and .npy files, no pickle) is what `check` compares each
    week's production sample with. Exit 0 done, 2 bad input.
    """

    watch = Stopwatch(quiet)
    try:
        flags = flag_overrides(
            model=model, cache_dir=cache_dir, seed=seed, device=device, workers=workers
        )
        settings = load_settings(config, overrides=flags).analysis
        path = make_baseline(
            reference,
            out,
            config=settings,
            text_col=text_col,
            id_col=id_col,
            encoding=encoding,
            use_cache=not no_cache,
            overwrite=force,
            progress=watch,
        )
    except AnalyzerError as exc:
        fail(str(exc))
        return
    manifest = json.loads((path / "manifest.json").read_text())
    typer.echo(
        f"baseline: {path} | {manifest['n_reference']} reference queries | "
        f"{manifest['registry']['n_clusters']} clusters | model {manifest['model_id']}"
    )


def check_command(
    baseline: Annotated[
        Path, typer.Argument(help="Baseline folder made by `shift-analyzer baseline`.")
    ],
    production: Annotated[
        Path, typer.Argument(help="This period's production sample: CSV, JSONL, Parquet or .txt.")
    ],
    history: Annotated[
        Path, typer.Option("--history", help="SQLite history file (created if missing).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created if missing).")],
    period: Annotated[
        str | None,
        typer.Option(
            help=(
                "Label of this run, e.g. 2026-W48 (default: this ISO week). Re-running a "
                "period replaces it."
            )
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help=(
                "shift.toml: thresholds, matching and webhook (the check table); analysis "
                "tables override the baseline's."
            )
        ),
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option(help="POST a Slack-compatible JSON alert here when a threshold is breached."),
    ] = None,
    text_col: TextCol = "text",
    id_col: IdCol = None,
    device: Device = None,
    workers: Workers = None,
    engine: EngineKind = None,
    ray_address: RayAddress = None,
    no_cache: NoCache = False,
    encoding: Encoding = "utf-8",
    segment_col: SegmentCols = None,
    route_col: RouteCol = None,
    cheap_route: CheapRoute = None,
    outcome_col: OutcomeCol = None,
    bad_outcome: BadOutcome = None,
    label_size: LabelSize = 200,
    redact: Redact = False,
    quiet: Quiet = False,
) -> None:
    """Compare this period's production sample with a saved baseline and record the run.

    Writes queries.parquet, clusters.csv, summary.json, report.html and to_label.jsonl into
    --out (cluster ids stable across periods, new regions named in summary.json), adds the run
    to --history, and posts to --webhook on breach. Exit 0 no threshold breached, 1 a
    threshold breached, 2 bad input.
    """
    from analyzer.segments import SegmentOptions

    watch = Stopwatch(quiet)
    try:
        segments = SegmentOptions(
            tuple(segment_col or ()), route_col, cheap_route, outcome_col, bad_outcome, label_size
        )
        outcome = run_check(
            baseline,
            production,
            history,
            period or current_period(),
            out,
            config_path=config,
            webhook_url=webhook,
            text_col=text_col,
            id_col=id_col,
            encoding=encoding,
            use_cache=not no_cache,
            overrides=flag_overrides(
                device=device, workers=workers, engine=engine, ray_address=ray_address
            ),
            segments=segments,
            progress=watch,
            redact=redact,
        )
    except AnalyzerError as exc:
        fail(str(exc))
        return
    summary = outcome.result.summary
    typer.echo(
        f"check {outcome.period}: {'BREACH' if outcome.breaches else 'ok'} | uncovered "
        f"{summary.uncovered_share:.1%} | flagged {summary.flagged_cluster_ids} | new "
        f"{list(outcome.new_cluster_ids)} | report: {out / 'report.html'}"
    )
    for breach in outcome.breaches:
        typer.echo(f"breach: {breach.message}", err=True)
    if outcome.webhook is not None and not outcome.webhook.ok:
        typer.echo(
            f"warning: webhook POST failed ({outcome.webhook.error}); the run is "
            "recorded and the outputs are written.",
            err=True,
        )
    if outcome.breaches:
        raise typer.Exit(EXIT_GATE)


def history_command(
    history: Annotated[Path, typer.Argument(help="SQLite history file written by `check`.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the trend page (HTML) here.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the runs as JSON, oldest first.")
    ] = False,
    top: Annotated[int, typer.Option(help="Clusters shown on the trend page.")] = 8,
) -> None:
    """Show the run history: a self-contained trend page (--out) or the runs as JSON (--json).

    Exit 0 done, 2 bad input (a missing, damaged or foreign file is left unchanged).
    """

    if out is None and not as_json:
        fail("Pass --out FILE.html for the trend page or --json for the runs as JSON.")
    try:
        if as_json:
            typer.echo(json.dumps(history_runs(history), indent=2, allow_nan=False))
        if out is not None:
            path = write_trend_page(history, out, top_n=max(1, top))
            if not as_json:
                typer.echo(f"trend: {path}")
    except AnalyzerError as exc:
        fail(str(exc))


def register(app: typer.Typer) -> None:
    """Add the `baseline`, `check` and `history` commands to the main app."""
    app.command("baseline", epilog=BASELINE_EXAMPLE)(baseline_command)
    app.command("check", epilog=CHECK_EXAMPLE)(check_command)
    app.command("history", epilog=HISTORY_EXAMPLE)(history_command)
