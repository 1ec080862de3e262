"""The cohort: every fellow's results set side by side, split by the kind of evidence.

Two kinds of evidence are never pooled: **objective** answers (choice and typed cards, graded by
ibdquiz) and **self-graded** ones (flashcards the fellow graded). The objective figure is the
headline everywhere. The cohort's figure is the **mean of the fellows** (each fellow counts
once, however many answers they gave); the answer-pooled figure is kept only as a labelled
aside. Intervals are clustered on facts (``ibdquiz.report.estimate``). Retention (scheduled
reviews ≥ 7 and ≥ 21 days after the previous counted answer) is shown apart from first
exposure. Percentile ranks are given only when the cohort is large enough for them to mean
something.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ibdquiz.report.estimate import (
    EMPTY,
    Estimate,
    Gap,
    below_each,
    mean_of_fellows,
    self_grade_gap,
)
from ibdquiz.report.estimate import proportion as clustered
from ibdquiz.report.fellow import (
    OBJECTIVE_KINDS,
    RETENTION_DAYS,
    CardInfo,
    DeckInfo,
    Fellow,
    FirstExposure,
)
from ibdquiz.report.tally import Tally

MIN_FELLOWS_FOR_PERCENTILES = 10
"""Below this many fellows with answers, percentile ranks are not shown."""
MIN_ANSWERS = 20
"""A figure on fewer answers than this is shown greyed, with its n."""
MIN_FACTS = 3
"""A figure on fewer facts than this is greyed too: its interval cannot be trusted."""
GENEROUS_POINTS = 20.0
"""A fellow's self-grades are flagged as generous when they run this many percentage points
above their objective results on the same facts (and the gap's 95% lower bound is above 0)."""
MIN_GAP_FACTS = 5
"""Facts with both kinds of answer needed before the self-grade gap is judged."""

TOP_MISSED = 20
TOP_MISSED_PER_FELLOW = 5

Cells = dict[str, list[int]]
"""Per fact: ``[answers, correct]``."""


@dataclass
class FellowStats:
    """One fellow's figures, by kind of evidence (all clustered on facts)."""

    objective: Estimate
    choice: Estimate
    typed: Estimate
    self_graded: Estimate
    retention: dict[int, Estimate]
    chance: float | None
    """Percent expected from guessing alone on these objective answers (choice: 1/options)."""
    gap: Gap | None
    generous: bool
    below: bool = False
    objective_cells: Cells = field(default_factory=dict)
    self_cells: Cells = field(default_factory=dict)


@dataclass
class AreaRow:
    """One content area (a study or a tag): the cohort's figures and each fellow's."""

    key: str
    title: str
    citation: str = ""
    deck: str = ""
    """Shown beside the title when another row has the same title."""
    show_deck: bool = False
    objective: Estimate = EMPTY
    self_graded: Estimate = EMPTY
    by_fellow: dict[str, tuple[Estimate, Estimate]] = field(default_factory=dict)
    """Per learner id: (objective, self-graded)."""

    @property
    def name(self) -> str:
        """The title, with its deck where the title alone is ambiguous."""
        return f"{self.title} ({self.deck})" if self.show_deck else self.title


@dataclass(frozen=True)
class MissedFact:
    """A fact fellows got wrong at their first attempt, with where it comes from."""

    key: str
    prompt: str
    answer: str
    citation: str
    source: str
    fellows_missed: int
    fellows_asked: int
    missed: int = 0
    """Counted wrong answers (all kinds), for context."""
    asked: int = 0

    @property
    def share(self) -> float:
        """Share of the fellows who answered it who missed it at their first attempt (0–1)."""
        return self.fellows_missed / self.fellows_asked if self.fellows_asked else 0.0


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
    options: tuple[str, ...] | None = None
    context: str | None = None


@dataclass
class FlagGroup:
    """Every flag on one question: what was seen, the reasons, how many fellows."""

    card_id: str
    prompt: str
    answer: str
    citation: str
    flags: list[FlagRow] = field(default_factory=list)

    @property
    def fellows(self) -> int:
        """How many fellows flagged it."""
        return len({f.learner_id for f in self.flags})

    @property
    def seen(self) -> list[tuple[str | None, tuple[str, ...] | None]]:
        """The distinct (header, options) the fellows saw when they flagged it."""
        result: list[tuple[str | None, tuple[str, ...] | None]] = []
        for flag in self.flags:
            pair = (flag.context, flag.options)
            if pair not in result:
                result.append(pair)
        return result


@dataclass(frozen=True)
class WeekPoint:
    """One calendar week: the mean of the fellows active that week (objective answers)."""

    week: int
    estimate: Estimate
    fellows: int

    @property
    def tally(self) -> Estimate:
        """The week's estimate (kept under the older name)."""
        return self.estimate


@dataclass
class Cohort:
    """Everything a report shows, computed once for every renderer."""

    fellows: list[Fellow]
    generated_at: datetime
    problems: list[str]
    files_read: int
    total: Tally
    """Every counted answer pooled (all kinds): the labelled aside, never the headline."""
    pooled_objective: Tally
    objective: Estimate
    """The headline: mean of the fellows' objective %."""
    self_graded: Estimate
    retention: dict[int, Estimate]
    stats: dict[str, FellowStats]
    decks: list[DeckInfo]
    sources: list[AreaRow]
    tags: list[AreaRow]
    weeks: list[WeekPoint]
    missed: list[MissedFact]
    flags: list[FlagRow]
    flag_groups: list[FlagGroup]
    no_answers: list[Fellow]
    percentiles: dict[str, float] | None
    catalog: dict[str, CardInfo] = field(default_factory=dict)
    """Every card's details, from the newest export that lists it."""
    items: list[object] = field(default_factory=list)
    """The item analysis (``ibdquiz.report.items.ItemStats``), filled by ``build_cohort``."""

    @property
    def active(self) -> list[Fellow]:
        """The fellows with at least one counted answer."""
        return [f for f in self.fellows if f.total.n > 0]

    def below_cohort(self, fellow: Fellow) -> bool:
        """True when the fellow's objective % is below the mean of the others beyond chance."""
        stats = self.stats.get(fellow.learner_id)
        return stats is not None and stats.below

    def missed_by(self, fellow: Fellow, top: int = TOP_MISSED_PER_FELLOW) -> list[MissedFact]:
        """The facts this fellow got wrong most often (counted answers only)."""
        return fellow_missed(fellow, self.catalog, top)

    @property
    def generous(self) -> list[Fellow]:
        """Fellows whose self-grades run far above their objective results."""
        return [f for f in self.fellows if self.stats[f.learner_id].generous]


def thin(estimate: Estimate | Tally) -> bool:
    """Too little evidence to read much into (greyed in the report): fewer than
    ``MIN_ANSWERS`` answers, or answers on fewer than ``MIN_FACTS`` facts."""
    if isinstance(estimate, Estimate) and estimate.n and estimate.clusters < MIN_FACTS:
        return True
    return estimate.n < MIN_ANSWERS


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


def _cells(fellow: Fellow, keep: Callable[[str], bool]) -> Cells:
    """Counted answers per fact, over the cards ``keep`` accepts."""
    cells: Cells = {}
    for card_id, tally in fellow.by_card.items():
        if keep(card_id):
            fact = card_id.rpartition("/")[0]
            cell = cells.setdefault(fact, [0, 0])
            cell[0] += tally.n
            cell[1] += tally.correct
    return cells


def _objective(card_id: str) -> bool:
    return card_id.rpartition("/")[2] in OBJECTIVE_KINDS


def _kind(name: str) -> Callable[[str], bool]:
    return lambda card_id: card_id.rpartition("/")[2] == name


def _retention(fellow: Fellow, days: int, keep: Callable[[str], bool]) -> Cells:
    slot = RETENTION_DAYS.index(days) * 2
    cells: Cells = {}
    for card_id, counts in fellow.retention.items():
        if keep(card_id) and counts[slot]:
            cell = cells.setdefault(card_id.rpartition("/")[0], [0, 0])
            cell[0] += counts[slot]
            cell[1] += counts[slot + 1]
    return cells


def _chance(fellow: Fellow) -> float | None:
    """Percent correct expected from guessing alone on the fellow's objective answers."""
    n = 0
    expected = 0.0
    for card_id, tally in fellow.by_card.items():
        kind = card_id.rpartition("/")[2]
        if kind not in OBJECTIVE_KINDS:
            continue
        n += tally.n
        if kind == "choice":
            options = fellow.option_counts.get(card_id, 4)
            expected += tally.n / max(options, 1)
    return 100.0 * expected / n if n else None


def fellow_stats(fellow: Fellow) -> FellowStats:
    """One fellow's figures (``below`` is set by the cohort)."""
    objective = _cells(fellow, _objective)
    self_cells = _cells(fellow, _kind("recall"))
    gap = self_grade_gap(fellow.self_check)
    generous = (
        gap is not None and gap.facts >= MIN_GAP_FACTS and gap.points >= GENEROUS_POINTS
        and gap.low > 0
    )
    return FellowStats(
        objective=clustered(objective),
        choice=clustered(_cells(fellow, _kind("choice"))),
        typed=clustered(_cells(fellow, _kind("numeric"))),
        self_graded=clustered(self_cells),
        retention={d: clustered(_retention(fellow, d, _objective)) for d in RETENTION_DAYS},
        chance=_chance(fellow),
        gap=gap,
        generous=generous,
        objective_cells=objective,
        self_cells=self_cells,
    )


def _split(cells: Cells, group: Callable[[str], Iterable[str]]) -> dict[str, Cells]:
    """Cells regrouped by area (a fact may belong to several, as with tags)."""
    result: dict[str, Cells] = {}
    for fact, cell in cells.items():
        for key in group(fact):
            result.setdefault(key, {})[fact] = cell
    return result


def _areas(
    fellows: Sequence[Fellow], stats: dict[str, FellowStats], catalog: dict[str, CardInfo]
) -> tuple[list[AreaRow], list[AreaRow]]:
    sources: dict[str, AreaRow] = {}
    fact_tags: dict[str, tuple[str, ...]] = {}
    for card in catalog.values():  # deck order, as exports list cards
        fact_tags.setdefault(card.fact_key, card.tags)
        if card.source_key not in sources:
            title = card.label or card.source
            sources[card.source_key] = AreaRow(card.source_key, title, card.citation, card.deck)

    def source_of(fact: str) -> tuple[str]:
        return (fact.rpartition("/")[0],)

    def tags_of(fact: str) -> tuple[str, ...]:
        return fact_tags.get(fact, ())

    tags: dict[str, AreaRow] = {}
    per_area: dict[tuple[str, str], list[tuple[Cells, Cells]]] = {}
    for fellow in fellows:
        mine = stats[fellow.learner_id]
        for kind, group, rows in (("s", source_of, sources), ("t", tags_of, tags)):
            objective = _split(mine.objective_cells, group)
            self_cells = _split(mine.self_cells, group)
            for key in objective.keys() | self_cells.keys():
                if key not in rows:
                    deck = key.split("/")[0] if kind == "s" else ""
                    rows[key] = AreaRow(key, key if kind == "t" else key.partition("/")[2] or key,
                                        deck=deck)
                pair = (objective.get(key, {}), self_cells.get(key, {}))
                rows[key].by_fellow[fellow.learner_id] = (clustered(pair[0]), clustered(pair[1]))
                per_area.setdefault((kind, key), []).append(pair)
    for kind, rows in (("s", sources), ("t", tags)):
        for key, row in rows.items():
            pairs = per_area.get((kind, key), [])
            row.objective = mean_of_fellows([p[0] for p in pairs])
            row.self_graded = mean_of_fellows([p[1] for p in pairs])
    _mark_ambiguous(list(sources.values()))
    source_rows = sorted(sources.values(), key=lambda r: r.key.split("/")[0])
    return source_rows, sorted(tags.values(), key=lambda r: r.key)


def _mark_ambiguous(rows: list[AreaRow]) -> None:
    """Rows whose title another row shares show their deck too."""
    seen: dict[str, int] = {}
    for row in rows:
        seen[row.title.casefold()] = seen.get(row.title.casefold(), 0) + 1
    for row in rows:
        row.show_deck = seen[row.title.casefold()] > 1


def _weeks(fellows: Iterable[Fellow]) -> list[WeekPoint]:
    by_week: dict[int, list[dict[str, list[int]]]] = {}
    for fellow in fellows:
        for week, facts in fellow.week_facts.items():
            by_week.setdefault(week, []).append(facts)
    return [
        WeekPoint(week, mean_of_fellows(by_week[week]), len(by_week[week]))
        for week in sorted(by_week)
    ]


def _example(catalog: dict[str, CardInfo], fellow: Fellow, card_id: str,
             example: dict[str, CardInfo]) -> str:
    card = catalog.get(card_id) or fellow.card(card_id)
    key = card.fact_key
    # the flashcard's prompt is the plain question; prefer it over the other kinds
    if key not in example or (card.kind == "recall" and example[key].kind != "recall"):
        example[key] = card
    return key


def missed_facts(
    fellows: Sequence[Fellow], catalog: dict[str, CardInfo], top: int
) -> list[MissedFact]:
    """Facts ranked by the share of fellows who missed them at their first attempt.

    A fellow's first attempt at a fact is their earliest first exposure to any of its cards
    (usually the choice card); an undone attempt counts. Ties: more fellows missed first.
    """
    asked: dict[str, int] = {}
    missed: dict[str, int] = {}
    answers: dict[str, Tally] = {}
    example: dict[str, CardInfo] = {}
    for fellow in fellows:
        first: dict[str, tuple[int, int, bool]] = {}  # fact -> (day, kind order, correct)
        for card_id, exposure in fellow.first.items():
            key = _example(catalog, fellow, card_id, example)
            order = 0 if _objective(card_id) else 1
            candidate = (exposure.day, order, exposure.correct)
            if key not in first or candidate[:2] < first[key][:2]:
                first[key] = candidate
        for key, (_day, _order, correct) in first.items():
            asked[key] = asked.get(key, 0) + 1
            if not correct:
                missed[key] = missed.get(key, 0) + 1
        for card_id, tally in fellow.by_card.items():
            key = _example(catalog, fellow, card_id, example)
            answers.setdefault(key, Tally()).merge(tally)
    facts = []
    for key, count in missed.items():
        card = example[key]
        tally = answers.get(key, Tally())
        facts.append(MissedFact(
            key=key, prompt=card.prompt or card.card_id, answer=card.answer,
            citation=card.citation, source=card.label or card.source_key,
            fellows_missed=count, fellows_asked=asked[key],
            missed=tally.n - tally.correct, asked=tally.n,
        ))
    facts.sort(key=lambda f: (-f.share, -f.fellows_missed, f.key))
    return facts[:top]


def fellow_missed(fellow: Fellow, catalog: dict[str, CardInfo], top: int) -> list[MissedFact]:
    """The facts one fellow got wrong most often (counted answers, all kinds)."""
    wrong: dict[str, Tally] = {}
    example: dict[str, CardInfo] = {}
    for card_id, tally in fellow.by_card.items():
        key = _example(catalog, fellow, card_id, example)
        wrong.setdefault(key, Tally()).merge(tally)
    first_by_fact: dict[str, list[FirstExposure]] = {}
    for card_id, exposure in fellow.first.items():
        first_by_fact.setdefault(card_id.rpartition("/")[0], []).append(exposure)
    facts = []
    for key, tally in wrong.items():
        if tally.correct == tally.n:
            continue
        card = example[key]
        first = first_by_fact.get(key, [])
        facts.append(MissedFact(
            key=key, prompt=card.prompt or card.card_id, answer=card.answer,
            citation=card.citation, source=card.label or card.source_key,
            fellows_missed=int(any(not e.correct for e in first)), fellows_asked=1,
            missed=tally.n - tally.correct, asked=tally.n,
        ))
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
                    options=flag.options,
                    context=flag.context,
                )
            )
    rows.sort(key=lambda r: (r.card_id, r.fellow))
    return rows


def group_flags(rows: Sequence[FlagRow]) -> list[FlagGroup]:
    """Flags grouped by question, the most-flagged first."""
    groups: dict[str, FlagGroup] = {}
    for row in rows:
        group = groups.get(row.card_id)
        if group is None:
            group = groups[row.card_id] = FlagGroup(
                row.card_id, row.prompt, row.answer, row.citation
            )
        group.flags.append(row)
    return sorted(groups.values(), key=lambda g: (-g.fellows, g.card_id))


def build_cohort(
    fellows: Sequence[Fellow],
    *,
    generated_at: datetime,
    problems: Sequence[str] = (),
    files_read: int = 0,
    top_missed: int = TOP_MISSED,
    locations: dict[str, tuple[str, int, str]] | None = None,
) -> Cohort:
    """Aggregate the fellows into everything the report shows.

    ``locations``: card id → (deck file, line, content hash) from ``report --decks``.
    """
    from ibdquiz.report.items import item_analysis

    ordered = sorted(fellows, key=lambda f: (f.name.casefold(), f.learner_id))
    catalog = _card_catalog(ordered)
    stats = {f.learner_id: fellow_stats(f) for f in ordered}
    active = [f for f in ordered if stats[f.learner_id].objective.n]
    below = below_each([stats[f.learner_id].objective_cells for f in active])
    for fellow, is_below in zip(active, below, strict=True):
        stats[fellow.learner_id].below = is_below
    sources, tags = _areas(ordered, stats, catalog)
    total = Tally()
    pooled = Tally()
    for fellow in ordered:
        total.merge(fellow.total)
        for card_id, tally in fellow.by_card.items():
            if _objective(card_id):
                pooled.merge(tally)
    scores = {
        f.learner_id: p for f in ordered if (p := stats[f.learner_id].objective.percent) is not None
    }
    percentiles = (
        percentile_ranks(scores) if len(scores) >= MIN_FELLOWS_FOR_PERCENTILES else None
    )
    flags = _flags(ordered, catalog)
    cohort = Cohort(
        fellows=ordered,
        generated_at=generated_at,
        problems=list(problems),
        files_read=files_read,
        total=total,
        pooled_objective=pooled,
        objective=mean_of_fellows([stats[f.learner_id].objective_cells for f in ordered]),
        self_graded=mean_of_fellows([stats[f.learner_id].self_cells for f in ordered]),
        retention={
            d: mean_of_fellows([_retention(f, d, _objective) for f in ordered])
            for d in RETENTION_DAYS
        },
        stats=stats,
        decks=_decks(ordered),
        sources=sources,
        tags=tags,
        weeks=_weeks(ordered),
        missed=missed_facts(ordered, catalog, top_missed),
        flags=flags,
        flag_groups=group_flags(flags),
        no_answers=[f for f in ordered if f.all_answers == 0],
        percentiles=percentiles,
        catalog=catalog,
    )
    cohort.items = list(item_analysis(ordered, catalog, flags, locations or {}))
    return cohort

