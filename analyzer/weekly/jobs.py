"""The weekly drift check's jobs besides the check itself: baseline and history.

``make_baseline`` fits and saves a baseline; ``history_runs`` and ``write_trend_page`` read a
history file. They return values and print nothing; the commands in ``analyzer.cli.weekly``
print and choose exit codes. ``run_check`` lives in ``analyzer.weekly.check``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analyzer.config import AnalyzerConfig, Progress
from analyzer.embed import Embedder
from analyzer.weekly.history import History
from analyzer.weekly.trend import trend_series

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
    from analyzer.ingest.load import load_queries
    from analyzer.weekly.registry import initial_registry
    from analyzer.weekly.store import check_baseline_target, save_baseline

    check_baseline_target(out, overwrite=overwrite)  # before any work
    settings = config or AnalyzerConfig()
    batch = load_queries(
        reference,
        text_col=text_col,
        id_col=id_col,
        encoding=encoding,
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


def current_period() -> str:
    """This ISO week, e.g. ``2026-W48`` (UTC)."""
    year, week, _ = datetime.now(UTC).isocalendar()
    return f"{year}-W{week:02d}"


# ---- history ----------------------------------------------------------------------------------


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
