"""SM-2 exactly as SuperMemo describes it (Woźniak, 1987–1990), docs/rules.md.

The E-Factor only ever moves in steps of 0.02, so it is held in hundredths (an int) while it is
updated, and the interval's ceiling is taken on integers: ``ceil(406 × 3.00)`` is 1218, never
1219 from a float error. ``Sm2State.easiness`` is the float of those hundredths.
"""

from __future__ import annotations

from dataclasses import dataclass

INITIAL_EASINESS = 2.5
MIN_EASINESS_HUNDREDTHS = 130  # the E-Factor's floor, 1.3
PASSING_QUALITY = 3


@dataclass(frozen=True)
class Sm2State:
    """One card's SM-2 state: successful repetitions in a row, E-Factor, interval in days."""

    repetitions: int = 0
    easiness: float = INITIAL_EASINESS
    interval: int = 0

    @property
    def easiness_hundredths(self) -> int:
        """The E-Factor in hundredths (2.5 → 250), exact."""
        return round(self.easiness * 100)


def _check_quality(quality: object) -> int:
    # bool is an int subclass: True must not pass for a grade of 1.
    if isinstance(quality, bool) or not isinstance(quality, int):
        raise ValueError(f"quality must be an int from 0 to 5, not {quality!r}")
    if not 0 <= quality <= 5:
        raise ValueError(f"quality must be from 0 to 5, not {quality}")
    return quality


def easiness_step_hundredths(quality: int) -> int:
    """``0.1 − (5 − q) × (0.08 + (5 − q) × 0.02)`` in hundredths: +10 for 5 … −80 for 0."""
    miss = 5 - _check_quality(quality)
    return 10 - miss * (8 + miss * 2)


def review(state: Sm2State, quality: int) -> Sm2State:
    """The state after one review graded ``quality`` (an int 0–5); ``state`` is not changed."""
    quality = _check_quality(quality)
    ef = state.easiness_hundredths
    if quality < PASSING_QUALITY:
        # A failure restarts the repetitions without touching the E-Factor.
        return Sm2State(repetitions=0, easiness=ef / 100, interval=1)
    if state.repetitions == 0:
        interval = 1
    elif state.repetitions == 1:
        interval = 6
    else:
        # ceil(interval × EF) with EF in hundredths, on integers.
        interval = -(-state.interval * ef // 100)
    new_ef = max(MIN_EASINESS_HUNDREDTHS, ef + easiness_step_hundredths(quality))
    return Sm2State(repetitions=state.repetitions + 1, easiness=new_ef / 100, interval=interval)
