"""``ibdquiz stats`` and ``ibdquiz profile``: how much is due and learned; the learner's name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ibdquiz.commands import common
from ibdquiz.commands.common import Context, clean_display_name, data_stdout, get_context, warn
from ibdquiz.core.printable import printable
from ibdquiz.errors import DatabaseError, describe_os_error

if TYPE_CHECKING:  # storage (sqlite-utils) and rich load when a command runs, not with --help
    from rich.text import Text

    from ibdquiz.core.model import Deck
    from ibdquiz.storage.rows import Profile
    from ibdquiz.storage.stats import Stats
    from ibdquiz.storage.store import Store


def open_store(ctx: Context, *, create: bool) -> Store | None:
    """The store at ``--db``: created when ``create``, else ``None`` when the file is missing."""
    from ibdquiz.storage.store import Store

    if create:
        return Store.open(ctx.db_path, create=True)
    return Store.open_existing(ctx.db_path)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


UNOPENED_MARK = " *"
UNOPENED_NOTE = "* not opened in ibdquiz yet: every card counted as new; run ibdquiz to start"


def _cell(deck_id: str | None, unopened: tuple[str, ...] = ()) -> Text:
    """A deck id as plain text (never read as rich markup), marked when not opened yet."""
    from rich.text import Text

    return Text(printable(deck_id or "all decks") + (UNOPENED_MARK if deck_id in unopened else ""))


def _print_text(stats: Stats) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    rows = (*stats.decks, stats.totals)
    held = stats.totals.held_back
    cards_note = (
        "due: today's queue (one card per fact, within the daily review limit)\n"
        f"held back: {held} more due card{'s' if held != 1 else ''} · leech: 8+ lapses"
        " · susp.: suspended"
    )
    answers_note = "first answers only: re-drills and practice not counted"
    # Two narrow tables rather than one wide one: both fit 80 columns with full headers.
    cards = Table(
        title=f"ibdquiz stats — profile {escape(stats.profile)} — cards", title_justify="left",
        box=box.SIMPLE_HEAD, pad_edge=False, caption_justify="left",
        caption=cards_note,
        min_width=max(map(len, cards_note.splitlines())),  # a caption never wraps
    )
    cards.add_column("deck", overflow="fold")
    for name in ("due", "new", "learned", "mature", "leech", "susp."):
        cards.add_column(name, justify="right")
    for row in rows:
        cards.add_row(
            _cell(row.deck_id, stats.unopened), str(row.due), str(row.new), str(row.learned),
            str(row.mature), str(row.leeches), str(row.suspended),
        )
    answers = Table(
        title="answers · % correct", title_justify="left", box=box.SIMPLE_HEAD,
        pad_edge=False, caption=answers_note, caption_justify="left",
        min_width=len(answers_note),
    )
    answers.add_column("deck", overflow="fold")
    for name in ("last 7 days", "last 30 days"):
        answers.add_column(name, justify="right")
    for row in rows:
        answers.add_row(
            _cell(row.deck_id, stats.unopened),
            f"{row.answers_7d} · {_percent(row.percent_7d)}",
            f"{row.answers_30d} · {_percent(row.percent_30d)}",
        )
    console = common.console(highlight=False)
    console.print(cards)
    console.print(answers)
    if not stats.decks:
        console.print("No deck found: add one with 'ibdquiz add-deck FILE' (see 'ibdquiz decks').",
                      markup=False)
    elif stats.unopened:
        console.print(UNOPENED_NOTE, markup=False)
    days = "day" if stats.streak == 1 else "days"
    console.print(f"Streak: {stats.streak} {days}", markup=False)


def _catalog_decks(ctx: Context, store: Store | None) -> list[Deck]:
    """The decks found (read-only; files unchanged since their sync are not read again); a
    deck folder that cannot be read is a warning for stats."""
    from ibdquiz.commands.decks import load_catalog

    try:
        known = store.known_deck if store is not None else None
        return list(load_catalog(ctx, known).decks.values())
    except OSError as exc:
        warn(f"could not read the decks ({describe_os_error(exc)}); decks not opened in "
             "ibdquiz yet are left out of these figures")
        return []


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Rich tables, or one JSON document.",
)
def stats(fmt: str) -> None:
    """Per deck: due today, new, learned, mature, leeches, suspended, % correct, the streak.

    Answers and % correct count first answers (not re-drills or practice) over the last 7 and
    30 study days. Every card of a deck not yet opened in ibdquiz counts as new. A database
    that does not exist yet shows zeros (and those new cards) and is not created.

    \b
    Example:
        ibdquiz stats --format json
    """
    from ibdquiz.core.clock import study_day, system_clock
    from ibdquiz.storage.stats import empty_stats

    ctx = get_context()
    store = open_store(ctx, create=False)
    if store is None:
        result = empty_stats(ctx.profile, study_day(system_clock()), _catalog_decks(ctx, None))
    else:
        with store:
            result = store.stats(ctx.profile, _catalog_decks(ctx, store))
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2), file=data_stdout())
    else:
        _print_text(result)


@click.command()
@click.option("--display-name", "--name", "name", default=None, metavar="NAME",
              help="Set the display name shown in exports and the cohort report (--name is "
              "the older spelling).")
def profile(name: str | None) -> None:
    """Show the learner's profile; --display-name NAME sets the name the report shows.

    Only setting a name creates the database; showing never does. The profile itself is
    chosen with the global --profile (a short name such as 'default').

    \b
    Example:
        ibdquiz profile --display-name "Dr. A. Fellow"
        ibdquiz --profile alice profile --display-name "Dr. Alice Smith"
    """
    ctx = get_context()
    # a bad name is refused before the database is created
    cleaned = clean_display_name(name) if name is not None else None
    store = open_store(ctx, create=cleaned is not None)
    if store is None:  # showing, and no database yet: nothing is created
        click.echo(f"profile:      {printable(ctx.profile)}")
        click.echo("display name: (not set; use --display-name NAME)")
        click.echo("learner id:   (made with the database, on the first study or "
                   "--display-name)")
        click.echo(f"database:     {printable(str(ctx.db_path))} (not created yet)")
        return
    with store:
        if cleaned is not None:
            store.set_display_name(ctx.profile, cleaned)
            found = store.profile(ctx.profile)
        else:
            found = store.find_profile(ctx.profile) or _unmade(ctx.profile)
    click.echo(f"profile:      {printable(found.name)}")
    unset = "(not set; use --display-name NAME)"
    click.echo(f"display name: {printable(found.display_name or unset)}")
    click.echo(f"learner id:   {found.learner_id or '(made on the first study or --display-name)'}")
    click.echo(f"database:     {printable(str(ctx.db_path))}")


def _unmade(name: str) -> Profile:
    """A profile not in the database yet, shown without writing it."""
    from ibdquiz.storage.rows import Profile

    return Profile(name=name, display_name=None, learner_id="")


@click.command()
def check() -> None:
    """Check the whole database file for damage (SQLite's quick_check) and say so.

    ibdquiz runs this check by itself once a day; a damaged file gives one error line naming
    what to do. A missing database is reported and nothing is created.

    \b
    Example:
        ibdquiz check
    """
    ctx = get_context()
    store = open_store(ctx, create=False)
    if store is None:
        raise DatabaseError(f"there is no ibdquiz database at {printable(str(ctx.db_path))}")
    with store:
        store.check()
    click.echo(f"{printable(str(ctx.db_path))}: ok")


@click.command()
@click.argument("target", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
def backup(target: Path) -> None:
    """Copy the database, with every answer saved so far, to a new FILE.

    Uses SQLite's backup API, so answers still in the -wal file are included and a study
    session may run meanwhile; FILE must not exist yet. To restore, see the README (Moving
    machines and backups): copy FILE to the database path while no ibdquiz is running.

    \b
    Example:
        ibdquiz backup ~/ibdquiz-2025-06-30.db
    """
    ctx = get_context()
    store = open_store(ctx, create=False)
    if store is None:
        raise DatabaseError(f"there is no ibdquiz database at {printable(str(ctx.db_path))}")
    with store:
        size = store.backup(target)
    click.echo(f"backed up {printable(str(ctx.db_path))} to {printable(str(target))} "
               f"({size:,} bytes)")


COMMANDS: list[click.Command] = [stats, profile, check, backup]
