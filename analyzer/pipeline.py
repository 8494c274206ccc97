"""The `report` job end to end: load both sides, fit, score, write the outputs.

Stages that extend the analysis (detectors, segments) plug in at the marked places; each one is
pure computation that takes the result and returns an extended result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from analyzer.baseline import Baseline
from analyzer.config import AnalyzerConfig, Progress
from analyzer.embed import Embedder
from analyzer.embed.workers import kept_pools
from analyzer.engine import check_engine
from analyzer.ingest.batch import QueryBatch
from analyzer.ingest.load import load_queries
from analyzer.report.outputs import check_output_folder, write_outputs
from analyzer.result import ShiftResult
from analyzer.segments import SegmentAnalysis, SegmentOptions, add_segments, check_segment_options


@dataclass(frozen=True)
class ReportOptions:
    """What the `report` command was asked for, beyond the analysis config."""

    text_col: str = "text"
    id_col: str | None = None
    encoding: str = "utf-8"
    use_cache: bool = True
    title: str = "Shift report"
    segment_cols: tuple[str, ...] = field(default_factory=tuple)
    route_col: str | None = None
    cheap_route: str | None = None
    outcome_col: str | None = None
    bad_outcome: str | None = None
    label_size: int = 200
    redact: bool = False

    def segment_options(self, seed: int = 0) -> SegmentOptions:
        """The segment stage's options (analyzer.segments)."""
        return SegmentOptions(
            self.segment_cols,
            self.route_col,
            self.cheap_route,
            self.outcome_col,
            self.bad_outcome,
            self.label_size,
            seed,
        )


def finish(
    production: QueryBatch,
    embeddings: np.ndarray,
    result: ShiftResult,
    out_dir: str | Path,
    segment_options: SegmentOptions,
    title: str = "Shift report",
    redact: bool = False,
    progress: Progress | None = None,
    *,
    run_info: Mapping[str, Any] | None = None,
    on_published: Callable[[], None] | None = None,
) -> tuple[ShiftResult, SegmentAnalysis, list[Path]]:
    """The stages after scoring that `report` and `check` share: segments, then the outputs.

    ``embeddings`` (n, d) are the production rows' (``Baseline.embed_batch``); ``run_info`` goes
    into run.json and ``on_published`` runs once the output folder is in place
    (:func:`~analyzer.report.outputs.write_outputs`). Returns the extended result, the segment
    analysis and the written paths.
    """
    if progress is not None:
        progress("segments, routing risk and the labelling queue")
    result, segments = add_segments(
        result,
        production.frame,
        embeddings,
        segment_options,
        id_col=production.id_col,
        text_col=production.text_col,
    )
    if progress is not None:
        progress(f"writing {out_dir}")
    paths = write_outputs(
        result,
        out_dir,
        text_col=production.text_col,
        title=title,
        segments=segments,
        redact=redact,
        run_info=run_info,
        on_published=on_published,
    )
    return result, segments, paths


def run_report(
    reference: str | Path,
    production: str | Path,
    out_dir: str | Path,
    config: AnalyzerConfig | None = None,
    options: ReportOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    show_progress_bar: bool = False,
) -> ShiftResult:
    """Load, analyse and write; return the result (the CLI decides the exit code)."""
    options = options or ReportOptions()
    check_output_folder(out_dir)  # before any work: a bad --out must not cost an analysis
    check_engine((config or AnalyzerConfig()).engine)
    reference_batch, production_batch = (
        load_queries(path, options.text_col, options.id_col, options.encoding)
        for path in (reference, production)
    )
    seed = config.score.seed if config is not None else 0
    check_segment_options(production_batch.frame, options.segment_options(seed))
    baseline = Baseline(config, embedder, options.use_cache, progress, show_progress_bar)
    with kept_pools():  # worker processes the reference starts embed the production too
        baseline.fit(reference_batch)
        result, embeddings = baseline.score_rows(production_batch)
    info = {"command": "report", "reference": str(reference), "production": str(production)}
    result, _, _ = finish(
        production_batch,
        embeddings,
        result,
        out_dir,
        options.segment_options(seed),
        title=options.title,
        redact=options.redact,
        progress=progress,
        run_info=info,
    )
    return result
