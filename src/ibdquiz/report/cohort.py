"""The cohort: every fellow's results set side by side, per study, per topic, per week.

Shaped like the in-training-exam reports directors already read: a total per fellow with its
95% Wilson interval, then results by content area (here: each study, and each tag). Percentile
ranks are given only when the cohort is large enough for them to mean something.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ibdquiz.report.fellow import CardInfo, DeckInfo, Fellow
from ibdquiz.report.tally import Tally

MIN_FELLOWS_FOR_PERCENTILES = 10
"""Below this many fellows with answers, percentile ranks are not shown."""

TOP_MISSED = 20
TOP_MISSED_PER_FELLOW = 5


@dataclass
class AreaRow:
    """One content area (a study or a tag): the cohort's tally and each fellow's."""

    key: str
    title: str
    citation: str = ""
    total: Tally = field(default_factory=Tally)
    by_fellow: dict[str, Tally] = field(default_factory=dict)


@dataclass(frozen=True)
class MissedFact:
    """A fact the cohort often got wrong, with where it comes from."""

    key: str
    prompt: str
    answer: str
    citation: str
    source: str
    missed: int
    asked: int
    fellows_missed: int


@dataclass(frozen=True)
class FlagRow:
    """A question a fellow flagged."""

    fellow: str
    learner_id: str
    card_id: str
    prompt: str
    citation: str
    reason: str
    flagged_at: str
    answer: str = ""
    """The card's answer, so the reader can judge the flag without opening the deck."""


@dataclass(frozen=True)
class WeekPoint:
    """The cohort's counted answers in one week (``week`` is the Monday's study day)."""

    week: int
    tally: Tally
    fellows: int


@dataclass
class Cohort:
    """Everything a report shows, computed once for every renderer."""

    fellows: list[Fellow]
    generated_at: datetime
    problems: list[str]
    files_read: int
    total: Tally
    decks: list[DeckInfo]
    sources: list[AreaRow]
    tags: list[AreaRow]
    weeks: list[WeekPoint]
    missed: list[MissedFact]
    flags: list[FlagRow]
    no_answers: list[Fellow]
    percentiles: dict[str, float] | None
    catalog: dict[str, CardInfo] = field(default_factory=dict)
    """Every card's details, from the newest export that lists it."""

    @property
    def active(self) -> list[Fellow]:
        """The fellows with at least one counted answer."""
        return [f for f in self.fellows if f.total.n > 0]

    def below_cohort(self, fellow: Fellow) -> bool:
        """True when the fellow's whole 95% interval lies below the cohort's % correct."""
        interval, cohort = fellow.total.interval, self.total.percent
        return interval is not None and cohort is not None and interval[1] < cohort

    def missed_by(self, fellow: Fellow, top: int = TOP_MISSED_PER_FELLOW) -> list[MissedFact]:
        """The facts this fellow got wrong most often (counted answers only)."""
        return missed_facts([fellow], self.catalog, top)

    def source_title(self, key: str) -> str:
        """A study's title as shown (its label, else its id)."""
        for row in self.sources:
            if row.key == key:
                return row.title
        return key


def percentile_ranks(scores: dict[str, float]) -> dict[str, float]:
    """Percentile rank of each score: percent of others below, counting ties as half."""
    values = list(scores.values())
    n = len(values)
    ranks = {}
    for key, score in scores.items():
        below = sum(1 for v in values if v < score)
        equal = sum(1 for v in values if v == score) - 1
        ranks[key] = 100.0 * (below + 0.5 * equal) / (n - 1) if n > 1 else 50.0
    return ranks


def _card_catalog(fellows: Sequence[Fellow]) -> dict[str, CardInfo]:
    """Each card's details, from the newest export that lists it."""
    catalog: dict[str, CardInfo] = {}
    for fellow in sorted(fellows, key=lambda f: f.exported_at):
        catalog.update(fellow.cards)
    return catalog


def _decks(fellows: Sequence[Fellow]) -> list[DeckInfo]:
    decks: dict[str, DeckInfo] = {}
    for fellow in sorted(fellows, key=lambda f: f.exported_at):
        decks.update(fellow.decks)
    return sorted(decks.values(), key=lambda d: d.id)


def _areas(
    fellows: Sequence[Fellow], catalog: dict[str, CardInfo]
) -> tuple[list[AreaRow], list[AreaRow]]:
    sources: dict[str, AreaRow] = {}
    for card in catalog.values():  # deck order, as exports list cards
        if card.source_key not in sources:
            title = card.label or card.source_key
            sources[card.source_key] = AreaRow(card.source_key, title, card.citation)
    tags: dict[str, AreaRow] = {}
    for fellow in fellows:
        for key, tally in fellow.by_source().items():
            row = sources.setdefault(key, AreaRow(key, key))
            row.total.merge(tally)
            row.by_fellow[fellow.learner_id] = tally
        for tag, tally in fellow.by_tag().items():
            row = tags.setdefault(tag, AreaRow(tag, tag))
            row.total.merge(tally)
            row.by_fellow[fellow.learner_id] = tally
    source_rows = sorted(sources.values(), key=lambda r: r.key.split("/")[0])
    return source_rows, sorted(tags.values(), key=lambda r: r.key)


def _weeks(fellows: Iterable[Fellow]) -> list[WeekPoint]:
    totals: dict[int, Tally] = {}
    active: dict[int, int] = {}
    for fellow in fellows:
        for week, tally in fellow.by_week.items():
            totals.setdefault(week, Tally()).merge(tally)
            active[week] = active.get(week, 0) + 1
    return [WeekPoint(week, totals[week], active[week]) for week in sorted(totals)]


def missed_facts(
    fellows: Sequence[Fellow], catalog: dict[str, CardInfo], top: int
) -> list[MissedFact]:
    """The ``top`` facts with the most counted wrong answers among ``fellows``."""
    asked: dict[str, Tally] = {}
    missed_by: dict[str, set[str]] = {}
    example: dict[str, CardInfo] = {}
    for fellow in fellows:
        for card_id, tally in fellow.by_card.items():
            card = catalog.get(card_id) or fellow.card(card_id)
            key = card.fact_key
            asked.setdefault(key, Tally()).merge(tally)
            if tally.correct < tally.n:
                missed_by.setdefault(key, set()).add(fellow.learner_id)
            # the flashcard's prompt is the plain question; prefer it over the other kinds
            if key not in example or (card.kind == "recall" and example[key].kind != "recall"):
                example[key] = card
    facts = []
    for key, who in missed_by.items():
        tally, card = asked[key], example[key]
        facts.append(
            MissedFact(
                key=key,
                prompt=card.prompt or card.card_id,
                answer=card.answer,
                citation=card.citation,
                source=card.label or card.source_key,
                missed=tally.n - tally.correct,
                asked=tally.n,
                fellows_missed=len(who),
            )
        )
    facts.sort(key=lambda f: (-f.missed, -f.missed / f.asked, f.key))
    return facts[:top]


def _flags(fellows: Sequence[Fellow], catalog: dict[str, CardInfo]) -> list[FlagRow]:
    rows = []
    for fellow in fellows:
        for flag in fellow.flags:
            card = fellow.cards.get(flag.card_id) or catalog.get(flag.card_id)
            rows.append(
                FlagRow(
                    fellow=fellow.name,
                    learner_id=fellow.learner_id,
                    card_id=flag.card_id,
                    prompt=card.prompt if card else "",
                    citation=card.citation if card else "",
                    reason=flag.reason,
                    flagged_at=flag.flagged_at,
                    answer=card.answer if card else "",
                )
            )
    rows.sort(key=lambda r: (r.card_id, r.fellow))
    return rows


def build_cohort(
    fellows: Sequence[Fellow],
    *,
    generated_at: datetime,
    problems: Sequence[str] = (),
    files_read: int = 0,
    top_missed: int = TOP_MISSED,
) -> Cohort:
    """Aggregate the fellows into everything the report shows."""
    ordered = sorted(fellows, key=lambda f: (f.name.casefold(), f.learner_id))
    catalog = _card_catalog(ordered)
    sources, tags = _areas(ordered, catalog)
    total = Tally()
    for fellow in ordered:
        total.merge(fellow.total)
    scores = {f.learner_id: p for f in ordered if (p := f.total.percent) is not None}
    percentiles = (
        percentile_ranks(scores) if len(scores) >= MIN_FELLOWS_FOR_PERCENTILES else None
    )
    return Cohort(
        fellows=ordered,
        generated_at=generated_at,
        problems=list(problems),
        files_read=files_read,
        total=total,
        decks=_decks(ordered),
        sources=sources,
        tags=tags,
        weeks=_weeks(ordered),
        missed=missed_facts(ordered, catalog, top_missed),
        flags=_flags(ordered, catalog),
        no_answers=[f for f in ordered if f.all_answers == 0],
        percentiles=percentiles,
        catalog=catalog,
    )
