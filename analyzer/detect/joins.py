"""The joins that cut a sentence into clauses (``units.py``): strong ones (";", "also", "then",
"after that", "btw", "+", "e, a parte,") cut wherever they stand; weak ones ("and", a comma,
"/", "|", "aur", a spoken "um") only before a clause that opens like a request."""

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
    r"\s*,\s*(?:(?:and|y|et|und|e|en|or)\s+)?|\s+(?:and|y|et|und|e|en|also|then)\s+"
    r"|\s+[/|]\s+|\s+aur\s+|\s+(?:um+|uh+)\s+",
    re.IGNORECASE,
)
