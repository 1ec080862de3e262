"""The study app: ``make_app(...)`` builds it for the CLI and for the tests.

The app receives its collaborators (an open ``Store``, the loaded decks, the profile, a clock,
key remaps); nothing here opens a database or reads the clock at import time. The first screen
is drawn before the heavy work (syncing the decks into the database, building the queue), which
runs right after the first refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Literal

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.theme import Theme

from ibdquiz.core.clock import Clock
from ibdquiz.core.model import Deck
from ibdquiz.core.printable import printable
from ibdquiz.core.queue import SessionFilters
from ibdquiz.errors import IbdquizError
from ibdquiz.session.study import StudySession, open_session
from ibdquiz.storage.store import Store
from ibdquiz.tui import bindings
from ibdquiz.tui.bindings import MORE_NEW, PRACTICE_DAYS, default_keys
from ibdquiz.tui.contrast import TEXT_AA, UI_AA, readable
from ibdquiz.tui.keymap import check_keymap, load_keymap
from ibdquiz.tui.messages import (
    BrowseRequested,
    DeckChosen,
    SettingsRequested,
    StatsRequested,
    StudyRequested,
)
from ibdquiz.tui.screens.base import open_help, show_error
from ibdquiz.tui.screens.loading import LoadingScreen
from ibdquiz.tui.screens.session import SessionScreen

Start = Literal["home", "study"]


@dataclass
class AppOptions:
    """How the app starts: the first screen, the session filters, where key remaps live."""

    start: Start = "home"
    filters: SessionFilters | None = None
    config_dir: Path | None = None
    deck_notices: list[str] = field(default_factory=list)
    """Deck problems found at start-up (skipped files, clashing ids): home shows them."""
    screenshot_dir: Path | None = None
    """Where the palette's Screenshot saves; default: ``screenshots`` in the data folder."""


class IbdquizApp(App[None]):
    """ibdquiz's study app."""

    CSS_PATH = "app.tcss"
    TITLE = "ibdquiz"
    BINDINGS: ClassVar[list[BindingType]] = bindings.APP

    def __init__(
        self,
        store: Store,
        decks: Sequence[Deck],
        profile: str,
        clock: Clock,
        options: AppOptions,
    ) -> None:
        super().__init__()
        self.store = store
        self.decks = list(decks)
        self.profile = profile
        self.clock = clock
        self.options = options
        self.keymap_problems: list[str] = []
        """What was wrong with the key remaps (also shown as notifications at start)."""
        self.ready = False
        """True once the decks are synced into the database and the first real screen is up."""

    # -- start-up --------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the first screen at once; do the heavy work after it is drawn."""
        self._apply_settings()
        self._on_hangup_or_term()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.options.start == "study":
            self.push_screen(LoadingScreen("Preparing your session…"))
        else:
            from ibdquiz.tui.screens.home import HomeScreen  # not on the way to a first question

            self.push_screen(HomeScreen(self.store, self.profile,
                                        notices=self.options.deck_notices, decks=self.decks))
        self.call_after_refresh(self._prepare)

    def _on_hangup_or_term(self) -> None:
        """SIGTERM and SIGHUP leave like ``q``: the session row ended, the terminal restored."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._terminated, signum)

    def _terminated(self, signum: int) -> None:
        """End every open session (its answers are saved already), then exit 128 + signum."""
        for screen in self.screen_stack:
            session = getattr(screen, "session", None)
            if isinstance(session, StudySession):
                with contextlib.suppress(IbdquizError):
                    session.end()
        self.exit(return_code=128 + signum)

    def _apply_settings(self) -> None:
        try:
            settings = self.store.settings(self.profile)
        except IbdquizError as error:
            self.report_error(error)
            return
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        defaults = default_keys()
        loaded = load_keymap(self.options.config_dir, defaults)
        # the settings' keymap and the file's are checked together: a clash may span both
        merged = check_keymap({**dict(settings.keymap), **loaded.keymap}, defaults, "key remaps")
        for problem in dict.fromkeys([*loaded.problems, *merged.problems]):
            self.notify(printable(problem), severity="warning", timeout=8, markup=False)
        self.keymap_problems = list(dict.fromkeys([*loaded.problems, *merged.problems]))
        if merged.keymap:
            self.set_keymap(merged.keymap)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, plus ibdquiz's readable colours for this theme.

        ``$source-text`` (the study and citation line) reaches WCAG AA 4.5:1 on the background,
        and ``$progress-bar`` 3:1, in true colour and in 256 colours, in every bundled theme.
        """
        variables = super().get_css_variables()
        background = variables.get("background", "")
        source = readable(variables.get("secondary", ""), background, TEXT_AA)
        bar = readable(variables.get("primary", ""), background, UI_AA)
        variables["source-text"] = source or variables.get("foreground", "ansi_default")
        variables["progress-bar"] = bar or variables.get("primary", "ansi_blue")
        return variables

    def _remember_theme(self, theme: Theme) -> None:
        """A theme picked from the command palette is kept, as one picked in settings is.

        The settings screen previews themes as the list moves and saves only on ctrl+s, so
        changes made while it is open are left to it.
        """
        if any(getattr(screen, "keeps_theme_itself", False) for screen in self.screen_stack):
            return  # the settings screen
        try:
            settings = self.store.settings(self.profile)
            if settings.theme != theme.name:
                self.store.save_settings(self.profile, replace(settings, theme=theme.name))
        except IbdquizError as error:
            self.report_error(error)

    def _prepare(self) -> None:
        try:
            self.store.sync_decks(self.decks)
        except IbdquizError as error:
            if self.options.start == "study":  # no session on top of a failed sync (disk full)
                self.fail(error)
                return
            self.report_error(error)
        self.ready = True
        if self.options.start == "study":
            self.start_session(
                self.options.filters or SessionFilters(), exit_after=True, replace=True
            )
        else:
            self.refresh_home()

    # -- what screens ask of the app -------------------------------------------------------

    def fail(self, error: IbdquizError, note: str = "") -> None:
        """Leave the app on an error: one ``ibdquiz: error:`` line on stderr, a non-zero exit."""
        self.exit(return_code=error.exit_code or 1,
                  message=f"ibdquiz: error: {printable(str(error))}{note}")

    def report_error(self, error: IbdquizError) -> None:
        """Show an expected failure as a notification; the app carries on."""
        show_error(self, error)

    def refresh_home(self) -> None:
        """Redraw the home screen's counts, if it is on the stack (once the decks are in)."""
        from ibdquiz.tui.screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.ready = self.ready
                if self.ready:
                    screen.reload()

    def start_session(
        self, filters: SessionFilters, *, exit_after: bool = False, replace: bool = False
    ) -> None:
        """Build a session's queue and open it; with nothing to ask, say so.

        One session at a time: while one is open, this says so and starts nothing.
        """
        if self.in_session():
            self.notify(
                "A session is already open: end it first (q), then start another.",
                severity="warning", timeout=5,
            )
            return
        try:
            session = StudySession(self.store, self.profile, filters, clock=self.clock)
            auto_advance_ms = self.store.settings(self.profile).auto_advance_ms
        except IbdquizError as error:
            if exit_after:
                self.fail(error)
            else:
                self.report_error(error)
            return
        if not session.has_cards:
            message = session.nothing_due_message() or "Nothing to study with these choices."
            if exit_after:
                self.exit(message=f"ibdquiz: {message}")
                return
            self.notify(printable(message), timeout=6, markup=False)
            return
        screen = SessionScreen(
            session,
            self.store,
            self.profile,
            title=self.session_title(filters),
            exit_after=exit_after,
            auto_advance_ms=auto_advance_ms,
        )
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def in_session(self) -> bool:
        """True while a study session is open (on screen, or under a dialog or help)."""
        if open_session(self.store) is not None:
            return True
        return any(isinstance(screen, SessionScreen) for screen in self.screen_stack)

    def session_title(self, filters: SessionFilters) -> str:
        """A session's title: the deck(s) studied, or what kind of session it is."""
        titles = {deck.id: deck.title for deck in self.decks}
        if filters.missed_days is not None:
            base = f"Practice: cards missed in the last {filters.missed_days} days"
        elif filters.decks:
            base = " + ".join(titles.get(d, d) for d in filters.decks)
        else:
            base = "All due cards"
        narrowed = [
            f"{' or '.join(filters.kinds)} cards" if filters.kinds else "",
            f"tag {' or '.join(filters.tags)}" if filters.tags else "",
            f"at most {filters.new_limit} new" if filters.new_limit is not None else "",
        ]
        return " · ".join([base, *(part for part in narrowed if part)])

    def on_study_requested(self, message: StudyRequested) -> None:
        """A screen asked for a session."""
        self.start_session(message.filters)

    def on_deck_chosen(self, message: DeckChosen) -> None:
        """A deck was picked on the home screen: study it."""
        self.start_session(SessionFilters(decks=(message.deck_id,)))

    def on_stats_requested(self, _message: StatsRequested) -> None:
        """A screen asked for the stats."""
        self.open_stats()

    def on_browse_requested(self, _message: BrowseRequested) -> None:
        """A screen asked for the card browser."""
        self.open_browse()

    def on_settings_requested(self, _message: SettingsRequested) -> None:
        """A screen asked for the settings."""
        self.open_settings()

    def open_stats(self) -> None:
        """Open the stats screen."""
        from ibdquiz.tui.screens.stats import StatsScreen  # lazily: plotext is slow to import

        self.push_screen(StatsScreen(self.store, self.profile))

    def open_browse(self) -> None:
        """Open the card browser (imported when first opened: start-up does not need it)."""
        from ibdquiz.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen(self.store, self.profile, [d.id for d in self.decks],
                                      deck_files=self.decks))

    def open_settings(self) -> None:
        """Open the settings screen (imported when first opened)."""
        from ibdquiz.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen(self.store, self.profile, self.options.config_dir))

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save a screenshot in a folder that exists: ``screenshots`` in ibdquiz's data folder
        (Textual's default, ~/Downloads, is missing on a fresh account); the notice says where."""
        from ibdquiz.paths import data_dir

        folder = Path(path) if path else (self.options.screenshot_dir or data_dir() / "screenshots")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.notify(f"Cannot save a screenshot in {folder}: {exc.strerror or exc}",
                        title="Screenshot", severity="error", markup=False)
            return None
        return super().deliver_screenshot(filename, str(folder), time_format)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette's actions: study, practice, stats, browse, settings, help."""
        if self.ready and not self.in_session():  # one session at a time
            yield SystemCommand(
                "Study all due cards",
                "Every due card of every deck",
                lambda: self.start_session(SessionFilters()),
            )
            yield SystemCommand(
                "Practice missed cards",
                f"Cards missed in the last {PRACTICE_DAYS} days, not rescheduled",
                lambda: self.start_session(SessionFilters(missed_days=PRACTICE_DAYS)),
            )
            yield SystemCommand(
                "Learn more new cards",
                f"Up to {MORE_NEW} new cards beyond today's limit",
                lambda: self.start_session(SessionFilters(new_limit=MORE_NEW)),
            )
        if self.ready:
            yield SystemCommand(
                "Stats", "Due forecast, answers per day, % correct", self.open_stats
            )
            yield SystemCommand(
                "Browse cards", "Search cards; suspend, flag, edit in $EDITOR", self.open_browse
            )
            yield SystemCommand(
                "Settings", "Theme, new cards per day, day start", self.open_settings
            )
        yield SystemCommand("Help", "The keys of this screen", lambda: open_help(screen))
        yield from super().get_system_commands(screen)


def make_app(
    store: Store,
    decks: Sequence[Deck],
    profile: str,
    clock: Clock,
    *,
    start: Start = "home",
    filters: SessionFilters | None = None,
    config_dir: Path | None = None,
    deck_notices: Sequence[str] = (),
    screenshot_dir: Path | None = None,
) -> IbdquizApp:
    """Build the study app; the CLI and the tests both call this."""
    options = AppOptions(start=start, filters=filters, config_dir=config_dir,
                         deck_notices=list(deck_notices), screenshot_dir=screenshot_dir)
    return IbdquizApp(store, decks, profile, clock, options)
