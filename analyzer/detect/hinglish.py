"""Romanized Hindi asks, whose verb closes the clause: question words ("kaise", "kya"),
request verbs ("batao", "sunao"), needs ("mujhe ... likhni hai"), and when "aur" (and) joins a
second ask."""

from __future__ import annotations

import re

#: Romanized Hindi question words and request verbs (the verb closes the clause).
_HINGLISH_QUESTION = re.compile(
    r"\b(?:kaise|kaisa|kaisi|kya|kab|kahan|kahaan|kaun|kaunsa|kaunsi|kaunse|kis|kitna|kitne"
    r"|kitni|kyun|kyon|kidhar)\b"
)
_HINGLISH_REQUEST = re.compile(
    r"\b(?:batao|bataiye|batayiye|batayein|bata do|bata de|karo|kar do|kar de|kijiye|karen"
    r"|karein|karwa do|likh do|likh de|likho|likhiye|sunao|suna do|bhejo|bhej do|bhejiye"
    r"|dikhao|dikha do|samjhao|samjha do|dijiye|de do|chalao|chala do|lagao|laga do|set karo"
    r"|bajao|baja do|kholo|khol do|dhundo|dhoondo|dhundh do|chahiye|bana de|bana do|banao"
    r"|kar de|likh de)\b(?=(?:\s+\d+(?:\s+[\w-]+){0,2})?\W*(?:$|aur\b|[.?!,;]))"
)
#: A need of the writer: "mujhe ... likhni hai", "mujhe ... chahiye".
_HINGLISH_WANT = re.compile(
    r"\bmujhe\b.{0,60}?\b(?:likhna|likhni|likhne|banana|banani|karna|karni|bhejna|bhejni"
    r"|seekhna|sikhna|jaanna|janna|samajhna|dekhna|kharidna|book karna)\s+(?:hai|hain|tha)\b"
)


def hinglish_kind(low: str) -> str | None:
    """The ask of a romanized Hindi clause, whose verb comes last: "question" with a question
    word ("kaise", "kis channel pe"), "imperative" with a request verb before the end or "aur"
    ("train timings batao", "ek joke bhi sunao"), "want" for what the writer needs to do
    ("mujhe ek leave application likhni hai"); ``None`` otherwise."""
    if _HINGLISH_QUESTION.search(low):
        return "question"
    if _HINGLISH_REQUEST.search(low):
        return "imperative"
    return "want" if _HINGLISH_WANT.search(low) else None


#: Romanized Hindi words that point back ("isko", "use", "uska"): the clause continues.
_HINDI_ANAPHORA = re.compile(
    r"\b(?:isko|isse|iska|iski|ise|use|usko|uska|uski|unko|inko|ye|yeh|wo|woh|vo)\b"
)


def hinglish_second_ask(head: str, rest: str) -> str | None:
    """The kind of a romanized Hindi clause after "aur" (and) when it is a second ask: after a
    question ("weather kaisa hai aur ek joke sunao"), or any ask when it says "bhi" (also);
    not when it points back ("... aur isko kaise fix karu") or sends a message's content
    ("John ko message karo aur pucho ki ...")."""
    first, second = hinglish_kind(head), hinglish_kind(rest)
    if first is None or second is None or _HINDI_ANAPHORA.search(rest):
        return None
    if second == "imperative" and first == "question":
        return second  # "weather kaisa hai aur ek joke sunao"
    return second if re.search(r"\bbhi\b", rest) else None
