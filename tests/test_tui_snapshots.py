"""SVG snapshots of the main screens at a fixed size, clock and seed, with animations off.

Regenerate after a deliberate change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from ibdquiz.core.queue import SessionFilters
from ibdquiz.session.study import StudySession
from tests.helpers_storage import ask
from tests.helpers_tui import Env, build_app, settled, store_env


def steady(app: Any) -> Any:
    """No animations, so a screenshot never catches one half-way."""
    app.animation_level = "none"
    return app


def some_history(env: Env) -> None:
    """A day of answers: one right, one wrong, through the session API."""
    env.store.sync_decks([env.deck])
    session = StudySession(env.store, "default", SessionFilters(kinds=("choice",)), clock=env.clock)
    for right in (True, False):
        item = ask(session)
        assert item is not None and item.correct_index is not None
        index = item.correct_index if right else (item.correct_index + 1) % len(item.options)
        session.answer_choice(index)
    session.end()
    env.clock.advance(days=1)


def test_home(snap_compare: Any, tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        assert snap_compare(steady(build_app(env)), run_before=settled, terminal_size=(80, 24))


def test_choice_question(snap_compare: Any, tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env, start="study", filters=SessionFilters(kinds=("choice",)))
        assert snap_compare(steady(app), terminal_size=(80, 24))


def test_choice_feedback_wrong(snap_compare: Any, tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env, start="study", filters=SessionFilters(kinds=("choice",)))
        assert snap_compare(steady(app), press=["1"], terminal_size=(80, 24))


def test_flashcard_revealed(snap_compare: Any, tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env, start="study", filters=SessionFilters(kinds=("recall",)))
        assert snap_compare(steady(app), press=["space"], terminal_size=(80, 24))


def test_summary(snap_compare: Any, tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        app = build_app(env, start="study", filters=SessionFilters(kinds=("choice",)))

        async def answer_then_end(pilot: Pilot[Any]) -> None:
            await pilot.pause()  # the session is built right after the first frame
            await pilot.press("1")
            await pilot.pause()
            await pilot.press("enter")
            env.clock.advance(seconds=42)
            await pilot.press("q")
            await settled(pilot)

        assert snap_compare(steady(app), run_before=answer_then_end, terminal_size=(80, 24))


def test_stats(snap_compare: Any, tmp_path: Path) -> None:
    with store_env(tmp_path) as env:
        some_history(env)

        async def stats(pilot: Pilot[Any]) -> None:
            await settled(pilot)
            await pilot.press("t")
            await settled(pilot)

        assert snap_compare(steady(build_app(env)), run_before=stats, terminal_size=(100, 30))
