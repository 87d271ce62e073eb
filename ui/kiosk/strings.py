"""English for the kiosk's screens, registered with ui.i18n when the kiosk is imported."""

from __future__ import annotations

from ui.i18n import add

EN = {
}

add(EN)
