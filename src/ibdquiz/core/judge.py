"""The grader's one judgement of a written value against an answer (issue 9).

``judge`` reads what a fellow typed (or what an option says) and gives the SM-2 quality on the
answer's own scale; ``accepts`` is the question "would the grader accept this option?", asked by
the distractor pools (an option the grader would accept is never a distractor), by ``validate``
(a warning, the option left out) and by choice grading (a choice is compared by value).

Scales (see ``ibdquiz.core.tolerance`` for the widths):

- a count out of n (``8/24``) is exact; a percent typed for it is read on the same scale, as the
  count round-half-up(p·n/100), so ``71%`` is 17 of 24 and ``67%`` is 16;
- a range has one width, from its upper end, applied to both ends;
- a number written with decimals (``4.0 mg``) keeps its precision: it gets the relative default,
  never the exact rule for small whole numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from ibdquiz.core.answers import percent_of
from ibdquiz.core.bounds import too_precise, too_precise_message
from ibdquiz.core.model import Answer, AnswerKind, Tolerance
from ibdquiz.core.tolerance import (
    closeness,
    count_width,
    is_percent_scale,
    places,
    plain,
    range_width,
    width,
)
from ibdquiz.errors import UnparseableResponse

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_TYPED_NUMBER = re.compile(rf"^(?P<v>{_NUM})\s*(?P<u>[^\d\s].*)?$")
# 8/24, or the whole answer as written, 8/24 (33%) (judged on the count)
_TYPED_FRACTION = re.compile(
    r"^(?P<n>\d+)\s*/\s*(?P<d>\d+)(?:\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))?(?:\s+(?P<u>[^\W\d_]+))?$"
)
# 10-15, 10–15 ng/mL, 10 to 15, and the unit repeated on both ends: 10 ng/mL - 15 ng/mL, 5%-10%
_TYPED_RANGE = re.compile(
    rf"^(?P<lo>{_NUM})\s*(?P<u1>%|[^\W\d_][^\s\d]*?)?\s*(?:-|–|—|\bto\b)\s*(?P<hi>{_NUM})"
    rf"\s*(?P<u>[^\d\s].*)?$",
    re.IGNORECASE,
)
# A unit is a word (any script), optionally with a slash (ng/mL), or %.
_UNIT = re.compile(r"^(?:%|[^\W\d_][^\W\d_ ]*(?:\s?[^\W\d_]+)*(?:/[^\W\d_]+)?)$")

UNIT_ALIASES = {
    "mo": "month", "mos": "month", "mth": "month", "mths": "month", "month": "month",
    "wk": "week", "wks": "week", "w": "week", "week": "week",
    "yr": "year", "yrs": "year", "y": "year", "year": "year",
    "d": "day", "day": "day", "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour",
    "min": "minute", "mins": "minute", "minute": "minute",
    "ml": "ml", "millilitre": "ml", "milliliter": "ml", "mg": "mg", "milligram": "mg",
}
"""Common abbreviations read as the unit they stand for (``4 mo`` is 4 months)."""

COUNT_NOUNS = frozenset({
    "patient", "people", "person", "participant", "subject", "adult", "child", "children",
    "case", "fellow", "individual",
})
"""The noun of a count: ``24 patients`` is the count 24."""


@dataclass(frozen=True)
class Verdict:
    """The grade of a written value: quality, whether it counts as correct, how it was read."""

    quality: int
    correct: bool
    parsed_text: str


@lru_cache(maxsize=4096)
def unit_key(unit: str) -> str:
    """A unit reduced for comparison: case-folded, singular, abbreviations spelled out."""
    key = "".join(unit.casefold().split()).rstrip(".")
    if key in {"percent", "percents", "percentage", "pct", "percentpoints", "%"}:
        return "%"
    if key in UNIT_ALIASES:
        return UNIT_ALIASES[key]
    single = key[:-1] if len(key) > 3 and key.endswith("s") else key
    return UNIT_ALIASES.get(single, single)


def answer_hint(answer: Answer) -> str:
    """What a type-in box says: the format and unit expected, with an example (not the answer)."""
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


def judge(answer: Answer, tolerance: Tolerance | None, typed: str) -> Verdict:
    """Grade ``typed`` against a numeric answer; raise ``UnparseableResponse`` if unreadable."""
    if answer.value is None or not answer.kind.numeric:
        raise ValueError(f"{answer.text!r} is not a numeric answer")
    text = " ".join(typed.split())
    for token in re.findall(r"\d[\d.]*", text):
        if too_precise(token):  # the bound on digits (core.bounds): never graded, never a crash
            raise UnparseableResponse(f"Can't read that: {too_precise_message(token)}.")
    try:
        return _judge(answer, tolerance, answer.value, text)
    except ArithmeticError:  # a safety net: numbers within MAX_DIGITS never get here
        raise UnparseableResponse(f"Can't read that number. {answer_hint(answer)}") from None


def _judge(answer: Answer, tolerance: Tolerance | None, value0: Decimal, text: str) -> Verdict:
    if answer.kind is AnswerKind.FRACTION:
        quality, parsed = _fraction(answer, tolerance, value0, text)
    elif answer.kind is AnswerKind.RANGE:
        quality, parsed = _range(answer, tolerance, value0, text)
    else:
        value = _read_number(answer, text)
        percent = answer.kind is AnswerKind.PERCENT
        quality = closeness(value0, value, tolerance, percent=percent)
        parsed = _with_unit(value, answer.unit)
    return Verdict(quality, quality >= 3, parsed)


def normalized(text: str) -> str:
    """Text compared loosely: case-folded, single spaces, no trailing full stop."""
    return " ".join(text.casefold().split()).rstrip(".")


def accepts(answer: Answer, tolerance: Tolerance | None, option: str) -> bool:
    """Would the grader accept ``option`` as the answer? Compared by value when numeric.

    ``"5"`` is accepted for ``5/5 (100%)`` and ``"0"`` for ``0%``; text is compared loosely.
    """
    if normalized(option) == normalized(answer.text):
        return True
    if not answer.kind.numeric or answer.value is None:
        return False
    try:
        return judge(answer, tolerance, option).correct
    except (UnparseableResponse, ValueError):
        return False


def _check_unit(answer: Answer, written: str | None, expected: str, *,
                allow_percent: bool = False, count: bool = False) -> None:
    if not written:
        return
    got = unit_key(written)
    if got == unit_key(expected) or (allow_percent and got == "%"):
        return  # the unit as displayed (even mg/kg/day) or a spelling of it
    if count and not expected and got in COUNT_NOUNS:
        return  # "24 patients" for a count
    if not _UNIT.match(written) or (len(written) == 1 and written != "%" and
                                    written.casefold() not in UNIT_ALIASES):
        raise UnparseableResponse(answer_hint(answer))  # "5o", "1/0": a typo, not a unit
    name = "a percent" if expected == "%" else (f"in {expected}" if expected else "a plain number")
    raise UnparseableResponse(f"The answer is {name}, not {written}. {answer_hint(answer)}")


def _decimal(text: str) -> Decimal:
    if too_precise(text):
        raise UnparseableResponse(f"Can't read that: {too_precise_message(text)}.")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regexes only pass digits
        raise ValueError(text) from exc


def _read_number(answer: Answer, text: str) -> Decimal:
    m = _TYPED_FRACTION.match(text)
    if m and answer.kind is AnswerKind.NUMBER and int(m["d"]) > 0 and int(m["n"]) <= int(m["d"]):
        _check_unit(answer, m["u"], answer.unit, count=True)
        return Decimal(int(m["n"]))  # "5/5 (100%)" for a count of 5: its count
    m = _TYPED_NUMBER.match(text)
    if not m:
        raise UnparseableResponse(answer_hint(answer))
    _check_unit(answer, m["u"], answer.unit, count=answer.kind is AnswerKind.NUMBER)
    return _decimal(m["v"])


def _with_unit(value: Decimal, unit: str) -> str:
    number = f"{value.normalize():f}" if value != 0 else "0"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}" if unit else number


def _range(answer: Answer, tolerance: Tolerance | None, low: Decimal, text: str
           ) -> tuple[int, str]:
    m = _TYPED_RANGE.match(text)
    if not m or answer.high is None:
        raise UnparseableResponse(answer_hint(answer))
    if m["u1"] and m["u"] and unit_key(m["u1"]) != unit_key(m["u"]):
        raise UnparseableResponse(answer_hint(answer))  # 10 mg - 15 ng/mL
    _check_unit(answer, m["u"] or m["u1"], answer.unit)
    typed_low, typed_high = sorted((_decimal(m["lo"]), _decimal(m["hi"])))
    reach = Tolerance(range_width(answer, tolerance))
    percent = is_percent_scale(answer)
    quality = min(
        closeness(low, typed_low, reach, percent=percent),
        closeness(answer.high, typed_high, reach, percent=percent),
    )
    low_text = f"{typed_low.normalize():f}"
    high_text = _with_unit(typed_high, answer.unit)
    return quality, f"{low_text}-{high_text}"


def _fraction(answer: Answer, tolerance: Tolerance | None, count: Decimal, text: str
              ) -> tuple[int, str]:
    denominator = answer.denominator or 1
    reach = Tolerance(count_width(count, tolerance))
    if m := _TYPED_FRACTION.match(text):
        _check_unit(answer, m["u"], "", count=True)
        typed_count, typed_denominator = int(m["n"]), int(m["d"])
        if typed_denominator == 0:
            raise UnparseableResponse(answer_hint(answer))
        parsed = f"{typed_count}/{typed_denominator}"
        if typed_denominator == denominator:
            return closeness(count, Decimal(typed_count), reach, percent=False), parsed
        as_percent = Decimal(typed_count) * 100 / Decimal(typed_denominator)
        return _by_percent(answer, reach, count, as_percent), parsed
    m = _TYPED_NUMBER.match(text)
    if not m:
        raise UnparseableResponse(answer_hint(answer))
    _check_unit(answer, m["u"], "", allow_percent=True, count=True)
    value = _decimal(m["v"])
    if m["u"] and unit_key(m["u"]) == "%":  # a percent was typed: read it as a count
        return _by_percent(answer, reach, count, value), _with_unit(value, "%")
    if value > denominator or value < 0 or value != value.to_integral_value():
        if 0 <= value <= 100:  # most likely a percent typed without its sign
            hint = f"for a percent, type {_with_unit(value, '%')}"
        else:
            hint = f"type a whole number from 0 to {denominator}, or a percent"
        raise UnparseableResponse(
            f"{_with_unit(value, '')} is not a count out of {denominator}; {hint}. "
            f"{answer_hint(answer)}"
        )
    quality = closeness(count, value, reach, percent=False)
    return quality, f"{_with_unit(value, '')}/{denominator}"


def percent_as_count(percent: Decimal, denominator: int) -> Decimal:
    """The count a percent of ``denominator`` stands for: round-half-up(p·n/100)."""
    return (percent * denominator / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _by_percent(answer: Answer, reach: Tolerance, count: Decimal, typed: Decimal) -> int:
    """A fraction judged on a typed percent, read as the count it stands for."""
    denominator = answer.denominator or 1
    read = percent_as_count(typed, denominator)
    quality = closeness(count, read, reach, percent=False)
    if quality == 5 and typed not in (
        percent_of(int(count), denominator, places(typed)), answer.stated_percent,
        count * 100 / Decimal(denominator),
    ):
        return 4  # the right count, but not its percent as written
    return quality


def tolerance_phrase(answer: Answer, tolerance: Tolerance | None) -> str:
    """The rule a typed answer was graded by, for the verdict: "within ±2 points", "exact"."""
    if answer.value is None or not answer.kind.numeric:
        return ""
    unit = "" if answer.unit in ("", "%") else f" {answer.unit}"
    if answer.kind is AnswerKind.FRACTION:
        reach = count_width(answer.value, tolerance)
        whole = f"out of {answer.denominator}"
        if reach == 0:
            return f"the exact count {whole} (a percent is read as a count of {answer.denominator})"
        return f"within ±{_num(reach)} of the count {whole}"
    if answer.kind is AnswerKind.RANGE:
        reach = range_width(answer, tolerance)
        if reach == 0:
            return "both ends exact"
        points = " points" if is_percent_scale(answer) else unit
        return f"each end within ±{_num(reach)}{points}"
    percent = answer.kind is AnswerKind.PERCENT
    reach = width(answer.value, tolerance, percent=percent)
    if reach == 0:
        return "exact"
    return f"within ±{_num(reach)}{' points' if percent else unit}"


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text if "." not in text else text.rstrip("0").rstrip(".")
