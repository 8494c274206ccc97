from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analyzer.errors import InputError, SchemaError
from analyzer.ingest.load import load_queries


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_keeps_every_column_and_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path / "q.jsonl",
        '{"id": "a", "text": "hi", "client": "api"}\n{"id": "b", "text": "yo", "client": "web"}\n',
    )
    batch = load_queries(path)
    assert batch.ids == ["a", "b"]
    assert batch.texts == ["hi", "yo"]
    assert batch.frame["client"].tolist() == ["api", "web"]
    assert batch.skipped == ()


def test_bad_jsonl_rows_are_skipped_with_file_line_and_reason(tmp_path: Path) -> None:
    content = (
        '{"text": "ok"}\nnot json\n{"text": null}\n[1, 2]\n{"text": ["a"]}\n{"text": "fine"}\n'
    )
    path = write(tmp_path / "q.jsonl", content)
    batch = load_queries(path)
    assert batch.texts == ["ok", "fine"]
    assert [(s.line, s.reason.split(" (")[0]) for s in batch.skipped] == [
        (2, "invalid JSON"),
        (3, "column 'text' is empty"),
        (4, "row is a list, not an object"),
        (5, "column 'text' holds a list, not text"),
    ]
    assert all(s.file == str(path) for s in batch.skipped)


def test_ids_default_to_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "q.jsonl", '{"text": "a"}\n\n{"text": "b"}\n')
    assert load_queries(path).ids == [1, 3]


def test_csv_with_ragged_row_and_numeric_columns(tmp_path: Path) -> None:
    content = 'id,text,turns\n1,"hello, there",3\n2,bad,row,extra\n3,bye,5\n'
    path = write(tmp_path / "q.csv", content)
    batch = load_queries(path)
    assert batch.texts == ["hello, there", "bye"]
    assert batch.frame["turns"].tolist() == [3, 5]
    assert batch.skipped[0].line == 3
    assert "4 fields where the header has 3" in batch.skipped[0].reason


def test_text_file_one_query_per_line(tmp_path: Path) -> None:
    path = write(tmp_path / "q.txt", "first query\n\nsecond query\n")
    batch = load_queries(path)
    assert batch.texts == ["first query", "second query"]
    assert batch.ids == [1, 3]
    assert batch.skipped[0].reason == "empty line"


def test_parquet_and_dataframe(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": ["a", "b"], "tier": [1, 2]})
    frame.to_parquet(tmp_path / "q.parquet")
    assert load_queries(tmp_path / "q.parquet").frame["tier"].tolist() == [1, 2]
    assert load_queries(frame).source == "<DataFrame>"


def test_chat_logs_take_last_user_turn(tmp_path: Path) -> None:
    rows = [
        {"id": 1, "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": [{"type": "text", "text": "second"}]},
        ]},
        {"id": 2, "messages": [{"role": "assistant", "content": "hello"}]},
    ]
    path = write(tmp_path / "chat.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    batch = load_queries(path)
    assert batch.texts == ["second"]
    assert batch.frame["turn_count"].tolist() == [4]
    assert batch.frame["context_chars"].tolist() == [len("be brief") + len("first") + len("ok")]
    assert batch.skipped[0].reason == "'messages' has no user turn"


@pytest.mark.parametrize(
    ("name", "content", "kwargs", "error", "message"),
    [
        ("q.jsonl", '{"query": "hi"}\n', {}, SchemaError,
         r"no column 'text'. Columns: query. Pass text_col= with"),
        ("q.csv", "query\nhi\n", {}, SchemaError, r"no column 'text'. Columns: query"),
        ("q.jsonl", '{"text": "hi"}\n', {"id_col": "uid"}, SchemaError,
         r"no column 'uid'. Columns: text"),
        ("q.xlsx", "x", {}, InputError, r"unsupported file type '.xlsx'. Use one of .csv"),
        ("q.json", "{not json", {}, InputError, r"line 1: invalid JSON"),
        ("q.jsonl", "", {}, InputError, r"no usable query \(the file has no rows\)"),
        ("q.csv", "", {}, InputError, r"the file is empty"),
    ],
)
def test_unusable_files_raise_one_clear_error(
    tmp_path: Path, name, content, kwargs, error, message
) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(error, match=message):
        load_queries(path, **kwargs)


def test_bad_encoding_names_line_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_bytes("ok\ncaf\xe9\n".encode("latin-1"))
    message = r"line 2: bytes are not valid utf-8 .* pass encoding=latin-1"
    with pytest.raises(InputError, match=message):
        load_queries(path)
    assert load_queries(path, encoding="latin-1").texts == ["ok", "café"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_queries(tmp_path / "absent.jsonl")
