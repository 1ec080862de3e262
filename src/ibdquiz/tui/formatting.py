"""Words the study app shows: context lines, grade labels, "in 6 days", bullet lists. No Textual."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.table import Table
from rich.text import Text

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.clock import day_to_date
from ibdquiz.core.rules import needs_redrill
from ibdquiz.session.results import Feedback

GRADE_LABELS: dict[int, str] = {
    5: "perfect response",
    4: "correct after hesitation",
    3: "correct with serious difficulty",
    2: "incorrect, but the answer seemed easy to recall",
    1: "incorrect, but remembered on seeing the answer",
    0: "complete blackout",
}
"""SM-2's own meaning of each quality grade (Woźniak), shown beside the flashcard grades."""

PHASE_LABELS: dict[str, str] = {
    "new": "NEW",
    "review": "REVIEW",
    "redrill": "RE-DRILL",
    "practice": "PRACTICE",
}

PHASE_NOTES: dict[str, str] = {
    "new": "first time you see this card",
    "review": "due for review",
    "redrill": "asked again today until graded 4 or more",
    "practice": "practice of a missed card: not rescheduled",
}

KIND_LABELS: dict[CardKind, str] = {
    CardKind.CHOICE: "multiple choice",
    CardKind.NUMERIC: "type the number",
    CardKind.RECALL: "flashcard",
}


def context_line(card: Card) -> str:
    """The study behind a card: ``ibdquiz.core.context.context`` (hides what gives the answer)."""
    from ibdquiz.core.context import context

    return context(card)


def days_phrase(days: int) -> str:
    """``0`` → "today", ``1`` → "tomorrow", ``6`` → "in 6 days"."""
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def day_label(day: int, today: int) -> str:
    """A study day as an ISO date with how far it is: "Tue 2024-12-03 (in 6 days)"."""
    return f"{day_to_date(day):%a %Y-%m-%d} ({days_phrase(day - today)})"


def due_label(day: int, today: int, now: datetime, day_start_hour: int) -> str:
    """When a card is due, in the words of the wall clock.

    Between midnight and the study day's start (04:00), the study day is still yesterday's: a
    card due on the next study day is due *today* on the calendar, from 04:00, not "tomorrow".
    """
    if day <= today:
        return "today"
    due = day_to_date(day)
    wall = now.date()
    if wall > day_to_date(today):  # after midnight, before the study day rolls over
        if due <= wall:
            return (f"today from {day_start_hour:02d}:00, when the study day starts "
                    f"({due:%a %Y-%m-%d})")
        return f"{due:%a %Y-%m-%d} ({days_phrase((due - wall).days)})"
    return day_label(day, today)


def last_studied(day: int | None, today: int) -> str:
    """When a deck was last studied, for the home table."""
    if day is None:
        return "never"
    ago = today - day
    if ago <= 0:
        return "today"
    if ago == 1:
        return "yesterday"
    return f"{ago} days ago"


def next_review_phrase(
    phase: str, quality: int, interval_days: int | None, due_day: int | None, today: int
) -> str:
    """When an answered card comes back, in the words the feedback shows."""
    again = (
        " It comes back at the end of this session (SM-2 re-drill)."
        if needs_redrill(quality)
        else ""
    )
    if phase == "practice":
        return "Practice answer: the card's schedule is unchanged."
    if phase == "redrill":
        return "Re-drill answer: logged; the SM-2 schedule is unchanged." + again
    if interval_days is not None:
        return f"Next review {days_phrase(interval_days)}." + again
    if due_day is not None:
        return f"Next review {days_phrase(due_day - today)}." + again
    return again.strip()


def duration_phrase(seconds: float) -> str:
    """``75`` → "1 min 15 s"."""
    total = round(seconds)
    minutes, secs = divmod(total, 60)
    if minutes == 0:
        return f"{secs} s"
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return f"{minutes} min {secs} s"
    return f"{hours} h {minutes} min"


def today_line(review: int, new: int, redrill: int, limit: int) -> str:
    """The home screen's headline: what a session of every deck would ask today."""
    redrills = f"{redrill} to re-drill, " if redrill else ""
    count = review + new + redrill
    return (
        f"Today: {count} card{'s' if count != 1 else ''} to study — {redrills}{review} due, "
        f"{new} new (at most {limit} new a day)"
    )


SHARED_LIMIT_NOTE = (
    "New today counts a deck studied alone; the {limit} new cards a day are shared by all "
    "decks, so 'All decks' (a) asks {new} new."
)
"""Said under the home table when its rows' new cards add up to more than the day allows."""


NUMERIC_VERDICTS: dict[int, str] = {
    5: "✓ Correct: exactly right.",
    4: "✓ Correct: within the tolerance.",
    2: "✗ Incorrect, but close: within twice the tolerance.",
    1: "✗ Incorrect.",
}
"""What a numeric grade means (docs/deck-format.md: exact 5, within tolerance 4, 2× 2, else 1)."""


def verdict_text(feedback: Feedback, kind: CardKind) -> str:
    """Right or wrong in words, the correct answer, and (numeric) what was typed.

    Written so the feedback reads without colour (a monochrome terminal, ``tmux capture-pane``);
    a choice card's options carry their own markers ("✓ correct answer", "✗ your answer").
    """
    if kind is CardKind.NUMERIC:
        verdict = NUMERIC_VERDICTS.get(feedback.quality, NUMERIC_VERDICTS[1])
        return (
            f"{verdict}\n  You typed:       {feedback.response}\n"
            f"  Correct answer:  {feedback.correct_answer}"
        )
    if feedback.correct:
        return f"✓ Correct: {feedback.correct_answer}"
    text = f"✗ Incorrect. The answer is {feedback.correct_answer}"
    if feedback.correct_index is not None:
        text += f" (option {feedback.correct_index + 1})"
    return text + "."


def option_marks(correct: int | None, chosen: int | None) -> dict[int, str]:
    """Text markers for the answered options, by 1-based number (not colour alone)."""
    marks: dict[int, str] = {}
    if correct is not None:
        marks[correct] = "✓ your answer, correct" if chosen == correct else "✓ correct answer"
    if chosen is not None and chosen != correct:
        marks[chosen] = "✗ your answer"
    return marks


def bullet_list(items: Iterable[Text]) -> Table:
    """One "•" row per item; each item's text wraps beside its bullet (a hanging indent)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(ratio=1)
    for item in items:
        table.add_row(Text("•", style="bold"), item)
    return table
