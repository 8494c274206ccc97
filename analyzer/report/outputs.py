"""Write a ShiftResult to a folder: queries.parquet, clusters.csv, summary.json, report.html.

Each file is written to a temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from analyzer.report import render_report
from analyzer.result import ShiftResult
from analyzer.segments import SegmentAnalysis

OUTPUT_FILES = ("queries.parquet", "clusters.csv", "summary.json", "report.html")


def _atomic_write(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def parquet_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Make object columns storable: mixed-type values become strings (None stays null)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype != object:
            continue
        kinds = {
            type(v)
            for v in out[column]
            if v is not None and not (isinstance(v, float) and pd.isna(v))
        }
        if len(kinds) > 1 or (kinds and not kinds <= {str, list, bool}):
            out[column] = [
                None
                if v is None or (isinstance(v, float) and pd.isna(v))
                else v
                if isinstance(v, str)
                else json.dumps(v, ensure_ascii=False, default=str)
                for v in out[column]
            ]
    return out


def write_outputs(
    result: ShiftResult,
    out_dir: str | Path,
    text_col: str = "text",
    title: str = "Shift report",
    segments: SegmentAnalysis | None = None,
    redact: bool = False,
) -> list[Path]:
    """Write the four output files into ``out_dir`` (created if needed), plus to_label.jsonl
    when the segment stage ran; return their paths.

    With ``redact``, e-mail addresses, phone and card numbers and secrets are masked in every
    file (:mod:`analyzer.redact`), once, on the result before anything is written."""
    if redact:
        from analyzer.redact import redact_result, redact_segments

        result = redact_result(result)
        segments = None if segments is None else redact_segments(segments)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in OUTPUT_FILES]
    queries = parquet_ready(result.queries.frame)
    _atomic_write(paths[0], lambda p: queries.to_parquet(p, index=False))
    clusters = result.clusters.to_frame()
    _atomic_write(paths[1], lambda p: clusters.to_csv(p, index=False))
    summary = json.dumps(result.summary.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    _atomic_write(paths[2], lambda p: p.write_text(summary + "\n", encoding="utf-8"))
    page = render_report(result, text_col=text_col, title=title, segments=segments)
    _atomic_write(paths[3], lambda p: p.write_text(page, encoding="utf-8"))
    if segments is not None:
        lines = "".join(
            json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in segments.label_records()
        )
        paths.append(folder / "to_label.jsonl")
        _atomic_write(paths[-1], lambda p: p.write_text(lines, encoding="utf-8"))
    return paths
