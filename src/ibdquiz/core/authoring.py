"""Author warnings (docs/deck-format.md): legal, but probably not what the author meant.

Called by the loader once a deck has loaded without errors; ``validate --strict`` turns them into
errors. Each names the fact's ``line:col`` and says what to do.
"""

from __future__ import annotations

import re

from ibdquiz.core.distractors import (
    MIN_DISTRACTORS,
    answers_clash,
    comparable,
    deck_pools,
    is_text_only,
    normalized,
    parse_choice,
)
from ibdquiz.core.model import AnswerKind, Deck, Diagnostic, Fact, Severity, Source

_PUNCTUATION = re.compile(r"[^\w\s]")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\s|$)")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}(?:\s|$)")
_PERCENT_FIRST = re.compile(r"^(?P<p>\d+(?:\.\d+)?\s*%)\s*\(\s*(?P<f>\d+\s*/\s*\d+)\s*\)$")


def author_warnings(deck: Deck, path: str) -> list[Diagnostic]:
    """Every author warning of a loaded deck, in deck order."""
    pools = deck_pools(deck)
    questions: dict[str, tuple[Source, Fact]] = {}
    out: list[Diagnostic] = []
    for source, fact in deck.facts():

        def warn(message: str, fact: Fact = fact) -> None:
            out.append(Diagnostic(path, fact.line, fact.col, Severity.WARNING, message))

        numeric = not is_text_only(fact)
        if fact.cloze is None and not fact.ask.rstrip().endswith("?"):
            warn(f"fact '{fact.id}': the question does not end with a question mark; "
                 "write 'ask' as a question")
        key = question_key(fact.ask)
        if key in questions:
            first_source, first = questions[key]
            warn(f"fact '{fact.id}' asks the same question as '{first_source.id}/{first.id}' "
                 f"(line {first.line}); reword one of them so a fellow can tell them apart")
        else:
            questions[key] = (source, fact)
        for choice in _correct_choices(fact, numeric):
            warn(f"fact '{fact.id}': the choice {choice!r} would also be correct (it is within "
                 "the answer's tolerance); change it or remove it")
        for choice in _unlike_choices(fact) if numeric else []:
            warn(f"fact '{fact.id}': the choice {choice!r} is not written like the answer "
                 f"{fact.answer.text!r} (a {fact.answer.kind.value}"
                 f"{' in ' + fact.answer.unit if fact.answer.unit not in ('', '%') else ''}); "
                 "options should be alike, so write it the same way")
        if numeric and len(pools.pool(source.id, fact.id)) < MIN_DISTRACTORS:
            fix = "add 'choices' (3 or 4 wrong options)"
            if fact.tolerance is not None:
                fix += f" or narrow its 'tolerance' ({fact.tolerance.text}: every wrong option "
                fix += "must lie outside it)"
            warn(f"fact '{fact.id}': the answer {fact.answer.text!r} cannot get "
                 f"{MIN_DISTRACTORS} valid distractors, so it has no multiple-choice card; {fix}")
        if fact.answer.kind is AnswerKind.TEXT and (hint := almost_numeric(fact.answer.text)):
            warn(f"fact '{fact.id}': the answer {fact.answer.text!r} is read as text, so it gets "
                 f"no multiple-choice or type-in question; {hint}")
        if not numeric and not fact.explain.strip():
            warn(f"fact '{fact.id}' has a text answer and no 'explain'; add one so a fellow "
                 "learns why the answer is right")
    return out


def question_key(text: str) -> str:
    """A question reduced to its words, for spotting two facts that read the same."""
    return normalized(_PUNCTUATION.sub(" ", text))


def _correct_choices(fact: Fact, numeric: bool) -> list[str]:
    """The authored choices that would be judged correct too."""
    out: list[str] = []
    for choice in fact.choices:
        if normalized(choice) == normalized(fact.answer.text):
            out.append(choice)
            continue
        parsed = parse_choice(choice) if numeric else None
        if (
            parsed is not None
            and comparable(fact.answer, parsed)
            and answers_clash(fact.answer, parsed, fact.tolerance)
        ):
            out.append(choice)
    return out


def _unlike_choices(fact: Fact) -> list[str]:
    """The authored choices of a numeric fact that are not the same kind of number (homogeneity)."""
    out: list[str] = []
    for choice in fact.choices:
        parsed = parse_choice(choice)
        if parsed is None or not comparable(fact.answer, parsed):
            out.append(choice)
    return out


def almost_numeric(text: str) -> str:
    """How to write a text answer that was meant as a number (``1,234``, ``54% (13/24)``), or ""."""
    if m := _PERCENT_FIRST.match(text):
        return f"write the count first, '{m['f']} ({m['p']})', to make it a fraction"
    if _GROUPED.match(text):
        return "write the number without thousands separators (e.g. 1234) to make it numeric"
    if _DECIMAL_COMMA.match(text):
        return "write decimals with a point (e.g. 2.5) to make it numeric"
    return ""
