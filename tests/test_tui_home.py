"""Pilot tests of the home screen, help, settings, browse, stats and key remaps."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from ibdquiz.core.queue import SessionFilters
from ibdquiz.session.study import StudySession
from ibdquiz.tui.keymap import parse_keymap
from ibdquiz.tui.screens.browse import BrowseScreen
from ibdquiz.tui.screens.help import HelpScreen
from ibdquiz.tui.screens.home import HomeScreen
from ibdquiz.tui.screens.session import SessionScreen
from ibdquiz.tui.screens.settings import SettingsScreen
from ibdquiz.tui.screens.stats import StatsScreen
from ibdquiz.tui.screens.summary import SummaryScreen
from tests.helpers_storage import ask
from tests.helpers_tui import Env, build_app, card_state, review_rows, store_env

SIZE = (80, 24)
CHOICE = "tui-test/mayo-2013/steroid-free-remission/choice"


def answer_one_wrong(env: Env) -> None:
    """Answer the first choice card wrongly through the session API (as the app would)."""
    env.store.sync_decks([env.deck])
    session = StudySession(
        env.store, "default", SessionFilters(kinds=("choice",), new_limit=1), clock=env.clock
    )
    item = ask(session)
    assert item is not None and item.correct_index is not None
    session.answer_choice((item.correct_index + 1) % len(item.options))
    session.end()


async def test_home_lists_decks_and_enter_studies_then_summary_returns_home(
    tmp_path: Path,
) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen) and app.ready
            table = home.query_one("#decks", DataTable)
            assert table.row_count == 1
            # due today, new today (one card per fact: 3 facts), unseen / total
            assert [str(c) for c in table.get_row_at(0)][:4] == ["TUI test deck", "0", "3", "7/7"]
            assert str(home.query_one("#today", Static).content) == (
                "Today: 3 cards to study — 0 due, 3 new (at most 20 new a day)"
            )
            await pilot.press("enter")
            await pilot.pause()
            session = app.screen
            assert isinstance(session, SessionScreen)
            assert session.title == "TUI test deck"
            await pilot.press("1")
            await pilot.pause()
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("q")
            await pilot.pause()
            assert app.screen is home
            assert [str(c) for c in table.get_row_at(0)][4] == "today"
            assert len(review_rows(env.path)) == 1
            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running


async def test_nothing_due_says_when_and_offers_practice(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        answer_one_wrong(env)
        settings = env.store.settings("default")
        env.store.save_settings("default", dataclasses.replace(settings, new_per_day=0))
        env.clock.advance(days=1)  # the re-drill of yesterday does not carry over
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen)
            row = [str(c) for c in home.query_one("#decks", DataTable).get_row_at(0)]
            assert row == ["TUI test deck", "1", "0", "6/7", "yesterday"]
            assert str(home.query_one("#today", Static).content) == (
                "Today: 1 card to study — 1 due, 0 new (at most 0 new a day)"
            )
            # the missed card is due today (interval 1): study it, then nothing is left
            await pilot.press("a")
            await pilot.pause()
            session = app.screen
            assert isinstance(session, SessionScreen) and session.item is not None
            assert session.item.phase == "review"
            assert session.item.correct_index is not None
            await pilot.press(str(session.item.correct_index + 1), "enter")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is home
            nothing = home.query_one("#nothing-due", Static)
            assert nothing.display
            text = str(nothing.content)
            assert "Nothing due today. The next card is due" in text
            assert "Wed 2025-03-12 (tomorrow)" in text  # after a lapse: 1, 1, 6 days
            assert "p to practice" in text
            await pilot.press("p")
            await pilot.pause()
            practice = app.screen
            assert isinstance(practice, SessionScreen) and practice.item is not None
            assert practice.item.phase == "practice"
            assert practice.session_title.startswith("Practice")
            await pilot.press("1")
            await pilot.pause()
            assert review_rows(env.path)[-1]["phase"] == "practice"


async def test_help_lists_the_keys_with_their_ids(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            ids = app.screen.shown_ids
            assert {"home.study", "home.all", "home.stats", "home.browse", "home.quit"} <= ids
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


async def test_keys_yaml_remaps_a_binding_by_id(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keys.yaml").write_text("session.undo: z\nno.such.id: x\n", encoding="utf-8")
    with store_env(tmp_path) as env:
        app = build_app(
            env, start="study", filters=SessionFilters(kinds=("choice",)), config_dir=config
        )
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("unknown binding id 'no.such.id'" in m for m in messages)
            await pilot.press("1")
            await pilot.pause()
            assert len(review_rows(env.path)) == 1
            await pilot.press("u")  # remapped away
            await pilot.pause()
            assert len(review_rows(env.path)) == 1
            await pilot.press("z")
            await pilot.pause()
            assert [r["undone_at"] is not None for r in review_rows(env.path)] == [True]


def test_parse_keymap_reports_bad_yaml_and_values() -> None:
    known = ["session.undo", "session.flag"]
    ok = parse_keymap("session.undo: z\nsession.flag: [f, ctrl+f]\n", "keys.yaml", known)
    assert ok.keymap == {"session.undo": "z", "session.flag": "f,ctrl+f"}
    assert ok.problems == []
    bad = parse_keymap("session.undo: [\n", "keys.yaml", known)
    assert bad.keymap == {} and "not valid YAML" in bad.problems[0]
    wrong = parse_keymap("session.undo: {a: b}\n", "keys.yaml", known)
    assert wrong.keymap == {} and "is not a key" in wrong.problems[0]


async def test_settings_are_saved_in_the_database(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SettingsScreen)
            screen.query_one("#theme").value = "nord"  # type: ignore[attr-defined]
            screen.query_one("#new-per-day", Input).value = "abc"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, SettingsScreen)  # refused, with a notification
            assert env.store.settings("default").new_per_day == 20
            screen.query_one("#new-per-day", Input).value = "7"
            screen.query_one("#day-start", Input).value = "5"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            saved = env.store.settings("default")
            assert (saved.theme, saved.new_per_day, saved.day_start_hour) == ("nord", 7, 5)
            assert app.theme == "nord"


async def test_browse_searches_and_unsuspends_and_unflags(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        env.store.sync_decks([env.deck])
        env.store.suspend("default", CHOICE)
        env.store.flag("default", CHOICE, "typo")
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("b")
            await pilot.pause()
            browse = app.screen
            assert isinstance(browse, BrowseScreen)
            assert len(browse.rows) == 7
            browse.query_one("#text", Input).value = "steroid-free"
            await pilot.pause()
            assert {r.card_id.split("/")[2] for r in browse.rows} == {"steroid-free-remission"}
            assert browse.rows[0].card_id == CHOICE
            browse.query_one("#cards", DataTable).focus()
            await pilot.press("ctrl+s")
            await pilot.pause()
            state = card_state(env.path, CHOICE)
            assert state is not None and state["suspended"] == 0
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert not browse.rows[0].flagged
            assert "Flagged" not in str(browse.query_one("#card-details", Static).content)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


async def test_stats_screen_shows_streak_and_scores(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        answer_one_wrong(env)
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("t")
            await pilot.pause()
            stats = app.screen
            assert isinstance(stats, StatsScreen)
            headline = str(stats.query_one("#headline", Static).content)
            assert headline.startswith("Streak: 1 day · 1 answer in all")
            assert stats.stats is not None
            assert stats.stats.forecast[1] == 1  # the missed card is due tomorrow
            assert [(s.name, s.answered, s.correct) for s in stats.stats.by_deck] == [
                ("tui-test", 1, 0)
            ]
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


async def test_a_key_pressed_while_loading_acts_once_loaded(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen)
            home.ready = False  # as in the moment between the first frame and the deck sync
            await pilot.press("a")
            await pilot.pause()
            assert app.screen is home and home.pending == "study_all"
            app.ready = True
            app.refresh_home()
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)


async def test_a_theme_picked_outside_settings_is_remembered(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.theme = "nord"  # what the command palette's "Theme" command does
            await pilot.pause()
            assert env.store.settings("default").theme == "nord"
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, SettingsScreen)
            app.theme = "gruvbox"  # a preview while the settings screen is open
            await pilot.pause()
            assert env.store.settings("default").theme == "nord"
            await pilot.press("escape")  # back without saving: the saved theme returns
            await pilot.pause()
            assert app.theme == "nord" and env.store.settings("default").theme == "nord"
