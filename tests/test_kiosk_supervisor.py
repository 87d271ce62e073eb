"""A full-screen kiosk that dies is started again; only a normal exit (after the PIN) ends it."""

from commands.run import supervise


def test_a_kiosk_that_crashes_or_is_killed_is_started_again_until_it_exits_normally():
    codes = iter([1, -9, 0])  # a crash, a kill, then the manager's exit
    spawned, slept = [], []
    rc = supervise(["run", "--role", "kiosk"], spawn=lambda cmd: spawned.append(cmd) or next(codes),
                   sleep=slept.append)
    assert rc == 0 and len(spawned) == 3 and len(slept) == 2
    assert all("--no-supervise" in cmd for cmd in spawned)
    assert slept[1] >= slept[0]  # dying again at once: waits a little longer


def test_a_kiosk_registered_as_another_kind_of_terminal_is_not_started_again_and_again():
    from commands.run import NOT_THIS_TERMINAL

    spawned: list = []
    rc = supervise(["run", "--role", "kiosk"], spawn=lambda cmd: spawned.append(cmd) or NOT_THIS_TERMINAL,
                   sleep=lambda s: None)
    assert rc == NOT_THIS_TERMINAL and len(spawned) == 1
