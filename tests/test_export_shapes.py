"""`ibdquiz export`: the JSON and CSV shapes of docs/rules.md, from a real store, via the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.helpers_cli import invoke
from tests.helpers_report import study_in_store

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))
DAYS = [datetime(2025, 3, 28, 19, 0, tzinfo=CET), datetime(2025, 3, 31, 8, 30, tzinfo=CEST)]
HEADER = ("learner,profile,reviewed_at,deck,source,fact,card_id,kind,quality,correct,response,"
          "duration_ms,easiness,interval_days,due,citation,tags,phase,prompt")
REVIEW_KEYS = {"card_id", "reviewed_at", "phase", "quality", "correct", "response", "options",
               "duration_ms", "easiness", "interval_days", "due",
               # version 2: undo marks, the item version answered, which option was chosen
               "undone_at", "card_hash", "response_index", "correct_index"}
CARD_KEYS = {"card_id", "deck", "source", "fact", "kind", "prompt", "answer", "citation", "tags",
             "repetitions", "easiness", "interval_days", "due", "lapses", "leech", "suspended",
             "via", "content_hash"}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def ibdquiz(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real CLI (in-process)."""
    return invoke(*args)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with answers on two days (winter, then summer time) and a flag."""
    path = tmp_path_factory.mktemp("store") / "fellow.db"
    study_in_store(path, name="Dr Émilie Ünal", days=DAYS, per_day=8, flag="wording unclear")
    return path


def _rows(db: Path, where: str = "") -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT phase, study_day FROM reviews {where} ORDER BY id").fetchall()


def test_json_export_shape(db: Path) -> None:
    result = ibdquiz("--db", str(db), "export")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "ibdquiz-export" and doc["version"] == 2
    assert doc["learner"] == "Dr Émilie Ünal" and doc["profile"] == "default"
    assert re.fullmatch(r"[0-9a-f-]{36}", doc["learner_id"])
    assert ISO.match(doc["exported_at"]) and doc["ibdquiz_version"]
    assert [d["id"] for d in doc["decks"]] == ["tacrolimus-refractory-crohns"]
    assert set(doc["decks"][0]) == {"id", "title", "content_hash", "cards"}
    assert doc["decks"][0]["cards"] == len(doc["cards"])
    assert all(set(card) >= CARD_KEYS for card in doc["cards"])
    rows = _rows(db)
    assert len(doc["reviews"]) == len(rows)  # one entry per answer, every phase
    for entry, (phase, _day) in zip(doc["reviews"], rows, strict=True):
        assert set(entry) == REVIEW_KEYS
        assert entry["phase"] == phase
        assert isinstance(entry["correct"], bool) and isinstance(entry["quality"], int)
        assert ISO.match(entry["reviewed_at"])
        assert isinstance(entry["options"], list) and isinstance(entry["duration_ms"], int)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", entry["due"])
    assert {"new", "redrill"} <= {r["phase"] for r in doc["reviews"]}
    offsets = {r["reviewed_at"][-6:] for r in doc["reviews"]}
    assert offsets == {"+01:00", "+02:00"}  # the offset in force at each answer
    assert all(r["undone_at"] is None for r in doc["reviews"])
    assert all(isinstance(r["card_hash"], str) for r in doc["reviews"])
    assert all(set(f) == {"card_id", "reason", "flagged_at", "options", "context", "card_hash"}
               for f in doc["flags"])
    flags = [(f["card_id"].count("/"), f["reason"]) for f in doc["flags"]]
    assert flags == [(3, "wording unclear")]
    assert doc["summary"]["reviews"] == len(rows)


def test_csv_export_shape(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    result = ibdquiz("--db", str(db), "export", "--output", str(out))  # format from extension
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text.splitlines()[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(_rows(db))
    for row in rows:
        assert row["learner"] == "Dr Émilie Ünal" and row["profile"] == "default"
        assert row["correct"] in {"0", "1"}
        assert (row["correct"] == "1") == (int(row["quality"]) >= 3)
        assert ISO.match(row["reviewed_at"]) and re.fullmatch(r"\d{4}-\d\d-\d\d", row["due"])
        assert row["card_id"] == "/".join((row["deck"], row["source"], row["fact"], row["kind"]))
        assert ";" in row["tags"] and row["citation"] and row["prompt"]
        assert row["phase"] in {"new", "review", "redrill", "practice"}
        float(row["easiness"]), int(row["interval_days"]), int(row["duration_ms"])
        if row["kind"] == "recall":
            assert row["response"] == ""
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed into place


def test_since_keeps_answers_from_that_study_day_on(db: Path) -> None:
    result = ibdquiz("--db", str(db), "export", "--since", "2025-03-31")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    second_day = _rows(db, "WHERE study_day >= 20178")  # 2025-03-31
    assert 0 < len(doc["reviews"]) == len(second_day) < len(_rows(db))
    assert all(r["reviewed_at"].startswith("2025-03-31") for r in doc["reviews"])
    assert doc["summary"]["since"] == "2025-03-31"
    csv_out = ibdquiz("--db", str(db), "export", "--format", "csv", "--since", "2025-03-28")
    assert len(csv_out.stdout.splitlines()) == 1 + len(_rows(db))


def test_bad_since_is_a_usage_error(db: Path) -> None:
    result = ibdquiz("--db", str(db), "export", "--since", "31/03/2025")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_missing_database_gives_an_empty_export_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "never.db"
    result = ibdquiz("--db", str(missing), "export")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "ibdquiz-export" and doc["reviews"] == [] and doc["cards"] == []
    assert not missing.exists() and list(tmp_path.iterdir()) == []
    assert "warning" in result.stderr
    csv_out = ibdquiz("--db", str(missing), "export", "--format", "csv")
    assert csv_out.stdout.splitlines() == [HEADER]


def test_export_warns_without_a_display_name(tmp_path: Path) -> None:
    path = tmp_path / "anon.db"
    study_in_store(path, name=None, days=DAYS[:1], per_day=2)
    result = ibdquiz("--db", str(path), "export", "--format", "json")
    assert result.returncode == 0
    assert "ibdquiz profile --name" in result.stderr
    assert json.loads(result.stdout)["learner"] is None


def test_export_into_a_missing_folder_is_one_line(db: Path, tmp_path: Path) -> None:
    result = ibdquiz("--db", str(db), "export", "--output", str(tmp_path / "no" / "x.json"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_export_file_gets_ordinary_permissions(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "fellow.json"
    assert ibdquiz("--db", str(db), "export", "--output", str(out)).returncode == 0
    assert out.stat().st_mode & 0o044 == 0o044  # readable by others, like any file we write
