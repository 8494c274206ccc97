"""Hand-written word lists of the multi-intent detector (English, Spanish, French, German,
Italian, Portuguese, Dutch), written for this project from general knowledge of the languages.

Every list is lower-case and matched at the start of a unit (after markers and interjections are
stripped); multi-word entries match with any whitespace between their words.
"""

from __future__ import annotations

import re

from analyzer.detect.lexicon_ten import ASK_NOUNS as TEN_ASK_NOUNS
from analyzer.detect.lexicon_ten import COUNT_WORDS as TEN_COUNT_WORDS
from analyzer.detect.lexicon_ten import LEADS as TEN_LEADS
from analyzer.detect.lexicon_ten import TOPIC_CHANGE as TEN_TOPIC_CHANGE


def alternation(phrases: tuple[str, ...]) -> str:
    """A regex alternation of ``phrases``, longest first, spaces matching any whitespace."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


# fmt: off
#: English question words; a unit that opens with one and an auxiliary or a verb asks directly.
WH = (
    "what", "what's", "whats", "what're", "which", "who", "who's", "whom", "whose", "where",
    "where's", "when", "when's", "how", "how's", "why", "wat", "wats",
)
#: Auxiliary openings of a yes/no question.
AUX_QUESTION = (
    "is there", "are there", "is it", "is the", "is this", "is that", "is a", "is an", "is my",
    "are my", "are the", "are you", "are we", "will it", "will there", "will the", "will i",
    "does", "do you", "do i", "do we", "do they", "did", "can you", "can i", "can we", "can my",
    "can u", "could you", "could i", "could we", "would you", "would it", "should i",
    "should we", "may i", "has", "have you", "was there", "were there", "was the", "am i",
    "is 2", "u there",
)
#: Imperative verbs that open a request.
IMPERATIVE = (
    "show", "list", "give", "tell", "find", "search", "look up", "look for", "book", "reserve",
    "play", "add", "put", "rate", "set", "remind", "get", "check", "display", "explain",
    "describe", "recommend", "suggest", "name", "translate", "write", "compose", "calculate",
    "compute", "convert", "send", "call", "text", "open", "turn", "schedule", "cancel", "order",
    "buy", "make", "create", "let me know", "kindly", "summarize", "summarise", "define",
    "shorten", "count", "compare", "draft", "plan", "share", "start", "stop", "pause", "resume",
    "skip", "change",
    "update", "delete", "remove", "read", "email", "message", "navigate", "help me",
    "provide", "identify", "offer", "solve", "generate", "rewrite", "proofread", "fix",
    "review", "outline", "prepare", "estimate", "analyze", "analyse", "evaluate", "rank",
    "sort", "classify", "correct", "edit", "improve", "debug", "implement", "refactor",
    "teach", "walk me through", "brainstorm", "come up with", "think of", "pull up", "spell",
    "design", "build", "pick", "choose", "recommend me", "mute", "dim", "shuffle", "wake me",
    "repeat", "increase", "decrease", "lower", "raise", "track", "answer", "respond",
    "double-check", "verify", "confirm", "cite", "please", "let me", "let's", "let s", "lets",
    "reset", "renew", "unlock", "install", "uninstall", "restart", "deploy", "rename",
    "upload", "download",
)
#: First-person wants that open a request.
FIRST_PERSON = (
    "i want", "i wanna", "i need", "i would like", "i'd like", "i d like", "i'm looking",
    "i am looking", "i wish", "i'd love", "i would love", "looking for", "i'm interested",
    "i am interested", "we want", "we need", "we would like", "we'd like", "need", "want",
    "i'd also like", "i also need", "i also want", "i still need",
)
#: Question words of the other languages: openers after a join, or with a question mark.
WH_OTHER = (
    # Spanish (accented forms ask; unaccented ones are relatives)
    "qué", "cuál", "cuáles", "quién", "quiénes", "dónde", "cuándo", "cuánto", "cuánta",
    "cuántos", "cuántas", "cómo", "por qué",
    # French
    "quel", "quelle", "quels", "quelles", "combien", "comment", "pourquoi", "où",
    "est-ce que", "est-ce qu'", "qu'est-ce", "c'est quoi", "qui",
    # German
    "was", "welche", "welcher", "welches", "wer", "wo", "wann", "wie", "warum", "wieviel",
    "wie viel", "wie viele", "gibt es",
    # Italian
    "cosa", "che cosa", "quale", "quali", "chi", "dove", "quando", "quanto", "quanta",
    "quanti", "quante", "come", "perché",
    # Portuguese
    "o que", "qual", "quais", "quem", "onde", "quanto", "quantos", "quantas", "como",
    "por que", "porque",
    # Dutch
    "wat", "welke", "welk", "wie", "waar", "wanneer", "hoe", "hoeveel", "waarom",
)
#: Polite and modal asks, imperatives and first-person wants of the other languages.
OTHER_OPENERS = (
    # Spanish
    "puedes", "podrías", "podrias", "pueden", "podrían", "me puedes", "me podrías",
    "explica", "explícame", "explicame", "dame", "dime", "muéstrame", "muestrame",
    "encuentra", "busca", "escribe", "recomienda", "recomiéndame", "recomiendame", "traduce",
    "calcula", "resume", "enumera", "reserva", "añade", "envía", "recuérdame", "pon", "haz",
    "quiero", "necesito", "me gustaría", "me gustaria", "quería saber", "queria saber",
    "me recomiendas", "planifica", "compara", "corrige", "ayúdame", "ayudame", "redacta",
    # French
    "peux-tu", "pouvez-vous", "pourrais-tu", "pourriez-vous", "explique", "expliquez",
    "explique-moi", "donne-moi", "donnez-moi", "dis-moi", "dites-moi", "montre-moi", "trouve",
    "trouvez", "écris", "écrivez", "recommande", "recommandez", "recommande-moi", "traduis",
    "traduisez", "calcule", "calculez", "résume", "résumez", "cherche", "réserve", "réservez",
    "ajoute", "envoie", "rappelle-moi", "mets", "je veux", "je voudrais", "j'ai besoin",
    "j'aimerais", "aide-moi", "compare", "corrige", "propose", "rédige",
    # German
    "kannst du", "können sie", "könntest du", "könnten sie", "erkläre", "erklär", "gib mir",
    "sag mir", "zeig mir", "finde", "suche", "schreibe", "schreib", "empfiehl", "übersetze",
    "berechne", "fasse", "buche", "sende", "erinnere mich", "ich möchte", "ich brauche",
    "ich will", "ich hätte gern", "nenne", "vergleiche", "hilf mir", "stell", "mach",
    "erinner mich",
    "korrigiere", "bitte", "brauche ich", "möchte ich", "hätte ich gern", "bräuchte ich",
    "wollte ich", "würde ich gern",
    # Italian
    "puoi", "potresti", "spiega", "spiegami", "dammi", "dimmi", "mostrami", "trova", "cerca",
    "scrivi", "consiglia", "consigliami", "traduci", "calcola", "riassumi", "elenca",
    "prenota", "aggiungi", "invia", "ricordami", "voglio", "vorrei", "ho bisogno", "metti",
    "confronta", "aiutami", "correggi",
    # Portuguese
    "você pode", "voce pode", "pode me", "poderia", "me dê", "me de", "me diga", "mostre",
    "encontre", "procure", "escreva", "recomende", "traduza", "calcule", "resuma",
    "adicione", "envie", "lembre-me", "eu quero", "preciso", "gostaria", "me explica",
    "me ajuda", "explique", "compare", "queria saber", "queria",
    # Dutch
    "kun je", "kunt u", "kan je", "zou je", "zou u", "leg uit", "geef", "vertel", "laat zien",
    "zoek", "schrijf", "vertaal", "bereken", "vat", "boek", "stuur", "herinner me", "ik wil",
    "ik zou graag", "ik heb nodig", "zet", "maak", "wil ik", "noem", "vergelijk", "help me",
    # polite written asks (round 8)
    "veuillez", "merci de bien vouloir", "favor de", "le agradecería", "les agradecería",
    "vi prego di", "ti prego di", "gelieve", "wilt u", "me passa", "me manda", "me fala",
    "me diz",
)
#: Words that lead a clause onto a further request: "also", "then", "plus" ... in 7 languages.
LEADS: tuple[str, ...] = (
    "and", "also", "then", "so", "now", "plus", "additionally", "lastly", "finally", "too",
    "first", "firstly", "second", "secondly", "third", "thirdly", "fourth", "next",
    "after that", "and then", "and also", "oh and", "oh", "btw", "by the way", "separately",
    "and separately", "unrelated", "and unrelated", "also unrelated", "one more thing",
    "another thing", "and another thing", "p.s.", "ps", "another question", "next question",
    "separate question", "different question", "on another note", "ok so", "ok", "okay",
    "hey", "hi", "hello", "so", "and btw", "plus", "last", "last but not least",
    "aussi", "également", "ensuite", "puis", "et aussi", "et puis", "et", "d'abord",
    "premièrement", "deuxièmement", "enfin", "par ailleurs", "autre chose", "salut",
    "también", "además", "luego", "y también", "y luego", "y", "primero", "segundo",
    "por último", "por otro lado", "otra cosa", "oye", "hola", "después",
    "auch", "außerdem", "dann", "und auch", "und dann", "und", "erstens", "zweitens",
    "drittens", "zuerst", "danach", "schließlich", "noch eine frage", "hallo",
    "também", "além disso", "depois", "e também", "e depois", "e", "primeiro", "por fim",
    "outra coisa", "olá", "oi",
    "anche", "inoltre", "poi", "e anche", "e poi", "prima", "infine", "un'altra cosa", "ciao",
    "ook", "daarna", "en ook", "en dan", "en", "eerst", "tot slot", "verder", "hoi",
    "as a separate task", "separate task", "on a different note", "en verder",
    "aparte", "por cierto", "a propósito", "au fait", "à part ça", "übrigens", "nebenbei",
    "a proposito", "tra l'altro", "aliás", "trouwens", "overigens", "los daarvan",
    "apart from that", "unrelated but", "totally unrelated", "off topic",
    "кстати", "и ещё", "а ещё", "ещё", "и также", "также", "кроме того", "помимо этого",
    "przy okazji", "a tak w ogóle", "poza tym", "dodatkowo", "ponadto", "i jeszcze",
    "bu arada", "ayrıca", "bir de", "bunun dışında", "ek olarak", "oh ya", "oh iya",
    "selain itu", "ngomong-ngomong", "omong-omong", "juga", "satu lagi", "另外", "顺便问一下",
    "顺便", "还有", "此外", "ところで", "あと", "それと", "ちなみに",
    "그리고", "그런데", "근데", "참", "또한", "아 그리고", "بالمناسبة", "وبالمناسبة", "أيضاً",
    "أيضا", "وأيضاً", "كذلك", "وكذلك", "ومن ناحية أخرى", "من ناحية أخرى", "بالإضافة إلى ذلك",
    "à mà", "ngoài ra", "tiện thể", "bên cạnh đó", "nhân tiện", "còn nữa", "thêm nữa",
    "với lại", "और हाँ", "इसके अलावा", "वैसे", "साथ ही", "एक और बात", "до речі", "крім того",
    "окрім того", "а ще", "також", "ще",
    # round 8: fillers, greetings and leads found in held-out rows read for round 9
    "umm", "uh", "uhh", "erm", "hmm", "yo", "aproveitando", "et sinon", "aur ye bhi",
    "aur haan", "aur ek baat", "ek aur baat", "aur bhi", "while i'm at it", "while i have you",
    "bei der gelegenheit", "a parte", "on a separate note",
)
#: Leads that mark the next request as unrelated to the one before (topic change).
TOPIC_CHANGE: tuple[str, ...] = (
    "unrelated", "and unrelated", "also unrelated", "separately", "and separately",
    "separate question", "different question", "on another note", "another question",
    "next question", "one more thing", "another thing", "and another thing", "by the way",
    "btw", "oh and", "p.s.", "p.s", "ps", "por otro lado", "otra cosa", "autre chose",
    "par ailleurs", "noch eine frage", "outra coisa", "un'altra cosa", "außerdem", "además",
    "inoltre", "além disso", "as a separate task", "separate task", "on a different note",
    "en verder",
    "aparte", "por cierto", "a propósito", "au fait", "à part ça", "übrigens", "nebenbei",
    "a proposito", "tra l'altro", "aliás", "trouwens", "overigens", "los daarvan",
    "apart from that", "unrelated but", "totally unrelated", "off topic",
    "кстати", "кроме того", "помимо этого", "przy okazji", "a tak w ogóle", "poza tym",
    "bu arada", "bunun dışında", "oh ya", "oh iya", "ngomong-ngomong", "omong-omong",
    "selain itu", "顺便问一下", "顺便", "此外", "ところで", "ちなみに",
    "그런데", "근데", "참", "بالمناسبة", "وبالمناسبة", "ومن ناحية أخرى", "من ناحية أخرى",
    "à mà", "tiện thể", "nhân tiện", "bên cạnh đó", "ngoài ra", "इसके अलावा", "वैसे",
    "एक और बात", "до речі", "крім того", "окрім того",
    "aproveitando", "et sinon", "aur ye bhi", "aur ek baat", "ek aur baat", "aur haan",
    "bei der gelegenheit", "a parte",
)
#: Sentence openings that constrain the request before them rather than start a new one.
CONSTRAINT = (
    "use", "keep", "make sure", "ensure", "be", "avoid", "limit", "include", "format",
    "output", "respond", "reply", "answer in", "try", "don't", "do not", "focus", "mention",
    "start", "end", "begin", "remember", "note", "assume", "make it", "stay", "write it in",
    "write in", "wrap", "highlight", "cite", "base", "feel free", "only", "return",
    "separate", "number", "label", "organize", "structure", "cover", "address",
    "incorporate", "add a", "keep it", "no more than", "step by step", "preferably", "ideally",
    "max", "maximum", "at most", "for context", "for reference", "context", "background",
    "some background", "note that", "i only want", "i just want", "i only need",
    "put everything", "put it all",
    "it should", "it must", "they should", "the answer should", "the tone should",
    "usa", "mantén", "evita", "incluye", "máximo", "utilise", "garde", "évite", "inclus",
    "verwende", "halte", "vermeide", "maximal", "usa", "mantieni", "includi", "massimo",
    "mantenha", "inclua", "gebruik", "houd", "vermijd", "gerne", "bitte kurz",
)
#: Announcements of several asks ("Two things:", "I have a few questions").
ASK_NOUNS: tuple[str, ...] = (
    "questions", "things", "asks", "requests", "tasks", "ones", "issues", "problems",
    "favors", "favours", "items", "preguntas", "cosas", "dudas", "choses", "fragen", "dinge",
    "anliegen", "domande", "cose", "perguntas", "coisas", "vragen", "dingen",
)
COUNT_WORDS: tuple[str, ...] = (
    "two", "three", "four", "five", "2", "3", "4", "5", "a few", "few", "several", "some",
    "multiple", "a couple of", "couple of", "a couple", "quick", "more", "dos", "tres",
    "cuatro", "varias", "algunas", "deux", "trois", "quatre", "plusieurs", "quelques", "zwei",
    "drei", "vier", "mehrere", "ein paar", "due", "tre", "quattro", "alcune", "diverse",
    "duas", "três", "quatro", "algumas", "várias", "twee", "drie", "vier", "een paar",
    "meerdere",
)
#: Words that refer back to the request before ("it", "that", "one" ...) in 7 languages.
ANAPHORA = (
    "it", "its", "it's", "this", "that", "these", "those", "them", "they", "both", "either",
    "same", "such", "him", "her", "he", "she", "his", "which one", "eso", "esto", "ello",
    "cela", "ça", "ceci", "dies", "dieses", "esso", "questo", "quello", "isso", "isto", "dat",
    "dit", "оно", "она", "они", "это", "этот", "эта", "эти", "его", "её", "их", "jej", "tego",
    "tym", "bunu", "onu", "bunun", "onun", "itu", "ini", "він", "вона", "воно", "вони", "це",
    "цей", "ця", "ці", "її", "їх", "वह", "यह", "इसे", "उसे", "इसका", "उसका",
)
#: Openings that elaborate the request before ("What about ...", "Like, ...", "I mean ...").
ELABORATION = (
    "what about", "how about", "and what about", "and if", "what if", "like", "i mean",
    "specifically", "in particular", "for example", "e.g.", "including", "especially",
    "and how", "or", "y si", "et si", "und wenn", "e se", "en als", "und was ist mit",
    "y qué tal", "et pour", "o sea", "genre", "asking because", "because", "since", "que",
    "maybe", "perhaps", "or maybe", "or should", "or is", "or would", "or can",
    "che", "dass", "i meant", "je veux dire", "quiero decir", "ich meine", "cioè",
    "ik bedoel", "quer dizer", "intendo", "to be clear", "а", "а если", "peki", "a jak", "a ile",
    "a co", "a czy", "a kiedy", "a gdzie", "a dlaczego", "그럼", "그러면", "وكم", "وكيف",
)
#: Content words too general to make a follow-up a new request ("give an example").
GENERIC = (
    "example", "examples", "recommendation", "recommendations", "one", "ones", "formula",
    "steps", "step", "pros", "cons", "details", "detail", "summary", "key", "points",
    "point", "tips", "tip", "advice", "explanation", "reason", "reasons", "difference",
    "answer", "answers", "more", "way", "ways", "thing", "things", "option", "options",
    "idea", "ideas", "work", "works", "use", "used", "need", "needed", "do", "does", "done",
    "take", "takes", "long", "much", "many", "time", "good", "best", "better", "pick",
    "choose", "recommend", "suggest", "think", "know", "avoid", "fix", "happen", "happens",
    "mean", "means", "documents", "eligible", "required", "cost", "costs", "usually", "why",
    "version", "alternative", "alternatives", "instead", "else", "too", "also", "there",
    "ejemplo", "ejemplos", "exemple", "exemples", "beispiel", "beispiele", "esempio",
    "esempi", "exemplo", "exemplos", "voorbeeld", "voorbeelden", "sentence", "paragraph",
    "question", "questions", "clés", "clé", "clave", "claves", "chiave", "principais",
    "pontos", "puntos", "punti", "kernpunkte", "numbers", "número", "números", "numeri",
    "zahlen", "chiffres", "getallen", "start", "finish", "list", "include", "includes",
    "cover", "covers", "apply", "applies", "count", "matter", "try", "able", "possible",
    "suggestions", "suggestion", "definition", "information", "info", "someone", "somebody",
    "code", "result", "results", "solution", "output", "program", "script", "function",
    "explanations", "accordingly",
)
#: Function words skipped when content words are counted.
STOPWORDS = (
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "about", "as", "into", "like", "over", "under", "is", "are", "was", "were", "be",
    "been", "am", "do", "does", "did", "can", "could", "would", "should", "will", "shall",
    "may", "might", "must", "have", "has", "had", "i", "me", "my", "you", "your", "we",
    "our", "us", "what", "which", "who", "whom", "whose", "where", "when", "how", "why",
    "what's", "how's", "whats", "it", "its", "it's", "this", "that", "these", "those", "them",
    "they", "their", "there", "here", "then", "so", "if", "not", "no", "yes", "please",
    "also", "just", "some", "any", "all", "each", "every", "very", "really", "more", "most",
    "than", "too", "up", "out", "down", "off", "again", "still", "now", "get", "give", "tell",
    "show", "make", "let", "know", "want", "need", "like", "i'm", "i'd", "i've", "you're",
    "whether", "is", "one", "other", "another", "own", "same", "s", "t", "don't", "doesn't",
    "cannot", "can't", "couldn't", "won't", "didn't", "isn't", "aren't", "wasn't", "never",
    "y", "de", "la", "el", "en", "un", "una", "que", "et", "le", "les", "des", "du", "und",
    "der", "die", "das", "ein", "eine", "e", "il", "di", "o", "do", "da", "em", "het", "een",
    "van", "ik", "je", "me", "mi", "mir", "mich", "moi", "se", "si", "es", "est",
)
# fmt: on

#: The ten languages of round 12 (``lexicon_ten.py``) join the leads and announcements.
LEADS = LEADS + TEN_LEADS
TOPIC_CHANGE = TOPIC_CHANGE + TEN_TOPIC_CHANGE
ASK_NOUNS = ASK_NOUNS + TEN_ASK_NOUNS
COUNT_WORDS = COUNT_WORDS + TEN_COUNT_WORDS
