"""Estimates with intervals that respect how answers cluster: within facts and within fellows.

A fellow answers the same fact many times (three card kinds, reviews on several days), and every
fellow answers the same facts, so answers are far from independent: a plain Wilson interval on
452 answers from 55 facts is much too narrow. Here the **fact is the cluster**:

- a fellow's % correct is a ratio estimator over facts; its variance is the cluster-robust
  (linearisation, "sandwich") variance with facts as clusters and the small-sample factor
  F/(F−1);
- the cohort's figure is the **mean of fellows** (each fellow weighs the same, however many
  answers they gave); its variance is the cluster-robust variance of that mean, again with facts
  as clusters, so answers of different fellows to one fact move together;
- the interval is a Wilson score interval on the *effective* number of answers (the number of
  answers divided by the design effect, never more than the real number), with the normal
  quantile replaced by Student's t on F−1 degrees of freedom. It stays inside 0–100% and is
  never narrower than the plain Wilson interval.

What it estimates: a fellow's expected % correct on a fact drawn from the deck's facts, and
the mean of that over the fellows in the report (these fellows, not a wider population). The
simulation tests in ``tests/test_report_estimate.py`` check the 95% coverage.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054
Cells = Mapping[str, Sequence[int]]
"""Per cluster (fact): ``[answers, correct]``."""


def t_quantile(df: float, z: float = Z95) -> float:
    """Student's t quantile matching the normal ``z`` (Cornish–Fisher; exact to ~0.01 for df≥3)."""
    if df <= 0:
        return z
    if df < 3:  # the 95% values; the expansion is poor this low
        return 12.706 if df < 1.5 else 4.303
    z3, z5, z7 = z**3, z**5, z**7
    return (z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df**2)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df**3))


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion ``p`` on ``n`` (possibly effective) answers."""
    if n <= 0:
        return 0.0, 1.0
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = (z / (1 + z2 / n)) * math.sqrt(max(p * (1 - p), 0.0) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Estimate:
    """A proportion (0–1) with its clustered 95% interval, and how much evidence is behind it."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    """Answers."""
    clusters: int
    """Facts."""
    fellows: int = 1

    @property
    def percent(self) -> float | None:
        """The estimate in percent."""
        return None if self.value is None else 100.0 * self.value

    @property
    def interval(self) -> tuple[float, float] | None:
        """The interval in percent."""
        if self.low is None or self.high is None:
            return None
        return 100.0 * self.low, 100.0 * self.high


EMPTY = Estimate(None, None, None, 0, 0, 0)


def _interval(p: float, n: int, variance: float, clusters: int) -> tuple[float, float]:
    """Wilson on the effective sample size (design effect ≥ 1), t on clusters − 1 df."""
    binomial = p * (1 - p) / n if n else 0.0
    n_eff = float(n)
    if clusters >= 2 and variance > binomial > 0:
        n_eff = p * (1 - p) / variance
    z = t_quantile(clusters - 1) if clusters >= 2 else Z95
    return wilson(p, n_eff, z)


def proportion(cells: Cells) -> Estimate:
    """One fellow's % correct over facts (ratio estimator, cluster-robust interval)."""
    n = sum(c[0] for c in cells.values())
    if n == 0:
        return EMPTY
    correct = sum(c[1] for c in cells.values())
    p = correct / n
    clusters = sum(1 for c in cells.values() if c[0])
    variance = 0.0
    if clusters >= 2:
        resid = sum((c[1] - p * c[0]) ** 2 for c in cells.values())
        variance = clusters / (clusters - 1) * resid / (n * n)
    low, high = _interval(p, n, variance, clusters)
    return Estimate(p, low, high, n, clusters, 1)


def _influence(cells: Cells) -> tuple[float, dict[str, float]]:
    """A fellow's proportion and each fact's influence on it: (c_f − p·n_f) / n."""
    n = sum(c[0] for c in cells.values())
    p = sum(c[1] for c in cells.values()) / n
    return p, {fact: (c[1] - p * c[0]) / n for fact, c in cells.items() if c[0]}


def mean_of_fellows(per_fellow: Sequence[Cells]) -> Estimate:
    """The mean of the fellows' proportions, with a cluster-robust interval over facts.

    Each fact's influence is summed over fellows in one pass and divided by the count of
    fellows at the end (the report calls this for every week, area and retention window).
    """
    sums: dict[str, float] = {}
    p_sum = 0.0
    n = 0
    count = 0
    for cells in per_fellow:
        values = cells.values()
        fellow_n = sum(c[0] for c in values)
        if not fellow_n:
            continue
        p = sum(c[1] for c in values) / fellow_n
        count += 1
        p_sum += p
        n += fellow_n
        get = sums.get
        for fact, c in cells.items():
            if c[0]:
                sums[fact] = get(fact, 0.0) + (c[1] - p * c[0]) / fellow_n
    if not count:
        return EMPTY
    mean = p_sum / count
    clusters = len(sums)
    variance = 0.0
    if clusters >= 2:
        squares = sum(v * v for v in sums.values()) / (count * count)
        variance = clusters / (clusters - 1) * squares
    low, high = _interval(mean, n, variance, clusters)
    return Estimate(mean, low, high, n, clusters, count)


def below_each(per_fellow: Sequence[Cells]) -> list[bool]:
    """For each fellow: True when their % lies below the mean of the others, beyond the 95%
    interval.

    The difference and its cluster-robust variance are taken over the facts together (the
    fellow and the others answer the same facts), so a hard deck does not make everyone look
    different, and a fellow is not compared with a figure that holds their own answers. Each
    fellow's influences are computed once and the others' sum is the total less the fellow's
    own, so a cohort costs fellows × facts rather than fellows² × facts
    (``tests/test_report_estimate.py`` pins it to the direct comparison, one fellow at a time).
    """
    influences = [
        _influence(cells) if sum(c[0] for c in cells.values()) else None for cells in per_fellow
    ]
    used = [x for x in influences if x is not None]
    others = len(used) - 1
    if others < 1:
        return [False] * len(per_fellow)
    sum_p = sum(p for p, _ in used)
    total: dict[str, float] = {}
    for _, influence in used:
        for fact, value in influence.items():
            total[fact] = total.get(fact, 0.0) + value
    clusters = len(total)
    if clusters < 2:
        return [False] * len(per_fellow)
    t = t_quantile(clusters - 1)
    scale = clusters / (clusters - 1)
    result = []
    for entry in influences:
        if entry is None:
            result.append(False)
            continue
        p, mine = entry
        squares = 0.0
        for fact, value in total.items():
            own = mine.get(fact, 0.0)
            diff = own - (value - own) / others
            squares += diff * diff
        mean = (sum_p - p) / others
        result.append(p - mean + t * math.sqrt(scale * squares) < 0)
    return result


@dataclass(frozen=True)
class Gap:
    """How far a fellow's self-grades run above their objective results on the same facts."""

    points: float
    """Mean over shared facts of (self-graded % − objective %), in percentage points."""
    low: float
    """Its lower 95% bound (t interval over facts)."""
    facts: int


def self_grade_gap(check: Mapping[str, Sequence[int]]) -> Gap | None:
    """The gap over facts with both kinds of answer (``[self n, self c, obj n, obj c]``)."""
    diffs = [100.0 * (c[1] / c[0] - c[3] / c[2]) for c in check.values() if c[0] and c[2]]
    if len(diffs) < 2:
        return None
    mean = sum(diffs) / len(diffs)
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1))
    low = mean - t_quantile(len(diffs) - 1) * sd / math.sqrt(len(diffs))
    return Gap(mean, low, len(diffs))
