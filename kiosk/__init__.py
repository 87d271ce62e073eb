"""The hall's core: models, rules, services and storage. Imports no Qt, devices or printing."""

from kiosk.hall import Hall, open_hall

__all__ = ["Hall", "open_hall"]
