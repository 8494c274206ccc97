"""Which language a text is in, by lingua and by script: lingua's two passes (the 26 common
languages of LLM traffic first, then all of lingua's languages but Latin and Esperanto) and the
languages that a script names (Devanagari: Hindi unless lingua is sure of Marathi).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from analyzer.detect.lexicon import SCRIPT_LANGUAGE
from analyzer.detect.spans import SPAN_LANGUAGES, european_language

#: The languages lingua is asked first (the common languages of LLM traffic); English by them
#: is English. Any other answer is asked again of all lingua's languages but Latin and
#: Esperanto (rarely a query's language), which name Swedish, Czech or Catalan rightly but read
#: short English ("hell nah", "tell me the timezone for hong kong") as Sesotho or Somali.
# fmt: off
_COMMON_CODES = (
    "EN", "ES", "FR", "DE", "PT", "IT", "NL", "HI", "BN", "TE", "TA", "UR", "AR", "FA", "RU",
    "UK", "ZH", "JA", "KO", "TH", "SW", "ID", "TR", "VI", "PL", "TL",
)
# fmt: on
_LINGUA_LEFT_OUT = frozenset({"LA", "EO"})
#: Span languages with a relative outside the span model that their word list reads as them:
#: Afrikaans is Dutch to the lists, so a Dutch answer is asked again of all 73 languages.
_LOOK_ALIKE_OUTSIDE = frozenset({"nl"})
#: Confidence under which the 73 languages' answer gives way to the common languages' one.
WIDE_MIN = 0.25


@lru_cache(maxsize=2)
def lingua_detector(common: bool = False) -> Any:
    """lingua in high-accuracy mode over the common languages, or over all but Latin and
    Esperanto (built once each; models load on first use)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    if common:
        codes = [getattr(IsoCode639_1, code) for code in _COMMON_CODES]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
    kept = [lang for lang in Language.all() if lang.iso_code_639_1.name not in _LINGUA_LEFT_OUT]
    return LanguageDetectorBuilder.from_languages(*kept).build()


#: Scripts whose table language shares them with another that lingua knows: Devanagari is
#: Hindi unless lingua gives Marathi ``SHARED_SCRIPT_SURE`` in a text of
#: ``SHARED_SCRIPT_WORDS`` words ("मला माझा पासवर्ड बदलायचा आहे": 0.88); a greeting such as
#: "नमस्ते" (Marathi 0.62 alone) stays Hindi, the far more common of the two.
SHARED_SCRIPTS = frozenset({"devanagari"})
SHARED_SCRIPT_SURE = 0.6
SHARED_SCRIPT_WORDS = 3


def script_language(script: str, text: str = "") -> str | None:
    """The language a script names (``text``: the words in it, for a shared script), or
    ``None`` when the script names none (Latin, Cyrillic, Arabic: lingua decides)."""
    if script in SHARED_SCRIPTS and len(text.split()) >= SHARED_SCRIPT_WORDS:
        ranked = lingua_ranked(text)
        if ranked and ranked[0][1] >= SHARED_SCRIPT_SURE:
            return ranked[0][0]
    if script in SCRIPT_LANGUAGE:
        return SCRIPT_LANGUAGE[script]
    if script == "han":
        return "zh"
    return None


def lingua_ranked(text: str) -> list[tuple[str, float]]:
    """lingua's languages for ``text`` with their confidence, most likely first."""
    values = lingua_detector().compute_language_confidence_values(text)
    return [(str(v.language.iso_code_639_1.name.lower()), float(v.value)) for v in values]


def lingua_main(text: str) -> str:
    """The language of ``text`` by lingua: English when the 26 common languages say so (the
    cheap pass: most traffic is English); else the answer of all 73 languages when it has
    ``WIDE_MIN`` confidence, else the common one ("hell nah" is German to the common languages
    and Sesotho at 0.14 to all of them; "Hur lång tid tar det" is Dutch to the common ones and
    Swedish to all)."""
    common = lingua_detector(common=True).detect_language_of(text)
    if common is None:
        return "und"
    code = str(common.iso_code_639_1.name.lower())
    if code == "en" or (
        code in SPAN_LANGUAGES
        and code not in _LOOK_ALIKE_OUTSIDE
        and european_language(text) == code
    ):
        return code  # English, or a span language the word lists agree on: no second pass
    ranked = lingua_ranked(text)
    if ranked and ranked[0][1] >= WIDE_MIN:
        return ranked[0][0]
    return code
