"""Generated numeric distractors with no position cue (docs/deck-format.md).

For one card and one seed, ``generate`` places the options around the answer so that nothing but
knowledge finds it:

- the answer's rank among the ascending options is drawn from (card id, seed) by a permutation
  per block of seeds, so over any ``k`` consecutive reviews it takes every rank once (where the
  domain allows);
- the gaps between neighbouring options are drawn independently (the same law below and above
  the answer), so no spacing or symmetry singles the answer out; the options sit on a grain the
  answer itself is a multiple of (``100 mL`` → 10 mL steps, ``54%`` → 1 point), so no last digit
  does either;
- the study's own confusable numbers (the pool's peers) take a slot when one lies near it;
- options stay in the answer's domain and are plausible: percents 0-100, a count out of n within
  1..n-1 (``0/n`` and ``n/n`` only next to the answer), a count of patients below the cohort's n,
  a range never starting at 0 when the answer does not, a positive number stays positive, and the
  unit agrees with the number (``1 month``, ``2 months``).

Every option lies outside the grader's window of the answer (``ibdquiz.core.judge.accepts``) and
outside every other option's window.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ibdquiz.core.answers import percent_of
from ibdquiz.core.judge import accepts
from ibdquiz.core.model import Answer, AnswerKind, Tolerance
from ibdquiz.core.tolerance import answer_width, is_percent_scale, places, plain, width

OPTIONS = 5
"""Options shown when the domain allows: the answer and four distractors."""

_TOKEN = re.compile(r"\d+(?:\.\d+)?")
_SIGNED_TOKEN = re.compile(r"-?\d+(?:\.\d+)?")
_GRAINS = (5, 10, 50, 100, 500, 1000)
_PLURALS = {
    "day": "days", "week": "weeks", "month": "months", "year": "years", "hour": "hours",
    "minute": "minutes", "patient": "patients", "dose": "doses", "cycle": "cycles",
}
_SINGULARS = {plural: single for single, plural in _PLURALS.items()}
_MAX_STEPS = 400


@dataclass(frozen=True)
class Layout:
    """How a numeric answer's options are laid out: its value, grain, gaps and domain."""

    value: Decimal
    grain: Decimal
    min_gap: Decimal
    mean_gap: Decimal
    low: Decimal | None
    high: Decimal | None


def key_value(answer: Answer) -> Decimal:
    """The one number options are placed by: the value, a fraction's count, a range's low end."""
    return answer.value if answer.value is not None else Decimal(0)


def decimals_of(answer: Answer) -> int:
    """How many decimals the options are written with (the author's)."""
    if answer.kind is AnswerKind.FRACTION:
        return 0
    if answer.kind is AnswerKind.RANGE and answer.high is not None:
        return max(places(key_value(answer)), places(answer.high))
    return places(key_value(answer))


def layout(answer: Answer, tolerance: Tolerance | None, cap: int | None = None) -> Layout:
    """The grain, gaps and domain of ``answer``'s options; ``cap`` bounds a count of patients."""
    value = key_value(answer)
    unit = Decimal(1).scaleb(-decimals_of(answer))
    reach = answer_width(answer, tolerance)
    min_gap = _above(reach, unit)
    low: Decimal | None
    high: Decimal | None
    if answer.kind is AnswerKind.PERCENT:
        near = min(value, Decimal(100) - value)
        mean = max(min_gap * Decimal("1.3"), Decimal("0.2") * max(near, Decimal(20)))
        low, high = _edges(value, min_gap, Decimal(0), Decimal(100), unit)
    elif answer.kind is AnswerKind.FRACTION:
        n = Decimal(answer.denominator or 1)
        near = min(value, n - value)
        mean = max(min_gap * Decimal("1.3"), Decimal("0.2") * max(near, n / 5))
        low, high = _edges(value, min_gap, Decimal(0), n, Decimal(1))
    elif answer.kind is AnswerKind.RANGE and answer.high is not None:
        span = answer.high - value
        mean = max(min_gap * Decimal("1.3"), span * Decimal("0.6"), abs(value) / 5)
        top = Decimal(100) - span if is_percent_scale(answer) else None
        low = unit if value > 0 else (Decimal(0) if value == 0 else None)
        high = top
    else:
        mean = max(min_gap * Decimal("1.3"), abs(value) * Decimal("0.22"), unit)
        low = unit if value > 0 else (Decimal(0) if value == 0 else None)
        high = Decimal(cap - 1) if cap is not None and value < cap else None
    grain = unit
    for multiple in _GRAINS:
        step = unit * multiple
        if step * 2 <= mean and all(v % step == 0 for v in _ends(answer)):
            grain = step
    min_gap = _above(max(reach, min_gap - unit), grain) if grain > unit else min_gap
    return Layout(value, grain, min_gap, max(mean, min_gap), low, high)


def _above(reach: Decimal, unit: Decimal) -> Decimal:
    """The smallest multiple of ``unit`` strictly greater than ``reach``."""
    steps = (reach / unit).to_integral_value(rounding="ROUND_FLOOR") + 1
    return steps * unit


def _edges(value: Decimal, gap: Decimal, low: Decimal, high: Decimal, unit: Decimal
           ) -> tuple[Decimal, Decimal]:
    """A bounded domain's usable ends: a bound itself (0%, 0/n, n/n) only next to the answer."""
    first = low if value - low <= gap else low + unit
    last = high if high - value <= gap else high - unit
    return first, last


def _ends(answer: Answer) -> tuple[Decimal, ...]:
    if answer.kind is AnswerKind.RANGE and answer.high is not None:
        return (key_value(answer), answer.high)
    return (key_value(answer),)


# ---- writing a value in the author's style --------------------------------------------------


def restyle(text: str, numbers: Sequence[str], *, signed: bool = False) -> str:
    """``text`` with its first numbers replaced by ``numbers``, keeping everything else."""
    replacements = iter(numbers)
    pattern = _SIGNED_TOKEN if signed else _TOKEN
    return pattern.sub(lambda m: next(replacements, m.group(0)), text, count=len(numbers))


def unit_for(value: Decimal, unit: str) -> str:
    """``unit`` agreeing with ``value``: ``1 month``, ``2 months`` (known time and count words)."""
    folded = unit.casefold()
    if value == 1 and folded in _SINGULARS:
        return unit[:-1]
    if value != 1 and folded in _PLURALS:
        return unit + "s"
    return unit


def render(answer: Answer, value: Decimal) -> tuple[str, Answer]:
    """The option for ``value`` (count, number or low end) written like ``answer``."""
    decimals = decimals_of(answer)
    if answer.kind is AnswerKind.FRACTION:
        denominator = answer.denominator or 1
        numbers = [plain(value, 0), str(denominator)]
        percent = None
        if answer.stated_percent is not None:
            percent = percent_of(int(value), denominator, places(answer.stated_percent))
            numbers.append(plain(percent, places(answer.stated_percent)))
        text = restyle(answer.text, numbers)
        return text, Answer(AnswerKind.FRACTION, text, value=value, denominator=denominator,
                            stated_percent=percent)
    if answer.kind is AnswerKind.RANGE and answer.high is not None:
        high = value + (answer.high - key_value(answer))
        text = restyle(answer.text, [plain(value, decimals), plain(high, decimals)])
        return text, Answer(AnswerKind.RANGE, text, value=value, high=high, unit=answer.unit)
    text = restyle(answer.text, [plain(value, decimals)], signed=True)
    unit = answer.unit
    if unit and unit != "%":
        fitted = unit_for(value, unit)
        if fitted != unit and text.endswith(unit):
            text = text[: -len(unit)] + fitted
        unit = fitted
    return text, Answer(answer.kind, text, value=value, unit=unit)


# ---- choosing options for one seed ----------------------------------------------------------


def _unit_interval(card_id: str, seed: int, purpose: str) -> Decimal:
    digest = hashlib.sha256(f"{card_id}\x1f{seed}\x1f{purpose}".encode()).digest()
    return Decimal(int.from_bytes(digest[:6], "big")) / Decimal(2**48)


def target_rank(card_id: str, seed: int, count: int) -> int:
    """The answer's rank for ``seed``: every rank once in each block of ``count`` seeds."""
    block, place = divmod(seed, count)
    order = sorted(range(count), key=lambda r: hashlib.sha256(
        f"{card_id}\x1f{block}\x1f{r}\x1frank".encode()).hexdigest())
    return order[place]


def _inside(lay: Layout, value: Decimal) -> bool:
    return (lay.low is None or value >= lay.low) and (lay.high is None or value <= lay.high)


class _Taken:
    """The values already shown or reserved, each with the grader's reach around it.

    ``clear(value)`` is the spacing rule: an option at ``value`` must lie outside every taken
    option's window (the wider of the two reaches, or the minimum gap). The values are kept
    sorted and only those within the widest reach are compared, so a card whose pool or
    avoided answers hold hundreds of values costs a bisection, not a scan of them all.
    """

    def __init__(self, answer: Answer, tolerance: Tolerance | None, lay: Layout,
                 values: Sequence[Decimal] = ()) -> None:
        self.answer = answer
        self.tolerance = tolerance
        self.gap = lay.min_gap - lay.grain
        self.values: list[Decimal] = []  # sorted; ``reaches`` in the same order
        self.reaches: list[Decimal] = []
        self.widest = Decimal(0)
        for value in values:
            self.add(value)

    def add(self, value: Decimal) -> None:
        """Take ``value``."""
        reach = _reach(self.answer, self.tolerance, value)
        self.widest = max(self.widest, reach)
        index = bisect_right(self.values, value)
        self.values.insert(index, value)
        self.reaches.insert(index, reach)

    def clear(self, value: Decimal) -> bool:
        """True when an option at ``value`` lies outside every taken option's window."""
        own = _reach(self.answer, self.tolerance, value)
        bound = max(own, self.widest, self.gap)
        low = bisect_left(self.values, value - bound)
        high = bisect_right(self.values, value + bound)
        for index in range(low, high):
            reach = max(own, self.reaches[index], self.gap)
            if abs(value - self.values[index]) <= reach:
                return False
        return True


def _reach(answer: Answer, tolerance: Tolerance | None, value: Decimal) -> Decimal:
    """The grader's half-width around an option placed at ``value`` (as ``answer_width``)."""
    if answer.kind is AnswerKind.FRACTION:
        return Decimal(0) if tolerance is None else (
            tolerance.amount * value if tolerance.relative else tolerance.amount)
    if answer.kind is AnswerKind.RANGE and answer.high is not None:
        value = value + (answer.high - key_value(answer))
    return width(value, tolerance, percent=is_percent_scale(answer))


def generate(
    answer: Answer,
    tolerance: Tolerance | None,
    card_id: str,
    seed: int,
    peers: Sequence[tuple[Decimal, str]] = (),
    fixed: Sequence[Decimal] = (),
    cap: int | None = None,
    count: int = OPTIONS,
    avoid: Sequence[Decimal] = (),
) -> list[str]:
    """The distractors of a numeric card for ``seed`` (see the module docstring).

    ``peers`` are the pool's other answers (value, text) that may take a slot near them; ``fixed``
    are values already shown (authored choices) that count toward the options; ``avoid`` are
    values never to generate (other facts' answers, on a card's first showing).
    """
    lay = layout(answer, tolerance, cap)
    rank = target_rank(card_id, seed, count)
    fixed_below = sum(1 for v in fixed if v < lay.value)
    need = count - 1 - len(fixed)
    below = min(max(rank - fixed_below, 0), need)
    taken: list[Decimal] = [lay.value, *fixed]
    spacing = _Taken(answer, tolerance, lay, [*taken, *avoid])
    chosen: list[str] = []
    used_peers: set[str] = set()
    last = {-1: lay.value, 1: lay.value}

    def fill(direction: int, wanted: int) -> int:
        """Place up to ``wanted`` options on one side; how many were placed."""
        placed = 0
        while placed < wanted:
            index = sum(1 for v in taken[1:] if (v - lay.value) * direction > 0)
            step = lay.mean_gap * (Decimal("0.5") + _unit_interval(
                card_id, seed, f"gap{direction}{index}"))
            found = _place(answer, tolerance, lay, last[direction], step, direction,
                           spacing, peers, used_peers)
            if found is None:
                break
            taken.append(found[0])
            spacing.add(found[0])
            chosen.append(found[1])
            last[direction] = found[0]
            placed += 1
        return placed

    short = below - fill(-1, below)
    short = (need - below + short) - fill(1, need - below + short)
    if short:
        fill(-1, short)
    if len(chosen) < min(need, capacity(answer, tolerance, cap)):
        return _packed(answer, tolerance, lay, need, [*fixed, *avoid], rank - fixed_below)
    return chosen


def _packed(answer: Answer, tolerance: Tolerance | None, lay: Layout, need: int,
            taken: Sequence[Decimal], below: int) -> list[str]:
    """Options packed at the minimum spacing (a domain too tight for drawn gaps)."""
    chosen: list[str] = []
    kept = _Taken(answer, tolerance, lay, [lay.value, *taken])
    for direction in ((-1, 1) if below > 0 else (1, -1)):
        value = lay.value
        while len(chosen) < need:
            value += direction * lay.grain
            if not _inside(lay, value) or abs(value - lay.value) > lay.mean_gap * 40:
                break
            if kept.clear(value):
                text, _parsed = render(answer, value)
                if not accepts(answer, tolerance, text):
                    kept.add(value)
                    chosen.append(text)
    return chosen


def _place(
    answer: Answer, tolerance: Tolerance | None, lay: Layout, position: Decimal, step: Decimal,
    direction: int, taken: _Taken, peers: Sequence[tuple[Decimal, str]],
    used_peers: set[str],
) -> tuple[Decimal, str] | None:
    """The next option beyond ``position`` about ``step`` away, or None when the domain ends."""
    target = position + direction * step
    best: tuple[Decimal, str] | None = None
    for value, text in peers:
        if text in used_peers or (value - position) * direction <= 0:
            continue
        if abs(value - target) > lay.mean_gap / 2 or not _inside(lay, value):
            continue
        if lay.grain > Decimal(1).scaleb(-decimals_of(answer)) and value % lay.grain:
            continue
        if not taken.clear(value) or accepts(answer, tolerance, text):
            continue
        if best is None or abs(value - target) < abs(best[0] - target):
            best = (value, text)
    if best is not None:
        used_peers.add(best[1])
        return best
    offset = ((target - lay.value) / lay.grain).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    start = lay.value + offset * lay.grain
    nearest = lay.value + direction * lay.grain
    for first in (start, nearest):  # the drawn place, else the nearest free one before the end
        value = first
        for _ in range(_MAX_STEPS):
            if (value - (position if first is start else lay.value)) * direction > 0:
                if not _inside(lay, value):
                    break
                if taken.clear(value):
                    text, parsed = render(answer, value)
                    if not accepts(answer, tolerance, text) and parsed.text != answer.text:
                        return value, text
            value += direction * lay.grain
    return None


@lru_cache(maxsize=8192)
def capacity(answer: Answer, tolerance: Tolerance | None, cap: int | None = None,
             limit: int = OPTIONS - 1, fixed: tuple[Decimal, ...] = ()) -> int:
    """How many distractors the domain can hold (up to ``limit``), spaced as options must be,
    besides the ``fixed`` values already shown (authored choices)."""
    lay = layout(answer, tolerance, cap)
    found = 0
    for direction in (-1, 1):
        taken = _Taken(answer, tolerance, lay, [lay.value, *fixed])
        value = lay.value
        while found < limit:
            value += direction * lay.grain
            if not _inside(lay, value) or abs(value - lay.value) > lay.mean_gap * 40:
                break
            if taken.clear(value):
                taken.add(value)
                found += 1
            else:
                continue
    return found
