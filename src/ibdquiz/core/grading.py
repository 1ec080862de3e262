"""Grading answers as SM-2 qualities (docs/deck-format.md): pure functions, time passed in.

choice: wrong → 1; right → 5 within ``FAST_ANSWER_MS`` of display, else 4. A choice is compared
by value (``ibdquiz.core.judge.accepts``), so an option the grader would accept is right.
numeric: exact → 5; within tolerance → 4; within twice the tolerance → 2; else 1.
recall: the quality the fellow chose.

Typed answers (``ibdquiz.core.judge``): for a percent, ``54``, ``54%`` and ``54.0`` all mean 54
(``0.54`` means 0.54); a fraction accepts its count (``8``, ``8 patients``), the fraction
(``8/24``) or a percent read as the count it stands for (``33%`` of 24 is 8); a range accepts
``10-15``, ``10–15`` and ``10 to 15``, both ends judged with one width; a unit is optional, common
abbreviations (``4 mo``) are read, a different unit is refused. Anything unreadable raises
``UnparseableResponse`` with a hint saying what is expected; nothing is graded then.
"""

from __future__ import annotations

from dataclasses import dataclass

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import ChoiceOptions
from ibdquiz.core.judge import accepts, answer_hint, judge, tolerance_phrase

FAST_ANSWER_MS = 8000
"""A right choice answered within this many milliseconds of display scores 5, else 4."""

CORRECT_FROM = 3


@dataclass(frozen=True)
class NumericResult:
    """The grade of a typed answer, whether it counts as correct, how it was read, and the rule
    it was graded by ("within ±2 points")."""

    quality: int
    correct: bool
    parsed_text: str
    tolerance: str = ""


def is_correct(quality: int) -> bool:
    """True when a quality counts as a correct answer (≥ 3), for every kind."""
    return quality >= CORRECT_FROM


def grade_choice(
    chosen_index: int, options: ChoiceOptions, elapsed_ms: int, card: Card | None = None
) -> int:
    """Quality of a choice: 1 when wrong; 5 when right within 8 s of display, else 4.

    With ``card``, an option other than the key that the grader would accept (the same value
    written another way) is right too.
    """
    if not 0 <= chosen_index < len(options.options):
        raise ValueError(f"option {chosen_index} does not exist (0-{len(options.options) - 1})")
    right = chosen_index == options.correct_index or (
        card is not None
        and accepts(card.answer, card.tolerance, options.options[chosen_index])
    )
    if not right:
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
    verdict = judge(answer, card.tolerance, typed)
    return NumericResult(verdict.quality, is_correct(verdict.quality), verdict.parsed_text,
                         tolerance_phrase(answer, card.tolerance))


def input_hint(card: Card) -> str:
    """What the input box says: the format and unit expected, with an example (not the answer)."""
    if card.kind is CardKind.CHOICE:
        return "Press the number of your choice"
    if card.kind is CardKind.RECALL:
        return "Press space to reveal the answer, then grade yourself 0-5"
    return answer_hint(card.answer)
