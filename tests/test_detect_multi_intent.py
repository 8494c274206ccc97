"""Multi-intent detector: hand-written natural requests, real-data slices, invariants."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.detect.multi_intent import count_intents, request_units
from tests.conftest import require_data

CASES = [
    # two or more requests
    ("What year did the Wall fall? Also, recommend three novels about Berlin.", 2),
    ("Book a table for two at 7pm and also send the address to Maria", 2),
    ("what's the weather tomorrow and remind me to take an umbrella", 2),
    ("Translate this sentence into French. Then write a haiku about autumn.", 2),
    ("Can you cancel my order? I also want to update my shipping address.", 2),
    ("play some jazz and turn the lights down", 2),
    ("show me flights from boston to denver and also what is the cheapest fare", 2),
    ("set an alarm for 6 am, then tell me the news", 2),
    ("Who won the 2018 World Cup? And who was the top scorer?", 2),
    ("find me a hotel in Rome, and also book a car for the weekend", 2),
    ("Check my balance. Also, how do I order a new card?", 2),
    ("Write a cover letter for a data analyst job. Also suggest a subject line for the email.", 2),
    ("add milk to my shopping list and play the latest podcast episode", 2),
    ("call mom, text dad that I'm late, and also set a reminder for the dentist", 3),
    ("How do I bake bread? Also what flour is best? And can you suggest a recipe?", 3),
    # one request
    ("What year did the Berlin Wall fall?", 1),
    # facets of one entity, "explain X and give an example", two asks on one input: one intent
    # (the definition; these were counted as 2 or 3 before)
    ("How tall is the Eiffel Tower? How old is it?", 1),
    ("Explain what a hash map is. Give an example in Python.", 1),
    ("Summarize this article and list three follow-up questions.", 1),
    ("What is the capital of Peru, and what currency do they use?", 1),
    ("What time does the store open? Where is it? Do they sell batteries?", 1),
    ("Recommend three novels set in Berlin and Vienna", 1),
    ("I need a flight from Boston to Denver and back on Sunday", 1),
    ("Janet has 3 apples. She buys 5 more and eats 2. How many apples does she have left?", 1),
    (("If a train leaves at 3 pm and travels 60 miles per hour, when does it arrive 180 miles "
     "away?"), 1),
    ("Hi! Can you help me? I want to change my flight to Friday.", 1),
    ("Tell me about the history and culture of Japan", 1),
    ("Write a poem about the sea and the sky", 1),
    ("Compare Python and Java for backend development", 1),
    ("what is the difference between a virus and bacteria", 1),
    ("show me flights between dallas and houston on monday morning", 1),
    ("My laptop is slow when I open Chrome. What can I do?", 1),
    (("When the alarm rings, it plays for 3 minutes. How long does it ring in a week if it "
     "rings twice a day?"), 1),
    ("Thanks! Please send the invoice to accounting.", 1),
    ("Explain the causes and consequences of the French Revolution.", 1),
    ("salt and pepper shrimp recipe", 1),
    ("set a timer for ten minutes", 1),
    (("Could you please help me write a birthday message for my sister who loves hiking and "
     "cats?"), 1),
    (("Summarize the text below in two sentences.\n\nRead the manual before you start. Check the "
     "cables and restart the router."), 1),
    (("Write a persuasive email to your friend, who dislikes public speaking, to volunteer. Use "
     "compelling arguments. Please be concise."), 1),
    ("Translate this into German.\n\nAlso, what is the German word for 'router'?", 2),
    ("", 0),
    ("   ", 0),
]


#: French, Spanish, Portuguese, German and Italian: several requests, and single requests or
#: word problems whose narrative "then" (luego, dann) must not split them.
OTHER_LANGUAGE_CASES = [
    ("¿En qué año cayó el Muro de Berlín? También, recomiéndame tres novelas.", 2),
    ("En quelle année le mur est-il tombé ? Aussi, recommande-moi trois romans.", 2),
    ("Wann fiel die Mauer? Außerdem, empfiehl mir drei Romane.", 2),
    ("Spiegami la fotosintesi. Inoltre, traduci questa frase in inglese.", 2),
    ("Explique a fotossíntese e também traduza esta frase para o inglês.", 2),
    ("Resuma este artigo, também uma lista de livros sobre o tema.", 2),
    ("Busca vuelos a Madrid y también reserva un hotel cerca del centro.", 2),
    ("Cherche un vol pour Paris et réserve un hôtel.", 2),
    ("Erkläre mir die Relativitätstheorie und dann übersetze den Text ins Englische.", 2),
    ("Quiero un vuelo a París el martes.", 1),
    ("Peux-tu traduire ce texte en anglais ?", 1),
    ("Escribe un poema sobre el mar y la luna.", 1),
    ("Calcula el área de un círculo de radio 3.", 1),
    ("Janet kauft 3 Äpfel. Dann isst sie einen. Wie viele Äpfel hat sie noch?", 1),
    (("Una empresa gasta $15 000 en publicidad durante un año y luego gasta la tercera parte de "
      "ese monto en publicidad para otro año. ¿Cuál es el monto total?"), 1),
]


@pytest.mark.parametrize(("text", "expected"), CASES + OTHER_LANGUAGE_CASES)
def test_hand_written_queries_count_their_requests(text: str, expected: int) -> None:
    assert count_intents(text) == expected


def test_multilingual_word_problems_are_rarely_split() -> None:
    rows = [r for r in _rows("mgsm", 3000) if r["language"] in {"es", "fr", "de"}]
    share = sum(count_intents(str(r["text"])) > 1 for r in rows) / len(rows)
    assert len(rows) == 750 and share <= 0.01


def _rows(name: str, limit: int, keep: str | None = None) -> list[dict[str, object]]:
    path = require_data(name)
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    if keep is not None:
        rows = [r for r in rows if r.get("split") == keep]
    return rows[:limit]


def test_mixatis_dev_multi_intent_is_found_with_few_false_alarms() -> None:
    rows = _rows("mixatis_mixsnips", 400, keep="dev")
    predicted = [count_intents(str(r["text"])) > 1 for r in rows]
    gold = [bool(r["is_multi_intent"]) for r in rows]
    tp = sum(p and g for p, g in zip(predicted, gold))
    fp = sum(p and not g for p, g in zip(predicted, gold))
    fn = sum(g and not p for p, g in zip(predicted, gold))
    assert 2 * tp / (2 * tp + fp + fn) >= 0.9


@pytest.mark.parametrize("name", ["gsm8k_test", "atis_snips_single"])
def test_single_request_sets_are_rarely_flagged(name: str) -> None:
    rows = _rows(name, 300)
    flagged = sum(count_intents(str(r["text"])) > 1 for r in rows)
    assert flagged / len(rows) <= 0.03


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_count_is_zero_only_for_blank_text(text: str) -> None:
    n = count_intents(text)
    assert n >= 0
    assert (n == 0) == (not text.strip())


# ---- request units of traffic nobody tuned on (issue 11) -----------------------------------
#: Hand-written for these tests: unrelated asks laid out every way people do it ...
LAYOUTS = [
    ("1. How do I reset a Kindle?\n2. What's the population of Oslo?", 2),
    ("a) draft a tweet about our sale\nb) convert 40 miles to km", 2),
    ("- best pizza dough recipe\n- how to fix a squeaky door hinge\n- who won Wimbledon 2019", 3),
    ("Q1: What is a mortgage?\nQ2: Name three Greek islands.", 2),
    ("Task 1: Write a limerick about cats.\nTask 2: What is the boiling point of ethanol?", 2),
    (
        "First, explain what DNS is. Then recommend a good hiking boot. Finally, what's 12% of 80?",
        3,
    ),
    ("Suggest a name for my bakery; also, how do I renew my passport", 2),
    ("Two questions: how long does paint take to dry, and what's the best time to see Rome?", 2),
    ("how tall is mount fuji\nplay some lo-fi music", 2),
    ("Is it safe to run in the heat? Unrelated, can you summarize the plot of Hamlet?", 2),
    ("turn on the porch light and what's the capital of Chile", 2),
    ("[client_a] Translate 'good luck' into French\n[client_b] Define entropy", 2),
    ("¿Qué es la inflación? Por otro lado, ¿me recomiendas una película de terror?", 2),
    ("Erstens: Wie koche ich Reis? Zweitens: Wer hat Faust geschrieben?", 2),
    ("pon una alarma a las siete y cuánto dura el vuelo a Lima", 2),
]
#: ... and single requests that look like several.
SINGLE_LOOKALIKES = [
    "I'm repainting my kitchen this weekend. Which finish is easiest to clean?",
    "Compare Spotify and Apple Music and tell me which one suits a family.",
    "Explain what recursion is and give a short example in JavaScript.",
    "Explain this warning and how to silence it: DeprecationWarning: invalid escape sequence",
    "How does a heat pump work, and why is it efficient in mild climates?",
    "Who painted the Mona Lisa and when was it painted?",
    "Rewrite these sentences in the passive voice:\n1. The dog bit the man.\n2. She wrote a book.",
    "Packing list for my trip:\n- passport\n- charger\n- sunscreen\nWhat am I forgetting?",
    "Write a product description for a steel water bottle. Keep it under 80 words.",
    "Plan a 3-day trip to Lisbon: day 1 the old town, day 2 Sintra, day 3 the beach.",
    "Tell me how to make cold brew and then how to store it.",
    "Write a short poem about autumn. Put your entire response in double quotes.",
    "Summarize this email and list the action items:\n\nHi all, the launch moves to May 3.",
    "Can you explain what an ETF is? Like, how is it different from a mutual fund?",
    "Schreib eine kurze Absage an den Vermieter und sei dabei freundlich.",
    "Recomiéndame un portátil para programar; que pese poco, por favor.",
]


@pytest.mark.parametrize(("text", "expected"), LAYOUTS)
def test_unrelated_asks_are_separate_requests_in_any_layout(text: str, expected: int) -> None:
    assert count_intents(text) == expected


@pytest.mark.parametrize("text", SINGLE_LOOKALIKES)
def test_context_constraints_follow_ups_and_inputs_make_one_request(text: str) -> None:
    assert count_intents(text) == 1


def test_units_start_where_each_request_starts() -> None:
    text = "1. How do I reset a Kindle?\n2. What's the population of Oslo?"
    units = request_units(text)
    assert [u.text for u in units] == ["How do I reset a Kindle?", "What's the population of Oslo?"]
    assert all(text[u.start :].startswith(u.text) for u in units)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_units_are_ordered_slices_of_the_text(text: str) -> None:
    units = request_units(text)
    assert len(units) == count_intents(text)
    starts = [u.start for u in units]
    assert starts == sorted(starts)
    assert all(0 <= u.start <= u.end <= len(text) for u in units)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["", " ", "\n", "  \n "]))
def test_surrounding_whitespace_changes_no_count(text: str, pad: str) -> None:
    assert count_intents(pad + text + pad) == count_intents(text)
