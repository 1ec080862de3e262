"""Shared test set-up: every test runs with its own empty user data and config folders."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point platformdirs (and so the default database and deck folder) at a fresh folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in ("IBDQUIZ_DB", "IBDQUIZ_DECKS", "IBDQUIZ_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return home
