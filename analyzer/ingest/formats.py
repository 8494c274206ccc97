"""Input formats: each reader turns one file into (line, record) pairs, skipping what it must.

Readers return the rows they could parse and append a :class:`SkippedRow` (file, line, reason)
for each they could not; a file that cannot be used at all raises an InputError.
:func:`read_records` picks the reader by suffix.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analyzer.errors import InputError
from analyzer.ingest.batch import SkippedRow

Records = list[tuple[int, Any]]
SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".txt")


#: Leading bytes of compressed files: gzip, bz2 and xz are read transparently.
_GZIP, _BZIP2, _XZ = b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00"
_REFUSED_ARCHIVES = {b"PK\x03\x04": "a zip archive", b"\x28\xb5\x2f\xfd": "zstd-compressed"}
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz")


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when it is gzip, bz2 or xz (whatever its name)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: file not found. Check the path.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a folder, not a file. Pass a query file.") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied. Make the file readable.") from exc
    for magic, kind in _REFUSED_ARCHIVES.items():
        if raw.startswith(magic):
            raise InputError(
                f"{path}: is {kind}, not a query file. Extract it and pass the file inside."
            )
    return _decompressed(path, raw)


def _decompressed(path: Path, raw: bytes) -> bytes:
    import bz2
    import gzip
    import lzma

    for magic, module, name in ((_GZIP, gzip, "gzip"), (_BZIP2, bz2, "bz2"), (_XZ, lzma, "xz")):
        if raw.startswith(magic):
            try:
                return bytes(module.decompress(raw))
            except (OSError, EOFError, ValueError, lzma.LZMAError) as exc:
                raise InputError(
                    f"{path}: is {name}-compressed but cannot be decompressed ({exc}); the file "
                    "is truncated or damaged. Compress it again or pass it uncompressed."
                ) from exc
    return raw


def _read_text(path: Path, encoding: str) -> str:
    raw = _read_bytes(path)
    try:
        return raw.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line}: bytes are not valid {encoding} ({exc.reason}). "
            "Re-save the file as UTF-8 or pass encoding=latin-1 (or the file's encoding)."
        ) from exc
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r}. Pass e.g. encoding=utf-8.") from exc


def _lines(text: str) -> list[str]:
    """Lines split at "\n" only (a CR before it goes too): U+2028, U+0085 or a form feed inside
    a JSON string or a query are text, not line breaks."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def _jsonl_records(text: str, source: str, skipped: list[SkippedRow]) -> list[tuple[int, Any]]:
    records = []
    for line_number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        try:
            records.append((line_number, json.loads(line, strict=False)))
        except json.JSONDecodeError as exc:
            skipped.append(
                SkippedRow(source, line_number, f"invalid JSON ({exc.msg}, column {exc.colno})")
            )
    return records


def _json_records(text: str, source: str, skipped: list[SkippedRow]) -> Records:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: line {exc.lineno}: invalid JSON ({exc.msg}). "
            "Fix the file, or save one object per line as .jsonl."
        ) from exc
    if not isinstance(data, list):
        raise InputError(f"{source}: expected a JSON list of objects, got a {type(data).__name__}.")
    return list(enumerate(data, start=1))


def _text_records(text: str, source: str, skipped: list[SkippedRow], text_col: str) -> Records:
    records: Records = []
    for number, line in enumerate(_lines(text), start=1):
        if line.strip():
            records.append((number, {text_col: line}))
        else:
            skipped.append(SkippedRow(source, number, "empty line"))
    return records


def _csv_records(
    text: str, source: str, delimiter: str, skipped: list[SkippedRow]
) -> list[tuple[int, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InputError(f"{source}: the file is empty. Pass a file with a header row.") from exc
    except csv.Error as exc:
        raise InputError(f"{source}: line 1: cannot read the header ({exc}).") from exc
    records = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            skipped.append(SkippedRow(source, reader.line_num, f"malformed CSV ({exc})"))
            continue
        if not values:
            continue
        if len(values) != len(header):
            skipped.append(
                SkippedRow(
                    source,
                    reader.line_num,
                    f"{len(values)} fields where the header has {len(header)} "
                    f"(quote fields that contain '{delimiter}')",
                )
            )
            continue
        records.append((reader.line_num, dict(zip(header, values))))
    return records


def read_parquet_records(path: Path) -> Records:
    """The rows of a Parquet file as (row number, record) pairs."""
    raw = _read_bytes(path)
    try:
        frame = pd.read_parquet(io.BytesIO(raw))
    except Exception as exc:  # pyarrow raises several kinds for damaged files
        raise InputError(f"{path}: cannot read as Parquet ({exc}). Check the file.") from exc
    # Nested cells arrive as numpy arrays: plain lists keep them lists (not their repr).
    records = [
        {k: plain_cell(v) for k, v in record.items()} for record in frame.to_dict(orient="records")
    ]
    return list(enumerate(records, start=1))


def plain_cell(value: Any) -> Any:
    """A cell with numpy arrays turned into lists (recursively)."""
    if isinstance(value, np.ndarray):
        return [plain_cell(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {k: plain_cell(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_cell(v) for v in value]
    return value


def format_suffix(path: Path) -> str:
    """The suffix that names the format, under a compression suffix (``a.jsonl.gz``: .jsonl)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def read_records(path: Path, text_col: str, encoding: str, skipped: list[SkippedRow]) -> Records:
    """The (line, record) pairs of a query file, by its suffix (see ``SUFFIXES``)."""
    suffix = format_suffix(path)
    name = str(path)
    if suffix not in SUFFIXES:
        raise InputError(
            f"{name}: unsupported file type {suffix or '(none)'!r}. "
            f"Use one of {', '.join(SUFFIXES)} (plain text: one query a line, .txt)."
        )
    if suffix == ".parquet":
        return read_parquet_records(path)
    text = _read_text(path, encoding)
    readers: dict[str, Callable[[str, str, list[SkippedRow]], Records]] = {
        ".jsonl": _jsonl_records,
        ".ndjson": _jsonl_records,
        ".json": _json_records,
        ".txt": lambda t, n, s: _text_records(t, n, s, text_col),
        ".csv": lambda t, n, s: _csv_records(t, n, ",", s),
        ".tsv": lambda t, n, s: _csv_records(t, n, "\t", s),
    }
    return readers[suffix](text, name, skipped)


def infer_numbers(frame: pd.DataFrame, keep: set[str]) -> pd.DataFrame:
    """Turn all-numeric and all-boolean text columns (CSV reads everything as text) into values."""
    for column in frame.columns:
        if column in keep or not (
            frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])
        ):
            continue
        values = set(frame[column].dropna().astype(str).str.lower())
        if values and values <= {"true", "false"}:
            frame[column] = frame[column].astype(str).str.lower() == "true"
            continue
        try:
            frame[column] = pd.to_numeric(frame[column])
        except (ValueError, TypeError):
            continue
    return frame
