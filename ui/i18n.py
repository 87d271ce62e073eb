"""Chinese and English for the citizen's screens. Keys are the Chinese text itself, so a
missing English entry still shows readable Chinese rather than a key name."""

from __future__ import annotations

EN: dict[str, str] = {}


def add(entries: dict[str, str]) -> None:
    """Screens register their own English strings next to the code that shows them."""
    EN.update(entries)


def tr(text: str, lang: str = "zh") -> str:
    if lang == "en":
        return EN.get(text, text)
    return text
