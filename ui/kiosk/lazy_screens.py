"""The kiosk's screens, each built the first time it is shown or touched, then kept.

A cold start paints only the home screen; building the six others up front cost it ~50 ms.
Once built a screen stays for every later citizen (reset, not rebuilt): only a new look
(language, elder mode) or catalog makes a new set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from ui.kiosk.base import Screen


class LazyScreens(Mapping[str, Screen]):
    """Name -> screen. Iterating names all screens; looking one up builds it if need be."""

    def __init__(self, classes: tuple[type[Screen], ...], make: Callable[[type[Screen]], Screen]) -> None:
        self._classes = {cls.name: cls for cls in classes}
        self._made: dict[str, Screen] = {}
        self._make = make

    def __getitem__(self, name: str) -> Screen:
        screen = self._made.get(name)
        if screen is None:
            screen = self._made[name] = self._make(self._classes[name])
        return screen

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)

    def built(self) -> list[str]:
        """The names of the screens built so far."""
        return list(self._made)
