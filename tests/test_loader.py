"""Deck loading and validation (docs/deck-format.md): a test per class of defect, with line:col."""

from __future__ import annotations

import hashlib
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from ibdquiz.core import deckload
from ibdquiz.core.card import CardKind
from ibdquiz.core.cards import cards_for_deck
from ibdquiz.core.deckload import load_deck, load_deck_bytes, load_deck_text
from ibdquiz.core.model import AnswerKind, Diagnostic, LoadResult, Severity
from ibdquiz.core.problems import MAX_DIAGNOSTICS
from ibdquiz.core.yamlnodes import MAX_BYTES

HEAD = """\
deck: t
title: Test deck
sources:
  - id: mayo-2013
    citation: Inflamm Bowel Dis 2013; 19:1107-11
    facts:
"""


def deck_with_facts(facts: str) -> str:
    """A deck whose only source holds ``facts`` (YAML list items, written at column 1)."""
    return HEAD + textwrap.indent(textwrap.dedent(facts), " " * 6)


def load(text: str, name: str = "t.yaml") -> LoadResult:
    return load_deck_text(textwrap.dedent(text) if text.startswith("\n") else text, name)


def the_error(result: LoadResult) -> Diagnostic:
    """The one error of a result (fails the test if there are several or none)."""
    assert result.deck is None
    assert len(result.errors) == 1, [str(d) for d in result.diagnostics]
    return result.errors[0]


def assert_error(result: LoadResult, line: int, col: int, *words: str) -> None:
    error = the_error(result)
    assert (error.line, error.col) == (line, col), str(error)
    for word in words:
        assert word in error.message, str(error)


# ---- what a good deck gives --------------------------------------------------------------------

GOOD = deck_with_facts("""\
    - id: surgery
      ask: What share of patients required surgery within a median of 10 months?
      answer: 54%
      explain: Over half still needed surgery.
      tags: [outcomes, crohns]
    - id: dose-reduction
      ask: How many patients needed a dose reduction because of adverse events?
      answer: 8/24 (33%)
    - id: remission-trough
      cloze: "Patients with trough levels of 10 to 15 ng/mL had a remission rate of {{57%}}."
    """)
NO_EXPLAIN = "has no 'explain'"  # GOOD leaves two explanations out (a warning, issue 9)


def test_good_deck_loads_into_the_model() -> None:
    result = load(GOOD)
    assert [d for d in result.diagnostics if NO_EXPLAIN not in d.message] == []
    assert result.deck is not None
    deck = result.deck
    assert (deck.id, deck.title, deck.format) == ("t", "Test deck", 1)
    source = deck.sources[0]
    assert source.label == "Inflamm Bowel Dis 2013; 19:1107-11"  # label defaults to the citation
    assert (source.line, source.col) == (4, 5)
    surgery, dose, cloze = source.facts
    assert surgery.answer.kind is AnswerKind.PERCENT and surgery.answer.value == Decimal(54)
    assert (surgery.line, surgery.col) == (7, 9)
    assert dose.answer.kind is AnswerKind.FRACTION and dose.answer.denominator == 24
    assert cloze.ask == (
        "Patients with trough levels of 10 to 15 ng/mL had a remission rate of _____."
    )
    assert cloze.answer.text == "57%"
    assert cloze.cloze is not None and "{{57%}}" in cloze.cloze


def test_content_hash_is_sha256_of_the_file_bytes_and_path_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(GOOD, encoding="utf-8")
    result = load_deck(path)
    assert result.deck is not None
    assert result.deck.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.deck.path == path


def test_scalars_stay_the_text_written() -> None:
    result = load(deck_with_facts("""\
        - id: yes-no
          ask: Which word is written here?
          answer: no
          explain: on
        - id: decimal
          ask: Which number is written here?
          answer: 1.10
        - id: date-like
          ask: Which date is written here?
          answer: 2013-01-01
        """))
    assert result.errors == []
    assert result.deck is not None
    facts = result.deck.sources[0].facts
    assert facts[0].answer.text == "no" and facts[0].explain == "on"
    assert facts[1].answer.text == "1.10" and facts[1].answer.value == Decimal("1.10")
    assert facts[2].answer.text == "2013-01-01"


def test_tags_inherit_deck_source_fact_merged_without_duplicates() -> None:
    text = GOOD.replace("title: Test deck\n", "title: Test deck\ntags: [crohns, ibd]\n").replace(
        "    citation: Inflamm", "    tags: [ibd, tacrolimus]\n    citation: Inflamm"
    )
    result = load(text)
    assert result.deck is not None
    assert result.deck.tags == ("crohns", "ibd")
    source = result.deck.sources[0]
    assert source.tags == ("crohns", "ibd", "tacrolimus")
    assert source.facts[0].tags == ("crohns", "ibd", "tacrolimus", "outcomes")
    assert source.facts[1].tags == ("crohns", "ibd", "tacrolimus")


def test_optional_source_fields_and_null() -> None:
    text = HEAD.replace("    facts:\n", """\
    label: Mayo Clinic series, 2013
    design: retrospective
    n: 24
    pmid: null
    doi: ~
    facts:
      - id: f
        ask: How many patients were treated?
        answer: 24 patients
        kind: text
""")
    result = load(text)
    assert result.errors == [], [str(d) for d in result.diagnostics]
    assert result.deck is not None
    source = result.deck.sources[0]
    assert (source.label, source.design, source.n, source.pmid, source.doi) == (
        "Mayo Clinic series, 2013", "retrospective", 24, None, None)
    assert source.facts[0].force_text


def test_a_source_may_have_no_facts_when_another_has_some() -> None:
    text = GOOD.replace("sources:\n", "sources:\n  - id: review\n    citation: A review\n")
    result = load(text)
    assert result.errors == []
    assert result.deck is not None and result.deck.sources[0].facts == ()


# ---- files that are not YAML text --------------------------------------------------------------

def test_empty_file_and_comment_only_file() -> None:
    assert_error(load(""), 1, 1, "empty", "new-deck")
    assert_error(load("# nothing yet\n\n"), 1, 1, "empty")


def test_non_utf8_names_the_byte_position() -> None:
    result = load_deck_bytes(b"deck: t\ntitle: caf\xe9\n", Path("t.yaml"))
    assert_error(result, 2, 11, "not UTF-8", "0xe9")


def test_nul_bytes_mean_a_binary_file() -> None:
    result = load_deck_bytes(b"deck: t\x00\n", Path("t.yaml"))
    assert_error(result, 1, 8, "NUL", "binary")


def test_utf8_bom_is_accepted() -> None:
    result = load_deck_bytes(b"\xef\xbb\xbf" + GOOD.encode(), Path("t.yaml"))
    assert result.errors == []


def test_file_over_5_mb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    # Malformed YAML throughout: a parse would report a syntax error, not the size.
    path.write_bytes(b"[" * (MAX_BYTES + 1))
    assert_error(load_deck(path), 1, 1, "5 MB", "split")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert_error(load_deck(tmp_path / "nope.yaml"), 1, 1, "no such file")
    assert_error(load_deck(tmp_path), 1, 1, "folder")


def test_control_character_is_reported_at_its_position() -> None:
    assert_error(load("deck: t\ntitle: a\x07b\n"), 2, 9, "U+0007")


# ---- YAML features a deck refuses --------------------------------------------------------------

def test_anchor_and_alias_are_refused() -> None:
    result = load(GOOD.replace("answer: 54%", "answer: &pct 54%").replace(
        "answer: 8/24 (33%)", "answer: *pct"))
    assert result.deck is None
    found = {(d.line, d.col): d.message for d in result.errors}
    assert "anchor (&pct)" in found[(9, 17)]
    assert "alias (*pct)" in found[(14, 17)]
    assert len(result.errors) == 2  # the alias's fact is not reported a second time


def test_alias_bomb_is_refused_without_expansion() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    result = load("\n".join(levels) + "\n")
    assert result.deck is None
    found: dict[tuple[int, int], list[str]] = {}
    for d in result.errors:
        found.setdefault((d.line, d.col), []).append(d.message)
    assert "anchor (&a)" in found[(1, 4)][0] and "alias (*a)" in found[(2, 8)][0]
    # the rest are counted, not listed: 11 more anchors, 98 more aliases
    assert found[(1, 4)][1].startswith("11 more anchors follow this one")
    assert found[(2, 8)][1].startswith("98 more aliases follow this one")
    assert sum("alias (*" in d.message for d in result.errors) == 1


def test_explicit_tags_are_refused() -> None:
    result = load(GOOD.replace("title: Test deck", "title: !!python/object:os.system echo"))
    assert_error(result, 2, 8, "explicit tag", "python/object", "quotes")
    result = load(GOOD.replace("answer: 54%", "answer: !!str 54%"))
    assert_error(result, 9, 17, "explicit tag")


def test_a_second_document_is_refused() -> None:
    assert_error(load(GOOD + "---\ndeck: u\n"), 17, 1, "second YAML document")


def test_yaml_syntax_error_maps_to_file_line_col() -> None:
    result = load("deck: t\ntitle: [unclosed\nsources: []\n")
    assert_error(result, 2, 8, "'['", "never closed", "quotes")
    assert str(the_error(result)).startswith("t.yaml:2:8: error: ")


def test_tab_indentation_has_its_own_message() -> None:
    assert_error(load("deck: t\nsources:\n\t- id: a\n"), 3, 1, "tab", "spaces")


# ---- YAML's classic traps ----------------------------------------------------------------------

def test_unquoted_colon_space_in_text_says_to_quote() -> None:
    result = load(GOOD.replace("explain: Over half", "explain: Note: over half"))
    assert_error(result, 10, 22, "': '", "quotes",
                 'e.g. explain: "Note: over half still needed surgery."')


def test_cloze_starting_with_braces_says_to_quote() -> None:
    result = load(deck_with_facts("""\
        - id: c
          cloze: {{57%}} had a remission.
        """))
    assert_error(result, 8, 16, "'{{'", "quotes", 'e.g. cloze: "{{57%}} had a remission."')


def test_whole_value_in_braces_parses_as_a_mapping_and_says_to_quote() -> None:
    result = load(deck_with_facts("""\
        - id: c
          cloze: {{57%}}
        """))
    assert_error(result, 8, 16, "'{{'", "quotes", 'e.g. cloze: "{{57%}}"')


def test_space_hash_that_cut_the_text_says_to_quote() -> None:
    result = load(GOOD.replace("answer: 8/24 (33%)", "answer: 8/24 (33%)  # count, stated %")
                  .replace("explain: Over half still", "explain: Over half #still"))
    assert_error(result, 10, 28, "' #'", "comment", "'Over half'", "quotes")


def test_comment_after_two_spaces_is_a_comment() -> None:
    result = load(GOOD.replace("answer: 54%", "answer: 54%  # as the source states it"))
    assert result.errors == []


def test_text_that_yaml_reads_as_a_list_says_to_quote() -> None:
    result = load(GOOD.replace("explain: Over half still needed surgery.",
                               "explain: [54%] needed surgery"))
    error = the_error(result)
    assert error.line == 10, str(error)  # the explain line, not somewhere later
    assert "goes in quotes" in error.message, str(error)


# ---- keys --------------------------------------------------------------------------------------

def test_duplicate_key_is_caught() -> None:
    result = load(GOOD.replace("answer: 54%\n", "answer: 54%\n        answer: 55%\n"))
    assert_error(result, 10, 9, "duplicate key 'answer'", "line 9")


def test_unknown_key_with_did_you_mean() -> None:
    result = load(GOOD.replace("explain: Over", "explian: Over"))
    assert_error(result, 10, 9, "unknown key 'explian'", "did you mean 'explain'")
    result = load(GOOD.replace("title: Test deck", "title: Test deck\nzzz: 1"))
    assert_error(result, 3, 1, "unknown key 'zzz'", "deck, title")


def test_missing_required_keys() -> None:
    result = load("title: x\nsources:\n  - citation: c\n    facts:\n      - ask: q?\n"
                  "        answer: 1\n")
    messages = {(d.line, d.col): d.message for d in result.errors}
    assert "no 'deck'" in messages[(1, 1)]
    assert "no 'id'" in messages[(3, 5)]
    assert "no 'id'" in messages[(5, 9)]


# ---- types and values --------------------------------------------------------------------------

def test_wrong_types() -> None:
    assert_error(load(GOOD.replace("title: Test deck", "title:\n  - a\n  - b")), 3, 3,
                 "title should be text", "list")
    assert_error(load("deck: t\ntitle: x\nsources:\n  id: s\n"), 4, 3,
                 "sources should be a list")
    result = load(HEAD.replace("    facts:\n", "    facts: none\n"))
    assert_error(result, 6, 12, "facts should be a list")
    assert_error(load("- deck: t\n"), 1, 1, "a deck is a mapping", "a list")


def test_bad_ids() -> None:
    result = load(GOOD.replace("- id: surgery", "- id: Surgery Rate"))
    assert_error(result, 7, 13, "id 'Surgery Rate' is not valid", "'surgery-rate'")
    assert_error(load(GOOD.replace("deck: t", "deck: -t")), 1, 7, "not valid")


def test_duplicate_source_ids_and_fact_ids() -> None:
    result = load(GOOD.replace("- id: dose-reduction", "- id: surgery"))
    assert_error(result, 12, 9, "duplicate fact id 'surgery'", "line 7",
                 "fact ids must be unique within their source: rename one")
    two = GOOD + "  - id: mayo-2013\n    citation: other\n"
    assert_error(load(two), 17, 5, "duplicate source id 'mayo-2013'", "line 4",
                 "source ids must be unique in the deck: rename one")


def test_same_fact_id_in_two_sources_is_fine() -> None:
    text = GOOD + ("  - id: other\n    citation: c\n    facts:\n      - id: surgery\n"
                   "        ask: What share responded?\n        answer: 67%\n")
    assert load(text).errors == []


def test_empty_deck_is_an_error() -> None:
    assert_error(load(HEAD), 3, 1, "no facts")
    assert_error(load("deck: t\ntitle: x\n"), 1, 1, "no 'sources'")


def test_format_other_than_1() -> None:
    assert_error(load(GOOD.replace("title: Test deck", "title: Test deck\nformat: 2")), 3, 9,
                 "format '2'", "format: 1")
    assert load(GOOD.replace("title: Test deck", "title: Test deck\nformat: 1")).errors == []


def test_fact_needs_ask_and_answer_or_cloze_but_not_both() -> None:
    result = load(deck_with_facts("- id: f\n  explain: nothing asked\n"))
    assert_error(result, 7, 9, "no question", "cloze")
    result = load(deck_with_facts("- id: f\n  ask: Which?\n  answer: x\n  cloze: a {{b}}\n"))
    assert_error(result, 10, 9, "not both")
    assert_error(load(deck_with_facts("- id: f\n  ask: Which?\n")), 8, 9, "no 'answer'")
    assert_error(load(deck_with_facts("- id: f\n  answer: 5\n")), 8, 9, "no 'ask'")


def test_cloze_needs_exactly_one_span() -> None:
    result = load(deck_with_facts("- id: c\n  cloze: A rate of {{57%}} and {{86%}}.\n"))
    assert_error(result, 8, 16, "exactly one", "has 2")
    result = load(deck_with_facts("- id: c\n  cloze: A rate of 57%.\n"))
    assert_error(result, 8, 16, "exactly one", "has 0")
    result = load(deck_with_facts("- id: c\n  cloze: A rate of {{ }}.\n"))
    assert_error(result, 8, 16, "empty")


def test_bad_answer_uses_the_answer_parser_message() -> None:
    result = load(GOOD.replace("answer: 8/24 (33%)", "answer: 8/24 (40%)"))
    assert_error(result, 14, 17, "bad answer", "33%", "agree")
    result = load(deck_with_facts("- id: c\n  cloze: A range of {{15-10 ng/mL}}.\n"))
    assert_error(result, 8, 16, "lower number")


def test_choices_rules() -> None:
    two = GOOD.replace("answer: 54%", "answer: 54%\n        choices: [30%, 40%]")
    assert_error(load(two), 10, 18, "3 or 4", "has 2")
    same = GOOD.replace("answer: 54%", "answer: 54%\n        choices: [30%, 40%, 54 %]")
    assert_error(load(same), 10, 29, "is the answer itself")
    for repeat in ("30%", "30 %", "30.0%"):
        text = GOOD.replace("answer: 54%", f"answer: 54%\n        choices: [30%, 40%, {repeat}]")
        assert_error(load(text), 10, 29, "repeats the one at line 10")
    scalar = GOOD.replace("answer: 54%", "answer: 54%\n        choices: 30%")
    assert_error(load(scalar), 10, 18, "choices should be a list")
    ok = GOOD.replace("answer: 54%", "answer: 54%\n        choices: [30%, 40%, 60%, 70%]")
    result = load(ok)
    assert result.deck is not None
    assert result.deck.sources[0].facts[0].choices == ("30%", "40%", "60%", "70%")


def test_tolerance_rules() -> None:
    bad = GOOD.replace("answer: 54%", "answer: 54%\n        tolerance: about 5")
    assert_error(load(bad), 10, 20, "bad tolerance", "10%")
    text_answer = deck_with_facts("- id: f\n  ask: Which drug?\n  answer: tacrolimus\n"
                                  "  tolerance: 5\n")
    assert_error(load(text_answer), 10, 20, "numeric answers")
    good = load(GOOD.replace("answer: 54%", "answer: 54%\n        tolerance: 5"))
    assert good.deck is not None
    tolerance = good.deck.sources[0].facts[0].tolerance
    assert tolerance is not None and tolerance.amount == Decimal(5) and not tolerance.relative


def test_kind_other_than_text() -> None:
    result = load(GOOD.replace("answer: 54%", "answer: 54%\n        kind: choice"))
    assert_error(result, 10, 15, "kind 'choice'", "'text'")
    # what 'kind: text' really does (see test_kind_text_cards_are_what_the_error_says)
    message = the_error(result).message
    assert "never multiple choice" not in message
    assert "flashcard" in message and "no numeric type-in" in message
    assert "multiple-choice card only from 3-4 authored 'choices'" in message


def test_kind_text_cards_are_what_the_error_says() -> None:
    plain = "answer: 54%\n        kind: text"
    chosen = plain + "\n        choices: [40%, 60%, 70%]"
    kinds = []
    for text in (GOOD, GOOD.replace("answer: 54%", plain), GOOD.replace("answer: 54%", chosen)):
        result = load(text)
        assert result.errors == [] and result.deck is not None
        kinds.append({c.kind for c in cards_for_deck(result.deck) if c.fact == "surgery"})
    numeric = {CardKind.RECALL, CardKind.CHOICE, CardKind.NUMERIC}
    assert kinds == [numeric, {CardKind.RECALL}, {CardKind.RECALL, CardKind.CHOICE}]


def test_n_must_be_a_whole_number() -> None:
    result = load(HEAD.replace("    facts:\n", "    n: about 24\n    facts:\n"))
    errors = {(e.line, e.col): e.message for e in result.errors}
    assert "whole number" in errors[(6, 8)]
    assert_error(load(GOOD.replace("    facts:", "    n: 2.5\n    facts:")), 6, 8, "whole number")


def test_source_identifiers_are_checked() -> None:
    result = load(GOOD.replace("    facts:", "    pmid: PMC123\n    facts:"))
    assert_error(result, 6, 11, "pmid 'PMC123'", "digits")
    result = load(GOOD.replace("    facts:", "    doi: https://doi.org/10.1/x\n    facts:"))
    assert_error(result, 6, 10, "DOI")


# ---- reporting ---------------------------------------------------------------------------------

def test_all_problems_of_a_file_in_one_run_in_file_order() -> None:
    text = GOOD.replace("deck: t", "deck: T").replace("explain: Over", "explian: Over").replace(
        "answer: 8/24 (33%)", "answer: 8/24 (40%)")
    result = load(text)
    assert [(d.line, d.col) for d in result.errors] == [(1, 7), (10, 9), (14, 17)]


def test_diagnostics_are_capped() -> None:
    keys = "".join(f"k{i}: 1\n" for i in range(MAX_DIAGNOSTICS + 50))
    result = load("deck: t\n" + keys)
    assert len(result.diagnostics) == MAX_DIAGNOSTICS + 1
    assert "more not shown" in result.diagnostics[-1].message
    assert result.diagnostics[-1].severity is Severity.ERROR


def test_warnings_past_the_cap_do_not_refuse_a_deck_and_errors_stay_shown() -> None:
    """A big deck with a warning per fact still loads; an error late in it is still shown."""
    facts = "".join(
        f"      - id: f{i}\n        ask: What share of patients in cohort {i} reached remission?\n"
        f"        answer: {i % 90 + 5}%\n"
        for i in range(MAX_DIAGNOSTICS + 50)
    )
    text = ("deck: t\ntitle: T\nsources:\n  - id: s\n    citation: Gut 2020; 1:1-9\n"
            "    facts:\n" + facts)
    result = load(text)
    assert result.deck is not None and not result.errors
    assert len(result.diagnostics) == MAX_DIAGNOSTICS + 1
    last = result.diagnostics[-1]
    assert last.severity is Severity.WARNING and "50 warnings more not shown" in last.message
    broken = load(text + "      - id: late\n        ask: What share?\n")  # no answer
    assert broken.deck is None
    late = 6 + 3 * (MAX_DIAGNOSTICS + 50) + 2  # the line after the late fact's id
    assert [(e.line, "no 'answer'" in e.message) for e in broken.errors] == [(late, True)]


def test_deck_id_differing_from_stem_is_a_warning() -> None:
    result = load(GOOD, name="decks/other-name.yaml")
    assert result.deck is not None
    [warning] = [w for w in result.warnings if NO_EXPLAIN not in w.message]
    assert (warning.line, warning.col, warning.severity) == (1, 7, Severity.WARNING)
    assert "differs from the file name" in warning.message and "t.yaml" in warning.message


def test_author_warnings_are_added_after_a_clean_load(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake_warnings(deck: object, path: str) -> list[Diagnostic]:
        seen.append(path)
        return [Diagnostic(path, 8, 9, Severity.WARNING, "an author warning")]

    monkeypatch.setattr(deckload, "author_warnings", fake_warnings)
    result = load(GOOD)
    assert seen == ["t.yaml"]
    assert result.deck is not None and [w.message for w in result.warnings] == ["an author warning"]
    assert load(GOOD.replace("deck: t", "deck: T")).warnings == []  # not called on a broken deck
