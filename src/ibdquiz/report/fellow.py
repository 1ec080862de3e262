"""One fellow's export, summarised: what the cohort report needs, without the raw reviews.

``summarize_export`` turns one parsed export (docs/rules.md) into a ``Fellow``: counts per card and
per week of the first answer of each card on each study day (phases ``new`` and ``review``;
re-drills and practice are not counted), the cards answered at all, the decks and cards with
their citations, and the flags. The raw review list can then be dropped, so reading a folder of
large exports holds only one file's reviews at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import msgspec

from ibdquiz.core.clock import DEFAULT_DAY_START_HOUR, day_to_date, study_day
from ibdquiz.core.printable import printable
from ibdquiz.errors import ExportError
from ibdquiz.report.schema import (
    EXPORT_DECODER,
    EXPORT_FORMAT,
    MAX_FIELD_CHARS,
    OPTIONS_DECODER,
    READ_VERSIONS,
    CardIn,
    ExportIn,
    ReviewIn,
)
from ibdquiz.report.tally import Tally

COUNTED_PHASES = frozenset({"new", "review"})
PHASES = frozenset({"new", "review", "redrill", "practice"})
OBJECTIVE_KINDS = frozenset({"choice", "numeric"})
"""Graded by ibdquiz: multiple choice and typed answers. Flashcards (``recall``) are self-graded."""
RETENTION_DAYS = (7, 21)
"""Retention: scheduled reviews whose previous counted answer was at least this many days before."""
FIRST_YEAR, LAST_YEAR = 1970, 9998
"""Timestamps outside these years are refused (no study happened then; dates would overflow)."""

_STAMP = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:[0-5]\d:[0-5]\d(?:\.\d{1,6})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)
_LOCAL_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?")
"""An export's timestamp, whole: ``2025-01-06T19:00:05.250+01:00`` (no prefix accepted)."""


def kind_of(card_id: str) -> str:
    """The kind a card id ends with (``deck/source/fact/kind``)."""
    return card_id.rpartition("/")[2]


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
    content_hash: str = ""
    via: str = ""

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
    options: tuple[str, ...] | None = None
    """The options shown when it was flagged (``None``: not recorded, or never answered)."""
    context: str | None = None
    """The header line shown when it was flagged."""
    card_hash: str | None = None


@dataclass(frozen=True, slots=True)
class FirstExposure:
    """A fellow's first counted answer to a card: what item analysis reads."""

    day: int
    correct: bool
    card_hash: str
    options: tuple[str, ...] = ()
    """The options shown (choice cards)."""
    chosen: str | None = None
    """The option text chosen (choice cards)."""
    key: str | None = None
    """The correct option's text, where the export says which it was."""


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
    """Counted answers per card (all kinds)."""
    by_week: dict[int, Tally] = field(default_factory=dict)
    """Objective counted answers per week (the Monday's study day)."""
    week_facts: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    """Objective counted answers per week and fact: ``[n, correct]`` (for clustered intervals)."""
    retention: dict[str, list[int]] = field(default_factory=dict)
    """Per card: ``[n, correct]`` of scheduled reviews ≥ 7 days after the previous counted
    answer, then the same for ≥ 21 days."""
    first: dict[str, FirstExposure] = field(default_factory=dict)
    """Per card, the first counted answer ever (undone or not)."""
    first_versions: dict[tuple[str, str], FirstExposure] = field(default_factory=dict)
    """Per (card, content hash): the first counted answer to that version of the card, so an
    item fixed by its author starts its statistics afresh."""
    option_counts: dict[str, int] = field(default_factory=dict)
    """Per choice card: how many options it showed (for the chance level)."""
    self_check: dict[str, list[int]] = field(default_factory=dict)
    """Per fact with a flashcard: ``[self n, self correct, objective n, objective correct]``,
    the objective answers counted from the day of the fact's first flashcard on."""
    undone: int = 0
    """Counted answers the fellow undid (they still count as attempts)."""
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


def _quote(text: str, limit: int = 40) -> str:
    """A short, printable quotation of ``text`` for an error line."""
    short = text if len(text) <= limit else text[:limit] + "…"
    return printable(repr(short))


def parse_timestamp(text: object, what: str) -> datetime:
    """An ISO 8601 timestamp with its offset, whole; ``ExportError`` naming ``what`` otherwise.

    The shape is the export's (``YYYY-MM-DDTHH:MM:SS[.fff]±HH:MM`` or ``Z``), matched in full
    (trailing text is refused), and the year must lie in 1970–9998.
    """
    if isinstance(text, str) and _LOCAL_STAMP.fullmatch(text):
        raise ExportError(f"{what} {_quote(text)} has no UTC offset")
    if not isinstance(text, str) or not _STAMP.fullmatch(text):
        shown = _quote(text) if isinstance(text, str) else type(text).__name__
        raise ExportError(
            f"{what} {shown} is not an ISO 8601 timestamp like 2025-01-06T19:00:05+01:00"
        )
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ExportError(f"{what} {_quote(text)} is not a valid date and time") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ExportError(
            f"{what} {_quote(text)} is outside the years {FIRST_YEAR}–{LAST_YEAR}"
        )
    return moment


def check_header(fmt: object, version: object) -> None:
    """``ExportError`` unless this is an ibdquiz export of a version this ibdquiz reads."""
    if fmt != EXPORT_FORMAT:
        raise ExportError(
            f"is not an ibdquiz export (format {_quote(str(fmt), 30)}, expected "
            f"{EXPORT_FORMAT!r}); "
            "ask the fellow for the file 'ibdquiz export' writes"
        )
    if not isinstance(version, int) or isinstance(version, bool) or version not in READ_VERSIONS:
        shown = str(version) if isinstance(version, int) and version < 10**6 else _quote(
            str(version), 12)
        raise ExportError(
            f"is export version {shown}, which this ibdquiz cannot read "
            f"(it reads versions {', '.join(map(str, READ_VERSIONS))}); update ibdquiz"
        )


def _as_export(data: object) -> ExportIn:
    if isinstance(data, ExportIn):
        return data
    if not isinstance(data, dict):
        raise ExportError("is not an ibdquiz export (the JSON is not an object)")
    check_header(data.get("format"), data.get("version"))
    try:
        # through JSON, as a file is read (an answer's options stay undecoded, as msgspec.Raw)
        return EXPORT_DECODER.decode(msgspec.json.encode(data))
    except msgspec.DecodeError as exc:
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
        flags=[_flag_info(f) for f in doc.flags],
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
        content_hash=card.content_hash or "", via=card.via or "",
    )


def _flag_info(flag: object) -> FlagInfo:
    from ibdquiz.report.schema import FlagIn

    assert isinstance(flag, FlagIn)
    if flag.flagged_at:
        parse_timestamp(flag.flagged_at, "a flag's flagged_at")
    return FlagInfo(
        flag.card_id, flag.reason or "", flag.flagged_at or "",
        tuple(flag.options) if flag.options is not None else None, flag.context, flag.card_hash,
    )


def _options(review: ReviewIn, index: int) -> tuple[str, ...]:
    raw = review.options
    if len(raw) > 8 * MAX_FIELD_CHARS:  # kept undecoded: bound it before decoding
        raise ExportError(f"review {index + 1}: its options are over the size limit")
    try:
        return tuple(OPTIONS_DECODER.decode(raw))
    except msgspec.DecodeError:  # a ValidationError is one too
        raise ExportError(f"review {index + 1}: options are not a list of texts") from None


def _tally_reviews(fellow: Fellow, reviews: list[ReviewIn], day_start_hour: int) -> None:
    """Count the reviews (in the order written, which is the order answered).

    The first loop is the report's hot path (millions of reviews for a large cohort): it checks
    each timestamp whole and records only the first counted answer of each (card, study day).
    Everything else is built from those counted answers after it.
    """
    day_cache: dict[str, int] = {}  # "YYYY-MM-DDTHH" (local) -> study day
    first: dict[tuple[str, int], int] = {}  # (card, study day) -> index of its counted answer
    answered = fellow.answered_cards
    stamp = _STAMP.fullmatch
    for index, review in enumerate(reviews):
        at = review.reviewed_at
        phase = review.phase
        if phase not in PHASES:
            raise ExportError(f"review {index + 1} has an unknown phase {_quote(phase)}")
        if stamp(at) is None:
            parse_timestamp(at, f"review {index + 1}: reviewed_at")  # raises with the reason
        day = day_cache.get(at[:13])
        if day is None:
            moment = parse_timestamp(at, f"review {index + 1}: reviewed_at")
            day = day_cache[at[:13]] = study_day(moment, day_start_hour)
        if phase in COUNTED_PHASES:
            key = (review.card_id, day)
            if key not in first:
                first[key] = index
        else:
            answered.add(review.card_id)
    answered.update(card_id for card_id, _ in first)
    days = set(day_cache.values())  # every review's day came through the cache
    _counted(fellow, reviews, first)
    fellow.all_answers = len(reviews)
    fellow.study_days = len(days)
    if days:
        fellow.first_day, fellow.last_day = min(days), max(days)


def _counted(fellow: Fellow, reviews: list[ReviewIn], first: dict[tuple[str, int], int]) -> None:
    """Build every tally from the counted answers (``first``, in the order answered)."""
    first_recall: dict[str, int] = {}  # fact -> day of its first counted flashcard answer
    for card_id, day in first:
        if card_id.endswith("/recall"):
            fact = card_id[: -len("/recall")]
            if fact not in first_recall:
                first_recall[fact] = day
    by_card: dict[str, list[int]] = {}
    weeks: dict[int, dict[str, list[int]]] = {}
    retention = fellow.retention
    exposures = fellow.first
    versions = fellow.first_versions
    option_counts = fellow.option_counts
    self_check = fellow.self_check
    previous: dict[str, int] = {}
    short, long = RETENTION_DAYS
    undone = 0
    # per card, split once: its counts, fact, kind and whether it is objective
    cards: dict[str, tuple[list[int], str, str, bool]] = {}
    for (card_id, day), index in first.items():
        review = reviews[index]
        correct = 1 if review.correct else 0
        if review.undone_at is not None:
            undone += 1
        card = cards.get(card_id)
        if card is None:
            fact, _, kind = card_id.rpartition("/")
            counts = by_card[card_id] = [0, 0]
            card = cards[card_id] = (counts, fact, kind, kind in OBJECTIVE_KINDS)
        counts, fact, kind, objective = card
        counts[0] += 1
        counts[1] += correct
        if objective:
            week = day - (day + 3) % 7  # week_of, inlined
            facts = weeks.get(week)
            if facts is None:
                facts = weeks[week] = {}
            cell = facts.get(fact)
            if cell is None:
                cell = facts[fact] = [0, 0]
            cell[0] += 1
            cell[1] += correct
        learned = first_recall.get(fact)
        if learned is not None and day >= learned:
            check = self_check.get(fact)
            if check is None:
                check = self_check[fact] = [0, 0, 0, 0]
            offset = 2 if objective else 0
            check[offset] += 1
            check[offset + 1] += correct
        before = previous.get(card_id)
        previous[card_id] = day
        if before is not None and day - before >= short and review.phase == "review":
            kept = retention.get(card_id)
            if kept is None:
                kept = retention[card_id] = [0, 0, 0, 0]
            kept[0] += 1
            kept[1] += correct
            if day - before >= long:
                kept[2] += 1
                kept[3] += correct
        version = (card_id, review.card_hash or "")
        if version not in versions:
            exposure = versions[version] = _exposure(review, index, day, kind)
            if card_id not in exposures:
                exposures[card_id] = exposure
                if kind == "choice" and exposure.options:
                    option_counts[card_id] = len(exposure.options)
    fellow.by_card = {card_id: Tally(n, c) for card_id, (n, c) in by_card.items()}
    fellow.week_facts = {week: weeks[week] for week in sorted(weeks)}
    fellow.by_week = {
        week: Tally(sum(c[0] for c in facts.values()), sum(c[1] for c in facts.values()))
        for week, facts in fellow.week_facts.items()
    }
    fellow.total = Tally(len(first), sum(c for _, c in by_card.values()))
    fellow.undone = undone


def _exposure(review: ReviewIn, index: int, day: int, kind: str) -> FirstExposure:
    """The first exposure's record: for a choice card, the options shown and the one chosen."""
    if kind != "choice":
        return FirstExposure(day, review.correct, review.card_hash or "")
    options = _options(review, index)
    chosen: str | None = review.response or None
    if review.response_index is not None and review.response_index < len(options):
        chosen = options[review.response_index]
    key = None
    if review.correct_index is not None and review.correct_index < len(options):
        key = options[review.correct_index]
    elif review.correct and chosen is not None:
        key = chosen
    return FirstExposure(day, review.correct, review.card_hash or "", options, chosen, key)


def week_label(week: int) -> str:
    """``2025-01-06``: the Monday that starts a week."""
    return day_to_date(week).isoformat()
