"""detect_queries: the frame the pipeline consumes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.detect import DETECTION_COLUMNS, MALFORMED_REASONS, detect_queries
from analyzer.errors import InputError


def test_one_row_per_text_in_order_with_all_columns() -> None:
    texts = ["play jazz", "", "Hola, ¿cómo estás?", "mujhe kal ka weather batao please"]
    frame = detect_queries(texts)
    assert list(frame.columns) == list(DETECTION_COLUMNS)
    assert len(frame) == 4
    assert frame["n_chars"].tolist() == [len(t) for t in texts]
    assert frame["malformed_reasons"].iloc[1] == ["empty"]
    assert frame["n_intents"].tolist()[1] == 0
    assert frame["language"].iloc[2] == "es"
    assert frame["is_mixed_language"].tolist() == [False, False, False, True]


def test_empty_input_gives_empty_frame_with_columns() -> None:
    frame = detect_queries([])
    assert frame.empty
    assert list(frame.columns) == list(DETECTION_COLUMNS)


@pytest.mark.parametrize("bad", [["ok", None], ["ok", 3.5]])
def test_non_string_is_refused_with_its_position(bad: list[object]) -> None:
    with pytest.raises(InputError, match=r"texts\[1\] must be a str"):
        detect_queries(bad)  # type: ignore[arg-type]


def test_a_single_string_is_refused() -> None:
    with pytest.raises(InputError, match="Wrap it in a list"):
        detect_queries("play jazz")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.characters(exclude_categories=()), max_size=200), max_size=8))
def test_never_crashes_and_fields_are_valid_for_any_unicode(texts: list[str]) -> None:
    frame = detect_queries(texts)
    assert len(frame) == len(texts)
    for row in frame.to_dict("records"):
        assert set(row["malformed_reasons"]) <= set(MALFORMED_REASONS)
        assert row["is_malformed"] == bool(row["malformed_reasons"])
        assert row["n_intents"] >= 0
        assert row["is_multi_intent"] == (row["n_intents"] > 1)
        assert (row["why_malformed"] != "") == row["is_malformed"]
        assert (row["why_multi_intent"] != "") == row["is_multi_intent"]
        assert (row["why_mixed_language"] != "") == row["is_mixed_language"]
        assert len(row["malformed_evidence"]) == len(row["malformed_reasons"])
        assert row["intent_units"] == [] or len(row["intent_units"]) == row["n_intents"]
        shares = [entry["share"] for entry in row["languages"]]
        assert all(0.0 <= s <= 1.0 for s in shares)
        assert not shares or abs(sum(shares) - 1.0) < 1e-9
        for name in ("share_alpha", "share_digit", "share_punct", "share_space",
                     "share_non_ascii", "share_upper"):
            assert 0.0 <= row[name] <= 1.0


@pytest.mark.parametrize(
    "text",
    ["the quick brown fox " * 10000, "a,b,c,d\n" * 20000, "\tat a.b.C.d(C.java:1)\n" * 5000,
     "<a " * 20000, "why? " * 20000],
)
def test_giant_pastes_are_handled_in_linear_time(text: str) -> None:
    import time

    start = time.perf_counter()
    frame = detect_queries([text])
    assert time.perf_counter() - start < 3.0
    assert "too_long" in frame["malformed_reasons"].iloc[0]


def test_lone_surrogates_are_mojibake_not_a_crash() -> None:
    frame = detect_queries(["quelle est la capitale \ud800 de la France", "\udcff\udcfe"])
    assert frame["malformed_reasons"].tolist() == [["mojibake"], ["mojibake"]]
    assert frame["language"].iloc[0] == "fr"


def test_pastes_have_no_language_and_mojibake_is_read_repaired() -> None:
    frame = detect_queries(
        ['{\n  "id": 7,\n  "name": "x",\n  "tags": ["a"]\n}', "Ð¿Ñ€Ð¸Ð²ÐµÑ‚, ÐºÐ°Ðº Ð´ÐµÐ»Ð°"]
    )
    assert frame["language"].tolist() == ["und", "ru"]
    assert frame["languages"].iloc[0] == []
    assert frame["malformed_reasons"].iloc[1] == ["mojibake"]
