"""The words the study app shows: verdicts that read without colour, option markers, headlines."""

from __future__ import annotations

from ibdquiz.core.card import CardKind
from ibdquiz.session.results import Feedback
from ibdquiz.tui.formatting import option_marks, today_line, verdict_text


def feedback(quality: int, response: str, *, correct_index: int | None = None) -> Feedback:
    return Feedback(
        correct=quality >= 3, quality=quality, correct_answer="21%", correct_index=correct_index,
        response=response, explain="", citation="", interval_days=1, due_day=None, phase="new",
        review_id=1,
    )


def test_numeric_verdicts_say_the_grade_what_was_typed_and_the_answer() -> None:
    lines = {
        q: verdict_text(feedback(q, "24"), CardKind.NUMERIC).splitlines() for q in (5, 4, 2, 1)
    }
    assert lines[5][0] == "✓ Correct: exactly right."
    assert lines[4][0] == "✓ Correct: within the tolerance."
    assert lines[2][0] == "✗ Incorrect, but close: within twice the tolerance."
    assert lines[1][0] == "✗ Incorrect."
    for shown in lines.values():
        assert shown[1:] == ["  You typed:       24", "  Correct answer:  21%"]


def test_choice_verdict_names_the_right_option() -> None:
    assert verdict_text(feedback(5, "21%", correct_index=2), CardKind.CHOICE) == "✓ Correct: 21%"
    wrong = verdict_text(feedback(1, "67%", correct_index=2), CardKind.CHOICE)
    assert wrong == "✗ Incorrect. The answer is 21% (option 3)."


def test_option_marks_are_words_not_only_colour() -> None:
    assert option_marks(3, 2) == {3: "✓ correct answer", 2: "✗ your answer"}
    assert option_marks(3, 3) == {3: "✓ your answer, correct"}
    assert option_marks(None, None) == {}


def test_today_line_counts_what_a_session_would_ask() -> None:
    assert today_line(0, 20, 0, 20) == (
        "Today: 20 cards to study — 0 due, 20 new (at most 20 new a day)"
    )
    assert today_line(1, 0, 0, 5) == "Today: 1 card to study — 1 due, 0 new (at most 5 new a day)"
    assert today_line(2, 3, 1, 20) == (
        "Today: 6 cards to study — 1 to re-drill, 2 due, 3 new (at most 20 new a day)"
    )
