"""Word lists of the multi-intent detector in ten more languages (round 12): Swedish, Danish,
Norwegian, Finnish, Czech, Slovak, Romanian, Hungarian, Croatian (Serbian and Bosnian in Latin
letters share most forms) and Greek; written for this project from general knowledge of the
languages, with and without diacritics (phone-typed text drops them). ``more_requests.py``
matches them; ``intent_lexicon.py`` adds the leads to its own."""

from __future__ import annotations

# fmt: off
IMPERATIVES = (
    # Swedish
    "skriv", "översätt", "oversatt", "förklara", "forklara", "sammanfatta", "ge mig", "berätta",
    "beratta", "visa mig", "hitta", "leta upp", "boka", "beställ", "bestall", "skicka", "påminn",
    "paminn", "ring till", "spela", "tänd", "tand", "släck", "stäng av", "stang av", "öppna",
    "oppna", "lägg till", "lagg till", "ta bort", "räkna ut", "rakna ut", "beräkna", "berakna",
    "föreslå", "foresla", "rekommendera", "jämför", "jamfor", "rätta", "ratta", "fixa",
    "hjälp mig", "hjalp mig", "gör", "skapa", "planera", "kolla", "kontrollera", "ändra",
    "avboka", "säg", "flytta", "kan du", "kan ni", "skulle du kunna", "kunde du", "snälla",
    "snalla",
    # Danish
    "oversæt", "oversaet", "forklar", "opsummer", "giv mig", "fortæl", "fortael", "vis mig",
    "søg", "bestil", "påmind", "pamind", "mind mig", "spil", "tænd",
    "taend", "sluk", "luk", "åbn", "abn", "sæt", "saet", "tilføj", "tilfoj", "fjern", "beregn",
    "udregn", "foreslå", "anbefal", "sammenlign", "lav en", "lav et", "lav mig", "hjælp mig",
    "hjaelp mig",
    "planlæg", "tjek", "skru", "kan i", "vil du", "kunne du", "gider du", "venligst",
    # Norwegian
    "oversett", "oppsummer", "gi meg", "fortell", "vis meg", "finn meg", "finn ut", "søk",
    "bestill", "minn meg",
    "slå på", "sla pa", "slå av", "sla av", "lukk", "åpne", "sett opp", "sett på",
    "legg til",
    "regn ut", "lag en", "lag et", "lag meg", "hjelp meg", "planlegg", "sjekk", "endre", "kan dere",
    "vær så snill",
    "vennligst",
    # Finnish
    "kirjoita", "käännä", "kaanna", "selitä", "selita", "tiivistä", "tiivista", "anna minulle",
    "anna mulle", "anna meille", "kerro",
    "näytä", "nayta", "etsi", "hae minulle", "hae mulle", "varaa", "tilaa", "lähetä", "laheta",
    "muistuta", "soita",
    "laita", "sytytä", "sytyta", "sammuta", "avaa", "sulje", "lisää", "lisaa", "poista",
    "laske", "ehdota", "suosittele", "vertaa", "korjaa", "tee minulle", "tee mulle", "tee lista",
    "auta", "suunnittele",
    "tarkista", "muuta", "voitko", "voisitko", "voitteko", "voisitteko", "osaatko",
    "saisinko", "voisinko",
    # Czech
    "napiš", "napis", "napište", "napiste", "přelož", "preloz", "vysvětli", "vysvetli", "shrň",
    "shrn", "dej mi", "řekni", "rekni", "ukaž", "ukaz", "najdi", "vyhledej", "zarezervuj",
    "rezervuj", "objednej", "pošli", "posli", "připomeň", "pripomen", "zavolej", "pusť",
    "zapni", "vypni", "zhasni", "rozsviť", "otevři", "otevri", "zavři", "zavri", "přidej",
    "pridej", "smaž", "smaz", "odstraň", "spočítej", "spocitej", "vypočítej", "vypocitej",
    "navrhni", "doporuč", "doporuc", "porovnej", "oprav", "udělej", "udelej", "vytvoř",
    "vytvor", "pomoz mi", "pomozte mi", "naplánuj", "zkontroluj", "změň", "zmen", "zruš", "zrus",
    "přečti", "precti", "můžeš", "muzes", "můžete", "muzete", "mohl bys", "mohla bys",
    "mohli byste", "prosím", "prosim",
    # Slovak
    "napíš", "prelož", "zhrň", "daj mi", "povedz", "ukáž", "nájdi", "vyhľadaj", "objednaj",
    "pošli", "pripomeň", "zavolaj", "pusti", "otvor", "zatvor", "pridaj", "zmaž", "odstráň",
    "vypočítaj", "vypocitaj", "spočítaj", "odporuč", "odporuc", "porovnaj", "urob", "pomôž mi",
    "naplánuj", "skontroluj", "zmeň", "zisti", "prečítaj", "môžeš", "môžete", "mohol by si",
    "mohla by si", "mohli by ste", "vieš mi", "vies mi", "viete mi",
    # Romanian
    "scrie", "scrie-mi", "tradu", "tradu-mi", "traduce", "explică", "explica", "explică-mi",
    "explica-mi", "rezumă", "rezuma", "dă-mi", "da-mi", "spune-mi", "spune", "zi-mi",
    "arată-mi", "arata-mi", "găsește", "gaseste", "caută", "cauta", "rezervă", "rezerva",
    "comandă-mi", "comanda-mi", "trimite", "trimite-mi", "amintește-mi", "aminteste-mi", "sună",
    "pune-mi", "pornește", "porneste", "oprește", "opreste", "setează", "seteaza", "adaugă",
    "adauga", "șterge", "sterge", "calculează", "calculeaza", "propune", "recomandă",
    "recomanda", "compară", "compara", "corectează", "corecteaza", "fă-mi", "fa-mi",
    "ajută-mă", "ajuta-ma", "ajută-mi", "planifică", "verifică", "verifica", "schimbă",
    "anulează", "anuleaza", "poți", "poti", "puteți", "puteti", "ai putea", "ați putea",
    "ati putea", "vă rog", "va rog", "te rog",
    # Hungarian
    "írj", "irj", "írd", "ird", "fordítsd", "forditsd", "magyarázd", "magyarazd", "foglald",
    "adj", "mondd", "mutasd", "keresd", "keress", "foglalj", "rendelj", "küldj", "kuldj",
    "küldd", "kuldd", "emlékeztess", "emlekeztess", "hívd", "hivd", "játssz", "jatssz",
    "kapcsold", "nyisd", "zárd", "add hozzá", "add hozza", "töröld", "torold", "számold",
    "szamold", "számítsd", "szamitsd", "javasolj", "ajánlj", "ajanlj", "hasonlítsd",
    "hasonlitsd", "javítsd", "javitsd", "csinálj", "csinalj", "készíts", "keszits", "segíts",
    "segits", "tervezd", "ellenőrizd", "ellenorizd", "változtasd", "mondj", "tudnál", "tudnal",
    "tudnád", "tudnad", "tudna", "tudnátok", "légyszi", "legyszi", "kérlek", "kerlek",
    "kérem", "kerem",
    # Croatian, Serbian and Bosnian in Latin letters
    "napiši", "napisi", "prevedi", "objasni", "sažmi", "sazmi", "reci mi", "pokaži", "pokazi",
    "nađi", "nadji", "pronađi", "pronadji", "potraži", "rezerviraj", "naruči", "naruci",
    "pošalji", "posalji", "podsjeti me", "nazovi", "upali", "ugasi", "isključi", "iskljuci",
    "uključi", "ukljuci", "otvori", "zatvori", "dodaj", "obriši", "obrisi", "izračunaj",
    "izracunaj", "predloži", "predlozi", "preporuči", "preporuci", "usporedi", "ispravi",
    "popravi", "napravi", "pomozi mi", "isplaniraj", "provjeri", "promijeni", "otkaži", "otkazi",
    "možeš", "mozes", "možete", "mozete", "bi li mogao", "biste li mogli", "molim te",
    "molim vas",
    # Greek (with and without accents)
    "γράψε", "γραψε", "γράψτε", "γραψτε", "μετάφρασε", "μεταφρασε", "μεταφράστε", "εξήγησε",
    "εξηγησε", "εξηγήστε", "συνόψισε", "συνοψισε", "δώσε", "δωσε", "πες μου", "πείτε μου",
    "πειτε μου", "δείξε", "δειξε", "βρες", "ψάξε", "ψαξε", "κλείσε", "κλεισε", "παράγγειλε",
    "στείλε", "στειλε", "υπενθύμισέ", "υπενθυμισε", "θύμισέ", "θυμισε", "θύμισε", "πάρε",
    "βάλε", "βαλε", "άνοιξε", "ανοιξε", "σβήσε", "σβησε", "πρόσθεσε", "προσθεσε", "διάγραψε",
    "υπολόγισε", "υπολογισε", "πρότεινε", "προτεινε", "σύγκρινε", "συγκρινε", "διόρθωσε",
    "διορθωσε", "φτιάξε", "φτιαξε", "κάνε", "κανε", "βοήθησέ", "βοηθησε", "βοήθησε", "έλεγξε",
    "ελεγξε", "άλλαξε", "αλλαξε", "ακύρωσε", "ακυρωσε", "μπορείς", "μπορεις", "μπορείτε",
    "μπορειτε", "θα μπορούσες", "θα μπορουσες", "θα μπορούσατε", "παρακαλώ", "παρακαλω",
    # polite and plural forms
    "στείλτε", "στειλτε", "δώστε", "δωστε", "δείξτε", "δειξτε", "βρείτε", "βρειτε", "κλείστε",
    "κλειστε", "ανοίξτε", "ανοιξτε", "βάλτε", "βαλτε", "φτιάξτε", "φτιαξτε", "κάντε", "καντε",
    "βοηθήστε", "βοηθηστε", "ελέγξτε", "ελεγξτε", "αλλάξτε", "αλλαξτε", "ακυρώστε", "ακυρωστε",
    "υπολογίστε", "προτείνετε", "συγκρίνετε", "διορθώστε", "διορθωστε",
    "pošlete", "poslete", "přeložte", "prelozte", "vysvětlete", "vysvetlete", "pomozte",
    "zkontrolujte", "zrušte", "zruste", "dejte mi", "řekněte", "reknete", "ukažte", "ukazte",
    "najděte", "najdete", "pošlite", "poslite", "napíšte", "napiste", "preložte",
    "vysvetlite", "pomôžte", "pomozte", "skontrolujte", "dajte mi", "povedzte", "ukážte",
    "nájdite", "najdite",
    "pošaljite", "posaljite", "napišite", "napisite", "prevedite", "objasnite", "pomozite",
    "provjerite", "otkažite", "otkazite", "recite mi", "pokažite", "pokazite", "pronađite",
    "trimiteți", "trimiteti", "scrieți", "scrieti", "traduceți", "traduceti", "explicați",
    "explicati", "ajutați-mă", "ajutati-ma", "verificați", "verificati", "anulați", "anulati",
    "spuneți-mi", "spuneti-mi", "arătați-mi", "aratati-mi", "găsiți", "gasiti",
    "küldje", "kuldje", "írja", "irja", "fordítsa", "forditsa", "magyarázza", "magyarazza",
    "segítsen", "segitsen", "ellenőrizze", "ellenorizze", "mondja meg", "mutassa",
    "lähettäkää", "lahettakaa", "kirjoittakaa", "kääntäkää", "selittäkää", "auttakaa",
    "tarkistakaa", "kertokaa", "näyttäkää", "naytakaa",
)
WANTS = (
    "jag vill", "jag behöver", "jag behover", "jag skulle vilja", "jag undrar", "vi behöver",
    "jeg vil", "jeg har brug for", "jeg skal bruge", "jeg ville gerne", "vi har brug for",
    "jeg trenger", "jeg skulle gjerne", "jeg lurer på", "jeg lurer pa", "vi trenger",
    "haluan", "haluaisin", "tarvitsen", "tarvitsisin", "haluaisimme", "tarvitsemme",
    "chci", "chtěl bych", "chtel bych", "chtěla bych", "chtela bych", "potřebuji", "potrebuji",
    "potřebuju", "potrebuju", "potřeboval bych", "potreboval bych",
    "chcem", "chcel by som", "chcela by som", "potrebujem", "potreboval by som",
    "potrebovala by som",
    "vreau", "aș vrea", "as vrea", "aș dori", "as dori", "am nevoie", "îmi trebuie",
    "imi trebuie", "doresc",
    "szeretnék", "szeretnek", "szeretném", "szeretnem", "szükségem van", "szuksegem van",
    "trebam", "trebao bih", "trebala bih", "želim", "zelim", "htio bih", "htjela bih",
    "treba mi", "trebaju mi",
    "θέλω", "θελω", "θα ήθελα", "θα ηθελα", "χρειάζομαι", "χρειαζομαι",
)
#: Question words (without a question mark they ask only after a join).
QUESTION_WORDS = (
    "vad", "vilken", "vilket", "vilka", "hur", "när", "varför", "varfor",
    "hvad", "hvilken", "hvilket", "hvilke", "hvordan", "hvornår", "hvornar", "hvorfor", "hvem",
    "hvor meget", "hvor mange", "hvor lang", "hvor", "hva", "hvor mye",
    "mikä", "mika", "mitä", "mita", "miten", "missä", "missa", "milloin", "miksi", "kuka",
    "kuinka", "paljonko", "millainen", "millanen", "mihin", "mistä", "onko", "onks", "voiko",
    "saako", "saanko", "voisiko", "pitääkö", "pitaako", "kannattaako", "löytyykö", "loytyyko",
    "tiedätkö", "tiedatko", "muistatko", "pystytkö", "pystytko", "oletko", "ootko", "toimiiko",
    "onnistuuko", "meneekö", "tuleeko", "ehditkö",
    "co", "jak", "kde", "kdy", "proč", "proc", "kdo", "kolik", "který", "ktery", "která",
    "jaký", "jaky", "jaké", "jakou",
    "čo", "ako", "kedy", "prečo", "preco", "kto", "koľko", "kolko", "ktorý", "ktory", "aký",
    "aké", "akú", "dokedy",
    "ce", "cum", "unde", "când", "cand", "de ce", "cine", "cât", "câte", "cate", "câți",
    "mit", "mennyi", "mennyibe", "hogyan", "hol", "mikor", "miért", "miert", "melyik",
    "milyen",
    "što", "šta", "kako", "gdje", "kada", "zašto", "zasto", "tko", "koliko",
    "τι", "πώς", "πως", "πού", "πότε", "ποτε", "γιατί", "γιατι", "ποιος", "ποια", "ποιο",
    "πόσο", "ποσο", "πόσα", "ποσα", "πόση",
)
#: Leads that make the next request separate whatever it says ("by the way", "another thing",
#: "besides", "also" in its sentence-opening sense).
TOPIC_CHANGE = (
    "förresten", "forresten", "en sak till", "en annan sak", "dessutom",
    "i øvrigt", "en ting mere", "en anden ting", "desuden", "derudover",
    "en ting til", "en annen ting", "i tillegg", "dessuten", "og forresten",
    "muuten", "toinen juttu", "toinen asia", "lisäksi", "lisaksi", "yksi juttu vielä",
    "ja vielä", "mimochodem", "další věc", "dalsi vec", "navíc", "navic", "a ještě", "a jeste",
    "mimochodom", "ďalšia vec", "dalsia vec", "navyše", "navyse", "a ešte", "a este",
    "ešte jedna vec", "este jedna vec", "a ešte jedna vec",
    "apropo", "și apropo", "încă ceva", "inca ceva", "altceva", "în plus", "in plus",
    "pe lângă asta", "de asemenea",
    "egyébként", "egyebkent", "még valami", "meg valami", "még egy dolog", "emellett",
    "továbbá", "tovabba", "ezenkívül", "ezenkivul",
    "usput", "osim toga", "još nešto", "jos nesto", "još jedno", "druga stvar", "također",
    "takoder", "i još", "i jos",
    "παρεμπιπτόντως", "κάτι άλλο", "και κάτι άλλο", "κατι αλλο", "επίσης", "επισης",
    "επιπλέον", "επιπλεον",
)
#: Leads of a further request that are not a topic change ("and", "then", "also").
LEADS = TOPIC_CHANGE + (
    "och", "också", "sen", "sedan", "och sen", "och sedan", "slutligen", "till sist", "hej",
    "hejsan", "og", "også", "bagefter", "til sidst", "etterpå", "til slutt", "hei",
    "myös", "sitten", "ja sitten", "vielä", "lopuksi", "moi", "moikka", "terve", "hei hei",
    "ještě", "taky", "také", "potom", "pak", "zároveň", "zaroven", "nakonec", "ahoj", "čau",
    "cau", "ešte", "tiež", "tiez", "apoi", "și apoi", "pe urmă", "în final", "bună", "buna",
    "salut", "és", "aztán", "utána", "végül", "szia", "sziasztok", "onda", "zatim", "i onda",
    "na kraju", "bok", "pozdrav", "zdravo", "και", "μετά", "μετα", "τέλος", "γεια",
    "γεια σου", "γειά σας", "γεια σας",
)
#: Nouns and numbers of an announcement ("tre ting:", "kaksi asiaa:", "două lucruri:").
ASK_NOUNS = (
    "saker", "frågor", "fragor", "ting", "spørgsmål", "spørsmål", "asiaa", "asiat",
    "kysymystä", "kysymyksiä", "věci", "veci", "otázky", "otazky", "lucruri", "întrebări",
    "intrebari", "dolog", "dolgot", "kérdés", "kérdésem", "stvari", "pitanja", "πράγματα",
    "πραγματα", "ερωτήσεις", "ερωτησεις",
)
COUNT_WORDS = (
    "två", "tva", "tre", "fyra", "fire", "kaksi", "kolme", "dvě", "dve", "dva", "tři", "tri",
    "două", "doua", "trei", "két", "ket", "három", "harom", "dvije", "δύο", "δυο", "τρία", "τρια",
)
#: "and" inside a sentence.
JOINS = ("och", "og", "ja", "a", "și", "si", "és", "es", "i", "και", "kai")
# fmt: on
