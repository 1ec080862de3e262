"""``export`` (a fellow's answers, for the program director) and ``report`` (the cohort report).

Both import their machinery lazily so ``ibdquiz --help`` stays fast; neither imports Textual.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ibdquiz.commands import common
from ibdquiz.commands.common import data_stdout, get_context, note, warn
from ibdquiz.errors import ExportError

_EXPORT_EXTENSIONS = {".json": "json", ".csv": "csv"}
_REPORT_EXTENSIONS = {".html": "html", ".htm": "html", ".csv": "csv", ".txt": "text"}


def _since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date; write it as YYYY-MM-DD, such as 2025-01-31"
        ) from None


def _ext_for(fmt: str, extensions: dict[str, str]) -> str:
    """``*.csv`` (or ``*.html or *.htm``): the names that mean ``fmt``."""
    return " or ".join(f"*{ext}" for ext, named in extensions.items() if named == fmt)


def output_format(
    fmt: str | None, output: Path | None, extensions: dict[str, str], default: str
) -> str:
    """The format to write: ``--format``, else the one ``--output``'s extension names.

    A file with no extension gets ``default``; an extension that names another format than
    ``--format``, or none at all, is a usage error rather than a file that lies about its
    content.
    """
    suffix = output.suffix.lower() if output is not None else ""
    implied = extensions.get(suffix)
    known = ", ".join(sorted(extensions))
    if fmt is not None:
        if implied is not None and implied != fmt:
            raise click.BadParameter(
                f"--format {fmt} does not match the extension of {output} (which means "
                f"{implied}); drop --format, or name the file {_ext_for(fmt, extensions)}",
                param_hint="'--output'",
            )
        return fmt
    if output is None or not suffix:
        return default
    if implied is None:
        raise click.BadParameter(
            f"cannot tell the format from the extension {suffix!r} of {output}; use one of "
            f"{known}, or give --format",
            param_hint="'--output'",
        )
    return implied


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default=None,
              help="json (what 'report' reads; the default) or csv (one row per answer).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (atomically); its extension picks the format. Default: stdout.")
@click.option("--since", callback=_since, metavar="YYYY-MM-DD", default=None,
              help="Only answers from this study day on (inclusive).")
def export_command(fmt: str | None, output: Path | None, since: date | None) -> None:
    """Export your answers for your program director.

    The JSON file is what 'ibdquiz report' reads; the CSV has one row per answer. Set your name
    first with 'ibdquiz profile --name'.

    \b
    Example:
        ibdquiz export --output fellow-a.json
        ibdquiz export --format csv --since 2025-01-01 > answers.csv
    """
    from ibdquiz.core.atomic import atomic_text_file
    from ibdquiz.core.clock import day_to_date, study_day, system_clock
    from ibdquiz.report.exporter import run_export

    ctx = get_context()
    chosen = output_format(fmt, output, _EXPORT_EXTENSIONS, "json")
    if since is not None and since > day_to_date(study_day(system_clock())):
        warn(f"--since {since.isoformat()} is after today, so the export holds no answers")
    if output is None:
        outcome = run_export(ctx.db_path, ctx.profile, chosen, data_stdout(), since=since)
    else:
        with atomic_text_file(output) as handle:
            outcome = run_export(ctx.db_path, ctx.profile, chosen, handle, since=since)
    if outcome.learner is None:
        warn(f"profile {ctx.profile!r} has no answers yet; the export is empty")
    elif not outcome.learner.display_name:
        warn(
            "no display name is set, so the report will show only your profile and learner "
            "id; set one with: ibdquiz profile --name \"Your Name\""
        )
    if output is not None:
        note(f"wrote {outcome.reviews} answers to {output}")


@click.command("report")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (atomically); its extension picks the format.")
@click.option("--format", "fmt", type=click.Choice(["html", "csv", "text"]), default=None,
              help="html (one self-contained page), csv (fellow × study table) or text. "
                   "Default: html with --output, tables on the terminal without.")
@click.option("--decks", "deck_dirs", multiple=True,
              type=click.Path(path_type=Path, exists=True),
              help="Deck folder (or file) to resolve items to file:line; repeatable.")
@click.option("--items-csv", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the item analysis table as CSV to this file.")
@click.option("--items-json", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the item analysis table as JSON to this file.")
def report_command(
    inputs: tuple[Path, ...], output: Path | None, fmt: str | None,
    deck_dirs: tuple[Path, ...], items_csv: Path | None, items_json: Path | None,
) -> None:
    """Build the cohort report from fellows' JSON exports (files or folders of *.json).

    Fellows are keyed on their learner id; of two exports of one fellow the newer is kept. A file
    that cannot be read is named on stderr and skipped.

    \b
    Example:
        ibdquiz report exports/ --output cohort.html
        ibdquiz report exports/*.json --format csv --output cohort.csv
        ibdquiz report exports/ --decks decks/ --items-csv items.csv -o cohort.html
    """
    from ibdquiz.core.clock import system_clock
    from ibdquiz.report.cohort import build_cohort
    from ibdquiz.report.locate import deck_locations
    from ibdquiz.report.reader import read_exports

    chosen = output_format(fmt, output, _REPORT_EXTENSIONS, "html" if output else "text")
    if items_csv is not None and items_json is not None and items_csv == items_json:
        raise click.BadParameter("--items-csv and --items-json name the same file",
                                 param_hint="'--items-json'")
    outcome = read_exports(list(inputs), workers=0)
    for problem in outcome.problems:
        warn(problem)
    if outcome.files_read == 0:
        raise ExportError("no export could be read, so there is no report; see the lines above")
    locations, deck_problems = deck_locations(list(deck_dirs))
    for problem in deck_problems:
        warn(problem)
    cohort = build_cohort(
        outcome.fellows, generated_at=system_clock(), problems=outcome.problems,
        files_read=outcome.files_read, locations=locations,
    )
    _write_report(cohort, chosen, output)
    _write_items(cohort, items_csv, items_json)


def _write_items(cohort: object, items_csv: Path | None, items_json: Path | None) -> None:
    from ibdquiz.core.atomic import atomic_text_file
    from ibdquiz.report.cohort import Cohort
    from ibdquiz.report.items import ItemStats
    from ibdquiz.report.render_csv import write_items_csv, write_items_json

    if not isinstance(cohort, Cohort):  # pragma: no cover - typing aid for the lazy import
        raise TypeError("expected a Cohort")
    items = [i for i in cohort.items if isinstance(i, ItemStats)]
    for path, write in ((items_csv, write_items_csv), (items_json, write_items_json)):
        if path is not None:
            with atomic_text_file(path) as handle:
                write(items, handle)
            note(f"wrote {len(items)} items to {path}")


def _write_report(cohort: object, fmt: str, output: Path | None) -> None:
    from ibdquiz.core.atomic import atomic_text_file
    from ibdquiz.report.cohort import Cohort

    if not isinstance(cohort, Cohort):  # pragma: no cover - typing aid for the lazy import
        raise TypeError("expected a Cohort")
    if fmt == "html":
        from ibdquiz.report.render_html import render_html

        page = render_html(cohort)
        if output is None:
            data_stdout().write(page)
        else:
            with atomic_text_file(output) as handle:
                handle.write(page)
    elif fmt == "csv":
        from ibdquiz.report.render_csv import write_report_csv

        if output is None:
            write_report_csv(cohort, data_stdout())
        else:
            with atomic_text_file(output) as handle:
                write_report_csv(cohort, handle)
    else:
        from rich.console import Console

        from ibdquiz.report.render_text import print_text_report

        if output is None:
            print_text_report(cohort, common.console())
        else:
            with atomic_text_file(output) as handle:
                print_text_report(cohort, Console(file=handle, width=120, no_color=True))
    if output is not None:
        count = len(cohort.fellows)
        note(f"wrote the report on {count} fellow{'' if count == 1 else 's'} to {output}")


COMMANDS: list[click.Command] = [export_command, report_command]
