"""Pilot regressions of issue 10 on real SQLite: one session at a time, an undo that keeps the
record, "due" meaning one thing on every screen, no empty session rows, the typed-card keys."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from pathlib import Path

from textual.widgets import Input, Static

from ibdquiz.core.queue import SessionFilters
from ibdquiz.core.rules import due_sql
from ibdquiz.session.results import Summary
from ibdquiz.session.study import StudySession
from ibdquiz.tui.screens.home import HomeScreen
from ibdquiz.tui.screens.session import SessionScreen
from tests.helpers_storage import answer_right
from tests.helpers_tui import (
    Env,
    build_app,
    card_state,
    end_to_summary,
    review_rows,
    store_env,
    study,
)

SIZE = (100, 30)
CHOICE = "tui-test/mayo-2013/steroid-free-remission/choice"


def sessions_rows(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, mode, ended_at FROM sessions ORDER BY id").fetchall()
    finally:
        conn.close()


async def test_palette_offers_no_study_command_inside_a_session(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            outside = [c.title for c in app.get_system_commands(app.screen)]
            assert "Learn more new cards" in outside and "Study all due cards" in outside
            await pilot.press("enter")
            await pilot.pause()
            session = app.screen
            assert isinstance(session, SessionScreen)
            inside = [c.title for c in app.get_system_commands(session)]
            assert not {"Learn more new cards", "Study all due cards", "Practice missed cards"} & (
                set(inside)
            )
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Learn more", "enter")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert sum(isinstance(s, SessionScreen) for s in app.screen_stack) == 1
            # a message asking for a session (say, from another screen) is refused too
            app.start_session(SessionFilters(new_limit=10))
            await pilot.pause()
            assert sum(isinstance(s, SessionScreen) for s in app.screen_stack) == 1
            assert any("already open" in n.message for n in app._notifications)
            assert app.screen is session and session.item is not None
            assert session.item.correct_index is not None
            await pilot.press(str(session.item.correct_index + 1))
            await pilot.pause()
        rows = review_rows(env.path)
        assert len(rows) == 1 and len(sessions_rows(env.path)) == 1


async def test_undo_after_feedback_keeps_the_wrong_first_answer(tmp_path: Path) -> None:
    async with study(tmp_path, size=SIZE, kinds=("choice",)) as (env, app, pilot, screen):
        assert screen.item is not None
        first = screen.item
        assert first.correct_index is not None
        wrong = 1 if first.correct_index != 0 else 2
        await pilot.press(str(wrong))
        await pilot.pause()
        assert screen.state == "feedback"
        await pilot.press("u")
        await pilot.pause()
        again = screen.item
        assert again is not None and again.card.id == first.card.id
        assert again.options == first.options and again.phase == first.phase
        assert screen.state == "question"
        await pilot.press(str(first.correct_index + 1))  # at once: would score 5
        await pilot.pause()
        rows = review_rows(env.path)
        assert [(r["quality"], r["correct"], r["undone_at"] is not None) for r in rows] == [
            (1, 0, True), (4, 1, False)
        ]
        assert rows[0]["options"] == rows[1]["options"]
        state = card_state(env.path, CHOICE)
        assert state is not None and state["repetitions"] == 1 and state["lapses"] == 0
        summary, score = await end_to_summary(app, pilot)
        assert score.startswith("1 answered · 1 correct")
        assert "kept on record" in str(summary.query_one("#undone", Static).content)


async def test_undo_after_suspend_undoes_the_suspension_first(tmp_path: Path) -> None:
    async with study(tmp_path, size=SIZE, kinds=("choice",)) as (env, _app, pilot, screen):
        assert screen.item is not None
        answered = screen.item.card.id
        await pilot.press("1", "enter")
        await pilot.pause()
        assert screen.item is not None
        suspended = screen.item.card.id
        await pilot.press("s")
        await pilot.pause()
        assert card_state(env.path, suspended)["suspended"] == 1  # type: ignore[index]
        await pilot.press("u")
        await pilot.pause()
        assert card_state(env.path, suspended)["suspended"] == 0  # type: ignore[index]
        assert screen.item is not None and screen.item.card.id == suspended
        assert [r["undone_at"] for r in review_rows(env.path)] == [None]  # answer stands
        await pilot.press("u")
        await pilot.pause()
        assert screen.item is not None and screen.item.card.id == answered
        assert [r["undone_at"] is not None for r in review_rows(env.path)] == [True]
        assert card_state(env.path, suspended)["suspended"] == 0  # type: ignore[index]


async def test_no_session_row_without_a_card_and_no_summary_when_nothing_was_answered(
    tmp_path: Path,
) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for _ in range(3):  # practice with nothing missed: nothing to ask
                await pilot.press("p")
                await pilot.pause()
                assert isinstance(app.screen, HomeScreen)
            assert sessions_rows(env.path) == []
            await pilot.press("enter")  # a session with cards, ended at once
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)  # no "0 answered" summary
            assert any("nothing was answered" in n.message for n in app._notifications)
            rows = sessions_rows(env.path)
            assert len(rows) == 1 and rows[0][2] is not None  # written once a card was drawn
            assert review_rows(env.path) == []


def raw_due(env: Env, day: int) -> int:
    """Cards due by the rule itself, counted in SQL (``core.rules.due_sql``)."""
    conn = sqlite3.connect(env.path)
    try:
        return int(conn.execute(
            f"SELECT count(*) FROM card_state s JOIN cards c ON c.id = s.card_id"
            f" WHERE s.profile = 'default' AND {due_sql(today='?')}", [day]
        ).fetchone()[0])
    finally:
        conn.close()


async def test_home_stats_and_summary_agree_on_what_is_due(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        env.store.sync_decks([env.deck])
        settings = env.store.settings("default")
        env.store.save_settings("default", dataclasses.replace(settings, review_limit=2))
        yesterday: Summary | None = None
        for day in range(6):
            app = build_app(env)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                home = app.screen
                assert isinstance(home, HomeScreen)
                headline = str(home.query_one("#today", Static).content)
                found = re.search(r"(\d+) due, (\d+) new", headline)
                assert found is not None, headline
                held = re.search(r"(\d+) due held back", headline)
                home_due, home_held = int(found[1]), int(held[1]) if held else 0
                stats = env.store.study_stats("default").summary.totals
                today = env.store.today("default")
                assert (stats.due, stats.held_back) == (home_due, home_held), (day, headline)
                assert home_due <= 2  # the review limit
                assert home_due + home_held == raw_due(env, today)
                if yesterday is not None:
                    assert (yesterday.due_tomorrow, yesterday.held_back_tomorrow) == (
                        home_due, home_held
                    ), day
            session = StudySession(env.store, "default", clock=env.clock)
            while session.show() is not None or session.stage.value == "answered":
                answer_right(session)
                if session.stage.value == "answered":
                    session.next()
            yesterday = session.end()
            env.clock.advance(days=1)
        assert yesterday is not None and sum(r["phase"] == "review" for r in review_rows(
            env.path)) > 0


async def test_typed_card_digit_returns_to_the_input(tmp_path: Path) -> None:
    async with study(tmp_path, size=SIZE, kinds=("numeric",)) as (_env, app, pilot, screen):
        answer = screen.query_one("#answer", Input)
        await pilot.press("u", "f", "s", "escape")  # typed, then out of the input
        await pilot.pause()
        assert answer.value == "ufs" and not answer.has_focus
        footer = {b.binding.id for b in screen.active_bindings.values()
                  if screen.check_action(b.binding.action.split("(")[0], ())}
        assert {"session.flag", "session.suspend", "session.help", "session.end"} <= footer
        await pilot.press("question_mark")
        await pilot.pause()
        assert "stays on record" in " ".join(
            str(s.content) for s in app.screen.query(Static)
        )


async def test_auto_advance_after_a_correct_answer_only_when_set(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        settings = env.store.settings("default")
        assert settings.auto_advance_ms == 0  # off by default
        env.store.save_settings("default", dataclasses.replace(settings, auto_advance_ms=400))
        app = build_app(env, start="study", filters=SessionFilters(kinds=("choice",)))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SessionScreen) and screen.item is not None
            first = screen.item
            assert first.correct_index is not None
            await pilot.press(str(first.correct_index + 1))
            await pilot.pause()
            assert screen.state == "feedback"  # the verdict and explanation are shown first
            assert str(screen.query_one("#verdict", Static).content).startswith("✓ Correct")
            await pilot.pause(0.8)
            assert screen.state == "question" and screen.item is not None
            second = screen.item
            assert second.card.id != first.card.id and second.correct_index is not None
            await pilot.press(str((second.correct_index + 1) % len(second.options) + 1))
            await pilot.pause(0.8)
            assert screen.state == "feedback"  # a wrong answer waits for enter


async def test_flashcard_grades_show_their_next_interval(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        env.store.sync_decks([env.deck])
        recall = SessionFilters(kinds=("recall",), new_limit=1)
        first = StudySession(env.store, "default", recall, clock=env.clock)
        assert first.show() is not None
        first.grade_recall(5)  # repetitions 1: the next success gives 6 days
        first.end()
        env.clock.advance(days=1)
        app = build_app(env, start="study", filters=SessionFilters(kinds=("recall",)))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SessionScreen) and screen.item is not None
            assert screen.item.phase == "review"
            await pilot.press("space")
            await pilot.pause()
            rows = [str(row.content) for row in screen.query("#grades .option-row")]
            assert len(rows) == 6
            assert rows[5].split("perfect response")[1].strip() == "next in 6d"
            assert "next in 6d" in rows[4] and "next in 6d" in rows[3]
            assert all("next in 1d" in row for row in rows[:3])  # a failure starts over


async def test_header_counts_agree_with_the_summary(tmp_path: Path) -> None:
    async with study(tmp_path, size=SIZE, kinds=("choice",)) as (_env, app, pilot, screen):
        for right in (False, True):
            item = screen.item
            assert item is not None and item.correct_index is not None
            pick = item.correct_index if right else (item.correct_index + 1) % len(
                item.options)
            await pilot.press(str(pick + 1), "enter")
            await pilot.pause()
        item = screen.item  # the re-drill of the first card
        assert item is not None and item.phase == "redrill"
        assert item.correct_index is not None
        await pilot.press(str(item.correct_index + 1))
        await pilot.pause()
        header = str(screen.query_one("#counts", Static).content)
        assert header.startswith("answered 2 · correct 1/2"), header
        _summary, score = await end_to_summary(app, pilot)
        assert score.startswith("2 answered · 1 correct")
