"""Grading answers as SM-2 qualities (docs/deck-format.md): pure functions, time passed in.

choice: wrong → 1; right → 5 within ``FAST_ANSWER_MS`` of display, else 4.
numeric: exact → 5; within tolerance → 4; within twice the tolerance → 2; else 1.
recall: the quality the fellow chose.

Typed answers: for a percent, ``54``, ``54%`` and ``54.0`` all mean 54 (``0.54`` means 0.54); a
fraction accepts its count (``8``), the fraction (``8/24``) or its percent (``33%``, judged on
the percent, ±2 points by default); a range accepts ``10-15``, ``10–15`` and ``10 to 15``, each
end compared; a unit is optional, a different unit is refused. Anything unreadable raises
``UnparseableResponse`` with a hint saying what is expected; nothing is graded then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ibdquiz.core.answers import percent_of
from ibdquiz.core.bounds import too_precise, too_precise_message
from ibdquiz.core.cards import Card, CardKind, ChoiceOptions
from ibdquiz.core.model import Answer, AnswerKind, Tolerance
from ibdquiz.core.tolerance import PERCENT_POINTS, closeness, is_percent_scale, places, plain
from ibdquiz.errors import UnparseableResponse

FAST_ANSWER_MS = 8000
"""A right choice answered within this many milliseconds of display scores 5, else 4."""

CORRECT_FROM = 3

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_TYPED_NUMBER = re.compile(rf"^(?P<v>{_NUM})\s*(?P<u>[^\d\s].*)?$")
# 8/24, or the whole answer as written, 8/24 (33%) (judged on the count)
_TYPED_FRACTION = re.compile(
    r"^(?P<n>\d+)\s*/\s*(?P<d>\d+)(?:\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))?$"
)
# 10-15, 10–15 ng/mL, 10 to 15, and the unit repeated on both ends: 10 ng/mL - 15 ng/mL, 5%-10%
_TYPED_RANGE = re.compile(
    rf"^(?P<lo>{_NUM})\s*(?P<u1>%|[^\W\d_][^\s\d]*?)?\s*(?:-|–|—|\bto\b)\s*(?P<hi>{_NUM})"
    rf"\s*(?P<u>[^\d\s].*)?$",
    re.IGNORECASE,
)
# A unit is a word (any script), optionally with a slash (ng/mL), or %.
_UNIT = re.compile(r"^(?:%|[^\W\d_][^\W\d_ ]*(?:\s?[^\W\d_]+)*(?:/[^\W\d_]+)?)$")


@dataclass(frozen=True)
class NumericResult:
    """The grade of a typed answer, whether it counts as correct, and how it was read."""

    quality: int
    correct: bool
    parsed_text: str


def is_correct(quality: int) -> bool:
    """True when a quality counts as a correct answer (≥ 3), for every kind."""
    return quality >= CORRECT_FROM


def grade_choice(chosen_index: int, options: ChoiceOptions, elapsed_ms: int) -> int:
    """Quality of a choice: 1 when wrong; 5 when right within 8 s of display, else 4."""
    if not 0 <= chosen_index < len(options.options):
        raise ValueError(f"option {chosen_index} does not exist (0-{len(options.options) - 1})")
    if chosen_index != options.correct_index:
        return 1
    return 5 if elapsed_ms <= FAST_ANSWER_MS else 4


def grade_recall(quality: int) -> int:
    """The quality a fellow chose for a flashcard, checked to be an int 0–5."""
    if isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 5:
        raise ValueError(f"a flashcard grade is an integer 0-5, not {quality!r}")
    return quality


def grade_numeric(card: Card, typed: str) -> NumericResult:
    """Grade a typed number against a numeric card; raise ``UnparseableResponse`` if unreadable."""
    answer = card.answer
    if answer.value is None or not answer.kind.numeric:
        raise ValueError(f"{card.id} has no numeric answer to type")
    text = " ".join(typed.split())
    try:
        return _grade_typed(card, answer, text)
    except ArithmeticError:  # a safety net: numbers within MAX_DIGITS never get here
        raise UnparseableResponse(f"Can't read that number. {input_hint(card)}") from None


def _grade_typed(card: Card, answer: Answer, text: str) -> NumericResult:
    assert answer.value is not None
    if answer.kind is AnswerKind.FRACTION:
        quality, parsed = _grade_fraction(card, answer, answer.value, text)
    elif answer.kind is AnswerKind.RANGE:
        quality, parsed = _grade_range(card, answer, answer.value, text)
    else:
        value = _read_number(card, text, answer.unit)
        percent = answer.kind is AnswerKind.PERCENT
        quality = closeness(answer.value, value, card.tolerance, percent=percent)
        parsed = _with_unit(value, answer.unit)
    return NumericResult(quality, is_correct(quality), parsed)


def input_hint(card: Card) -> str:
    """What the input box says: the format and unit expected, with an example (not the answer)."""
    if card.kind is CardKind.CHOICE:
        return "Press the number of your choice"
    if card.kind is CardKind.RECALL:
        return "Press space to reveal the answer, then grade yourself 0-5"
    answer = card.answer
    value = answer.value if answer.value is not None else Decimal(0)
    if answer.kind is AnswerKind.PERCENT:
        example = _example(value, (Decimal(40), Decimal(60)))
        return f"Type a percent, such as {example} or {example}%"
    if answer.kind is AnswerKind.FRACTION:
        denominator = answer.denominator or 1
        halves = (denominator // 2, denominator // 4, denominator // 3, 1, 2, 0)
        count = _example(value, tuple(Decimal(c) for c in halves))
        percent = plain(percent_of(int(count), denominator, 0), 0)
        return (
            f"Type a count out of {denominator} (such as {count}), a fraction such as "
            f"{count}/{denominator}, or a percent such as {percent}%"
        )
    if answer.kind is AnswerKind.RANGE:
        low = _example(value, (Decimal(5), Decimal(20)))
        if answer.unit == "%":
            return f"Type a range of percents, such as {low}-{low * 2}%"
        what = f"a range of {answer.unit}" if answer.unit else "a range"
        return f"Type {what}, such as {low}-{low * 2}"
    example = _example(value, (Decimal(12), Decimal(20)) if places(value) == 0 else
                       (Decimal("1.5"), Decimal("2.5")))
    what = f"a number of {answer.unit}" if answer.unit else "a number"
    return f"Type {what}, such as {example}"


def _example(value: Decimal, candidates: tuple[Decimal, ...]) -> Decimal:
    """The first candidate that is not the answer (a hint must not give the answer away)."""
    return next(c for c in candidates if c != value)


def _unit_key(unit: str) -> str:
    key = "".join(unit.casefold().split())
    if key in {"percent", "percents", "percentage", "pct", "percentpoints"} or key == "%":
        return "%"
    return key[:-1] if len(key) > 3 and key.endswith("s") else key


def _check_unit(
    card: Card, written: str | None, expected: str, *, allow_percent: bool = False
) -> None:
    if not written:
        return
    got = _unit_key(written)
    if got == _unit_key(expected) or (allow_percent and got == "%"):
        return  # the unit as displayed (even mg/kg/day) or a spelling of it
    if not _UNIT.match(written) or (len(written) == 1 and written != "%"):
        raise UnparseableResponse(input_hint(card))  # "5o", "1/0": a typo, not a unit
    name = "a percent" if expected == "%" else (f"in {expected}" if expected else "a plain number")
    raise UnparseableResponse(f"The answer is {name}, not {written}. {input_hint(card)}")


def _decimal(text: str) -> Decimal:
    if too_precise(text):
        raise UnparseableResponse(f"Can't read that: {too_precise_message(text)}.")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regexes only pass digits
        raise ValueError(text) from exc


def _read_number(card: Card, text: str, unit: str) -> Decimal:
    m = _TYPED_NUMBER.match(text)
    if not m:
        raise UnparseableResponse(input_hint(card))
    _check_unit(card, m["u"], unit)
    return _decimal(m["v"])


def _with_unit(value: Decimal, unit: str) -> str:
    number = f"{value.normalize():f}" if value != 0 else "0"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number


def _grade_range(card: Card, answer: Answer, low: Decimal, text: str) -> tuple[int, str]:
    m = _TYPED_RANGE.match(text)
    if not m or answer.high is None:
        raise UnparseableResponse(input_hint(card))
    if m["u1"] and m["u"] and _unit_key(m["u1"]) != _unit_key(m["u"]):
        raise UnparseableResponse(input_hint(card))  # 10 mg - 15 ng/mL
    _check_unit(card, m["u"] or m["u1"], answer.unit)
    typed_low, typed_high = sorted((_decimal(m["lo"]), _decimal(m["hi"])))
    percent = is_percent_scale(answer)
    quality = min(
        closeness(low, typed_low, card.tolerance, percent=percent),
        closeness(answer.high, typed_high, card.tolerance, percent=percent),
    )
    low_text = f"{typed_low.normalize():f}"
    high_text = _with_unit(typed_high, answer.unit)
    return quality, f"{low_text}-{high_text}"


def _grade_fraction(card: Card, answer: Answer, count: Decimal, text: str) -> tuple[int, str]:
    denominator = answer.denominator or 1
    if m := _TYPED_FRACTION.match(text):
        typed_count, typed_denominator = int(_decimal(m["n"])), int(_decimal(m["d"]))
        if typed_denominator == 0:
            raise UnparseableResponse(input_hint(card))
        parsed = f"{typed_count}/{typed_denominator}"
        if typed_denominator == denominator:
            return closeness(count, Decimal(typed_count), card.tolerance, percent=False), parsed
        as_percent = Decimal(typed_count) * 100 / Decimal(typed_denominator)
        return _fraction_by_percent(card, answer, count, as_percent), parsed
    m = _TYPED_NUMBER.match(text)
    if not m:
        raise UnparseableResponse(input_hint(card))
    _check_unit(card, m["u"], "", allow_percent=True)
    value = _decimal(m["v"])
    if m["u"]:  # a percent was typed: judge the percent
        return _fraction_by_percent(card, answer, count, value), _with_unit(value, "%")
    if value > denominator:
        # not a count out of the denominator: most likely a percent typed without its sign
        raise UnparseableResponse(
            f"{_with_unit(value, '')} is not a count out of {denominator}; for a percent, type "
            f"{_with_unit(value, '%')}. {input_hint(card)}"
        )
    quality = closeness(count, value, card.tolerance, percent=False)
    return quality, f"{_with_unit(value, '')}/{denominator}"


def _fraction_by_percent(card: Card, answer: Answer, count: Decimal, typed: Decimal) -> int:
    """A fraction judged on a typed percent: exact when it matches the percent as rounded."""
    denominator = answer.denominator or 1
    rounded = percent_of(int(count), denominator, places(typed))
    exact = count * 100 / Decimal(denominator)
    if typed in (rounded, exact, answer.stated_percent):
        return 5
    # judged against the percent the fellow learned: the stated one when the deck gives it
    target = answer.stated_percent if answer.stated_percent is not None else exact
    return closeness(target, typed, _percent_tolerance(card.tolerance, denominator), percent=True)


def _percent_tolerance(tolerance: Tolerance | None, denominator: int) -> Tolerance:
    """The fraction's tolerance in percentage points (default ±2; a count tolerance scaled)."""
    if tolerance is None:
        return Tolerance(PERCENT_POINTS)
    if tolerance.relative:
        return tolerance
    return Tolerance(tolerance.amount * 100 / Decimal(denominator))
