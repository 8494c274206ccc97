"""Pure text cleanup for embedding, and exact-duplicate collapse with counts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Return NFC text with every run of whitespace turned into one space, stripped.

    Idempotent. The original text is kept elsewhere for display and for the detectors.
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def collapse_duplicates(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Collapse exact duplicates.

    Returns (unique texts in first-seen order, inverse (n,) mapping each input to its unique
    text, counts (u,) how often each unique text occurs).
    """
    position: dict[str, int] = {}
    inverse = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        inverse[i] = position.setdefault(text, len(position))
    unique = list(position)
    counts = np.bincount(inverse, minlength=len(unique)) if len(texts) else np.zeros(0, int)
    return unique, inverse, counts
