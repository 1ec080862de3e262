"""The cohort report as rich tables for the terminal (deck and export text is never markup)."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ibdquiz.core.printable import printable
from ibdquiz.report.cohort import AreaRow, Cohort
from ibdquiz.report.render_html import ci, day_text, pct


def _t(value: object) -> Text:
    """Plain text: '[CRP]' in a deck stays '[CRP]' instead of being read as rich markup, and
    an escape sequence in an export is shown as ``\\x1b``, never sent to the terminal."""
    return Text(printable(str(value)))


def _with_citation(title: str, citation: str) -> Text:
    """A title with its citation on a dim second line (both plain text)."""
    text = _t(title)
    if citation:
        text.append("\n" + printable(citation), style="dim")
    return text


def _fellows(cohort: Cohort) -> Table:
    table = Table(title="Fellows", title_justify="left",
                  caption="▼ the fellow's whole 95% interval is below the cohort's % correct",
                  caption_justify="left")
    table.add_column("Fellow")
    table.add_column("Answers", justify="right")
    table.add_column("% correct", justify="right")
    table.add_column("95% CI", justify="right")
    if cohort.percentiles is not None:
        table.add_column("Pctile", justify="right")
    table.add_column("Coverage", justify="right")
    table.add_column("Last studied")
    for fellow in cohort.fellows:
        coverage = fellow.coverage()
        score = pct(fellow.total)
        if cohort.below_cohort(fellow):
            score = f"▼ {score}"
        cells: list[RenderableType] = [
            _t(fellow.name), str(fellow.total.n), score, ci(fellow.total)
        ]
        if cohort.percentiles is not None:
            rank = cohort.percentiles.get(fellow.learner_id)
            cells.append("—" if rank is None else f"{rank:.0f}")
        pairs = [coverage.get(deck.id, (0, deck.cards)) for deck in cohort.decks]
        cells.append(f"{sum(a for a, _ in pairs)}/{sum(t for _, t in pairs)}")
        cells.append(day_text(fellow.last_day))
        table.add_row(*cells)
    return table


def _areas(rows: list[AreaRow], title: str, head: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(head)
    table.add_column("Answers", justify="right")
    table.add_column("% correct", justify="right")
    table.add_column("95% CI", justify="right")
    table.add_column("Fellows", justify="right")
    for row in rows:
        name = _with_citation(row.title, row.citation)
        table.add_row(
            name, str(row.total.n), pct(row.total), ci(row.total), str(len(row.by_fellow))
        )
    return table


def _missed(cohort: Cohort) -> Table:
    table = Table(title="Most-missed facts", title_justify="left")
    table.add_column("Question")
    table.add_column("Answer")
    table.add_column("Source")
    table.add_column("Missed", justify="right")
    table.add_column("Fellows", justify="right")
    for fact in cohort.missed:
        source = _with_citation(fact.source, fact.citation or " ")
        table.add_row(_t(fact.prompt), _t(fact.answer), source,
                      f"{fact.missed}/{fact.asked}", str(fact.fellows_missed))
    return table


def _flags(cohort: Cohort) -> Table:
    table = Table(title="Flagged questions", title_justify="left")
    table.add_column("Question")
    table.add_column("Answer")
    table.add_column("Reason")
    table.add_column("Fellow")
    table.add_column("Flagged")
    for flag in cohort.flags:
        table.add_row(_t(flag.prompt or flag.card_id), _t(flag.answer or "—"),
                      _t(flag.reason or "(no reason given)"), _t(flag.fellow),
                      _t(flag.flagged_at[:10]))
    return table


def text_report(cohort: Cohort) -> Group:
    """Every table of the report, in the order of the HTML page."""
    parts: list[RenderableType] = [
        Text(
            f"{len(cohort.fellows)} fellows ({len(cohort.active)} with answers) · cohort "
            f"{pct(cohort.total)} correct of {cohort.total.n} (95% CI {ci(cohort.total)})"
            + ("" if cohort.percentiles is not None else " · no percentiles: small cohort"),
            style="bold",
        ),
        _fellows(cohort),
        _areas(cohort.sources, "Results by study", "Study"),
        _areas(cohort.tags, "Results by topic", "Topic (tag)"),
    ]
    weeks = Table(title="Weekly trend", title_justify="left")
    for name in ("Week of", "Answers", "% correct", "95% CI", "Fellows"):
        weeks.add_column(name, justify="left" if name == "Week of" else "right")
    for week in cohort.weeks:
        weeks.add_row(day_text(week.week), str(week.tally.n), pct(week.tally),
                      ci(week.tally), str(week.fellows))
    parts.append(weeks)
    if cohort.missed:
        parts.append(_missed(cohort))
    if cohort.flags:
        parts.append(_flags(cohort))
    idle = ", ".join(f.name for f in cohort.no_answers) or "none"
    parts.append(Text(f"Fellows with no answers: {printable(idle)}"))
    return Group(*parts)


def print_text_report(cohort: Cohort, console: Console | None = None) -> None:
    """Print the tables (on stdout unless a console is given)."""
    (console or Console()).print(text_report(cohort))
