"""The report's three renderings: HTML (escaped, self-contained), rich text, CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console

from ibdquiz.report.cohort import Cohort, build_cohort
from ibdquiz.report.fellow import summarize_export
from ibdquiz.report.render_csv import REPORT_CSV_HEADER, write_report_csv
from ibdquiz.report.render_html import render_html
from ibdquiz.report.render_text import print_text_report
from tests.helpers_report import card_entries, export_doc, make_export, review

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
SCRIPT = "<script>alert('x')</script>"


def _hostile_cohort() -> Cohort:
    cards = card_entries()
    for card in cards:
        card["prompt"] = f"{SCRIPT} [bold]{card['prompt']}[/bold]"
        card["citation"] = "Gut & <i>Liver</i> 2006"
        card["label"] = "<img src=x onerror=alert(1)>"
        card["tags"] = ["<svg onload=alert(1)>"]
    card_id = cards[0]["card_id"]
    doc = export_doc(
        learner_id="<b>id</b>", learner=f"Dr {SCRIPT}", cards=cards,
        reviews=[review(card_id, "2025-01-06T19:00:00+01:00", "new", False)],
        flags=[{"card_id": card_id, "reason": "</td></tr><script>steal()</script>",
                "flagged_at": "2025-01-06T19:01:00+01:00"}],
    )
    idle = export_doc(learner_id="idle", learner=SCRIPT, reviews=[], cards=cards)
    fellows = [summarize_export(doc, Path("a.json")), summarize_export(idle, Path("b.json"))]
    return build_cohort(fellows, generated_at=NOW, problems=[f"{SCRIPT}.json: is not JSON"])


def test_hostile_deck_and_export_text_is_shown_as_text() -> None:
    page = render_html(_hostile_cohort())
    assert "<script" not in page.lower()
    assert "<img" not in page and "<svg onload" not in page and "<b>id</b>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;steal()" in page
    assert "Gut &amp; &lt;i&gt;Liver&lt;/i&gt; 2006" in page


def test_the_page_is_self_contained_and_prints() -> None:
    page = render_html(_hostile_cohort())
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page and "<svg" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page


def test_the_page_shows_every_section() -> None:
    docs = [make_export(f"id{i}", f"Dr {i}", n_reviews=300, seed=i) for i in range(3)]
    fellows = [summarize_export(d, Path(f"{i}.json")) for i, d in enumerate(docs)]
    page = render_html(build_cohort(fellows, generated_at=NOW))
    for heading in ("Fellows", "Results by study", "Results by topic", "Weekly trend",
                    "Most-missed facts", "Flagged questions", "Fellows with no answers",
                    "Each fellow"):
        assert f"<h2>{heading}</h2>" in page
    assert "Percentile ranks are not shown" in page and "<th class=\"num\">Percentile" not in page
    assert "Inflamm Bowel Dis 2013; 19:1107-11" in page
    assert page.count('<section class="fellow">') == 3
    assert 'class="trend-line"' in page and 'class="forest"' in page


def test_percentiles_column_for_ten_fellows() -> None:
    docs = [make_export(f"id{i}", f"Dr {i}", n_reviews=100, seed=i) for i in range(10)]
    fellows = [summarize_export(d, Path(f"{i}.json")) for i, d in enumerate(docs)]
    page = render_html(build_cohort(fellows, generated_at=NOW))
    assert "<th class=\"num\">Percentile</th>" in page


def test_text_report_keeps_brackets_literal() -> None:
    out = io.StringIO()
    print_text_report(_hostile_cohort(), Console(file=out, width=200, no_color=True))
    text = out.getvalue()
    assert "[bold]" in text and "Fellows" in text and "Most-missed facts" in text
    assert "no percentiles: small cohort" in text


def test_csv_report_is_the_fellow_by_study_table() -> None:
    docs = [make_export(f"id{i}", f"Dr {i}", n_reviews=150, seed=i) for i in range(2)]
    fellows = [summarize_export(d, Path(f"{i}.json")) for i, d in enumerate(docs)]
    cohort = build_cohort(fellows, generated_at=NOW)
    out = io.StringIO()
    write_report_csv(cohort, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == REPORT_CSV_HEADER
    assert len(rows) == 1 + 2 * 2 * len(cohort.sources)  # fellow x study x kind of evidence
    totals: dict[tuple[str, str], list[int]] = {}
    for row in rows[1:]:
        record = dict(zip(REPORT_CSV_HEADER, row, strict=True))
        key = (record["learner_id"], f"{record['deck']}/{record['source']}")
        cell = totals.setdefault(key, [0, 0])
        cell[0] += int(record["answers"])
        cell[1] += int(record["correct"])
        assert record["evidence"] in {"objective", "self-graded"}
        if int(record["answers"]):
            assert float(record["ci_low"]) <= float(record["percent"]) <= float(record["ci_high"])
    for (learner_id, source), (n, correct) in totals.items():
        fellow = next(f for f in fellows if f.learner_id == learner_id)
        tally = fellow.by_source()[source]
        assert (n, correct) == (tally.n, tally.correct)  # the two kinds add up to every answer
