"""SVG snapshots of home, a choice question, its feedback and stats at 80x24 and 200x50, in the
dark theme and a light one (fixed clock, seed and data; animations off; workers waited for).

Regenerate after a deliberate change with
``pytest tests/test_tui_snapshots_sizes.py --snapshot-update`` and look at the SVGs first.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from ibdquiz.core.queue import SessionFilters
from tests.helpers_tui import Env, build_app, settled, store_env
from tests.test_tui_snapshots import some_history, steady

SIZES = [(80, 24), (200, 50)]
THEMES = ["textual-dark", "solarized-light"]


def themed(env: Env, theme: str) -> None:
    settings = env.store.settings("default")
    env.store.save_settings("default", dataclasses.replace(settings, theme=theme))


def _app(env: Env, screen: str) -> Any:
    if screen == "home" or screen == "stats":
        return steady(build_app(env))
    return steady(build_app(env, start="study", filters=SessionFilters(kinds=("choice",))))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("screen", ["home", "choice", "feedback", "stats"])
def test_screen(snap_compare: Any, tmp_path: Path, screen: str, theme: str,
                size: tuple[int, int]) -> None:
    with store_env(tmp_path) as env:
        if screen in ("home", "stats"):
            some_history(env)
        themed(env, theme)
        app = _app(env, screen)

        async def before(pilot: Pilot[Any]) -> None:
            await settled(pilot)
            if screen == "stats":
                await pilot.press("t")
            elif screen == "feedback":
                await pilot.press("1")
            await settled(pilot)

        assert snap_compare(app, run_before=before, terminal_size=size)
