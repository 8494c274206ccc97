"""The weekly check: score a period against a saved baseline, give clusters stable ids, record.

``run_check`` does the work and returns a ``CheckOutcome`` (it prints nothing); the ``check``
command in ``analyzer.cli.weekly`` prints one summary line and chooses the exit code.
"""

from __future__ import annotations

import dataclasses
import itertools
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from analyzer.config import AnalyzerConfig, CheckConfig, Progress, check_webhook_url, load_settings
from analyzer.embed import Embedder
from analyzer.engine import check_engine
from analyzer.result import ShiftResult
from analyzer.weekly.history import History, check_history_path
from analyzer.weekly.records import ClusterRecord, RegistryEntry, RunRecord
from analyzer.weekly.runs import (
    emerging_outside_new,
    remap_ids,
    run_records,
    run_regions,
    threshold_table,
    trend_frame,
)
from analyzer.weekly.thresholds import Breach, cause_shares, evaluate
from analyzer.weekly.webhook import WebhookOutcome, build_alert, post_webhook

if TYPE_CHECKING:
    from analyzer.baseline import Baseline
    from analyzer.ingest.batch import QueryBatch
    from analyzer.segments import SegmentOptions
    from analyzer.weekly.store import SavedBaseline


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
    from analyzer.weekly.registry import match_clusters

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
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    title: str | None = None,
    segments: SegmentOptions | None = None,
    progress: Progress | None = None,
    redact: bool = False,
) -> CheckOutcome:
    """Score one period's production sample against a saved baseline and record it.

    Steps: refuse a bad ``out_dir``, history file or baseline before any work (the baseline's
    files and model are verified, and only then is the history bound to its model); score;
    inside one history transaction match clusters to the registry for stable ids, compare with
    the previous period and evaluate thresholds; write the outputs as one folder, commit the
    history once the folder is in place (a failed commit puts the previous folder back); then
    POST the alert on breach. Returns the outcome; prints nothing.
    ``overrides`` (``{section: {key: value}}``, e.g. the command line's ``--device``) are laid
    over the baseline's settings and ``config_path``'s.
    """
    from analyzer.pipeline import finish
    from analyzer.report.outputs import check_output_folder
    from analyzer.weekly.store import load_baseline, read_manifest

    say = progress or (lambda message: None)
    check_output_folder(out_dir)
    check_history_path(history_path)
    manifest = read_manifest(baseline_dir)
    saved_config = AnalyzerConfig.from_dict(manifest.get("config", {}))
    settings = load_settings(config_path, base=saved_config, overrides=overrides)
    check_engine(settings.analysis.engine)
    check = settings.check
    url = webhook_url or check.webhook_url
    if url:
        check_webhook_url(url)
    saved = load_baseline(
        baseline_dir,
        embedder=embedder,
        config=settings.analysis,
        use_cache=use_cache,
        progress=progress,
    )
    with History(history_path) as history:
        history.bind_model(saved.model_id, int(manifest["dimension"]))
        scored = _score(saved.baseline, production, text_col, id_col, encoding, segments, redact)
        say("registry: matching clusters to known regions")
        with history.transaction():
            recorded = _record(history, saved, scored, period, check)

            def commit() -> None:
                history.record_run(*recorded.records)
                history.commit()

            result, _, paths = finish(
                scored.batch,
                scored.embeddings,
                recorded.result,
                out_dir,
                scored.segment_options,
                title=title or f"Weekly check {period}",
                redact=redact,
                progress=say,
                run_info=recorded.run_info(history_path),
                on_published=commit,
            )
    outcome: WebhookOutcome | None = None
    if recorded.breaches and url:
        say("posting the alert")
        outcome = post_webhook(
            url,
            build_alert(period, recorded.breaches, result.summary.to_dict()),
            timeout_s=check.webhook_timeout_s,
        )
    return CheckOutcome(
        period,
        result,
        recorded.breaches,
        recorded.new_ids,
        recorded.resolved_ids,
        tuple(paths),
        outcome,
    )


@dataclass(frozen=True)
class _Scored:
    """This period's batch scored against the baseline (masked when redacting)."""

    batch: QueryBatch
    embeddings: np.ndarray
    result: ShiftResult
    segment_options: SegmentOptions
    reference_row_embeddings: np.ndarray


@dataclass(frozen=True)
class _Recorded:
    """The run to record: the result with stable ids, its breaches, new and resolved ids, and
    the history rows (written once the outputs are in place)."""

    result: ShiftResult
    breaches: tuple[Breach, ...]
    new_ids: tuple[int, ...]
    resolved_ids: tuple[int, ...]
    records: tuple[RunRecord, list[ClusterRecord]]
    run_id: str
    period: str

    def run_info(self, history_path: str | Path) -> dict[str, Any]:
        """What run.json says of this run: the check, its period and history, its run id
        (the history's row of the period carries the same id once committed)."""
        return {
            "run_id": self.run_id,
            "command": "check",
            "period": self.period,
            "history": str(history_path),
        }


def _score(
    baseline: Baseline,
    production: str | Path,
    text_col: str,
    id_col: str | None,
    encoding: str,
    segments: SegmentOptions | None,
    redact: bool,
) -> _Scored:
    from analyzer.ingest.load import load_queries
    from analyzer.segments import SegmentOptions, check_segment_options

    batch = load_queries(production, text_col=text_col, id_col=id_col, encoding=encoding)
    segment_options = segments or SegmentOptions(seed=baseline.settings.score.seed)
    check_segment_options(batch.frame, segment_options)
    result, embeddings = baseline.score_rows(batch)
    if redact:  # before anything is recorded: history labels, breach messages, the alert
        from analyzer.redact import redact_result

        result = redact_result(result)
    reference_rows = baseline.reference_embeddings_[baseline.reference_inverse_]
    return _Scored(batch, embeddings, result, segment_options, reference_rows)


def _seen_before(history: History, period: str) -> dict[int, list[dict[str, Any]]]:
    """Each known region's share and flag in every period before ``period``."""
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
    return seen


def _record(
    history: History, saved: SavedBaseline, scored: _Scored, period: str, check: CheckConfig
) -> _Recorded:
    """Match the run's clusters to the registry, compare with the previous period, evaluate
    the thresholds and record the run (call inside one history transaction)."""
    result = scored.result
    regions = run_regions(
        result, scored.reference_row_embeddings, scored.embeddings, check.new_min_fold
    )
    queries = result.queries.frame
    is_prod = (queries["side"] == "production").to_numpy()
    causes = cause_shares(queries.loc[is_prod, "flags"]) if "flags" in queries else {}
    stable, new_ids, first_periods = _match(
        history,
        saved.registry,
        period,
        regions.run_ids,
        regions.centroids,
        regions.members,
        regions.label_of,
        check,
        regions.can_be_new,
    )
    previous = history.previous_run(period)
    prev_shares = (
        {c.cluster_id: c.share_production for c in history.clusters(previous.period)}
        if previous
        else None
    )
    seen = _seen_before(history, period)
    trend = trend_frame(result, stable, new_ids, first_periods, period, prev_shares, seen)
    flagged = [stable.get(c, c) for c in result.summary.flagged_cluster_ids]
    resolved = sorted(set(previous.flagged_cluster_ids) - set(flagged)) if previous else []
    emerging = emerging_outside_new(result, stable, new_ids)
    breaches = evaluate(
        check,
        uncovered_share=result.summary.uncovered_share,
        clusters=threshold_table(result, stable, trend),
        cause_shares=causes,
        emerging=emerging,
    )
    new_sorted = sorted(new_ids)
    summary_extra = {
        "period": period,
        "previous_period": previous.period if previous else None,
        "baseline_id": saved.baseline_id,
        "new_cluster_ids": new_sorted,
        "emerging_outside_new": emerging,
        "resolved_cluster_ids": resolved,
        "cause_shares": causes,
        "breached": bool(breaches),
        "breaches": [b.to_dict() for b in breaches],
        "check": check.to_dict() | {"webhook_url": None},
        "cluster_trends": {
            str(stable.get(c, c)): seen.get(stable.get(c, c), []) for c in regions.run_ids.tolist()
        },
    }
    result = remap_ids(result, stable, trend, summary_extra)
    run_id = uuid.uuid4().hex
    run, clusters = run_records(
        result, period, breaches, new_ids, resolved, causes, saved.baseline_id
    )
    run = dataclasses.replace(run, summary={**run.summary, "run_id": run_id})
    return _Recorded(
        result,
        tuple(breaches),
        tuple(new_sorted),
        tuple(resolved),
        (run, clusters),
        run_id,
        period,
    )
