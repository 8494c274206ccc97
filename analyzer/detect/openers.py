"""How a request unit opens: the leads before it ("also", "btw", "2)"), the kind of ask it opens
with (a question, an imperative, a want) and the kind of the whole unit (``classify``).

English question forms are read closely (inversion after a wh-word is a direct question, "how to
..." and "why the ..." are embedded ones); the other six languages contribute their modal asks,
imperatives, wants and question words (``intent_lexicon.py``).
"""

from __future__ import annotations

import re
import unicodedata

from analyzer.detect.hinglish import hinglish_kind
from analyzer.detect.intent_lexicon import (
    ASK_NOUNS,
    AUX_QUESTION,
    COUNT_WORDS,
    FIRST_PERSON,
    IMPERATIVE,
    LEADS,
    OTHER_OPENERS,
    WH,
    WH_OTHER,
    alternation,
)
from analyzer.detect.more_requests import ten_language_kind
from analyzer.detect.spans import word_scores

_LEAD = re.compile(
    rf"^\s*(?:(?:{alternation(LEADS)})(?!\w)|(?:first|second|third|fourth|fifth|last|final|next"
    r"|another|one more)\s+(?:question|thing|one|ask|request|task)\b)\s*[,:;.!—–\-，、：]*\s*",
    re.IGNORECASE,
)
_OPENER = re.compile(
    rf"^(?:{alternation(AUX_QUESTION + IMPERATIVE + FIRST_PERSON + OTHER_OPENERS)})(?![\w-])"
)
#: Search- and voice-style asks that open with a noun ("weather in boston", "table for 5").
_NOUN_OPENER = re.compile(
    r"^(?:weather|forecast|humidity|temperature|flights?|fares?|cheapest|airports?|airlines?"
    r"|ground transportation|rental cars?|table for|tickets? (?:for|to)|directions to"
    r"|traffic (?:in|on|to)|movie (?:times|schedule)|showtimes)\b"
)
#: French "merci de" before an infinitive asks ("Merci de me rappeler demain"); before a
#: noun it thanks ("Merci de votre aide").
_THANKS_IN_ADVANCE = re.compile(
    r"^merci d(?:e|')\s*(?:(?:me|m'|nous|le|la|les|l'|lui|leur|ne|n'|bien|vouloir)\s*)*"
    r"(?!(?:votre|vos|notre|nos|leur|leurs|ton|ta|tes)\b)[^\W\d_]+(?:er|ir|re)\b"
)
#: Request verbs that are also nouns listed with commas ("name, email, phone, address").
_VERB_OR_NOUN = frozenset(
    {"email", "mail", "text", "call", "list", "name", "book", "order", "message", "note",
     "plan", "map", "sort", "search", "schedule", "play", "set", "address", "phone", "report",
     "check", "contact", "update", "format", "design", "sketch", "draft", "outline", "rate"}
)  # fmt: skip
#: Requests in languages outside the seven: a verb that opens the clause (Russian, Ukrainian,
#: Polish, Indonesian, Arabic, Vietnamese; Chinese "请") ...
_OTHER_REQUEST_START = re.compile(
    r"(?:пожалуйста,?\s+)?(?:напиши|напишите|расскажи|расскажите|объясни|объясните|переведи"
    r"|подскажи|подскажите|помоги|помогите|сделай|дай|покажи|найди|посоветуй|посоветуйте"
    r"|порекомендуй|поставь|включи|напомни|отправь|пришлите|сравни|составь|придумай|проверь"
    r"|исправь|опиши)\b"
    r"|(?:proszę\s+)?(?:napisz|wyjaśnij|przetłumacz|powiedz|poleć|pomóż|podaj|pokaż|znajdź"
    r"|porównaj|włącz|ustaw|przypomnij|wyślij|sprawdź|popraw|opisz|zaproponuj|doradź)\b"
    r"|(?:tolong|mohon|coba|bisakah|tuliskan|jelaskan|terjemahkan|berikan|sebutkan|carikan"
    r"|buatkan|rekomendasikan|bandingkan|ingatkan|putar|kirimkan|tunjukkan|sarankan)\b"
    r"|请|推荐"
    r"|(?:من فضلك\s+|لو سمحت\s+|رجاء\S*\s+)?(?:اكتب|اشرح|ترجم|أعطني|اعطني|أخبرني|اخبرني"
    r"|قارن|ساعدني|اقترح|انصحني|احك|احكِ|اضبط|أرسل|ارسل|ذكرني|لخص|ابحث|رتب|صحح)(?!\w)"
    r"|(?:hãy\s+|vui lòng\s+|làm ơn\s+|xin\s+)?(?:viết|dịch|giải thích|gợi ý|đặt|kể|so sánh"
    r"|tìm|nhắc|gửi|giúp|cho (?:mình|tôi|em|anh|chị) (?:biết|hỏi|xin))(?!\w)"
    r"|(?:будь ласка,?\s+)?(?:напиши|розкажи|поясни|переклади|підкажи|порадь|допоможи|зроби"
    r"|покажи|знайди|постав|увімкни|нагадай|надішли|надішліть|порівняй|склади|придумай"
    r"|перевір|виправ|опиши|наведи)(?!\w)"
)
#: ... closing the clause: Turkish, Japanese te-forms, Korean and Hindi request endings ...
_OTHER_REQUEST_END = re.compile(
    r"\b(?:yaz|anlat|söyle|öner|açıkla|ver|kur|gönder|çevir|bul|göster|hatırlat|karşılaştır"
    r"|düzelt)(?:ır|ir|ar|er)?(?:\s*(?:mısın|misin|musun|müsün|mısınız|misiniz|lütfen))?\W*$"
    r"|(?:して|って|んで)\W*$"
    r"|(?:줘|주세요|해라|하세요|부탁해|부탁합니다|부탁드립니다|주십시오|바랍니다)\W*$"
    r"|(?:बताओ|बताइए|बताइये|बताएं|बताएँ|लिखो|लिख दो|लिखिए|करो|कर दो|कीजिए|दीजिए|दो|सुनाओ"
    r"|समझाओ|समझाइए|भेजो|भेज दो|लगाओ|लगा दो|दिखाओ|सुझाओ)\s*[।!.]?\s*$"
)
#: ... or anywhere: Chinese and Japanese request markers.
_OTHER_REQUEST_ANY = re.compile(
    r"帮我|给我|告诉我|推荐一|翻译成|解释一下|讲个|介绍一下|ください|下さい|教えて|お願いします"
)
#: How far from the end a closing request ending is looked for.
_END_WINDOW = 60


def other_language_request(low: str) -> bool:
    """A request in one of the six plus five languages outside the seven (round 6 and 7):
    Russian, Ukrainian, Polish, Indonesian, Arabic and Vietnamese verbs that open the clause,
    Turkish, Korean and Hindi endings and Japanese te-forms that close it, Chinese and Japanese
    markers anywhere ("напиши ...", "tolong ...", "öner", "써 줘", "请帮我 ...", "教えて")."""
    if _OTHER_REQUEST_START.match(low):
        return True
    if _OTHER_REQUEST_END.search(low, max(0, len(low) - _END_WINDOW)):
        return True
    head = low.split(":", 1)[0]  # "şu cümleyi İngilizceye çevir: '...'": the ask before its input
    if head != low and _OTHER_REQUEST_END.search(head, max(0, len(head) - _END_WINDOW)):
        return True
    return not low.isascii() and bool(_OTHER_REQUEST_ANY.search(low))


#: A Japanese question closed by "ka" and a full stop ("... ありますか。").
_JAPANESE_QUESTION = re.compile(r"(?:ですか|ますか|でしょうか|のか)[。\s]*$")
#: First-person wants in the seven languages ("I need", "ik wil", "je voudrais").
_WANTS = (
    "i ", "we ", "need", "want", "looking", "quiero", "necesito", "me gustar", "je veux",
    "je voudrais", "j'ai besoin", "j'aimerais", "ich möchte", "ich brauche", "ich will",
    "ich hätte gern", "voglio", "vorrei", "ho bisogno", "eu quero", "preciso", "gostaria",
    "queria", "ik wil", "ik zou graag", "ik heb nodig",
)  # fmt: skip
_AUX_QUESTION_WORD = re.compile(rf"(?:{alternation(AUX_QUESTION)})$")
_WH_OPENER = re.compile(rf"^(?:{alternation(WH)})(?![\w'-])")
WH_OTHER_OPENER = re.compile(rf"^(?:{alternation(WH_OTHER)})(?![\w-])")
_INSERTED_ADVERB = re.compile(r"^(i|we|i'd|we'd)\s+(?:also|really|just|still|then|now)\s+")
_WANT_INSIDE = re.compile(
    r"\b(?:i|we)\b(?:\s+\w+){0,6}?\s+(?:would like|'d like|need|want)\s+(?:you\s+to|to|a|an|the"
    r"|one|some|your|my|help)\b|\bi\s+(?:was wondering|wonder)\s+(?:if|whether)\b"
    r"|[,;]\s*(?:necesito|necesitamos|quisiera|j'ai besoin|je voudrais|ich brauche|ich möchte"
    r"|ho bisogno|vorrei|preciso|gostaria|ik wil|ik zou graag)\b",
    re.IGNORECASE,
)
_REPORT = re.compile(
    r"\b(?:i|we)\s+(?:can't|cannot|can not|couldn't|am unable to|'m unable to|are unable to)\s"
    r"|\b(?:doesn't|does not|won't|isn't|is not|aren't|never)\s+(?:work|working|load|loading"
    r"|open|start|arrive|arrived|charge|charging|show|showing|sync|syncing|match)\b"
    r"|\bdoes nothing\b|\b(?:app|it|page|screen|game|browser|phone|laptop|program|site)\s+"
    r"(?:just\s+|always\s+)?(?:closes|crashes|crashed|freezes|froze|hangs|quits)\b"
    r"|\bkeeps?\s+(?:crashing|restarting|saying|failing|freezing)\b|\bis broken\b"
    r"|\bstopped working\b|\bwas charged twice\b"
    r"|^(?:my|our)\s+(?:[\w-]+\s+){1,2}?(?:says|shows|keeps|is stuck|is showing|won't|doesn't"
    r"|isn't|can't|has stopped|got|was|went)\b.*\b(?:even though|but|although|error|offline"
    r"|broken|wrong|missing|failed|stuck|twice|never)\b|\bkann ich\b.*\bnicht\b"
    r"|\b(?:funktioniert|funciona|fonctionne|funziona|werkt)\s+(?:nicht|no|pas|niet)\b"
    r"|\bno funciona\b|\bne (?:marche|fonctionne) pas\b|\bnon funziona\b|\bnão funciona\b"
    r"|\bnicht mehr\b|\b(?:geht|klappt) nicht\b|\bno me deja\b|\bya no\b|\bniet meer\b"
    r"|\bnon (?:\w+ )?più\b|\bnão (?:\w+ )?mais\b|\bne (?:\w+ )?plus\b"
    r"|\b(?:cobraron|cobrado|débité|abgebucht|addebitato|afgeschreven) (?:dos veces|deux fois"
    r"|zweimal|due volte|duas vezes|twee keer)\b|\bzweimal abgebucht\b"
    r"|\bsomething went wrong\b|\bspinning (?:wheel|circle)\b|\bgot cancell?ed\b",
    re.IGNORECASE,
)
_PREAMBLE = re.compile(
    r"^(?:hi|hello|hey|hiya|dear \w+|thanks|thank you|thanks so much|ok|okay|please|great|cool"
    r"|got it|i see|perfect|alright|all right|sure|yes|no|yeah|nope|really|oh really"
    r"|how are you(?: doing)?(?: today)?"
    r"|good (?:morning|afternoon|evening)|hola|bonjour|salut|hallo|ciao|olá|oi|hoi|buongiorno"
    r"|buenos días|buenas|guten tag|bom dia|goedemorgen"
    r"|(?:can|could|would) you (?:please )?help(?: me)?(?: with (?:this|something|a question))?"
    r"|(?:please )?help(?: me)? with(?: \S+){1,4}?"
    r"|(?:please )?help(?: me)?|quick question|question|help me out|hope you're well"
    r"|i hope (?:this|you).*|(?:best|regards|kind regards|cheers|thanks|saludos|cordialement"
    r"|grüße|mit freundlichen grüßen|saluti|abraços|groeten)(?:,\s*\w+)?"
    r"|(?:subject|betreff|asunto|objet|oggetto|assunto|onderwerp)\s*:.*|ticket #?\d+.*)\W*$",
    re.IGNORECASE,
)
_ANNOUNCE_HINT = re.compile(
    rf"\b(?:{alternation(ASK_NOUNS)}|questions?|answer|action items|actiepunten|to-?dos?"
    r"|aufgaben|tareas|tâches|compiti|tarefas|taken|next steps)\b"
)
_ANNOUNCE = re.compile(
    rf"\b(?:{alternation(COUNT_WORDS)})\s+(?:\w+\s+){{0,2}}?(?:{alternation(ASK_NOUNS)})\b"
    r"|^(?:\w+\s+){0,2}(?:questions?|fragen|preguntas|domande|perguntas|vragen)\s*(?:for you)?"
    r"\s*:\s*$"
    r"|^(?:my|our)\s+questions\s*:|\bplease answer (?:each|both|all|these|the following)\b"
    r"|^(?:action items|actiepunten|to-?dos?|tasks|aufgaben|tareas|tâches|compiti|tarefas"
    r"|taken|next steps)\s*:\s*$",
    re.IGNORECASE,
)


#: An auxiliary followed by a participle, not by a subject: a second verb phrase of the clause
#: before ("... that is objective and is known a priori"), not a question.
AUX_VP = re.compile(
    r"^(?:is|are|was|were|has|have|had)\s+(?:not\s+|also\s+|still\s+|then\s+)?"
    r"(?:[a-z]+ed|known|made|done|given|taken|seen|shown|written|found|been|being|thought|fought"
    r"|built|born|held|won|sold|bought|told|kept)\b"
)
#: After a bare comma: a relative clause ("..., who's struggling", "..., which ..."), unless
#: where/when invert ("..., where do the flights stop").
RELATIVE = re.compile(
    r"^(?:who|whom|whose|which|who's|who’s)\b|^(?:where|when)\s+(?!(?:is|are|was|were|do|does"
    r"|did|can|could|will|would|should|has|have)\b)"
)


#: What may stand before a clause's leads: an @-mention of the bot, emoji, a "User request:"
#: label an API client put before the user's words.
_BEFORE_LEADS = re.compile(
    r"^(?:@[\w.-]+[,:]?\s+|[\u2190-\u2bff\U0001f300-\U0001faff\ufe0f]+\s*"
    r"|(?:user(?:'s)?\s+)?(?:request|query|question|input|message|prompt)\s*:\s+"
    r"|(?:ticket|richiesta|anfrage|solicitud|demande|pedido|aanvraag|describe (?:the|your)"
    r"\s+(?:issue|problem)|issue|problem|description|comments?)\s*:\s+"
    r"|(?:hey|ok|okay)\s+(?:google|siri|alexa|assistant|bot)\b[,\s]*|(?:alexa|siri)\b[,\s]+)+",
    re.IGNORECASE,
)


def strip_leads(clause: str) -> tuple[str, tuple[str, ...]]:
    """The clause without the leads at its start ("Also, btw, ..."), and those leads; an
    @-mention, emoji or a "User request:" label before them go too."""
    leads = []
    text = clause.strip().lstrip("\"'“”(*•-– ")
    text = _BEFORE_LEADS.sub("", text)
    while True:
        match = _LEAD.match(text)
        if match is None or match.end() == 0 or match.end() >= len(text):
            break
        leads.append(" ".join(match.group(0).lower().strip(" ,:;.!—–-，、：").split()))
        text = _BEFORE_LEADS.sub("", text[match.end() :])
    return text, tuple(leads)


def is_lead_only(piece: str) -> bool:
    """Whether ``piece`` is nothing but leads ("As a separate task", "Also")."""
    match = _LEAD.match(piece.strip())
    return match is not None and match.end() >= len(piece.strip())


def opening(clause: str, *, unpunctuated: bool = False) -> str | None:
    """The request kind a clause opens with: "question", "imperative", "want", "embedded"
    (a wh-word without inversion: "how to ...", "why the ..."), or ``None``. An auxiliary
    opens a question before a pronoun or a determiner, when the clause ends with "?", or in an
    ``unpunctuated`` (voice-style) text."""
    text = clause.strip().lower().lstrip("\"'“”(*•-–¿¡ ")
    text = _INSERTED_ADVERB.sub(r"\1 ", _FILLER.sub("", text))
    wh = _WH_OPENER.match(text)
    if wh is not None:
        contracted = wh.group(0).endswith(("'s", "'re")) or wh.group(0) in ("whats", "wats")
        direct = contracted or _direct_question(wh.group(0), text[wh.end() :])
        return "question" if direct else "embedded"
    aux = _AUX_START.match(text) or (AUX_WORD.match(text) if unpunctuated else None)
    if aux is not None and _englishish(text[aux.end() :]):
        return "question"
    match = (
        _OPENER.match(text)
        or _OPENER.match(_without_clitic(text, plain=False))
        or _OPENER.match(_without_clitic(text, plain=True))
    )
    if match is None:
        noun_ask = _NOUN_OPENER.match(text) or _THANKS_IN_ADVANCE.match(text)
        return "imperative" if noun_ask else None
    word = match.group(0)
    if " " not in word and text[match.end() : match.end() + 1] == "," and word in _VERB_OR_NOUN:
        return None  # "with name, email, age": a list of nouns, not "email" as a verb
    if word.startswith(_WANTS):
        return "want"
    if _AUX_QUESTION_WORD.match(word):
        return "question"
    return "imperative"


AUX_WORD = re.compile(
    r"^(?:is|are|was|were|does|did|can|could|would|should|has|have|had|will|shall|may|might"
    r"|am|isn't|aren't|doesn't|didn't|can't|won't|shouldn't)\s+(?!not\b|\d)"
)
_AUX_START = re.compile(
    r"^(?:is|are|was|were|does|did|can|could|would|should|will|shall|may|might"
    r"|am|isn't|aren't|doesn't|didn't|can't|won't|shouldn't)\s+(?=(?:i|you|we|they|he|she|it"
    r"|there|this|that|these|those|the|a|an|my|your|our|his|her|their|any|some)\b|.*\?\s*$)"
    r"|^(?:is|are|was|were)\s+(?=[\d$€£])"
)
_PLEASE = re.compile(
    r"\b(?:please|pls|plz|bitte|por favor|s'il (?:te|vous) pla[iî]t|per favore|alsjeblieft"
    r"|alstublieft|porfa)\b",
    re.IGNORECASE,
)
_AUX = (
    r"is|are|was|were|do|does|did|can|could|will|would|should|has|have|had|may|might|must"
    r"|shall|'s|'re|'d|'ll|isn't|aren't|don't|doesn't|didn't|can't|won't"
)
_QUANTITY = r"(?:many|much|long|far|old|often|big|tall|late|early|soon|fast|high|deep)"


#: An object pronoun glued to an imperative: "écris-moi", "scrivimi", "escríbeme", "diga-me".
_CLITIC = re.compile(r"^([^\W\d_]{3,}?)-?(?:moi|nous|me|te|le|la|lo|los|las|mi|ci|ne|gli)\b")


def _without_clitic(text: str, *, plain: bool) -> str:
    """The text with the first word's object pronoun removed ("écris-moi un poème" -> "écris
    un poème"), and with ``plain`` its accents too ("escríbeme" -> "escribe"), so that the
    imperative lists match it."""
    match = _CLITIC.match(text)
    if match is None:
        return text
    stem = match.group(1)
    if plain:
        stem = unicodedata.normalize("NFKD", stem)
        stem = "".join(ch for ch in stem if not unicodedata.combining(ch))
    return stem + text[match.end() :]


def _englishish(rest: str) -> bool:
    """Whether the word after an English auxiliary reads as English (German "was eine ...",
    Dutch "is het ..." are not English questions)."""
    word = re.match(r"[^\W\d_]+(?:'[^\W\d_]+)?", rest)
    if word is None:
        return True
    scores, known = word_scores(word.group(0).lower())
    return not any(known) or scores[0] >= max(scores) - 1.0


def _direct_question(wh: str, rest: str) -> bool:
    """After a wh-word: an auxiliary (inversion), a quantity, or (who/what) a verb: a direct
    question; "to ...", or a subject before its verb ("why boosters are needed"): embedded."""
    if re.match(
        r"^\s*(?:to|the|a|an|my|your|this|that|these|those|it|i|we|you|they|he|she)\b", rest
    ):
        return bool(re.match(r"^\s*(?:it|i|we|you|they|he|she)\s+(?:'s|is|are|was)\b", rest))
    if re.match(rf"^\s*(?:{_AUX})\b", rest) or re.match(rf"^\s*{_QUANTITY}\b", rest):
        return True
    if re.match(r"^\s*(?:s|re)\s", rest):
        return True  # tokenized contractions: "what s the weather"
    if wh.startswith(("what", "which", "whose", "wat")):
        return bool(re.match(rf"^\s*(?:\w+\s+){{1,4}}?(?:{_AUX})\b", rest)) or bool(
            re.match(r"^\s*(?:\w+\s+){0,3}\w+(?:ed|s)\b", rest)
        )
    if wh.startswith("who"):
        return bool(re.match(r"^\s*\w+", rest))
    return False


def classify(text: str, *, unpunctuated: bool = False, clause: bool = False) -> str:
    """The kind of one unit (leads already stripped): "preamble", "announce", "question",
    "imperative", "want", "embedded", "wh_other" (another language's question word without a
    question mark), "report" (a problem: "I can't log in") or "statement"; ``unpunctuated``:
    the query has no sentence punctuation (voice style, where "is X playing" asks);
    ``clause``: the unit is a clause joined inside a sentence, so the sentence's final "?"
    is not its own ("Is there a way to A and then B?")."""
    low = text.strip().lower()
    if not low or _PREAMBLE.match(low):
        return "preamble"
    if (
        _ANNOUNCE_HINT.search(low)
        and _ANNOUNCE.search(low)
        and (low.rstrip().endswith(":") or len(low.split()) <= 12)
        and not (_PRODUCE.match(low) and not low.rstrip().endswith(":"))
    ):
        return "announce"  # "Two questions:", not "Give me 5 icebreaker questions"
    kind = opening(low, unpunctuated=unpunctuated)
    asks = not clause and (
        low.rstrip().endswith(("?", "？", "؟"))
        or low.lstrip().startswith("¿")
        or bool(_JAPANESE_QUESTION.search(low))
    )
    if kind == "embedded":
        return "question" if asks else "embedded"
    return kind or _kind_without_opener(low, asks)


#: A spoken filler before a clause ("and um tell me a joke").
_FILLER = re.compile(r"^(?:um+|uh+|erm|hmm+)[,\s]+(?=[a-z])")
#: An ask to produce what the ask nouns name ("give me 5 icebreaker questions").
_PRODUCE = re.compile(
    r"^(?:please\s+)?(?:give|write|list|generate|suggest|create|make|draft|brainstorm|propose"
    r"|come up with|think of)\b"
)
#: A description of the thing asked about, whatever "please" it ends with ("it's small and
#: family run ... something cozy pls").
_DESCRIPTION = re.compile(
    r"^(?:it's|it is|its|they're|they are|we're|we are|this is|that's|there's|there are|he's"
    r"|she's)\s"
)


#: A run-on that ends by asking ("... super loud all of a sudden what do i do").
_TRAILING_ASK = re.compile(
    r"\b(?:what (?:do|should|can) (?:i|we) do|any (?:ideas|advice|suggestions|tips)|how do i fix"
    r" (?:it|this)|(?:pls|please) help)\W*$"
)


def _kind_without_opener(low: str, asks: bool) -> str:
    if asks or _TRAILING_ASK.search(low):
        return "question"
    hinglish = hinglish_kind(low)
    if hinglish is not None:
        return hinglish
    if other_language_request(low):
        return "imperative"  # "напиши ...", "tolong ...", "öner", "请帮我 ...", "教えてください"
    if WH_OTHER_OPENER.match(low.lstrip("¿¡ ")):
        return "wh_other"
    ten = ten_language_kind(low)  # round 12: "jag behöver", "skriv", "hur", "fungerar inte"
    if ten is not None:
        return ten
    if _WANT_INSIDE.search(low):
        return "want"
    if _PLEASE.search(low) and not low.startswith(("please note", "please be")):
        return "statement" if _DESCRIPTION.match(low) else "imperative"
    if _REPORT.search(low):
        return "report"
    return "statement"
