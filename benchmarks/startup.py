"""Start-up time: how long until a fellow sees something, and until the decks are ready.

Runs the real ``ibdquiz`` in a pseudo-terminal (80×24) on a fresh database, several times, and
prints the median and worst time to (1) the home screen's title, (2) the deck table with its
counts, and the time of ``ibdquiz --help`` (which must not import Textual).

    python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import fcntl
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


def _time_to(markers: list[bytes], db: Path, timeout: float = 30.0) -> list[float]:
    """Seconds from launch until each marker first appears on the terminal."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become ibdquiz
        os.execvpe(
            sys.executable,
            [sys.executable, "-m", "ibdquiz", "--db", str(db)],
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


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
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
