"""Time to the first card and per answer at a program's scale, optionally beside Anki's backend.

    python benchmarks/review_latency.py --cards 50000 --reviews-per-card 20 --answers 1000 --json \
        [--anki /dev/shm/anki-venv/bin/python] [--runs 3] [--dir /dev/shm]

Builds the workload through ibdquiz's own schema and code: ``--cards`` cards in one deck (several
decks when one file would pass the 5 MB limit), synced by ``Store.sync_decks``; 10% new, 90% in
review with due days uniform over [today - 60, today + 300] and ``--reviews-per-card`` past
answers each, inserted in time order. Then, in a fresh process per run (imports done first, as
Anki's figure is taken):

- ``first_queue_ms``: from opening the database, through the decks' freshness check (and the
  parse and sync of any deck that changed) to the first card ready on screen (``session.show()``);
- ``answer_p50_ms`` / ``answer_p99_ms``: ``--answers`` answers of due cards through the session
  path the TUI uses (correct answers: quality 4 for flashcards, the right option or number for the
  others), each committed durably (``synchronous = FULL``) before the next card is fetched.

Prints one JSON line with those keys plus ``build_s``, ``db_bytes`` (the database with its
``-wal``), the card and review counts. With ``--anki PYTHON``, ``benchmarks/anki_latency.py``
builds the same workload in Anki's collection and times the same steps in that interpreter; the
line then also has ``anki`` (its figures) and ``ratio`` (ibdquiz / Anki). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from timings import latency_figures  # benchmarks/timings.py, beside this script

FACTS_PER_SOURCE = 20
FACTS_PER_FILE = 15_000  # ~2.6 MB of YAML: under the 5 MB limit
NEW_SHARE = 0.10
SEED = 20240101
HERE = Path(__file__).resolve().parent


def _write_decks(folder: Path, cards: int) -> None:
    """Decks whose facts give ~3 cards each (choice, numeric, recall), ``cards`` in all."""
    facts = max(1, -(-cards // 3))
    folder.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, facts, FACTS_PER_FILE), 1):
        count = min(FACTS_PER_FILE, facts - start)
        lines = [f"deck: bench-{number}", f"title: Benchmark deck {number}", "format: 1",
                 "sources:"]
        for index in range(start, start + count):
            if (index - start) % FACTS_PER_SOURCE == 0:
                source = index // FACTS_PER_SOURCE
                lines += [f"  - id: s{source}", f"    citation: Gut 2020; {source}:1-9",
                          f"    label: Cohort study {source}", "    facts:"]
            percent = 5 + (index * 7) % 90
            lines += [f"      - id: f{index}",
                      f"        ask: What share of patients in cohort {index} reached remission?",
                      f"        answer: {percent}%"]
        (folder / f"bench-{number}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(folder: Path, cards: int, reviews_per_card: int) -> dict[str, Any]:
    """Create decks and database in ``folder``; return what was built."""
    from ibdquiz.core.catalog import discover
    from ibdquiz.core.clock import system_clock
    from ibdquiz.storage.store import Store

    started = time.perf_counter()
    decks_dir = folder / "decks"
    _write_decks(decks_dir, cards)
    decks = list(discover([("bench", decks_dir)]).decks.values())
    store = Store.open(folder / "bench.db", clock=system_clock)
    store.sync_decks(decks)
    today = store.today("bench")
    store.profile("bench")
    from workload import fill_history  # beside this file

    built = fill_history(store, "bench", today, reviews_per_card, NEW_SHARE, SEED)
    store.close()
    # A fellow's next start, minutes after the decks were written: their files are compared
    # by sha256 once (synced as they were written) and their time recorded, as on any machine
    # after its first start (``storage.sync.known_deck``); the measured runs start after it.
    from workload import open_decks

    with Store.open(folder / "bench.db", clock=system_clock) as again:
        again.sync_decks(open_decks(again, decks_dir))
    built["build_s"] = round(time.perf_counter() - started, 1)
    return built


def _db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def measure(db: Path, decks: Path, answers: int) -> dict[str, Any]:
    """In this (fresh) process: first card after opening, then ``answers`` answers."""
    from workload import open_decks

    from ibdquiz.core.card import CardKind
    from ibdquiz.core.clock import system_clock
    from ibdquiz.session.study import StudySession
    from ibdquiz.storage.store import Store

    with Store.open(db, create=False) as setup:  # no daily review limit here (issue 13)
        setup.save_settings("bench", replace(setup.settings("bench"), review_limit=0))
    start = time.perf_counter()
    store = Store.open(db, create=False, clock=system_clock)
    store.sync_decks(open_decks(store, decks))
    session = StudySession(store, "bench")
    item = session.show()
    first_ms = (time.perf_counter() - start) * 1000
    timings: list[float] = []
    while item is not None and len(timings) < answers:
        begin = time.perf_counter()
        if item.card.kind is CardKind.CHOICE:
            session.answer_choice(item.correct_index or 0)
        elif item.card.kind is CardKind.NUMERIC:
            session.answer_numeric(item.card.answer.text)
        else:
            session.grade_recall(4)
        item = session.next()
        timings.append((time.perf_counter() - begin) * 1000)
    session.end()
    store.close()
    return {
        **latency_figures(first_ms, timings),
    }


def _copy(folder: Path, name: str) -> Path:
    """A copy of one side's database for one run (answers change it); decks stay in place."""
    target = folder / f"run-{name}"
    target.mkdir()
    for path in folder.iterdir():
        if path.is_file() and (path.name.startswith(("bench.db", "collection.anki2"))):
            shutil.copy2(path, target / path.name)
    return target


def _fresh(args: list[str], python: str = sys.executable) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get(
        "PYTHONPATH", "")])}
    out = subprocess.run([python, *args], capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _median_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("first_queue_ms", "answer_p50_ms", "answer_p99_ms")
    merged = dict(runs[-1])
    for key in keys:
        values = [r[key] for r in runs if r.get(key) is not None]
        merged[key] = round(statistics.median(values), 3) if values else None
        merged[f"{key}_runs"] = values
    return merged


def main() -> None:
    """Parse the arguments, build, measure (alternating with Anki), print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--reviews-per-card", type=int, default=20)
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per side (median)")
    parser.add_argument("--json", action="store_true", help="one JSON line (the default)")
    parser.add_argument("--anki", metavar="PYTHON", help="an interpreter with `anki` installed")
    parser.add_argument("--dir", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir()
                        else Path(tempfile.gettempdir()))
    parser.add_argument("--keep", action="store_true", help="keep the built files")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--decks", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.decks, args.answers)))
        return
    folder = Path(tempfile.mkdtemp(prefix="ibdquiz-latency-", dir=args.dir))
    try:
        sys.path.insert(0, str(HERE))
        result = build(folder, args.cards, args.reviews_per_card)
        result["db_bytes"] = _db_bytes(folder / "bench.db")
        anki_dir = folder / "anki"
        if args.anki:
            anki_dir.mkdir()
            anki_built = _fresh([str(HERE / "anki_latency.py"), "build", str(anki_dir),
                                 str(args.cards), str(args.reviews_per_card)], args.anki)
        ours: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        for _ in range(args.runs):  # alternate the two sides, run by run, each on a fresh copy
            run = _copy(folder, "ibdquiz")
            ours.append(_fresh([__file__, "--measure", str(run / "bench.db"), "--decks",
                                str(folder / "decks"), "--answers", str(args.answers)]))
            shutil.rmtree(run)
            if args.anki:
                run = _copy(anki_dir, "anki")
                theirs.append(_fresh([str(HERE / "anki_latency.py"), "measure", str(run),
                                      str(args.answers)], args.anki))
                shutil.rmtree(run)
        result.update(_median_runs(ours))
        if args.anki:
            anki = {**anki_built, **_median_runs(theirs)}
            result["anki"] = anki
            result["ratio"] = {
                key: round(result[key] / anki[key], 2)
                for key in ("first_queue_ms", "answer_p50_ms", "answer_p99_ms", "db_bytes")
                if result.get(key) and anki.get(key)
            }
        print(json.dumps(result))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept {folder}", file=sys.stderr)


if __name__ == "__main__":
    random.seed(SEED)
    main()
