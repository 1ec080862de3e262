"""Issue 15 item 1: every line-level YAML trap of a file in one run, warnings beside them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ibdquiz.cli import cli
from ibdquiz.core.model import Severity
from ibdquiz.core.yamlnodes import scan_traps
from tests.test_loader import GOOD, load

THREE_COLONS = """\
deck: t
title: Tacrolimus: the Mayo series
sources:
  - id: fellows-1999
    citation: IBD 1999; 5: 239
    facts:
      - id: surgery
        ask: What share of patients needed surgery
        answer: 54%
        explain: Take-home: tacrolimus does not look promising.
      - id: agent
        ask: Which drug was studied?
        answer: tacrolimus
        choices: [ciclosporin, infliximab, methotrexate]
"""


def test_three_unquoted_colons_give_three_errors_and_the_warnings_in_one_run() -> None:
    result = load(THREE_COLONS)
    assert result.deck is None
    assert [(d.line, d.col) for d in result.errors] == [(2, 18), (5, 26), (10, 27)]
    assert all("': '" in d.message and "quotes" in d.message for d in result.errors)
    assert 'e.g. citation: "IBD 1999; 5: 239"' in result.errors[1].message
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    # the question without '?', and the text answer without an explanation, come with the errors
    found = {(d.line, "question mark" in d.message, "explain" in d.message) for d in warnings}
    assert (7, True, False) in found and (11, False, True) in found


def test_validate_prints_them_all_with_the_count(tmp_path: Path) -> None:
    deck = tmp_path / "t.yaml"
    deck.write_text(THREE_COLONS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(deck)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert sum(": error: " in line for line in lines) == 3
    warned = sum(": warning: " in line for line in lines)
    assert warned >= 2
    assert f"3 errors, {warned} warnings" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("        ask: What share", "        ask: \"What\" share", "starts with a quote"),
        ('"Patients with trough levels of 10 to 15 ng/mL had a remission rate of {{57%}}."',
         "{{57%}} had a remission with trough levels of 10 to 15 ng/mL.", "'{{'"),
        ("        answer: 54%", "        answer: @54%", "cannot start with '@'"),
        ("title: Test deck", "title: Test deck:", "':' ending"),
    ],
)
def test_each_kind_of_line_trap_is_found_beside_a_colon_trap(
    old: str, new: str, words: str
) -> None:
    text = GOOD.replace(old, new, 1).replace(
        "explain: Over half still needed surgery.", "explain: Over half: still surgery.")
    assert text.count("\n") == GOOD.count("\n")
    result = load(text)
    assert len(result.errors) == 2, [str(d) for d in result.diagnostics]
    assert any(words in d.message for d in result.errors), [str(d) for d in result.errors]
    assert any("': '" in d.message for d in result.errors)


def test_a_trap_and_a_field_error_are_both_reported() -> None:
    text = GOOD.replace("title: Test deck", "title: Test: deck").replace(
        "answer: 54%", "answer: 54%\n        tolerance: lots")
    result = load(text)
    assert len(result.errors) == 2, [str(d) for d in result.diagnostics]
    assert result.errors[0].line == 2 and "tolerance" in result.errors[1].message


def test_a_dropped_fact_holds_back_the_distractor_warning() -> None:
    # without the broken fact the pool is smaller; that warning waits for a complete deck
    text = GOOD.replace("        answer: 8/24 (33%)", "        answer: 8/24 (40%)")
    result = load(text)
    assert result.errors and not any("distractors" in d.message for d in result.diagnostics)


def test_text_in_block_scalars_flow_lists_and_quotes_is_left_alone() -> None:
    lines = [
        "explain: >-",
        "  Take-home: folded text may hold colons",
        "choices: [a: b, c]",
        'ask: "Quoted: fine" # comment: here',
        "note: 'it''s: fine'",
        "long: \"starts here",
        "  key: inside the quotes\"",
        "url: https://example.org/a",
        "plain: text #with one-space hash: is a comment",
    ]
    traps, repaired = scan_traps(lines)
    assert traps == [] and repaired == lines


def test_a_multi_line_plain_text_is_quoted_whole_in_the_repair() -> None:
    lines = ["a:", "  b: first line", "    the second: line", "  c: d"]
    traps, repaired = scan_traps(lines)
    assert [(t.line, t.col) for t in traps] == [(3, 15)]
    assert repaired == ["a:", '  b: "first line', '    the second: line"', "  c: d"]
