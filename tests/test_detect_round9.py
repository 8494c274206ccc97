"""Round 9 of the detectors: asks behind an @-mention, emoji or a "User request:" label, after
"and um", "aproveitando", "et sinon", "aur ... bhi"; a lone question paragraph, the writer's
words after a code block, the items of "two unrelated things:"; one request kept whole when a
comparison ends in "me diz qual", a definition in "and how does ... work", an instruction's
listed input or a purpose ("Es para ..."). Languages: quoted phrases are not the writer's
language, names, courtesy words and Hindi homographs are not English content in romanized
Hindi, and Tagalog is read (Taglish mixed, Tagalog alone not)."""

from __future__ import annotations

import pytest

from analyzer.detect.language import detect_language
from analyzer.detect.multi_intent import count_intents

SEPARATE = [
    "@helpdesk reset my VPN token. also what's the wifi password for floor 3",
    "hey 👋 what's the exchange rate for yen today. also pls suggest a name for my cat",
    "what's the tallest mountain in Africa and um play some lo-fi music",
    "Quanto custa o frete para Recife? Aproveitando, me manda o link do manual.",
    "Tu peux résumer cet article ? Et sinon, c'est quoi un ETF ?",
    "yaar kal ka weather kaisa rahega aur ek shayari sunao",
    (
        "Fix the typo in this function:\n\n```python\ndef add(a, b):\n    retrun a + b\n```\n"
        "Can you also explain what a lambda is?"
    ),
    (
        "Rewrite my bio so it sounds friendlier: 'I am a software engineer.'\n\n"
        "how many ounces are in a cup"
    ),
    (
        "@ops-bot two unrelated things: (1) why does the disk fill up on node-3? "
        "(2) give me the command to list all open ports"
    ),
    (
        "System: you help an online shop.\nUser request: Draft a reply about a late parcel. "
        "Additionally, compute the total of these prices: 4.99, 12.50, 3.25"
    ),
]

ONE_REQUEST = [
    "Compara o Kindle e o Kobo e me diz qual vale mais a pena para ler à noite.",
    "what is a heat pump and how does it save energy",
    "Translate these into French: good night, see you soon, where is the station",
    (
        "¿Me puedes explicar qué es un bono y por qué baja su precio? Es para mi clase, así que "
        "sencillo por favor."
    ),
    "Übersetze diese Notizen ins Spanische. Bitte die Aufzählung beibehalten.",
    (
        "Solve the puzzle. Show your steps.\n\nA farmer has 17 sheep. All but 9 run away. "
        "How many are left?"
    ),
]


@pytest.mark.parametrize("text", SEPARATE)
def test_separate_requests_are_counted(text: str) -> None:
    assert count_intents(text) >= 2


@pytest.mark.parametrize("text", ONE_REQUEST)
def test_one_request_stays_one(text: str) -> None:
    assert count_intents(text) == 1


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
