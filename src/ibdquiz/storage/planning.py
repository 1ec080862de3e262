"""Today's queue walked in SQL on the due-day index, with the rules of ``core.queue``.

``core.queue.plan_queue`` is the rule book (re-drills, then due reviews most overdue first, then
new cards fact by fact, recognition before recall, one card per fact per day); this module gives
the same queue without building every card: due cards come from ``card_state_due``
(schema 5: in the queue's order) and new cards from ``new_cards``, reading only the fields the
rules look at; new cards are ordered by ``core.queue.order_new_facts`` (interleaved across
sources, no two leaking facts new on one day: issue 9), which reads each new fact's first
card. ``tests/test_storage_scale.py`` checks that both give the same queue on fixed databases.
A fact's cards are contiguous in deck order (``cards_for_deck`` makes them together, and sync
numbers positions in that order), so walking new cards by position visits facts in the order of
their first card, as the rules do.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from ibdquiz.core.queue import (
    INTRODUCTION_ORDER,
    NewFact,
    Phase,
    Planned,
    SessionFilters,
    TodayPlan,
    pick_new_facts,
    rank_new_facts,
)
from ibdquiz.core.rules import (
    CORRECT_MIN_QUALITY,
    due_sql,
    needs_redrill,
    practice_window_start,
    remaining,
)
from ibdquiz.storage.connection import Database
from ibdquiz.storage.profiles import profile_exists

_RANK = {kind.value: rank for rank, kind in enumerate(INTRODUCTION_ORDER)}
_FIELDS = "c.id, c.deck, c.source, c.fact, c.kind, c.tags"
"""What the queue rules read of a card, in this order (the walks read rows by position)."""


def _scope_sql(scope: Sequence[str] | None, params: list[Any], deck: str = "c.deck") -> str:
    """`` AND`` the ``deck`` column is one of ``scope`` (nothing for ``None``: every deck)."""
    if scope is None:
        return ""
    params.extend(scope)
    return f" AND {deck} IN ({', '.join('?' * len(scope))})"


DueRow = Sequence[Any]
"""A due card as the due walk reads it, by position: its id, its deck, then (with a filter to
apply) source, fact, kind and tags, and last its fact as ``_fact_text`` writes it."""

_FACT_OF_ID = "rtrim({}, 'abcdefghijklmnopqrstuvwxyz')"
"""SQL: a card id (``deck/source/fact/kind``) without its kind: ``deck/source/fact/`` (a kind is
a lowercase word, and ids hold no '/')."""


def _fact_text(key: tuple[str, str, str]) -> str:
    """A fact key as ``_FACT_OF_ID`` writes it."""
    return f"{key[0]}/{key[1]}/{key[2]}/"


class _Busy:
    """The facts busy today, kept as text (``_fact_text``) so that thousands of due cards need
    no key split into a tuple, asked about by fact key (``in``: all the new-card rules ask)."""

    def __init__(self, texts: set[str]) -> None:
        self.texts = texts

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 3 and _fact_text(key) in self.texts


def _accepts_all(filters: SessionFilters) -> bool:
    """True when ``filters`` name no deck, source, tag or kind: every card passes."""
    return not (filters.decks or filters.sources or filters.tags or filters.kinds)


def _accepts(filters: SessionFilters, row: sqlite3.Row | DueRow) -> bool:
    """``filters.accepts`` on a row of ``_FIELDS`` (read by position)."""
    if _accepts_all(filters):
        return True
    tags: Iterable[str] = json.loads(row[5] or "[]") if filters.tags else ()
    return filters.accepts(row[1], row[2], tags, row[4])


def _key(row: sqlite3.Row) -> tuple[str, str, str]:
    return (row["deck"], row["source"], row["fact"])


def build_queue(
    db: Database, profile: str, scope: Sequence[str] | None, filters: SessionFilters,
    today: int, new_per_day: int, review_limit: int = 0,
) -> TodayPlan:
    """The session's queue over the active cards of the decks in ``scope`` (``None``: all).

    ``review_limit`` caps the day's reviews (0: none), counting those already given today;
    the rest are held back, oldest-due first next time. Undone answers do not count: not for
    the facts answered today, the pending re-drills, or the day's new and review limits.
    """
    if filters.decks:  # only those decks' rows are read (the home screen asks deck by deck)
        scope = [deck for deck in (scope if scope is not None else filters.decks)
                 if deck in filters.decks]
    if filters.missed_days is not None:
        return TodayPlan(tuple(missed_queue(db, profile, scope, filters, today)), 0, 0)
    today_rows = _today_rows(db, profile, scope, today)
    due_rows = _due_rows(db, profile, scope, today, filters)
    return _plan(db, profile, scope, filters, today_rows, due_rows, new_per_day, review_limit)


def home_plans(
    db: Database, profile: str, scope: Sequence[str] | None, deck_ids: Sequence[str],
    today: int, new_per_day: int, review_limit: int = 0,
) -> tuple[TodayPlan, dict[str, TodayPlan]]:
    """What the home screen counts: ``build_queue`` of every deck in ``scope`` together, and of
    a one-deck session (``SessionFilters(decks=(deck,))``) for each of ``deck_ids``, from one
    read of today's answers and one walk of the due cards (it asked deck by deck, walking
    every due card once per deck and once more for all)."""
    today_rows = _today_rows(db, profile, scope, today)
    due_rows = _due_rows(db, profile, scope, today, SessionFilters())
    candidates: Candidates = {}  # each deck's new facts, walked once for all the plans
    every = _plan(db, profile, scope, SessionFilters(), today_rows, due_rows, new_per_day,
                  review_limit, candidates)
    empty = TodayPlan((), 0, 0)
    by_deck = {
        deck: _plan(
            db, profile, [deck], SessionFilters(decks=(deck,)),
            [row for row in today_rows if row["deck"] == deck],
            [row for row in due_rows if row[1] == deck], new_per_day, review_limit,
            candidates,
        ) if scope is None or deck in scope else empty
        for deck in deck_ids
    }
    return every, by_deck


def _today_rows(
    db: Database, profile: str, scope: Sequence[str] | None, today: int
) -> list[sqlite3.Row]:
    """Today's answers that count for the queue (not practice, not undone), oldest first."""
    return _scoped_rows(
        db, "SELECT r.card_id, r.phase, r.quality, c.deck, c.source, c.fact FROM reviews r"
        " JOIN cards c ON c.id = r.card_id WHERE r.profile = ? AND r.study_day = ?"
        " AND r.phase != 'practice' AND r.undone_at IS NULL AND c.retired = 0",
        [profile, today], scope, "r.id",
    )


def _due_rows(
    db: Database, profile: str, scope: Sequence[str] | None, today: int,
    filters: SessionFilters,
) -> list[DueRow]:
    """The due cards, most overdue first (then in deck order), from the due-day index.

    With no source, tag or kind to filter by, from ``card_state_due`` alone (schema 5: it
    holds each state's deck and position, in the queue's order; the few retired cards are left
    out by ``cards_retired``), the fact read off the card id (``deck/source/fact/kind``, ids
    without '/'); otherwise joined to ``cards`` for what the filters read.
    """
    if not _accepts_all(replace(filters, decks=())):
        return list(_scoped_rows(
            db, f"SELECT {_FIELDS}, {_FACT_OF_ID.format('c.id')} FROM card_state s"
            f" JOIN cards c ON c.id = s.card_id WHERE s.profile = ? AND {due_sql(today='?')}",
            [profile, today], scope, "s.due_day, c.deck, c.position",
        ))
    params: list[Any] = [profile, today]
    in_scope = _scope_sql(scope, params, "s.deck")
    return db.execute(  # plain tuples: at 500k cards this is 75k rows
        f"SELECT s.card_id, s.deck, {_FACT_OF_ID.format('s.card_id')} FROM card_state s"
        f" WHERE s.profile = ? AND {due_sql(card=None, today='?')}{in_scope}"
        f" ORDER BY s.due_day, s.deck, s.position, s.card_id",
        params,
    ).fetchall()


def _scoped_rows(
    db: Database, select: str, params: list[Any], scope: Sequence[str] | None, order: str
) -> list[sqlite3.Row]:
    """The rows of ``select`` (``c``: the cards) in the decks of ``scope``, ordered."""
    return list(db.records(f"{select}{_scope_sql(scope, params)} ORDER BY {order}", params))


def _plan(
    db: Database, profile: str, scope: Sequence[str] | None, filters: SessionFilters,
    today_rows: list[sqlite3.Row], due_rows: list[DueRow], new_per_day: int,
    review_limit: int, candidates: Candidates | None = None,
) -> TodayPlan:
    """The queue from today's answers and the due cards (``core.queue``'s rules); the due
    rows are those of ``filters.decks`` already (``build_queue`` and ``home_plans`` read them
    so)."""
    busy = {_key(row) for row in today_rows}
    last_quality: dict[str, int] = {}
    for row in today_rows:
        last_quality.pop(row["card_id"], None)  # keep the order of each card's last answer
        last_quality[row["card_id"]] = row["quality"]
    introduced = len({row["card_id"] for row in today_rows if row["phase"] == Phase.NEW.value})
    reviewed = len({row["card_id"] for row in today_rows if row["phase"] == Phase.REVIEW.value})
    review_allowance = remaining(review_limit, reviewed)
    allowance = (
        filters.new_limit if filters.new_limit is not None else max(0, new_per_day - introduced)
    )
    plan: list[Planned] = []
    pending = [card_id for card_id, quality in last_quality.items() if needs_redrill(quality)]
    if pending:
        params: list[Any] = [profile, *pending]
        eligible = {
            row["id"]: row
            for row in db.records(
                f"SELECT {_FIELDS} FROM cards c LEFT JOIN card_state s ON s.profile = ?"
                f" AND s.card_id = c.id WHERE c.id IN ({', '.join('?' * len(pending))})"
                f" AND COALESCE(s.suspended, 0) = 0",
                params,
            )
            if _accepts(filters, row)
        }
        for card_id in pending:
            if card_id in eligible:
                plan.append(Planned(card_id, Phase.REDRILL))
                busy.add(_key(eligible[card_id]))
    walked = replace(filters, decks=())  # the due rows come from the filters' decks only
    everything = _accepts_all(walked)
    due = len(due_rows) if everything else 0
    reviews = 0
    busy_texts = {_fact_text(key) for key in busy}  # from here on, the busy facts
    for due_row in due_rows:  # thousands of rows: by position, not by name
        if not everything:
            if not _accepts(walked, due_row):
                continue
            due += 1
        if review_allowance is not None and reviews >= review_allowance:
            if everything:
                break  # the rest is held back, and already counted
            continue
        fact = due_row[-1]
        if fact not in busy_texts:
            plan.append(Planned(due_row[0], Phase.REVIEW))
            busy_texts.add(fact)
            reviews += 1
    if allowance > 0:
        new_today = {_key(row) for row in today_rows if row["phase"] == Phase.NEW.value}
        plan += _new_cards(db, profile, scope, filters, _Busy(busy_texts), allowance,
                           new_today, candidates)
    return TodayPlan(tuple(plan), due, due - reviews)


Candidates = dict[tuple[str, SessionFilters], list[NewFact]]
"""The new facts of a deck a session's filters accept, ranked (``core.queue.rank_new_facts``),
by (deck, filters without ``decks``): shared by the plans one home refresh makes (every deck's
and each deck's walk the same deck)."""


def _new_cards(
    db: Database, profile: str, scope: Sequence[str] | None, filters: SessionFilters,
    busy: _Busy, allowance: int, new_today: set[tuple[str, str, str]],
    candidates: Candidates | None = None,
) -> list[Planned]:
    """New cards, each fact's first card by introduction order, in the order of
    ``core.queue.order_new_facts`` (interleaved across sources, no two leaking facts).

    That order takes decks one after another (a deck's facts all come before the next deck's),
    and leaks stay within a deck, so the decks are walked one at a time, in deck order, and the
    walk stops once a deck fills the day's allowance: a large library reads only the decks it
    draws from.
    """
    decks = sorted(scope) if scope is not None else [
        str(row[0]) for row in db.execute("SELECT id FROM decks ORDER BY id")
    ]
    chosen: list[NewFact] = []
    taken = set(new_today)
    wanted = replace(filters, decks=())
    for deck in decks:
        if len(chosen) >= allowance:
            break
        if filters.decks and deck not in filters.decks:
            continue
        ranked = candidates.get((deck, wanted)) if candidates is not None else None
        if ranked is None:
            ranked = rank_new_facts(_deck_new_facts(db, profile, deck, wanted))
            if candidates is not None:
                candidates[(deck, wanted)] = ranked
        picked = pick_new_facts(
            ranked, allowance=allowance - len(chosen), busy=busy, new_today=taken
        )
        chosen.extend(picked)
        taken.update(fact.key for fact in picked)
    return [Planned(fact.card_id, Phase.NEW) for fact in chosen]


def _deck_new_facts(
    db: Database, profile: str, deck: str, filters: SessionFilters
) -> list[NewFact]:
    """The new facts of one deck that ``filters`` accept, each with its first card by
    introduction order (recognition before recall) and its place in deck order.

    The deck's new cards come from ``new_cards`` (kept by triggers: ``storage.schema``), the
    same cards as an active card with no due day that is not suspended; a profile not yet
    created has no rows there (nor any state), so all its active cards are new."""
    if profile_exists(db, profile):  # one key range of ``new_cards`` (schema 5), in deck order
        rows = db.records(
            "SELECT card_id AS id, deck, source, fact, kind, tags, leaks FROM new_cards"
            " WHERE profile = ? AND deck = ? ORDER BY position, card_id",
            [profile, deck],
        )
    else:  # a learner not created yet (the home screen before a first session): all new
        rows = db.records(
            f"SELECT {_FIELDS}, c.leaks FROM cards c WHERE c.deck = ? AND c.retired = 0"
            f" ORDER BY c.position, c.id",
            [deck],
        )
    facts: dict[tuple[str, str, str], tuple[int, sqlite3.Row]] = {}
    everything = _accepts_all(filters)
    rank = _RANK
    for position, row in enumerate(rows):  # by position (``_FIELDS``, then leaks), not name
        if not everything and not _accepts(filters, row):
            continue
        key = (row[1], row[2], row[3])
        found = facts.get(key)
        if found is None:
            facts[key] = (position, row)
        elif rank[row[4]] < rank[found[1][4]]:
            facts[key] = (found[0], row)
    return [
        NewFact(key, row["id"], position, _leaks(deck, row["leaks"]))
        for key, (position, row) in facts.items()
    ]


def _leaks(deck: str, text: str | None) -> frozenset[tuple[str, str, str]]:
    """A card's ``leaks`` column as fact keys of its deck (most cards have none: ``[]``)."""
    if not text or text == "[]":
        return frozenset()
    return frozenset((deck, *ref.split("/", 1)) for ref in json.loads(text) if "/" in ref)


def missed_queue(
    db: Database, profile: str, scope: Sequence[str] | None, filters: SessionFilters, today: int,
) -> list[Planned]:
    """Cards failed (quality < 3, first answers not undone) in the last ``missed_days`` days."""
    days = filters.missed_days or 0
    params: list[Any] = [
        profile, profile, CORRECT_MIN_QUALITY, practice_window_start(today, days)
    ]
    rows = db.records(
        f"SELECT {_FIELDS} FROM cards c LEFT JOIN card_state s ON s.profile = ?"
        f" AND s.card_id = c.id WHERE c.id IN (SELECT DISTINCT card_id FROM reviews"
        f" WHERE profile = ? AND quality < ? AND phase IN ('new', 'review')"
        f" AND undone_at IS NULL AND study_day >= ?)"
        f" AND c.retired = 0 AND COALESCE(s.suspended, 0) = 0{_scope_sql(scope, params)}"
        f" ORDER BY c.deck, c.position",
        params,
    )
    return [Planned(row["id"], Phase.PRACTICE) for row in rows if _accepts(filters, row)]
