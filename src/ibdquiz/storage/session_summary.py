"""The summary at the end of a session, from its review rows (re-drills not counted)."""

from __future__ import annotations

from collections.abc import Mapping

from ibdquiz.core.cards import Card
from ibdquiz.storage.connection import Database
from ibdquiz.storage.rows import MissedFact, SourceScore, Summary


def summarize(
    db: Database, profile: str, session_id: int, cards: Mapping[str, Card], today: int, *,
    seconds: int,
) -> Summary:
    """Answers, % correct, per source, missed facts with citations, cards due tomorrow."""
    rows = list(
        db.query(
            "SELECT card_id, quality, correct FROM reviews WHERE session_id = ?"
            " AND phase != 'redrill' ORDER BY id",
            [session_id],
        )
    )
    answered = len(rows)
    correct = sum(row["correct"] for row in rows)
    per_source: dict[tuple[str, str], list[int]] = {}
    labels: dict[tuple[str, str], str] = {}
    missed: dict[str, MissedFact] = {}
    for row in rows:
        card = cards.get(row["card_id"])
        if card is None:
            continue
        key = (card.deck, card.source)
        labels[key] = card.label or card.source
        score = per_source.setdefault(key, [0, 0])
        score[0] += 1
        score[1] += row["correct"]
        if not row["correct"]:
            missed[card.id] = MissedFact(card.id, card.prompt, card.answer.text, card.citation)
    due = next(
        db.query(
            "SELECT COUNT(*) AS n FROM card_state s JOIN cards c ON c.id = s.card_id"
            " WHERE s.profile = ? AND c.retired = 0 AND s.suspended = 0 AND s.due_day <= ?",
            [profile, today + 1],
        )
    )
    return Summary(
        answered=answered,
        correct=correct,
        percent=round(100 * correct / answered, 1) if answered else None,
        seconds=seconds,
        per_source=tuple(
            SourceScore(deck, source, labels[(deck, source)], n, ok)
            for (deck, source), (n, ok) in per_source.items()
        ),
        missed=tuple(missed.values()),
        due_tomorrow=int(due["n"]),
    )
