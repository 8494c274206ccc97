"""Round 11 of the language detector: languages outside the word lists. lingua names 73
languages (after a first pass over the 26 common ones keeps short English English), English
mixed with a language the span model does not read is found by ``foreign.py``, Catalan joins
the span model, and letters glued to a number are not words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.detect.foreign import _viterbi
from analyzer.detect.language import detect_language
from analyzer.detect.spans import is_island


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kan någon förklara hur man deklarerar en hyresinkomst i Sverige?", "sv"),
        ("Hvornår lukker apoteket på lørdag, og skal jeg have recept med?", "da"),
        ("Jeg trenger hjelp til å skrive en søknad om permisjon fra jobben.", "nb"),
        ("Voitko selittää, miten lasken asuntolainan kuukausierän?", "fi"),
        ("Můžete mi poradit, jak zrušit předplatné před koncem měsíce?", "cs"),
        ("Vă rog să-mi spuneți cum pot anula comanda de ieri.", "ro"),
        ("Meg tudnád mondani, hogyan kell visszaküldeni a hibás terméket?", "hu"),
        ("Podeu ajudar-me a escriure una carta de reclamació a l'ajuntament?", "ca"),
        ("Trebam pomoć oko pisanja molbe za posao u turističkoj agenciji.", "hr"),
        ("Kas te saate mulle öelda, millal pood homme avatakse?", "et"),
        ("Kan jy my help om 'n brief aan my verhuurder te skryf?", "af"),
        ("Boleh tolong terangkan cara memohon pinjaman perumahan di bank?", "ms"),
    ],
)
def test_languages_outside_the_common_ones_are_named(text: str, language: str) -> None:
    found = detect_language(text)
    assert found.language == language
    assert not found.is_mixed_language


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Jag har försökt hela dagen men det fungerar inte, can you check my config file?", "sv"),
        ("Potrzebuję krótkiego podsumowania tego raportu, but please keep the numbers exact", "pl"),
        ("Bu akşam toplantı var mı bilmiyorum, could you send me the agenda again?", "tr"),
        ("tolong bantu aku bikin caption, something short and funny for my cat photo", "id"),
        ("Nimechoka sana na kazi hii, please write a polite email asking for an extension", "sw"),
        ("Mình cần gửi báo cáo trước thứ sáu, can you draft a reminder for the team?", "vi"),
        ("Olen yrittänyt korjata tätä koko päivän, why does the build fail on my laptop?", "fi"),
    ],
)
def test_english_mixed_with_a_language_outside_the_span_model(text: str, pair: str) -> None:
    found = detect_language(text)
    assert found.is_mixed_language
    assert {s["lang"] for s in found.languages} == {pair, "en"}
    assert found.evidence.startswith("spans: ")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("no good", "en"),
        ("tell me the timezone for hong kong", "en"),
        ("show me a way to randomly develop cities for an rpg using a d4, a d6 and a d8.", "en"),
        ("what does 'hyvää huomenta' mean and how do I answer it politely?", "en"),
        ("who is the director of taarak mehta ka ooltah chashmah", "en"),
        ("bro ko dah sampai ke belum? aku tunggu kat depan kedai ni", "ms|id"),
        ("Com puc exportar les meves fotos a un disc dur extern sense perdre qualitat?", "ca"),
    ],
)
def test_names_quotes_and_look_alikes_are_not_mixing(text: str, language: str) -> None:
    found = detect_language(text)
    assert not found.is_mixed_language
    assert found.language in language.split("|")  # Malay and Indonesian: either


def test_spanish_with_catalan_is_mixed_now_that_the_span_model_reads_catalan() -> None:
    found = detect_language(
        "Necesito cambiar la fecha del vuelo, perquè no puc arribar a temps dimecres al matí"
    )
    assert found.is_mixed_language
    assert {s["lang"] for s in found.languages} == {"es", "ca"}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=-9, max_value=-1, allow_nan=False),
            st.floats(min_value=-9, max_value=-1, allow_nan=False),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_viterbi_labels_every_word_and_never_switches_for_less_than_its_cost(
    scores: list[tuple[float, float]],
) -> None:
    path = _viterbi(scores)
    assert len(path) == len(scores)
    assert set(path) <= {0, 1}
    # with every word favouring English, no run of the other language can pay for a switch
    english = [(max(a, b), min(a, b)) for a, b in scores]
    assert _viterbi(english) == [0] * len(scores)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("मला माझा पासवर्ड बदलायचा आहे, कसे करू?", "mr"),
        ("माझ्या खात्यातून पैसे कापले गेले पण ऑर्डर आली नाही", "mr"),
        ("मुझे अपना पासवर्ड बदलना है, कैसे करूं?", "hi"),
        ("नमस्ते", "hi"),
        ("Трябва ми помощ с паролата за профила", "bg"),
        ("Мен құпия сөзімді өзгерткім келеді", "kk"),
    ],
)
def test_a_script_shared_by_languages_is_read_by_lingua(text: str, language: str) -> None:
    assert detect_language(text).language == language


@pytest.mark.parametrize(
    "text",
    [
        "The flight got cancelled, c'est la vie I suppose. Any tips for a rebooking?",
        "Can I freeze pão de queijo dough before baking it, and for how long?",
        "what wine goes with pierogi ruskie if my guests do not drink beer",
    ],
)
def test_a_short_foreign_island_inside_english_is_a_name_not_a_switch(text: str) -> None:
    assert not detect_language(text).is_mixed_language


def test_a_short_foreign_run_that_ends_the_text_is_still_a_switch() -> None:
    assert detect_language(
        "I need help with my resume, quero aplicar pra uma vaga"
    ).is_mixed_language


@pytest.mark.parametrize(
    ("runs", "island"),
    [
        ([("en", 5), ("pt", 3), ("en", 4)], True),  # a dish inside English
        ([("en", 5), ("pt", 4), ("en", 4)], False),  # four words: a switch
        ([("en", 5), ("pt", 2)], False),  # ends the text: a switch
        ([("pt", 2), ("en", 6)], False),  # opens the text: a switch
        ([("en", 3), ("fr", 1), ("en", 2), ("fr", 3), ("en", 1)], True),
        ([("en", 8)], False),  # no run of the language at all
    ],
)
def test_is_island_needs_short_runs_with_other_words_on_both_sides(
    runs: list[tuple[str, int]], island: bool
) -> None:
    lang = "fr" if any(r[0] == "fr" for r in runs) else "pt"
    assert is_island(runs, lang) is island
