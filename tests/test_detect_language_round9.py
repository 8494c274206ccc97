"""Round 9 of the language detector: quoted phrases are not the writer's language, names,
courtesy words and Hindi homographs are not English content in romanized Hindi, and Tagalog is
read (Taglish mixed, Tagalog alone not). Round 9's multi-intent cases are in
test_detect_round8.py."""

from __future__ import annotations

import pytest

from analyzer.detect.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Was bedeutet 'I couldn't agree more' auf Deutsch?", "de"),
        ("Cosa vuol dire 'it's a piece of cake'? L'ho sentito in un film.", "it"),
        ("traduce 'we're running late' al español, por favor", "es"),
        ("'spill the beans' ka matlab kya hota hai? hindi mein samjhao", "hi"),
        ("mujhe kal Pune jaana hai, wahan ghoomne ke liye kya accha hai?", "hi"),
        ("Namaste sir, main agle mahine do din ki chhutti lena chahta hoon. Shukriya, Ravi", "hi"),
        ("Salamat po, pwede ko bang malaman kung kailan darating ang order ko?", "tl"),
        ("`git push` karne par 'rejected' aa raha hai, iska matlab kya hai?", "hi"),
    ],
)
def test_monolingual_queries_are_not_mixed(text: str, language: str) -> None:
    found = detect_language(text)
    assert not found.is_mixed_language
    assert found.language == language


@pytest.mark.parametrize(
    "text",
    [
        "Pwede mo ba akong tulungan? I need to write a thank-you note for my manager.",
        "Hindi pa dumarating yung package ko, it's been ten days and nobody answers the phone.",
        "yaar mujhe ek cover letter likhna hai, can you make it sound confident and short",
    ],
)
def test_taglish_and_hinglish_switches_are_mixed(text: str) -> None:
    assert detect_language(text).is_mixed_language
