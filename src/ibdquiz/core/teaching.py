"""Teaching feedback (issue 9): what a wrong option or typed value really is, and provenance.

``teaching_note(card, response)`` says, when the fellow picked or typed another fact's answer,
what that value is ("46% is the answer to another question: ..."); ``feedback_lines`` adds the
tolerance a typed answer was graded by and the source's ``via`` ("as summarised by ...").
"""

from __future__ import annotations

from ibdquiz.core.answers import parse_answer
from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.judge import accepts, normalized, tolerance_phrase
from ibdquiz.errors import AnswerFormatError


def teaching_note(card: Card, response: str) -> str:
    """What ``response`` is when it is another fact's answer (not this card's), else ""."""
    if not response.strip() or accepts(card.answer, card.tolerance, response):
        return ""
    for answer_text, note in card.notes:
        if normalized(answer_text) == normalized(response):
            return note
    for answer_text, note in card.notes:
        try:
            other = parse_answer(answer_text)
        except AnswerFormatError:
            continue
        if other.kind.numeric and accepts(other, None, response):
            return note
    return ""


def provenance(card: Card) -> str:
    """"Source: <citation>, as summarised by <via>" (the citation alone without ``via``)."""
    if not card.citation:
        return ""
    if card.via:
        return f"Source: {card.citation}, as summarised by {card.via}"
    return f"Source: {card.citation}"


def feedback_lines(card: Card, response: str, correct: bool) -> list[str]:
    """Lines the feedback adds: the tolerance a typed answer was graded by, the teaching note."""
    lines: list[str] = []
    if card.kind is CardKind.NUMERIC and (rule := tolerance_phrase(card.answer, card.tolerance)):
        lines.append(f"Graded {rule}.")
    if not correct and (note := teaching_note(card, response)):
        lines.append(note)
    return lines
