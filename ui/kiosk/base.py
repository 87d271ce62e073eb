"""What every kiosk screen shares: a name (for the helper signal and tests), the owner window
and the current look, a `refresh()` that redraws the screen from the citizen's session, and a
`reset()` that forgets the citizen between visits while the widgets stay."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QLayout, QScrollArea, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.kiosk.widgets import clear_layout, scroll

if TYPE_CHECKING:
    from ui.kiosk.window import KioskWindow


class Screen(QWidget):
    name = "screen"

    def __init__(self, owner: KioskWindow) -> None:
        super().__init__()
        self.owner = owner
        self.look = owner.look
        self.setObjectName(f"screen_{self.name}")
        # The page scrolls only when it cannot fit (elder mode on a landscape screen): better a
        # scroll bar than a cut-off button. On every other look nothing scrolls.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.page = QWidget()
        self.page.setObjectName("page")
        self.page_area = scroll(self.page)
        self.page_area.setProperty("list", False)  # the page itself: layouts are made so it never scrolls
        outer.addWidget(self.page_area)
        self.body = QVBoxLayout(self.page)
        m = self.look.margin
        if self.look.portrait:
            self.body.setContentsMargins(m, round(m * 0.8), m, round(m * 0.6))
        else:  # landscape: height is what runs out first
            self.body.setContentsMargins(m, round(m * 0.5), m, round(m * 0.4))
        self.body.setSpacing(self.look.gap)

    def add_heading(self, title: QLabel, sub: QLabel | None = None) -> None:
        """The screen's title with its quieter line: close under it in portrait, beside it in
        landscape (where height is short and width is not)."""
        if self.look.portrait:
            head = QBoxLayout(QBoxLayout.Direction.TopToBottom)
            head.setSpacing(round(4 * self.look.scale))
        else:
            head = QBoxLayout(QBoxLayout.Direction.LeftToRight)
            head.setSpacing(self.look.gap * 2)
        head.addWidget(title, 1 if self.look.portrait else 3)
        if sub is not None:
            if not self.look.portrait:
                sub.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            head.addWidget(sub, 1 if self.look.portrait else 2)
        self.body.addLayout(head)

    def add_columns(self, *columns: tuple[int, list[QWidget | QLayout | None]]) -> None:
        """Side-by-side columns filling the rest of the page (landscape, where width is plenty):
        each is (stretch, items), an item a widget, a layout, or None for the space that pushes
        what follows to the bottom."""
        row = QHBoxLayout()
        row.setSpacing(self.look.gap * 2)
        for stretch, items in columns:
            col = QVBoxLayout()
            col.setSpacing(self.look.gap)
            for item in items:
                if item is None:
                    col.addStretch(1)
                elif isinstance(item, QLayout):
                    col.addLayout(item)
                else:
                    col.addWidget(item)
            row.addLayout(col, stretch)
        self.body.addLayout(row, 1)

    def t(self, text: str) -> str:
        """The text in the kiosk's current language (keys are the Chinese text)."""
        return tr(text, self.look.lang)

    def refresh(self) -> None:
        """Redraw from owner.session; called on every visit and after a language/elder switch."""

    def reset(self) -> None:
        """Forget the citizen: clear every field this screen showed of them (a name, a number,
        a phone, a tick, a ticket, a typed code) and scroll back to the top. The kiosk calls it
        when a visit ends instead of building the screen again; the next `refresh()` fills it
        for the next citizen. Screens that show something of the citizen extend it."""
        for area in self.findChildren(QScrollArea):
            area.verticalScrollBar().setValue(0)

    @staticmethod
    def forget_layout(layout: QLayout) -> None:
        """Delete a layout's widgets like clear_layout, their labels emptied first: deletion
        waits for the event loop, and until then nothing the citizen saw may remain."""
        for i in range(layout.count()):
            item = layout.itemAt(i)
            w = item.widget()
            if w is not None:
                for lb in [w, *w.findChildren(QLabel)]:
                    if isinstance(lb, QLabel):
                        lb.clear()
            elif item.layout() is not None:
                Screen.forget_layout(item.layout())
        clear_layout(layout)  # type: ignore[arg-type]
