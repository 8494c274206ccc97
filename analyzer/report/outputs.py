"""Write a ShiftResult to a folder: queries.parquet, clusters.csv, emerging.csv, summary.json,
report.html, to_label.jsonl and run.json.

The whole folder is one unit (:mod:`analyzer.atomic`): every file is written into a fresh
temporary sibling, ``run.json`` last (a run id, the command, and the sha256 of every other
file), and the folder is swapped into place, so a reader sees the previous run's files or this
run's, never a mix. :func:`check_output_folder` refuses, before any work, an ``--out`` that is
a file, a symbolic link, a folder of other files, or not writable.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from analyzer import faults
from analyzer.atomic import staged_folder, writable_ancestor
from analyzer.embed import file_sha256
from analyzer.errors import InputError
from analyzer.report import render_report
from analyzer.result import ShiftResult
from analyzer.segments import SegmentAnalysis

OUTPUT_FILES = ("queries.parquet", "clusters.csv", "emerging.csv", "summary.json", "report.html")
LABEL_FILE = "to_label.jsonl"
RUN_FILE = "run.json"
RUN_FORMAT = "shift-analyzer-run"
#: Every file a run may leave in its folder: anything else there is someone else's.
RUN_FOLDER_FILES = frozenset({*OUTPUT_FILES, LABEL_FILE, RUN_FILE})


def check_output_folder(path: str | Path) -> Path:
    """Refuse an output folder that cannot hold a run, before any work is done.

    A run replaces the whole folder, so an existing one must be empty or hold only files a run
    writes; it must not be a file or a symbolic link; its parent must be writable.
    """
    target = Path(path)
    if target.is_symlink():
        raise InputError(
            f"{target} is a symbolic link. Pass the folder it points to, or a new folder."
        )
    if target.exists() and not target.is_dir():
        raise InputError(f"{target} is a file, not a folder. Pass a folder for the outputs.")
    if target.is_dir():
        foreign = sorted(p.name for p in target.iterdir() if p.name not in RUN_FOLDER_FILES)
        if foreign:
            shown = ", ".join(foreign[:5]) + (
                f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
            )
            raise InputError(
                f"{target} holds files that no shift-analyzer run wrote ({shown}); a run replaces "
                "the whole folder. Choose an empty or new folder."
            )
    writable_ancestor(target.parent)
    return target


def parquet_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Make columns storable: a column pyarrow can type (numbers, text, lists, nested records)
    is kept as it is; one it cannot (mixed kinds) becomes text, JSON for non-strings."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype != object:
            continue
        try:
            pa.array(out[column], from_pandas=True)
            continue
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            pass
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
    *,
    run_info: Mapping[str, Any] | None = None,
    on_published: Callable[[], None] | None = None,
) -> list[Path]:
    """Write the run's files into ``out_dir`` as one unit; return their paths.

    The four output files, to_label.jsonl when the segment stage ran, and run.json (run id,
    ``run_info``, each file's sha256). ``on_published`` runs once the folder is in place (the
    weekly check commits its history there); if it raises, the previous folder comes back.

    With ``redact``, e-mail addresses, phone and card numbers and secrets are masked in every
    file (:mod:`analyzer.redact`) before anything is written."""
    if redact:
        from analyzer.redact import redact_result, redact_segments

        result = redact_result(result)
        segments = None if segments is None else redact_segments(segments)
    target = Path(out_dir)
    with staged_folder(target) as staged:
        files = _write_files(staged.path, result, text_col, title, segments)
        _write_run_file(staged.path, files, run_info or {})
        staged.publish()
        if on_published is not None:
            on_published()
        faults.checkpoint("finalize")
    return [target / name for name in files]


def _write_files(
    folder: Path,
    result: ShiftResult,
    text_col: str,
    title: str,
    segments: SegmentAnalysis | None,
) -> dict[str, str]:
    """Write each output file into ``folder``; return {name: sha256}."""
    writers: list[tuple[str, Callable[[Path], object]]] = [
        (
            "queries.parquet",
            lambda p: parquet_ready(result.queries.frame).to_parquet(p, index=False),
        ),
        ("clusters.csv", lambda p: result.clusters.to_frame().to_csv(p, index=False)),
        ("emerging.csv", lambda p: result.emerging.to_frame().to_csv(p, index=False)),
        ("summary.json", lambda p: p.write_text(_summary_json(result), encoding="utf-8")),
        (
            "report.html",
            lambda p: p.write_text(
                render_report(result, text_col=text_col, title=title, segments=segments),
                encoding="utf-8",
            ),
        ),
    ]
    if segments is not None:
        records = segments.label_records()
        lines = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
        writers.append((LABEL_FILE, lambda p: p.write_text(lines, encoding="utf-8")))
    files = {}
    for name, write in writers:
        faults.checkpoint(f"write:{name}")
        write(folder / name)
        files[name] = file_sha256(folder / name)
    return files


def _summary_json(result: ShiftResult) -> str:
    summary = result.summary.to_dict()
    return json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _write_run_file(folder: Path, files: Mapping[str, str], info: Mapping[str, Any]) -> None:
    faults.checkpoint(f"write:{RUN_FILE}")
    run = {
        "format": RUN_FORMAT,
        "run_id": str(info.get("run_id") or uuid.uuid4().hex),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **{k: v for k, v in info.items() if k != "run_id"},
        "files": dict(files),
    }
    (folder / RUN_FILE).write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")


def read_run(out_dir: str | Path) -> dict[str, Any] | None:
    """The run.json of an output folder, or None when there is none (or it is unreadable)."""
    try:
        run = json.loads((Path(out_dir) / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return run if isinstance(run, dict) and run.get("format") == RUN_FORMAT else None
