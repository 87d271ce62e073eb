"""English for the kiosk's screens, registered with ui.i18n when the kiosk is imported.

Keys are the Chinese text the screens pass to tr(); a string missing here still shows in
Chinese, never as a key name. Matter and material names come from the catalog, in English
when it has them, with the official Chinese beside them (ui/kiosk/names.py).

Two helpers cover what a plain lookup cannot: `tr_n` for counted phrases ("1 working day",
"2 copies") and `say_error` for the Chinese messages the hall, the printer and the card reader
raise, which the kiosk shows in English when the citizen chose English.
"""

from __future__ import annotations

import re

from ui.i18n import add, tr

EN: dict[str, str] = {
    # frame
    "政务服务自助取号机": "Government Service Kiosk",
    "政务服务 · 最多跑一次": "Government services · At most one visit",
    "返回": "Back",
    "首页": "Home",
    "呼叫帮办": "Call a helper",
    "清空": "Clear",
    # home
    "您好，请选择要办理的业务": "Welcome. Please choose a service",
    "点选业务后，先看清要带的材料，再取号排队。": "Choose a service, check what to bring, then take a ticket.",
    "本机暂时没有可以取号的业务": "No services can be chosen at this kiosk yet",
    "请到服务台咨询，或点下方“呼叫帮办”，工作人员会来帮您。":
        "Please ask at the information desk, or tap “Call a helper” below and staff will come to you.",
    "{n} 项业务": "{n} services",
    "等候 {n} 人": "{n} waiting",
    "常办事项": "Most asked for",
    "预约签到": "Appointment check-in",
    "办事指南 / 材料清单": "Service guide / checklists",
    "办事指南": "Service guide",
    "材料清单": "Checklists",
    "办件进度查询": "Application progress",
    "长者模式：字更大": "Senior mode: larger text",
    "长者模式：已开启": "Senior mode: on",
    "长者模式": "Senior mode",
    "已开启": "On",
    "取号打印机暂停服务": "Ticket printer out of service",
    "取号打印机暂停服务（{reason}）": "Ticket printer out of service. {reason}",
    "现在不能打印号票：请到服务台取号或呼叫帮办。查看材料清单和查询进度不受影响。":
        "Tickets cannot be printed now: please get one at the service desk or call a helper. "
        "Checklists and progress look-up still work.",
    "暂停取号：与大厅服务器的连接中断，正在自动重连": "Tickets paused: the connection to the hall server was lost; reconnecting",
    "请点“呼叫帮办”或到服务台取号；连接恢复后可继续取号。查看材料清单不受影响。":
        "Please tap 'Call a helper' or go to the service desk; tickets resume once the connection is back.",
    "暂停取号：请呼叫帮办": "Tickets paused: please call a helper",
    "暂停取号：本机需要工作人员重新设置": "Tickets paused: this kiosk needs to be set up again by staff",
    "请到服务台取号。查看材料清单不受影响。": "Please get a ticket at the service desk. Checklists still work.",
    "请到服务台取号。": "Please get a ticket at the service desk.",
    "工作人员请注意：{reason}": "For staff: {reason}",
    "暂停取号：请到服务台取号": "Tickets paused: please get one at the service desk",
    "正在呼叫帮办人员…": "Calling a helper…",
    "请在这里稍候。": "Please wait here.",
    "已通知帮办人员": "A helper has been told",
    "暂时无法通知工作人员": "Staff could not be reached just now",
    "请到服务台或就近窗口求助，给您带来不便，敬请谅解。":
        "Please ask at the service desk or the nearest window. We are sorry for the trouble.",
    "帮办人员正在赶来": "A helper is on the way",
    "已记下您的求助": "Your call for help is noted",
    "网络连接中断，工作人员暂时收不到。": "The connection to the hall server is down: staff cannot hear this call yet.",
    "连接一恢复，本机立即通知工作人员。": "The kiosk tells them the moment it is back.",
    "着急的话，请到服务台或就近窗口求助。": "In a hurry? Please ask at the service desk or the nearest window.",
    "本机暂时无法联系大厅服务器。": "This kiosk cannot reach the hall server just now.",
    "{name} 正在赶来，请在这里稍候。": "{name} is on the way. Please wait here.",
    # matters
    "请选择事项": "choose a service",
    "{prefix}  {name}：请选择事项": "{prefix}  {name}: choose a service",
    "办事指南：查看要带的材料": "Service guide: what to bring",
    "搜索：按拼音首字母（如 gtgs）或点选常用词": "Search: type a word of the English name (e.g. business) or pinyin initials (e.g. gtgs)",
    "输入拼音首字母": "Type pinyin initials",
    "按拼音查找（A–Z 键盘）": "Search by pinyin (A–Z keys)",
    "收起键盘": "Hide the keys",
    "承诺{days}个工作日": "{days} working days",
    "可网上办": "also online",
    "没有找到相符的事项，请换个词，或呼叫帮办。": "Nothing found. Try another word, or call a helper.",
    "“{q}”找到 {n} 项": "{n} found for \u201c{q}\u201d",
    "共 {n} 项，点选即可查看材料": "{n} services; touch one to see what to bring",
    # checklist
    "承诺{days}个工作日办结": "done within {days} working days",
    "不收费": "free of charge",
    "① 您的情况（请逐项选择）": "① Your situation (answer each)",
    "① 您的情况": "① Your situation",
    "请逐项选择；已预选“否”，符合的请点“是”": "Answer each: \u201cNo\u201d is chosen until you touch \u201cYes\u201d",
    "【主要】": "[Key] ",
    "请带齐以下材料，已带的请点“已带”": "Bring the following; touch \u201cHave it\u201d for each you brought",
    "是": "Yes",
    "否": "No",
    "已带": "Have it",
    "带了": "Have it",
    "没带": "Don't have",
    "请逐项选择是否带了": "For each material, say whether you have it",
    "还有 {n} 项未选择": "{n} still to answer",
    "请逐项选择“带了”或“没带”": "For each one, touch \u201cHave it\u201d or \u201cDon't have\u201d",
    "以下表格在窗口领取、现场填写，无需准备：": "Forms filled in at the window; nothing to prepare:",
    "窗口现场填写": "filled in at the window",
    "未带": "Not yet",
    "主要": "Key",
    "主要材料": "key material",
    "次要材料": "secondary material",
    "可容缺": "may follow later",
    "原件": "original",
    "复印件": "copy",
    "原件和复印件": "original and copy",
    "电子": "electronic",
    "{n}份": "{n} copies",
    "以下材料免提交（大厅内部调取）：": "No need to bring these (the hall fetches them):",
    "免提交（大厅内部调取）": "not needed (fetched by the hall)",
    "✓ 材料齐全，可以受理。请取号，到窗口办理。":
        "✓ Everything is here and can be accepted. Take a ticket for the window.",
    "◐ 可容缺受理：签署承诺书后先受理，缺的材料在期限内补交。":
        "◐ Can be accepted now on your signed promise to bring the rest in time.",
    "✕ 缺少主要材料，今天无法受理。请带齐下列材料再来，只需再跑这一次。":
        "✕ A key material is missing: not today. Bring what is missing; one more visit will do.",
    "✕ 缺少必需材料，今天无法受理。请带齐下列材料再来，只需再跑这一次。":
        "✕ A required material is missing: not today. Bring what is missing; one more visit will do.",
    "缺少：": "Missing: ",
    "清单中标为“未带”的 {n} 项材料": "the {n} items marked \u201cNot yet\u201d in the list",
    "打印一次性告知单": "Print the one-time notice",
    "打印材料清单": "Print the checklist",
    "重新打印号票": "Print my ticket again",
    "该预约已经签到取号或已取消，请留意叫号或到服务台咨询":
        "This booking has already been checked in or was cancelled; watch the screen or ask at the desk",
    "您的预约不是今天的，今天可直接取普通号": "Your booking is for another day; you can take a normal ticket today",
    "请用手机号取号或呼叫帮办": "please use your phone number instead, or call a helper",
    "请呼叫帮办": "please call a helper",
    "（备齐后再来，一次办成）": "(come back once, with everything)",
    "材料清单已打印，请取走。备齐材料后再来，一次办成。": "Your checklist is printed. Bring everything next time and it is done in one visit.",
    "清单未能打印：": "The checklist could not be printed: ",
    "（呼叫帮办，到服务台打印）": "(call a helper; printed at the desk)",
    "下一步：取号": "Next: take a ticket",
    "仍要取号咨询": "Take a ticket to ask anyway",
    "暂不能打印号票：请到服务台取号或呼叫帮办": "No tickets now: please go to the service desk or call a helper",
    # identity
    "请在读卡区放置身份证": "Place your ID card on the reader",
    "将身份证平放在屏幕下方的读卡区，听到“嘀”声即可": "Lay the card flat on the reader below the screen until it beeps",
    "等待读卡…": "Waiting for the card…",
    "已读取：": "Read: ",
    "办理事项：": "Service: ",
    "没带身份证？用手机号取号": "No ID card? Use your mobile number",
    "跳过此步": "Skip",
    "请输入11位手机号": "11-digit mobile number",
    "绿色通道：老年人、残疾人、军人优先": "Priority lane: seniors, people with disabilities, service members",
    "预约签到：将取预约优先号": "Appointment: you will get a priority ticket",
    "已超过预约时段，按普通号排队": "Your appointment time has passed: you will queue with a normal ticket",
    "绿色通道：将优先叫号，请到窗口出示相关证件": "Priority lane: please show your proof at the window",
    "手机号：": "Mobile: ",
    "请先读取身份证": "Please read your ID card first",
    "请先读取身份证或输入手机号": "Please read your ID card or enter a mobile number",
    "取号": "Take a ticket",
    # ticket
    "您的号码": "Your number",
    "绿色通道": "Priority lane",
    "预约": "Appointment",
    "前面还有 {n} 人，预计等候约 {m} 分钟": "{n} people ahead of you, about {m} min",
    "前面没有人等候，请留意叫号": "Nobody ahead of you: watch for your number",
    "请在等候区就座，留意叫号屏和语音": "Please take a seat in the waiting area and watch the screen and listen for your number",
    "办理窗口：{numbers} 号": "Served at windows {numbers}",
    "材料清单已打印": "Your checklist is printed",
    "正在打印号票…": "Printing your ticket…",
    "号票已打印，请从出票口取走号票，留意大屏叫号。": "Take your ticket from the slot and watch the hall display.",
    "{reason}，您的号码 {number} 已保存，请点击呼叫帮办，工作人员将为您补打。":
        "{reason}. Your number {number} is saved: press Call a helper and staff will reprint it.",
    "呼叫帮办补打号票": "Call a helper to reprint",
    "完成，返回首页": "Done",
    "打印机故障": "Printer fault",
    "删除": "Delete",
    # check-in and progress
    "请将预约二维码对准扫码口，或在下方输入预约码（如 YY20261125381604）":
        "Hold your appointment QR code to the scanner, or type the code (e.g. YY20261125381604)",
    "预约码": "Appointment code",
    "确认签到": "Check in",
    "查找预约": "Find my booking",
    "找到您的预约，请核对：": "We found your booking. Please check it:",
    "事项：": "Service: ",
    "时间：": "Time: ",
    "预约人：": "Booked by: ",
    "预约码不正确：应为 YY 加 14 位数字，请核对或呼叫帮办":
        "That code is not right: it is YY and 14 digits. Please check it or call a helper",
    "扫描受理回执上的二维码，或输入办件编号": "Scan the QR code on your receipt, or type the application number",
    "办件编号": "Application number",
    "查询": "Look up",
    "请输入办件编号": "Please enter the application number",
    "没有找到这个办件编号，请核对后再试": "No application with this number; please check it",
    "本机暂不能查询办件进度，请到服务台查询": "Progress look-up is not available here; please ask at the service desk",
    "无法识别此二维码": "This code cannot be read here",
    "无法识别此二维码，请输入受理回执上的办件编号":
        "This code cannot be read here. Please type the application number printed on your receipt.",
    "无法识别此二维码，请输入预约短信中的预约码":
        "This code cannot be read here. Please type the appointment code from your booking message.",
    "本机可扫描预约二维码和受理回执上的二维码。": "This kiosk reads appointment codes and the code on an application receipt.",
    "也可以在首页点“预约签到”或“办件进度查询”，输入号码。":
        "You can also choose “Appointment check-in” or “Application progress” on the home screen and type the number.",
    "没有找到这张回执上的办件，请输入回执上的办件编号":
        "No application was found for this receipt. Please type the application number printed on it.",
    "办理状态：": "Status: ",
    "办件编号：": "Number: ",
    "申请人：": "Applicant: ",
    "承办部门：": "Department: ",
    "受理时间：": "Accepted: ",
    "承诺办结日期：": "Promised by: ",
    "（暂定）": " (provisional)",
    "待补交材料：": "Still to bring:",
    "请于 {d} 前补交": "bring by {d}",
    "已逾期": "overdue",
    "（{late}）": " ({late})",
    "【{label}】": "[{label}]",
    "已受理": "Accepted",
    "容缺受理（待补齐）": "Accepted, items pending",
    "容缺逾期": "Pending items overdue",
    "已终止": "Terminated",
    "已办结": "Completed",
    "不予受理（已一次性告知）": "Not accepted (one-time notice given)",
    # helper and PIN
    "已呼叫帮办人员": "A helper is on the way",
    "操作未完成": "That did not work",
    "操作未完成：程序内部出错，已记录在日志中。请重试，如再次出现请联系管理员":
        "That did not work: an internal error, written to the log. Please try again; if it happens again, ask the staff",
    "工作人员马上到您身边，请在这里稍候。": "Staff will be with you shortly. Please wait here.",
    "工作人员马上到您身边，为您打印一次性告知单。": "Staff will be with you shortly with your printed notice.",
    "好的": "OK",
    "管理员验证": "Manager check",
    "退出全屏需要管理员PIN": "Leaving full screen needs the manager's PIN",
    "请输入PIN": "PIN",
    "取消": "Cancel",
    "补打号票": "Reprint tickets",
    "未打印出的号票": "Tickets that did not print",
    "这些号码仍在排队。装好纸后逐张补打，交给取号人。":
        "These numbers are still in the queue. Load paper, reprint each one and hand it over.",
    "补打": "Reprint",
    "补打列表暂时读不到": "The reprint list cannot be read just now",
    "已补打": "Reprinted",
    "关闭": "Close",
    "确定": "OK",
    "PIN不正确，请重新输入": "Wrong PIN, please try again",
    "请稍候…": "One moment, please…",
    # the idle countdown
    "您还在使用吗？": "Are you still there?",
    "{n} 秒后返回首页": "Back to the start in {n} seconds",
    "返回首页时，您本次选择和读取的信息都会清除。": "Going back clears everything you chose and every card read.",
    "继续使用": "Continue",
    "返回首页": "Back to start",
    "尚未设置管理员PIN：请输入新的PIN（4到8位数字）": "No manager PIN yet: enter a new PIN (4 to 8 digits)",
    "请再输入一次新的PIN以确认": "Enter the new PIN once more to confirm",
    "两次输入的PIN不一致，请重新设置": "The two PINs differ: please set it again",
    "尝试次数过多，请{n}秒后再试": "Too many tries; wait {n} seconds",
}

#: English for a count of exactly one, where the form in EN is plural
EN_ONE: dict[str, str] = {
    "{n} 项业务": "{n} service",
    "{n}份": "{n} copy",
    "承诺{days}个工作日": "{days} working day",
    "承诺{days}个工作日办结": "done within {days} working day",
    "“{q}”找到 {n} 项": "{n} found for \u201c{q}\u201d",
    "共 {n} 项，点选即可查看材料": "1 service; touch it to see what to bring",
    "还有 {n} 项未选择": "1 still to answer",
    "前面还有 {n} 人，预计等候约 {m} 分钟": "1 person ahead of you, about {m} min",
    "{n} 秒后返回首页": "Back to the start in {n} second",
}


def tr_n(text: str, count: int, lang: str, **values: object) -> str:
    """`text` in `lang` with its values filled in: the English singular when `count` is 1."""
    if lang == "en" and count == 1 and text in EN_ONE:
        template = EN_ONE[text]
    else:
        template = tr(text, lang)
    return template.format(**values)


# --- errors said by the hall, the printer and the card reader -----------------------------

#: (pattern on the Chinese message, English; {0}, {1} are the pattern's groups)
EN_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), e) for p, e in (
    (r"没有办件编号为(\S+?)的办件", "No application has the number {0}. Please check it and try again."),
    (r"没有预约码为“(.+?)”的预约", "No appointment has the code {0}. Please check it or ask at the service desk."),
    (r"没有编码为“(.+?)”的事项", "The service {0} is not offered here. Please ask at the service desk."),
    (r"没有前缀为“(.+?)”的分类", "The queue {0} is not open. Please ask at the service desk."),
    (r"“(.+?)”今日号源已取完（每日(\d+)个）",
     "All of today's tickets for {0} are taken ({1} a day). Please come another day or apply online."),
    (r"该预约已经签到取号",
     "This appointment is already checked in: watch for your number. If you lost the ticket, ask at the desk."),
    (r"该预约已取消", "This appointment was cancelled. Please book again or take a normal ticket."),
    (r"您的预约日期是", "Your appointment is for another day; you can take a normal ticket today."),
    (r"证件号码应为18位.*当前为(\d+)位",
     "An ID card number has 18 characters (15 on a 2017 foreign permanent-residence card); this one has {0}."),
    (r"2017版外国人永久居留身份证号码应为", "A 2017 foreign permanent-residence card number is 3 letters and 12 digits."),
    (r"身份证号码前17位应为数字", "An ID card number is 17 digits and a last digit or X."),
    (r"身份证号码中的出生日期(\d+)不是有效日期", "The birth date {0} in the ID card number is not a real date."),
    (r"身份证号码校验位错误", "The ID card number does not check out. Please check the number."),
    (r"证件已过期", "This ID card has expired. Please use a valid card."),
    (r"证件尚未生效", "This ID card is not valid yet."),
    (r"证件号码无效", "The number on this ID card is not valid."),
    (r"读卡器未连接", "The ID card reader is not connected; retrying"),
    (r"读卡器无响应", "The ID card reader is not answering. Please call a helper."),
    (r"读卡器.*(校验错误|长度错误|应答)", "The card reader got a garbled reading. Please lift the card and lay it down again."),
    (r"未找到证件", "No card found. Please lay your ID card flat on the reader."),
    (r"证件中没有该项信息", "Some details could not be read from this card. Please lay it on the reader again."),
    (r"无法识别的证件类型",
     "This kind of card is not accepted here. Please use an ID card, a residence permit or a permanent residence card."),
    (r"证件信息无法识别", "The card could not be read. Please lay it on the reader again or call a helper."),
    (r"请联系工作人员", "The card reader has a problem. Please call a helper."),
    (r"请重新放置证件", "The card could not be read. Please lift it and lay it on the reader again."),
    (r"认证证件失败", "The reader could not verify this card. Please check it is genuine and valid, then lay it down again."),
    (r"读卡器连接已断开", "The ID card reader was disconnected; reconnecting"),
    (r"数据库正被其他程序占用", "The system is busy. Please try again in a moment; nothing was lost."),
    (r"姓名应为不超过(\d+)个可见字符",
     "This card's name is over the {0}-character limit for a ticket. Please ask at the service desk."),
))

#: the printer's problems; its status message may join several with "；"
EN_PRINTER: tuple[tuple[str, str], ...] = (
    ("未打印完整", "the ticket may not have printed in full"),
    ("缺纸", "the printer is out of paper"),
    ("盖未关好", "the printer cover is open"),
    ("切刀", "the printer's cutter is jammed"),
    ("不可恢复", "the printer has a fault and needs repair"),
    ("脱机", "the printer is offline"),
    ("未连接", "the printer is not connected"),
    ("无响应", "the printer is not responding"),
    ("打印中断", "printing was interrupted: the printer connection was lost"),
    ("出错", "the printer reported an error"),
    ("故障", "the printer has a fault"),
)

#: by exception type (class name), when no pattern knows the message
EN_BY_TYPE: dict[str, str] = {
    "QueueFull": "All of today's tickets for this service are taken. Please come another day or apply online.",
    "StorageBusy": "The system is busy. Please try again in a moment; nothing was lost.",
    "ServerUnavailable": "The connection to the hall server was lost; reconnecting. Please try again in a moment.",
    "InvalidIdNumber": "The ID card number is not valid. Please check it or call a helper.",
    "NotFound": "Nothing was found for this number. Please check it and try again.",
    "PrinterNotReady": "The printer is not ready.",
    "PrinterError": "The printer has a fault.",
}


def _printer_en(text: str) -> str:
    parts = []
    for part in re.split(r"[；;]", text):
        if "打印" not in part:
            return ""
        english = next((e for key, e in EN_PRINTER if key in part), "")
        if not english:
            return ""
        parts.append(english)
    said = "; ".join(parts)
    return said[:1].upper() + said[1:]


def say_error(error: BaseException | str, lang: str) -> str:
    """What went wrong in the citizen's language.

    The hall, the printer and the reader speak Chinese; in English the known messages are
    matched by pattern (or, failing that, by the exception's type) and anything unknown is
    shown as it came, in Chinese, rather than hidden.
    """
    text = str(error)
    if lang != "en":
        return text
    if text in EN:
        return EN[text]
    for pattern, english in EN_ERRORS:
        m = pattern.search(text)
        if m:
            return english.format(*m.groups())
    printer = _printer_en(text)
    if printer:
        return printer
    if isinstance(error, BaseException):
        for cls in type(error).__mro__:
            if cls.__name__ in EN_BY_TYPE:
                return EN_BY_TYPE[cls.__name__]
    return text


add(EN)
