"""Deck commands: ``validate``, ``decks``, ``new-deck``, ``add-deck``; and ``load_catalog``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from ibdquiz import paths
from ibdquiz.commands.common import Context, get_context, warn
from ibdquiz.core.catalog import DECK_SUFFIXES, Catalog, deck_files, discover
from ibdquiz.core.deckload import ID_PATTERN, load_deck, suggest_id
from ibdquiz.core.model import Deck, Diagnostic
from ibdquiz.core.template import template_text
from ibdquiz.core.yamlload import one_line
from ibdquiz.errors import DeckError


def load_catalog(ctx: Context, known: Callable[[Path], Deck | None] | None = None) -> Catalog:
    """Discover bundled, user and ``--decks`` decks; report broken decks and clashes on stderr.

    ``known`` (``Store.known_deck``) skips reading deck files unchanged since their last sync.
    """
    locations = [("bundled", paths.bundled_decks_dir()), ("user", paths.user_decks_dir())]
    for folder in ctx.env_deck_dirs:
        if folder.is_dir():
            locations.append(("IBDQUIZ_DECKS", folder))
        else:
            warn(f"skipped {folder} from IBDQUIZ_DECKS: {_not_a_folder(folder)}")
    for folder in ctx.deck_dirs:
        if not folder.is_dir():
            raise DeckError(f"deck folder {folder} {_not_a_folder(folder)}; check --decks")
        locations.append(("--decks", folder))
    catalog = discover(locations, known)
    for result in catalog.problems:
        first = result.errors[0]
        more = len(result.errors) - 1
        extra = f" (and {more} more)" if more else ""
        warn(f"skipped {one_line(str(first))}{extra}; run 'ibdquiz validate {result.path}'")
    for clash in catalog.clashes:
        warn(f"{clash.path}: {clash.message}")
    return catalog


def _not_a_folder(folder: Path) -> str:
    return "is not a folder" if folder.exists() else "does not exist"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@click.command("validate")
@click.argument("targets", metavar="PATH...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
def validate(targets: tuple[Path, ...], strict: bool) -> None:
    """Check deck files (or folders of decks) and print every problem.

    Each problem is one line on stdout, PATH:LINE:COL: error|warning: MESSAGE; a summary goes
    to stderr. Exit 0 when there are no errors (warnings only), 1 on any error or missing file.

    \b
    Example:
        ibdquiz validate decks/*.yaml
        ibdquiz validate --strict my-deck.yaml
    """
    files, errors, warnings = 0, 0, 0
    for target in targets:
        if target.is_dir():
            found = deck_files(target)
            if not found:
                click.echo(f"{target}: error: no .yaml or .yml decks in this folder")
                errors += 1
            results = [load_deck(path) for path in found]
        elif not target.exists():
            click.echo(f"{target}: error: no such file")
            errors += 1
            continue
        else:
            results = [load_deck(target)]
        for result in results:
            files += 1
            _print_diagnostics(result.diagnostics)
            errors += len(result.errors)
            warnings += len(result.warnings)
    if errors or warnings:
        summary = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    else:
        summary = "no problems"
    click.echo(f"{_plural(files, 'file')} checked: {summary}", err=True)
    if errors or (strict and warnings):
        raise click.exceptions.Exit(1)


@click.command("decks")
def decks() -> None:
    """List the decks found, with where each came from.

    Decks are read from the bundled decks, the user's deck folder, then every --decks folder;
    when two share an id, the later one is used (and the one it replaces is shown).

    \b
    Example:
        ibdquiz --decks ./my-decks decks
    """
    catalog = load_catalog(get_context())
    if not catalog.decks:
        click.echo("no decks found; add one with 'ibdquiz add-deck FILE'")
        return
    rows = [
        (deck_id, deck.title, str(len(deck.facts())), *_origin(catalog, deck_id))
        for deck_id, deck in sorted(catalog.decks.items())
    ]
    header = ("ID", "TITLE", "FACTS", "ORIGIN", "PATH")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:4])]
        click.echo("  ".join([*cells, row[4]]))
        for origin, path in catalog.overridden.get(row[0], []):
            click.echo(f"  (replaces the {origin} deck {path})")


def _origin(catalog: Catalog, deck_id: str) -> tuple[str, str]:
    origin, path = catalog.origins[deck_id]
    return origin, str(path)


@click.command("new-deck")
@click.argument("file", type=click.Path(path_type=Path))
def new_deck(file: Path) -> None:
    """Write a commented template deck to FILE (never overwrites); it validates as written.

    The deck id is taken from the file name, so name the file after the deck, e.g.
    infliximab-levels.yaml.

    \b
    Example:
        ibdquiz new-deck infliximab-levels.yaml
    """
    if file.suffix.lower() not in DECK_SUFFIXES:
        raise DeckError(f"{file}: a deck file name ends with .yaml (e.g. {file.name}.yaml)")
    if not file.parent.is_dir():
        raise DeckError(f"{file}: the folder {file.parent} does not exist; create it first")
    deck_id = file.stem if ID_PATTERN.fullmatch(file.stem) else suggest_id(file.stem)
    text = template_text(deck_id, str(paths.deck_schema_path()), file.name)
    try:
        with file.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise DeckError(f"{file} already exists; new-deck never overwrites: choose another "
                        "name") from None
    except OSError as exc:
        raise DeckError(f"{file}: cannot write the file ({exc.strerror or exc})") from None
    click.echo(f"wrote {file}; edit it, then check it with: ibdquiz validate {file}")
    if deck_id != file.stem:
        click.echo(f"ibdquiz: warning: '{file.stem}' is not a valid deck id, so the deck id is "
                   f"'{deck_id}'; rename the file to {deck_id}{file.suffix}", err=True)


@click.command("add-deck")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite an installed deck with the same id.")
def add_deck(file: Path, replace: bool) -> None:
    """Validate FILE, then copy it into the user's deck folder as <deck id>.yaml.

    A deck with errors is refused (its problems are printed). An installed deck with the same
    id is only overwritten with --replace; review history is kept either way (it is keyed on ids).

    \b
    Example:
        ibdquiz add-deck infliximab-levels.yaml
    """
    if not file.is_file():
        what = "is not a file" if file.exists() else "no such file"
        raise DeckError(f"{file}: {what}")
    result = load_deck(file)
    _print_diagnostics(result.diagnostics)
    if result.deck is None:
        raise DeckError(f"{file} has {_plural(len(result.errors), 'error')} (listed above); fix "
                        "them, then run add-deck again")
    target_dir = paths.user_decks_dir()
    target = target_dir / f"{result.deck.id}.yaml"
    if target.exists() and target.resolve() == file.resolve():
        click.echo(f"deck '{result.deck.id}' is already installed at {target}")
        return
    if target.exists() and not replace:
        raise DeckError(f"a deck '{result.deck.id}' is already installed at {target}; use "
                        "--replace to overwrite it")
    verb = "replaced" if target.exists() else "added"
    _copy_atomically(file, target)
    facts = _plural(len(result.deck.facts()), "fact")
    click.echo(f"{verb} deck '{result.deck.id}' ({facts}) at {target}; study it with: "
               f"ibdquiz study {result.deck.id}")


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(one_line(str(diagnostic)))


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy the exact bytes, via a temporary file in the target folder and a rename."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".add-deck-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise DeckError(f"cannot copy {source} to {target} ({exc.strerror or exc})") from None


COMMANDS: list[click.Command] = [validate, decks, new_deck, add_deck]
