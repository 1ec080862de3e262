"""Deck commands: ``validate``, ``decks``, ``new-deck``, ``add-deck``; and ``load_catalog``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ibdquiz import paths
from ibdquiz.commands.common import Context, data_stdout, get_context, warn
from ibdquiz.core.atomic import write_bytes
from ibdquiz.core.catalog import DECK_SUFFIXES, Catalog, deck_files, discover, load_deck
from ibdquiz.core.model import Deck, Diagnostic
from ibdquiz.core.printable import printable
from ibdquiz.core.problems import one_line
from ibdquiz.core.regular import read_regular
from ibdquiz.errors import DeckError


def load_catalog(
    ctx: Context,
    known: Callable[[Path], Deck | None] | None = None,
    notices: list[str] | None = None,
) -> Catalog:
    """Discover bundled, user and ``--decks`` decks; report broken decks and clashes on stderr.

    ``known`` (``Store.known_deck``) skips reading deck files unchanged since their last sync.
    With ``notices``, each reported line is also appended there, for the study app to show
    (its full screen hides what was printed just before it opened).
    """

    def tell(message: str) -> None:
        warn(message)
        if notices is not None:
            notices.append(message)

    locations = [("bundled", paths.bundled_decks_dir()), ("user", paths.user_decks_dir())]
    for folder in ctx.env_deck_dirs:
        if folder.is_dir():
            locations.append(("IBDQUIZ_DECKS", folder))
        else:
            tell(f"skipped {folder} from IBDQUIZ_DECKS: {_not_a_folder(folder)}")
    for folder in ctx.deck_dirs:
        if not folder.is_dir():
            raise DeckError(f"deck folder {folder} {_not_a_folder(folder)}; check --decks")
        locations.append(("--decks", folder))
    catalog = discover(locations, known)
    for result in catalog.problems:
        first = result.errors[0]
        more = len(result.errors) - 1
        extra = f" (and {more} more)" if more else ""
        tell(f"skipped {one_line(str(first))}{extra}; run 'ibdquiz validate "
             f"{shell_quote(str(result.path))}'")
    for clash in catalog.clashes:
        tell(f"{clash.path}: {clash.message}")
    return catalog


def shell_quote(text: str) -> str:
    """``text`` as a shell needs it typed: as is when safe, else in single quotes."""
    import shlex  # only when a deck is skipped: not on every start

    return shlex.quote(text)


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
                click.echo(f"{printable(str(target))}: error: no .yaml or .yml decks in this "
                           "folder")
                errors += 1
            results = [load_deck(path) for path in found]
        elif not target.exists():
            click.echo(f"{printable(str(target))}: error: no such file")
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
        click.echo(printable("  ".join([*cells, row[4]])))
        for origin, path in catalog.overridden.get(row[0], []):
            click.echo(printable(f"  (replaces the {origin} deck {path})"))


def _origin(catalog: Catalog, deck_id: str) -> tuple[str, str]:
    origin, path = catalog.origins[deck_id]
    return origin, str(path)


@click.command("new-deck")
@click.argument("file", type=click.Path(path_type=Path))
def new_deck(file: Path) -> None:
    """Write a commented template deck to FILE (never overwrites); it validates clean.

    The deck id is taken from the file name, so name the file after the deck, e.g.
    infliximab-levels.yaml. The deck's JSON Schema is written beside it too (for editors),
    unless that folder has one already.

    \b
    Example:
        ibdquiz new-deck infliximab-levels.yaml
    """
    from ibdquiz.core.template import SCHEMA_FILE, template_text
    from ibdquiz.core.yamlnodes import ID_PATTERN, suggest_id  # the YAML parser: only here

    if file.suffix.lower() not in DECK_SUFFIXES:
        raise DeckError(f"{file}: a deck file name ends with .yaml (e.g. {file.name}.yaml)")
    if not file.parent.is_dir():
        raise DeckError(f"{file}: the folder {file.parent} does not exist; create it first")
    deck_id = file.stem if ID_PATTERN.fullmatch(file.stem) else suggest_id(file.stem)
    typed = shell_quote(str(file))
    text = template_text(deck_id, SCHEMA_FILE, shell_quote(file.name))
    try:
        with file.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise DeckError(f"{file} already exists; new-deck never overwrites: choose another "
                        "name") from None
    except OSError as exc:
        raise DeckError(f"{file}: cannot write the file ({exc.strerror or exc})") from None
    schema = file.parent / SCHEMA_FILE
    wrote_schema = _write_schema_beside(schema)
    click.echo(printable(f"wrote {file}; edit it, then check it with: ibdquiz validate {typed}"))
    if wrote_schema:
        click.echo(printable(f"wrote {schema} beside it: editors with the YAML language server "
                             "use it to check the deck as you type (keep it with the deck)"))
    if deck_id != file.stem:
        click.echo(f"the deck id is '{deck_id}' (from the file name; ids are lower-case letters, "
                   "digits and '-')")


def _write_schema_beside(target: Path) -> bool:
    """Write the deck schema to ``target`` unless a file is there; True when written."""
    try:
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(paths.deck_schema_path().read_text(encoding="utf-8"))
    except FileExistsError:
        return False
    except OSError as exc:
        warn(f"could not write the schema {target} ({exc.strerror or exc}); "
             f"'ibdquiz schema --output {shell_quote(str(target))}' writes it")
        return False
    return True


@click.command("schema")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Write the schema to this file instead of printing it.")
def schema(output: Path | None) -> None:
    """Print (or write) the JSON Schema of the deck format, for editors.

    The template's first line points the YAML language server (VS Code's YAML extension,
    Neovim, Helix...) at ibdquiz-deck.schema.json beside the deck.

    \b
    Example:
        ibdquiz schema --output decks/ibdquiz-deck.schema.json
    """
    text = paths.deck_schema_path().read_text(encoding="utf-8")
    if output is None:
        click.echo(text, nl=False, file=data_stdout())
        return
    try:
        output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise DeckError(f"{output}: cannot write the schema ({exc.strerror or exc})") from None
    click.echo(f"wrote {output}")


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
        click.echo(printable(f"deck '{result.deck.id}' is already installed at {target}"))
        return
    if target.exists() and not replace:
        raise DeckError(f"a deck '{result.deck.id}' is already installed at {target}; use "
                        "--replace to overwrite it")
    verb = "replaced" if target.exists() else "added"
    _copy_atomically(file, target)
    facts = _plural(len(result.deck.facts()), "fact")
    click.echo(printable(f"{verb} deck '{result.deck.id}' ({facts}) at {target}; study it "
                         f"with: ibdquiz study {result.deck.id}"))


@click.command("remove-deck")
@click.argument("deck_id", metavar="DECK")
def remove_deck(deck_id: str) -> None:
    """Remove a deck from your deck folder; its cards are retired, your history is kept.

    Only decks in your deck folder (those add-deck installed) can be removed; bundled decks and
    --decks folders are left alone. Adding the deck again brings its cards back, with their
    history.

    \b
    Example:
        ibdquiz remove-deck infliximab-levels
    """
    ctx = get_context()
    folder = paths.user_decks_dir()
    found = [path for path in (deck_files(folder) if folder.is_dir() else [])
             if ((loaded := load_deck(path)).deck is not None and loaded.deck.id == deck_id)
             or path.stem == deck_id]  # a broken copy named after the id goes too
    if not found:
        catalog = load_catalog(ctx)
        if deck_id in catalog.origins:
            origin, where = catalog.origins[deck_id]
            what = "a bundled deck" if origin == "bundled" else f"a deck from {origin}"
            raise DeckError(f"deck '{deck_id}' is not in your deck folder ({folder}): it is {what} "
                            f"({where}); remove-deck only removes decks that add-deck installed")
        known = ", ".join(sorted(catalog.decks)) or "none"
        raise DeckError(f"no deck with id '{deck_id}' in your deck folder ({folder}); the decks "
                        f"found are: {known} (see 'ibdquiz decks')")
    for path in found:
        try:
            path.unlink()
        except OSError as exc:
            raise DeckError(f"cannot remove {path} ({exc.strerror or exc})") from None
    still = load_catalog(ctx).origins.get(deck_id)
    files = ", ".join(str(path) for path in found)
    if still is not None:
        click.echo(f"removed {files}; the {still[0]} deck '{deck_id}' ({still[1]}) is used "
                   "again, so its cards stay")
        return
    retired = _retire(ctx, deck_id)
    cards = f"its {_plural(retired, 'card')} are retired" if retired else "no cards to retire"
    click.echo(f"removed deck '{deck_id}' ({files}); {cards}, your review history is kept "
               "(add-deck brings it back)")


def _retire(ctx: Context, deck_id: str) -> int:
    """Retire the deck's cards in an existing database (none is created); how many."""
    from ibdquiz.storage.store import Store

    store = Store.open_existing(ctx.db_path)
    if store is None:
        return 0
    with store:
        return store.retire_deck(deck_id)


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(printable(one_line(str(diagnostic))))


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy the exact bytes atomically (fsynced, the umask's usual mode such as 0644)."""
    from ibdquiz.core.yamlnodes import MAX_BYTES

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(target, read_regular(source, MAX_BYTES))
    except OSError as exc:
        raise DeckError(f"cannot copy {source} to {target} ({exc.strerror or exc})") from None


COMMANDS: list[click.Command] = [validate, decks, new_deck, add_deck, remove_deck, schema]
