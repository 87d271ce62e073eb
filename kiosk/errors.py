"""Errors the hall raises, each with a message a clerk, citizen or manager can read (Chinese)."""

from __future__ import annotations


class HallError(Exception):
    """Base of every refusal by the hall. The message is meant for the user's eyes."""


class NotFound(HallError):
    pass


class QueueFull(HallError):
    """The category reached its daily cap."""


class InvalidAction(HallError):
    """The action does not fit the ticket's or application's state."""


class AlreadyAccepted(InvalidAction):
    """The same matter was already accepted for the same person at the same ticket: a desk whose
    first answer was lost pressing 受理 again. The clerk may still mean a second one (two shops,
    two flats) and says so with `another=True`."""


class ValidationError(HallError):
    """Input that the hall will not store; lists every problem, not just the first."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        head = f"{source}：" if source else ""
        super().__init__(head + "；".join(problems) if len(problems) < 4 else head + "\n" + "\n".join(problems))


class StorageBusy(HallError):
    """The database stayed locked by another program longer than we wait."""


class StorageError(HallError):
    """The hall file cannot be opened: a folder, another program's file, a damaged file."""


class AuthError(HallError):
    pass


class AccessDenied(HallError):
    """The terminal's role (or window) may not do this; nothing was changed."""


class SignInNeeded(AccessDenied):
    """A manager's console called for something only a manager may do while no manager is signed
    in on that console (nobody yet, signed out, or a session the hall no longer honours: another
    day, the account disabled or its password changed, the PC re-registered). The console's token
    alone is not a manager: the console asks for the login again."""


class TooManyTries(HallError):
    """A terminal guessed too many numbers or codes that do not exist; it may try again later."""


class ServerUnavailable(HallError):
    """The hall server could not be reached (or answered with a fault); the terminal retries."""
