"""Keeping what a program holds for good out of Python's full collections.

A full collection walks every object the process holds and stops the thread that triggered it
while it does: ~30 ms on a kiosk's GUI thread with the screens built, 12-26 ms on the hall
server's event loop under load (added to every request in flight). What is alive once a terminal
has its screens up, or once a server has started (modules, the hall, the pools), lives as long
as the program, so it is collected once more and then frozen: full passes walk only what came
since. Only for a process that is just that terminal or server: a test process's objects must
stay collectable.
"""

from __future__ import annotations

import gc


def keep_long_lived_out_of_collections() -> None:
    gc.collect()
    gc.freeze()


def release_frozen() -> bool:
    """Make the frozen objects collectable again (a kiosk rebuilt its screens, so the old ones'
    objects may now be garbage); True if there were any, so the caller freezes again later."""
    if not gc.get_freeze_count():
        return False
    gc.unfreeze()
    return True
