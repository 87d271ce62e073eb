"""What every kiosk screen shares: a name (for the helper signal and tests), the owner window
and the current look, and a `refresh()` that redraws the screen from the citizen's session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.i18n import tr
from ui.kiosk.widgets import scroll

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
        outer.addWidget(scroll(self.page))
        self.body = QVBoxLayout(self.page)
        m = self.look.margin
        self.body.setContentsMargins(m, round(m * 0.8), m, round(m * 0.6))
        self.body.setSpacing(self.look.gap)

    def t(self, text: str) -> str:
        """The text in the kiosk's current language (keys are the Chinese text)."""
        return tr(text, self.look.lang)

    def refresh(self) -> None:
        """Redraw from owner.session; called on every visit and after a language/elder switch."""
