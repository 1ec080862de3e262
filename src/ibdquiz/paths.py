"""Where ibdquiz keeps things: the platform's user data and config folders, the bundled decks."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "ibdquiz"


def data_dir() -> Path:
    """The user data folder (database, the user's decks)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user config folder (``keys.yaml`` for key remaps)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The default database file."""
    return data_dir() / "ibdquiz.db"


def user_decks_dir() -> Path:
    """The folder ``add-deck`` copies decks into."""
    return data_dir() / "decks"


def bundled_decks_dir() -> Path:
    """The decks that ship inside the package."""
    return Path(__file__).resolve().parent / "decks"


def deck_schema_path() -> Path:
    """The JSON Schema of the deck format, shipped inside the package (for editors)."""
    return Path(__file__).resolve().parent / "schema" / "deck.schema.json"
