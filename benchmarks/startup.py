"""Start-up time: how long until a fellow sees something, and until the decks are ready.

Runs the real ``ibdquiz`` in a pseudo-terminal (80×24) on a fresh database, several times, and
prints the median and worst time to (1) the home screen's title, (2) the deck table with its
counts, and the time of ``ibdquiz --help`` (which must not import Textual).

With ``--first-question`` it instead times ``ibdquiz study`` on the bundled deck to its first
question on screen, warm (the database already made and the decks synced by a first start, which
is reported apart as the cold start), alternating run by run with ``benchmarks/minimal_app.py``
(the smallest Textual app, one Static line) timed the same way, and prints both medians and
their ratio (target: at most 1.3).

    python benchmarks/startup.py [--runs 5]
    python benchmarks/startup.py --first-question [--runs 15]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HOME_TITLE = b"home"
DECK_ROW = b"Tacrolimus"


def _time_to(
    markers: list[bytes], db: Path, timeout: float = 30.0, argv: list[str] | None = None
) -> list[float]:
    """Seconds from launch until each marker first appears on the terminal."""
    command = argv or [sys.executable, "-m", "ibdquiz", "--db", str(db)]
    pid, fd = pty.fork()
    if pid == 0:  # the child: become ibdquiz
        os.execvpe(
            command[0], command,
            {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"},
        )
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    seen: list[float] = []
    screen = b""
    try:
        while len(seen) < len(markers) and time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                screen += os.read(fd, 65536)
            except OSError:
                break
            while len(seen) < len(markers) and markers[len(seen)] in screen:
                seen.append(time.perf_counter() - start)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if len(seen) < len(markers):
        raise SystemExit(f"the app did not show {markers[len(seen)]!r} within {timeout} s")
    return seen


def _help_time() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ibdquiz", "--help"], check=True, capture_output=True)
    return time.perf_counter() - start


MINIMAL_MARK = b"minimal textual app ready"


def _first_prompt(db: Path) -> bytes:
    """The start of the first question a study session on ``db`` asks (what to wait for)."""
    from ibdquiz.session.study import StudySession
    from ibdquiz.storage.store import Store

    with Store.open(db) as store:
        session = StudySession(store, "default")
        item = session.show()
        if item is None:
            raise SystemExit("no first question: is the bundled deck installed?")
        words = item.card.prompt.split()[:3]
        session.end()
    return " ".join(words).encode()


def first_question(runs: int) -> None:
    """Warm ``ibdquiz study`` to its first question against the minimal app, alternating."""
    here = Path(__file__).resolve().parent
    minimal = [sys.executable, str(here / "minimal_app.py")]
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        db = Path(tmp) / "warm.db"
        study = [sys.executable, "-m", "ibdquiz", "--db", str(db), "study"]
        cold = _time_to([b"ibdquiz"], db, argv=[sys.executable, "-m", "ibdquiz", "--db", str(db)])
        _time_to([HOME_TITLE, DECK_ROW], db)  # decks synced: every later start is warm
        mark = _first_prompt(db)
        cold_question = _time_to([mark], db, argv=study)[0]
        ours, reference = [], []
        for _ in range(runs):
            reference.append(_time_to([MINIMAL_MARK], db, argv=minimal)[0])
            ours.append(_time_to([mark], db, argv=study)[0])
    ratio = statistics.median(ours) / statistics.median(reference)
    print(json.dumps({
        "runs": runs,
        "study_first_question_ms": round(statistics.median(ours) * 1000),
        "minimal_app_ms": round(statistics.median(reference) * 1000),
        "ratio": round(ratio, 2),
        "cold_first_screen_ms": round(cold[0] * 1000),
        "first_question_after_cold_ms": round(cold_question * 1000),
    }))


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-question", action="store_true")
    args = parser.parse_args()
    runs = args.runs
    if args.first_question:
        first_question(runs)
        return
    first, ready, helps = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            db = Path(tmp) / f"run{i}.db"  # a fresh database each time: the worst case
            shown, loaded = _time_to([HOME_TITLE, DECK_ROW], db)
            first.append(shown)
            ready.append(loaded)
            helps.append(_help_time())

    def fmt(values: list[float]) -> str:
        median, worst = statistics.median(values) * 1000, max(values) * 1000
        return f"median {median:.0f} ms, worst {worst:.0f} ms"

    print(f"{runs} runs, fresh database each, 80x24 pseudo-terminal")
    print(f"home screen shown:        {fmt(first)}")
    print(f"decks synced and counted: {fmt(ready)}")
    print(f"ibdquiz --help:           {fmt(helps)}")


if __name__ == "__main__":
    main()
