"""Kiosk speed as a citizen feels it, offscreen with the real drivers and simulators.

1. Cold start: a new Python process from exec to the kiosk's home screen shown (aim < 1.5 s).
2. Whole visits in a running event loop: home -> category -> matter -> the checklist's answers
   and ticks -> identity (a card laid on the simulated reader) -> 取号 -> the ticket printed on
   the simulated printer (pty, real baud) -> 完成 (every fourth visit: the idle reset instead).
   Every tap is a timer event performing a real mouse click, so a 5 ms heartbeat timer keeps
   beating through taps, resets and deferred deletions; the longest gap between two beats in a
   visit is the longest time the citizen's screen froze (aim < 50 ms). Interleaved with the
   visits, the same heartbeat over an equally long idle period gives the machine's own noise.
   Also: the touch on 取号 to the whole ticket at the printer (aim < 300 ms).
3. Memory over many visits: resident memory, Qt objects under the kiosk and live Python objects
   after a warm-up and after `--visits` more (aim < 2 MB growth), and the curve every 100 visits
   with what malloc holds in use and Python's own heap beside the resident figure, so growth
   that settles (allocator pages) can be told from growth that goes on (something kept).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_bench.py [--visits 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

# offscreen, on a screen the kiosk's size: the default offscreen screen is 800 x 800, and a touch
# a scroll area's flick gesture replays is dropped when it lies beyond the screen
_SCREEN = Path(tempfile.gettempdir()) / "ui_bench_kiosk_screen.json"
_SCREEN.write_text('{"screens": [{"name": "kiosk", "x": 0, "y": 0, "width": 1080, "height": 1920,'
                   ' "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}')
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD_START = """
import sys, time
from ui.app import create_application
from kiosk import open_hall
from ui.terminal import make_context
from ui.kiosk import KioskWindow
app = create_application()
hall = open_hall(sys.argv[1])
window = KioskWindow(make_context(hall), poll_printer=False)
window.show()
app.processEvents()
window.grab()  # the home screen is painted
print(time.time(), flush=True)
"""

STALL_AIM_MS = 50.0
PRINT_AIM_MS = 300.0
MEMORY_AIM_MB = 2.0  # the "2 MB": 2,000,000 bytes, about 1.91 MiB
MIB_PER_MB = 1_000_000 / 1_048_576
MEMORY_EVERY = 100  # visits between two points of the memory curve
HEARTBEAT_MS = 5
TAP_GAP_MS = 30  # a quick citizen: one touch every 30 ms (real ones are slower, which only helps)
WAIT_LIMIT_S = 10.0
IDLE_RESET_EVERY = 4  # every fourth visit ends by the idle reset instead of 完成
WARM_UP_VISITS = 20
IDLE_SAMPLES = 50  # interleaved idle periods, spread evenly over the visits


def cold_start(db: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run([sys.executable, "-c", COLD_START, str(db)], cwd=ROOT, capture_output=True, text=True,
                             check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]) - start)
    return times


def rss_mb() -> float:
    """Resident memory of this process now, in MiB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def malloc_in_use_mb() -> float:
    """What glibc's malloc has handed out and not had back, every arena (Qt's and Python's
    large blocks), in MiB; NaN where there is no mallinfo2. Resident memory above it is free
    space the allocator keeps."""
    try:
        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return float("nan")
    return (info.uordblks + info.hblkhd) / (1024 * 1024)




def _floats() -> array:
    """The bench's own figures, 8 bytes each: as a list of float objects they were ~15 Python
    objects more per visit in the very heap whose growth the bench measures."""
    return array("d")


def _thread_usage() -> tuple[int, int, int]:
    """This thread's voluntary and involuntary context switches and the process's full
    collections so far (getrusage RUSAGE_THREAD is Linux's; elsewhere zeros)."""
    gen2 = gc.get_stats()[2]["collections"]
    if not hasattr(resource, "RUSAGE_THREAD"):
        return 0, 0, gen2
    ru = resource.getrusage(resource.RUSAGE_THREAD)
    return ru.ru_nvcsw, ru.ru_nivcsw, gen2


@dataclass(frozen=True)
class Attribution:
    """One heartbeat gap and what the GUI thread did in it: `cpu` seconds of its own work, how
    often it waited (voluntary switches: the GIL, a lock, the disk), how often the machine took
    the CPU from it (involuntary), how many full collections ran, and the step before it."""

    gap: float
    cpu: float
    waited: int
    preempted: int
    full_collections: int
    step: str

    def __str__(self) -> str:
        return (f"{self.gap * 1000:.1f} ms after {self.step or 'no step'}: GUI thread on the CPU"
                f" {self.cpu * 1000:.1f} ms, waited {self.waited}x, preempted {self.preempted}x,"
                f" full collections {self.full_collections}")


def _longest(kept: Attribution | None, new: Attribution | None) -> Attribution | None:
    return new if new is not None and (kept is None or new.gap > kept.gap) else kept


@dataclass
class Heartbeat:
    """A 5 ms timer; the longest gap between its beats, per phase ("visit" or "idle")."""

    phase: str = ""
    worst: float = 0.0
    beats: int = 0
    last: float = field(default_factory=time.perf_counter)
    doing: str = ""  # the citizen's last step: the gap up to the next beat is put down to it
    by_step: dict[str, array] = field(default_factory=dict)  # step -> its longest gap, each visit
    # step -> the GUI thread's CPU time in the gap after it (the most in one visit), each visit:
    # the kiosk's own cost of a step, which a busy machine can stretch but not shorten
    cpu_by_step: dict[str, array] = field(default_factory=dict)
    _visit_steps: dict[str, float] = field(default_factory=dict)
    _visit_cpu: dict[str, float] = field(default_factory=dict)
    # what the GUI thread did in the phase's longest gap, so a stall can be put down to the kiosk's
    # own work (CPU time on the GUI thread) or to waiting (for the GIL, a lock, the disk) or to the
    # machine taking the CPU away (involuntary switches): see `Attribution`
    worst_why: Attribution | None = None
    _cpu: float = field(default_factory=time.thread_time)
    _usage: tuple[int, int, int] = (0, 0, 0)

    def beat(self) -> None:
        now = time.perf_counter()
        cpu = time.thread_time()
        usage = _thread_usage()
        gap, self.last = now - self.last, now
        cpu_used, self._cpu = cpu - self._cpu, cpu
        switches, self._usage = tuple(a - b for a, b in zip(usage, self._usage, strict=True)), usage
        if self.phase:
            if gap > self.worst:
                self.worst = gap
                self.worst_why = Attribution(gap, cpu_used, *switches, self.doing)  # type: ignore[misc]
            self.beats += 1
            if self.phase == "visit" and self.doing:
                self._visit_steps[self.doing] = max(gap, self._visit_steps.get(self.doing, 0.0))
                self._visit_cpu[self.doing] = max(cpu_used, self._visit_cpu.get(self.doing, 0.0))
        self.doing = ""

    def start_phase(self, phase: str) -> None:
        self.phase, self.worst, self.beats, self.worst_why = phase, 0.0, 0, None
        self._visit_steps, self._visit_cpu = {}, {}

    def end_phase(self, keep_steps: bool = False) -> float:
        if keep_steps:
            for step, gap in self._visit_steps.items():
                self.by_step.setdefault(step, _floats()).append(gap)
            for step, cpu in self._visit_cpu.items():
                self.cpu_by_step.setdefault(step, _floats()).append(cpu)
        self.phase = ""
        return self.worst


@dataclass(frozen=True)
class Sample:
    """Memory after `visits` measured visits (0: after the warm-up), a collection first."""

    visits: int
    rss_mb: float
    malloc_mb: float  # in use by malloc (malloc_in_use_mb)
    python_blocks: int  # sys.getallocatedblocks(): Python's own heap, in blocks
    qobjects: int  # QObjects under the kiosk
    widgets: int  # QApplication.allWidgets()
    python_objects: int  # gc.get_objects()


@dataclass
class Results:
    visit_gaps: array = field(default_factory=_floats)  # the longest heartbeat gap of each visit (s)
    idle_gaps: array = field(default_factory=_floats)  # of each interleaved idle period (s)
    visit_seconds: array = field(default_factory=_floats)
    print_latencies: array = field(default_factory=_floats)  # touch on 取号 -> whole ticket at the printer
    idle_resets: int = 0
    memory: list[Sample] = field(default_factory=list)  # after the warm-up, every 100 visits, at the end
    error: str = ""
    by_step: dict[str, array] = field(default_factory=dict)  # step -> its longest gap, each visit
    cpu_by_step: dict[str, array] = field(default_factory=dict)  # step -> GUI-thread CPU in that gap, each visit
    stalls: list[Attribution] = field(default_factory=list)  # each visit's longest gap past the aim
    visit_worst: Attribution | None = None  # the longest gap of all visits
    idle_worst: Attribution | None = None  # the longest gap of all idle periods


class Citizen:
    """Plays visits as a script of steps, each run from a timer event of the running loop.

    A step either taps (a real mouse click on the widget the screen shows) or waits for
    something (a screen, the card, the printer); the next step follows TAP_GAP_MS later.
    """

    def __init__(self, app, kiosk, devices, matters: list, visits: int, warm_up: int, heart: Heartbeat,
                 results: Results) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        self.app, self.kiosk, self.devices, self.matters = app, kiosk, devices, matters
        self.printer = devices.demo.printer
        self.reader = devices.demo.idcard
        self.visits, self.warm_up = visits, warm_up
        self.to_bring = {m.code: kiosk.hall.checklist(m.code, m.conditions).to_bring for m in matters}
        self.heart, self.results = heart, results
        self.loop = QEventLoop()
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._step)
        self.steps: list[Callable[[], bool]] = []
        self.visit = 0
        self.idle_every = max(1, visits // IDLE_SAMPLES)
        self.waiting_since = 0.0
        self.visit_started = 0.0
        self.printed_from = 0
        self.idle_until = 0.0
        self.bookkeeping_from = 0.0  # when the bench's own work between two visits began

    # --- the script ---------------------------------------------------------------

    def run(self) -> None:
        self.bookkeeping_from = time.perf_counter()
        self._next_visit()
        self.loop.exec()

    def _later(self, ms: int = TAP_GAP_MS) -> None:
        self.timer.start(ms)

    def _step(self) -> None:
        try:
            while self.steps:
                if not self.steps[0]():  # a wait not yet over: look again at the next beat
                    if time.perf_counter() - self.waiting_since > WAIT_LIMIT_S:
                        raise RuntimeError(f"visit {self.visit}: stuck at {self.steps[0].__name__}"
                                           f" on screen {self.kiosk.current}")
                    self._later(HEARTBEAT_MS)
                    return
                done = self.steps.pop(0)
                self.heart.doing = done.__name__
                self.waiting_since = time.perf_counter()
                if getattr(done, "tap", False):
                    self._later()
                    return
            self._visit_done()
        except Exception as exc:  # reported, and the loop ends: a bench must not hang
            self.results.error = f"{type(exc).__name__}: {exc}"
            self.loop.quit()

    def _tap(self, name: str, find: Callable[[], object]) -> Callable[[], bool]:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        def tap() -> bool:
            widget = find()
            _scroll_to(widget)  # the citizen drags the list until the row is in view
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
            return True

        tap.tap = True  # type: ignore[attr-defined]
        tap.__name__ = "tap " + name
        return tap

    def _until(self, name: str, ready: Callable[[], bool]) -> Callable[[], bool]:
        def wait() -> bool:
            return ready()

        wait.__name__ = name
        return wait

    def _next_visit(self) -> None:
        if self.visit >= self.warm_up + self.visits:
            self.loop.quit()
            return
        measured = self.visit - self.warm_up
        if measured >= 0 and measured % MEMORY_EVERY == 0:
            self._sample_memory(measured)
        self.visit += 1
        k = self.kiosk
        m = self.matters[self.visit % len(self.matters)]
        home, matters, checklist = k.screens["home"], k.screens["matters"], k.screens["checklist"]
        identity, ticket = k.screens["identity"], k.screens["ticket"]
        steps: list[Callable[[], bool]] = [
            self._until("home", lambda: k.current == "home"),
            self._tap("category", lambda: home.category_buttons[m.category]),
            self._until("matters", lambda: k.current == "matters" and m.code in matters.matter_buttons),
            self._tap("matter", lambda: matters.matter_buttons[m.code]),
            self._until("checklist", lambda: k.current == "checklist"),
        ]
        for cond in m.conditions:  # 是 to each situation: the checklist grows by what it brings
            steps.append(self._tap("是", lambda c=cond: checklist.answer_buttons[(c, True)]))
        for item in self.to_bring[m.code]:  # every material ticked 已带
            steps.append(self._tap("已带", lambda i=item.id: checklist.tick_buttons[i]))
        steps += [
            self._tap("下一步", lambda: checklist.take_button),
            self._until("identity", lambda: k.current == "identity"),
            self._until("card laid", self._lay_card),
            self._until("card read", lambda: bool(k.session.id_number)),
            # a printer status answer lost on a busy machine pauses 取号 until the next poll says ready
            self._until("取号 offered", lambda: identity.take_button.isEnabled()),
            self._tap("取号", lambda: identity.take_button),
            self._until("ticket printed", self._printed),
        ]
        if self.visit % IDLE_RESET_EVERY == 0:
            steps.append(self._until("idle reset", self._idle_reset))
        else:
            steps.append(self._tap("完成", lambda: ticket.done_button))
        steps += [
            self._until("back home", lambda: k.current == "home" and k.session.ticket is None),
            self._until("settled", self._settled),
        ]
        self.steps = steps
        self.printed_from = len(self.printer.printed)
        self.visit_started = self.waiting_since = time.perf_counter()
        self.heart.start_phase("visit")
        # The bench's own bookkeeping since the last visit (or idle period) ended is not the
        # kiosk's: the heartbeat's clock skips exactly that long. Whatever else delayed the beat
        # (the last reset's deferred work, a kiosk timer) stays in this visit's first gap.
        self.heart.last += self.visit_started - self.bookkeeping_from
        self.heart.doing = "before the first tap"
        self._later()

    def _lay_card(self) -> bool:
        self.reader.place(self.visit % 2)  # a different card each time: each is read once
        return True

    def _printed(self) -> bool:
        k = self.kiosk
        out = bytes(self.printer.printed[self.printed_from:])  # read in place: asking the printer's thread waits on it
        t = k.session.ticket
        if t is None or t.ref.encode() not in out or not out.endswith((b"\x1dV\x00", b"\x1dV\x01", b"\x1dVB\x00")):
            return False
        if k.last_take_started is not None:
            self.results.print_latencies.append(time.perf_counter() - k.last_take_started)
        return k.screens["ticket"].print_state.text().startswith("✓")

    def _idle_reset(self) -> bool:
        """The idle time ran out: what the watcher does when its time is up."""
        expire = getattr(self.kiosk.idle, "expire", None)
        if expire is not None:
            expire()
        else:  # the watcher without a countdown: its timer calls on_idle
            self.kiosk.on_idle()
        self.results.idle_resets += 1
        return True

    def _settled(self) -> bool:
        """Three more beats after the reset, so its deferred deletions are in the visit."""
        if not hasattr(self, "_settle_at"):
            self._settle_at = time.perf_counter() + 3 * HEARTBEAT_MS / 1000
        if time.perf_counter() < self._settle_at:
            return False
        del self._settle_at
        return True

    def _visit_done(self) -> None:
        self.bookkeeping_from = time.perf_counter()
        gap = self.heart.end_phase(keep_steps=self.visit > self.warm_up)
        # the simulators run in this process and keep every byte printed and every request the
        # reader sent: forget them, so the memory measured is the kiosk's
        self.printer.printed.clear()  # each a single step under the GIL: no need to wait on their threads
        self.reader.requests.clear()
        took = time.perf_counter() - self.visit_started
        if self.visit > self.warm_up:
            self.results.visit_gaps.append(gap)
            why = self.heart.worst_why
            if why is not None and gap * 1000 >= STALL_AIM_MS:
                self.results.stalls.append(why)
            self.results.visit_worst = _longest(self.results.visit_worst, why)
            self.results.visit_seconds.append(took)
        if self.visit > self.warm_up and (self.visit - self.warm_up) % self.idle_every == 0:
            self.idle_until = time.perf_counter() + took  # the machine's noise over as long a while
            self.heart.start_phase("idle")
            self.timer.timeout.disconnect(self._step)
            self.timer.timeout.connect(self._idle_over)
            self._later(round(took * 1000))
        else:
            self._next_visit()

    def _idle_over(self) -> None:
        self.bookkeeping_from = time.perf_counter()
        self.timer.timeout.disconnect(self._idle_over)
        self.timer.timeout.connect(self._step)
        why = self.heart.worst_why
        self.results.idle_gaps.append(self.heart.end_phase())
        self.results.idle_worst = _longest(self.results.idle_worst, why)
        self._next_visit()

    def _sample_memory(self, visits: int) -> None:
        from PySide6.QtCore import QObject

        gc.collect()
        self.results.memory.append(Sample(visits, rss_mb(), malloc_in_use_mb(), sys.getallocatedblocks(),
                                          len(self.kiosk.findChildren(QObject)), len(self.app.allWidgets()),
                                          len(gc.get_objects()) + gc.get_freeze_count()))  # frozen ones too


def _scroll_to(widget) -> None:
    """Bring `widget` into view in every scroll area it sits in, innermost first."""
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 0, 0)
        parent = parent.parentWidget()


def visits(db: Path, count: int, warm_up: int) -> Results:
    from PySide6.QtCore import Qt, QTimer

    from kiosk import open_hall
    from ui.app import create_application
    from ui.kiosk import KioskWindow
    from ui.terminal import connect_devices, make_context

    app = create_application()
    hall = open_hall(db)
    ctx = make_context(hall)
    devices = connect_devices(ctx, simulate_missing=True)  # the reader, printer and scanner simulated on ptys, their drivers polling
    kiosk = KioskWindow(ctx, poll_printer=True)
    kiosk.move(0, 0)
    kiosk.show()
    from ui.launcher import warm_up as launcher_warm_up

    launcher_warm_up()  # what the launcher does once the first screen is up (imports, long-lived objects frozen)
    # a hall gives at most 999 tickets a day per category: the visits go round the categories,
    # each to its matter with the most situations to answer
    matters = []
    for c in hall.categories():
        hall.save_category(replace(c, daily_cap=999))
        if hall.matters(c.prefix):
            matters.append(max(hall.matters(c.prefix), key=lambda m: len(m.conditions)))
    heart = Heartbeat()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(HEARTBEAT_MS)
    timer.timeout.connect(heart.beat)
    timer.start()
    results = Results()
    citizen = Citizen(app, kiosk, devices, matters, count, warm_up, heart, results)
    try:
        citizen.run()
        results.by_step = heart.by_step
        results.cpu_by_step = heart.cpu_by_step
        if not results.error and results.memory[-1].visits != count:
            citizen._sample_memory(count)
    finally:
        timer.stop()
        kiosk.may_close = True
        kiosk.close()
        devices.stop()
        ctx.close()
        hall.close()
    return results


def _ms(values: array) -> str:
    return f"median {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=200, help="visits measured after the warm-up (default 200)")
    parser.add_argument("--warm-up", type=int, default=WARM_UP_VISITS)
    parser.add_argument("--runs", type=int, default=5, help="cold starts")
    args = parser.parse_args()
    from kiosk import open_hall

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hall.db"
        open_hall(db, seed_demo=True).close()
        if args.runs:
            starts = cold_start(db, args.runs)
            met = "met" if max(starts) < 1.5 else "not met"
            print(f"cold start to kiosk home: median {statistics.median(starts) * 1000:.0f} ms,"
                  f" max {max(starts) * 1000:.0f} ms over {args.runs} runs (aim < 1500 ms: {met})")
        r = visits(db, args.visits, args.warm_up)
    if r.error:
        print(f"the visits stopped: {r.error}")
        return 1
    n = len(r.visit_gaps)
    print(f"{n} whole visits after {args.warm_up} warm-up visits ({r.idle_resets} ended by the idle reset),"
          f" each {statistics.median(r.visit_seconds):.2f} s (median), one tap every {TAP_GAP_MS} ms")
    worst = max(r.visit_gaps) * 1000
    print(f"GUI thread, longest gap between {HEARTBEAT_MS} ms heartbeats in a visit: {_ms(r.visit_gaps)}"
          f" (aim < {STALL_AIM_MS:.0f} ms: {'met' if worst < STALL_AIM_MS else 'not met'})")
    steps = sorted(r.by_step.items(), key=lambda kv: -statistics.median(kv[1]))
    print("  longest gap after each step (median over visits): "
          + ", ".join(f"{step} {statistics.median(v) * 1000:.0f} ms" for step, v in steps[:8]))
    worst_steps = sorted(r.by_step.items(), key=lambda kv: -max(kv[1]))[:3]
    over = sum(1 for g in r.visit_gaps if g * 1000 >= STALL_AIM_MS)
    print(f"  visits with a gap of {STALL_AIM_MS:.0f} ms or more: {over} of {n}; the longest after a step: "
          + ", ".join(f"{step} {max(v) * 1000:.0f} ms" for step, v in worst_steps))
    cpu_steps = sorted(r.cpu_by_step.items(), key=lambda kv: -statistics.median(kv[1]))[:6]
    print("  GUI thread's CPU time in the gap after each step (median / max over visits): "
          + ", ".join(f"{step} {statistics.median(v) * 1000:.1f} / {max(v) * 1000:.1f} ms" for step, v in cpu_steps))
    print(f"  the same heartbeat over {len(r.idle_gaps)} equally long idle periods, interleaved"
          f" (the machine's own noise): {_ms(r.idle_gaps)}")
    for why in r.stalls:
        print(f"  stall {why}")
    if r.visit_worst is not None:
        print(f"  longest visit gap {r.visit_worst}")
    if r.idle_worst is not None:
        print(f"  longest idle gap {r.idle_worst}")
    lat = r.print_latencies
    print(f"touch on 取号 -> whole ticket at the simulated printer: {_ms(lat)} over {len(lat)} tickets"
          f" (aim < {PRINT_AIM_MS:.0f} ms: {'met' if statistics.median(lat) * 1000 < PRINT_AIM_MS else 'not met'},"
          f" median)")
    first, last = r.memory[0], r.memory[-1]
    growth = last.rss_mb - first.rss_mb  # MiB, as every memory figure here
    growth_mb = growth / MIB_PER_MB
    print(f"memory over {n} visits: resident {first.rss_mb:.1f} MiB after warm-up -> {last.rss_mb:.1f} MiB,"
          f" growth {growth:+.2f} MiB = {growth_mb:+.2f} MB"
          f" (aim < {MEMORY_AIM_MB:.0f} MB: {'met' if growth_mb < MEMORY_AIM_MB else 'not met'})")
    print(f"  QObjects under the kiosk {first.qobjects} -> {last.qobjects}; application widgets {first.widgets} ->"
          f" {last.widgets}; Python objects {first.python_objects} -> {last.python_objects}")
    print("  the curve (visits: resident / in use by malloc, MiB; Python heap blocks):")
    for m in r.memory:
        print(f"    {m.visits:5d}: {m.rss_mb:7.2f} / {m.malloc_mb:7.2f}  {m.python_blocks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
