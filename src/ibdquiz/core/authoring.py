"""Author warnings (docs/deck-format.md): legal, but probably not what the author meant.

Called by the loader once a deck has loaded without errors; ``validate --strict`` turns them into
errors. Each names the fact's ``line:col`` and says what to do.
"""

from __future__ import annotations

import re

from ibdquiz.core.cards import count_cap, has_choice_card
from ibdquiz.core.distractors import (
    MIN_DISTRACTORS,
    answers_clash,
    authored_pool,
    comparable,
    is_text_only,
    normalized,
    parse_choice,
)
from ibdquiz.core.itemlint import authored_rank_warning, text_option_lints
from ibdquiz.core.judge import accepts
from ibdquiz.core.leaks import LeakIndex, gives_answer
from ibdquiz.core.model import AnswerKind, Deck, Diagnostic, Fact, Severity, Source

_PUNCTUATION = re.compile(r"[^\w\s]")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\s|$)")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}(?:\s|$)")
_PERCENT_FIRST = re.compile(r"^(?P<p>\d+(?:\.\d+)?\s*%)\s*\(\s*(?P<f>\d+\s*/\s*\d+)\s*\)$")


def author_warnings(deck: Deck, path: str) -> list[Diagnostic]:
    """Every author warning of a loaded deck, in deck order."""
    questions: dict[str, tuple[Source, Fact]] = {}
    out: list[Diagnostic] = []
    index: LeakIndex[tuple[str, str]] = LeakIndex()
    listed = deck.facts()
    for source, fact in listed:
        index.add((source.id, fact.id), fact.answer, text=is_text_only(fact))
    facts = {(s.id, f.id): f for s, f in listed}
    unique = len(facts) == len(listed)  # each key names one fact (a loaded deck's always do)
    for source, fact in listed:

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
        for choice in _correct_choices(fact, numeric) if fact.choices else ():
            warn(f"fact '{fact.id}': the choice {choice!r} would also be correct (the grader "
                 "accepts it for the answer), so it is left out; change it or remove it")
        for choice in _unlike_choices(fact) if numeric and fact.choices else ():
            warn(f"fact '{fact.id}': the choice {choice!r} is not written like the answer "
                 f"{fact.answer.text!r} (a {fact.answer.kind.value}"
                 f"{' in ' + fact.answer.unit if fact.answer.unit not in ('', '%') else ''}); "
                 "options should be alike, so write it the same way")
        if numeric and not has_choice_card(fact, authored_pool(fact),
                                           count_cap(fact.answer, source.n)):
            fix = "add 'choices' (3 or 4 wrong options)"
            if fact.tolerance is not None:
                fix += f" or narrow its 'tolerance' ({fact.tolerance.text}: every wrong option "
                fix += "must lie outside it)"
            warn(f"fact '{fact.id}': the answer {fact.answer.text!r} cannot get "
                 f"{MIN_DISTRACTORS} valid distractors, so it has no multiple-choice card; {fix}")
        if fact.answer.kind is AnswerKind.TEXT and (hint := almost_numeric(fact.answer.text)):
            what = ("no type-in question, and its multiple-choice question compares the options "
                    "as text" if fact.choices else "no multiple-choice or type-in question")
            warn(f"fact '{fact.id}': the answer {fact.answer.text!r} is read as text, so it gets "
                 f"{what}; {hint}")
            for message in _numeric_looking_choices(fact):
                warn(f"fact '{fact.id}': {message}")
        if not fact.explain.strip():
            warn(f"fact '{fact.id}' has no 'explain'; add one (what the source says, no more) so "
                 "a fellow learns why the answer is right")
        own = (source.id, fact.id)
        # a set of its own, holding this fact's key when the question gives its own answer (the
        # index reads a text as gives_answer does); unless two facts share one key
        in_question = index.found_in(fact.ask)
        if unique:
            gives_own = own in in_question
        else:
            gives_own = gives_answer(fact.answer, fact.ask, as_text=not numeric)
        if gives_own:
            warn(f"fact '{fact.id}': the question contains its own answer "
                 f"{fact.answer.text!r}; reword the question so it does not give it away")
        for where, found in (("question", in_question),
                             ("explanation", index.found_in(fact.explain))):
            found.discard(own)
            for other in sorted(found):
                other_fact = facts[other]
                warn(f"fact '{fact.id}': its {where} gives the answer of "
                     f"'{other[0]}/{other[1]}' ({other_fact.answer.text!r}); the two are never "
                     "new on the same day, but reword it so it does not state that answer")
        if not fact.choices:
            continue  # the lints below are about authored choices
        if numeric and (message := authored_rank_warning(fact)):
            warn(f"fact '{fact.id}': {message}")
        if not numeric:
            for message in text_option_lints(fact.answer.text, fact.choices):
                warn(f"fact '{fact.id}': {message}")
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
        if (numeric and accepts(fact.answer, fact.tolerance, choice)) or (
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


def _numeric_looking_choices(fact: Fact) -> list[str]:
    """Tolerance and same-format checks for choices of a text answer meant as a number."""
    m = _PERCENT_FIRST.match(fact.answer.text)
    if not m or not fact.choices:
        return []
    implied = parse_choice(m["p"])
    if implied is None:
        return []
    out = [f"the choice {c!r} would also look right next to {fact.answer.text!r} (within "
           "the grader's tolerance of its percent); change it or remove it"
           for c in fact.choices if accepts(implied, None, c)]
    parsed = [parse_choice(c) for c in fact.choices]
    if all(p is not None and p.kind is AnswerKind.PERCENT for p in parsed):
        out.append(f"the answer {fact.answer.text!r} is the only option written with a "
                   "fraction, which gives it away; write every option alike")
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
