"""A director's path through the real CLI: template → validate → preview → add-deck → report."""

from __future__ import annotations

from pathlib import Path

from tests.helpers_report import make_export, write_export
from tests.test_cli_decks import ibdquiz

# Facts of the seed article (Mayo Clinic series and the IBD 2008 reference), nothing else.
DECK = """\
deck: tacro-mayo
title: "Tacrolimus in refractory Crohn's: the Mayo series"
sources:
  - id: mayo-2013
    citation: "Inflamm Bowel Dis 2013; 19: 1107-11"
    label: Mayo Clinic series, 2013
    facts:
      - id: response
        ask: What share of patients responded to tacrolimus?
        answer: 67%
        explain: 67% responded to tacrolimus.
  - id: ibd-2008
    citation: "IBD 2008; 14: 7-12"
    facts:
      - id: crohns-response
        ask: How many patients with Crohn's disease responded to tacrolimus?
        answer: 7/15
        explain: Some achieved a response.
"""


def test_template_explains_each_rule_where_it_is_needed(tmp_path: Path) -> None:
    target = tmp_path / "my-deck.yaml"
    assert ibdquiz("new-deck", str(target)).returncode == 0
    text = target.read_text(encoding="utf-8")
    for rule in ("yaml-language-server", "Indent with spaces", "starts a new item",
                 "double quotes", "tolerance:", "kind: text", "cloze:", "choices", "Ids"):
        assert rule in text, rule
    assert ibdquiz("validate", "--strict", str(target)).returncode == 0


def test_add_deck_then_replace_says_which_and_how_to_study(tmp_path: Path) -> None:
    deck = tmp_path / "tacro-mayo.yaml"
    deck.write_text(DECK, encoding="utf-8")
    first = ibdquiz("add-deck", str(deck))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("added deck 'tacro-mayo' (2 facts)")
    assert "ibdquiz study tacro-mayo" in first.stdout
    refused = ibdquiz("add-deck", str(deck))
    assert refused.returncode == 1 and "--replace" in refused.stderr
    again = ibdquiz("add-deck", "--replace", str(deck))
    assert again.returncode == 0 and again.stdout.startswith("replaced deck 'tacro-mayo'")
    listed = ibdquiz("decks")
    assert any(line.startswith("tacro-mayo ") and " user " in line
               for line in listed.stdout.splitlines())


def test_preview_names_an_unlabelled_source_once(tmp_path: Path) -> None:
    deck = tmp_path / "tacro-mayo.yaml"
    deck.write_text(DECK, encoding="utf-8")
    run = ibdquiz("preview", str(deck))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert sum("IBD 2008; 14: 7-12" in line for line in lines) == 1
    # a labelled source still shows its citation under the label
    assert any(line.startswith("Inflamm Bowel Dis 2013; 19: 1107-11") for line in lines)


def test_stats_notes_fit_on_one_line_each(tmp_path: Path) -> None:
    run = ibdquiz("--db", str(tmp_path / "none.db"), "stats")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()  # "due" is today's queue; the rest is held back (issue 10)
    assert any(line.startswith("due: today's queue (one card per fact, within the daily review")
               for line in lines)
    assert any(line.startswith("held back: 0 more due cards · leech: 8+ lapses · susp.:")
               for line in lines)
    # the bundled deck, never opened: its cards are counted as new, and the note says so
    assert "* not opened in ibdquiz yet: every card counted as new; run ibdquiz to start" in [
        line.strip() for line in run.stdout.splitlines()]
    assert not (tmp_path / "none.db").exists()


def test_report_on_one_fellow_says_fellow(tmp_path: Path) -> None:
    export = write_export(tmp_path / "a.json", make_export("a", "Dr A", n_reviews=40, seed=1))
    out = tmp_path / "cohort.html"
    run = ibdquiz("report", str(export), "--output", str(out))
    assert run.returncode == 0, run.stderr
    assert "wrote the report on 1 fellow to" in run.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
