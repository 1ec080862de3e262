"""What a director asks of the report: who is behind, on which facts, and what was flagged."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console

from ibdquiz.report.cohort import Cohort, build_cohort
from ibdquiz.report.fellow import summarize_export
from ibdquiz.report.render_html import render_html
from ibdquiz.report.render_text import print_text_report
from tests.helpers_report import card_entries, export_doc, review

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def _cohort() -> Cohort:
    """Two strong fellows and one who gets most answers wrong and flags a question."""
    cards = card_entries()
    ids = [c["card_id"] for c in cards]
    flagged = "tacrolimus-refractory-crohns/mayo-2013/surgery/choice"

    def history(accuracy_every: int) -> list[dict[str, object]]:
        return [review(card_id, f"2025-01-{6 + i % 5:02d}T19:{i % 60:02d}:00+01:00", "new",
                       i % accuracy_every != 0) for i, card_id in enumerate(ids)]

    docs = [
        export_doc(learner_id="a", learner="Dr Strong", reviews=history(10), cards=cards),
        export_doc(learner_id="b", learner="Dr Steady", reviews=history(8), cards=cards),
        export_doc(learner_id="c", learner="Dr Behind", cards=cards,
                   reviews=[review(card_id, "2025-01-06T19:00:00+01:00", "new",
                                   card_id.endswith("/recall")) for card_id in ids],
                   flags=[{"card_id": flagged, "reason": "two options look right",
                           "flagged_at": "2025-01-06T19:05:00+01:00"}]),
    ]
    fellows = [summarize_export(d, Path(f"{d['learner_id']}.json")) for d in docs]
    return build_cohort(fellows, generated_at=NOW)


def test_only_a_fellow_whose_interval_is_below_the_cohort_is_marked() -> None:
    cohort = _cohort()
    below = {f.name for f in cohort.fellows if cohort.below_cohort(f)}
    assert below == {"Dr Behind"}
    page = render_html(cohort)
    assert page.count('<span class="tag-below">below cohort</span>') == 1


def test_flags_show_the_answer_being_questioned() -> None:
    cohort = _cohort()
    (flag,) = cohort.flags
    assert (flag.answer, flag.reason, flag.fellow) == ("54%", "two options look right",
                                                       "Dr Behind")
    page = render_html(cohort)
    flags_table = page.split('<table class="flags">')[1].split("</table>")[0]
    assert "<td>54%</td>" in flags_table and "two options look right" in flags_table
    out = io.StringIO()
    print_text_report(cohort, Console(file=out, width=200, no_color=True))
    flag_line = next(line for line in out.getvalue().splitlines() if "two options" in line)
    assert "54%" in flag_line


def test_each_fellow_lists_the_facts_they_missed_most() -> None:
    cohort = _cohort()
    behind = next(f for f in cohort.fellows if f.name == "Dr Behind")
    missed = cohort.missed_by(behind)
    assert len(missed) == 5
    # Dr Behind missed the choice and numeric card of each numeric fact: 2 of 3 answers
    assert all((m.missed, m.asked) == (2, 3) for m in missed)
    strong = next(f for f in cohort.fellows if f.name == "Dr Strong")
    assert all(m.missed <= 2 for m in cohort.missed_by(strong))
    page = render_html(cohort)
    section = page.split("<h3>Dr Behind</h3>")[1].split("</section>")[0]
    assert "<th>Facts missed most</th>" in section
    assert missed[0].prompt.replace("'", "&#39;") in section


def test_print_keeps_the_each_fellow_heading_with_the_first_fellow() -> None:
    page = render_html(_cohort())
    assert '<div class="each">\n<h2>Each fellow</h2>' in page
    assert ".each > .fellow:first-of-type { break-before: auto;" in page
