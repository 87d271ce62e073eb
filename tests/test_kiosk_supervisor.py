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


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a child not yet reaped is a zombie: gone all the same
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_stopping_the_supervisor_stops_the_kiosk_and_starts_nothing_again(tmp_path):
    """The PC's service manager stops the kiosk with SIGTERM to the supervisor: the stop reached
    only the supervisor, which died and left the full-screen kiosk running unwatched."""
    import os
    import signal
    import subprocess
    import sys
    import time

    pids = tmp_path / "pids"
    kiosk = f"import os, time; open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n'); time.sleep(60)"
    script = (f"import sys; from commands.run import supervise; "
              f"sys.exit(supervise([], command=[sys.executable, '-c', {kiosk!r}]))")
    supervisor = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True,
                                  cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    deadline = time.monotonic() + 20
    while not (pids.exists() and pids.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    (child,) = map(int, pids.read_text().split())
    supervisor.send_signal(signal.SIGTERM)
    _, said = supervisor.communicate(timeout=10)
    assert supervisor.returncode == 0 and "取号机已按要求停止" in said
    assert not _alive(child)
    time.sleep(0.3)
    assert len(pids.read_text().split()) == 1  # not started again
