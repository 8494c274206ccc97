"""Language and code-switching detector: hand-written cases, real-data slices, invariants."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.detect.language import detect_language
from analyzer.detect.spans import language_spans, mixed_spans, span_shares
from tests.builders import build_mgsm_code_switched
from tests.conftest import require_data

MIXED = [
    # Hinglish (romanized Hindi + English)
    ("kal subah 7 baje ka alarm set karo please", "hi"),
    ("mujhe weather update chahiye for tomorrow", "hi"),
    ("yaar this movie was bahut boring, paisa waste ho gaya", "hi"),
    ("meeting ko next Monday tak postpone kar do", "hi"),
    ("mera phone charge nahi ho raha, what should I do", "hi"),
    ("bhai kya scene hai tonight, party chalega?", "hi"),
    ("please mere liye ek cab book karo to the airport", "hi"),
    ("traffic kitna hai on the way to office abhi", "hi"),
    ("ye song bahut accha hai, add it to my playlist", "hi"),
    ("aaj ka match kaun jeeta, India or Australia?", "hi"),
    # Spanish-English
    ("I'm going to the tienda para comprar leche, quieres algo?", "es"),
    ("no puedo believe que this happened again", "es"),
    ("can you help me con mi tarea de matemáticas please", "es"),
    ("estoy so tired today, necesito coffee", "es"),
    ("my abuela siempre dice que the early bird gets the worm", "es"),
    ("vamos a la playa this weekend, are you coming?", "es"),
    ("that restaurant es muy caro but the food is amazing", "es"),
    # script mixing
    ("मुझे tomorrow का weather बताओ please", "hi"),
    ("这个 function 怎么 return 一个 list", "zh"),
    ("Привет, can you help me with my homework сегодня вечером", "ru"),
    ("I love 日本の食べ物 especially ラーメン and sushi", "ja"),
]

MONOLINGUAL = [
    ("What is the tallest mountain in Europe?", "en"),
    ("set an alarm for 7 am tomorrow", "en"),
    ("¿Cuál es la capital de Argentina y cuántos habitantes tiene?", "es"),
    ("Quelle est la meilleure façon d'apprendre le piano rapidement ?", "fr"),
    ("Wie spät ist es gerade in Tokio und wie ist das Wetter dort?", "de"),
    ("Qual é o melhor restaurante de Lisboa para comer peixe?", "pt"),
    ("Какая погода будет завтра в Москве?", "ru"),
    ("明天北京的天气怎么样？", "zh"),
    ("東京の明日の天気を教えてください。", "ja"),
    ("내일 서울 날씨 어때요?", "ko"),
    ("कल दिल्ली में मौसम कैसा रहेगा?", "hi"),
    ("আজ কলকাতার আবহাওয়া কেমন?", "bn"),
    ("พรุ่งนี้อากาศที่กรุงเทพเป็นอย่างไร", "th"),
    ("how many times have real madrid won the champions league", "en"),
    ("what is the population of los angeles", "en"),
    ("Die Katze schläft auf dem Sofa, und der Hund spielt im Garten.", "de"),
    ("kal ka mausam kaisa rahega", "hi"),
]


@pytest.mark.parametrize(("text", "main"), MIXED)
def test_hand_written_code_switching_is_mixed(text: str, main: str) -> None:
    result = detect_language(text)
    assert result.is_mixed_language
    langs = {entry["lang"] for entry in result.languages}
    assert len(langs) >= 2
    assert main in langs


@pytest.mark.parametrize(("text", "language"), MONOLINGUAL)
def test_hand_written_monolingual_queries_are_not_mixed(text: str, language: str) -> None:
    result = detect_language(text)
    assert not result.is_mixed_language
    assert result.language == language
    assert result.languages == [{"lang": language, "share": 1.0}]


def test_spanish_title_in_english_query_is_not_mixed() -> None:
    assert not detect_language("who sang la vida loca in 1999").is_mixed_language


def test_text_without_letters_is_undetermined() -> None:
    result = detect_language("12:30 — 14:45 !!")
    assert (result.language, result.languages, result.is_mixed_language) == ("und", [], False)


def _rows(name: str) -> list[dict[str, object]]:
    path = require_data(name)
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_hinglish_top_validation_is_mostly_mixed() -> None:
    rows = [r for r in _rows("hinglish_top") if r["split"] == "validation"][:300]
    mixed = sum(detect_language(str(r["text"])).is_mixed_language for r in rows)
    english = sum(detect_language(str(r["en_text"])).is_mixed_language for r in rows)
    assert mixed / len(rows) >= 0.8
    assert english / len(rows) <= 0.02


def test_mgsm_monolingual_rows_are_not_mixed() -> None:
    rows = _rows("mgsm")
    by_language: dict[str, list[str]] = {}
    for r in rows:
        by_language.setdefault(str(r["language"]), []).append(str(r["text"]))
    for language, texts in by_language.items():
        results = [detect_language(t) for t in texts[:25]]
        assert sum(r.is_mixed_language for r in results) <= 2, language
        assert sum(r.language == language for r in results) >= 22, language


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_shares_are_a_distribution_for_any_text(text: str) -> None:
    result = detect_language(text)
    shares = [entry["share"] for entry in result.languages]
    assert all(0.0 <= s <= 1.0 for s in shares)
    if shares:
        assert abs(sum(shares) - 1.0) < 1e-9
        assert result.language == result.languages[0]["lang"]
    else:
        assert result.language == "und"
    assert not result.is_mixed_language or len(shares) >= 2


# ---- European code-switching (issue 11) ------------------------------------------------------
#: Hand-written for these tests: a second language carrying a run of words.
EUROPEAN_MIXED = [
    ("Je dois rendre le rapport demain, but I still haven't started the conclusion.", {"fr", "en"}),
    (
        "Ich finde meinen Schlüssel nicht, could you remind me where I put it yesterday?",
        {"de", "en"},
    ),
    ("Domani ho un colloquio, and I have no idea what to wear for it.", {"it", "en"}),
    ("Preciso de um presente para minha irmã, something small that she can carry.", {"pt", "en"}),
    ("Ik moet morgen vroeg op, so please set an alarm for six o'clock.", {"nl", "en"}),
    (
        "Can you tell me if the pharmacy is open, parce que je me sens vraiment malade ce soir?",
        {"en", "fr"},
    ),
    (
        "Necesito reservar una mesa para cuatro, mais seulement si le restaurant est calme.",
        {"es", "fr"},
    ),
]
#: Monolingual text, loanwords, names, quoted phrases and code identifiers: not mixing.
NOT_MIXED = [
    "Mon ordinateur fait un bruit bizarre depuis la mise à jour du système.",
    "Wir haben das Meeting auf Freitag verschoben, bitte sag dem Team Bescheid.",
    "Il mio laptop si spegne da solo quando guardo video su YouTube.",
    "O app do banco não abre desde ontem, o que eu faço?",
    "Mijn fiets heeft een lekke band, waar kan ik die laten maken?",
    "What does 'carpe diem' mean and where does it come from?",
    "Is the Musée d'Orsay open late on Thursdays?",
    "Can I make pain au chocolat with store-bought puff pastry?",
    "Wie rufe ich pandas.read_json() mit einem lokalen Pfad auf?",
    "My grandmother always said 'que será, será' when we worried.",
]


@pytest.mark.parametrize(("text", "languages"), EUROPEAN_MIXED)
def test_european_code_switching_is_mixed(text: str, languages: set[str]) -> None:
    result = detect_language(text)
    assert result.is_mixed_language
    assert {entry["lang"] for entry in result.languages} == languages
    assert result.evidence.startswith(("spans:", "Spanish:"))


@pytest.mark.parametrize("text", NOT_MIXED)
def test_loanwords_names_quotes_and_code_are_not_mixing(text: str) -> None:
    assert not detect_language(text).is_mixed_language


def test_german_look_alikes_do_not_read_as_hinglish() -> None:
    result = detect_language("Mein Bruder will sein Auto verkaufen, ist das jetzt sinnvoll?")
    assert (result.language, result.is_mixed_language) == ("de", False)


def test_spans_cover_the_words_in_order() -> None:
    text = "Je cherche un cadeau, something small for my sister, pas trop cher."
    found = language_spans(text)
    assert [s.lang for s in found] == ["fr", "en", "fr"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert mixed_spans(found) == ["fr", "en"] or mixed_spans(found) == ["en", "fr"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_span_shares_are_a_distribution_for_any_text(text: str) -> None:
    found = language_spans(text)
    shares = span_shares(found)
    assert not shares or abs(sum(shares.values()) - 1.0) < 1e-9
    assert all(0 <= s.start < s.end <= len(text) for s in found)
    assert all(s.n_clear <= s.n_words for s in found)
    assert len(mixed_spans(found)) <= len(shares)


def test_mgsm_code_switched_builder_is_deterministic_and_splits_by_problem() -> None:
    rows = [
        {"parallel_id": pid, "language": lang, "text": f"{lang} one {pid}. {lang} two {pid}?"}
        for pid in range(6)
        for lang in ("en", "de", "es", "fr")
    ]
    built = build_mgsm_code_switched(rows)
    assert built == build_mgsm_code_switched(list(reversed(rows)))
    assert len(built) == 6 * 3 * 2
    assert {r["order"] for r in built if r["parallel_id"] == 0} == {
        "en>de",
        "de>en",
        "en>es",
        "es>en",
        "en>fr",
        "fr>en",
    }
    first = next(r for r in built if r["order"] == "en>de")
    assert first["text"] == "en one 0. de two 0?"
    for pid in range(6):
        assert len({r["half"] for r in built if r["parallel_id"] == pid}) == 1
