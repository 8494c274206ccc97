"""Runs one report, baseline or check with the small embedder, for the fault-injection tests.

Usage: python -m tests.fault_driver {report|baseline|check} WORKDIR [PERIOD] [DATA]

WORKDIR holds ref.jsonl and prod-<DATA>.jsonl; the run writes WORKDIR/out, WORKDIR/base and
WORKDIR/history.sqlite. ``SHIFT_ANALYZER_FAULT`` (see analyzer.faults) makes it die or fail at
one write step.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from analyzer.config import AnalyzerConfig, CoverConfig, ScoreConfig
from analyzer.pipeline import ReportOptions, run_report
from analyzer.segments import SegmentOptions
from analyzer.weekly.check import run_check
from analyzer.weekly.jobs import make_baseline
from tests.builders import HashingEmbedder

FAST = AnalyzerConfig(
    cover=CoverConfig(n_bootstrap=50), score=ScoreConfig(n_permutations=20, test_sample=100)
)


def run(command: str, work: Path, period: str = "2026-W01", data: str = "a") -> None:
    """One run of ``command`` on the files in ``work`` (production file prod-<data>.jsonl)."""
    embedder = HashingEmbedder()
    prod = work / f"prod-{data}.jsonl"
    if command == "report":
        options = ReportOptions(use_cache=False, segment_cols=("client",))
        run_report(work / "ref.jsonl", prod, work / "out", FAST, options, embedder=embedder)
    elif command == "baseline":
        make_baseline(
            work / "ref.jsonl",
            work / "base",
            config=FAST,
            embedder=embedder,
            use_cache=False,
            overwrite=True,
        )
    else:
        run_check(
            work / "base",
            prod,
            work / "history.sqlite",
            period,
            work / "out",
            embedder=embedder,
            use_cache=False,
            segments=SegmentOptions(("client",)),
        )


if __name__ == "__main__":
    run(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:])
