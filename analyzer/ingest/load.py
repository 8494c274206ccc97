"""Read queries from files and DataFrames into a QueryBatch; the only module that reads input.

Formats by suffix: .csv, .tsv, .jsonl/.ndjson, .json (a list of objects), .parquet, .txt (one
query a line). Chat logs in OpenAI form (a ``messages`` list) give the last user turn as the
text and keep ``turn_count`` and ``context_chars``. A row that cannot become a query is skipped
and reported (file, line, reason); a file that cannot be used at all raises an InputError.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from analyzer.errors import InputError, SchemaError
from analyzer.ingest.batch import QueryBatch, SkippedRow
from analyzer.ingest.formats import (
    SUFFIXES,
    Records,
    format_suffix,
    infer_numbers,
    plain_cell,
    read_records,
)

#: The id column used when none is named: taken from the input, else filled with row numbers.
DEFAULT_ID = "id"
ROW_NUMBER = "row_number"
__all__ = ["DEFAULT_ID", "SUFFIXES", "load_queries"]


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


#: Columns the loader adds; an input column of the same name is kept as ``input_<name>``.
RESERVED = (ROW_NUMBER, "turn_count", "context_chars")


def _usable_row(
    line: int, record: Any, source: str, text_col: str
) -> dict[str, Any] | SkippedRow | None:
    """The row of one record with its text as a string; a SkippedRow when it holds no usable
    text; None when it lacks the text column (the caller decides)."""
    if not isinstance(record, dict):
        return SkippedRow(source, line, f"row is a {type(record).__name__}, not an object")
    row = {f"input_{k}" if k in RESERVED else k: v for k, v in record.items()}
    if text_col not in row and "messages" in row:
        text, turns, context, reason = _last_user_turn(row["messages"])
        if text is None:
            return SkippedRow(source, line, reason)
        row[text_col] = text
        row["turn_count"] = turns
        row["context_chars"] = context
        row["messages"] = json.dumps(row["messages"], ensure_ascii=False)
    if text_col not in row:
        return None
    problem = _text_problem(row[text_col], text_col) or _surrogate_problem(row)
    if problem:
        return SkippedRow(source, line, problem)
    value = row[text_col]
    row[text_col] = value if isinstance(value, str) else str(value)
    row[ROW_NUMBER] = line
    return row


def _text_problem(value: Any, text_col: str) -> str:
    """Why a text cell is no query ("" when it is one): null, empty, or not text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"column {text_col!r} is empty (null)"
    if isinstance(value, str):
        return "" if value.strip() else f"column {text_col!r} is empty (blank text)"
    if isinstance(value, (bytes, bytearray)):
        return f"column {text_col!r} holds bytes, not text (decode them to text before loading)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ""
    return f"column {text_col!r} holds a {type(value).__name__}, not text"


def _surrogate_problem(row: dict[str, Any]) -> str:
    """A lone surrogate (half of a UTF-16 pair, as JavaScript truncation leaves) in any text
    value cannot be stored or encoded: the row is skipped with the column named."""
    for column, value in row.items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                code = ord(value[exc.start])
                return (
                    f"column {column!r} holds a lone surrogate (U+{code:04X}), a broken UTF-16 "
                    "pair; re-export the text as valid UTF-8"
                )
    return ""


def _records_to_batch(
    records: Records,
    source: str,
    text_col: str,
    id_col: str | None,
    skipped: list[SkippedRow],
) -> QueryBatch:
    """Turn (line, record-dict) pairs into a batch, skipping rows that hold no usable text."""
    rows: list[dict[str, Any]] = []
    columns_seen: dict[str, None] = {}
    has_text_col = any(text_col in r for _, r in records if isinstance(r, dict))
    for line, record in records:
        if isinstance(record, dict):
            columns_seen.update(dict.fromkeys(record))
        row = _usable_row(line, record, source, text_col)
        if row is None and not rows and not has_text_col:
            names = ", ".join(columns_seen) or "(none)"
            raise SchemaError(
                f"{source}: no column {text_col!r}. Columns: {names}. "
                "Pass text_col= with the column that holds the query."
            )
        if row is None:
            row = SkippedRow(source, line, f"column {text_col!r} is absent in this row")
        if isinstance(row, SkippedRow):
            skipped.append(row)
        else:
            rows.append(row)
    if not rows:
        reasons = "; ".join(sorted({s.reason for s in skipped})) or "the file has no rows"
        raise InputError(f"{source}: no usable query ({reasons}). Check the file and text_col=.")
    frame = _with_ids(pd.DataFrame(rows), source, id_col)
    name = id_col if id_col is not None else DEFAULT_ID
    return QueryBatch(frame.reset_index(drop=True), source, text_col, name, tuple(skipped))


def _with_ids(frame: pd.DataFrame, source: str, id_col: str | None) -> pd.DataFrame:
    """The frame with its id column: as given (missing ids filled with row numbers), or, when
    none is named and there is no ``id`` column, the row numbers."""
    name = id_col if id_col is not None else DEFAULT_ID
    if name not in frame.columns:
        if id_col is not None:
            names = ", ".join(c for c in frame.columns if c != ROW_NUMBER)
            raise SchemaError(
                f"{source}: no column {name!r}. Columns: {names}. "
                "Pass id_col= with an existing column, or leave it out to use row numbers."
            )
        frame[name] = frame[ROW_NUMBER]
    elif frame[name].isna().any():
        frame[name] = frame[name].where(frame[name].notna(), frame[ROW_NUMBER])
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
        rows = source.to_dict(orient="records")
        records = [(i, {k: plain_cell(v) for k, v in r.items()}) for i, r in enumerate(rows, 1)]
        return _records_to_batch(records, "<DataFrame>", text_col, id_col, skipped)
    path = Path(source)
    records = read_records(path, text_col, encoding, skipped)
    batch = _records_to_batch(records, str(path), text_col, id_col, skipped)
    if format_suffix(path) in (".csv", ".tsv"):  # CSV reads every value as text
        infer_numbers(batch.frame, {batch.text_col, batch.id_col})
    return batch
