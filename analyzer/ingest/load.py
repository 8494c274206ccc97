"""Read queries from files and DataFrames into a QueryBatch; the only module that reads input.

Formats by suffix: .csv, .tsv, .jsonl/.ndjson, .json (a list of objects), .parquet, .txt (one
query a line). Chat logs in OpenAI form (a ``messages`` list) give the last user turn as the
text and keep ``turn_count`` and ``context_chars``. A row that cannot become a query is skipped
and reported (file, line, reason); a file that cannot be used at all raises an InputError.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from analyzer.errors import InputError, SchemaError
from analyzer.ingest.batch import QueryBatch, SkippedRow

#: The id column used when none is named: taken from the input, else filled with row numbers.
DEFAULT_ID = "id"
SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".txt")
ROW_NUMBER = "row_number"


def _read_text(path: Path, encoding: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: file not found. Check the path.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a folder, not a file. Pass a query file.") from exc
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


def _last_user_turn(messages: Any) -> tuple[str | None, int, int, str]:
    """Return (text, turn count, characters of context before it, reason if unusable)."""
    if not isinstance(messages, list):
        return None, 0, 0, "'messages' is not a list"
    texts: list[tuple[str, str]] = []
    for message in messages:
        if not isinstance(message, dict):
            return None, 0, 0, "a message in 'messages' is not an object"
        content = message.get("content")
        if isinstance(content, list):  # content parts: keep the text parts
            content = "\n".join(
                str(p.get("text", ""))
                for p in content
                if isinstance(p, dict) and p.get("type") == "text"
            )
        texts.append((str(message.get("role", "")), "" if content is None else str(content)))
    user = [i for i, (role, _) in enumerate(texts) if role == "user"]
    if not user:
        return None, len(texts), 0, "'messages' has no user turn"
    last = user[-1]
    context = sum(len(t) for _, t in texts[:last])
    return texts[last][1], len(texts), context, ""


def _records_to_batch(
    records: list[tuple[int, Any]],
    source: str,
    text_col: str,
    id_col: str | None,
    skipped: list[SkippedRow],
) -> QueryBatch:
    """Turn (line, record-dict) pairs into a batch, skipping rows that hold no usable text."""
    rows: list[dict[str, Any]] = []
    columns_seen: dict[str, None] = {}
    chat = False
    for line, record in records:
        if not isinstance(record, dict):
            skipped.append(
                SkippedRow(source, line, f"row is a {type(record).__name__}, not an object")
            )
            continue
        columns_seen.update(dict.fromkeys(record))
        row = dict(record)
        if text_col not in row and "messages" in row:
            chat = True
            text, turns, context, reason = _last_user_turn(row["messages"])
            if text is None:
                skipped.append(SkippedRow(source, line, reason))
                continue
            row[text_col] = text
            row["turn_count"] = turns
            row["context_chars"] = context
            row["messages"] = json.dumps(row["messages"], ensure_ascii=False)
        value = row.get(text_col)
        if text_col not in row:
            if not rows and not any(text_col in r for _, r in records if isinstance(r, dict)):
                raise SchemaError(
                    f"{source}: no column {text_col!r}. Columns: {', '.join(columns_seen) or '(none)'}. "
                    "Pass text_col= with the column that holds the query."
                )
            skipped.append(SkippedRow(source, line, f"column {text_col!r} is absent in this row"))
            continue
        if value is None or (isinstance(value, float) and math.isnan(value)):
            skipped.append(SkippedRow(source, line, f"column {text_col!r} is empty (null)"))
            continue
        if isinstance(value, (list, dict)):
            skipped.append(
                SkippedRow(
                    source, line, f"column {text_col!r} holds a {type(value).__name__}, not text"
                )
            )
            continue
        row[text_col] = str(value)
        row[ROW_NUMBER] = line
        rows.append(row)
    if not rows:
        reasons = "; ".join(sorted({s.reason for s in skipped})) or "the file has no rows"
        raise InputError(f"{source}: no usable query ({reasons}). Check the file and text_col=.")
    frame = pd.DataFrame(rows)
    id_given = id_col is not None
    id_col = id_col if id_col is not None else DEFAULT_ID
    if id_col not in frame.columns:
        if id_given:
            raise SchemaError(
                f"{source}: no column {id_col!r}. Columns: {', '.join(c for c in frame.columns if c != ROW_NUMBER)}. "
                "Pass id_col= with an existing column, or leave it out to use row numbers."
            )
        frame[id_col] = frame[ROW_NUMBER]
    elif frame[id_col].isna().any():
        frame[id_col] = frame[id_col].where(frame[id_col].notna(), frame[ROW_NUMBER])
    del chat
    return QueryBatch(frame.reset_index(drop=True), source, text_col, id_col, tuple(skipped))


def _jsonl_records(text: str, source: str, skipped: list[SkippedRow]) -> list[tuple[int, Any]]:
    records = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((line_number, json.loads(line)))
        except json.JSONDecodeError as exc:
            skipped.append(
                SkippedRow(source, line_number, f"invalid JSON ({exc.msg}, column {exc.colno})")
            )
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
                    f"{len(values)} fields where the header has {len(header)} (quote fields that contain '{delimiter}')",
                )
            )
            continue
        records.append((reader.line_num, dict(zip(header, values))))
    return records


def _infer_numbers(frame: pd.DataFrame, keep: set[str]) -> pd.DataFrame:
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


def load_queries(
    source: str | Path | pd.DataFrame,
    text_col: str = "text",
    id_col: str | None = None,
    encoding: str = "utf-8",
) -> QueryBatch:
    """Load queries from a file path or a DataFrame.

    Parameters
    ----------
    source
        A path (format by suffix, see the module docstring) or a DataFrame.
    text_col
        Column that holds the query text (default ``text``); for chat logs without it, the last
        user turn of ``messages`` is used.
    id_col
        Column that holds the row id; it must exist when named. ``None`` (the default) takes
        the column ``id`` when there is one, else the 1-based line (or row) number, kept in a
        column named ``id``.
    encoding
        Text encoding of CSV, JSONL and text files.
    """
    skipped: list[SkippedRow] = []
    if isinstance(source, pd.DataFrame):
        records = list(enumerate(source.to_dict(orient="records"), start=1))
        return _records_to_batch(records, "<DataFrame>", text_col, id_col, skipped)
    path = Path(source)
    suffix = path.suffix.lower()
    name = str(path)
    if suffix not in SUFFIXES:
        raise InputError(
            f"{name}: unsupported file type {suffix or '(none)'!r}. "
            f"Use one of {', '.join(SUFFIXES)} (plain text: one query a line, .txt)."
        )
    if suffix == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except FileNotFoundError as exc:
            raise InputError(f"{name}: file not found. Check the path.") from exc
        except Exception as exc:  # pyarrow raises several kinds for damaged files
            raise InputError(f"{name}: cannot read as Parquet ({exc}). Check the file.") from exc
        records = list(enumerate(frame.to_dict(orient="records"), start=1))
        return _records_to_batch(records, name, text_col, id_col, skipped)
    text = _read_text(path, encoding)
    if suffix in (".jsonl", ".ndjson"):
        records = _jsonl_records(text, name, skipped)
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{name}: line {exc.lineno}: invalid JSON ({exc.msg}). "
                "Fix the file, or save one object per line as .jsonl."
            ) from exc
        if not isinstance(data, list):
            raise InputError(
                f"{name}: expected a JSON list of objects, got a {type(data).__name__}."
            )
        records = list(enumerate(data, start=1))
    elif suffix == ".txt":
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                records.append((number, {text_col: line}))
            else:
                skipped.append(SkippedRow(name, number, "empty line"))
    else:
        records = _csv_records(text, name, "\t" if suffix == ".tsv" else ",", skipped)
    batch = _records_to_batch(records, name, text_col, id_col, skipped)
    if suffix in (".csv", ".tsv"):
        _infer_numbers(batch.frame, {batch.text_col, batch.id_col})
    return batch
