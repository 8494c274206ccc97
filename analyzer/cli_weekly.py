"""The weekly drift check: `baseline`, `check` and `history` commands, and the jobs behind them.

``make_baseline`` and ``run_check`` do the work and return values (they print nothing); the
typer commands at the bottom parse options, print one summary line and choose the exit code:
0 no threshold breached, 1 a threshold breached, 2 bad input (one line, no traceback).
Registered on the main app by ``analyzer.cli`` with ``register(app)``.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import typer

from analyzer.alerts import (
    Breach,
    CheckConfig,
    WebhookOutcome,
    build_alert,
    cause_shares,
    check_webhook_url,
    evaluate,
    post_webhook,
)
from analyzer.config import AnalyzerConfig, read_toml
from analyzer.embed import Embedder
from analyzer.errors import AnalyzerError
from analyzer.history import (
    ClusterRecord,
    History,
    RegistryEntry,
    RunRecord,
    trend_series,
)
from analyzer.result import ClusterRow, ClusterTable, QueryTable, ShiftResult

if TYPE_CHECKING:
    from analyzer.segments import SegmentOptions

Progress = Callable[[str], None]


def read_settings(
    path: Path | None, base: AnalyzerConfig | None = None
) -> tuple[AnalyzerConfig | None, CheckConfig]:
    """Split a shift.toml into analysis settings (laid over ``base``) and ``[check]``.

    Returns ``(None, check)`` when the file has no analysis tables, so the caller keeps the
    baseline's own settings.
    """
    if path is None:
        return None, CheckConfig()
    data = read_toml(path)
    check = CheckConfig.from_dict(data.get("check", {}))
    tables = {k: v for k, v in data.items() if k != "check" and isinstance(v, dict)}
    if not tables:
        return None, check
    merged = (base or AnalyzerConfig()).to_dict()
    for name, values in tables.items():
        merged.setdefault(name, {}).update(values)
    return AnalyzerConfig.from_dict(merged), check


# ---- baseline ---------------------------------------------------------------------------------


def make_baseline(
    reference: str | Path,
    out: str | Path,
    *,
    config: AnalyzerConfig | None = None,
    embedder: Embedder | None = None,
    text_col: str = "text",
    id_col: str | None = None,
    encoding: str = "utf-8",
    use_cache: bool = True,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> Path:
    """Fit a Baseline on the reference, cluster the reference for the registry, save it all."""
    from analyzer.baseline import Baseline
    from analyzer.load import load_queries
    from analyzer.persist import save_baseline
    from analyzer.registry import initial_registry

    settings = config or AnalyzerConfig()
    batch = load_queries(
        reference,
        text_col=text_col,
        id_col=id_col or "id",
        encoding=encoding,
        id_given=id_col is not None,
    )
    baseline = Baseline(settings, embedder, use_cache, progress).fit(batch)
    if progress is not None:
        progress("registry: clustering the reference")
    registry = initial_registry(
        baseline.reference_embeddings_,
        baseline.reference_texts_,
        baseline.reference_inverse_,
        settings,
    )
    if progress is not None:
        progress(f"writing {out} ({len(registry)} reference clusters)")
    return save_baseline(baseline, out, registry=registry, overwrite=overwrite)


# ---- check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckOutcome:
    """What one check did: the result with stable ids, the breaches and the exit code."""

    period: str
    result: ShiftResult
    breaches: tuple[Breach, ...]
    new_cluster_ids: tuple[int, ...]
    resolved_cluster_ids: tuple[int, ...]
    paths: tuple[Path, ...]
    webhook: WebhookOutcome | None = None

    @property
    def exit_code(self) -> int:
        """1 when a threshold was breached, else 0."""
        return 1 if self.breaches else 0


def current_period() -> str:
    """This ISO week, e.g. ``2026-W48`` (UTC)."""
    year, week, _ = datetime.now(UTC).isocalendar()
    return f"{year}-W{week:02d}"


def _match(
    history: History,
    saved_registry: Sequence[RegistryEntry],
    period: str,
    cluster_ids: np.ndarray,
    centroids: np.ndarray,
    members: list[np.ndarray],
    labels: dict[int, str],
    check: CheckConfig,
    can_be_new: np.ndarray,
) -> tuple[dict[int, int], set[int], dict[int, str]]:
    """Stable id of each run cluster, which are new regions, and first periods (in a transaction).

    Clusters are matched first against regions known before this period; the rest against
    regions an earlier run of this same period created (so a re-run keeps its ids).
    """
    from analyzer.registry import match_clusters

    registry = history.registry()
    if not registry and saved_registry:
        history.upsert_registry(list(saved_registry))
        registry = history.registry()
    prior = [e for e in registry if e.first_period != period]
    same = [e for e in registry if e.first_period == period]
    next_id = max((e.cluster_id for e in registry), default=-1) + 1
    kwargs = {
        "max_distance": check.match_max_distance,
        "overlap_weight": check.match_overlap_weight,
    }
    dim = centroids.shape[1]

    def stack(entries: list[RegistryEntry]) -> np.ndarray:
        return np.array([e.centroid for e in entries]).reshape(len(entries), dim)

    first = match_clusters(
        centroids,
        stack(prior),
        [e.cluster_id for e in prior],
        members=members,
        registry_members=[e.members for e in prior],
        next_id=next_id,
        can_be_new=can_be_new,
        **kwargs,
    )
    stable = dict(zip(cluster_ids.tolist(), first.stable_ids.tolist(), strict=True))
    is_new = {int(c) for c, new in zip(cluster_ids, first.is_new, strict=True) if new}
    rest = np.flatnonzero(~first.is_matched)
    reused: dict[int, int] = {}
    if len(rest) and same:
        second = match_clusters(
            centroids[rest],
            stack(same),
            [e.cluster_id for e in same],
            members=[members[i] for i in rest],
            registry_members=[e.members for e in same],
            next_id=next_id,
            **kwargs,
        )
        for j, sid, ok in zip(rest, second.stable_ids, second.is_matched, strict=True):
            if ok:
                reused[int(cluster_ids[j])] = int(sid)
    fresh = itertools.count(next_id)  # ids above every registry id, so never a reused one
    for position in rest:
        cid = int(cluster_ids[position])
        stable[cid] = reused[cid] if cid in reused else next(fresh)
    by_id = {e.cluster_id: e for e in registry}
    first_periods: dict[int, str] = {}
    updates: list[RegistryEntry] = []
    for i, cid in enumerate(cluster_ids.tolist()):
        sid = stable[cid]
        entry = by_id.get(sid)
        if entry is None or entry.first_period == period:
            updates.append(
                RegistryEntry(
                    sid, labels[cid], centroids[i].astype(np.float32), members[i], period, period, 1
                )
            )
            first_periods[sid] = period
        else:
            runs = entry.n_runs + (entry.last_period != period)
            updates.append(
                dataclasses.replace(entry, label=labels[cid], last_period=period, n_runs=runs)
            )
            first_periods[sid] = entry.first_period or "baseline"
    history.upsert_registry(updates)
    history.prune_registry(period, keep_ids=list(stable.values()))
    return stable, {stable[c] for c in is_new}, first_periods


def _remap(
    result: ShiftResult, stable: dict[int, int], extra: pd.DataFrame, summary_extra: dict[str, Any]
) -> ShiftResult:
    def to_stable(cid: int) -> int:
        return stable.get(int(cid), int(cid))

    rows = tuple(
        ClusterRow(
            dataclasses.replace(r.stats, cluster_id=to_stable(r.stats.cluster_id)),
            r.label,
            r.keywords,
            r.examples,
        )
        for r in result.clusters
    )
    earlier = result.clusters.extra
    if earlier is not None and len(earlier):
        earlier = earlier.assign(cluster_id=[to_stable(c) for c in earlier["cluster_id"]])
        extra = earlier.merge(extra, on="cluster_id", how="outer")
    queries = result.queries.frame.copy()
    queries["cluster_id"] = [to_stable(c) if c >= 0 else -1 for c in queries["cluster_id"]]
    summary = dataclasses.replace(
        result.summary,
        flagged_cluster_ids=[to_stable(c) for c in result.summary.flagged_cluster_ids],
        extra={**result.summary.extra, **summary_extra},
    )
    return dataclasses.replace(
        result,
        summary=summary,
        clusters=ClusterTable(rows, extra=extra),
        queries=QueryTable(queries),
    )


def run_check(
    baseline_dir: str | Path,
    production: str | Path,
    history_path: str | Path,
    period: str,
    out_dir: str | Path,
    *,
    config_path: str | Path | None = None,
    webhook_url: str | None = None,
    embedder: Embedder | None = None,
    text_col: str = "text",
    id_col: str | None = None,
    encoding: str = "utf-8",
    use_cache: bool = True,
    title: str | None = None,
    segments: SegmentOptions | None = None,
    progress: Progress | None = None,
    redact: bool = False,
) -> CheckOutcome:
    """Score one period's production sample against a saved baseline and record it.

    Steps: open the history (refusing a foreign file before any work), load the baseline
    (refusing another model or format), score, match clusters to the registry for stable ids,
    compare with the previous period, evaluate thresholds, record the run (one transaction),
    write the outputs, and POST the alert on breach. Returns the outcome; prints nothing.
    """
    from analyzer.load import load_queries
    from analyzer.persist import load_baseline, read_manifest
    from analyzer.pipeline import finish
    from analyzer.registry import cluster_centroids
    from analyzer.segments import SegmentOptions, check_segment_options

    say = progress or (lambda message: None)
    manifest = read_manifest(baseline_dir)
    saved_config = AnalyzerConfig.from_dict(manifest.get("config", {}))
    config, check = read_settings(Path(config_path) if config_path else None, saved_config)
    url = webhook_url or check.webhook_url
    if url:
        check_webhook_url(url)
    history = History(history_path)
    try:
        history.bind_model(str(manifest["model_id"]), int(manifest["dimension"]))
        saved = load_baseline(
            baseline_dir, embedder=embedder, config=config, use_cache=use_cache, progress=progress
        )
        baseline = saved.baseline
        batch = load_queries(
            production,
            text_col=text_col,
            id_col=id_col or "id",
            encoding=encoding,
            id_given=id_col is not None,
        )
        segment_options = segments or SegmentOptions(seed=baseline.settings.score.seed)
        check_segment_options(batch.frame, segment_options)
        result = baseline.score(batch)
        if redact:  # before anything is recorded: history labels, breach messages, the alert
            from analyzer.redact import redact_result

            result = redact_result(result)
        say("registry: matching clusters to known regions")
        queries = result.queries.frame
        labels_rows = queries["cluster_id"].to_numpy(dtype=np.int64)
        prod_embeddings = baseline.embed_batch(batch)
        row_embeddings = np.vstack(
            [baseline.reference_embeddings_[baseline.reference_inverse_], prod_embeddings]
        )
        run_ids, centroids = cluster_centroids(row_embeddings, labels_rows)
        ref_labels = labels_rows[: len(baseline.reference_)]
        members = [np.flatnonzero(ref_labels == c).astype(np.int64) for c in run_ids]
        label_of = {r.stats.cluster_id: r.label for r in result.clusters}
        label_of = {int(c): label_of.get(int(c), f"cluster {c}") for c in run_ids}
        shares = {
            r.stats.cluster_id: (r.stats.share_production, r.stats.share_reference)
            for r in result.clusters
        }
        can_be_new = np.array(
            [
                shares.get(int(c), (1.0, 0.0))[0]
                >= check.new_min_fold * shares.get(int(c), (1.0, 0.0))[1]
                for c in run_ids
            ],
            dtype=bool,
        )
        is_prod = (queries["side"] == "production").to_numpy()
        causes = cause_shares(queries.loc[is_prod, "flags"]) if "flags" in queries else {}
        with history.transaction():
            stable, new_ids, first_periods = _match(
                history,
                saved.registry,
                period,
                run_ids,
                centroids,
                members,
                label_of,
                check,
                can_be_new,
            )
            previous = history.previous_run(period)
            prev_shares = (
                {c.cluster_id: c.share_production for c in history.clusters(previous.period)}
                if previous
                else {}
            )
            seen: dict[int, list[dict[str, Any]]] = {}
            for c in history.clusters():
                if c.period < period:
                    seen.setdefault(c.cluster_id, []).append(
                        {
                            "period": c.period,
                            "share_production": c.share_production,
                            "is_flagged": c.is_flagged,
                        }
                    )
            trend_rows = []
            for r in result.clusters:
                cid = r.stats.cluster_id
                sid = stable.get(cid, cid)
                prev = prev_shares.get(sid, 0.0) if previous else math.nan
                trend_rows.append(
                    {
                        "cluster_id": sid,
                        "run_cluster_id": cid,
                        "is_new": sid in new_ids,
                        "first_period": first_periods.get(sid, period) if cid >= 0 else "",
                        "share_production_prev": prev,
                        "growth": r.stats.share_production - prev,
                        "n_periods_seen": len(seen.get(sid, [])),
                    }
                )
            extra = pd.DataFrame(
                trend_rows,
                columns=[
                    "cluster_id",
                    "run_cluster_id",
                    "is_new",
                    "first_period",
                    "share_production_prev",
                    "growth",
                    "n_periods_seen",
                ],
            )
            flagged = [stable.get(c, c) for c in result.summary.flagged_cluster_ids]
            resolved = sorted(set(previous.flagged_cluster_ids) - set(flagged)) if previous else []
            table = pd.DataFrame(
                [
                    {
                        "cluster_id": stable.get(r.stats.cluster_id, r.stats.cluster_id),
                        "label": r.label,
                        "share_production": r.stats.share_production,
                        "is_flagged": r.stats.is_flagged,
                    }
                    for r in result.clusters
                ],
                columns=["cluster_id", "label", "share_production", "is_flagged"],
            )
            table = table.merge(extra[["cluster_id", "is_new", "growth"]], on="cluster_id")
            breaches = evaluate(
                check,
                uncovered_share=result.summary.uncovered_share,
                clusters=table,
                cause_shares=causes,
            )
            new_sorted = sorted(new_ids)
            result = _remap(
                result,
                stable,
                extra,
                {
                    "period": period,
                    "previous_period": previous.period if previous else None,
                    "baseline_id": saved.baseline_id,
                    "new_cluster_ids": new_sorted,
                    "resolved_cluster_ids": resolved,
                    "cause_shares": causes,
                    "breached": bool(breaches),
                    "breaches": [b.to_dict() for b in breaches],
                    "check": check.to_dict() | {"webhook_url": None},
                    "cluster_trends": {
                        str(stable.get(c, c)): seen.get(stable.get(c, c), [])
                        for c in run_ids.tolist()
                    },
                },
            )
            summary = result.summary
            history.record_run(
                RunRecord(
                    period=period,
                    verdict=summary.verdict,
                    exit_code=1 if breaches else 0,
                    n_reference=summary.n_reference,
                    n_production=summary.n_production,
                    uncovered_share=summary.uncovered_share,
                    js_divergence=summary.js_divergence,
                    flagged_cluster_ids=tuple(summary.flagged_cluster_ids),
                    new_cluster_ids=tuple(new_sorted),
                    resolved_cluster_ids=tuple(resolved),
                    cause_shares=causes,
                    breaches=tuple(b.message for b in breaches),
                    baseline_id=saved.baseline_id,
                    summary={
                        "uncovered_share_ci": list(summary.uncovered_share_ci),
                        "n_clusters": summary.n_clusters,
                    },
                ),
                [
                    ClusterRecord(
                        cluster_id=r.stats.cluster_id,
                        label=r.label,
                        n_reference=r.stats.n_reference,
                        n_production=r.stats.n_production,
                        share_reference=r.stats.share_reference,
                        share_production=r.stats.share_production,
                        coverage=r.stats.coverage,
                        is_flagged=r.stats.is_flagged,
                        is_new=r.stats.cluster_id in new_ids,
                        period=period,
                    )
                    for r in result.clusters
                ],
            )
    finally:
        history.close()
    result, _, paths = finish(
        baseline, batch, result, out_dir, segment_options,
        title=title or f"Weekly check {period}", redact=redact, progress=say,
    )
    outcome: WebhookOutcome | None = None
    if breaches and url:
        say("posting the alert")
        outcome = post_webhook(
            url,
            build_alert(period, breaches, result.summary.to_dict()),
            timeout_s=check.webhook_timeout_s,
        )
    return CheckOutcome(
        period, result, tuple(breaches), tuple(new_sorted), tuple(resolved), tuple(paths), outcome
    )


def history_runs(history_path: str | Path) -> list[dict[str, Any]]:
    """Every run in a history file as plain dicts, oldest period first."""
    with History(history_path, create=False) as history:
        return [r.to_dict() for r in history.runs()]


def write_trend_page(history_path: str | Path, out: str | Path, *, top_n: int = 8) -> Path:
    """Render the trend page of a history file to ``out``."""
    from analyzer.report.trend import write_trend

    with History(history_path, create=False) as history:
        trend = trend_series(history.runs(), history.clusters(), top_n=top_n)
    return write_trend(trend, out)


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
    reference: Annotated[
        Path, typer.Argument(help="Reference (eval/training) queries: CSV, JSONL, Parquet or .txt.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Baseline folder to create.")],
    text_col: Annotated[str, typer.Option(help="Column holding the query text.")] = "text",
    id_col: Annotated[
        str | None,
        typer.Option(help="Column holding the row id (default: id, else the row number)."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            help="sentence-transformers model name or path (default: the offline all-MiniLM-L6-v2)."
        ),
    ] = None,
    cache_dir: Annotated[
        Path | None, typer.Option(help="Embedding cache folder (default: the user cache dir).")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")
    ] = False,
    seed: Annotated[
        int | None, typer.Option(help="Random seed for sampling, UMAP and tests (default: 0).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help="shift.toml with embed, cover, cluster and score tables (the check table is read by `check`)."
        ),
    ] = None,
    encoding: Annotated[str, typer.Option(help="Encoding of CSV/JSONL/text inputs.")] = "utf-8",
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing baseline folder.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Save a baseline: the embedded reference, its coverage calibration and cluster registry.

    The folder (manifest.json, Parquet and .npy files, no pickle) is what `check` compares each
    week's production sample with. Exit 0 done, 2 bad input.
    """
    from analyzer.cli import Stopwatch, build_config, fail

    watch = Stopwatch(quiet)
    try:
        settings, _ = read_settings(config)
        if model or cache_dir or seed is not None or settings is None:
            base = build_config(None, model, cache_dir, seed, None)
            settings = (
                base if settings is None else _overlay(settings, base, model, cache_dir, seed)
            )
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


def _overlay(
    settings: AnalyzerConfig,
    base: AnalyzerConfig,
    model: str | None,
    cache_dir: Path | None,
    seed: int | None,
) -> AnalyzerConfig:
    merged = settings.to_dict()
    if model:
        merged["embed"]["model"] = model
    if cache_dir:
        merged["embed"]["cache_dir"] = str(cache_dir)
    if seed is not None:
        merged["cluster"]["seed"] = merged["score"]["seed"] = seed
    return AnalyzerConfig.from_dict(merged)


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
            help="Label of this run, e.g. 2026-W48 (default: this ISO week). Re-running a period replaces it."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help="shift.toml: thresholds, matching and webhook (the check table); analysis tables override the baseline's."
        ),
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option(help="POST a Slack-compatible JSON alert here when a threshold is breached."),
    ] = None,
    text_col: Annotated[str, typer.Option(help="Column holding the query text.")] = "text",
    id_col: Annotated[
        str | None,
        typer.Option(help="Column holding the row id (default: id, else the row number)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")
    ] = False,
    encoding: Annotated[str, typer.Option(help="Encoding of CSV/JSONL/text inputs.")] = "utf-8",
    segment_col: Annotated[
        list[str] | None,
        typer.Option(
            "--segment-col",
            help="Metadata column to split production by (client, locale, tier); repeatable.",
        ),
    ] = None,
    route_col: Annotated[
        str | None, typer.Option(help="Column naming the model that served each query.")
    ] = None,
    cheap_route: Annotated[
        str | None, typer.Option(help="Value of --route-col that means the cheap model.")
    ] = None,
    outcome_col: Annotated[
        str | None, typer.Option(help="Column with an outcome signal (thumbs, retry, escalation).")
    ] = None,
    bad_outcome: Annotated[
        str | None, typer.Option(help="Value of --outcome-col that means a bad outcome.")
    ] = None,
    label_size: Annotated[
        int, typer.Option(help="Most queries in to_label.jsonl, the labelling queue.")
    ] = 200,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Mask e-mails, phone and card numbers, API keys and tokens in the output files.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Compare this period's production sample with a saved baseline and record the run.

    Writes queries.parquet, clusters.csv, summary.json, report.html and to_label.jsonl into
    --out (cluster ids stable across periods, new regions named in summary.json), adds the run
    to --history, and posts to --webhook on breach. Exit 0 no threshold breached, 1 a threshold breached,
    2 bad input.
    """
    from analyzer.cli import EXIT_GATE, Stopwatch, fail
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
    from analyzer.cli import fail

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
