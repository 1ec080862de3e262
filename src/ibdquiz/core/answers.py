"""Reading a deck's ``answer`` and ``tolerance`` text into their kinds (docs/deck-format.md).

Numbers are held as ``Decimal`` so that what the author wrote (``1.10``, ``2.5``) is kept
exactly and printed back the same way.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ibdquiz.core.bounds import WIDE, too_precise, too_precise_message
from ibdquiz.core.model import Answer, AnswerKind, Tolerance
from ibdquiz.errors import AnswerFormatError

_NUM = r"\d+(?:\.\d+)?"
_SIGNED = r"-?\d+(?:\.\d+)?"
# A unit is one token of letters (any script, so µ and α work), slashes, dots and %, e.g. ng/mL.
_UNIT = r"[^\W\d_][^\s\d]*(?:/[^\s]+)?"

_PERCENT = re.compile(rf"^(?P<v>{_SIGNED})\s*%$")
_FRACTION = re.compile(rf"^(?P<n>\d+)\s*/\s*(?P<d>\d+)(?:\s*\(\s*(?P<p>{_NUM})\s*%\s*\))?$")
_RANGE = re.compile(
    rf"^(?P<lo>{_NUM})\s*(?:-|–|—|\bto\b)\s*(?P<hi>{_NUM})\s*(?P<u>%|{_UNIT})?$", re.IGNORECASE
)
_NUMBER = re.compile(rf"^(?P<v>{_SIGNED})(?:\s*(?P<u>{_UNIT}))?$")
_TOLERANCE = re.compile(rf"^±?\s*(?P<v>{_NUM})\s*(?P<rel>%)?$")


def decimal_of(text: str) -> Decimal:
    """Turn matched digits into a Decimal (at most ``MAX_DIGITS`` digits)."""
    if too_precise(text):
        raise AnswerFormatError(too_precise_message(text))
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regexes only pass digits
        raise AnswerFormatError(f"{text!r} is not a number") from exc


def percent_of(count: int, denominator: int, places: int) -> Decimal:
    """``count/denominator`` as a percent, rounded half-up to ``places`` decimals."""
    exact = Decimal(count) * 100 / Decimal(denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=WIDE)


def parse_answer(text: str) -> Answer:
    """Parse an authored answer; raise ``AnswerFormatError`` when it is numeric but inconsistent.

    >>> parse_answer("8/24 (33%)").kind
    <AnswerKind.FRACTION: 'fraction'>
    """
    stripped = " ".join(text.split())
    if not stripped:
        raise AnswerFormatError("the answer is empty; write the answer as the source states it")
    if m := _PERCENT.match(stripped):
        return Answer(AnswerKind.PERCENT, stripped, value=decimal_of(m["v"]), unit="%")
    if m := _FRACTION.match(stripped):
        return _fraction(stripped, m)
    if m := _RANGE.match(stripped):
        low, high = decimal_of(m["lo"]), decimal_of(m["hi"])
        if low >= high:
            raise AnswerFormatError(
                f"the range {stripped!r} must run from the lower number to the higher one"
            )
        return Answer(AnswerKind.RANGE, stripped, value=low, high=high, unit=m["u"] or "")
    if m := _NUMBER.match(stripped):
        return Answer(AnswerKind.NUMBER, stripped, value=decimal_of(m["v"]), unit=m["u"] or "")
    return Answer(AnswerKind.TEXT, stripped)


def _fraction(text: str, m: re.Match[str]) -> Answer:
    count, denominator = int(decimal_of(m["n"])), int(decimal_of(m["d"]))
    if denominator == 0:
        raise AnswerFormatError(f"the fraction {text!r} has a denominator of 0")
    if count > denominator:
        raise AnswerFormatError(
            f"the fraction {text!r} counts more than its denominator; write it as count/total"
        )
    stated = decimal_of(m["p"]) if m["p"] else None
    if stated is not None:
        places = max(0, -int(stated.as_tuple().exponent))
        expected = percent_of(count, denominator, places)
        if expected != stated:
            raise AnswerFormatError(
                f"{count}/{denominator} is {expected}%, not {stated}%; "
                "correct the count or the percent so that they agree"
            )
    return Answer(
        AnswerKind.FRACTION, text, value=Decimal(count), denominator=denominator,
        stated_percent=stated,
    )


def parse_tolerance(text: str) -> Tolerance:
    """Parse ``tolerance``: ``5`` means ±5 in the fact's unit, ``10%`` means ±10% relative."""
    stripped = " ".join(text.split())
    m = _TOLERANCE.match(stripped)
    if not m:
        raise AnswerFormatError(
            f"tolerance {stripped!r} is not understood; write a number such as 5 (±5 in the "
            "answer's unit) or a percent such as 10% (±10% of the answer)"
        )
    amount = decimal_of(m["v"])
    if m["rel"]:
        return Tolerance(amount / 100, relative=True, text=stripped)
    return Tolerance(amount, relative=False, text=stripped)
