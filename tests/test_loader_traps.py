"""Hostile decks a director could write: each class of defect gets its own message at line:col.

Complements ``test_loader.py``: encodings and line endings, the shape of the whole file, keys at
every level, and the YAML syntax traps (indentation, quotes, a colon without a space).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ibdquiz.core.deckload import load_deck_bytes
from ibdquiz.core.model import Severity
from tests.test_loader import GOOD, assert_error, load, the_error


def good_with(old: str, new: str) -> str:
    """The good deck with one piece of text replaced (the piece must be there)."""
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


# ---- encodings and line endings ----------------------------------------------------------------

def test_crlf_line_endings_load_like_lf() -> None:
    crlf = load_deck_bytes(GOOD.replace("\n", "\r\n").encode(), Path("t.yaml"))
    lf = load(GOOD)
    assert crlf.errors == [] and crlf.deck is not None and lf.deck is not None
    assert crlf.deck.sources == lf.deck.sources  # same text, same positions, no stray \r


def test_bom_and_crlf_together_load() -> None:
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    result = load_deck_bytes(data, Path("t.yaml"))
    assert result.errors == [] and result.deck is not None
    assert result.deck.id == "t"


def test_space_hash_trap_is_found_with_crlf_line_endings() -> None:
    text = good_with("answer: 54%", "answer: 54% #of patients").replace("\n", "\r\n")
    result = load_deck_bytes(text.encode(), Path("t.yaml"))
    assert_error(result, 9, 21, "' #'", "cut to '54%'", "quotes")


def test_windows_1252_bytes_name_the_character_and_the_fix() -> None:
    data = GOOD.replace("Test deck", "Crohn\x92s disease").encode("latin-1", errors="strict")
    result = load_deck_bytes(data, Path("t.yaml"))
    assert_error(result, 2, 13, "not UTF-8", "0x92", "Windows-1252", "save it as UTF-8")


# ---- the shape of the file ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "found"),
    [("- deck: t\n- title: x\n", "a list"), ("just some text\n", "text"), ("42\n", "text")],
)
def test_a_deck_that_is_not_a_mapping(text: str, found: str) -> None:
    assert_error(load(text), 1, 1, "a deck is a mapping", f"holds {found}", "new-deck")


def test_sources_written_as_a_mapping_says_to_add_the_dash() -> None:
    text = "deck: t\ntitle: x\nsources:\n  id: s\n  citation: c\n"
    assert_error(load(text), 4, 3, "sources should be a list", "start each item with '- '")


def test_a_fact_that_is_a_bare_string_says_to_write_keys() -> None:
    result = load(good_with("      - id: dose-reduction", "      - What share needed surgery?\n"
                            "      - id: dose-reduction"))
    assert_error(result, 12, 9, "each fact should be a mapping", "'What share needed surgery?'",
                 "- id:")


def test_an_empty_list_item_says_to_remove_the_dash() -> None:
    result = load(good_with("      - id: dose-reduction", "      -\n      - id: dose-reduction"))
    error = the_error(result)
    assert error.line == 12 and "empty" in error.message and "lone '-'" in error.message


# ---- keys at every level -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("old", "new", "line", "col", "key", "what"),
    [
        ("title: Test deck\n", "title: Test deck\ntitle: Again\n", 3, 1, "title", "deck"),
        ("    citation: Inflamm", "    citation: X\n    citation: Inflamm", 6, 5, "citation",
         "source"),
        ("        cloze:", "        id: again\n        cloze:", 16, 9, "id", "fact"),
    ],
)
def test_duplicate_keys_at_each_level(
    old: str, new: str, line: int, col: int, key: str, what: str
) -> None:
    assert_error(load(good_with(old, new)), line, col, f"duplicate key '{key}' in this {what}",
                 "remove one")


@pytest.mark.parametrize(
    ("old", "new", "line", "col", "key", "meant"),
    [
        ("title: Test", "Title: Test", 2, 1, "Title", "title"),
        ("    citation:", "    citaton:", 5, 5, "citaton", "citation"),
        ("    facts:", "    fact:", 6, 5, "fact", "facts"),
        ("        ask: What share", "        question: What share", 8, 9, "question", None),
    ],
)
def test_unknown_keys_at_each_level_say_did_you_mean(
    old: str, new: str, line: int, col: int, key: str, meant: str | None
) -> None:
    result = load(good_with(old, new))
    errors = [d for d in result.errors if (d.line, d.col) == (line, col)]
    assert errors, [str(d) for d in result.diagnostics]
    assert f"unknown key '{key}'" in errors[0].message
    if meant:
        assert f"did you mean '{meant}'?" in errors[0].message
        # the misspelt required key is not reported a second time as missing
        assert not any(f"no '{meant}'" in d.message for d in result.errors)
    else:
        assert "the keys allowed here are" in errors[0].message


# ---- YAML's syntax traps -----------------------------------------------------------------------

def test_a_key_indented_too_far_is_an_indentation_problem_not_a_colon() -> None:
    result = load(good_with("        answer: 54%", "         answer: 54%"))
    assert_error(result, 9, 16, "'answer:'", "line above", "indentation")


def test_a_key_indented_too_little_says_check_the_indentation() -> None:
    result = load(good_with("        answer: 54%", "      answer: 54%"))
    error = the_error(result)
    assert error.line == 9 and "indentation" in error.message


def test_a_colon_without_a_space_after_a_key() -> None:
    result = load(good_with("        ask: What share", "        ask:What share"))
    assert_error(result, 8, 12, "'ask:' needs a space after the colon", "ask: What share")


def test_text_starting_with_a_quote_says_to_quote_the_whole_text() -> None:
    result = load(good_with("        ask: What share", "        ask: \"What\" share"))
    assert_error(result, 8, 21, "starts with a quote", "whole text in ' quotes")


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    # YAML reads on to the next quote (the cloze's, line 16) before it gives up
    result = load(good_with("title: Test deck", "title: \"Test deck"))
    assert_error(result, 2, 8, "not closed on its line", "line 16", "closing quote")
    # no other quote: the file ends inside the text
    assert_error(load("deck: t\ntitle: \"Test deck\nsources: []\n"), 2, 8, "never closed")


def test_unquoted_colon_in_a_cloze_says_to_quote() -> None:
    result = load(good_with('        cloze: "Patients', "        cloze: Note: \"Patients"))
    assert_error(result, 16, 20, "': '", "quotes")


def test_a_colon_inside_a_flow_list_item_says_to_quote() -> None:
    result = load(good_with("        tags: [outcomes, crohns]",
                            "        tags: [outcomes: yes, crohns]"))
    assert_error(result, 11, 16, "each tag should be text", "contains ': '", "quotes")


def test_an_explicit_tag_is_shown_as_written() -> None:
    assert_error(load(good_with("answer: 54%", "answer: !!str 54%")), 9, 17, "(!!str)")


# ---- leniency ----------------------------------------------------------------------------------

def test_comma_separated_tags_are_read_as_a_list() -> None:
    result = load(good_with("title: Test deck", "title: Test deck\ntags: crohns, outcomes"))
    assert result.errors == [] and result.deck is not None
    assert result.deck.tags == ("crohns", "outcomes")


def test_a_tab_after_a_colon_is_a_plain_separator() -> None:
    result = load(good_with("        answer: 54%", "        answer:\t54%"))
    assert result.errors == [] and result.deck is not None
    assert result.deck.sources[0].facts[0].answer.text == "54%"


# ---- warnings say how to fix them --------------------------------------------------------------

def test_no_distractors_with_a_wide_tolerance_says_to_narrow_it() -> None:
    result = load(good_with("        answer: 54%", "        answer: 54%\n        tolerance: 60"))
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    assert result.errors == []
    (warning,) = [w for w in warnings if "distractors" in w.message]
    assert (warning.line, warning.col) == (7, 9)
    assert "narrow its 'tolerance' (60" in warning.message and "add 'choices'" in warning.message


@pytest.mark.parametrize("option", ["None of the above", "all of the above", "Both of these"])
def test_all_or_none_of_the_above_cannot_be_an_option(option: str) -> None:
    text = good_with("        explain: Over half", f"        choices: [40%, 60%, {option}]\n"
                     "        explain: Over half")
    assert_error(load(text), 10, 29, f"'{option}' cannot be an option", "specific wrong answer")


def test_too_few_choices_says_to_add_some() -> None:
    text = good_with("        explain: Over half", "        choices: [40%, 60%]\n"
                     "        explain: Over half")
    assert_error(load(text), 10, 18, "3 or 4 distractors", "it has 2: add some")


# ---- fix examples name the key being written and quote its real text ---------------------------

def test_colon_trap_names_the_key_and_quotes_the_real_text() -> None:
    line = "title: Tacrolimus in refractory Crohn's: the Mayo series"
    result = load(good_with("title: Test deck", line))
    assert_error(result, 2, 40, "': '", "e.g. title: \"Tacrolimus in refractory Crohn's: ...\"")
    assert "ask:" not in the_error(result).message


def test_colon_trap_example_cuts_long_text_at_a_word() -> None:
    text = "Patients treated with tacrolimus for refractory disease had outcomes: good"
    error = the_error(load(good_with("        ask: What share", f"        ask: {text}")))
    assert 'e.g. ask: "Patients treated with tacrolimus for ..."' in error.message


def test_colon_trap_on_a_continuation_line_names_the_key_above() -> None:
    text = good_with("        explain: Over half still needed surgery.",
                     "        explain: Over half\n          still needed: surgery")
    error = the_error(load(text))
    assert (error.line, error.col) == (11, 23)
    assert 'e.g. explain: "Over half ..."' in error.message


def test_braces_trap_in_a_list_item_shows_a_quoted_item() -> None:
    text = good_with("        explain: Over half", "        choices:\n          - {{40%}} or so\n"
                     "          - 60%\n          - 70%\n        explain: Over half")
    assert_error(load(text), 11, 13, "'{{'", 'e.g. - "{{40%}} or so"')


def test_quote_trap_names_the_key_and_quotes_the_real_text() -> None:
    result = load(good_with("        explain: Over half", "        explain: \"Over\" half"))
    assert_error(result, 10, 25, "starts with a quote",
                 "e.g. explain: '\"Over\" half still needed surgery.'")
    assert "ask:" not in the_error(result).message
