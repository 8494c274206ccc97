"""Round 5 of the multi-intent rules: when a later unit continues the request before it.

Each rule is tested both ways: the shape it merges, and a look-alike that must stay separate.
"""

from __future__ import annotations

import pytest

from analyzer.detect.continuations import shares_word
from analyzer.detect.hinglish import hinglish_kind
from analyzer.detect.multi_intent import count_intents
from analyzer.detect.openers import classify

ONE_REQUEST = [
    # an elaboration noun of the same subject ("an analogy", "a snippet")
    "Explain how DNS resolution works, and give an analogy a child could follow.",
    "Describe the observer pattern and show a snippet in TypeScript.",
    # a verdict that closes an evaluation
    "Compare the pros and cons of leasing versus buying a car and recommend one approach.",
    "Evaluate these two hosting plans and pick the better value.",
    # yes/no criteria of a review
    "Could you review my pitch deck summary? Is the opening too long? Does the ask sound clear?",
    # a spec under a label
    "Task: write a product description for a steel water bottle. Tone: playful, no emojis.",
    "Schreib eine Absage an den Bewerber. Vorgaben: freundlich, höchstens 80 Wörter.",
    "Escribe un resumen del informe. Máximo 100 palabras, en tono neutro.",
    # extending a deliverable
    "Write a bash script that backs up my home folder every night. Also add a log file.",
    "Build a small todo app in Vue, include a filter for finished items",
    # context given as a first-person want, in other languages
    "Je voudrais apprendre le piano à 40 ans. Par où commencer ?",
    "Ik wil een hond adopteren. Welke rassen passen bij een klein appartement?",
    # a problem report and the request about it, forms of one word
    "I got billed twice for my March invoice. Please refund the duplicate bill.",
    "My package was marked delivered but never arrived. Can you look into the delivery?",
    # a question about "this <noun>" that points back
    "How do interest rates affect house prices, and how could this relationship change?",
    # a list of nouns with a verb-like noun in it
    "Create a signup form with fields for name, email, phone and a password.",
    # 'write a short ...' that is the constraint of the request before
    "How would you plan a week in Japan? Give a detailed answer.",
]

SEPARATE = [
    "Explain how DNS resolution works. Also give me a name for my cat.",
    "Compare leasing and buying a car. Separately, recommend a podcast about history.",
    "Could you review my pitch deck summary? Is the office closed on Monday?",
    "Write a bash script that backs up my home folder. Also add eggs to my shopping list.",
    "Build a todo app in Vue and show me how to make pancakes",
    "What is 12% of 350? Then write a short thank-you note to my neighbour.",
    "Necesito cambiar mi contraseña. Por cierto, ¿abren el domingo?",
    "Ich brauche eine neue Brille. Übrigens, wie spät ist es in Tokio?",
    "Please summarize the meeting notes.\n\nP.S. can you also suggest a good sushi place nearby?",
    "my router says no internet even though the cable is in. also what is a good gift for a boy",
    "1. mera bill kitna aaya hai\n2. kal ka mausam kaisa rahega",
    "Play some jazz and give this album four stars",
]


@pytest.mark.parametrize("text", ONE_REQUEST)
def test_a_unit_that_continues_the_request_before_is_merged(text: str) -> None:
    assert count_intents(text) == 1


@pytest.mark.parametrize("text", SEPARATE)
def test_look_alikes_of_those_shapes_stay_separate(text: str) -> None:
    assert count_intents(text) == 2


@pytest.mark.parametrize(
    ("own", "earlier", "expected"),
    [
        ({"charge"}, {"charged"}, True),
        ({"validation"}, {"validate"}, True),
        ({"card"}, {"care"}, False),  # four letters: only equal words meet
        ({"plane"}, {"weather"}, False),
        ({"order"}, {"order"}, True),
    ],
)
def test_forms_of_one_word_count_as_the_same_word(
    own: set[str], earlier: set[str], expected: bool
) -> None:
    assert shares_word(own, earlier) is expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("mera wifi password kaise change karu", "question"),
        ("mujhe train timings batao", "imperative"),
        ("kal match hai", None),
        ("batao naam ka matlab aur spelling", None),  # the verb does not close the clause
    ],
)
def test_romanized_hindi_clauses_ask_by_their_last_verb_or_a_question_word(
    clause: str, expected: str | None
) -> None:
    assert hinglish_kind(clause) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ik wil een hond adopteren.", "want"),
        ("Je voudrais apprendre le piano.", "want"),
        ("Ich möchte nach Rom reisen.", "want"),
        ("my printer says offline even though it is connected", "report"),
        ("my printer is in the hallway", "statement"),
    ],
)
def test_wants_and_problem_reports_are_recognised(text: str, kind: str) -> None:
    assert classify(text) == kind
