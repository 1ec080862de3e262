"""What a screen asks of the app, as small messages (as Toolong's and Harlequin's screens do).

A screen posts one of these (``self.post_message(StudyRequested(filters))``); it bubbles to the
app, whose ``on_<message>`` handler opens the next screen. So a screen never imports the app,
and the app is the one place that knows which screen follows which.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ibdquiz.core.queue import SessionFilters


@dataclass
class StudyRequested(Message):
    """Start a session on these filters (all due cards, practice, more new...)."""

    filters: SessionFilters


@dataclass
class DeckChosen(Message):
    """Study this deck: the home screen's ``enter`` on a deck's row."""

    deck_id: str


@dataclass
class StatsRequested(Message):
    """Open the stats screen."""


@dataclass
class BrowseRequested(Message):
    """Open the card browser."""


@dataclass
class SettingsRequested(Message):
    """Open the settings screen."""
