"""Hand-written word lists for the mixed-language detector.

Written for this project from general knowledge of the languages (not extracted from any data
set). Each list holds frequent function words, pronouns, auxiliaries and everyday verbs; words that
are also frequent in another language the detector meets (English "to"/"me"/"do", Spanish
"no"/"me", French and German look-alikes) are left out, because one ambiguous token must not make
a query look mixed.
"""

from __future__ import annotations


def word_set(block: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text (the word lists' form)."""
    return frozenset(block.split())


#: Romanized Hindi (Hinglish): postpositions, pronouns, auxiliaries, question words, common verbs
#: in imperative and inflected forms (including chat spellings such as "kr", "nhi", "rha"),
#: frequent adverbs and nouns. Ambiguous words are removed through ``HINDI_AMBIGUOUS`` below.
HINDI_ROMAN: frozenset[str] = word_set(
    """
    hai hain hoon hun tha thi thay ho hoga hogi honge hota hoti hote hua hui ka ki ke ko se
    mein mai mei pe tak liye lie wala wali wale waala waali waale vala vali aur lekin magar
    par phir fir bhi toh bhee nahi nahin nhi nai kabhi hamesha kya kyaa kyu kyun kyon kaise
    kaisa kaisi kahan kaha kab kitna kitni kitne kaun kon konsa kisko kise kisne jaise jahan
    jo jis jisko jinhe mujhe mujhko mera meri mere hum hamara hamari hamare humko hame
    hamein tum tumhara tumhari tumhare tumko tumhe aap aapka aapki aapke aapko apna apni
    apne yeh ye yah woh wo vo voh iska iski iske uska uski uske inka inki unka unki unke
    isko usko unko inko yahan wahan karo karna karne karni karen karein kare karta karti
    karte kiya kiye kiyi kijiye kijie kar diya diye dijiye dena dene deta deti dete dedo
    karke batao bataiye batana bata bataye batayiye dikhao dikhaye dikhaiye dikha sunao
    sunaiye suna bajao bajaiye chalao chala chalu lagao lagaiye lagana laga bhejo bhejiye
    bhejna bolo boliye bol bola bolna likho likhna padho dekho dekhna dekhiye dekh jao jana
    jaana jaaun jayenge jaega jayega jaegi aana aao aaya aayi aaye aega ayega ayegi milega
    milegi milna mila chahiye chahie chahta chahti chahte sakta sakti sakte sako raha rahi
    rahe rha rhi rhe gaya gayi gaye gya gyi lena lijiye liya rakho rakhna rakh hatao hata
    yaad dilao dilana dilaye samay baje bajke abhi kal aaj parso subah shaam sham raat
    dopahar hafte hafta mahine mahina saal ek teen paanch chhe saat aath nau sab sabhi kuch
    koi kisi bahut bohot zyada jyada kam thoda accha acha achha achchha bura naya nayi naye
    purana purani sirf bas bilkul zaroor jaldi pehle baad saath sath bina upar neeche andar
    bahar paas door agar warna matlab yaani shayad sach jhooth pyaar pyar dil yaar bhai
    behen didi ji haan mausam gaana gaane gana gane barish dhoop thanda garam hu kr krna
    krne krta krte kro ni bhut bahot skta bhaiya bhaiyya bhaijaan gyan pagal kutta kutte
    baap maa beta beti ladki ladka log logo sahi galat pata pta chal chalo waise vaise kuchh
    tera teri tere kay kee say sey ap apko apka apki apke aapse tumse humse mujhse usse isse
    unse inse kia kiu kyuki kyunki kyonki kuki isliye isiliye tabhi jabki jaisa waisa rahaa
    rehna reh hoke hokar krke krti hogaya hogya hogyi hogayi hojayega hojaye hojao hoja jaye
    jaiye jaenge jaayenge gye dekha dekhe dekhi dekhte dekhta suno sunna sunte bolte bolta
    bolti bole kehna kahe kehte kehta kehti samajh samjho samjha samjhe samajhta malum
    maloom lagta lagti lagte lage lagi milta milti milte mil milenge dedi lelo khana khaana
    khao khaya pani paani chai ghar gaon shaher desh duniya zindagi jaan jaanu logon aadmi
    aurat bacha bache bachche baccha larka larki ladke ladkiyan dost yaara bhaiyo behno
    mitron sahab saheb janab jee shri shree acchi achi achhi buri bure jhoot pakka bohat
    bhot bht jada thodi thode itna itni itne utna utni sara saara sari saari saare sare
    poora pura puri poori abi ab tab dobara firse phirse aj peeche aage niche kiska kiski
    kiske sabko sabka sabki muje mujko humara humari tujhe tujhko inke hay hy hon hanji naa
    pr bi kese kesa kesi kidhar idhar udhar sarkar sarkaar neta janta chunav jeet haar
    jeetega jeetenge jeetegi rahega rahegi karega karegi karenge karunga karungi dekhenge
    bolega khush dukh sukh mohabbat ishq bhagwan mandir bakwas bakwaas faltu bekar badhai
    shubhkamnaye shubhkamnayein dhanyawad dhanyavad shukriya mubarak aapne unhone maine
    tumne humne inhone zarur zaroori jaruri hamko sabse aisa aisi aise waisi baat baatein
    sochna socha soch pareshan mast bindaas ekdum bohut chaiye chalega chalta chalti bana
    banega banaya
    kardo kardena kardijiye kariye karwao karvao badlo badlen badliye badlein badlna dohrao
    dohraye dohrayen dohraiye dohraen lagaye lagayen lagaen chaalu roko roke rokiye
    hataye hatayen bajaye bajayen sunaye sunayen bhejen bhejein dikhayen batayen jaaen
    jaayen chalen chaliye rakhen rakhiye milao milaye shuru saarey agle agla pichla
    pichle pichhla pichhle ghante ghanta lamba lambi baare garmi garm thand thandi baarish
    toofan konse kaunse kaunsa kaunsi pahuchne pahunchne pahunchna lagega lagegi hogaya
    """
)

#: Words of the romanized Hindi list that are also common English words or names (checked
#: against English word frequencies by hand); they never count as Hindi.
HINDI_AMBIGUOUS: frozenset[str] = word_set(
    """
    maine mast mubarak
    or to hi the me say log ha na mat ab bi hay hon jab mil sari door lie teen mere karen
    lena bus bat pal sale main bas chal pata dil das din char band hum ap pr kay tab sahi
    jaan aaj beta logo niche sara fir jana mila kia sham jo kee abi
    ni
    """
)
HINDI_ROMAN = HINDI_ROMAN - HINDI_AMBIGUOUS

#: English words of everyday romanized Hindi that carry no English content: forms of address
#: and courtesy ("sir", "mummy", "please", "sorry").
COURTESY = frozenset(
    {"sir", "madam", "maam", "mummy", "mumma", "papa", "ok", "okay", "please", "pls", "plz",
     "thanks", "thank", "sorry", "hello", "hi", "bye", "yes", "no", "yeah"}
)  # fmt: skip
#: Romanized Hindi words spelled like English ones ("main", "do", "jab"): neither language
#: when the text has romanized Hindi of its own.
HINDI_HOMOGRAPHS = frozenset(HINDI_AMBIGUOUS | {"do", "us", "so", "main", "jab", "tab", "par"})

#: Spanish function words and everyday words. Omitted as ambiguous with English or noise:
#: a, no, me, he, has, son, come, red, pan, van, fin, mi (a music note and "my").
SPANISH: frozenset[str] = word_set(
    """
    el los las del al una unos unas que y pero porque cuando donde como cual cuales quien
    quienes cuanto cuanta cuantos cuantas esto eso esta este estos estas ese esa esos esas
    aquel aquella aqui alli ahi ya tambien tampoco muy mucho mucha muchos muchas poco poca
    mas menos nada nadie algo alguien siempre nunca todavia aun hoy ayer manana ahora luego
    despues antes bien mal asi sola yo tu usted ustedes nosotros nosotras ellos ellas ella
    lo le les nos te se su sus mis tus nuestro nuestra es eres somos estoy estamos estan
    eras eramos fue fui fueron ser estar tengo tienes tiene tenemos tienen tener hay habia
    hace hacer hago haces hacemos hacen voy vas vamos ir puedo puedes puede podemos pueden
    quiero quieres quiere queremos quieren sabe saber creo dijo para por con sobre entre
    hasta desde sin contra segun hacia durante gracias hola adios si claro bueno buena
    buenos buenas verdad cosa cosas dia dias vez veces gente amigo amiga amigos casa mundo
    vida tiempo ano anos hombre mujer nino nina pues entonces oye mira vale chingon jaja
    jajaja jajajaja neta pinche qué también está están más sí día días año años así después
    aquí allí mañana todavía según además cómo dónde cuándo quién favor
    """
)

#: Frequent English words (function words, auxiliaries, everyday verbs and nouns of assistant
#: and chat traffic). Omitted as ambiguous with Spanish, French, German or Hindi look-alikes:
#: a, an, in, is, was, die, also, will, man, hat, bin, war, hand, me, do, he, so, no, son, come,
#: has, con, fin, pan, red, es, de, la, en, on, mi, hi, ho.
ENGLISH: frozenset[str] = word_set(
    """
    the of and to for with from by at about into over after before under between through
    this that these those it its they them their there here what which who whom whose when
    where why how all any each every some many much more most other such only own same than
    too very can could would should shall may might must need does did done doing been being
    be are were am have had having get got getting go going goes went make made take took
    give gave know knew think thought see saw want wanted like just now then you your yours
    we our us my mine i him his her hers she not but or if because while until again both
    few nor off out up down set add play show find tell call send remind remove delete
    cancel turn check open close stop start book order buy help please thanks thank let new
    next last first today tomorrow tonight morning evening night week weekend month year
    time day days hours minutes alarm timer reminder message music song songs playlist
    weather traffic event events way route road home work text email video news movie people
    friend friends love good great best bad happy sad really still even well back never
    always ever something nothing everything anything someone everyone one two three four
    five what's it's don't can't won't i'm you're that's there's let's didn't doesn't isn't
    gonna wanna yeah yes lol omg guys girl boy life world thing things
    """
)

#: Scripts whose presence alone names the language.
SCRIPT_LANGUAGE: dict[str, str] = {
    "devanagari": "hi",
    "bengali": "bn",
    "gurmukhi": "pa",
    "gujarati": "gu",
    "oriya": "or",
    "tamil": "ta",
    "telugu": "te",
    "kannada": "kn",
    "malayalam": "ml",
    "sinhala": "si",
    "thai": "th",
    "lao": "lo",
    "myanmar": "my",
    "khmer": "km",
    "georgian": "ka",
    "armenian": "hy",
    "ethiopic": "am",
    "hangul": "ko",
    "kana": "ja",
    "greek": "el",
    "hebrew": "he",
}

#: Tagalog words no other list holds (round 9): pronouns, markers, particles and everyday
#: words of Taglish chat ("pwede mo ba", "yung order ko", "kasi traffic").
TAGALOG_STRONG: frozenset[str] = word_set(
    """
    ang ng mga ako akong ikaw siya tayo kayo sila yung yun naman lang kasi ngayon pwede
    puwede kailangan paano bakit saan kailan talaga salamat konti kaunti muna pala tapos dahil
    nung noon sana siguro medyo sobrang ganun ganito ganyan tulungan tulong pakisabi natin
    namin ninyo nila niya iyan iyon dito diyan doon wala meron mayroon opo akin amin atin
    ginawa gawin sabihin dumating dumarating nandito nasaan magkano ilan sino alin
    """
)
#: Short Tagalog words other languages share ("na", "sa", "ko", "mo"): they count only with
#: strong ones.
TAGALOG: frozenset[str] = TAGALOG_STRONG | word_set(
    """
    kami ba po mo ko sa na pa din rin nga daw raw ni si kay ka ay nang mag nag naka ma ito hindi
    pag kapag baka yan dun
    """
)
