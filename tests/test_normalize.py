from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analyzer.ingest.normalize import collapse_duplicates, normalize_text


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_normalize_collapses_whitespace_and_composes() -> None:
    assert normalize_text("  cafe\u0301 \n\t menu  ") == "caf\u00e9 menu"


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=30))
def test_collapse_duplicates_round_trips(texts: list[str]) -> None:
    unique, inverse, counts = collapse_duplicates(texts)
    assert [unique[i] for i in inverse] == texts
    assert len(set(unique)) == len(unique)
    assert counts.sum() == len(texts)
