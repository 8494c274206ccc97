"""The joins that cut a sentence into clauses (``units.py``): strong ones (";", "also", "then",
"after that", "btw", "+", "e, a parte,") cut wherever they stand; weak ones ("and", a comma,
"/", "|", "aur", a spoken "um"; "och", "og", "ja", "a", "și", "és", "i", "και" of round 12's
ten languages) only before a clause that opens like a request."""

from __future__ import annotations

import re

#: Joins that cut a clause whatever follows.
STRONG_JOIN = re.compile(
    r"\s*;\s*|(?<=[^\W\d_]{3})\s+\+\s+(?=[^\W\d_]{3})"
    r"|\s*,?\s+and\s+(?:also|then|plus)\s*,?\s+|\s*[,;]\s*(?:also|then|plus)\s*,?\s+"
    r"|\s+(?:also|then)\s*,\s+"
    r"|\s*,?\s+and\s+(?:another\s+thing|unrelated|separately|btw)\s*,?\s+"
    r"|\s*[,;]\s*(?:after\s+that|next|separately|btw|by\s+the\s+way|oh\s+and)\s*[,:—–-]?\s+(?=\S)"
    r"|\s*[,;]\s*(?:(?:second|third|fourth|fifth|last)\s+(?:question|thing)|second|third|fourth"
    r"|fifth|finally|lastly|secondly|thirdly)\s*[,:—–-]\s*(?=\S)"
    r"|\s*,?\s+(?:e|y|et|und|en)\s*,\s*(?:a parte|aparte|à part ça|por otro lado|außerdem)\s*,\s*"
    r"|\s*,?\s+(?:et|y|und|e|en)\s+(?:aussi|puis|también|luego|auch|dann|anche|poi|também"
    r"|depois|ook)\s+"
    r"|\s*(?:[,;]\s*|\s+(?:y|et|und|e|en|and)\s+)(?:aussi|également|ensuite|puis|también"
    r"|además|luego|außerdem|dann|também|além disso|depois|inoltre|anche|poi|daarna|ook"
    r"|por\s+último|por\s+fin|infine|schließlich|enfin|tot\s+slot|por\s+otro\s+lado)\s*,?\s+",
    re.IGNORECASE,
)
#: Cheap pre-check: the words and marks a strong join needs.
STRONG_HINT = re.compile(
    r"[;+]|\b(?:also|then|plus|next|after|separately|btw|by|oh|another|unrelated|second|third"
    r"|fourth|fifth|finally|lastly|secondly|thirdly|aussi|également|ensuite|puis|también"
    r"|además|luego|außerdem|dann|também|além|depois|inoltre|anche|poi|daarna|ook|por|infine"
    r"|schließlich|enfin|tot|parte|aparte|lado)\b",
    re.IGNORECASE,
)
#: Joins that cut only before a clause that opens like a request.
WEAK_JOIN = re.compile(
    r"\s*,\s*(?:(?:and|y|et|und|e|en|or|och|og|και)\s+)?"
    r"|\s+(?:and|y|et|und|e|en|also|then|och|og|ja|a|și|si|és|es|i|και|kai)\s+"
    r"|\s+[/|]\s+|\s+aur\s+|\s+(?:um+|uh+)\s+",
    re.IGNORECASE,
)
#: The words for "and" of round 12's ten languages: they cut only before a request or question
#: of those languages ("... och spela lite jazz", "... a najít levnou pizzerii").
TEN_JOINS = frozenset({"och", "og", "ja", "a", "și", "si", "és", "es", "i", "και", "kai"})
#: One of those words after a comma (", i pošalji ..."; ", i want ..." is English).
TEN_JOIN_START = re.compile(r"(?:ja|a|și|si|és|es|i|kai)\s+", re.IGNORECASE)
