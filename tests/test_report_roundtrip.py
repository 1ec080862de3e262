"""Export → report, end to end: real stores, `ibdquiz export` and `ibdquiz report` subprocesses."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.helpers_cli import invoke
from tests.helpers_report import study_in_store

CET = timezone(timedelta(hours=1))
FELLOWS = (  # name, wrong every n-th answer, days studied
    ("Dr Ada <Lovelace>", 2, 3),
    ("Dr Bob", 4, 2),
    ("Dr Cy", 3, 1),
)


def ibdquiz(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real CLI (in-process)."""
    return invoke(*args)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of JSON exports of three fellows, plus one who never studied."""
    root = tmp_path_factory.mktemp("cohort")
    folder = root / "exports"
    folder.mkdir()
    for i, (name, wrong_every, days) in enumerate(FELLOWS):
        db = root / f"f{i}.db"
        start = datetime(2025, 1, 6, 19, 0, tzinfo=CET)
        study_in_store(db, name=name, days=[start + timedelta(days=d) for d in range(days)],
                       per_day=6, wrong_every=wrong_every,
                       flag="the answer is off by one" if i == 0 else None)
        result = ibdquiz("--db", str(db), "export", "--output", str(folder / f"f{i}.json"))
        assert result.returncode == 0, result.stderr
    idle = ibdquiz("--db", str(root / "nobody.db"), "export", "--output",
                   str(folder / "idle.json"))
    assert idle.returncode == 0, idle.stderr
    return folder


def test_html_report_of_several_fellows(exports: Path, tmp_path: Path) -> None:
    out = tmp_path / "cohort.html"
    result = ibdquiz("report", str(exports), "--output", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "Dr Ada &lt;Lovelace&gt;" in page and "Dr Bob" in page and "Dr Cy" in page
    assert "the answer is off by one" in page
    assert page.count('<section class="fellow">') == 3
    assert "Mayo Clinic series, 2013" in page
    no_answers = page.split("<h2>Fellows with no answers</h2>")[1].split("<h2>")[0]
    assert "idle.json" in no_answers


def test_counts_in_the_report_match_each_export(exports: Path) -> None:
    result = ibdquiz("report", str(exports), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for i in range(len(FELLOWS)):
        doc = json.loads((exports / f"f{i}.json").read_text(encoding="utf-8"))
        mine = [r for r in rows if r["learner_id"] == doc["learner_id"]]
        assert sum(int(r["answers"]) for r in mine) == doc["summary"]["counted_answers"] > 0
        assert sum(int(r["correct"]) for r in mine) == doc["summary"]["counted_correct"]


def test_text_report_on_the_terminal_by_default(exports: Path) -> None:
    result = ibdquiz("report", str(exports))
    assert result.returncode == 0, result.stderr
    assert "Fellows" in result.stdout and "Dr Bob" in result.stdout
    assert "<html" not in result.stdout


def test_bad_files_are_named_and_the_report_is_still_built(exports: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "r.html"
    result = ibdquiz("report", str(exports), str(bad), str(tmp_path / "gone.json"),
                     "--output", str(out))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert any(str(bad) in line and "is not JSON" in line for line in lines)
    assert any("gone.json" in line for line in lines)
    assert out.exists() and "bad.json" in out.read_text(encoding="utf-8")


def test_no_readable_input_exits_1_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    result = ibdquiz("report", str(bad), "--output", str(tmp_path / "r.html"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("ibdquiz: error: no export could be read")
    assert not (tmp_path / "r.html").exists()


def test_report_and_export_do_not_import_textual(exports: Path) -> None:
    code = (
        "import sys\n"
        "from ibdquiz.cli import cli\n"
        f"try:\n    cli(['report', {str(exports)!r}, '--format', 'csv'])\n"
        "except SystemExit:\n    pass\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_output_extension_picks_the_format(exports: Path, tmp_path: Path) -> None:
    for name, check in (("r.csv", "learner_id,learner,profile,deck,source"),
                        ("r.txt", "Results by study"), ("r.html", "<!DOCTYPE html>")):
        result = ibdquiz("report", str(exports), "--output", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        assert check in (tmp_path / name).read_text(encoding="utf-8")
