"""The cohort report as rich tables for the terminal (deck and export text is never markup)."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ibdquiz.core.printable import printable
from ibdquiz.report.cohort import MIN_ANSWERS, AreaRow, Cohort, thin
from ibdquiz.report.estimate import Estimate
from ibdquiz.report.fellow import RETENTION_DAYS
from ibdquiz.report.items import ItemStats
from ibdquiz.report.render_html import ci, day_text, pct, share, signed


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


def _fig(estimate: Estimate, with_ci: bool = False) -> Text:
    """``54% n=120`` (with its interval), dim below the minimum number of answers."""
    text = pct(estimate) + (f" ({ci(estimate)})" if with_ci and estimate.n else "")
    return Text(f"{text} n={estimate.n}", style="dim" if thin(estimate) else "")


def _fellows(cohort: Cohort) -> Table:
    table = Table(title="Fellows: objective answers (choice and typed; graded by ibdquiz)",
                  title_justify="left",
                  caption="▼ below the mean of the other fellows beyond the 95% interval · "
                          f"dim: fewer than {MIN_ANSWERS} answers",
                  caption_justify="left")
    table.add_column("Fellow")
    table.add_column("Objective", justify="right")
    table.add_column("95% CI", justify="right")
    table.add_column("n", justify="right")
    table.add_column("Chance", justify="right")
    table.add_column("Choice", justify="right")
    table.add_column("Typed", justify="right")
    if cohort.percentiles is not None:
        table.add_column("Pctile", justify="right")
    for fellow in cohort.fellows:
        st = cohort.stats[fellow.learner_id]
        style = "dim" if thin(st.objective) else None
        score = ("▼ " if cohort.below_cohort(fellow) else "") + pct(st.objective)
        cells: list[RenderableType] = [
            _t(fellow.name), score, ci(st.objective), str(st.objective.n),
            "—" if st.chance is None else f"{st.chance:.0f}%", _fig(st.choice), _fig(st.typed),
        ]
        if cohort.percentiles is not None:
            rank = cohort.percentiles.get(fellow.learner_id)
            cells.append("—" if rank is None else f"{rank:.0f}")
        table.add_row(*cells, style=style)
    return table


def _fellows_more(cohort: Cohort) -> Table:
    table = Table(title="Fellows: self-graded flashcards, retention, coverage",
                  title_justify="left",
                  caption="⚑ self-grades far above objective results on the same facts",
                  caption_justify="left")
    table.add_column("Fellow")
    table.add_column("Self-graded", justify="right")
    table.add_column("Gap", justify="right")
    for days in RETENTION_DAYS:
        table.add_column(f"Ret. ≥{days}d", justify="right")
    table.add_column("Coverage", justify="right")
    table.add_column("Last studied")
    for fellow in cohort.fellows:
        st = cohort.stats[fellow.learner_id]
        coverage = fellow.coverage()
        pairs = [coverage.get(deck.id, (0, deck.cards)) for deck in cohort.decks]
        gap = "—" if st.gap is None else f"{st.gap.points:+.0f}" + (" ⚑" if st.generous else "")
        table.add_row(
            _t(fellow.name), _fig(st.self_graded), gap,
            *(_fig(st.retention[days]) for days in RETENTION_DAYS),
            f"{sum(a for a, _ in pairs)}/{sum(t for _, t in pairs)}", day_text(fellow.last_day),
        )
    return table


def _areas(rows: list[AreaRow], title: str, head: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(head)
    table.add_column("Fellows", justify="right")
    table.add_column("Objective, mean of fellows (95% CI)", justify="right")
    table.add_column("Self-graded", justify="right")
    for row in rows:
        name = _with_citation(row.name, row.citation)
        table.add_row(name, str(len(row.by_fellow)), _fig(row.objective, with_ci=True),
                      _fig(row.self_graded))
    return table


def _missed(cohort: Cohort) -> Table:
    table = Table(title="Most-missed facts (share of fellows wrong at first attempt)",
                  title_justify="left")
    table.add_column("Question")
    table.add_column("Answer")
    table.add_column("Source")
    table.add_column("Missed first", justify="right")
    table.add_column("Wrong answers", justify="right")
    for fact in cohort.missed:
        source = _with_citation(fact.source, fact.citation or " ")
        table.add_row(_t(fact.prompt), _t(fact.answer), source,
                      f"{share(fact.share)} ({fact.fellows_missed}/{fact.fellows_asked})",
                      f"{fact.missed}/{fact.asked}")
    return table


def _review(items: list[ItemStats]) -> Table:
    table = Table(title="Items to review", title_justify="left")
    table.add_column("Question")
    table.add_column("Where")
    table.add_column("n", justify="right")
    table.add_column("p", justify="right")
    table.add_column("r", justify="right")
    table.add_column("Why")
    for item in items:
        table.add_row(_t(f"{item.card.prompt or item.card.card_id}\n{item.card.card_id}"),
                      _t(item.location or "—"), str(item.n), share(item.p),
                      signed(item.discrimination), _t("\n".join(item.reasons)))
    return table


def _flags(cohort: Cohort) -> Table:
    table = Table(title="Flagged questions", title_justify="left")
    table.add_column("Question, as seen")
    table.add_column("Answer")
    table.add_column("Reasons")
    table.add_column("Fellows", justify="right")
    for group in cohort.flag_groups:
        seen = []
        for context, options in group.seen:
            parts = [f"header: {context}"] if context else []
            if options:
                parts.append("options: " + " | ".join(options))
            seen.append(" · ".join(parts))
        question = "\n".join([group.prompt or group.card_id, *[s for s in seen if s]])
        reasons = "\n".join(
            f"{f.reason or '(no reason given)'} — {f.fellow}, {f.flagged_at[:10]}"
            for f in group.flags
        )
        table.add_row(_t(question), _t(group.answer or "—"), _t(reasons), str(group.fellows))
    return table


def text_report(cohort: Cohort) -> Group:
    """Every table of the report, in the order of the HTML page."""
    parts: list[RenderableType] = [
        Text(
            f"{len(cohort.fellows)} fellows ({len(cohort.active)} with answers) · objective "
            f"{pct(cohort.objective)} correct, mean of fellows (95% CI {ci(cohort.objective)}) · "
            f"self-graded {pct(cohort.self_graded)} · all objective answers pooled "
            f"{pct(cohort.pooled_objective)} of {cohort.pooled_objective.n}"
            + ("" if cohort.percentiles is not None else " · no percentiles: small cohort"),
            style="bold",
        ),
        _fellows(cohort),
        _fellows_more(cohort),
    ]
    generous = cohort.generous
    if generous:
        lines = [
            f"{printable(f.name)}: self-grades {gap.points:+.0f} points above objective on "
            f"{gap.facts} facts" for f in generous
            if (gap := cohort.stats[f.learner_id].gap) is not None
        ]
        parts.append(Text("Self-grading check (generous self-grades stretch the schedule "
                          "past facts not known):\n  " + "\n  ".join(lines)))
    parts += [
        _areas(cohort.sources, "Results by study", "Study"),
        _areas(cohort.tags, "Results by topic", "Topic (tag)"),
    ]
    weeks = Table(title="Weekly trend (objective, mean of fellows active that week)",
                  title_justify="left")
    for name in ("Week of", "Fellows", "Mean of fellows", "95% CI", "Answers"):
        weeks.add_column(name, justify="left" if name == "Week of" else "right")
    previous = None
    for week in cohort.weeks:
        if previous is not None and week.week - previous > 7:
            weeks.add_row(Text(f"({(week.week - previous) // 7 - 1} weeks without answers)",
                               style="dim"), "", "", "", "")
        previous = week.week
        weeks.add_row(day_text(week.week), str(week.fellows), pct(week.estimate),
                      ci(week.estimate), str(week.estimate.n),
                      style="dim" if thin(week.estimate) else None)
    parts.append(weeks)
    if cohort.missed:
        parts.append(_missed(cohort))
    review = [i for i in cohort.items if isinstance(i, ItemStats) and i.to_review]
    if review:
        parts.append(_review(review))
    if cohort.flags:
        parts.append(_flags(cohort))
    idle = ", ".join(f.name for f in cohort.no_answers) or "none"
    parts.append(Text(f"Fellows with no answers: {printable(idle)}"))
    return Group(*parts)


def print_text_report(cohort: Cohort, console: Console | None = None) -> None:
    """Print the tables (on stdout unless a console is given)."""
    (console or Console()).print(text_report(cohort))
