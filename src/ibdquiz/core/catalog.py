"""Finding decks (docs/rules.md): bundled, the user's folder, then ``--decks``; the later wins."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ibdquiz.core.model import Deck, Diagnostic, LoadResult, Severity

DECK_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class KnownDeck(Deck):
    """A deck file unchanged since the database stored it: not parsed again, so it has no
    sources here; its cards are the stored ones (``storage.Store.known_deck`` finds them)."""


@dataclass
class Catalog:
    """Every deck found: by id, where each came from, the broken files and the id clashes."""

    decks: dict[str, Deck] = field(default_factory=dict)
    origins: dict[str, tuple[str, Path]] = field(default_factory=dict)
    problems: list[LoadResult] = field(default_factory=list)
    clashes: list[Diagnostic] = field(default_factory=list)
    overridden: dict[str, list[tuple[str, Path]]] = field(default_factory=dict)
    """For a clashing id, the (origin, path) of every deck it replaced, oldest first."""


def deck_files(folder: Path) -> list[Path]:
    """The ``*.yaml``/``*.yml`` files of a folder (not its subfolders), in name order."""
    return sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in DECK_SUFFIXES and p.is_file()),
        key=lambda p: p.name,
    )


def load_deck(path: Path) -> LoadResult:
    """``core.deckload.load_deck``, imported on first use: the YAML parser and the item builders
    are a good share of start-up, and a deck unchanged since its sync is never parsed."""
    from ibdquiz.core.deckload import load_deck as load

    return load(path)


def discover(
    locations: Sequence[tuple[str, Path]], known: Callable[[Path], Deck | None] | None = None
) -> Catalog:
    """Load every deck of each ``(origin, folder)`` in order; a missing folder is skipped.

    ``known(path)`` may return the deck of a file unchanged since it was stored (a
    ``KnownDeck``); such a file is not read.
    """
    catalog = Catalog()
    for origin, folder in locations:
        if not folder.is_dir():
            continue
        for path in deck_files(folder):
            stored = known(path) if known is not None else None
            if stored is not None:
                _add(catalog, origin, stored, path)
                continue
            result = load_deck(path)
            if result.deck is None:
                catalog.problems.append(result)
                continue
            _add(catalog, origin, result.deck, path)
    return catalog


def _add(catalog: Catalog, origin: str, deck: Deck, path: Path) -> None:
    if deck.id in catalog.decks:
        old_origin, old_path = catalog.origins[deck.id]
        catalog.overridden.setdefault(deck.id, []).append((old_origin, old_path))
        catalog.clashes.append(
            Diagnostic(
                str(path), 1, 1, Severity.WARNING,
                f"deck id '{deck.id}' is also used by {old_path} ({old_origin}); this {origin} "
                "deck is used instead; give one of them another id if both are wanted",
            )
        )
    catalog.decks[deck.id] = deck
    catalog.origins[deck.id] = (origin, path)
