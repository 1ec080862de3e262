"""What ibdquiz's full screens share: the help key, and one way to show an expected failure."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from ibdquiz.core.printable import printable
from ibdquiz.errors import IbdquizError


def help_binding(screen_id: str) -> Binding:
    """The ``?`` key that lists a screen's keys; its id is ``<screen_id>.help``."""
    return Binding(
        "question_mark", "help", "Help", tooltip="The keys of this screen", id=f"{screen_id}.help"
    )


def show_error(where: App[Any] | Screen[Any], error: IbdquizError) -> None:
    """Show an expected failure as a notification (deck and user text never read as markup)."""
    where.notify(printable(str(error)), title="ibdquiz", severity="error", timeout=10, markup=False)


def open_help(screen: Screen[Any]) -> None:
    """Open help for the keys of ``screen``."""
    from ibdquiz.tui.screens.help import HelpScreen

    screen.app.push_screen(HelpScreen(screen))


class IbdquizScreen(Screen[None]):
    """A full screen of the app: ``?`` opens help; failures are shown and the app carries on."""

    def report_error(self, error: IbdquizError) -> None:
        """Show an expected failure as a notification; the screen stays usable."""
        show_error(self, error)

    def action_help(self) -> None:
        """Show the keys of this screen."""
        open_help(self)
