"""Multi-intent in languages outside the seven with word lists: Russian, Polish, Turkish,
Indonesian, Chinese and Japanese (round 6); Korean, Arabic, Vietnamese, Hindi in Devanagari and
Ukrainian (round 7). Requests are found by their request verbs and
markers, further asks by "by the way"/"also" leads, follow-ups by "а ...", "peki", "那 ..."."""

from __future__ import annotations

import pytest

from analyzer.detect.dependence import content_words
from analyzer.detect.multi_intent import count_intents
from analyzer.detect.openers import classify

SEPARATE = [
    "Сколько стоит билет до Минска? Кстати, как сбросить пароль в приложении?",
    "Посоветуй книгу про космос. Ещё напомни мне завтра позвонить маме.",
    "Объясни, как работает ипотека.\nПереведи на немецкий «до встречи».",
    "Ile kosztuje bilet do Gdańska? Przy okazji, jak zmienić hasło w aplikacji?",
    "Poleć mi serial kryminalny. Poza tym napisz życzenia dla babci.",
    "Istanbul'dan Izmir'e otobüs kaç saat sürer? Bu arada, şifremi nasıl sıfırlarım?",
    "Bana bir kitap öner. Ayrıca yarın için bir alarm kur.",
    "Berapa harga tiket ke Surabaya? Ngomong-ngomong, bagaimana cara reset kata sandi?",
    "Tolong rekomendasikan lagu santai. Selain itu, jelaskan apa itu inflasi.",
    "去杭州的高铁票多少钱？顺便问一下，怎么修改密码？",
    "推荐一本科幻小说。另外，帮我把“早上好”翻译成英语。",
    "大阪行きの新幹線はいくらですか？ところで、パスワードの変更方法を教えてください。",
    "おすすめの本を教えてください。あと、「おはよう」を英語に翻訳してください。",
    "제주도 가는 비행기표 얼마야? 그런데 비밀번호는 어떻게 바꿔?",
    "우주에 관한 책 추천해 줘. 그리고 내일 엄마한테 전화하라고 알려 줘.",
    "كم سعر تذكرة القطار إلى الدمام؟ بالمناسبة، كيف أغير كلمة المرور؟",
    "انصحني بكتاب عن الفضاء. أيضاً ترجم لي كلمة 'صديق' إلى الفرنسية.",
    "Vé tàu đi Huế bao nhiêu tiền? Nhân tiện, làm sao để đổi mật khẩu?",
    "Gợi ý cho mình một cuốn sách về vũ trụ. Ngoài ra, dịch 'bạn bè' sang tiếng Pháp.",
    "पुणे का टिकट कितने का है? वैसे, पासवर्ड कैसे बदलते हैं?",
    "अंतरिक्ष पर कोई किताब बताओ। इसके अलावा, 'दोस्त' का फ़्रेंच अनुवाद करो।",
    "Скільки коштує квиток до Харкова? До речі, як змінити пароль?",
    "Порадь книжку про космос. Крім того, переклади французькою слово «друг».",
]

ONE_REQUEST = [
    "Я хочу научиться плавать. С чего начать?",
    "Как испечь хлеб дома? А сколько времени он хранится?",
    "Chcę nauczyć się gotować. Od czego zacząć?",
    "Jak upiec chleb? A jak długo można go przechowywać?",
    "Yüzmeyi öğrenmek istiyorum. Nereden başlamalıyım?",
    "Ekmek nasıl yapılır? Peki kaç gün dayanır?",
    "Saya ingin belajar berenang. Mulai dari mana?",
    "Bagaimana cara membuat roti? Berapa lama roti itu tahan?",
    "我想学游泳。应该从哪里开始？",
    "怎么在家做面包？那它能放几天？",
    "水泳を習いたいです。何から始めればいいですか？",
    "パンはどうやって作りますか？それは何日くらい持ちますか？",
    "Напиши резюме для бариста. Коротко, не больше одной страницы.",
    "もっと明るい作品にしてください。また子供でも読めるような短い詩にしてください。",
    "수영을 배우고 싶어요. 뭐부터 시작해야 할까요?",
    "빵은 어떻게 만들어요? 그럼 며칠 동안 보관할 수 있어요?",
    "أريد أن أتعلم السباحة. من أين أبدأ؟",
    "كيف أخبز الخبز في البيت؟ وكم يوماً يبقى صالحاً؟",
    "Mình muốn học bơi. Nên bắt đầu từ đâu?",
    "मैं तैरना सीखना चाहता हूँ। कहाँ से शुरू करूँ?",
    "घर पर ब्रेड कैसे बनाते हैं? और वह कितने दिन चलती है?",
    "Хочу навчитися плавати. З чого почати?",
    "Як спекти пиріг? А скільки днів він зберігається?",
    "자기소개서 좀 써 줘. 짧게, 한 페이지 이내로.",
    "اكتب سيرة ذاتية لنادل. باختصار وبما لا يزيد عن صفحة.",
]


@pytest.mark.parametrize("text", SEPARATE)
def test_two_asks_in_other_languages_are_separate(text: str) -> None:
    assert count_intents(text) == 2


@pytest.mark.parametrize("text", ONE_REQUEST)
def test_context_follow_ups_and_constraints_in_other_languages_stay_one(text: str) -> None:
    assert count_intents(text) == 1


def test_english_words_are_no_pronouns_of_other_languages() -> None:
    # "ten" and "go" are Polish pronouns and English words: an English ask stays separate
    text = "add this song to my chill playlist and then book a restaurant for ten people"
    assert count_intents(text) == 2


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("напиши письмо начальнику", "imperative"),
        ("napisz list do szefa", "imperative"),
        ("patronuma bir e-posta yaz", "imperative"),
        ("tolong tuliskan surat untuk bos", "imperative"),
        ("请帮我写一封信", "imperative"),
        ("上司へのメールを書いてください", "imperative"),
        ("学生割引はありますか。", "question"),
        ("北京到上海有多远？", "question"),
        ("я живу в москве", "statement"),
        ("자기소개서 좀 써 줘", "imperative"),
        ("اكتب رسالة إلى مديري", "imperative"),
        ("viết thư cho sếp", "imperative"),
        ("मेरे बॉस को एक ईमेल लिखो", "imperative"),
        ("напиши лист начальнику", "imperative"),
        ("كم تبعد الرياض عن جدة؟", "question"),
    ],
)
def test_requests_in_other_languages_have_a_kind(text: str, kind: str) -> None:
    assert classify(text) == kind


def test_chinese_content_words_are_pairs_of_characters_without_function_characters() -> None:
    assert content_words("怎么在家做面包？") == {"家做", "做面", "面包"}
    assert content_words("那它能放几天？") == {"放几", "几天"}
    assert content_words("おすすめの本を教えてください。") == {"本"}
