"""Pilot tests of a study session: each card kind end to end, asserting on the database."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from ibdquiz.tui.screens.session import SessionScreen
from ibdquiz.tui.screens.summary import SummaryScreen
from ibdquiz.tui.widgets.options import OptionRow
from tests.helpers_tui import (
    active_flag,
    card_state,
    end_to_summary,
    plain,
    review_rows,
    study,
)

SIZE = (80, 24)
CHOICE = "tui-test/mayo-2013/steroid-free-remission/choice"
NUMERIC = "tui-test/mayo-2013/steroid-free-remission/numeric"
RECALL = "tui-test/mayo-2013/steroid-free-remission/recall"


def text_of(screen: SessionScreen, selector: str) -> str:
    """What a Static on the session screen shows, as plain text."""
    return str(screen.query_one(selector, Static).content)


async def test_choice_card_saved_then_feedback(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("choice",)) as (env, _app, pilot, screen):
        item = screen.item
        assert item is not None and item.card.id == CHOICE
        assert "Mayo Clinic series, 2013" in text_of(screen, "#context")
        assert "retrospective" in text_of(screen, "#context")
        assert "n=24" in text_of(screen, "#context")
        assert item.correct_index is not None
        await pilot.press(str(item.correct_index + 1))
        await pilot.pause()
        rows = review_rows(env.path)
        assert [(r["card_id"], r["quality"], r["correct"]) for r in rows] == [(CHOICE, 5, 1)]
        assert rows[0]["response"] == "21%"
        assert "21%" in rows[0]["options"]
        assert text_of(screen, "#verdict").startswith("✓ Correct: 21%")
        assert "steroid-free remission" in text_of(screen, "#explain")
        assert "Inflamm Bowel Dis 2013; 19: 1107-11" in text_of(screen, "#explain")
        assert "Next review tomorrow." in text_of(screen, "#next-review")
        # digits do nothing while the feedback is up; enter goes on
        await pilot.press("1")
        assert len(review_rows(env.path)) == 1
        await pilot.press("enter")
        await pilot.pause()
        assert screen.item is not None and screen.item.card.id != CHOICE


async def test_wrong_choice_comes_back_as_a_labelled_redrill(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("choice",), new_limit=1) as (env, _app, pilot, screen):
        assert screen.item is not None and screen.item.correct_index is not None
        wrong = 1 if screen.item.correct_index != 0 else 2
        await pilot.press(str(wrong))
        await pilot.pause()
        assert text_of(screen, "#verdict").startswith("✗ Incorrect. The answer is 21%")
        # right and wrong are marked in words too, not only by the rows' background colour
        rows = {row.number: str(row.content) for row in screen.query(OptionRow)}
        right = screen.item.correct_index + 1
        assert rows[wrong].endswith("✗ your answer") and rows[wrong].split()[1] != "21%"
        assert rows[right].endswith("✓ correct answer") and rows[right].split()[1] == "21%"
        others = [text for n, text in rows.items() if n not in (wrong, right)]
        assert others and not any("✓" in text or "✗" in text for text in others)
        assert "re-drill" in text_of(screen, "#next-review")
        assert [r["quality"] for r in review_rows(env.path)] == [1]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.item is not None and screen.item.phase == "redrill"
        assert text_of(screen, "#phase").startswith("RE-DRILL")
        assert screen.query_one("#phase").has_class("-redrill")
        assert screen.item.correct_index is not None
        await pilot.press(str(screen.item.correct_index + 1))
        await pilot.pause()
        phases = [r["phase"] for r in review_rows(env.path)]
        assert phases == ["new", "redrill"]


async def test_keys_without_an_option_are_ignored(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("choice",)) as (env, _app, pilot, screen):
        assert screen.item is not None
        missing = [str(n) for n in range(len(screen.item.options) + 1, 10)] + ["0", "space"]
        await pilot.press(*missing)
        await pilot.pause()
        assert review_rows(env.path) == []
        assert screen.state == "question"


async def test_numeric_unparseable_input_records_nothing(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("numeric",)) as (env, app, pilot, screen):
        assert screen.item is not None
        assert screen.item.card.id == NUMERIC
        assert text_of(screen, "#unit") == "%"
        answer = screen.query_one("#answer", Input)
        assert answer.has_focus and answer.placeholder == "your answer in %, then enter"
        assert "Type a percent" in text_of(screen, "#hint")
        # while typing, letters that are keys elsewhere (u, f, s, q) only type
        await pilot.press("5", "o", "u", "f", "s", "q", "enter")
        await pilot.pause()
        assert review_rows(env.path) == []
        assert active_flag(env.path, NUMERIC) is None
        assert screen.query_one("#hint").has_class("-error")
        assert text_of(screen, "#hint").startswith("Not read: '5oufsq' was not graded.")
        assert screen.state == "question" and isinstance(app.screen, SessionScreen)
        answer.value = ""
        await pilot.press("2", "1", "enter")
        await pilot.pause()
        rows = review_rows(env.path)
        assert [(r["card_id"], r["quality"], r["response"]) for r in rows] == [
            (NUMERIC, 5, "21")
        ]
        assert text_of(screen, "#verdict").splitlines() == [
            "✓ Correct: exactly right.",
            "  You typed:       21",
            "  Correct answer:  21%",
        ]
        assert not screen.query_one("#hint").display


async def test_recall_reveals_then_grades_and_goes_on(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("recall",)) as (env, _app, pilot, screen):
        assert screen.item is not None
        assert screen.item.card.id == RECALL
        await pilot.press("4", "5", "enter")  # digits never grade an unrevealed card
        await pilot.pause()
        assert review_rows(env.path) == []
        await pilot.press("space")
        await pilot.pause()
        assert screen.state == "revealed"
        assert text_of(screen, "#reveal") == "Answer: 21%"
        grades = [str(row.content) for row in screen.query(".option-row")]
        assert any("perfect response" in g for g in grades)
        assert any("complete blackout" in g for g in grades)
        await pilot.press("4")
        await pilot.pause()
        rows = review_rows(env.path)
        assert [(r["card_id"], r["quality"], r["response"]) for r in rows] == [(RECALL, 4, "")]
        assert screen.state == "question"
        assert screen.item is not None and screen.item.card.id != RECALL


async def test_undo_marks_the_review_and_the_card_returns(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("choice",)) as (env, app, pilot, screen):
        assert screen.item is not None
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.item is not None and screen.item.card.id != CHOICE
        assert len(review_rows(env.path)) == 1
        assert card_state(env.path, CHOICE) is not None
        await pilot.press("u")
        await pilot.pause()
        rows = review_rows(env.path)
        assert len(rows) == 1 and rows[0]["undone_at"] is not None  # kept, marked undone
        state = card_state(env.path, CHOICE)
        assert state is None or state["due_day"] is None
        assert screen.item is not None and screen.item.card.id == CHOICE
        assert screen.state == "question"
        assert screen.session.progress.done == 0
        assert "AGAIN after undo" in text_of(screen, "#phase")
        messages = [n.message for n in app._notifications]
        assert any("stays on record" in m for m in messages)
        await pilot.press("u")  # nothing left to undo: nothing breaks
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_flag_with_a_reason_and_suspend_persist(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("choice",)) as (env, app, pilot, screen):
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("x", "escape")  # escape cancels
        await pilot.pause()
        assert app.screen is screen
        assert active_flag(env.path, CHOICE) is None
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"[CRP] wrong", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert active_flag(env.path, CHOICE) == "[CRP] wrong"
        await pilot.press("s")
        await pilot.pause()
        state = card_state(env.path, CHOICE)
        assert state is not None and state["suspended"] == 1
        assert screen.item is not None and screen.item.card.id != CHOICE
        assert review_rows(env.path) == []
        second = screen.item.card.id
        await pilot.press("f", "enter")  # an empty reason is fine
        await pilot.pause()
        assert active_flag(env.path, second) == ""


async def test_end_shows_the_summary_and_closing_it_exits(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("choice",)) as (env, app, pilot, screen):
        assert screen.item is not None
        assert screen.item.correct_index is not None
        wrong = 1 if screen.item.correct_index != 0 else 2
        await pilot.press(str(wrong))
        await pilot.pause()
        env.clock.advance(seconds=75)
        summary, score = await end_to_summary(app, pilot)
        assert score == "1 answered · 0 correct (0%) · 1 min 15 s"
        missed = plain(summary.query_one("#missed", Static).content, width=200)
        assert "steroid-free remission" in missed and "Inflamm Bowel Dis" in missed
        assert "Answer: 21%" in missed
        assert "Due tomorrow: 1 card." in str(summary.query_one("#tomorrow", Static).content)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_deck_text_is_shown_as_written_not_as_markup(tmp_path: Path) -> None:
    async with study(tmp_path, sources=("markup-test",)) as (env, _app, pilot, screen):
        prompt = screen.query_one("#prompt", Static)
        rendered = prompt.visual
        assert "[CRP] <b>shown</b> [red]as written[/red]" in str(
            getattr(rendered, "plain", rendered)
        )
        assert "[bold]Test source[/bold]" in text_of(screen, "#context")
        await pilot.press("space")
        await pilot.pause()
        assert text_of(screen, "#reveal") == "Answer: yes [CRP]"
        await pilot.press("5")
        await pilot.pause()
        assert [r["quality"] for r in review_rows(env.path)] == [5]


async def test_escape_leaves_the_numeric_input_then_keys_act(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("numeric",)) as (env, app, pilot, screen):
        answer = screen.query_one("#answer", Input)
        assert answer.has_focus
        footer_keys = {b.binding.key for b in screen.active_bindings.values()
                       if screen.check_action(b.binding.action.split("(")[0], ())}
        assert "u" not in footer_keys and "s" not in footer_keys
        await pilot.press("2", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and not answer.has_focus
        assert screen.check_action("undo", ()) is False  # nothing to undo yet
        assert screen.check_action("suspend", ()) and screen.check_action("flag", ())
        assert screen.check_action("end", ()) and screen.check_action("help", ())
        await pilot.press("1")  # a digit goes back to the input, typed
        await pilot.pause()
        assert answer.has_focus and answer.value == "21"
        await pilot.press("enter")
        await pilot.pause()
        assert [(r["card_id"], r["quality"]) for r in review_rows(env.path)] == [(NUMERIC, 5)]
        await pilot.press("u")  # the feedback is up: u undoes
        await pilot.pause()
        assert screen.state == "question" and answer.has_focus
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"unit", "enter")
        await pilot.pause()
        assert active_flag(env.path, NUMERIC) == "unit"
        await pilot.press("s")
        await pilot.pause()
        assert card_state(env.path, NUMERIC)["suspended"] == 1  # type: ignore[index]


async def test_second_escape_or_q_ends_the_session(tmp_path: Path) -> None:
    for keys in (("escape", "escape"), ("escape", "q")):
        folder = tmp_path / keys[1]
        folder.mkdir()
        async with study(folder, kinds=("numeric",)) as (env, app, pilot, _):
            await pilot.press("2", "1", "enter", "enter")  # answered, on to the next card
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            assert len(review_rows(env.path)) == 1


async def test_a_close_numeric_answer_says_so_in_words(tmp_path: Path) -> None:
    async with study(tmp_path, kinds=("numeric",)) as (env, _app, pilot, screen):
        await pilot.press("2", "4", "enter")  # 21% ± 2 points: 24 is within twice that
        await pilot.pause()
        assert [(r["quality"], r["correct"]) for r in review_rows(env.path)] == [(2, 0)]
        assert text_of(screen, "#verdict").splitlines() == [
            "✗ Incorrect, but close: within twice the tolerance.",
            "  You typed:       24",
            "  Correct answer:  21%",
        ]
        assert screen.query_one("#verdict").has_class("-wrong")
        assert "Press enter to go on." in text_of(screen, "#next-review")
