"""The `report` job end to end: load both sides, fit, score, write the outputs.

Stages that extend the analysis (detectors, segments) plug in at the marked places; each one is
pure computation that takes the result and returns an extended result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.baseline import Baseline
from analyzer.config import AnalyzerConfig
from analyzer.embed import Embedder
from analyzer.load import load_queries
from analyzer.outputs import write_outputs
from analyzer.result import ShiftResult


@dataclass(frozen=True)
class ReportOptions:
    """What the `report` command was asked for, beyond the analysis config."""

    text_col: str = "text"
    id_col: str = "id"
    id_given: bool = False
    encoding: str = "utf-8"
    use_cache: bool = True
    title: str = "Shift report"
    segment_cols: tuple[str, ...] = field(default_factory=tuple)


def run_report(
    reference: str | Path,
    production: str | Path,
    out_dir: str | Path,
    config: AnalyzerConfig | None = None,
    options: ReportOptions | None = None,
    embedder: Embedder | None = None,
    progress: Callable[[str], None] | None = None,
    show_progress_bar: bool = False,
) -> ShiftResult:
    """Load, analyse and write; return the result (the CLI decides the exit code)."""
    options = options or ReportOptions()
    load = dict(text_col=options.text_col, id_col=options.id_col, encoding=options.encoding,
                id_given=options.id_given)
    reference_batch = load_queries(reference, **load)  # type: ignore[arg-type]
    production_batch = load_queries(production, **load)  # type: ignore[arg-type]
    baseline = Baseline(config, embedder, options.use_cache, progress, show_progress_bar)
    result = baseline.fit(reference_batch).score(production_batch)
    # -- extension point: per-query detectors and cause attribution (analyzer.detect) --------
    # -- extension point: segments, routing risk and the labelling queue (analyzer.segments) -
    if progress is not None:
        progress(f"writing {out_dir}")
    write_outputs(result, out_dir, text_col=options.text_col, title=options.title)
    return result
