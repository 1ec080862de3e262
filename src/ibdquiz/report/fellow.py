"""One fellow's export, summarised: what the cohort report needs, without the raw reviews.

``summarize_export`` turns one parsed export (DESIGN §9) into a ``Fellow``: counts per card and
per week of the first answer of each card on each study day (phases ``new`` and ``review``;
re-drills and practice are not counted), the cards answered at all, the decks and cards with
their citations, and the flags. The raw review list can then be dropped, so reading a folder of
large exports holds only one file's reviews at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import msgspec

from ibdquiz.core.clock import DEFAULT_DAY_START_HOUR, day_to_date, study_day
from ibdquiz.errors import ExportError
from ibdquiz.report.schema import EXPORT_FORMAT, EXPORT_VERSION, CardIn, ExportIn, ReviewIn
from ibdquiz.report.tally import Tally

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


def check_header(fmt: object, version: object) -> None:
    """``ExportError`` unless this is an ibdquiz export of a version this ibdquiz reads."""
    if fmt != EXPORT_FORMAT:
        raise ExportError(
            f"is not an ibdquiz export (format {fmt!r}, expected {EXPORT_FORMAT!r}); "
            "ask the fellow for the file 'ibdquiz export' writes"
        )
    if version != EXPORT_VERSION:
        raise ExportError(
            f"is export version {version!r}, which this ibdquiz cannot read "
            f"(it reads version {EXPORT_VERSION}); update ibdquiz"
        )


def _as_export(data: object) -> ExportIn:
    if isinstance(data, ExportIn):
        return data
    if not isinstance(data, dict):
        raise ExportError("is not an ibdquiz export (the JSON is not an object)")
    check_header(data.get("format"), data.get("version"))
    try:
        return msgspec.convert(data, ExportIn)
    except msgspec.ValidationError as exc:
        raise ExportError(f"does not have the shape of an ibdquiz export ({exc})") from None


def summarize_export(data: object, path: Path) -> Fellow:
    """Summarise one export (decoded, or a parsed JSON object); ``ExportError`` if malformed.

    The error message does not name the file; the reader adds it.
    """
    doc = _as_export(data)
    check_header(doc.format, doc.version)
    # An export made before the fellow ever studied has no learner_id (no profile exists yet);
    # it is still worth listing among the fellows with no answers.
    if not doc.learner_id and (doc.reviews or doc.learner_id is not None):
        raise ExportError("has no learner_id; ask the fellow to export again")
    fellow = Fellow(
        learner_id=doc.learner_id or f"(none: {path.name})",
        learner=doc.learner or "",
        profile=doc.profile or "",
        exported_at=parse_timestamp(doc.exported_at, "exported_at"),
        path=path,
        ibdquiz_version=doc.ibdquiz_version or "",
        decks={d.id: DeckInfo(d.id, d.title or d.id, max(d.cards, 0)) for d in doc.decks},
        cards={c.card_id: _card_info(c) for c in doc.cards},
        flags=[FlagInfo(f.card_id, f.reason or "", f.flagged_at or "") for f in doc.flags],
    )
    hour = doc.summary.day_start_hour
    _tally_reviews(fellow, doc.reviews, hour if 0 <= hour < 24 else DEFAULT_DAY_START_HOUR)
    return fellow


def _card_info(card: CardIn) -> CardInfo:
    guess = card_from_id(card.card_id)
    return CardInfo(
        card_id=card.card_id, deck=card.deck or guess.deck, source=card.source or guess.source,
        fact=card.fact or guess.fact, kind=card.kind or guess.kind, prompt=card.prompt,
        answer=card.answer, citation=card.citation, tags=tuple(card.tags), label=card.label,
    )


def _tally_reviews(fellow: Fellow, reviews: list[ReviewIn], day_start_hour: int) -> None:
    """Count the reviews (in the order written, which is the order answered).

    The loop is the report's hot path (millions of reviews for a large cohort), so it only
    records the first counted answer of each (card, study day); tallies are built after it.
    """
    day_cache: dict[str, int] = {}  # "YYYY-MM-DDTHH" (local) -> study day
    first: dict[tuple[str, int], bool] = {}  # (card, study day) -> its first counted answer
    answered = fellow.answered_cards
    days: set[int] = set()
    for index, review in enumerate(reviews):
        card_id = review.card_id
        at = review.reviewed_at
        phase = review.phase
        if phase not in PHASES:
            raise ExportError(f"review {index + 1} has an unknown phase {phase!r}")
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
                first[key] = review.correct
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
