"""Settings: theme, new cards per day, study-day start (kept in the database); key remaps."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, Label, Select, Static

from ibdquiz.errors import IbdquizError
from ibdquiz.storage.rows import Settings
from ibdquiz.storage.store import Store
from ibdquiz.tui import bindings
from ibdquiz.tui.keymap import keys_path
from ibdquiz.tui.screens.base import IbdquizScreen
from ibdquiz.tui.widgets.keybar import KeyBar

MAX_NEW_PER_DAY = 999
MAX_REVIEW_LIMIT = 99999
MAX_AUTO_ADVANCE_MS = 10000


def parse_int(text: str, low: int, high: int, what: str) -> int:
    """An integer between ``low`` and ``high``, or an ``IbdquizError`` saying what is expected."""
    try:
        value = int(text.strip())
    except ValueError:
        raise IbdquizError(f"{what} must be a whole number from {low} to {high}") from None
    if not low <= value <= high:
        raise IbdquizError(f"{what} must be from {low} to {high}, not {value}")
    return value


class SettingsScreen(IbdquizScreen):
    """Edit the profile's settings; ``ctrl+s`` saves, ``escape`` goes back."""

    keeps_theme_itself = True
    """Themes previewed here are saved on ctrl+s, not by the app as they change."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.SETTINGS

    def __init__(self, store: Store, profile: str, config_dir: Path | None) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.config_dir = config_dir
        self.original = Settings()

    def compose(self) -> ComposeResult:
        themes = sorted(self.app.available_themes)
        yield Header()
        with VerticalScroll(id="settings"):
            with Horizontal(classes="field"):
                yield Label("Theme", classes="field-label")
                yield Select([(name, name) for name in themes], id="theme", allow_blank=False)
            with Horizontal(classes="field"):
                yield Label("New cards per day", classes="field-label")
                yield Input(id="new-per-day", type="integer", max_length=3)
            with Horizontal(classes="field"):
                yield Label("Study day starts at (hour)", classes="field-label")
                yield Input(id="day-start", type="integer", max_length=2)
            with Horizontal(classes="field"):
                yield Label("Reviews per day (0 = no limit)", classes="field-label")
                yield Input(id="review-limit", type="integer", max_length=5)
            with Horizontal(classes="field"):
                yield Label("Go on after a correct answer (ms, 0 = off)", classes="field-label")
                yield Input(id="auto-advance", type="integer", max_length=5)
            where = keys_path(self.config_dir) if self.config_dir else "(no config folder)"
            yield Static(
                f"Key remaps: {where} maps a binding id to a key, e.g. 'session.undo: z'. "
                "The ids are listed in help (?) on each screen. Restart ibdquiz to apply.",
                classes="dim",
                markup=False,
                id="keys-note",
            )
            yield Static("ctrl+s saves · escape goes back without saving", classes="dim")
        yield KeyBar()

    def on_mount(self) -> None:
        """Fill the fields from the database."""
        self.title = "ibdquiz"
        self.sub_title = "settings"
        try:
            self.original = self.store.settings(self.profile)
        except IbdquizError as error:
            self.report_error(error)
        select: Select[str] = self.query_one("#theme", Select)
        if self.original.theme in self.app.available_themes:
            select.value = self.original.theme
        self.query_one("#new-per-day", Input).value = str(self.original.new_per_day)
        self.query_one("#day-start", Input).value = str(self.original.day_start_hour)
        self.query_one("#review-limit", Input).value = str(self.original.review_limit)
        self.query_one("#auto-advance", Input).value = str(self.original.auto_advance_ms)
        select.focus()  # keyboard only: enter opens the theme list, tab moves to the next field

    @on(Select.Changed, "#theme")
    def _preview_theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.theme = event.value

    def action_save(self) -> None:
        """Check and save the settings; a bad field is named in a notification."""
        theme = self.query_one("#theme", Select).value
        try:
            new_per_day = parse_int(
                self.query_one("#new-per-day", Input).value, 0, MAX_NEW_PER_DAY, "New cards per day"
            )
            day_start = parse_int(
                self.query_one("#day-start", Input).value, 0, 23, "The study day's start hour"
            )
            settings = dataclasses.replace(
                self.original,
                theme=theme if isinstance(theme, str) else self.original.theme,
                new_per_day=new_per_day,
                day_start_hour=day_start,
                review_limit=parse_int(
                    self.query_one("#review-limit", Input).value, 0, MAX_REVIEW_LIMIT,
                    "Reviews per day",
                ),
                auto_advance_ms=parse_int(
                    self.query_one("#auto-advance", Input).value, 0, MAX_AUTO_ADVANCE_MS,
                    "The auto-advance delay",
                ),
            )
            self.store.save_settings(self.profile, settings)
        except IbdquizError as error:
            self.report_error(error)
            return
        self.original = settings
        self.notify("Settings saved.", timeout=3)
        self.app.pop_screen()

    def action_back(self) -> None:
        """Go back without saving (the theme returns to the saved one)."""
        if self.original.theme in self.app.available_themes:
            self.app.theme = self.original.theme
        self.app.pop_screen()
