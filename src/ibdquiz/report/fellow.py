"""One fellow's export, summarised: what the cohort report needs, without the raw reviews.

``summarize_export`` turns one parsed export (DESIGN §9) into a ``Fellow``: counts per card and
per week of the first answer of each card on each study day (phases ``new`` and ``review``;
re-drills and practice are not counted), the cards answered at all, the decks and cards with
their citations, and the flags. The raw review list can then be dropped, so reading a folder of
large exports holds only one file's reviews at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ibdquiz.core.clock import DEFAULT_DAY_START_HOUR, day_to_date, study_day
from ibdquiz.errors import ExportError
from ibdquiz.report.tally import Tally

EXPORT_FORMAT = "ibdquiz-export"
EXPORT_VERSION = 1
COUNTED_PHASES = frozenset({"new", "review"})
PHASES = frozenset({"new", "review", "redrill", "practice"})


@dataclass(frozen=True)
class DeckInfo:
    """A deck as an export lists it."""

    id: str
    title: str
    cards: int


@dataclass(frozen=True)
class CardInfo:
    """A card as an export lists it (only the fields the report shows)."""

    card_id: str
    deck: str
    source: str
    fact: str
    kind: str
    prompt: str = ""
    answer: str = ""
    citation: str = ""
    tags: tuple[str, ...] = ()
    label: str = ""

    @property
    def source_key(self) -> str:
        """``deck/source``: how the report names a study."""
        return f"{self.deck}/{self.source}"

    @property
    def fact_key(self) -> str:
        """``deck/source/fact``: the fact behind this card (shared by its kinds)."""
        return f"{self.deck}/{self.source}/{self.fact}"


@dataclass(frozen=True)
class FlagInfo:
    """A question the fellow flagged, with the reason typed."""

    card_id: str
    reason: str
    flagged_at: str


@dataclass
class Fellow:
    """One fellow's results, keyed on ``learner_id``."""

    learner_id: str
    learner: str
    profile: str
    exported_at: datetime
    path: Path
    ibdquiz_version: str = ""
    decks: dict[str, DeckInfo] = field(default_factory=dict)
    cards: dict[str, CardInfo] = field(default_factory=dict)
    flags: list[FlagInfo] = field(default_factory=list)
    total: Tally = field(default_factory=Tally)
    by_card: dict[str, Tally] = field(default_factory=dict)
    by_week: dict[int, Tally] = field(default_factory=dict)
    answered_cards: set[str] = field(default_factory=set)
    all_answers: int = 0
    study_days: int = 0
    first_day: int | None = None
    last_day: int | None = None

    @property
    def name(self) -> str:
        """The display name, or the profile name when the fellow never set one."""
        return self.learner or self.profile or self.learner_id

    def card(self, card_id: str) -> CardInfo:
        """The card's details; for a card missing from ``cards``, what its id tells."""
        info = self.cards.get(card_id)
        return info if info is not None else card_from_id(card_id)

    def by_source(self) -> dict[str, Tally]:
        """Counted answers per ``deck/source``."""
        result: dict[str, Tally] = {}
        for card_id, tally in self.by_card.items():
            result.setdefault(self.card(card_id).source_key, Tally()).merge(tally)
        return result

    def by_tag(self) -> dict[str, Tally]:
        """Counted answers per tag (a card with several tags counts under each)."""
        result: dict[str, Tally] = {}
        for card_id, tally in self.by_card.items():
            for tag in self.card(card_id).tags:
                result.setdefault(tag, Tally()).merge(tally)
        return result

    def coverage(self) -> dict[str, tuple[int, int]]:
        """Per deck: (cards answered at least once, cards in the deck)."""
        answered: dict[str, int] = {}
        for card_id in self.answered_cards:
            deck = self.card(card_id).deck
            answered[deck] = answered.get(deck, 0) + 1
        result = {deck.id: (answered.get(deck.id, 0), deck.cards) for deck in self.decks.values()}
        for deck_id, count in answered.items():
            result.setdefault(deck_id, (count, count))
        return result


def card_from_id(card_id: str) -> CardInfo:
    """What a card id ``deck/source/fact/kind`` tells when the export has no card entry."""
    parts = card_id.split("/")
    parts += [""] * (4 - len(parts))
    return CardInfo(card_id=card_id, deck=parts[0], source=parts[1], fact=parts[2], kind=parts[3])


def week_of(day: int) -> int:
    """The study day number of the Monday of ``day``'s week (1970-01-01 was a Thursday)."""
    return day - (day + 3) % 7


def parse_timestamp(text: object, what: str) -> datetime:
    """An ISO 8601 timestamp with its offset; ``ExportError`` naming ``what`` otherwise."""
    if not isinstance(text, str):
        raise ExportError(f"{what} is not an ISO 8601 timestamp")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ExportError(f"{what} {text!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        raise ExportError(f"{what} {text!r} has no UTC offset")
    return moment


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ExportError(f"'{key}' is not a list")
    return value


def _check_header(data: object) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise ExportError("is not an ibdquiz export (the JSON is not an object)")
    fmt = data.get("format")
    if fmt != EXPORT_FORMAT:
        raise ExportError(
            f"is not an ibdquiz export (format {fmt!r}, expected {EXPORT_FORMAT!r}); "
            "ask the fellow for the file 'ibdquiz export' writes"
        )
    version = data.get("version")
    if version != EXPORT_VERSION:
        raise ExportError(
            f"is export version {version!r}, which this ibdquiz cannot read "
            f"(it reads version {EXPORT_VERSION}); update ibdquiz"
        )
    learner_id = data.get("learner_id")
    # An export made before the fellow ever studied has no learner_id (no profile exists yet);
    # it is still worth listing among the fellows with no answers.
    empty = learner_id is None and not data.get("reviews")
    if not empty and (not isinstance(learner_id, str) or not learner_id):
        raise ExportError("has no learner_id; ask the fellow to export again")
    return data


def _read_decks(data: Mapping[str, Any]) -> dict[str, DeckInfo]:
    decks: dict[str, DeckInfo] = {}
    for i, raw in enumerate(_list(data, "decks")):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise ExportError(f"deck {i + 1} has no id")
        cards = raw.get("cards", 0)
        decks[raw["id"]] = DeckInfo(
            id=raw["id"],
            title=_text(raw.get("title")) or raw["id"],
            cards=cards if isinstance(cards, int) and cards >= 0 else 0,
        )
    return decks


def _read_cards(data: Mapping[str, Any]) -> dict[str, CardInfo]:
    cards: dict[str, CardInfo] = {}
    for i, raw in enumerate(_list(data, "cards")):
        if not isinstance(raw, dict) or not isinstance(raw.get("card_id"), str):
            raise ExportError(f"card {i + 1} has no card_id")
        guess = card_from_id(raw["card_id"])
        tags = raw.get("tags") or []
        cards[raw["card_id"]] = CardInfo(
            card_id=raw["card_id"],
            deck=_text(raw.get("deck")) or guess.deck,
            source=_text(raw.get("source")) or guess.source,
            fact=_text(raw.get("fact")) or guess.fact,
            kind=_text(raw.get("kind")) or guess.kind,
            prompt=_text(raw.get("prompt")),
            answer=_text(raw.get("answer")),
            citation=_text(raw.get("citation")),
            tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
            label=_text(raw.get("label")),
        )
    return cards


def _read_flags(data: Mapping[str, Any]) -> list[FlagInfo]:
    flags = []
    for i, raw in enumerate(_list(data, "flags")):
        if not isinstance(raw, dict) or not isinstance(raw.get("card_id"), str):
            raise ExportError(f"flag {i + 1} has no card_id")
        flags.append(
            FlagInfo(raw["card_id"], _text(raw.get("reason")), _text(raw.get("flagged_at")))
        )
    return flags


def _day_start_hour(data: Mapping[str, Any]) -> int:
    summary = data.get("summary")
    hour = summary.get("day_start_hour") if isinstance(summary, dict) else None
    return hour if isinstance(hour, int) and 0 <= hour < 24 else DEFAULT_DAY_START_HOUR


def summarize_export(data: object, path: Path) -> Fellow:
    """Summarise one parsed export; ``ExportError`` (without the file name) if it is malformed."""
    doc = _check_header(data)
    fellow = Fellow(
        learner_id=doc["learner_id"] or f"(none: {path.name})",
        learner=_text(doc.get("learner")),
        profile=_text(doc.get("profile")),
        exported_at=parse_timestamp(doc.get("exported_at"), "exported_at"),
        path=path,
        ibdquiz_version=_text(doc.get("ibdquiz_version")),
        decks=_read_decks(doc),
        cards=_read_cards(doc),
        flags=_read_flags(doc),
    )
    _tally_reviews(fellow, _list(doc, "reviews"), _day_start_hour(doc))
    return fellow


def _tally_reviews(fellow: Fellow, reviews: list[Any], day_start_hour: int) -> None:
    """Count the reviews (in the order written, which is the order answered).

    The loop is the report's hot path (millions of reviews for a large cohort), so it only
    records the first counted answer of each (card, study day); tallies are built after it.
    """
    day_cache: dict[str, int] = {}  # "YYYY-MM-DDTHH" (local) -> study day
    first: dict[tuple[str, int], bool] = {}  # (card, study day) -> its first counted answer
    answered = fellow.answered_cards
    days: set[int] = set()
    index = 0
    try:
        for index, review in enumerate(reviews):
            card_id = review["card_id"]
            at = review["reviewed_at"]
            phase = review["phase"]
            correct = review["correct"]
            if phase not in PHASES or (correct is not True and correct is not False):
                raise ExportError(f"review {index + 1} has a bad phase or 'correct' value")
            day = day_cache.get(at[:13])
            if day is None:
                moment = parse_timestamp(at, f"review {index + 1}: reviewed_at")
                day = study_day(moment, day_start_hour)
                day_cache[at[:13]] = day
            answered.add(card_id)
            days.add(day)
            if phase in COUNTED_PHASES:
                key = (card_id, day)
                if key not in first:
                    first[key] = correct
    except (KeyError, TypeError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
        raise ExportError(f"review {index + 1} is malformed ({problem})") from None
    if any(not isinstance(card_id, str) for card_id in answered):
        raise ExportError("a review's card_id is not text")
    by_card: dict[str, list[int]] = {}
    by_week: dict[int, list[int]] = {}
    for (card_id, day), correct in first.items():
        counts = by_card.get(card_id)
        if counts is None:
            counts = by_card[card_id] = [0, 0]
        counts[0] += 1
        counts[1] += correct
        week = day - (day + 3) % 7  # week_of, inlined
        counts = by_week.get(week)
        if counts is None:
            counts = by_week[week] = [0, 0]
        counts[0] += 1
        counts[1] += correct
    fellow.by_card = {card_id: Tally(n, c) for card_id, (n, c) in by_card.items()}
    fellow.by_week = {week: Tally(n, c) for week, (n, c) in sorted(by_week.items())}
    fellow.total = Tally(len(first), sum(first.values()))
    fellow.all_answers = len(reviews)
    fellow.study_days = len(days)
    if days:
        fellow.first_day, fellow.last_day = min(days), max(days)


def week_label(week: int) -> str:
    """``2025-01-06``: the Monday that starts a week."""
    return day_to_date(week).isoformat()
