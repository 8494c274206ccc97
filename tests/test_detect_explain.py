"""Explanations: the per-cause "why" lines and the language mix of reference vs production."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.detect import detect_queries
from analyzer.detect.explain import (
    language_mix,
    why_malformed,
    why_mixed_language,
    why_multi_intent,
)
from analyzer.errors import InputError

GOLDEN = Path(__file__).parent / "golden" / "language_mix.json"
REFERENCE = ["en"] * 180 + ["es"] * 12 + ["fr"] * 6 + ["und"] * 2
PRODUCTION = ["en"] * 140 + ["es"] * 14 + ["de"] * 30 + ["hi"] * 10 + ["pt"] * 1 + ["und"] * 5


def test_language_mix_matches_golden() -> None:
    assert json.loads(json.dumps(language_mix(REFERENCE, PRODUCTION))) == json.loads(
        GOLDEN.read_text(encoding="utf-8")
    )


def test_languages_missing_from_the_reference_are_thin_and_common_ones_are_not() -> None:
    mix = language_mix(REFERENCE, PRODUCTION)
    assert mix["thin"] == ["de", "hi"]
    assert [e["lang"] for e in mix["languages"]][:3] == ["en", "de", "es"]


def test_a_small_reference_does_not_flag_noise() -> None:
    # 0 of 10 reference rows is not evidence against a 5 % production share
    mix = language_mix(["en"] * 10, ["en"] * 95 + ["it"] * 5)
    assert mix["thin"] == []


def test_rare_languages_are_pooled_and_und_is_never_thin() -> None:
    mix = language_mix(["en"] * 1000, ["en"] * 900 + ["und"] * 97 + ["sv", "fi", "da"])
    langs = {e["lang"]: e for e in mix["languages"]}
    assert "other" in langs and langs["other"]["production"]["n"] == 3
    assert "sv" not in langs
    assert "und" not in mix["thin"]


@pytest.mark.parametrize(
    ("reference", "production", "side"),
    [([1, "en"], ["en"], "reference"), (["en"], ["en", None], "production")],
)
def test_non_string_languages_are_refused(reference, production, side) -> None:
    with pytest.raises(InputError, match=rf"{side}_languages must hold language codes"):
        language_mix(reference, production)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["en", "es", "de", "und", "zh", "hi"]), max_size=60),
    st.lists(st.sampled_from(["en", "es", "de", "und", "zh", "hi"]), min_size=1, max_size=60),
)
def test_shares_are_distributions_sorted_by_production(reference, production) -> None:
    mix = language_mix(reference, production)
    prod = [e["production"]["share"] for e in mix["languages"]]
    assert prod == sorted(prod, reverse=True)
    assert math.isclose(sum(prod), 1.0)
    ref = [e["reference"]["share"] for e in mix["languages"]]
    assert not reference or math.isclose(sum(ref), 1.0)
    for entry in mix["languages"]:
        for side in ("reference", "production"):
            stats = entry[side]
            assert stats["ci_low"] <= (stats["share"] if stats["total"] else 0) <= stats["ci_high"]


def test_why_lines_name_the_evidence() -> None:
    assert (
        why_malformed([("html_entities", "&lt;p&gt;Can I…")]) == "HTML entities (&lt;p&gt;Can I…)"
    )
    assert why_malformed([]) == ""
    line = why_multi_intent(["book a flight to Paris for next Friday morning", "what is DNS?"])
    assert line == "2 request units: 'book a flight to Paris for next Friday…' | 'what is DNS?'"
    assert why_multi_intent(["one"]) == ""
    shares = [{"lang": "fr", "share": 0.6}, {"lang": "en", "share": 0.4}]
    assert why_mixed_language(shares, "spans: fr 'je' | en 'you'") == (
        "fr 60% / en 40% (spans: fr 'je' | en 'you')"
    )


def test_detect_queries_explains_every_fired_cause() -> None:
    frame = detect_queries(
        [
            "&lt;p&gt;Can I change the delivery date?&lt;/p&gt;",
            "1. book a table for two\n2. what is the capital of Peru?",
            "Je cherche un cadeau pour ma soeur, something small she can carry, pas trop cher.",
            "What is the capital of Peru?",
        ]
    )
    assert frame["why_malformed"].iloc[0].startswith("HTML entities (")
    assert frame["why_multi_intent"].iloc[1] == (
        "2 request units: 'book a table for two' | 'what is the capital of Peru?'"
    )
    assert frame["intent_units"].iloc[1] == ["book a table for two", "what is the capital of Peru?"]
    assert frame["why_mixed_language"].iloc[2].startswith("fr ")
    assert "spans:" in frame["language_evidence"].iloc[2]
    last = frame.iloc[3]
    assert (last["why_malformed"], last["why_multi_intent"], last["why_mixed_language"]) == (
        "",
        "",
        "",
    )
