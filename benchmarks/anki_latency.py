"""Anki's side of ``review_latency.py``: run with an interpreter that has ``anki`` installed.

    anki_latency.py build FOLDER CARDS REVIEWS_PER_CARD   -> {"build_s", "db_bytes", ...}
    anki_latency.py measure FOLDER ANSWERS                -> {"first_queue_ms", ...}

The same workload as ibdquiz's: CARDS Basic notes in one deck, 10% new, 90% in review with due
days uniform over [today - 60, today + 300] and REVIEWS_PER_CARD revlog rows each (time order);
new cards 20 a day, the review limit set high enough to be none. ``measure`` times opening the
collection to the first queued card (v3 scheduler), then ANSWERS answers rated Good, each
followed by fetching the next card. Anki commits every operation; its SQLite runs WAL with the
``synchronous`` value printed in ``synchronous``.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from timings import latency_figures  # benchmarks/timings.py, beside this script

SEED = 20240101
NEW_SHARE = 0.10


def build(folder: Path, cards: int, reviews_per_card: int) -> dict[str, object]:
    """A collection with the workload; returns its size and counts."""
    from anki.collection import Collection

    started = time.perf_counter()
    rng = random.Random(SEED)
    col = Collection(str(folder / "collection.anki2"))
    deck_id = col.decks.id("Benchmark")
    assert deck_id is not None
    conf = col.decks.config_dict_for_deck_id(deck_id)
    conf["new"]["perDay"] = 20
    conf["rev"]["perDay"] = 9999  # Anki's maximum: no limit for this workload
    col.decks.update_config(conf)
    col.decks.select(deck_id)  # the queue is the current deck's
    model = col.models.by_name("Basic")
    assert model is not None
    for index in range(cards):
        note = col.new_note(model)
        note["Front"] = f"What share of patients in cohort {index} reached remission?"
        note["Back"] = f"{5 + (index * 7) % 90}%"
        col.add_note(note, deck_id)
    today = col.sched.today
    ids = col.db.list("SELECT id FROM cards ORDER BY id")
    updates = []
    revlog = []
    now_ms = int(time.time() * 1000)
    for card_id in ids:
        if rng.random() < NEW_SHARE:
            continue
        due = today + rng.randint(-60, 300)
        interval = max(1, min(365, due - today + rng.randint(30, 120)))
        updates.append((due, interval, card_id))
        last = (due - interval - today) * 86_400_000 + now_ms
        for k in range(reviews_per_card):
            at = last - (reviews_per_card - 1 - k) * max(1, interval // 2) * 86_400_000
            revlog.append((at * 1000 + rng.randint(0, 999), card_id, 3, interval, interval, 2500,
                           4000, 1 if k else 0))
    revlog.sort()
    col.db.executemany(
        "UPDATE cards SET type = 2, queue = 2, due = ?, ivl = ?, factor = 2500, reps = 20"
        " WHERE id = ?", updates,
    )
    col.db.executemany(
        "INSERT OR IGNORE INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", revlog,
    )
    col.close()
    path = folder / "collection.anki2"
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return {"build_s": round(time.perf_counter() - started, 1), "db_bytes": size,
            "cards": len(ids), "reviews": len(revlog)}


def measure(folder: Path, answers: int) -> dict[str, object]:
    """First queued card after opening, then ``answers`` Good answers each with the next fetch."""
    import anki.collection  # first: importing anki.cards alone is a circular import
    from anki import cards
    from anki.scheduler_pb2 import CardAnswer

    Collection = anki.collection.Collection
    Card = cards.Card

    start = time.perf_counter()
    col = Collection(str(folder / "collection.anki2"))
    queued = col.sched.get_queued_cards(fetch_limit=1)
    first_ms = (time.perf_counter() - start) * 1000
    synchronous = col.db.scalar("PRAGMA synchronous")
    timings: list[float] = []
    while queued.cards and len(timings) < answers:
        begin = time.perf_counter()
        top = queued.cards[0]
        card = Card(col)
        card._load_from_backend_card(top.card)
        card.start_timer()
        answer = col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
        col.sched.answer_card(answer)
        queued = col.sched.get_queued_cards(fetch_limit=1)
        timings.append((time.perf_counter() - begin) * 1000)
    col.close()
    return {
        **latency_figures(first_ms, timings), "synchronous": synchronous,
    }


if __name__ == "__main__":
    if sys.argv[1] == "build":
        print(json.dumps(build(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
    else:
        print(json.dumps(measure(Path(sys.argv[2]), int(sys.argv[3]))))
