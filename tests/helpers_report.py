"""Realistic ibdquiz export documents (docs/rules.md) for the report tests and the benchmark.

The facts are those of the seed article (the tacrolimus deck); nothing here is medical content
of its own. ``make_export`` simulates a fellow's study history reproducibly from a seed:
new cards and scheduled reviews (counted), same-day re-drills after a wrong answer, and a little
practice (not counted), with timestamps in the fellow's local offset.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

MAYO = "Inflamm Bowel Dis 2013; 19:1107-11"


@dataclass(frozen=True)
class SeedFact:
    """One fact of the seed article, as a deck would hold it."""

    deck: str
    source: str
    label: str
    citation: str
    fact: str
    ask: str
    answer: str
    tags: tuple[str, ...]


DECK_TITLES = {
    "tacrolimus-refractory-crohns": "Tacrolimus for refractory Crohn's disease",
    "tacrolimus-other-studies": "Tacrolimus: other studies",
}

_MAYO = ("tacrolimus-refractory-crohns", "mayo-2013", "Mayo Clinic series, 2013", MAYO)
SEED_FACTS: tuple[SeedFact, ...] = (
    SeedFact(*_MAYO, "surgery", "What share of patients required surgery within a median of 10 "
             "months of starting tacrolimus?", "54%", ("crohns", "outcomes")),
    SeedFact(*_MAYO, "dose-reduction", "How many patients needed a dose reduction because of "
             "adverse events?", "8/24 (33%)", ("crohns", "adverse-events")),
    SeedFact(*_MAYO, "best-trough", "Which trough range was associated with the highest response "
             "and remission rates?", "10-15 ng/mL", ("crohns", "dosing")),
    SeedFact(*_MAYO, "response", "What share of patients responded to tacrolimus?", "67%",
             ("crohns", "outcomes")),
    SeedFact(*_MAYO, "steroid-free-remission", "What share of patients achieved a steroid-free "
             "remission?", "21%", ("crohns", "outcomes")),
    SeedFact(*_MAYO, "adverse-events", "What share of patients had adverse events?", "75%",
             ("crohns", "adverse-events")),
    SeedFact("tacrolimus-other-studies", "ibd-2008", "IBD 2008 series", "IBD 2008; 14: 7-12",
             "crohns-response", "How many patients with Crohn's disease responded to "
             "tacrolimus?", "7/15", ("crohns", "outcomes")),
    SeedFact("tacrolimus-other-studies", "ibd-2008", "IBD 2008 series", "IBD 2008; 14: 7-12",
             "uc-response", "How many patients with ulcerative colitis responded to "
             "tacrolimus?", "22/32", ("ulcerative-colitis", "outcomes")),
    SeedFact("tacrolimus-other-studies", "gut-2006", "Gut 2006 series", "Gut 2006; 55: 1255-1262",
             "partial-response-week-2", "What share of patients with refractory ulcerative "
             "colitis had a partial response at week 2?", "68%",
             ("ulcerative-colitis", "outcomes")),
    SeedFact("tacrolimus-other-studies", "ibd-2009", "IBD 2009 series", "IBD 2009; 15: 193",
             "proctitis-response", "How many patients with proctitis responded to tacrolimus "
             "enemas?", "10/12", ("ulcerative-colitis", "outcomes")),
)
KINDS = ("choice", "numeric", "recall")


def card_entries(facts: Sequence[SeedFact] = SEED_FACTS) -> list[dict[str, Any]]:
    """The ``cards`` list of an export: three kinds per fact, in deck order."""
    cards = []
    for f in facts:
        for kind in KINDS:
            cards.append({
                "card_id": f"{f.deck}/{f.source}/{f.fact}/{kind}", "deck": f.deck,
                "source": f.source, "fact": f.fact, "kind": kind, "prompt": f.ask,
                "answer": f.answer, "citation": f.citation, "label": f.label,
                "tags": list(f.tags), "repetitions": 0, "easiness": 2.5, "interval_days": 0,
                "due": None, "lapses": 0, "leech": False, "suspended": False,
            })
    return cards


def deck_entries(cards: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``decks`` list matching ``cards``."""
    counts: dict[str, int] = {}
    for card in cards:
        counts[card["deck"]] = counts.get(card["deck"], 0) + 1
    return [{"id": deck, "title": DECK_TITLES.get(deck, deck), "content_hash": "0" * 64,
             "cards": n} for deck, n in counts.items()]


def review(card_id: str, at: str, phase: str, correct: bool, quality: int | None = None,
           response: str = "") -> dict[str, Any]:
    """One review entry (per-answer fields only)."""
    q = quality if quality is not None else (5 if correct else 1)
    return {"card_id": card_id, "reviewed_at": at, "phase": phase, "quality": q,
            "correct": correct, "response": response, "options": [], "duration_ms": 4200,
            "easiness": 2.5, "interval_days": 1, "due": at[:10]}


def export_doc(*, learner_id: str, learner: str | None, reviews: list[dict[str, Any]],
               profile: str = "default", exported_at: str = "2025-03-01T18:00:00+01:00",
               cards: list[dict[str, Any]] | None = None,
               flags: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A whole export document."""
    cards = card_entries() if cards is None else cards
    return {"format": "ibdquiz-export", "version": 1, "learner": learner,
            "learner_id": learner_id, "profile": profile, "exported_at": exported_at,
            "ibdquiz_version": "0.1.0", "decks": deck_entries(cards), "cards": cards,
            "reviews": reviews, "flags": flags or [],
            "summary": {"reviews": len(reviews), "day_start_hour": 4}}


def make_export(learner_id: str, learner: str | None, *, n_reviews: int, seed: int,
                accuracy: float = 0.7, start: date = date(2025, 1, 6),
                cards: list[dict[str, Any]] | None = None,
                exported_at: str = "2025-06-01T18:00:00+02:00") -> dict[str, Any]:
    """A simulated history of about ``n_reviews`` answers (stops exactly at ``n_reviews``)."""
    rng = random.Random(seed)
    cards = card_entries() if cards is None else cards
    ids = [c["card_id"] for c in cards]
    seen: set[str] = set()
    reviews: list[dict[str, Any]] = []
    day = 0
    while len(reviews) < n_reviews:
        local = start + timedelta(days=day)
        # a winter and a summer offset, as in Europe: reviewed_at keeps the one in force
        offset = timezone(timedelta(hours=2 if local >= date(2025, 3, 30) else 1))
        moment = datetime(local.year, local.month, local.day, 19, 0, tzinfo=offset)
        for card_id in rng.sample(ids, min(len(ids), rng.randint(5, 40))):
            correct = rng.random() < accuracy
            phase = "review" if card_id in seen else "new"
            seen.add(card_id)
            for ph, ok in ((phase, correct), ("redrill", True)):
                moment += timedelta(seconds=rng.randint(5, 40))
                reviews.append(review(card_id, moment.isoformat(), ph, ok))
                if ok or len(reviews) >= n_reviews:
                    break
            if len(reviews) >= n_reviews:
                break
        if rng.random() < 0.1 and len(reviews) < n_reviews:
            moment += timedelta(seconds=30)
            reviews.append(review(rng.choice(ids), moment.isoformat(), "practice", True))
        day += rng.choice((1, 1, 1, 2, 3))
    flags = [{"card_id": ids[seed % len(ids)], "reason": "the explanation cites the wrong page",
              "flagged_at": "2025-02-01T20:00:00+01:00"}] if seed % 3 == 0 else []
    return export_doc(learner_id=learner_id, learner=learner, reviews=reviews, cards=cards,
                      flags=flags, exported_at=exported_at)


class FixedClock:
    """A clock the test moves by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def study_in_store(db: Path, *, name: str | None, days: Sequence[datetime], per_day: int,
                   wrong_every: int = 3, flag: str | None = None,
                   profile: str = "default") -> None:
    """Study the bundled deck through the real session API: ``per_day`` new cards each day.

    Every ``wrong_every``-th answer is wrong (so re-drills follow, answered in the same
    session); the rest are right.
    ``flag`` flags the first card of the first day with that reason.
    """
    from ibdquiz.core.card import CardKind
    from ibdquiz.core.deckload import load_deck
    from ibdquiz.core.queue import SessionFilters
    from ibdquiz.paths import bundled_decks_dir
    from ibdquiz.session.study import StudySession
    from ibdquiz.storage.store import Store
    from tests.helpers_storage import ask

    result = load_deck(bundled_decks_dir() / "tacrolimus-refractory-crohns.yaml")
    if result.deck is None:
        raise RuntimeError(f"the bundled deck does not load: {result.errors}")
    clock = FixedClock(days[0])
    with Store.open(db, clock=clock) as store:
        store.sync_decks([result.deck])
        if name is not None:
            store.set_display_name(profile, name)
        count = 0
        for day in days:
            clock.moment = day
            session = StudySession(store, profile, SessionFilters(new_limit=per_day), clock=clock)
            if flag is not None and day == days[0] and ask(session) is not None:
                session.flag(flag)
            done = 0
            while (item := ask(session)) is not None and done < 4 * per_day:
                clock.moment += timedelta(seconds=6)
                ok = count % wrong_every != 0
                card, answer = item.card, item.card.answer
                if card.kind is CardKind.CHOICE and item.correct_index is not None:
                    wrong = (item.correct_index + 1) % len(item.options)
                    session.answer_choice(item.correct_index if ok else wrong)
                elif card.kind is CardKind.NUMERIC:
                    right, wrong = str(answer.value), "0"
                    if answer.high is not None:  # a range is answered with a range
                        right, wrong = f"{answer.value}-{answer.high}", "0-1"
                    session.answer_numeric(right if ok else wrong)
                else:
                    session.grade_recall(5 if ok else 1)
                done += 1
                count += 1
            session.end()


def write_export(path: Path, doc: dict[str, Any]) -> Path:
    """Write an export document as ``ibdquiz export`` would (UTF-8 JSON)."""
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path
