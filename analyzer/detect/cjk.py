"""Chinese and Japanese pieces of the multi-intent rules: content words without spaces, follow-up
openers and constraints on the request before."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
#: Runs of Han characters and katakana, which carry the content (kana particles and the
#: function characters below cut them).
_CJK_RUN = re.compile(r"[\u30a0-\u30ff\u3400-\u9fff]+")
_CJK_ASK = re.compile(
    r"请|帮我|给我|告诉我|推荐|翻译|解释|介绍|一下|什么|怎么|为什么|多少|哪里|哪个|可以|能不能"
    r"|[的了是吗呢吧么我你他她它这那有在和与个一不也就都很要会能把被给对从到还再]"
    r"|教え|下さい|何|方法"
)
#: A follow-up on the same thing ("那为什么 ...", "では ...", "それは ...").
_FOLLOW_UP = re.compile(
    r"^(?:那(?!个)|那么|那如果|它|这个|では|じゃあ|それでは|それは|それって|その)"
)
#: Constraints on the request before: "make it ...", "within N characters", "the tone ...".
_CONSTRAINT = re.compile(
    r"にしてください|にして下さい|にしてほしい|でお願いします|以内|程度で|くらいで|調で|口調"
    r"|语气|不超过|字以内|简短一点|正式一点|要简短|要正式|风格"
)


def has_cjk(text: str) -> bool:
    """Whether the text has Han characters or kana."""
    return bool(_CJK.search(text))


def cjk_bigrams(text: str) -> set[str]:
    """Content words of Chinese or Japanese text: the pairs of adjacent Han or katakana
    characters (a lone one as itself), across no function character or request marker."""
    words: set[str] = set()
    for run in _CJK_RUN.findall(_CJK_ASK.sub(" ", text)):
        if len(run) == 1:
            words.add(run)
        words.update(run[i : i + 2] for i in range(len(run) - 1))
    return words


def cjk_follow_up(text: str) -> bool:
    """A unit that opens as a follow-up on the same thing ("那它能放几天？")."""
    return bool(_FOLLOW_UP.match(text))


def cjk_constraint(text: str) -> bool:
    """A constraint on the request before ("短い詩にしてください", "不超过一百字")."""
    return bool(_CONSTRAINT.search(text))
