"""Where each card's fact is written: ``report --decks DIR`` resolves items to ``file:line``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ibdquiz.core.cards import cards_for_deck
from ibdquiz.core.deckload import load_deck
from ibdquiz.core.printable import printable

Locations = dict[str, tuple[str, int, str]]
"""Card id → (deck file, line of its fact, the card's current content hash)."""


def deck_locations(folders: Sequence[Path]) -> tuple[Locations, list[str]]:
    """Every card of the decks in ``folders`` (``*.yaml``/``*.yml``, or deck files given).

    Returns the locations and one line per deck that could not be read (it is skipped).
    """
    locations: Locations = {}
    problems: list[str] = []
    for folder in folders:
        if folder.is_dir():
            files = sorted(p for p in folder.iterdir()
                           if p.suffix in (".yaml", ".yml") and p.is_file())
        elif folder.is_file():
            files = [folder]
        else:
            problems.append(f"{printable(str(folder))}: --decks: no such folder")
            continue
        for path in files:
            result = load_deck(path)
            if result.deck is None:
                problems.append(f"{printable(str(path))}: deck has errors; its items have no "
                                "location (run 'ibdquiz validate' on it)")
                continue
            for card in cards_for_deck(result.deck):
                locations[card.id] = (str(path), card.line, card.content_hash)
    return locations, problems
