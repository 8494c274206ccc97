"""Hand-written word lists of romanized Arabic (Arabizi) and romanized Bengali.

Written for this project from general knowledge of the languages (not extracted from any data
set), in the spellings chat uses: Arabizi writes the sounds Latin letters lack with digits (3 for
ain, 7 for ha, 2 for hamza, 5 for kha, 6 and 9 for the emphatic t and s, 8 for ghain or qaf) and
comes in Egyptian, Levantine, Gulf and Maghrebi forms; Bengali has no one romanization ("bhalo"
and "valo", "kichu" and "kisu"). Each list holds pronouns, negations, question words,
auxiliaries, everyday verbs in their common forms, adverbs and frequent nouns. Words that other
languages also use often are not removed by hand: ``romanized.py`` makes every word that is
frequent in a Latin-script language of wordfreq, or in the romanized Hindi and Tagalog lists,
a weak word that counts only beside strong ones.
"""

from __future__ import annotations

from analyzer.detect.lexicon import word_set

#: Arabizi: pronouns, negations, question words, particles, verbs, adverbs, numbers, nouns.
ARABIZI: frozenset[str] = word_set(
    """
    ana ena enta enti inta inti nta nti howa huwa howwa hiya heya hya e7na ehna i7na i7na
    ne7na na7na ento entu intu homma humma hooma 7na
    mesh mish msh mush mosh mafi mafee mafish mafeesh mafesh mafeeh manish mashi la2 la2a
    mahosh mahish mo mob mou
    eh eih ezay ezzay izzay ezai izay keef kif kaif shu sho shou shoo eish esh wesh wach
    shnu shno chno chnou leh leih leesh lesh laish lish fein fen feen wein wen wain emta
    emtaa imta imta2 adeh addeh 2adesh adesh addesh adde2 kadesh kam kaman kamaan kman
    ya3ni yaani ya3ne y3ni khalas 5alas 5las khalass yalla yallah yala wallah wallahi
    wallahy walla inshallah insha2allah inshalla nshalla nshallah isa mashallah masha2allah
    alhamdulillah el7amdulillah 7amdella 7amdellah hamdella habibi habibti 7abibi 7abibti
    7bibi habibi7 ya3 yarab yarabb rabbena rabena 3ala 3la 3alashan 3ashan 3shan
    ashan 3lshan 3ashen 7atta hatta lamma lama izza iza eza iza izan lakin lakn walakin bass
    bs bas bardo bardu bardou kaman kteer ktir kter ketir ktiir awi awy 2awi 2awy gedan
    giddan geddan shwaya shwayya shway shwai chwiya chwia bzaf bezaf bzzaf mzyan mezyan zwin
    kwayes kwayyes kwais kways kwayesa kwayyesa mni7 mnee7 mnih mnee7a tamam tmam tamaam
    7elw helw 7ilo 7elwa helwa 7lw 7lwa 3adi aadi 3aady mushkila moshkela mushkileh
    moshkla mushkla 7aga haga 7aja haja 7agat 7ajat shi shee 7ad 7ada wa7ed wahed wa7da
    wahda itnen etnen tnein tnen tlata talata tlateh arba3a arb3a 5amsa khamsa sitta setta
    bokra bukra boukra bukrah ghodwa ghadwa naharda ennaharda elnaharda elyom elyoum alyom
    lyoum lyom elyawm embare7 embareh imbare7 mbare7 el3ashiya delwa2ti dilwa2ti delwa2ty
    delwaty dlwa2ty dlw2ty halla2 hala2 halla hl2 daba dorok alhin el7in hal2 ba3den ba3dain
    ba3dein ba3d ba3deen ba3dn abl 2abl gabl 2ablha lazem lazim laazim lazm lazmni lazemni
    mafroud mafrood momken mumkin mmkn mumken momkin yemken ymkn 3and 3ndi 3andi 3andak
    3andek 3indi 3ndk 3ndy 3andna 3ando 3andha ma3a m3a ma3ak m3ak ma3aki ma3aya m3aya
    ma3ana ma3ahom m3ana mn men2 mennak menno menha ila ela lel lal ll fi fih fiha feeh
    feha hada hadi hatha hadha haza hadol hadok hadak hayda haydi hayde hek heik hake haik
    keda kda kdah kida kdh kidda zay zy zayy zai zei 3aref 3arfa 3arfeen a3raf ba3raf
    bta3raf t3raf te3raf ya3raf 3rft 3araft 3rf 3rif a3rif 3awez 3ayez 3ayz 3awza 3ayza
    3ayzin 3ayzeen bade badi baddi beddi bidi biddi bddi bdi bedak biddak baddak bghit
    bghina bghiti kanbghi abgha ab8a ab6a ab9a aby abi yabi tabi ya7tag me7tag m7tag mi7tag
    mehtag ne7tag mit7ag a3mel a3ml 3amel 3mlt 3amalt 3amalet ba3mel ba3mal b3mel bsawi
    sawi sawwi sawee nsawi tsawi e3mel e3mly e3mli a3tini 3tini e3tini adini iddini eddini
    eddeeni 2ol 2olli olli 2ool 2oulli 2ulli 2ali 2alli 2al 2alet 2ult 2olt 2elt 2oli
    2olly goli gooli goul gal galli 2olt sheft shoft shuft shouf shof shoof shoufi chouf
    choufi shofi shofy shoufo shofo ro7 roo7 rou7 ra7 rai7 ray7 re7t r7t rayeh rayha
    rayi7 mashy mashya ga geet gat gai gaya gayeen gy ta3al ta3ala ta3aly ta3i t3al t3ali
    teji tiji jit jina akal akl akla nakol nakul kol kul kull kolo kollo kello kolha kolhom
    sa7 sa77 sa7i7 sahih ghalat 8alat ghalt 8lt 8alta tab taib tayeb 6ayeb 6ayyeb tayyib
    tyb 6yb esmak esmik esmi ismi ismak ismik shokran shukran shkran shukran shokrn 3afwan
    afwan 3afwen ma3lesh ma3lish maalesh ma3leesh ma3lsh ma3lesh salam salamu 3alaikum
    3alaykum alaikum sabah saba7 sba7 masa el5er elkheir elkher el5eir 5eer 5er 5air khair
    ahlan marhaba mar7aba marhaban ezayak ezayek izayak izzayak keefak kifak kifik keefik
    kifkon shlonak shlonek chlonak shlon labas lbas bikhir bi5er mabrouk mabrook alf
    shoghl sho8l shogl fulus flous flus floos masari ras beit bet bait dar
    madrasa gam3a jam3a jami3a gam3aa imti7an emte7an emti7an emte7anat dars dorous
    wa2t wa2et wa2tha waqt sa3a sa3at sa3tein yom youm yawm lela leila leile naharak sa3id
    sa3ida sa3eed 3eid 3id 3eed ramadan fotor 2akl 2akla el2akl ahl ahli ahly ma ama
    mama baba akhoya 5ali 3ammi 3amo 5alto sa7bi sa7bti so7abi a9dqa2 sadi2i
    fahem fahma fahmeen mafhemtsh mafhemt fhemt fahmt afham yefham bafham btefham
    ma3refsh ma3rafsh mabarafsh mabaarafsh m3rfsh ma3rfsh mabaarefsh mabaraf
    kayban walo kifach kifash nteyyeb dyal lia liya zain zein yishtaghil yeshtaghel fel ghurfa
    bakteb byensa awel tawil men bekteb baktob
    7asal 7asl 7aseb 5alli 5aly 5alik 5allik 5alini 5allini sib sibni seebni sibak sibo
    ista5dem esta5dem ista3mel esta3mel tesha3'el shaghal shaghalla sha3'al 
    benshoof hanshoof hanshof nshouf nshoof shoufli shufli shofli 2ollak 2olli2 olik
    be2olak bet2oul bt2ol bet2ool bta3mel bt3mel bta3ml bta3mil bta3ref bet3raf
    ha3mel ha3ml hab3at hab3atlak hab3tlak ab3at eb3at eb3atli ab3atlak b3tlak
    ba3atli ba3atlak ba3at ba3tlk ebaat
    bta3i bta3ak bta3ek bta3ti bta3et bta3na bta3hom taba3i taba3ak dyali dyalek dyalo
    diali dialek dial tb3i mte3i mta3i mta3ek
    wayed wayid 7ail hail wajid wa7d wa7id za3lan za3lana zahqan ta3ban ta3bana ta3baan
    mabsout mabsoot mabsoota mabsut mit2aker met2a5ar mt2a5er t2a5art et2a5art
    yenfa3 yinfa3 ynf3 mayenfa3sh mayinfa3sh
    a7san a7sn a7la aktar aktr a2al a2all asla2 asln aslan abadan abdan dayman daymn 3ala6ool
    3latol 3al6ool fawran 7alan halan
    """
)

#: Arabizi words that are greetings, oaths and exclamations: they make a text Arabizi but
#: carry no content of their own (an English text with "inshallah" is not mixed).
ARABIZI_INTERJECTIONS: frozenset[str] = word_set(
    """
    yalla yallah yala wallah wallahi wallahy walla inshallah insha2allah inshalla nshalla
    nshallah isa mashallah masha2allah alhamdulillah el7amdulillah 7amdella 7amdellah
    hamdella habibi habibti 7abibi 7abibti 7bibi habibi7 yarab yarabb rabbena rabena
    shokran shukran shkran shokrn 3afwan afwan 3afwen salam salamu 3alaikum 3alaykum
    alaikum ahlan marhaba mar7aba marhaban mabrouk mabrook ramadan 3eid 3id 3eed khalas
    5alas 5las khalass ya3ni yaani ya3ne y3ni sabah saba7 sba7 masa el5er elkheir elkher
    el5eir ma3lesh ma3lish maalesh ma3leesh ma3lsh
    """
)

#: Romanized Bengali: pronouns, question words, auxiliaries, verbs in their common forms
#: (future, present, past, imperative, polite), postpositions, adverbs and frequent nouns.
BANGLISH: frozenset[str] = word_set(
    """
    ami amar amake amay amra amader amago tumi tomar tomake tomay tomra tomader apni apnar
    apnake apnara apnader tui tor tore toke tora toder se shey she tar take tara tader ora
    oder ora or ore oke ini uni unar onar tini tahar
    ki keno kno kn kemon kmn kmon kothay kothai kotha kokhon kkhn kakhon kivabe kibhabe
    kibabe kemne kmne koto kotota koyta kota kar kake kader konta konti kon ke
    eta ota sheta ekta akta ei oi ekhane okhane shekhane ekhon ekhn ekhuni tokhon tokhn
    ajke aajke aj aaj kalke kal porshu porshudin shokal shokale sokal sokale bikal bikele
    bikeley raat rate raate dupur dupure shondha shondhay sondhay din dine
    bhalo valo bhaalo bhalobashi valobashi bhalobasi valobasi bhalobasha valobasha kharap
    kharaap kharap lagche onek onk anek khub khoob ektu aktu ektuu shob sob shobai sobai
    kichu kisu kicchu kichhu kono keu kauke kaoke kono kichui
    hobe hbe hoy hoi hoyeche hoise hoyse hoyni hoini hocche hosse hochhe hoye hoyechilo
    hoyechhilo hoilo hoyto hoito hote holo hlo holei
    korbo korbe korchi korsi kortesi kortechi korte koro korun kore korechi korsilam
    korlam korle korish korbi korben korchen korchhen korechen korsen korchis korcho
    korso kori korben koren kortam
    jabo jabe jaabo jacchi jacchhi jaitesi jaite jao jaben jaccho jaccha jaschi jai gelo
    gesi gechi gechhe geche giye gelam gechilam jete
    ashbo asbo ashchi ashe asho ashen esho elo eshe eshechi ashte aste
    dekho dekhbo dekhechi dekhsi dekhecho dekhe dekhen dekhte dekhlam dekhchi dekhao
    dekhaw dekhabo dekhan
    bolo bolbo bolchi bolse bolche bolechi bollam bolle bolun bolen bolte bolchilam
    bolben bolchen bolcho bolecho bolsi bolish
    dao dibo dilam dile din diye dite dicchi dichi dis disi dise diyecho diyechi diyeche
    niye nibo nilam nao nite nicchi nichi nise nisi niyechi niyecho
    khabo khete khawa kheyechi kheyecho kheyecho khaoa khao khai khabar khabare
    khelbo khela khelte pori porbo porte pora porashona porechi porcho porchi porlam
    likhbo likhte lekha likhe likho likhun likhechi likhsi
    shunbo shuni shuno shunte shunlam shunechi suno shunun
    bujhi bujhchi bujhte bujhlam bujhina bujhbo bujhao bujhiye bujhte bujhini bujhsi
    jani janina jano janen janish janbo jante janlam janai janabo janaben janiye janao
    pari parbo parchi parina parbe parben parle parte parlam parcho paro paren parish
    chai chaai chaichi chacchi chaichhi chaiche chao chan chaiben chaibo
    lagbe lage lagche lagse lagchhe laglo lagchilo lagto lagbena
    dorkar darkar dorkaar
    thik thikache thikase ache achhe ase achi achhi acho achen achis achhen
    achho achis chilo chhilo chilam chhilam
    nai nei naai noy noi na ni nah naa
    shudhu sudhu abar aabar ar aar kintu kintuu tobe tahole tahle tahole jodi jdi
    karon karone jonno jnno jonne theke thke theika porjonto shathe sathe shate moto mto
    moddhe modhye vitore bhitore baire upore niche pashe kache age pore agey porer ager
    duita duto dui tin tinta char charta panch pach ekdom ekdm shotti sotti shotyi
    accha achha thak thako thakbo thaki thaka thakte thaken thakish
    bari barite basha bashay bashai kaj kaaj kajer kaje taka poisha boi chele meye baba
    ma maa bhai apu dada didi bondhu bondhura prithibi desh shomoy somoy shomossa somossa
    bhul vul proshno prosno uttor khobor ghum ghumabo ghumacchi ghumai cholo choli chol
    cholbe chole cholche cholse cholchilo obostha ksto kosto koshto dukkho
    anondo moja mojar mojja shundor sundor sondor bhoy voy raag khushi mon mone mondo
    gese dhonnobad dhonnyobad dhonnobaad shubho shuvo noboborsho
    amio tumio apnio oita eita seta sheta eigula oigula egula ogula gula gulo guli
    kothao kokhono kichhui hoyto ajkal ekhono ekhuni tarpor tarpore erpor erpore tokhon
    kemne keman kamon kamne
    nijer asbe ashbe gari gaari chhoto choto porikkha porikha bujhche bhabe vabe ferot ferat
    chhobi chobi tola shondhyar shondhya shagor sagor er rakhte rakhbo rakho jaygay jayga
    nirapod agami shoptahe shoptaho chhuti chuti biye boner diner ilish mach ranna korche
    pathao pathabo pathiye pathan pathiyechi pathaisi bujhaw bujhan koren
    """
)
