"""What the kiosk says aloud in elder mode (适老化: voice prompts beside the large text).

Pure words, no Qt and no audio. Each prompt says what to do on the screen just shown, in the
words printed on it, so a citizen who reads slowly or not at all hears the same step. A ticket
is spoken only once the printer has answered: "take your ticket" before the paper is out
would be a promise the machine may not keep.
"""

from __future__ import annotations

from kiosk.models import Ticket
from ui.kiosk.verdict import Outcome
from ui.voice.phrases import number_hanzi as spoken_number

SCREEN_PROMPTS: dict[str, str] = {
    "home": "您好，请点选要办理的业务。",
    "matters": "请点选您要办理的事项。",
    "checklist": "请看清要带的材料。带了的，请点带了；没带的，请点没带。看完请点下一步。",
    "identity": "请把身份证放在读卡区。没带身份证，可以用手机号取号。",
    "checkin": "请把预约二维码对准扫码口，或者输入预约码。",
    "progress": "请扫描受理回执上的二维码，或者输入办件编号。",
}
# said once the last material is answered, and again only if the answer changes
VERDICT_SAID: dict[Outcome, str] = {
    Outcome.ACCEPT: "材料齐全，可以受理。请点下一步取号。",
    Outcome.RONGQUE: "可以容缺受理：签署承诺书后先受理，缺的材料在期限内补交。请点下一步取号。",
    Outcome.KEY_MISSING: "缺少主要材料，今天无法受理。请点打印材料清单，带齐后再来，只需再跑这一次。",
    Outcome.MISSING: "缺少必需材料，今天无法受理。请点打印材料清单，带齐后再来，只需再跑这一次。",
}
CARD_READ = "已读取身份证。请点取号。"
BOOKING_FOUND = "找到了您的预约。请核对预约信息，没有问题请点确认签到。"
STILL_THERE = "您还在使用吗？要继续，请点继续使用。"


def ticket_printed(ticket: Ticket) -> str:
    ahead = f"前面还有 {ticket.ahead} 人。" if ticket.ahead else "前面没有人等候。"
    return (f"您的号码是 {spoken_number(ticket.number)} 号。请从出票口取走号票。{ahead}"
            "请在等候区就座，留意叫号。")


def ticket_not_printed(ticket: Ticket) -> str:
    return (f"号票没有打印出来。您的号码是 {spoken_number(ticket.number)} 号，已经排上队了。"
            "请记住号码，或者点呼叫帮办。")
