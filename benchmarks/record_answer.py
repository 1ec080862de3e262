"""Record answers on a real database file and print milliseconds per answer (p50/p95).

Run: ``python benchmarks/record_answer.py [N]`` (default 2,000 answers). Each answer goes through
the one recording path (``StudySession`` → ``record_answer``: SM-2, state, review row, commit).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ibdquiz.core.card import CardKind
from ibdquiz.core.deckload import load_deck
from ibdquiz.core.queue import SessionFilters
from ibdquiz.paths import bundled_decks_dir
from ibdquiz.session.study import StudySession
from ibdquiz.storage.store import Store


def main(count: int) -> None:
    """Answer ``count`` cards, a study day after another, and report the time per answer."""
    decks = [r.deck for r in map(load_deck, sorted(bundled_decks_dir().glob("*.yaml"))) if r.deck]
    moment = [datetime(2024, 1, 1, 9, tzinfo=timezone.utc)]
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.db", clock=lambda: moment[0])
        store.sync_decks(decks)
        timings: list[float] = []
        grade = 0
        while len(timings) < count:
            session = StudySession(store, "bench", SessionFilters(new_limit=50))
            item = session.show()
            while item is not None and len(timings) < count:
                start = time.perf_counter()
                if item.card.kind is CardKind.CHOICE:
                    session.answer_choice(grade % len(item.options))
                elif item.card.kind is CardKind.NUMERIC:
                    answer = item.card.answer
                    typed = f"{answer.value}" if answer.denominator else answer.text
                    session.answer_numeric(typed)
                else:
                    session.grade_recall(grade % 6)
                item = session.next()  # the next card drawn, as the screen does
                timings.append((time.perf_counter() - start) * 1000)
                grade += 1
            session.end()
            moment[0] += timedelta(days=1)
        store.close()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{count} answers: p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms per answer")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
