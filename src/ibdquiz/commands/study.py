"""``ibdquiz study`` and the bare ``ibdquiz``: open the study app (Textual, imported lazily).

Neither imports Textual at module import time, so ``ibdquiz --help`` stays light. Both refuse
to start without a terminal (stdin or stdout not a TTY) with one line instead of hanging.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from ibdquiz.commands.common import Context, get_context
from ibdquiz.core.catalog import KnownDeck
from ibdquiz.core.model import Deck
from ibdquiz.errors import NotATerminalError

if TYPE_CHECKING:
    from ibdquiz.storage.store import Store

KINDS = ("recall", "choice", "numeric")
DEFAULT_MISSED_DAYS = 7


def require_terminal() -> None:
    """Raise ``NotATerminalError`` unless both stdin and stdout are terminals."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise NotATerminalError(
            "the study app needs a terminal (stdin and stdout must be a TTY); "
            "run 'ibdquiz' in an interactive terminal, or use 'ibdquiz stats' / 'ibdquiz export'"
        )


def _run(
    ctx: Context,
    *,
    start: str,
    decks: Sequence[str] = (),
    kinds: Sequence[str] = (),
    tags: Sequence[str] = (),
    new_limit: int | None = None,
    missed_days: int | None = None,
) -> None:
    """Load the decks, open the database, and run the app until the user leaves it.

    A DECK or ``--tag`` no deck has is a usage error, checked before the terminal is.
    """
    from ibdquiz.commands.decks import load_catalog
    from ibdquiz.core.clock import system_clock
    from ibdquiz.core.queue import SessionFilters
    from ibdquiz.paths import config_dir
    from ibdquiz.storage.store import Store

    # An existing database is opened first, so that deck files unchanged since their last
    # sync are not read again (Store.known_deck); a new one is created only once the decks
    # asked for are known to exist.
    notices: list[str] = []
    existing = ctx.db_path.exists()
    store = Store.open(ctx.db_path, create=False, clock=system_clock) if existing else None
    try:
        catalog = load_catalog(  # problems on stderr and, once the app is up, on home
            ctx, store.known_deck if store is not None else None, notices
        )
        check_choices(decks, tags, list(catalog.decks.values()), store)
        require_terminal()
    except BaseException:
        if store is not None:
            store.close()
        raise
    if store is None:
        store = Store.open(ctx.db_path, create=True, clock=system_clock)
    try:
        filters = SessionFilters(
            decks=tuple(decks),
            kinds=tuple(kinds),
            tags=tuple(tags),
            new_limit=new_limit,
            missed_days=missed_days,
        )
        from ibdquiz.tui.app import make_app

        app = make_app(
            store,
            list(catalog.decks.values()),
            ctx.profile,
            system_clock,
            start="study" if start == "study" else "home",
            filters=filters,
            config_dir=config_dir(),
            deck_notices=notices,
        )
        app.run()
        if app.return_code:  # the app said why on stderr (``IbdquizApp.fail``)
            raise click.exceptions.Exit(app.return_code)
    finally:
        store.close()


def known_tags(decks: Sequence[Deck], store: Store | None = None) -> set[str]:
    """Every tag a card of these decks can carry (deck, source and fact tags; the stored cards'
    tags for a deck file unchanged since its last sync, which is not parsed again)."""
    found: set[str] = set()
    unparsed = [deck.id for deck in decks if isinstance(deck, KnownDeck)]
    if unparsed and store is not None:
        found.update(store.card_tags(unparsed))
    for deck in decks:
        found.update(deck.tags)
        for source in deck.sources:
            found.update(source.tags)
            for fact in source.facts:
                found.update(fact.tags)
    return found


def check_choices(
    deck_ids: Sequence[str], tags: Sequence[str], decks: Sequence[Deck], store: Store | None = None
) -> None:
    """A DECK or ``--tag`` that no deck has is a usage error naming the known ones."""
    ids = {deck.id for deck in decks}
    unknown = [d for d in deck_ids if d not in ids]
    if unknown:
        known = ", ".join(sorted(ids)) or "none"
        raise click.UsageError(
            f"no deck with id {', '.join(unknown)}; the decks found are: {known} "
            "(see 'ibdquiz decks')"
        )
    if not tags:
        return
    scope = [deck for deck in decks if not deck_ids or deck.id in deck_ids]
    all_tags = known_tags(scope, store)
    unknown = [t for t in tags if t not in all_tags]
    if unknown:
        where = f" in {', '.join(deck_ids)}" if deck_ids else ""
        known = ", ".join(sorted(all_tags)) or "none"
        raise click.UsageError(
            f"no card has the tag {', '.join(unknown)}{where}; the tags are: {known}"
        )


def open_home(ctx: Context) -> None:
    """The bare ``ibdquiz``: open the app on its home screen."""
    _run(ctx, start="home")


@click.command("study")
@click.argument("decks", nargs=-1, metavar="[DECK]...")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    help="Only cards of this kind (repeatable): recall, choice or numeric.",
)
@click.option("--tag", "tags", multiple=True, help="Only cards with this tag (repeatable).")
@click.option(
    "--new",
    "new_limit",
    type=click.IntRange(min=0),
    default=None,
    help="At most N new cards in this session.",
)
@click.option(
    "--missed",
    "missed_days",
    type=click.IntRange(min=1),
    is_flag=False,
    flag_value=DEFAULT_MISSED_DAYS,
    default=None,
    metavar="[DAYS]",
    help=f"Practice cards missed in the last DAYS days (default {DEFAULT_MISSED_DAYS}), "
    "without rescheduling them.",
)
def study(
    decks: tuple[str, ...],
    kinds: tuple[str, ...],
    tags: tuple[str, ...],
    new_limit: int | None,
    missed_days: int | None,
) -> None:
    """Open the study app straight into a session.

    With DECK ids, only those decks; without, every deck's due cards and today's new cards.

    \b
    Examples:
        ibdquiz study
        ibdquiz study tacrolimus-refractory-crohns --kind choice --new 5
        ibdquiz study --missed 14
    """
    _run(
        get_context(),
        start="study",
        decks=decks,
        kinds=kinds,
        tags=tags,
        new_limit=new_limit,
        missed_days=missed_days,
    )


COMMANDS: list[click.Command] = [study]
