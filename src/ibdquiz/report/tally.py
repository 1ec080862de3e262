"""Counting answers: a tally of correct out of n, with its 95% Wilson score interval."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054
"""The two-sided 95% normal quantile."""


def wilson_interval(correct: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for ``correct`` successes out of ``n`` (as fractions 0–1).

    ``None`` when ``n`` is 0: there is nothing to estimate. Unlike the normal approximation,
    the Wilson interval stays inside [0, 1] and is sensible for the small counts a single
    fellow produces on one study.
    """
    if n < 0 or correct < 0 or correct > n:
        raise ValueError(f"need 0 <= correct <= n, got correct={correct}, n={n}")
    if n == 0:
        return None
    p = correct / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = (z / (1 + z2 / n)) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Tally:
    """Correct answers out of ``n`` (mutable: aggregation adds to it)."""

    n: int = 0
    correct: int = 0

    def add(self, correct: bool) -> None:
        """Count one answer."""
        self.n += 1
        if correct:
            self.correct += 1

    def merge(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.n += other.n
        self.correct += other.correct

    @property
    def percent(self) -> float | None:
        """Percent correct (0–100), ``None`` without answers."""
        return None if self.n == 0 else 100.0 * self.correct / self.n

    @property
    def interval(self) -> tuple[float, float] | None:
        """The 95% Wilson interval in percent (0–100), ``None`` without answers."""
        bounds = wilson_interval(self.correct, self.n)
        if bounds is None:
            return None
        return 100.0 * bounds[0], 100.0 * bounds[1]
