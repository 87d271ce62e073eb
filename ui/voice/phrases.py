"""What the hall says for a call, as text, as tone-numbered pinyin and as a list of clips.

Pure functions with no Qt and no audio, so the words can be tested on any machine. The clip
list mirrors how real halls announce: short recorded (here: synthesised) pieces
请 / A / 0 / 2 / 3 / 号 / 到 / 3 / 号窗口 / 办理 joined in order, so a hall can swap any piece
for a human recording without touching the code.
"""

from __future__ import annotations

from kiosk.models import Call

RECALL_PREFIX = "重复呼叫："

DIGIT_PINYIN: dict[str, str] = {
    "0": "ling2", "1": "yi1", "2": "er4", "3": "san1", "4": "si4",
    "5": "wu3", "6": "liu4", "7": "qi1", "8": "ba1", "9": "jiu3",
}
TEN_PINYIN = "shi2"

# Clip name -> what espeak-ng's cmn-latn-pinyin voice is given to say it. Letters are given as
# themselves: that voice reads "A" as its letter name (ei), which is how halls say it.
WORD_CLIPS: dict[str, str] = {
    "recall": "chong2 fu4 hu1 jiao4",
    "qing": "qing3",
    "hao": "hao4",
    "dao": "dao4",
    "hao_chuangkou": "hao4 chuang1 kou3",
    "banli": "ban4 li3",
    "shi": TEN_PINYIN,
    **{f"d{d}": p for d, p in DIGIT_PINYIN.items()},
}
PAUSE = "_"  # a clip list item meaning "a short breath here"


def announcement_text(call: Call) -> str:
    """The sentence on the screen and in the log: 请 A023 号 到 3 号窗口 办理 (recall marked)."""
    return (RECALL_PREFIX if call.recall else "") + call.text


DIGIT_HANZI = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


def window_hanzi(window: int) -> str:
    """3 -> 三, 10 -> 十, 12 -> 十二, 20 -> 二十; past 99 digit by digit (as window_syllables)."""
    if 0 <= window <= 10:
        return "十" if window == 10 else DIGIT_HANZI[str(window)]
    if window < 100:
        tens, ones = divmod(window, 10)
        return ("" if tens == 1 else DIGIT_HANZI[str(tens)]) + "十" + (DIGIT_HANZI[str(ones)] if ones else "")
    return "".join(DIGIT_HANZI[d] for d in str(window))


def number_hanzi(number: str) -> str:
    """A ticket number for a voice, digit by digit as halls say it: A023 as "A 零二三", never 二十三."""
    return " ".join(DIGIT_HANZI.get(ch, ch) for ch in number.upper())


def announcement_speech(call: Call) -> str:
    """The sentence for a Chinese text-to-speech voice, written so it cannot be misread:
    the ticket number digit by digit (A023 as A 零二三, not 二十三), the window by its cardinal.
    """
    head = "重复呼叫，" if call.recall else ""
    return f"{head}请 {number_hanzi(call.ticket_number)} 号，到 {window_hanzi(call.window)} 号窗口办理"


def _number_syllables(number: str) -> list[str]:
    """A ticket number said digit by digit (A023: A ling2 er4 san1), letters by name."""
    out = []
    for ch in number.upper():
        if ch.isdigit():
            out.append(DIGIT_PINYIN[ch])
        elif ch.isascii() and ch.isalpha():
            out.append(ch)
    return out


def window_syllables(window: int) -> list[str]:
    """A window number as a hall says it: 3 san1, 10 shi2, 12 shi2 er4, 20 er4 shi2.

    Counters are named by their cardinal (十二号窗口), not digit by digit; past 99 nobody has a
    rule, so digits one by one.
    """
    if 0 <= window <= 10:
        return [TEN_PINYIN] if window == 10 else [DIGIT_PINYIN[str(window)]]
    if window < 100:
        tens, ones = divmod(window, 10)
        out = [] if tens == 1 else [DIGIT_PINYIN[str(tens)]]
        out.append(TEN_PINYIN)
        if ones:
            out.append(DIGIT_PINYIN[str(ones)])
        return out
    return [DIGIT_PINYIN[d] for d in str(window)]


def announcement_pinyin(call: Call) -> list[str]:
    """Tone-numbered syllables for espeak-ng -v cmn-latn-pinyin (plain `cmn` garbles them).

    A023 at window 3: qing3 A ling2 er4 san1 hao4 dao4 san1 hao4 chuang1 kou3 ban4 li3.
    """
    head = WORD_CLIPS["recall"].split() if call.recall else []
    return [*head, "qing3", *_number_syllables(call.ticket_number), "hao4", "dao4",
            *window_syllables(call.window), "hao4", "chuang1", "kou3", "ban4", "li3"]


_SYLLABLE_CLIP = {p: f"d{d}" for d, p in DIGIT_PINYIN.items()} | {TEN_PINYIN: "shi"}


def announcement_clips(call: Call) -> list[str]:
    """Clip names in playing order, with PAUSE where a speaker would breathe.

    Names are file stems: `qing`, `A`, `d0`, `hao`, `dao`, `hao_chuangkou`, `banli`, `recall`.
    """
    clips: list[str] = ["recall", PAUSE] if call.recall else []
    clips.append("qing")
    for syllable in _number_syllables(call.ticket_number):
        clips.append(_SYLLABLE_CLIP.get(syllable, syllable))
    clips += ["hao", PAUSE, "dao"]
    clips += [_SYLLABLE_CLIP[s] for s in window_syllables(call.window)]
    clips += ["hao_chuangkou", "banli"]
    return clips


def clip_pinyin(name: str) -> str:
    """What to ask espeak-ng for a clip: a word's pinyin, or a letter as itself."""
    if name in WORD_CLIPS:
        return WORD_CLIPS[name]
    if len(name) == 1 and name.isascii() and name.isalpha():
        return name.upper()
    raise KeyError(f"no clip named {name!r}")


_BREATHS = {"，": ",", "、": ",", "；": ",", "：": ",", "。": ".", "？": "?", "！": "."}


def sentence_pinyin(text: str) -> str:
    """A whole Chinese sentence as tone-numbered pinyin for espeak-ng's cmn-latn-pinyin voice,
    which reads hanzi poorly: 您好，请点选 -> "nin2 hao3 , qing3 dian3 xuan3". Digits pass as
    themselves and the voice reads them as a Chinese number (12: shi2 er4), so a ticket number
    comes in digit by digit (`number_hanzi`); Latin letters pass as themselves (the voice says A by its name, as the calls do); Chinese
    punctuation becomes the pause espeak-ng makes for its ASCII twin."""
    from pypinyin import Style, lazy_pinyin  # the kiosk's matter search loads it already

    words = []
    for part in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True):
        for ch, breath in _BREATHS.items():
            part = part.replace(ch, f" {breath} ")
        words.extend(part.split())
    return " ".join(words)
