"""Hostile and broken exports (issue 14 items 2 and 5): one line each, the report still built.

Also: CSV cells neutralised against spreadsheet formulas (export, report and item CSVs) while
the JSON export stays exact; undone answers count as first attempts; the trend keeps gaps; a
study name shared by two decks carries its deck; version 1 and 2 exports both read.
"""

from __future__ import annotations

import csv
import io
import json
import resource
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ibdquiz.report import reader
from ibdquiz.report.charts import trend
from ibdquiz.report.cohort import WeekPoint, build_cohort
from ibdquiz.report.csvsafe import csv_cell
from ibdquiz.report.estimate import proportion
from ibdquiz.report.fellow import summarize_export
from ibdquiz.report.reader import read_exports
from ibdquiz.report.render_csv import write_items_csv, write_report_csv
from ibdquiz.report.render_html import render_html
from tests.helpers_report import card_entries, export_doc, make_export, review, study_in_store
from tests.helpers_report import write_export as write

CARD = "tacrolimus-refractory-crohns/mayo-2013/surgery/choice"
NOW = datetime(2025, 12, 1, tzinfo=timezone.utc)
CET = timezone(timedelta(hours=1))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with one good export."""
    path = tmp_path / "exports"
    path.mkdir()
    write(path / "good.json", make_export("good", "Dr Good", n_reviews=60, seed=1))
    return path


def _report(folder: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ibdquiz", "report", str(folder), "-o", str(tmp_path / "r.html")],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def _one_warning(result: subprocess.CompletedProcess[str], name: str) -> str:
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("ibdquiz: warning")]
    assert len(lines) == 1 and name in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(("where", "value", "says"), [
    ("reviewed_at", "0001-01-01T00:00:00+01:00", "outside the years"),
    ("reviewed_at", "2025-01-06T19:00:00+01:00garbage", "not an ISO 8601 timestamp"),
    ("reviewed_at", "2025-01-06T19:61:00+01:00", "not an ISO 8601 timestamp"),
    ("reviewed_at", "2025-02-30T19:00:00+01:00", "not a valid date"),
    ("exported_at", "9999-12-31T23:59:59-23:59", "outside the years"),
    ("cards", "1" + "0" * 400, "out of range"),
    ("learner", "x" * 70_000, "size limit"),
    ("flagged_at", "2025-01-06T19:00:00+01:00 and more", "not an ISO 8601 timestamp"),
])
def test_one_bad_export_is_one_line_and_the_report_is_still_built(
    folder: Path, tmp_path: Path, where: str, value: str, says: str
) -> None:
    doc = make_export("bad", "Dr Bad", n_reviews=20, seed=2)
    if where == "reviewed_at":
        doc["reviews"][5]["reviewed_at"] = value
    elif where == "cards":
        doc["decks"][0]["cards"] = int(value)
    elif where == "flagged_at":
        doc["flags"] = [{"card_id": CARD, "reason": "", "flagged_at": value}]
    else:
        doc[where] = value
    write(folder / "bad.json", doc)
    line = _one_warning(_report(folder, tmp_path), "bad.json")
    assert says in line and len(line) < 600
    assert "Dr Good" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_a_timestamp_is_checked_whole_even_when_its_hour_was_seen(folder: Path) -> None:
    # the reader caches study days by the hour: the second answer of that hour is still checked
    reviews = [review(CARD, "2025-01-06T19:00:00+01:00", "new", True),
               review(CARD, "2025-01-06T19:05:00+01:00; DROP", "review", True)]
    write(folder / "bad.json", export_doc(learner_id="bad", learner="B", reviews=reviews))
    outcome = read_exports([folder])
    assert [f.learner_id for f in outcome.fellows] == ["good"]
    assert len(outcome.problems) == 1 and "review 2: reviewed_at" in outcome.problems[0]


def test_a_file_over_the_size_limit_is_skipped_before_reading(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(folder / "big.json", make_export("big", "Dr Big", n_reviews=400, seed=3))
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 10_000)
    outcome = read_exports([folder])
    assert outcome.fellows == [] or all(f.learner_id != "big" for f in outcome.fellows)
    assert any("big.json" in p and "MiB limit" in p for p in outcome.problems)


@pytest.mark.slow
def test_a_200_mb_name_does_not_blow_memory(folder: Path, tmp_path: Path) -> None:
    doc = make_export("huge", "NAME", n_reviews=20, seed=4)
    text = json.dumps(doc)
    with (folder / "huge.json").open("w", encoding="utf-8") as handle:
        head, tail = text.split('"NAME"', 1)
        handle.write(head + '"')
        chunk = "A" * (1 << 20)
        for _ in range(200):
            handle.write(chunk)
        handle.write('"' + tail)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = _report(folder, tmp_path)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    line = _one_warning(result, "huge.json")
    assert "size limit" in line
    # the file (200 MB) is read once and refused before the long text is decoded
    assert peak_mb < 400 or before / 1024 >= 400, f"peak {peak_mb:.0f} MB"


def test_csv_cells_that_would_run_as_formulas_are_neutralised() -> None:
    for text in ("=HYPERLINK(\"http://x\",\"y\")", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(text) == "'" + text
    for text in ("-3", "+2.5", "-0.5%", "1e5", "plain", "", "a=b"):
        assert csv_cell(text) == text
    assert csv_cell(-3) == -3


def test_export_csv_is_neutralised_and_the_json_export_stays_exact(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    name = '=HYPERLINK("http://evil.example","click")'
    study_in_store(db, name=name, days=[datetime(2025, 3, 3, 19, tzinfo=CET)], per_day=3)
    run = [sys.executable, "-m", "ibdquiz", "--db", str(db), "export"]
    out = subprocess.run([*run, "--format", "csv"], capture_output=True, text=True,
                         encoding="utf-8", timeout=60)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and all(r["learner"] == "'" + name for r in rows)
    doc = json.loads(subprocess.run(run, capture_output=True, text=True, encoding="utf-8",
                                    timeout=60).stdout)
    assert doc["learner"] == name  # the record itself is never altered


def test_report_and_item_csvs_are_neutralised() -> None:
    cards = card_entries()
    cards[0]["prompt"] = "@risky prompt"
    doc = make_export("e1", "=cmd|' /C calc'!A0", n_reviews=80, seed=5, cards=cards)
    cohort = build_cohort([summarize_export(doc, Path("e.json"))], generated_at=NOW)
    out = io.StringIO()
    write_report_csv(cohort, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows and all(r["learner"] == "'=cmd|' /C calc'!A0" for r in rows)
    out = io.StringIO()
    write_items_csv([i for i in cohort.items], out)  # type: ignore[misc]
    items = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert any(r["prompt"] == "'@risky prompt" for r in items)
    assert not any(v.startswith(("=", "+", "@")) for r in items for v in r.values())


def test_undone_answers_count_as_first_attempts() -> None:
    reviews = [review(CARD, "2025-01-06T19:00:00+01:00", "new", False),
               review(CARD, "2025-01-06T19:00:30+01:00", "new", True)]
    reviews[0]["undone_at"] = "2025-01-06T19:00:20+01:00"
    fellow = summarize_export(export_doc(learner_id="u", learner="U", reviews=reviews),
                              Path("u.json"))
    assert (fellow.by_card[CARD].n, fellow.by_card[CARD].correct) == (1, 0)
    assert fellow.first[CARD].correct is False and fellow.undone == 1


def test_the_trend_is_on_a_calendar_axis_with_gaps() -> None:
    monday = 20090  # 2025-01-06
    est = proportion({"f1": [10, 7], "f2": [10, 6]})
    weeks = [WeekPoint(monday + 7 * k, est, 2) for k in (0, 1, 5)]
    chart = trend(weeks)
    assert len(chart.lines) == 2 and len(chart.gaps) == 1  # the three empty weeks stay empty
    xs = [p.x for p in chart.points]
    assert xs[2] - xs[1] == pytest.approx(4 * (xs[1] - xs[0]), abs=0.2)


def test_a_study_name_shared_by_two_decks_shows_its_deck() -> None:
    cards = card_entries()
    for card in cards:
        if card["deck"] == "tacrolimus-other-studies":
            card["label"] = "Mayo Clinic series, 2013"
    doc = make_export("d1", "Dr D", n_reviews=120, seed=6, cards=cards)
    cohort = build_cohort([summarize_export(doc, Path("d.json"))], generated_at=NOW)
    shared = [r for r in cohort.sources if r.title == "Mayo Clinic series, 2013"]
    assert len(shared) > 1 and all(r.show_deck for r in shared)
    page = render_html(cohort)
    assert "· deck tacrolimus-other-studies" in page
    assert "· deck tacrolimus-refractory-crohns" in page


def test_version_1_and_version_2_exports_are_both_read(folder: Path) -> None:
    v2 = make_export("two", "Dr Two", n_reviews=30, seed=7)
    v2["version"] = 2
    v2["reviews"][0].update(undone_at=None, card_hash="ab" * 32, response_index=None,
                            correct_index=None)
    write(folder / "v2.json", v2)
    outcome = read_exports([folder])
    assert outcome.problems == [] and {f.learner_id for f in outcome.fellows} == {"good", "two"}
