from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        {
            "id": 1,
            "messages": [
                {"role": "system", "content": "be brief"},
                {"role": "user", "content": "first"},
                {"role": "assistant", "content": "ok"},
                {"role": "user", "content": [{"type": "text", "text": "second"}]},
            ],
        },
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
        (
            "q.jsonl",
            '{"query": "hi"}\n',
            {},
            SchemaError,
            r"no column 'text'. Columns: query. Pass text_col= with",
        ),
        ("q.csv", "query\nhi\n", {}, SchemaError, r"no column 'text'. Columns: query"),
        (
            "q.jsonl",
            '{"text": "hi"}\n',
            {"id_col": "uid"},
            SchemaError,
            r"no column 'uid'. Columns: text",
        ),
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


# ---- hostile input: every row survives or is listed as skipped, with its line --------------


def test_a_lone_surrogate_skips_its_row_not_the_run(tmp_path: Path) -> None:
    """JSON escapes of half a UTF-16 pair (as JavaScript truncation leaves) in one row."""
    rows = [
        '{"text": "fine"}',
        '{"text": "cut \\ud800 here"}',
        '{"text": "ok", "note": "\\udc00"}',
        '{"text": "also fine"}',
    ]
    batch = load_queries(write(tmp_path / "q.jsonl", "\n".join(rows) + "\n"))
    assert batch.texts == ["fine", "also fine"] and batch.ids == [1, 4]
    assert [(s.line, s.reason) for s in batch.skipped] == [
        (
            2,
            (
                "column 'text' holds a lone surrogate (U+D800), a broken UTF-16 pair; re-export "
                "the text as valid UTF-8"
            ),
        ),
        (
            3,
            (
                "column 'note' holds a lone surrogate (U+DC00), a broken UTF-16 pair; re-export "
                "the text as valid UTF-8"
            ),
        ),
    ]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x0c", "\x1c", "\r"])
def test_only_newline_ends_a_line(tmp_path: Path, separator: str) -> None:
    """Raw line and paragraph separators (and raw control characters, which strict JSON
    forbids in a string) inside a JSON string or a .txt query are text."""
    jsonl = f'{{"text": "one{separator}two"}}\n{{"text": "three"}}\n'
    path = tmp_path / "q.jsonl"
    path.write_bytes(jsonl.encode("utf-8"))
    batch = load_queries(path)
    assert batch.texts == [f"one{separator}two", "three"] and batch.ids == [1, 2]
    txt = tmp_path / "q.txt"
    txt.write_bytes(f"one{separator}two\nthree\n".encode())
    assert load_queries(txt).texts == [f"one{separator}two", "three"]


def test_crlf_files_lose_only_their_carriage_returns(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_bytes(b"first\r\nsecond\r\n")
    assert load_queries(path).texts == ["first", "second"]


def test_blank_texts_are_skipped_in_every_format(tmp_path: Path) -> None:
    batch = load_queries(write(tmp_path / "q.jsonl", '{"text": "  "}\n{"text": "hi"}\n'))
    assert batch.texts == ["hi"]
    assert [(s.line, s.reason) for s in batch.skipped] == [
        (1, "column 'text' is empty (blank text)")
    ]


def test_parquet_text_must_be_text_and_nested_metadata_stays_nested(tmp_path: Path) -> None:
    pd.DataFrame({"text": ["good", "fine"], "tags": [["a", "b"], []]}).to_parquet(
        tmp_path / "q.parquet"
    )
    batch = load_queries(tmp_path / "q.parquet")
    assert batch.texts == ["good", "fine"]
    assert batch.frame["tags"].tolist() == [["a", "b"], []]  # lists, not the repr of an array
    cases = {
        "bytes.parquet": (pd.DataFrame({"text": [b"raw", b"bytes"]}), "holds bytes, not text"),
        "lists.parquet": (pd.DataFrame({"text": [["x", "y"], ["z"]]}), "holds a list, not text"),
    }
    for name, (frame, reason) in cases.items():
        frame.to_parquet(tmp_path / name)
        with pytest.raises(InputError, match=rf"no usable query \(column 'text' {reason}"):
            load_queries(tmp_path / name)


def test_reserved_column_names_are_kept_under_input_names(tmp_path: Path) -> None:
    path = write(tmp_path / "q.jsonl", '{"text": "a", "row_number": "r-17"}\n{"text": "b"}\n')
    frame = load_queries(path).frame
    assert frame["row_number"].tolist() == [1, 2]
    assert frame["input_row_number"].tolist()[0] == "r-17"


@pytest.mark.parametrize("name", ["q.jsonl", "q.jsonl.gz"])
def test_compressed_files_are_read_whatever_their_name(tmp_path: Path, name: str) -> None:
    import bz2
    import gzip

    content = b'{"text": "compressed"}\n'
    (tmp_path / name).write_bytes(gzip.compress(content))
    assert load_queries(tmp_path / name).texts == ["compressed"]
    (tmp_path / "b.jsonl").write_bytes(bz2.compress(content))
    assert load_queries(tmp_path / "b.jsonl").texts == ["compressed"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04rest of a zip", r"is a zip archive, not a query file. Extract it"),
        (b"\x1f\x8b\x08\x00cut", r"is gzip-compressed but cannot be decompressed"),
    ],
)
def test_archives_are_refused_with_the_right_fix(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "q.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_queries(path)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.one_of(
                st.characters(), st.sampled_from(list("\u2028\u2029\u0085\x0c\r\n\ud800\udfff"))
            ),
            max_size=30,
        ),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
)
def test_every_jsonl_row_is_loaded_or_listed_as_skipped(
    texts: list[str], ascii_escapes: bool
) -> None:
    """Arbitrary Unicode (every line and paragraph separator, lone surrogates as escapes or raw
    code points): the rows and their ids survive, or each is listed with its line."""
    import tempfile

    lines = [
        json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=ascii_escapes)
        for i, t in enumerate(texts)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "q.jsonl"
        path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")
        try:
            batch = load_queries(path)
        except InputError as exc:
            # raw surrogates are no UTF-8: the file is refused, naming the line and the fix;
            # otherwise no usable row at all, every row with its reason
            raw = not ascii_escapes and any(0xD800 <= ord(c) <= 0xDFFF for t in texts for c in t)
            expected = "bytes are not valid utf-8" if raw else "no usable query"
            assert expected in str(exc)
            return
    kept = {int(str(i)[1:]) for i in batch.ids}
    skipped = {s.line - 1 for s in batch.skipped}
    assert kept.isdisjoint(skipped) and kept | skipped == set(range(len(texts)))
    assert batch.ids == sorted(batch.ids, key=lambda i: int(str(i)[1:]))
    for i, text in zip(sorted(kept), batch.texts, strict=True):
        assert text == texts[i]
