"""Round-3 malformed rules: cut-off texts, quoted-printable residue, and the artefact shapes
added with them (new cases, not from any evaluation set)."""

from __future__ import annotations

import pytest

from analyzer.detect.damage import encoding_residue, truncated
from analyzer.detect.malformed import malformed_reasons


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Could you draft a short note to the parents about the excursi", "truncated"),
        ("Translate into German: \"Our office will be closed on Monday for", "truncated"),
        ("Bonjour, je voudrais savoir quand ma commande sera livr", "truncated"),
        ("Thanks, I can=E2=80=99t open the =\nattachment =E2=80=93 it says", "mojibake"),
        ("[null, null, null]", "serialization_debris"),
        ("(None, None)", "serialization_debris"),
        ("PLS-00201: identifier 'PKG_BILLING' must be declared", "error_message"),
        ("Sure! Here is the list: apples, pears, pears pears pears pears pears pears pears pears",
         "repetition"),
        ("Write a tagline for <BRAND_NAME> that appeals to <TARGET_GROUP>.", "placeholder"),
        ("Classify the following review as positive or negative:\n%s", "placeholder"),
        ("Where is my parcel?<br><br><br>", "html"),
        ("0a1b 2c3d 4e5f 6071 8293 a4b5 c6d7 e8f9 0a1b 2c3d 4e5f 6071 8293 a4b5", "encoded_blob"),
        ('sku,name,price\n11,"Mug, blue",7.5\n12,"Cap, red",9.0\n13,', "table_dump"),
    ],
)  # fmt: skip
def test_damaged_shapes_are_malformed(text: str, reason: str) -> None:
    assert reason in malformed_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "how long do i cook baked ziti",  # a lower-case query ending in a dish name
        "what's the exchange rate of usd to inr",  # a currency code
        "My beneficiary is unable to transact",  # a word of its own (a stem)
        "I would like to know how to get to the airport from Praha",  # a name
        "Papa ko email bhejna nahi aata, can you explain the steps jo main unhe bata saku",
        "Can you help me write a cover letter?",  # ends in punctuation
        'Rewrite this: "We are pleased to announce our new office."',  # a closed quote
        "What does =3D mean in an email I received?",  # one escape, asked about
        "In a Jinja template, how do I print a literal {name}?",  # asks about the notation
        "What's the default value for ${PORT} in a docker-compose file?",  # notation again
        "Why do <b> and <strong> render the same?",  # tags asked about
        "[None] is printed when I call my function, why?",  # debris asked about
        "Please please please tell me the answer",  # three repeats, not a degenerate tail
    ],
)
def test_lookalikes_are_not_malformed(text: str) -> None:
    assert malformed_reasons(text) == []


def test_truncated_names_where_the_text_was_cut() -> None:
    evidence = truncated("Could you draft a short note to the parents about the excursi")
    assert evidence is not None and evidence.endswith("excursi")


def test_quoted_printable_needs_several_escapes() -> None:
    assert encoding_residue("a=3Db") is None
    assert encoding_residue("caf=C3=A9 and cr=C3=A8me") is not None


@pytest.mark.parametrize(
    "text", ["la posologie du mГ©dicament", "Ti risponderemo al pi√π presto", "┬┐cuánto cuesta?"]
)
def test_wrong_code_page_is_mojibake(text: str) -> None:
    assert "mojibake" in malformed_reasons(text)


@pytest.mark.parametrize(
    "text",
    ["Привет, как дела?", "√2 is irrational, right?", "SENSЕ - a band name with a Cyrillic Е"],
)
def test_other_scripts_and_maths_are_not_code_page_damage(text: str) -> None:
    assert "mojibake" not in malformed_reasons(text)
