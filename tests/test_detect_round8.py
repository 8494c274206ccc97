"""Rounds 8 and 9 of the detectors.

Round 8: joins and lists the rules missed ("then", "/", "|", emoji bullets, "1/ ... 2/", "do
the following:", one query per line, a JSON request body), shapes of one request ("... and
list the main characters", "..., and should I be worried?", the pick after a comparison, a
quoted input after the ask), and malformed shapes (aligned crash-report fields, build output,
xxd dumps, wrapped base64, a Java ``toString``) with their clean look-alikes. Round 9: asks
behind an @-mention, emoji or a "User request:" label, after "and um", "aproveitando", "et
sinon", "aur ... bhi"; a lone question paragraph, the writer's words after a code block, the
items of "two unrelated things:"; one request kept whole for a comparison ending in "me diz
qual", "what is X and how does it work", a listed input or a purpose. Round 10: wake words,
fillers between spoken asks, tickets and record lines (``input="..."``), action-item lists,
a report followed by a question about it."""

from __future__ import annotations

import pytest

from analyzer.detect import detect_queries
from analyzer.detect.malformed import malformed_reasons
from analyzer.detect.multi_intent import count_intents
from analyzer.detect.payload import payload_prompt

SEPARATE = [
    "set a timer for ten minutes then play some jazz in the kitchen",
    "what's the weather in Oslo tomorrow / also how do I boil a soft egg",
    "q1: how tall is Mount Everest | q2: translate 'cat' into German",
    "✅ book a dentist appointment for Friday\n✅ what's seven times eight",
    "1/ cancel my order from Tuesday 2/ send me the invoice for March",
    "Please take care of these:\n- renew the company domain\n- email Sara the slides",
    "capital of Chile\nhow do I remove a red wine stain\nsynonym for 'quick'",
    '{"prompt": "Translate hello into Spanish. Also, what is twelve squared?"}',
    "Merci de confirmer ma réservation. Et quelle est l'adresse de l'hôtel ?",
]

ONE_REQUEST = [
    "Explain what a closure is and give a short JavaScript example of one.",
    "Reverse these words and then capitalize them: apple, pear, plum",
    "What does this error mean, and should I be worried? disk quota exceeded",
    "Summarize 'Hamlet' in two paragraphs and list the main themes.",
    "Wat is het verschil tussen een spaarrekening en een deposito, en welke levert meer op?",
    "Can you check my cover letter and suggest a better opening line? 'To whom it may concern'",
    "Merci de votre aide. Pouvez-vous m'envoyer le catalogue ?",
    "is it 'their' or 'there' in 'we parked over ___'?",
    (
        "Do the following for the text below:\n- summarize it\n- translate it to French\n\n"
        "The meeting moved to Monday."
    ),
    "Trip to Lisbon next week\nI'm staying near the river\nwhat should I see first?",
]


SEPARATE_ROUND9 = [
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

ONE_REQUEST_ROUND9 = [
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


SEPARATE_ROUND10 = [
    "hey google what's the capital of Peru and add milk to my shopping list",
    "ok so my printer keeps jamming all of a sudden what do i do\nalso how many grams in a pound",
    "is it going to rain tomorrow uh set an alarm for seven",
    (
        "Asunto: Pedido incompleto\n\nMe llegó el pedido sin el cargador, necesito que me lo "
        "envíen. Aparte, ¿tienen tienda en Valencia?"
    ),
    (
        "Ticket: Mein Drucker druckt seit gestern nicht mehr richtig. Und bitte bei der "
        "Gelegenheit mein Passwort zurücksetzen."
    ),
    "job=42; input=\"Write a tagline for a bakery. Then list three synonyms for 'quick'.\"",
    "To-dos:\n1. Rechnung an Kunde Meier schicken\n2. Raum für Freitag buchen",
    "Richiesta: vorrei sapere il prezzo della consegna e, a parte, come cambio la password",
    "how to descale a kettle\nbest pizza in naples",
]

ONE_REQUEST_ROUND10 = [
    (
        "Should I lease or buy my next car? I drive about 20k km a year. And would the answer "
        "change if I move to the city?"
    ),
    "My card got declined at the supermarket. Is there a problem with my account?",
    (
        "Notes from the call:\n- client wants the launch moved to May\n- budget stays the same\n"
        "need: a short email confirming the new date"
    ),
    "Describe the issue: the projector flickers in room 4 and also in room 5, mostly after lunch",
    "mujhe Jaipur trip plan karna hai 2 din ka. kahan rukein aur kya dekhein?",
    "请帮我把下面这几句话翻译成英文：1. 早上好 2. 谢谢 3. 再见",
    "how to make pancakes\nwithout eggs",
]


@pytest.mark.parametrize("text", SEPARATE + SEPARATE_ROUND9 + SEPARATE_ROUND10)
def test_separate_requests_are_counted(text: str) -> None:
    assert count_intents(text) >= 2


@pytest.mark.parametrize("text", ONE_REQUEST + ONE_REQUEST_ROUND9 + ONE_REQUEST_ROUND10)
def test_one_request_stays_one(text: str) -> None:
    assert count_intents(text) == 1


def test_payload_prompt_reads_the_prompt_or_the_last_user_message() -> None:
    assert payload_prompt('{"prompt": "Name a red fruit."}') == "Name a red fruit."
    chat = (
        '{"messages": [{"role": "system", "content": "Be brief."}, '
        '{"role": "user", "content": "Hi"}, {"role": "user", "content": "Name a city."}]}'
    )
    assert payload_prompt(chat) == "Name a city."
    assert payload_prompt('{"id": 3, "status": "ok"}') is None
    assert payload_prompt("{not json}") is None
    nested = '{"a": ' + "[" * 1500 + "]" * 1500 + "}"  # deeper than the JSON parser goes
    assert payload_prompt(nested) is None


def test_a_request_body_is_malformed_and_its_prompt_still_counts() -> None:
    frame = detect_queries(['{"prompt": "Summarize my notes. Then write a haiku about rain."}'])
    assert bool(frame["is_malformed"][0])
    assert int(frame["n_intents"][0]) == 2


MALFORMED = [
    (
        "Process:               Notes [4521]\nPath:                  /Applications/Notes.app\n"
        "Identifier:            com.example.Notes\nVersion:               4.2 (1056)"
    ),
    (
        "Log Name:      Application\nSource:        Application Error\n"
        "Event ID:      1000\nLevel:         Error"
    ),
    (
        "> web@2.1.0 build\n> vite build\n\nvite v5.1.4 building for production...\n"
        "✓ 88 modules transformed.\nerror during build:"
    ),
    (
        "Step 2/7 : RUN pip install -r requirements.txt\n ---> Running in 7a1c\n"
        "Collecting flask==3.0.0\nRemoving intermediate container 7a1c"
    ),
    (
        "00000000: 8950 4e47 0d0a 1a0a 0000 000d 4948 4452  .PNG........IHDR\n"
        "00000010: 0000 0100 0000 0100 0806 0000 005c 72a8  .............r."
    ),
    (
        "VGhpcyBpcyBhIHdyYXBwZWQgYmFzZTY0IGJsb2Igc2VudCBieSBhIGNsaWVudCB3aXRo\n"
        "b3V0IGFueSBwcm9zZSBhcm91bmQgaXQgYXQgYWxs\n"
    ),
    "token=eyJzdWIiOiI0MiIsIm5hbWUiOiJBbmEiLCJpYXQiOjE3MDB9",
    "Invoice{id=77, customer='Bo', total=19.5, lines=[A, B]}",
]

CLEAN = [
    "Why does my CSV show cafÃ© instead of café when I open it in Excel?",
    "My terminal prints � characters when I cat the file, which encoding problem is this?",
    "I was thinking...\nmaybe we could go hiking...\nwhat do you think about Saturday?",
    "Why does Java print Invoice@1b6d3586 instead of my fields, and how do I fix toString?",
    "What do these fields mean?\nProcess:   Notes [4521]\nVersion:   4.2\nCode Type:   ARM-64",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_machine_shapes_are_malformed(text: str) -> None:
    assert malformed_reasons(text)


@pytest.mark.parametrize("text", CLEAN)
def test_requests_about_them_are_clean(text: str) -> None:
    assert malformed_reasons(text) == []
