"""The weak words of the romanized Arabic and Bengali lists (``roman_lexicon.py``), computed
from wordfreq by ``romanized.weak_words_from_wordfreq`` and kept here: that computation loads 27
of wordfreq's lists (about 6 s and 500 MB a process) and its answer only changes with the lists
or wordfreq. ``tests/test_detect_round12.py`` recomputes it and fails when it is out of date;
regenerate this block with ``sorted(weak_words_from_wordfreq())``."""

from __future__ import annotations

from analyzer.detect.lexicon import word_set

WEAK: frozenset[str] = word_set(
    """
    abi aby accha ache achha achhi achi acho age ahl ahli aj akal akla akta aktu alf
    alhamdulillah ama amar ami ana apni apu ar ase ashe aslan aste baba bait bari bas bass bedak
    beit bet bhai boi bolo bolte boner bs chai chan chao char chuti daba dada dao dar dekhe
    dekho dekhte desh dial didi dile din dine diner dis dise dite diye dui eh ei ekta ela elo
    ena enti er eta fein fel fen fi ga gai gal gari gat gaya gelo gula guli gulo gy hadi haga
    hail haja halla hatta haydi haza hek hiya hoi hoito homma hote hoy ila imta ini inti isa
    ismi iza jai jani janina jao jdi jodi jonne kader kaj kake kal kam kar kdh ke kello khabar
    khai khao ki kn kol kolo kon konta konti kore kori korte korun kota kul kull labas lage
    lakin lal lama lazim leila lel lia likho liya ll ma maa mach mama masa men mesh mn mo mob
    moja mon mondo moto mou na naa nah nai nao nei ni niche nisi nite niye noi oder oi oke olli or
    ora ore ota parchi pari parish parle paro parte pora pore pori porte raat rakho ramadan ras
    rate sabah sahih salam se seta she shi sho shu sitta sob suno tab tabi tahle taka take
    talata tamam tar tara tin tini tinta tomar tor tore tui uni valo voy wach wain walo wein wen
    yaani zain zei
    """
)
