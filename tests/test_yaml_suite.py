"""The 402 documents of the YAML test suite: none is a deck; each gives an error, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ibdquiz.core.deckload import load_deck
from tests.helpers_cli import invoke

SUITE = Path(__file__).resolve().parent / "data" / "yaml-test-suite.json"
"""Each case's ``in.yaml``, by case folder (``229Q``, ``2G84/00``...): a copy kept in the repo."""


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The suite's documents as files (``<case>/in.yaml``), in a stable order."""
    root = tmp_path_factory.mktemp("yaml-test-suite")
    files = []
    for case, text in sorted(json.loads(SUITE.read_text(encoding="utf-8"))["cases"].items()):
        path = root / case / "in.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        files.append(path)
    return files


def test_suite_is_complete(suite: list[Path]) -> None:
    assert len(suite) == 402


def test_every_suite_document_gives_an_error_with_a_position(suite: list[Path]) -> None:
    failures = []
    for path in suite:
        result = load_deck(path)
        if result.deck is not None or not result.errors:
            failures.append(f"{path}: no error")
        elif any(d.line < 1 or d.col < 1 for d in result.diagnostics):
            failures.append(f"{path}: {result.diagnostics}")
    assert failures == []


def test_validate_over_the_whole_suite_exits_1_without_a_traceback(suite: list[Path]) -> None:
    run = invoke("validate", *map(str, suite))
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    reported = {line.split(":", 1)[0] for line in run.stdout.splitlines()}
    assert reported == {str(path) for path in suite}
    assert "402 files checked" in run.stderr
