"""Issue 15 on the fellow's screens (Pilot): home's counts and notices, browse's keys, the key
remap validator, the editor command, the palette's screenshot."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Static

from ibdquiz.core.deckload import load_deck_text
from ibdquiz.tui.bindings import default_keys
from ibdquiz.tui.editor import editor_command, fact_location
from ibdquiz.tui.formatting import due_label
from ibdquiz.tui.keymap import parse_keymap
from ibdquiz.tui.screens.browse import BrowseScreen
from ibdquiz.tui.screens.decks import DecksScreen
from ibdquiz.tui.screens.home import HomeScreen
from tests.helpers_tui import DECK_YAML, TZ, build_app, card_state, settled, store_env

SIZE = (80, 24)
CHOICE = "tui-test/mayo-2013/steroid-free-remission/choice"


async def settle(app: Any, pilot: Any) -> None:
    """Let the screens' worker threads finish and their results be drawn."""
    await settled(pilot)


async def open_browse(app: Any, pilot: Any) -> BrowseScreen:
    """From home (once it has loaded) into browse, its cards listed."""
    await settle(app, pilot)
    await pilot.press("b")
    await settle(app, pilot)
    browse = app.screen
    assert isinstance(browse, BrowseScreen)
    return browse


def second_deck() -> Any:
    text = DECK_YAML.replace("deck: tui-test", "deck: tui-two").replace(
        "title: TUI test deck", "title: Second deck")
    result = load_deck_text(text, "tui-two.yaml")
    assert result.deck is not None
    return result.deck


# ---- home ---------------------------------------------------------------------------------------

async def test_home_shows_deck_problems_and_d_lists_them(tmp_path: Path) -> None:
    notices = ["skipped /shared/broken.yaml:3:7: error: a ': ' ...; run 'ibdquiz validate ...'"]
    with store_env(tmp_path) as env:
        app = build_app(env, deck_notices=notices)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            home = app.screen
            assert isinstance(home, HomeScreen)
            line = home.query_one("#notices", Static)
            assert line.display and "A deck problem at start-up" in str(line.content)
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, DecksScreen)
            shown = " ".join(str(s.content) for s in app.screen.query(Static))
            assert "broken.yaml:3:7" in shown
            from tests.helpers_tui import plain

            assert "tui-test" in plain(app.screen.query_one("#decks-table", Static).content)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is home


async def test_home_rows_and_headline_agree_on_shared_new_cards(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        settings = env.store.settings("default")
        env.store.save_settings("default", dataclasses.replace(settings, new_per_day=4))
        app = build_app(env)
        app.decks.append(second_deck())
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            home = app.screen
            assert isinstance(home, HomeScreen)
            table = home.query_one("#decks", DataTable)
            rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
            assert sorted(r[0] for r in rows[:2]) == ["Second deck", "TUI test deck"]
            assert rows[2][0] == "All decks (a)"
            assert [r[2] for r in rows] == ["3", "3", "4"]  # alone 3 + 3; together at most 4
            headline = str(home.query_one("#today", Static).content)
            assert "4 new (at most 4 new a day)" in headline  # the All decks row's figure
            note = home.query_one("#shared-note", Static)
            assert note.display and "shared by all decks" in str(note.content)


def test_after_midnight_the_next_study_day_is_today_on_the_clock() -> None:
    today = 20157  # 2025-03-10
    night = datetime(2025, 3, 11, 1, 30, tzinfo=TZ)  # the study day is still the 10th
    label = due_label(today + 1, today, night, 4)
    assert label.startswith("today from 04:00") and "tomorrow" not in label
    assert "(tomorrow)" in due_label(today + 2, today, night, 4)
    noon = datetime(2025, 3, 10, 12, 0, tzinfo=TZ)
    assert due_label(today + 1, today, noon, 4) == "Tue 2025-03-11 (tomorrow)"


async def test_home_after_midnight_says_today_not_tomorrow(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        env.store.sync_decks([env.deck])
        from ibdquiz.core.queue import SessionFilters
        from ibdquiz.session.study import StudySession
        from tests.helpers_storage import ask

        session = StudySession(env.store, "default", SessionFilters(kinds=("choice",), new_limit=1),
                               clock=env.clock)
        item = ask(session)
        assert item is not None and item.correct_index is not None
        session.answer_choice(item.correct_index)  # right: due in 1 day
        session.end()
        settings = env.store.settings("default")  # no more new cards: nothing is due tonight
        env.store.save_settings("default", dataclasses.replace(settings, new_per_day=0))
        env.clock.moment = env.clock.moment.replace(hour=1) + timedelta(days=1)  # 01:00 next day
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            text = str(app.screen.query_one("#nothing-due", Static).content)
            assert "due today from 04:00" in text and "tomorrow" not in text


# ---- browse -------------------------------------------------------------------------------------

async def test_browse_types_to_search_with_focus_on_the_table(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            browse = await open_browse(app, pilot)
            assert len(browse.rows) == 7
            assert app.focused is browse.query_one("#cards", DataTable)
            await pilot.press(*"steroid")  # 's' and 'g' are letters here, not browse keys
            await settle(app, pilot)
            assert browse.query_one("#text", Input).value == "steroid"
            assert {r.card_id.split("/")[2] for r in browse.rows} == {"steroid-free-remission"}


async def test_browse_suspends_flags_with_a_reason_and_shows_it(tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            browse = await open_browse(app, pilot)
            table = browse.query_one("#cards", DataTable)
            row = next(i for i, r in enumerate(browse.rows) if r.card_id == CHOICE)
            table.move_cursor(row=row)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            state = card_state(env.path, CHOICE)
            assert state is not None and state["suspended"] == 1
            await pilot.press("ctrl+g")
            await pilot.pause()
            await pilot.press(*"wrong unit", "enter")
            await settle(app, pilot)
            current = browse.rows[table.cursor_row]
            assert current.card_id == CHOICE and current.flagged
            assert current.flag_reason == "wrong unit"
            assert "⚑ wrong unit" in str(table.get_row_at(table.cursor_row)[3])
            assert "Flagged: wrong unit" in str(browse.query_one("#card-details", Static).content)


async def test_browse_edit_without_an_editor_says_where_the_fact_is(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    with store_env(tmp_path) as env:
        deck_file = tmp_path / "tui-test.yaml"
        deck_file.write_text(DECK_YAML, encoding="utf-8")
        env.deck = dataclasses.replace(env.deck, path=deck_file)
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await open_browse(app, pilot)
            await pilot.press("ctrl+o")
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("Set $EDITOR" in m and f"{deck_file}:" in m for m in messages), messages


def test_editor_commands_put_the_cursor_on_the_fact_line(tmp_path: Path) -> None:
    result = load_deck_text(DECK_YAML, str(tmp_path / "tui-test.yaml"))
    assert result.deck is not None
    path, line = fact_location([result.deck], "tui-test/mayo-2013/response/numeric") or (None, 0)
    assert path == tmp_path / "tui-test.yaml"
    assert DECK_YAML.splitlines()[line - 1].strip() == "- id: response"
    assert fact_location([result.deck], "tui-test/mayo-2013/_n/choice") == (path, 5)
    assert editor_command("vim", path, 7) == ["vim", "+7", str(path)]
    assert editor_command("nano -l", path, 7) == ["nano", "-l", "+7", str(path)]
    assert editor_command("code --wait", path, 7) == ["code", "--wait", "--goto", f"{path}:7"]


# ---- key remaps ---------------------------------------------------------------------------------

def test_keymap_validator_reports_conflicts_nearest_ids_and_deep_nesting() -> None:
    defaults = default_keys()
    taken = parse_keymap("home.stats: s\n", "keys.yaml", defaults)
    assert taken.keymap == {} and "home.settings" in taken.problems[0]
    choice = parse_keymap("session.undo: 1\n", "keys.yaml", defaults)
    assert choice.keymap == {} and "session.choose_1" in choice.problems[0]
    swapped = parse_keymap("home.stats: s\nhome.settings: o\n", "keys.yaml", defaults)
    assert swapped.keymap == {"home.stats": "s", "home.settings": "o"} and not swapped.problems
    near = parse_keymap("sesion.undo: z\nstats: t\n", "keys.yaml", defaults)
    assert "did you mean 'session.undo'?" in near.problems[0]
    assert "did you mean 'home.stats'?" in near.problems[1]
    deep = parse_keymap("session.undo: " + "[" * 50_000 + "\n", "keys.yaml", defaults)
    assert deep.keymap == {} and len(deep.problems) == 1
    punct = parse_keymap("home.help: '?'\nhome.quit: '/'\n", "keys.yaml", defaults)
    assert punct.keymap == {"home.help": "question_mark", "home.quit": "slash"}


async def test_a_conflicting_remap_keeps_the_screens_keys(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keys.yaml").write_text("home.stats: s\nsession.undo: " + "[" * 5000 + "\n")
    with store_env(tmp_path) as env:
        app = build_app(env, config_dir=config)
        async with app.run_test(size=SIZE) as pilot:  # starts: no crash on the deep value
            await settle(app, pilot)
            assert app.keymap_problems
            notice = app.screen.query_one("#notices", Static)
            assert notice.display and "key remaps" in str(notice.content)
            await pilot.press("s")
            await pilot.pause()
            assert type(app.screen).__name__ == "SettingsScreen"  # s still opens settings


# ---- the palette's screenshot -------------------------------------------------------------------

async def test_screenshot_is_saved_in_a_folder_that_it_creates(tmp_path: Path) -> None:
    target = tmp_path / "data" / "screenshots"  # does not exist yet, like ~/Downloads may not
    with store_env(tmp_path) as env:
        app = build_app(env, screenshot_dir=target)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.deliver_screenshot()
            for _ in range(20):
                await pilot.pause(0.05)
                if list(target.glob("*.svg")):
                    break
            assert [p.suffix for p in target.iterdir()] == [".svg"]
            messages = [n.message for n in app._notifications]
            assert any(str(target) in m for m in messages), messages


async def test_the_default_screenshot_folder_is_in_the_data_folder(tmp_path: Path) -> None:
    from ibdquiz import paths

    target = paths.data_dir() / "screenshots"  # conftest points the data folder at a temp dir
    with store_env(tmp_path) as env:
        app = build_app(env)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.deliver_screenshot()
            for _ in range(20):
                await pilot.pause(0.05)
                if target.is_dir() and list(target.glob("*.svg")):
                    break
            assert len(list(target.glob("*.svg"))) == 1


# ---- layout and contrast ------------------------------------------------------------------------

def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _wcag(first: Any, second: Any) -> float:
    high, low = sorted((_luminance(first.rgb), _luminance(second.rgb)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _eight_bit(color: Any) -> Any:
    from rich.color import ColorSystem
    from textual.color import Color

    true = color.rich_color.downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return Color(true.red, true.green, true.blue)


async def test_the_source_line_reaches_aa_in_every_bundled_theme(tmp_path: Path) -> None:
    from ibdquiz.core.queue import SessionFilters

    with store_env(tmp_path) as env:
        app = build_app(env, start="study", filters=SessionFilters(kinds=("choice",)))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            themes = sorted(t for t in app.available_themes if not t.startswith("ansi"))
            assert len(themes) >= 15
            failures = []
            for theme in themes:
                app.theme = theme
                await pilot.pause()
                line = app.screen.query_one("#context")
                background = line.background_colors[1]
                color = background + line.styles.color
                true, eight = _wcag(color, background), _wcag(_eight_bit(color),
                                                               _eight_bit(background))
                if min(true, eight) < 4.5:
                    failures.append((theme, round(true, 2), round(eight, 2)))
                bar = app.screen.query_one("SessionProgress #bar Bar")
                style = bar.get_component_rich_style("bar--bar")
                assert style.color is not None
                from textual.color import Color

                shown = Color.from_rich_color(style.color)
                if _wcag(shown, background) < 3.0:
                    failures.append((theme, "progress bar", round(_wcag(shown, background), 2)))
            assert failures == []


async def test_the_redrill_header_fits_100_columns(tmp_path: Path) -> None:
    from ibdquiz.tui.formatting import KIND_LABELS, PHASE_LABELS, PHASE_NOTES

    longest = max(
        f"{PHASE_LABELS[p]} · {kind} · {PHASE_NOTES[p]}" for p in PHASE_NOTES
        for kind in KIND_LABELS.values()
    )
    assert len(longest) <= 80 - 4  # fits 80 columns (padding and margin), so 100 too


async def test_toasts_sit_at_the_top_away_from_the_citation(tmp_path: Path) -> None:
    from ibdquiz.core.queue import SessionFilters

    with store_env(tmp_path) as env:
        app = build_app(env, start="study", filters=SessionFilters(kinds=("choice",)))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("1")
            await pilot.pause()
            app.notify("a notice")
            await pilot.pause()
            for _ in range(5):
                await pilot.pause(0.1)
            toast = next(w for w in app.screen.walk_children() if type(w).__name__ == "Toast")
            for where in ("#explain", "#context"):  # both hold the citation
                assert not toast.region.overlaps(app.screen.query_one(where).region), where


# ---- stats --------------------------------------------------------------------------------------

def test_the_chart_separates_days_dates_in_iso_and_legend_below() -> None:
    import re

    from ibdquiz.tui.charts import bar_chart
    from tests.helpers_tui import plain

    counts = [3] * 30  # thirty busy days in a row: they must not run into one block
    text = plain(bar_chart("Answers", 20157, counts, [2] * 30, legend="█ correct  ░ wrong"), 80)
    lines = text.splitlines()
    bars = [line for line in lines if "█" in line or "░" in line][:-1]  # not the legend
    for line in bars:
        body = line.split("│" if "│" in line else "┤", 1)[1]
        assert all(body[i] == " " for i in range(1, len(body.rstrip()), 2)), line
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", text)
    assert dates[:2] == ["2025-03-10", "2025-03-17"]
    assert lines[-1].startswith("█ correct") and lines.index(lines[-1]) > lines.index(
        next(line for line in lines if "2025-03-10" in line))


async def test_stats_defines_its_words_and_keeps_numbers_near_labels(tmp_path: Path) -> None:
    from ibdquiz.tui.screens.stats import StatsScreen
    from tests.test_tui_snapshots import some_history

    with store_env(tmp_path) as env:
        some_history(env)
        app = build_app(env)
        async with app.run_test(size=(200, 50)) as pilot:
            await settle(app, pilot)
            await pilot.press("t")
            await settle(app, pilot)
            stats = app.screen
            assert isinstance(stats, StatsScreen) and stats.stats is not None
            words = str(stats.query_one("#definitions", Static).content)
            assert "Learned:" in words and "Mature: next interval of 21 days" in words
            assert stats.query_one("#deck-cards").region.width <= 100
            assert stats.query_one("#by-deck").region.width <= 100
