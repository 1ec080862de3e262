"""The 402 documents of the YAML test suite: none is a deck; each gives an error, never a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ibdquiz.core.deckload import load_deck

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO.parent / "shared" / "yaml-test-suite"


def suite_files() -> list[Path]:
    """Every ``in.yaml`` of the suite (top level and numbered sub-cases), in a stable order."""
    if not SUITE.is_dir():
        return []
    return sorted([*SUITE.glob("*/in.yaml"), *SUITE.glob("*/*/in.yaml")])


FILES = suite_files()
needs_suite = pytest.mark.skipif(not FILES, reason=f"YAML test suite not found at {SUITE}")


@needs_suite
def test_suite_is_complete() -> None:
    assert len(FILES) == 402


@needs_suite
def test_every_suite_document_gives_an_error_with_a_position() -> None:
    failures = []
    for path in FILES:
        result = load_deck(path)
        if result.deck is not None or not result.errors:
            failures.append(f"{path}: no error")
        elif any(d.line < 1 or d.col < 1 for d in result.diagnostics):
            failures.append(f"{path}: {result.diagnostics}")
    assert failures == []


@needs_suite
def test_validate_over_the_whole_suite_exits_1_without_a_traceback() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ibdquiz", "validate", *map(str, FILES)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    reported = {line.split(":", 1)[0] for line in run.stdout.splitlines()}
    assert reported == {str(path) for path in FILES}
    assert "402 files checked" in run.stderr
