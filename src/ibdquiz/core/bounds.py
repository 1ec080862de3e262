"""The bound on how precisely a number may be written, in a deck and in a typed answer.

No fact in the literature needs more than ``MAX_DIGITS`` digits, and beyond that the decimal
arithmetic of grading and of the choice options would run out of precision (and Python refuses
to read integers of thousands of digits). A deck's number over the bound is a positioned error;
a typed answer over it is "can't read", never graded and never a crash.
"""

from __future__ import annotations

import re
from decimal import Context
from functools import lru_cache

MAX_DIGITS = 15
"""The most digits a number may have, not counting a sign, a point or leading zeros (``0.5``
has one digit, ``120.25`` five, ``0.001`` three)."""

_DIGITS = re.compile(r"\d")


@lru_cache(maxsize=1 << 16)
def digit_count(text: str) -> int:
    """How many digits of ``text`` count towards the bound (leading zeros of a number don't)."""
    whole, _, fraction = text.strip().lstrip("+-").partition(".")
    return len(_DIGITS.findall(whole.lstrip("0"))) + len(_DIGITS.findall(fraction))


def too_precise(text: str) -> bool:
    """True when the number ``text`` has more than ``MAX_DIGITS`` digits."""
    return digit_count(text) > MAX_DIGITS


def too_precise_message(text: str) -> str:
    """Why a number over the bound is refused, in one sentence."""
    shown = text if len(text) <= 40 else text[:37] + "..."
    return (f"the number {shown} has {digit_count(text)} digits; numbers have at most "
            f"{MAX_DIGITS} digits (a sign, the point and leading zeros aside)")

WIDE = Context(prec=4 * MAX_DIGITS)
"""Enough precision for any quantizing of numbers within the bound (two of them side by side,
a 15-digit count with 15 decimals), so ``quantize`` cannot fail for lack of digits."""
