"""The clustered intervals cover the truth at their nominal 95% (simulations, seeded)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import pytest

from ibdquiz.core.card import CardKind
from ibdquiz.core.cards import choice_options
from ibdquiz.report.cohort import build_cohort
from ibdquiz.report.estimate import (
    Cells,
    _influence,
    below_each,
    mean_of_fellows,
    proportion,
    self_grade_gap,
    t_quantile,
    wilson,
)
from ibdquiz.report.fellow import summarize_export
from ibdquiz.report.tally import wilson_interval
from tests.helpers_sim import SimFellow, deck_cards, logistic, simulate

SIMULATIONS = 200
NODES = [k / 40 * 4 for k in range(-40, 41)]
WEIGHTS = [math.exp(-x * x / 2) for x in NODES]


def below_others(mine: Cells, others: Sequence[Cells]) -> bool:
    """The direct definition ``below_each`` is pinned to: true when this fellow's % lies below
    the mean of the others beyond the 95% interval, over the facts together."""
    used = [cells for cells in others if sum(c[0] for c in cells.values())]
    if not used or not sum(c[0] for c in mine.values()):
        return False
    p, mine_influence = _influence(mine)
    combined: dict[str, float] = dict(mine_influence)
    mean = 0.0
    for cells in used:
        q, influence = _influence(cells)
        mean += q / len(used)
        for fact, value in influence.items():
            combined[fact] = combined.get(fact, 0.0) - value / len(used)
    clusters = len(combined)
    if clusters < 2:
        return False
    variance = clusters / (clusters - 1) * sum(v * v for v in combined.values())
    return p - mean + t_quantile(clusters - 1) * math.sqrt(variance) < 0


def _expect(f: object) -> float:
    """E[f(z)] for z ~ N(0, 1), by quadrature on a fine grid."""
    assert callable(f)
    return sum(w * f(x) for w, x in zip(WEIGHTS, NODES, strict=True)) / sum(WEIGHTS)


def _cluster_sim(seed: int, facts: int = 40, fellows: int = 8):
    """Fellows answering facts 1–5 times each, with fellow×fact effects: (cells, truths)."""
    rng = random.Random(seed)
    difficulty = [rng.gauss(0, 1) for _ in range(facts)]
    spread = math.hypot(1.0, 0.5)  # fact difficulty and the fellow×fact effect together
    cohort, truths = [], []
    for _ in range(fellows):
        ability = rng.gauss(1, 0.7)
        truths.append(_expect(lambda z, a=ability: logistic(a - spread * z)))
        cells = {}
        for j in range(facts):
            if rng.random() < 0.3:
                continue  # not every fellow reaches every fact
            p = logistic(ability - difficulty[j] + rng.gauss(0, 0.5))
            m = rng.randint(1, 5)
            cells[f"f{j}"] = [m, sum(rng.random() < p for _ in range(m))]
        cohort.append(cells)
    return cohort, truths


def test_t_quantiles() -> None:
    for df, expected in ((1, 12.706), (2, 4.303), (5, 2.571), (10, 2.228), (30, 2.042)):
        assert abs(t_quantile(df) - expected) < 0.01
    assert abs(t_quantile(10**6) - 1.95996) < 1e-3


def test_without_clustering_it_is_the_wilson_interval() -> None:
    one = proportion({"f": [20, 7]})  # one fact: nothing to estimate a design effect from
    assert (one.low, one.high) == pytest.approx(wilson_interval(7, 20))
    assert wilson(0.35, 20) == pytest.approx(wilson_interval(7, 20))
    # independent answers, one per fact: close to Wilson (t on many df), never narrower
    cells = {f"f{i}": [1, int(i % 3 == 0)] for i in range(300)}
    est, (low, high) = proportion(cells), wilson_interval(100, 300)
    assert est.low is not None and est.high is not None
    assert est.low <= low + 1e-9 and est.high >= high - 1e-9
    assert est.high - est.low < 1.1 * (high - low)


def test_clustered_answers_widen_the_interval() -> None:
    # 10 facts, each always right or always wrong: 200 answers carry 10 facts' worth
    cells = {f"f{i}": [20, 20 if i < 6 else 0] for i in range(10)}
    est = proportion(cells)
    low, high = wilson_interval(120, 200)
    assert est.value == pytest.approx(0.6)
    assert est.low is not None and est.high is not None
    assert (est.high - est.low) > 2.5 * (high - low)


def test_per_fellow_and_cohort_intervals_cover_the_truth() -> None:
    fellow_hits = fellow_total = cohort_hits = 0
    for seed in range(SIMULATIONS):
        cohort, truths = _cluster_sim(seed)
        for cells, truth in zip(cohort, truths, strict=True):
            est = proportion(cells)
            assert est.low is not None and est.high is not None
            fellow_total += 1
            fellow_hits += est.low <= truth <= est.high
        est = mean_of_fellows(cohort)
        assert est.low is not None and est.high is not None
        cohort_hits += est.low <= sum(truths) / len(truths) <= est.high
    assert fellow_hits / fellow_total >= 0.90
    assert cohort_hits / SIMULATIONS >= 0.90
    assert fellow_hits / fellow_total <= 0.99  # and the intervals are not uselessly wide


def test_below_the_cohort_is_rarely_raised_between_equal_fellows() -> None:
    raised = 0
    for seed in range(SIMULATIONS):
        rng = random.Random(seed)
        difficulty = [rng.gauss(0, 1) for _ in range(40)]
        cohort = []
        for _ in range(6):  # six fellows of the same ability
            cells = {}
            for j, b in enumerate(difficulty):
                p = logistic(1 - b + rng.gauss(0, 0.5))
                cells[f"f{j}"] = [3, sum(rng.random() < p for _ in range(3))]
            cohort.append(cells)
        raised += below_each(cohort)[0]
    assert raised / SIMULATIONS <= 0.05  # one-sided test at 2.5%, allowing for noise


def test_below_each_decides_as_below_others_for_every_fellow() -> None:
    """The one-pass comparison gives each fellow the verdict of comparing them with the rest."""
    raised = 0
    for seed in range(40):
        rng = random.Random(seed)
        cohort = []
        for _ in range(rng.randint(0, 9)):
            ability = rng.gauss(0, 1.5)
            facts = rng.sample(range(30), rng.randint(0, 25))  # fellows see different facts
            cells = {}
            for j in facts:
                n = rng.randint(1, 4)
                cells[f"f{j}"] = [n, sum(rng.random() < logistic(ability) for _ in range(n))]
            cohort.append(cells)
        active = [c for c in cohort if sum(v[0] for v in c.values())]
        expected = [below_others(c, [o for o in active if o is not c]) if c in active else False
                    for c in cohort]
        assert below_each(cohort) == expected, seed
        raised += sum(expected)
    assert raised > 0  # the comparison met fellows who are below


def test_self_grade_gap() -> None:
    honest = {f"f{i}": [2, 1, 2, 1] for i in range(10)}
    gap = self_grade_gap(honest)
    assert gap is not None and gap.points == 0 and gap.facts == 10
    generous = {f"f{i}": [2, 2, 2, i % 2] for i in range(10)}
    gap = self_grade_gap(generous)
    assert gap is not None and gap.points == pytest.approx(75) and gap.low > 50
    assert self_grade_gap({"f": [1, 1, 1, 0]}) is None


def _objective_truth(ability: float, chance_choice: float, share_choice: float) -> float:
    """A simulated fellow's expected objective % on a random fact (slips and guesses included)."""
    def at(z: float) -> float:
        p = logistic(ability - z)
        choice = p * 0.97 + (1 - p * 0.97) * chance_choice
        typed = p * 0.97 + (1 - p) * 0.02
        return share_choice * choice + (1 - share_choice) * typed
    return _expect(at)


@pytest.mark.slow
def test_intervals_cover_the_truth_through_the_whole_report() -> None:
    """The same check end to end: exports of the bundled deck → reader → cohort."""
    cards = deck_cards()
    choice = [c for c in cards if c.kind is CardKind.CHOICE]
    typed = [c for c in cards if c.kind is CardKind.NUMERIC]
    chance = sum(1 / len(choice_options(c, 0).options) for c in choice) / len(choice)
    share = len(choice) / (len(choice) + len(typed))
    now = datetime(2025, 12, 1, tzinfo=timezone.utc)
    fellow_hits = fellow_total = cohort_hits = 0
    for seed in range(SIMULATIONS):
        rng = random.Random(seed)
        sims = [SimFellow(f"id-{i}", f"Dr {i}", ability=rng.gauss(0.8, 0.8), reviews_per_card=1)
                for i in range(5)]
        docs = simulate(sims, seed=seed)
        fellows = [summarize_export(doc, Path(f"{i}.json")) for i, doc in enumerate(docs)]
        cohort = build_cohort(fellows, generated_at=now)
        truths = {s.learner_id: 100 * _objective_truth(s.ability, chance, share) for s in sims}
        for learner_id, truth in truths.items():
            interval = cohort.stats[learner_id].objective.interval
            assert interval is not None
            fellow_total += 1
            fellow_hits += interval[0] <= truth <= interval[1]
        interval = cohort.objective.interval
        assert interval is not None
        cohort_hits += interval[0] <= sum(truths.values()) / len(truths) <= interval[1]
    assert fellow_hits / fellow_total >= 0.90
    assert cohort_hits / SIMULATIONS >= 0.90
