"""What ibdquiz's full screens share: help, and one way to show an expected failure."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen

from ibdquiz.core.printable import printable
from ibdquiz.errors import IbdquizError


def show_error(where: App[Any] | Screen[Any], error: IbdquizError) -> None:
    """Show an expected failure as a notification (deck and user text never read as markup)."""
    where.notify(printable(str(error)), title="ibdquiz", severity="error", timeout=10, markup=False)


def open_help(screen: Screen[Any]) -> None:
    """Open help for the keys of ``screen`` (the help screen is imported when first opened)."""
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
