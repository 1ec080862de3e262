"""``export`` (a fellow's answers, for the program director) and ``report`` (the cohort report).

Both import their machinery lazily so ``ibdquiz --help`` stays fast; neither imports Textual.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ibdquiz.commands.common import get_context
from ibdquiz.errors import ExportError

_EXPORT_EXTENSIONS = {".json": "json", ".csv": "csv"}
_REPORT_EXTENSIONS = {".html": "html", ".htm": "html", ".csv": "csv", ".txt": "text"}


def _since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


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
    from ibdquiz.report.atomic import atomic_text_file
    from ibdquiz.report.exporter import run_export

    ctx = get_context()
    chosen = fmt or (_EXPORT_EXTENSIONS.get(output.suffix.lower(), "json") if output else "json")
    if output is None:
        outcome = run_export(ctx.db_path, ctx.profile, chosen, sys.stdout, since=since)
        sys.stdout.flush()
    else:
        with atomic_text_file(output) as handle:
            outcome = run_export(ctx.db_path, ctx.profile, chosen, handle, since=since)
    if outcome.learner is None:
        click.echo(
            f"ibdquiz: warning: profile {ctx.profile!r} has no answers yet; the export is empty",
            err=True,
        )
    elif not outcome.learner.display_name:
        click.echo(
            "ibdquiz: warning: no display name is set, so the report will show only your "
            "profile and learner id; set one with: ibdquiz profile --name \"Your Name\"",
            err=True,
        )
    if output is not None:
        click.echo(f"wrote {outcome.reviews} answers to {output}", err=True)


@click.command("report")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (atomically); its extension picks the format.")
@click.option("--format", "fmt", type=click.Choice(["html", "csv", "text"]), default=None,
              help="html (one self-contained page), csv (fellow × study table) or text. "
                   "Default: html with --output, tables on the terminal without.")
def report_command(inputs: tuple[Path, ...], output: Path | None, fmt: str | None) -> None:
    """Build the cohort report from fellows' JSON exports (files or folders of *.json).

    Fellows are keyed on their learner id; of two exports of one fellow the newer is kept. A file
    that cannot be read is named on stderr and skipped.

    \b
    Example:
        ibdquiz report exports/ --output cohort.html
        ibdquiz report exports/*.json --format csv --output cohort.csv
    """
    from ibdquiz.core.clock import system_clock
    from ibdquiz.report.cohort import build_cohort
    from ibdquiz.report.reader import read_exports

    chosen = fmt or (_REPORT_EXTENSIONS.get(output.suffix.lower(), "html") if output else "text")
    outcome = read_exports(list(inputs), workers=0)
    for problem in outcome.problems:
        click.echo(f"ibdquiz: warning: {problem}", err=True)
    if outcome.files_read == 0:
        raise ExportError("no export could be read, so there is no report; see the lines above")
    cohort = build_cohort(
        outcome.fellows, generated_at=system_clock(), problems=outcome.problems,
        files_read=outcome.files_read,
    )
    _write_report(cohort, chosen, output)


def _write_report(cohort: object, fmt: str, output: Path | None) -> None:
    from ibdquiz.report.atomic import atomic_text_file
    from ibdquiz.report.cohort import Cohort

    if not isinstance(cohort, Cohort):  # pragma: no cover - typing aid for the lazy import
        raise TypeError("expected a Cohort")
    if fmt == "html":
        from ibdquiz.report.render_html import render_html

        page = render_html(cohort)
        if output is None:
            click.echo(page, nl=False)
        else:
            with atomic_text_file(output) as handle:
                handle.write(page)
    elif fmt == "csv":
        from ibdquiz.report.render_csv import write_report_csv

        if output is None:
            write_report_csv(cohort, sys.stdout)
        else:
            with atomic_text_file(output) as handle:
                write_report_csv(cohort, handle)
    else:
        from rich.console import Console

        from ibdquiz.report.render_text import print_text_report

        if output is None:
            print_text_report(cohort)
        else:
            with atomic_text_file(output) as handle:
                print_text_report(cohort, Console(file=handle, width=120, no_color=True))
    if output is not None:
        click.echo(f"wrote the report on {len(cohort.fellows)} fellows to {output}", err=True)


COMMANDS: list[click.Command] = [export_command, report_command]
