"""Plausible neighbours of a numeric answer, the last tier of distractors (docs/deck-format.md).

Neighbours are scaled to the answer's magnitude (a 1-2-5 step near a third of it, always beyond
the tolerance), stay within the answer's kind (percents 0-100, counts non-negative, fractions
keep their denominator and recompute a stated percent, ranges keep their width) and are written
in the author's style: ``2.5 years`` → ``1.5 years``, ``10-15 ng/mL`` → ``5-10 ng/mL``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ibdquiz.core.answers import percent_of
from ibdquiz.core.model import Answer, AnswerKind, Tolerance
from ibdquiz.core.tolerance import is_percent_scale, places, plain, width

MAX_NEIGHBOUR_STEPS = 4
"""Steps tried on each side of the answer."""

_TOKEN = re.compile(r"\d+(?:\.\d+)?")
_SIGNED_TOKEN = re.compile(r"-?\d+(?:\.\d+)?")


def neighbours(answer: Answer, tolerance: Tolerance | None) -> list[tuple[str, Answer]]:
    """Numbers near the answer, nearest first, within its kind, written in the author's style."""
    if answer.value is None:
        return []
    if answer.kind is AnswerKind.RANGE and answer.high is not None:
        return _range_neighbours(answer, answer.value, answer.high, tolerance)
    if answer.kind is AnswerKind.FRACTION and answer.denominator is not None:
        return _fraction_neighbours(answer, answer.denominator, tolerance)
    return _number_neighbours(answer, answer.value, tolerance)


def nice(x: Decimal) -> Decimal:
    """The 1-2-5 number nearest ``x`` (> 0): 10.8 → 10, 0.5 → 0.5, 4.2 → 5."""
    k = x.adjusted()
    mantissa = x.scaleb(-k)
    for limit, base in ((Decimal("1.5"), 1), (Decimal("3.5"), 2), (Decimal("7.5"), 5)):
        if mantissa < limit:
            return Decimal(base).scaleb(k)
    return Decimal(10).scaleb(k)


def nice_above(x: Decimal) -> Decimal:
    """The smallest 1-2-5 number strictly greater than ``x`` (> 0)."""
    k = x.adjusted()
    for base in (1, 2, 5, 10):
        candidate = Decimal(base).scaleb(k)
        if candidate > x:
            return candidate
    return Decimal(20).scaleb(k)  # pragma: no cover - 10^(k+1) > x always


def step_for(magnitude: Decimal, decimals: int, reach: Decimal) -> Decimal:
    """A 1-2-5 step near a third of ``magnitude``, at least one written digit, beyond tolerance.

    2.5 years → 1; 54% → 20; 10 months → 2; a count of 8 → 2.
    """
    unit = Decimal(1).scaleb(-decimals)
    step = max(nice(magnitude / 3), unit) if magnitude > 0 else unit
    if step <= reach:
        step = nice_above(reach)
    return step


def _offsets(start: Decimal, step: Decimal) -> list[Decimal]:
    out: list[Decimal] = []
    for k in range(1, MAX_NEIGHBOUR_STEPS + 1):
        out += [start - k * step, start + k * step]
    return out


def restyle(text: str, numbers: Sequence[str], *, signed: bool = False) -> str:
    """``text`` with its first numbers replaced by ``numbers``, keeping everything else."""
    replacements = iter(numbers)
    pattern = _SIGNED_TOKEN if signed else _TOKEN
    return pattern.sub(lambda m: next(replacements, m.group(0)), text, count=len(numbers))


def _number_neighbours(
    answer: Answer, value: Decimal, tolerance: Tolerance | None
) -> list[tuple[str, Answer]]:
    percent = answer.kind is AnswerKind.PERCENT
    decimals = places(value)
    step = step_for(abs(value), decimals, width(value, tolerance, percent=percent))
    out: list[tuple[str, Answer]] = []
    for candidate in _offsets(value, step):
        if percent and not 0 <= candidate <= 100:
            continue
        if not percent and value > 0 and candidate <= 0:
            continue
        if not percent and value == 0 and candidate < 0:
            continue
        text = restyle(answer.text, [plain(candidate, decimals)], signed=True)
        out.append((text, Answer(answer.kind, text, value=candidate, unit=answer.unit)))
    return out


def _fraction_neighbours(
    answer: Answer, denominator: int, tolerance: Tolerance | None
) -> list[tuple[str, Answer]]:
    count = answer.value if answer.value is not None else Decimal(0)
    step = step_for(count, 0, width(count, tolerance, percent=False))
    stated = answer.stated_percent
    out: list[tuple[str, Answer]] = []
    for candidate in _offsets(count, step):
        if not 0 <= candidate <= denominator:
            continue
        numbers = [plain(candidate, 0), str(denominator)]
        percent = None
        if stated is not None:
            percent = percent_of(int(candidate), denominator, places(stated))
            numbers.append(plain(percent, places(stated)))
        text = restyle(answer.text, numbers)
        out.append((text, Answer(
            AnswerKind.FRACTION, text, value=candidate, denominator=denominator,
            stated_percent=percent,
        )))
    return out


def _range_neighbours(
    answer: Answer, low: Decimal, high: Decimal, tolerance: Tolerance | None
) -> list[tuple[str, Answer]]:
    percent = is_percent_scale(answer)
    decimals = max(places(low), places(high))
    reach = max(width(low, tolerance, percent=percent), width(high, tolerance, percent=percent))
    shift = high - low
    if shift <= reach:
        shift = nice_above(reach)
    out: list[tuple[str, Answer]] = []
    for new_low in _offsets(low, shift):
        new_high = new_low + (high - low)
        if low >= 0 and new_low < 0:
            continue
        if percent and new_high > 100:
            continue
        text = restyle(answer.text, [plain(new_low, decimals), plain(new_high, decimals)])
        out.append((text, Answer(
            AnswerKind.RANGE, text, value=new_low, high=new_high, unit=answer.unit
        )))
    return out
