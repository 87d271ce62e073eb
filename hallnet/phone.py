"""The citizen's phone: the page a ticket's or a receipt's QR code opens.

Plain HTML in Chinese with large text, no app and no login. The link carries the record's
unguessable token (`kiosk.hall_links`), never the sequential ticket or application number,
and the page shows only masked personal data. It reads its state again every few seconds
(`/t/<token>.json`), so a citizen waiting outside sees the queue move and learns at once
which window calls them; without JavaScript it reloads itself.
"""

from __future__ import annotations

import html
from typing import Any

from kiosk.hall import Hall
from kiosk.models import Application, Ticket, TicketStatus

SOON = 3  # this many or fewer ahead: the page says so prominently
POLL_MS = 3000


def ticket_state(hall: Hall, ticket: Ticket) -> dict[str, Any]:
    """What the page shows of a ticket, as plain data (the page's JSON)."""
    ahead, minutes = hall.ticket_position(ticket.id) if ticket.status is TicketStatus.WAITING else (0, 0)
    window = ticket.window
    if ticket.status is TicketStatus.WAITING:
        if ahead == 0:
            headline, detail = "马上就到您了", "请回到等候区，留意大屏和广播叫号"
        elif ahead <= SOON:
            headline, detail = f"快到您了：前面还有 {ahead} 人", "请回到等候区，留意大屏和广播叫号"
        else:
            headline, detail = f"前面还有 {ahead} 人", f"预计等候约 {minutes} 分钟，可先在附近稍候"
    elif ticket.status is TicketStatus.CALLED:
        headline, detail = f"请到 {window} 号窗口办理", "正在叫您的号，请尽快前往"
    elif ticket.status is TicketStatus.SERVING:
        headline, detail = f"正在 {window} 号窗口办理", "请在窗口配合工作人员"
    elif ticket.status is TicketStatus.SKIPPED:
        headline, detail = "已过号", "请到服务台或任一窗口说明，工作人员会为您重新安排"
    elif ticket.status is TicketStatus.DONE:
        headline, detail = "已办结", "感谢您的耐心，欢迎对本次服务作出评价"
    else:
        headline, detail = "号票已失效", "如需办理，请到取号机重新取号"
    return {
        "number": ticket.number, "matter": ticket.matter_name or ticket.category_name, "status": ticket.status.value,
        "ahead": ahead, "wait_min": minutes, "window": window, "headline": headline, "detail": detail,
        "urgent": ticket.status is TicketStatus.CALLED or (ticket.status is TicketStatus.WAITING and ahead <= SOON),
        "tone": "called" if ticket.status is TicketStatus.CALLED else
                "urgent" if ticket.status is TicketStatus.WAITING and ahead <= SOON else "",
        "holder": ticket.holder_name, "issued": f"{ticket.issued_at:%H:%M}",
    }


def application_state(app: Application) -> dict[str, Any]:
    pending = [{"name": p.name, "deadline": f"{p.deadline:%Y年%m月%d日}" + ("（暂定）" if p.provisional else ""),
                "status": {"open": "待补交", "supplied": "已补交", "overdue": "已逾期"}.get(p.status.value, p.status.value)}
               for p in app.pending]
    promised = f"{app.promised_date:%Y年%m月%d日}" + ("（暂定）" if app.promised_provisional else "") \
        if app.promised_date else ""
    return {
        "number_tail": app.number[-4:], "matter": app.matter_name, "department": app.department,
        "state": app.state.value, "headline": app.state.label, "applicant": app.applicant_name,
        "received": f"{app.received_at:%Y年%m月%d日}", "promised": promised, "pending": pending,
        "urgent": app.state.value in ("pending", "pending_overdue"),
    }


_STYLE = """
body{margin:0;font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
background:#f3f6fa;color:#1b2733;font-size:22px;line-height:1.5}
main{max-width:640px;margin:0 auto;padding:20px}
h1{font-size:24px;margin:0 0 12px;color:#3b4a5a;font-weight:normal}
.card{background:#fff;border-radius:16px;padding:24px;box-shadow:0 2px 8px rgba(0,0,0,.08);margin-bottom:16px}
.number{font-size:72px;font-weight:bold;letter-spacing:4px;color:#0b5cad;text-align:center}
.headline{font-size:34px;font-weight:bold;text-align:center;margin:8px 0}
.detail{text-align:center;color:#3b4a5a}
.urgent{background:#fff4d6;border:3px solid #e0a100}
.urgent .headline{color:#9a5b00}
.called{background:#e3f4e6;border:3px solid #1e6b30}.called .headline{color:#1e6b30;font-size:40px}
dl{margin:0}dt{color:#5b6b7b;font-size:18px}dd{margin:0 0 10px}
.foot{font-size:16px;color:#5b6b7b;text-align:center}
table{width:100%;border-collapse:collapse;font-size:20px}td{padding:6px 0;border-bottom:1px solid #e3e8ee}
"""


def _page(title: str, hall_name: str, body: str, poll: str = "") -> str:
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{html.escape(title)}</title><style>{_STYLE}</style>
<noscript><meta http-equiv="refresh" content="15"></noscript></head>
<body><main><h1>{html.escape(hall_name)}</h1>{body}
<p class="foot">本页自动更新 · 仅显示必要信息，个人信息已隐去</p></main>{poll}</body></html>"""


def ticket_page(hall_name: str, state: dict[str, Any]) -> str:
    e = {k: html.escape(str(v)) for k, v in state.items()}
    body = f"""<section id="state" class="card {e['tone']}">
<div class="number" id="number">{e['number']}</div>
<div class="headline" id="headline">{e['headline']}</div>
<div class="detail" id="detail">{e['detail']}</div></section>
<section class="card"><dl><dt>办理事项</dt><dd>{e['matter']}</dd>
<dt>取号时间</dt><dd>{e['issued']}</dd>{f"<dt>取号人</dt><dd>{e['holder']}</dd>" if state['holder'] else ""}</dl></section>"""
    poll = f"""<script>
async function tick(){{try{{const r=await fetch(location.pathname+'.json',{{cache:'no-store'}});
if(r.ok){{const s=await r.json();document.getElementById('headline').textContent=s.headline;
document.getElementById('detail').textContent=s.detail;
document.getElementById('state').className='card '+s.tone;}}}}catch(e){{}}}}
setInterval(tick,{POLL_MS});</script>"""
    return _page(f"{state['number']} 排队进度", hall_name, body, poll)


def application_page(hall_name: str, state: dict[str, Any]) -> str:
    e = {k: html.escape(str(v)) for k, v in state.items() if not isinstance(v, list)}
    rows = "".join(f"<tr><td>{html.escape(p['name'])}</td><td>{html.escape(p['deadline'])}前</td>"
                   f"<td>{html.escape(p['status'])}</td></tr>" for p in state["pending"])
    pending = f"<section class='card'><h1>容缺补交材料</h1><table>{rows}</table></section>" if rows else ""
    body = f"""<section id="state" class="card{' urgent' if state['urgent'] else ''}">
<div class="headline" id="headline">{e['headline']}</div>
<div class="detail">{e['matter']}</div></section>
<section class="card"><dl><dt>承办部门</dt><dd>{e['department']}</dd><dt>申请人</dt><dd>{e['applicant']}</dd>
<dt>受理日期</dt><dd>{e['received']}</dd>{f"<dt>承诺办结日期</dt><dd>{e['promised']}</dd>" if state['promised'] else ""}
<dt>办件编号</dt><dd>尾号 {e['number_tail']}</dd></dl></section>{pending}"""
    poll = f"""<script>
async function tick(){{try{{const r=await fetch(location.pathname+'.json',{{cache:'no-store'}});
if(r.ok){{const s=await r.json();document.getElementById('headline').textContent=s.headline;}}}}catch(e){{}}}}
setInterval(tick,{POLL_MS * 5});</script>"""
    return _page("办件进度", hall_name, body, poll)


def not_found_page(hall_name: str, what: str) -> str:
    body = f"""<section class="card"><div class="headline">找不到这个{html.escape(what)}</div>
<div class="detail">链接可能已过期（号票仅当天有效），或二维码没有扫完整。如有疑问，请咨询服务台。</div></section>"""
    return _page("链接无效", hall_name, body)
