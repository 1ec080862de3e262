"""How far a number may be from the answer and still count (docs/deck-format.md); number style.

The same rule decides two things: whether a typed answer is correct (grading) and whether two
options of a choice card would both be correct (distractors). Defaults: a percent ±2 points;
a count out of n exact; a whole number ≤ 10 written without decimals exact; any other number
(``4.0 mg`` included: written decimals keep their precision) ±10% of itself. A range gets one
width, from its upper end, for both ends. An authored ``tolerance`` overrides: ``5`` is ±5 in the
answer's unit (in counts for a fraction), ``10%`` is ±10% of the value.
"""

from __future__ import annotations

from decimal import Decimal

from ibdquiz.core.bounds import WIDE
from ibdquiz.core.model import Answer, AnswerKind, Tolerance

PERCENT_POINTS = Decimal(2)
RELATIVE_DEFAULT = Decimal("0.10")
EXACT_UP_TO = Decimal(10)


def is_percent_scale(answer: Answer) -> bool:
    """True when the answer's numbers are percents (a percent, or a range written in %)."""
    return answer.kind is AnswerKind.PERCENT or (
        answer.kind is AnswerKind.RANGE and answer.unit == "%"
    )


def width(value: Decimal, tolerance: Tolerance | None, *, percent: bool) -> Decimal:
    """The half-width of the window of correct numbers around ``value``."""
    if tolerance is not None:
        return tolerance.amount * abs(value) if tolerance.relative else tolerance.amount
    if percent:
        return PERCENT_POINTS
    if places(value) == 0 and abs(value) <= EXACT_UP_TO:
        return Decimal(0)
    return RELATIVE_DEFAULT * abs(value)


def count_width(count: Decimal, tolerance: Tolerance | None) -> Decimal:
    """The half-width around a count out of n: exact unless ``tolerance`` says otherwise."""
    if tolerance is None:
        return Decimal(0)
    return tolerance.amount * abs(count) if tolerance.relative else tolerance.amount


def range_width(answer: Answer, tolerance: Tolerance | None) -> Decimal:
    """The one half-width of a range, from its upper end, applied to both ends."""
    high = answer.high if answer.high is not None else answer.value or Decimal(0)
    return width(high, tolerance, percent=is_percent_scale(answer))


def answer_width(answer: Answer, tolerance: Tolerance | None) -> Decimal:
    """The half-width of the window of correct values of ``answer`` on its own scale."""
    value = answer.value if answer.value is not None else Decimal(0)
    if answer.kind is AnswerKind.FRACTION:
        return count_width(value, tolerance)
    if answer.kind is AnswerKind.RANGE:
        return range_width(answer, tolerance)
    return width(value, tolerance, percent=answer.kind is AnswerKind.PERCENT)


def clash(a: Decimal, b: Decimal, tolerance: Tolerance | None, *, percent: bool) -> bool:
    """True when ``a`` and ``b`` are within tolerance of each other (either one's window)."""
    reach = max(width(a, tolerance, percent=percent), width(b, tolerance, percent=percent))
    return abs(a - b) <= reach


def closeness(
    expected: Decimal, typed: Decimal, tolerance: Tolerance | None, *, percent: bool
) -> int:
    """SM-2 quality for one number: exact 5, within tolerance 4, within twice 2, else 1."""
    diff = abs(expected - typed)
    if diff == 0:
        return 5
    reach = width(expected, tolerance, percent=percent)
    if diff <= reach:
        return 4
    if diff <= 2 * reach:
        return 2
    return 1


def places(value: Decimal) -> int:
    """How many decimals the author wrote (``2.5`` → 1, ``54`` → 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def plain(value: Decimal, decimals: int) -> str:
    """``value`` written with exactly ``decimals`` decimals, never in exponent form or as -0."""
    quantized = value.quantize(Decimal(1).scaleb(-decimals), context=WIDE)
    if quantized == 0:
        quantized = abs(quantized)
    return f"{quantized:f}"
