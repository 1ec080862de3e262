"""Bad exports: each is named in one line and skipped; the report is built from the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ibdquiz.report.reader import read_exports
from tests.helpers_report import export_doc, make_export, review, write_export

CARD = "tacrolimus-refractory-crohns/mayo-2013/surgery/choice"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A folder with one good export."""
    folder = tmp_path / "exports"
    folder.mkdir()
    write_export(folder / "good.json", make_export("good", "Dr Good", n_reviews=200, seed=1))
    return folder


def _only_problem(folder: Path, name: str) -> str:
    outcome = read_exports([folder])
    assert [f.learner_id for f in outcome.fellows] == ["good"]
    assert len(outcome.problems) == 1, outcome.problems
    assert outcome.problems[0].startswith(str(folder / name) + ": ")
    return outcome.problems[0]


def test_a_file_that_is_not_json(good: Path) -> None:
    (good / "notes.json").write_text("Dear director, here are my results", encoding="utf-8")
    assert "is not JSON" in _only_problem(good, "notes.json")


def test_a_file_that_is_not_utf8(good: Path) -> None:
    (good / "binary.json").write_bytes(b"\xff\xfe\x00{")
    assert "is not JSON" in _only_problem(good, "binary.json")


def test_an_unknown_format(good: Path) -> None:
    (good / "anki.json").write_text(json.dumps({"format": "anki-export", "version": 1}))
    assert "is not an ibdquiz export" in _only_problem(good, "anki.json")


def test_an_unknown_version(good: Path) -> None:
    doc = make_export("newer", "Dr New", n_reviews=10, seed=2)
    doc["version"] = 3
    write_export(good / "v3.json", doc)
    problem = _only_problem(good, "v3.json")
    assert "version 3" in problem and "update ibdquiz" in problem


def test_a_truncated_export(good: Path) -> None:
    text = json.dumps(make_export("cut", "Dr Cut", n_reviews=100, seed=3))
    (good / "cut.json").write_text(text[: len(text) // 2], encoding="utf-8")
    assert "is truncated" in _only_problem(good, "cut.json")


def test_an_empty_file(good: Path) -> None:
    (good / "empty.json").write_text("")
    assert "is empty" in _only_problem(good, "empty.json")


def test_a_malformed_review(good: Path) -> None:
    doc = export_doc(learner_id="odd", learner="Dr Odd",
                     reviews=[review(CARD, "2025-01-06T19:00:00+01:00", "new", True)])
    doc["reviews"][0]["correct"] = "yes"
    write_export(good / "odd.json", doc)
    problem = _only_problem(good, "odd.json")
    assert "does not have the shape" in problem and "$.reviews[0].correct" in problem


def test_a_review_time_without_offset(good: Path) -> None:
    doc = export_doc(learner_id="tz", learner="Dr Tz",
                     reviews=[review(CARD, "2025-01-06T19:00:00", "new", True)])
    write_export(good / "tz.json", doc)
    assert "no UTC offset" in _only_problem(good, "tz.json")


def test_the_same_learner_twice_keeps_the_newest_export(good: Path) -> None:
    old = make_export("good", "Dr Good", n_reviews=50, seed=4,
                      exported_at="2025-01-01T10:00:00+01:00")
    write_export(good / "zz-old.json", old)  # read after good.json (exported 2025-06-01)
    problem = _only_problem(good, "zz-old.json")
    assert "same learner" in problem and str(good / "good.json") in problem
    outcome = read_exports([good])
    assert outcome.fellows[0].path.name == "good.json"
    assert outcome.fellows[0].all_answers == 200


def test_a_newer_second_file_replaces_the_first(good: Path) -> None:
    newer = make_export("good", "Dr Good", n_reviews=60, seed=5,
                        exported_at="2025-07-01T10:00:00+02:00")
    write_export(good / "zz-new.json", newer)
    problem = _only_problem(good, "good.json")
    assert "kept the newer export" in problem
    assert read_exports([good]).fellows[0].all_answers == 60


def test_missing_paths_and_empty_folders_are_named(tmp_path: Path, good: Path) -> None:
    (tmp_path / "empty").mkdir()
    outcome = read_exports([good, tmp_path / "missing.json", tmp_path / "empty"])
    assert len(outcome.fellows) == 1
    assert outcome.problems == [
        f"{tmp_path / 'missing.json'}: no such file or folder",
        f"{tmp_path / 'empty'}: folder holds no .json export files",
    ]


def test_an_empty_export_without_learner_id_is_a_fellow_with_no_answers(good: Path) -> None:
    doc = export_doc(learner_id="x", learner=None, reviews=[], cards=[])
    doc["learner_id"] = None
    write_export(good / "new-fellow.json", doc)
    outcome = read_exports([good])
    assert outcome.problems == []
    idle = [f for f in outcome.fellows if f.all_answers == 0]
    assert len(idle) == 1 and idle[0].path.name == "new-fellow.json"


def test_a_process_pool_reads_the_same_as_one_process(tmp_path: Path) -> None:
    for i in range(8):
        doc = make_export(f"id{i}", f"Dr {i}", n_reviews=50, seed=i)
        write_export(tmp_path / f"f{i}.json", doc)
    (tmp_path / "bad.json").write_text("[1, 2", encoding="utf-8")
    serial, pooled = read_exports([tmp_path]), read_exports([tmp_path], workers=2)
    assert pooled.problems == serial.problems and len(serial.problems) == 1
    assert [(f.learner_id, f.total, f.by_card) for f in pooled.fellows] == [
        (f.learner_id, f.total, f.by_card) for f in serial.fellows
    ]


def test_an_unknown_phase(good: Path) -> None:
    doc = export_doc(learner_id="ph", learner="Dr Ph",
                     reviews=[review(CARD, "2025-01-06T19:00:00+01:00", "cram", True)])
    write_export(good / "phase.json", doc)
    assert "unknown phase 'cram'" in _only_problem(good, "phase.json")


def test_a_json_array_is_not_an_export(good: Path) -> None:
    (good / "list.json").write_text("[1, 2, 3]", encoding="utf-8")
    assert "is not an ibdquiz export" in _only_problem(good, "list.json")
