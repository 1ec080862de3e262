"""Every binding id of the app, for checking ``keys.yaml`` (imports the screens: Textual)."""

from __future__ import annotations

from textual.binding import Binding


def all_binding_ids() -> list[str]:
    """The ids of all bindings of the app and its screens, sorted."""
    return sorted(default_keys())


def default_keys() -> dict[str, tuple[str, ...]]:
    """Every binding id of the app and its screens, with its default keys."""
    from ibdquiz.tui.app import IbdquizApp
    from ibdquiz.tui.screens.browse import BrowseScreen
    from ibdquiz.tui.screens.flag import FlagDialog
    from ibdquiz.tui.screens.help import HelpScreen
    from ibdquiz.tui.screens.home import HomeScreen
    from ibdquiz.tui.screens.session import SessionScreen
    from ibdquiz.tui.screens.settings import SettingsScreen
    from ibdquiz.tui.screens.stats import StatsScreen
    from ibdquiz.tui.screens.summary import SummaryScreen

    keys: dict[str, tuple[str, ...]] = {}
    for owner in (
        IbdquizApp,
        HomeScreen,
        SessionScreen,
        SummaryScreen,
        StatsScreen,
        BrowseScreen,
        SettingsScreen,
        HelpScreen,
        FlagDialog,
    ):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                found = tuple(key.strip() for key in binding.key.split(",") if key.strip())
                keys[binding.id] = tuple(dict.fromkeys((*keys.get(binding.id, ()), *found)))
    return keys
