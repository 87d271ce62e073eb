"""Small building blocks every kiosk screen uses: labels, buttons, cards, the header and footer.

They take the `Look` so each size comes from one place (look.py) and a button can never be
created smaller than the touch-target minimum of the current mode.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr
from ui.kiosk.look import Look

WEEKDAYS = "一二三四五六日"


SIZES_KEPT = 16  # texts a label remembers its sizes for: a list row shows each category's in turn, and a
# label whose text is new each visit (a queue count) holds no more than this


class KioskLabel(QLabel):
    """A QLabel that remembers its size hints and heights for widths, per text.

    QLabel lays its text out again for every such question, and layouts ask often: a box
    layout asks each word-wrapped label for its height at a width twice per pass (Qt keeps
    one of the answers), and a page lays out every label again whenever any of them changes,
    so a changed verdict or a new list measured every unchanged label of the screen anew;
    that text layout was a fifth of the GUI thread's work on a touch that changes the screen.
    The answers depend on the text, the font and the style sheet's box, so they are kept per
    text (rows reused for the next citizen's matters show the same names again) and forgotten
    when the font or style changes (set_tone, polish) or a setter below changes the geometry.
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self._sizes: dict[str, dict[int | str, object]] = {}

    def _known(self) -> dict[int | str, object]:
        """What is known for the text shown now."""
        text = self.text()
        sizes = self._sizes.get(text)
        if sizes is None:
            if len(self._sizes) >= SIZES_KEPT:
                del self._sizes[next(iter(self._sizes))]  # the oldest text
            sizes = self._sizes[text] = {}
        return sizes

    def forget_sizes(self) -> None:
        self._sizes.clear()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        known = self._known()
        height = known.get(width)
        if height is None:
            height = known[width] = super().heightForWidth(width)
        return height  # type: ignore[return-value]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        known = self._known()
        size = known.get("hint")
        if size is None:
            hint = super().sizeHint()
            size = known["hint"] = hint.width(), hint.height()
        return QSize(*size)  # type: ignore[misc]

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        known = self._known()
        size = known.get("minimum")
        if size is None:
            hint = super().minimumSizeHint()
            size = known["minimum"] = hint.width(), hint.height()
        return QSize(*size)  # type: ignore[misc]

    def changeEvent(self, e: QEvent) -> None:  # noqa: N802 - Qt override
        self._sizes.clear()  # a font, style or palette change (a polish sends them)
        super().changeEvent(e)

    def setWordWrap(self, on: bool) -> None:  # noqa: N802 - Qt override
        self._sizes.clear()
        super().setWordWrap(on)

    def setAlignment(self, alignment: Qt.AlignmentFlag) -> None:  # noqa: N802 - Qt override
        self._sizes.clear()
        super().setAlignment(alignment)

    def setIndent(self, indent: int) -> None:  # noqa: N802 - Qt override
        self._sizes.clear()
        super().setIndent(indent)

    def setMargin(self, margin: int) -> None:  # noqa: N802 - Qt override
        self._sizes.clear()
        super().setMargin(margin)

    def setContentsMargins(self, *margins) -> None:  # noqa: N802 - Qt override
        self._sizes.clear()
        super().setContentsMargins(*margins)

    def setTextFormat(self, text_format: Qt.TextFormat) -> None:  # noqa: N802 - Qt override
        self._sizes.clear()
        super().setTextFormat(text_format)

    def setPixmap(self, pixmap) -> None:  # noqa: N802 - Qt override - a picture has no text to key it by
        self._sizes.clear()
        super().setPixmap(pixmap)


def label(text: str, role: str = "body", *, wrap: bool = True, tone: str = "",
          align: Qt.AlignmentFlag | None = None) -> KioskLabel:
    """A label with a style role (h1, h2, body, muted, number, entry) and an optional tone box."""
    w = KioskLabel(text)
    w.setProperty("role", role)
    if tone:
        w.setProperty("tone", tone)
    w.setWordWrap(wrap)
    w.setTextFormat(Qt.TextFormat.PlainText)
    if align is not None:
        w.setAlignment(align)
    return w


def set_text(w: QLabel, text: str) -> None:
    """Set a label's text only when it changes: a new text lays out the label and its page
    again, and kept widgets are mostly filled with what they already say."""
    if w.text() != text:
        w.setText(text)


def set_tone(w: QLabel, tone: str) -> None:
    """Change a label's tone box and make Qt re-read the style sheet for it; the same tone
    again does nothing (re-polishing under the kiosk's style sheet costs milliseconds a touch)."""
    if w.property("tone") == tone:
        return
    w.setProperty("tone", tone)
    if isinstance(w, KioskLabel):  # the box's padding and border change its sizes
        w.forget_sizes()
    w.style().unpolish(w)
    w.style().polish(w)


# a word of Latin text (kept whole), a run of spaces, or any other single character (hanzi)
_TOKEN = re.compile(r"[0-9A-Za-z&'’.,:;!?()/\-]+ *| +|.", re.S)
_NO_LINE_START = frozenset("，。、：；！？）】」』”’》,.;:!?)")
_NO_LINE_END = frozenset("（【「『“‘《(")


_SEPARATORS = re.compile(r"( · | / )")  # where a line breaks best: between the parts of "8 项业务 · 等候 3 人"


def unbroken(text: str) -> str:
    """The text glued by word joiners (U+2060), so a wrapping label breaks around it, not inside:
    Chinese breaks between any two characters, and "承诺1个工作/日办结" reads as two broken words.
    The joiners are invisible and take no width."""
    return "\u2060".join(text)


def _wrap_tokens(para: str, metrics: QFontMetrics, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for tok in _TOKEN.findall(para):
        if line.strip() and not tok.isspace() and metrics.horizontalAdvance((line + tok).rstrip()) > width:
            carry = ""
            if tok[0] in _NO_LINE_START and len(line.strip()) > 1:  # "，" may not start a line:
                carry, line = line[-1], line[:-1]  # the character before it goes down with it
            while len(line) > 1 and line[-1] in _NO_LINE_END:  # nor may "（" end one
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = carry + tok.lstrip()
        else:
            line += tok
    lines.append(line.rstrip())
    return lines


def wrap_text(text: str, metrics: QFontMetrics, width: int) -> str:
    """Break `text` into lines no wider than `width`: at " · " or " / " first, then between
    Latin words or between hanzi, never before closing or after opening punctuation. A single
    word wider than `width` stays whole."""
    lines: list[str] = []
    for para in text.split("\n"):
        if width <= 0 or metrics.horizontalAdvance(para) <= width:
            lines.append(para)
            continue
        parts = _SEPARATORS.split(para)  # part, separator, part, ...
        line = parts[0]
        for sep, part in zip(parts[1::2], parts[2::2], strict=True):
            if metrics.horizontalAdvance(line + sep + part) > width:
                lines += _wrap_tokens(line, metrics, width)
                line = part
            else:
                line += sep + part
        lines += _wrap_tokens(line, metrics, width)
    return "\n".join(lines)


_RESTYLED = frozenset({QEvent.Type.StyleChange, QEvent.Type.FontChange, QEvent.Type.PaletteChange})
# A button at most this large (px) keeps its drawn background and border (see KioskButton.paintEvent)
BEVEL_KEPT_AREA = 40_000
_TRANSIENT = QStyle.StateFlag.State_Sunken | QStyle.StateFlag.State_MouseOver  # pressed, or under the finger
BEVELS_SHARED = 256
_bevels: dict[tuple[int, int, bytes], QPixmap] = {}  # drawn once for every button that looks the same


def _shared_bevel(drawn: QPixmap) -> QPixmap:
    """The pixmap already kept with exactly these pixels, or this one: the 26 letter keys are
    drawn alike and share one."""
    image = drawn.toImage()
    key = (image.width(), image.height(), hashlib.blake2b(bytes(image.constBits()), digest_size=16).digest())
    kept = _bevels.get(key)
    if kept is None:
        if len(_bevels) >= BEVELS_SHARED:
            del _bevels[next(iter(_bevels))]  # buttons still showing it keep their own reference
        kept = _bevels[key] = drawn
    return kept


class KioskButton(QPushButton):
    """A push button whose size hint is never below its touch height.

    The shared style sheet gives QPushButton a `min-height`, and a style sheet's min-height
    wins over setMinimumHeight; the size hint is what layouts honour, so the height is kept there.

    Text is shown literally: an "&" (社保 & 医保, "Exit & Entry") is not a keyboard mnemonic on a
    kiosk, so it is escaped before Qt sees it; `text()` returns what was set. With `wrap` the
    text is broken into lines to fit the button's width whenever the width changes.
    """

    def __init__(self, text: str, height: int, *, wrap: bool = False) -> None:
        super().__init__()
        self.touch_height = height
        self.wrap = wrap
        self._raw = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self._raw = text
        self._show_text()

    def text(self) -> str:
        return self._raw

    def shown_text(self) -> str:
        """What the button draws (wrapped, mnemonic escapes removed)."""
        return super().text().replace("&&", "&")

    def text_width(self) -> int:
        """The width the style leaves for the text (inside border and padding)."""
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        rect = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, self)
        return rect.width() - 8

    def _show_text(self) -> None:
        shown = self._raw
        if self.wrap and self.width() > self.touch_height // 2:
            shown = wrap_text(shown, QFontMetrics(self.font()), self.text_width())
        shown = shown.replace("&", "&&")
        if shown != super().text():
            super().setText(shown)

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(e)
        if self.wrap:
            self._show_text()

    def changeEvent(self, e: QEvent) -> None:  # noqa: N802 - Qt override
        """Re-assert the touch height after the style sheet has set its own minimum: a polish
        sets it, then sets the sheet's font and palette, which arrive here. Not event(): every
        event of every button (each paint, move, show) crossed into Python there, a tenth of
        the GUI thread's work on a touch that changes the screen."""
        super().changeEvent(e)
        self.__dict__.pop("_bevels", None)  # a new style, palette or enabled state: drawn anew
        if e.type() in _RESTYLED:
            if self.minimumHeight() < self.touch_height:
                self.setMinimumHeight(self.touch_height)
            if self.wrap:
                self._show_text()

    def paintEvent(self, e) -> None:  # noqa: N802 - Qt override
        """Draw the background and border from a pixmap kept for the button's size and state.

        The style sheet draws a rounded border as four anti-aliased arcs stroked anew on every
        paint: on a small button (a letter key, 是/否, 带了/没带) that is most of its cost, and a
        screen of them (26 keys) was a tenth of the touch that shows it. The text is drawn as
        always, on top. A pressed or hovered look is drawn directly (it lasts a moment), and so
        is a large button, whose fill costs the same either way and whose pixmap would be large.
        """
        w, h = self.width(), self.height()
        if w * h > BEVEL_KEPT_AREA:
            super().paintEvent(e)
            return
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        if opt.state & _TRANSIENT:
            super().paintEvent(e)
            return
        key = (w, h, opt.state.value, opt.features.value)
        kept = self.__dict__.setdefault("_bevels", {})
        bevel = kept.get(key)
        style = self.style()
        if bevel is None:
            ratio = self.devicePixelRatioF()
            bevel = QPixmap(round(w * ratio), round(h * ratio))
            bevel.setDevicePixelRatio(ratio)
            bevel.fill(Qt.GlobalColor.transparent)
            painter = QPainter(bevel)
            style.drawControl(QStyle.ControlElement.CE_PushButtonBevel, opt, painter, self)
            painter.end()
            if len(kept) >= 2:  # checked and not, or enabled and not: older looks go
                kept.clear()
            bevel = kept[key] = _shared_bevel(bevel)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, bevel)
        # as QCommonStyle draws a push button: the label inside the contents rectangle
        opt.rect = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, self)
        style.drawControl(QStyle.ControlElement.CE_PushButtonLabel, opt, painter, self)
        painter.end()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self.touch_height))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        width = min(hint.width(), self.touch_height * 2) if self.wrap else hint.width()  # wrapping narrows it
        return QSize(width, max(hint.height(), self.touch_height))


def button(text: str, look: Look, *, role: str = "", size: str = "", height: int = 84,
           checkable: bool = False, grow: bool = False, wrap: bool = False) -> KioskButton:
    """A touch button at least `look.min_target` high (60 px; ELDER_TARGET_PX in elder mode).

    `grow` lets it take spare height in its layout (home tiles fill a tall portrait screen);
    `wrap` breaks a text too long for the button's width into lines instead of clipping it.
    """
    b = KioskButton(text, look.target(height), wrap=wrap)
    if role:
        b.setProperty("role", role)
    if size:
        b.setProperty("sizeRole", size)  # not "size": that is QWidget's own geometry property
    b.setCheckable(checkable)
    b.setMinimumHeight(look.target(height))
    b.setMinimumWidth(look.min_target)
    b.setSizePolicy(QSizePolicy.Policy.Expanding,
                    QSizePolicy.Policy.Expanding if grow else QSizePolicy.Policy.Fixed)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no keyboard on a kiosk; no focus rectangles
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    return b


def card(look: Look, *, vertical: bool = True) -> tuple[QFrame, QVBoxLayout | QHBoxLayout]:
    """A white rounded card and its layout, with the look's padding."""
    f = QFrame()
    f.setProperty("card", True)
    lay: QVBoxLayout | QHBoxLayout = QVBoxLayout(f) if vertical else QHBoxLayout(f)
    pad = round(22 * min(look.scale, 1.1))  # elder mode: the height goes to the bigger text
    lay.setContentsMargins(pad, pad, pad, pad)
    lay.setSpacing(round(12 * look.scale))
    return f, lay


def scroll(inner: QWidget, gap: int = 0) -> QScrollArea:
    """A scroll area a finger can drag (kinetic scrolling), with no horizontal bar.

    Its vertical bar is the wide, coloured one of the kiosk style sheet, so a citizen can see
    there is more below; `gap` keeps the content that far from the bar.
    """
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setProperty("list", True)
    area.setWidget(inner)
    if gap:
        area.setViewportMargins(0, 0, gap, 0)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


def clear_layout(layout: QVBoxLayout | QHBoxLayout) -> None:
    """Remove and delete every widget in a layout (lists rebuilt on each search keystroke)."""
    while layout.count():
        item = layout.takeAt(0)
        w = item.widget()
        if w is not None:
            w.hide()
            w.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())  # type: ignore[arg-type]


class Header(QFrame):
    """政务蓝 bar: the hall's name and a live clock, plus the language switch on every screen."""

    language_toggled = Signal()

    def __init__(self, hall_name: str, look: Look, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.look = look
        self.setFixedHeight(round(128 * look.scale) if look.portrait else min(round(112 * look.scale), 124))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(min(look.margin, 32), 8, min(look.margin, 32), 8)
        lay.setSpacing(16)
        emblem = QLabel("★")
        emblem.setStyleSheet(f"color: #ffd54a; font-size: {look.pt(30)}pt;")
        lay.addWidget(emblem)
        names = QVBoxLayout()
        names.setSpacing(0)
        self.hall_name = QLabel(hall_name)
        self.hall_name.setObjectName("hallName")
        sub = QLabel(tr("政务服务 · 最多跑一次", look.lang))
        sub.setObjectName("date")
        names.addStretch(1)
        names.addWidget(self.hall_name)
        names.addWidget(sub)
        names.addStretch(1)
        lay.addLayout(names, 1)
        self.lang_button = KioskButton("English" if look.lang == "zh" else "中文", look.min_target)
        self.lang_button.setObjectName("headerToggle")
        self.lang_button.setMinimumHeight(look.min_target)
        self.lang_button.setMinimumWidth(150)
        self.lang_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lang_button.clicked.connect(self.language_toggled)
        lay.addWidget(self.lang_button)
        times = QVBoxLayout()
        times.setSpacing(0)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.date = QLabel()
        self.date.setObjectName("date")
        self.date.setAlignment(Qt.AlignmentFlag.AlignRight)
        times.addStretch(1)
        times.addWidget(self.clock)
        times.addWidget(self.date)
        times.addStretch(1)
        lay.addLayout(times)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(1000)
        self.tick()

    def tick(self, now: dt.datetime | None = None) -> None:
        now = now or dt.datetime.now()
        self.clock.setText(f"{now:%H:%M}")
        if self.look.lang == "en":
            self.date.setText(f"{now:%a %d %b %Y}")
        else:
            self.date.setText(f"{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]}")


class Footer(QFrame):
    """Back, home and 呼叫帮办: the helper button is on every screen (适老化)."""

    back = Signal()
    home = Signal()
    helper = Signal()

    def __init__(self, look: Look, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("footer")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(look.margin, 14, look.margin, 14)
        lay.setSpacing(look.gap)
        h = 72 if look.elder else 88  # elder: 100 px, well over ELDER_TARGET_PX, without eating the screen
        self.back_button = button("‹ " + tr("返回", look.lang), look, role="secondary", height=h)
        self.home_button = button(tr("首页", look.lang), look, role="secondary", height=h)
        self.helper_button = button("☎ " + tr("呼叫帮办", look.lang), look, role="helper", height=h)
        self.helper_button.setObjectName("helperButton")
        self.back_button.clicked.connect(self.back)
        self.home_button.clicked.connect(self.home)
        self.helper_button.clicked.connect(self.helper)
        lay.addWidget(self.back_button, 1)
        lay.addWidget(self.home_button, 1)
        lay.addWidget(self.helper_button, 2)

    def set_buttons(self, *, back: bool, home: bool) -> None:
        """Show back and home only where they lead somewhere the screen itself does not offer."""
        self.back_button.setVisible(back)
        self.home_button.setVisible(home)


def row_button(title: str, subtitle: str, look: Look, height: int = 116) -> KioskButton:
    """A list row: a bold title, a quieter line under it and an arrow, all one touch target.

    A QPushButton draws one font only, so the two lines are labels laid over it; they let
    touches through to the button.
    """
    b = button("", look, role="secondary", size="row", height=height)
    lay = QHBoxLayout(b)
    pad = round(14 * look.scale)
    lay.setContentsMargins(round(24 * look.scale), pad, round(20 * look.scale), pad)
    text = QVBoxLayout()
    text.setSpacing(2)
    lines = []
    for role in ("rowTitle", "rowSub"):
        w = label("", role)
        w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        text.addWidget(w)
        lines.append(w)
    b.title_label, b.sub_label = lines  # type: ignore[attr-defined]
    lay.addLayout(text, 1)
    arrow = label("›", "rowArrow", wrap=False)
    arrow.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
    lay.addWidget(arrow)
    set_row(b, title, subtitle)
    return b


def set_row(b: KioskButton, title: str, subtitle: str) -> None:
    """Say something else on a `row_button`: lists keep their rows and fill them again."""
    set_text(b.title_label, title)  # type: ignore[attr-defined]
    set_text(b.sub_label, subtitle)  # type: ignore[attr-defined]
    if getattr(b, "title", None) != title:
        b.setAccessibleName(title)
        b.setToolTip(title)
        b.title = title  # type: ignore[attr-defined]  # tests and screenshots read what the row says
