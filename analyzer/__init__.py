"""shift-analyzer: where production traffic has left the ground the reference covers.

from analyzer import Baseline, load_queries
baseline = Baseline().fit(load_queries("eval.jsonl"))
result = baseline.score(load_queries("prod.parquet"))   # -> ShiftResult
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("shift-analyzer")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

# Public names, imported on first use so that `import analyzer` (and the CLI's start) stays fast.
_EXPORTS = {
    "Baseline": "analyzer.baseline",
    "ShiftResult": "analyzer.result",
    "QueryBatch": "analyzer.ingest.batch",
    "load_queries": "analyzer.ingest.load",
    "write_outputs": "analyzer.report.outputs",
    "save_baseline": "analyzer.weekly.store",
    "load_baseline": "analyzer.weekly.store",
    "History": "analyzer.weekly.history",
    "AnalyzerConfig": "analyzer.config",
    "EmbedConfig": "analyzer.config",
    "CoverConfig": "analyzer.config",
    "ClusterConfig": "analyzer.config",
    "ScoreConfig": "analyzer.config",
    "EngineConfig": "analyzer.config",
    "SentenceTransformerEmbedder": "analyzer.embed",
    "AnalyzerError": "analyzer.errors",
    "InputError": "analyzer.errors",
    "NotFittedError": "analyzer.errors",
}

__all__ = [  # noqa: PLE0604 - names resolved lazily by __getattr__
    "__version__",
    *_EXPORTS,
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'analyzer' has no attribute {name!r}")
