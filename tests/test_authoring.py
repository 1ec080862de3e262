"""Author warnings (docs/deck-format.md): each names the fact's line:col and says what to do."""

from __future__ import annotations

from ibdquiz.core.authoring import author_warnings, question_key
from ibdquiz.core.deckload import load_deck_text
from ibdquiz.core.model import Diagnostic, Severity
from ibdquiz.paths import bundled_decks_dir
from tests.helpers_cards import deck, fact, source

HEAD = """\
deck: warn
title: Warnings
sources:
  - id: s
    citation: Somewhere 2020
    facts:
"""


def warnings_of(facts_yaml: str) -> list[Diagnostic]:
    result = load_deck_text(HEAD + facts_yaml, "warn.yaml")
    assert result.deck is not None, [str(d) for d in result.errors]
    found = author_warnings(result.deck, "warn.yaml")
    assert all(d.severity is Severity.WARNING for d in found)
    # the loader reports the same warnings
    assert {str(d) for d in found} <= {str(d) for d in result.warnings}
    # a fact without 'explain' is warned about (test_a_fact_without_explain); the other tests
    # leave explanations out for brevity
    return [d for d in found if "has no 'explain'" not in d.message]


def test_a_fact_without_explain() -> None:
    result = load_deck_text(HEAD + """      - id: a
        ask: What share needed surgery?
        answer: 54%
""", "warn.yaml")
    (w,) = result.warnings
    assert (w.line, w.col) == (7, 9) and "has no 'explain'" in w.message


def test_clean_facts_give_no_warnings() -> None:
    assert warnings_of("""\
      - id: a
        ask: What share needed surgery?
        answer: 54%
      - id: b
        ask: Which location?
        answer: ileocolonic
        explain: 18 of 24.
""") == []


def test_ask_without_a_question_mark() -> None:
    (w,) = warnings_of("""\
      - id: a
        ask: Share needing surgery
        answer: 54%
""")
    assert (w.path, w.line, w.col) == ("warn.yaml", 7, 9)
    assert "question mark" in w.message and "'a'" in w.message


def test_cloze_needs_no_question_mark() -> None:
    assert warnings_of("""\
      - id: a
        cloze: "Patients had a remission rate of {{57%}}."
""") == []


def test_two_facts_asking_the_same_question() -> None:
    (w,) = warnings_of("""\
      - id: a
        ask: What share needed surgery?
        answer: 54%
      - id: b
        ask: "  what SHARE needed   surgery ? "
        answer: 55%
""")
    assert (w.line, w.col) == (10, 9)
    assert "same question as 's/a' (line 7)" in w.message


def test_question_key_ignores_case_spacing_and_punctuation() -> None:
    assert question_key("What share, overall?") == question_key("what  share overall")


def test_authored_choice_within_tolerance_of_the_answer() -> None:
    (w,) = warnings_of("""\
      - id: a
        ask: What share needed surgery?
        answer: 54%
        choices: [55%, 20%, 30%, 80%]
""")
    assert (w.line, w.col) == (7, 9)
    assert "'55%' would also be correct" in w.message


def test_authored_choice_far_enough_with_a_tight_tolerance_is_fine() -> None:
    assert warnings_of("""\
      - id: a
        ask: What share needed surgery?
        answer: 54%
        tolerance: "0.5"
        choices: [55%, 20%, 30%, 80%]
""") == []


def test_numeric_fact_without_three_distractors() -> None:
    (w,) = warnings_of("""\
      - id: a
        ask: How many of the two responded?
        answer: 1/2
""")
    assert (w.line, w.col) == (7, 9)
    assert "cannot get 3 valid distractors" in w.message


def test_text_answer_without_explain() -> None:
    (w,) = load_deck_text(HEAD + """\
      - id: a
        ask: Which location?
        answer: ileocolonic
""", "warn.yaml").warnings
    assert (w.line, w.col) == (7, 9)
    assert "no 'explain'" in w.message


def test_forced_text_answer_without_explain_is_warned_too() -> None:
    d = deck(source("s", fact("a", "4 mg", ask="Which dose?", force_text=True)))
    (w,) = author_warnings(d, "x.yaml")
    assert "no 'explain'" in w.message


def test_bundled_decks_have_no_author_warnings() -> None:
    for path in sorted(bundled_decks_dir().glob("*.yaml")):
        result = load_deck_text(path.read_text(encoding="utf-8"), str(path))
        assert result.deck is not None
        assert author_warnings(result.deck, str(path)) == []


def test_numeric_choices_not_written_like_the_answer_are_warned() -> None:
    (w,) = warnings_of("""\
      - id: a
        ask: How long until surgery?
        answer: 10 months
        choices: [2 years, 20 months, 30 months]
""")
    assert (w.line, w.col) == (7, 9)
    assert "'2 years' is not written like the answer '10 months' (a number in months)" in w.message
    assert "write it the same way" in w.message


def test_no_distractors_without_tolerance_says_to_add_choices_only() -> None:
    (w,) = warnings_of("""\
      - id: a
        ask: How many of one patient?
        answer: 1/1
""")
    assert "cannot get 3 valid distractors" in w.message and "add 'choices'" in w.message
    assert "tolerance" not in w.message


def test_a_text_answer_meant_as_a_number_says_how_to_write_it() -> None:
    found = warnings_of("""\
      - id: a
        ask: How many were screened?
        answer: 1,234 patients
        explain: x
      - id: b
        ask: How many were female?
        answer: 71% (17/24)
        explain: x
      - id: c
        ask: How long was follow-up?
        answer: 2,5 years
        explain: x
      - id: d
        ask: Which doses were compared?
        answer: 10, 20 and 30 mg
        explain: x
""")
    by_line = {w.line: w.message for w in found}
    assert set(by_line) == {7, 11, 15}  # "10, 20 and 30 mg" is real text
    assert "without thousands separators" in by_line[7]
    assert "'17/24 (71%)'" in by_line[11]
    assert "with a point (e.g. 2.5)" in by_line[15]
