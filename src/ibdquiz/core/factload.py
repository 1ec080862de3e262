"""Reading one fact of a deck (docs/deck-format.md): question, answer, choices, tolerance, kind.

``FactReader`` is the fact-level half of the deck reader in ``ibdquiz.core.deckload``; each problem
becomes a diagnostic at the fact's ``line:col`` that says how to fix it.
"""

from __future__ import annotations

import re

from ibdquiz.core import deckformat
from ibdquiz.core.answers import parse_answer, parse_tolerance
from ibdquiz.core.model import Answer, Fact, Tolerance
from ibdquiz.core.yamlnodes import Fields, Mapping, Node, NodeReader, Scalar, Sequence, merge_tags
from ibdquiz.errors import AnswerFormatError

FACT_KEYS = deckformat.keys(deckformat.FACT)
CLOZE_BLANK = "_____"

_CLOZE_SPAN = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NOT_AN_OPTION = re.compile(
    r"(?:all|none|both|neither|any)\s+of\s+(?:the\s+)?(?:above|these|them|the\s+options)\W*",
    re.IGNORECASE,
)
"""'All of the above' and kin: options are shuffled, and NBME item-writing rules exclude them."""


class FactReader(NodeReader):
    """Reads facts out of nodes, recording every problem it finds."""

    # ---- facts ------------------------------------------------------------------------------

    def facts(self, fields: Fields, source_tags: tuple[str, ...]) -> list[Fact] | None:
        """A source's facts (none without ``facts``); ``None`` when the list is not a list."""
        if "facts" not in fields:
            return []
        return self.unique_items(
            fields["facts"][1], "facts", "a list of facts, each starting with '- id: ...'",
            lambda item: self.fact(item, source_tags), "within their source",
        )

    def fact(self, node: Node, source_tags: tuple[str, ...]) -> Fact | None:
        """One fact, or ``None`` after reporting why it cannot be read."""
        if not isinstance(node, Mapping):
            self.type_error(node, "each fact", "a mapping of keys (id:, ask:, answer:) or "
                            "(id:, cloze:)")
            return None
        fields = self.fields(node, FACT_KEYS, "fact")
        plain = self.plain_values(fields, deckformat.FACT, "fact", node)
        fact_id, explain = plain["id"], plain["explain"] or ""
        tags = merge_tags(source_tags, plain["tags"])
        force_text = self.kind(fields)
        question = self.question(fields, node)
        if question is None:
            return None
        ask, answer, cloze = question
        choices = self.choices(fields, answer)
        tolerance = self.tolerance(fields, answer, force_text)
        if fact_id is None or choices is None:
            return None
        return Fact(fact_id, ask, answer, explain, tags, choices, tolerance, force_text, cloze,
                    node.line, node.col)

    def question(self, fields: Fields, node: Mapping) -> tuple[str, Answer, str | None] | None:
        """The fact's question, answer and cloze sentence, from ``ask``/``answer`` or ``cloze``."""
        has_ask, has_answer, has_cloze = ("ask" in fields, "answer" in fields, "cloze" in fields)
        if has_cloze and (has_ask or has_answer):
            self.error(fields["cloze"][0], "a fact has either ask + answer, or cloze, not both; "
                       "remove 'cloze' or remove 'ask' and 'answer'")
            return None
        if has_cloze:
            return self.cloze(fields, node)
        if not has_ask and not has_answer:
            self.error(node, "this fact has no question: give it 'ask:' and 'answer:', or a "
                       "'cloze:' sentence with the answer in {{...}}")
            return None
        if not has_answer:
            self.error(fields["ask"][0], "this fact has 'ask' but no 'answer'; add 'answer:' with "
                       "the answer as the source states it")
        if not has_ask:
            self.error(fields["answer"][0], "this fact has 'answer' but no 'ask'; add 'ask:' with "
                       "the question, or write the fact as a 'cloze:' sentence")
        ask = self.text(fields, "ask", "fact", node, required=True) if has_ask else None
        answer = self.answer(fields, "answer", node) if has_answer else None
        if ask is None or answer is None:
            return None
        return ask, answer, None

    def answer(self, fields: Fields, name: str, node: Mapping) -> Answer | None:
        """The parsed answer held by key ``name``."""
        text = self.text(fields, name, "fact", node, required=True)
        if text is None:
            return None
        try:
            return parse_answer(text)
        except AnswerFormatError as exc:
            self.error(fields[name][1], f"bad answer: {exc}")
            return None

    def cloze(self, fields: Fields, node: Mapping) -> tuple[str, Answer, str | None] | None:
        """A cloze's blanked question, the answer in its one ``{{...}}`` span, the sentence."""
        sentence = self.text(fields, "cloze", "fact", node, required=True)
        if sentence is None:
            return None
        value = fields["cloze"][1]
        spans = _CLOZE_SPAN.findall(sentence)
        if len(spans) != 1 or sentence.count("{{") != 1 or sentence.count("}}") != 1:
            self.error(value, f"a cloze needs exactly one {{{{...}}}} span holding the answer; "
                       f"this one has {len(spans)}; write one finding per fact, e.g. "
                       "\"... a remission rate of {{57%}}.\"")
            return None
        span = spans[0]
        if not span.strip():
            self.error(value, "the {{...}} span of this cloze is empty; put the answer inside it")
            return None
        try:
            answer = parse_answer(span)
        except AnswerFormatError as exc:
            self.error(value, f"bad answer in the cloze span: {exc}")
            return None
        return _CLOZE_SPAN.sub(CLOZE_BLANK, sentence), answer, sentence

    def choices(self, fields: Fields, answer: Answer) -> tuple[str, ...] | None:
        """The authored wrong options (none without ``choices``); ``None`` after a problem."""
        if "choices" not in fields:
            return ()
        node = fields["choices"][1]
        if not isinstance(node, Sequence):
            self.type_error(node, "choices", "a list of 3 or 4 distractors, e.g. "
                            "choices: [5-10 ng/mL, 15-20 ng/mL, 20-25 ng/mL]")
            return None
        ok = True
        if not 3 <= len(node.items) <= 4:
            change = "add" if len(node.items) < 3 else "remove"
            self.error(node, f"choices needs 3 or 4 distractors (wrong options); it has "
                       f"{len(node.items)}: {change} some (ibdquiz adds the answer itself)")
            ok = False
        seen: dict[object, int] = {}
        result: list[str] = []
        answer_key = _choice_key(answer.text)
        for item in node.items:
            if not isinstance(item, Scalar):
                self.type_error(item, "each choice", "text")
                ok = False
                continue
            text = self.check_scalar_text(item, "choices", required=True)
            if text is None:
                ok = False
                continue
            key = _choice_key(text)
            if key in seen:
                self.error(item, f"the choice {text!r} repeats the one at line {seen[key]}; each "
                           "choice must be different")
                ok = False
            elif key == answer_key:
                self.error(item, f"the choice {text!r} is the answer itself; choices are the wrong "
                           "options only (the answer is added by ibdquiz)")
                ok = False
            elif _NOT_AN_OPTION.fullmatch(text):
                self.error(item, f"{text!r} cannot be an option: options are shown in a shuffled "
                           "order and a question has one best answer (NBME item-writing rules); "
                           "write a specific wrong answer instead")
                ok = False
            seen.setdefault(key, item.line)
            result.append(text)
        return tuple(result) if ok else None

    def tolerance(self, fields: Fields, answer: Answer, force_text: bool) -> Tolerance | None:
        """The ``tolerance`` of a numeric answer, if any."""
        scalar = self.scalar(fields, "tolerance", "fact")
        if scalar is None:
            return None
        if not answer.kind.numeric or force_text:
            why = "kind: text treats the answer as text" if force_text else "the answer is text"
            self.error(scalar, f"tolerance only applies to numeric answers and {why}; remove "
                       "'tolerance'")
            return None
        try:
            return parse_tolerance(scalar.text)
        except AnswerFormatError as exc:
            self.error(scalar, f"bad tolerance: {exc}")
            return None

    def kind(self, fields: Fields) -> bool:
        """True when ``kind: text`` treats the answer as text: a flashcard, no numeric type-in,
        and a multiple-choice card only from 3-4 authored ``choices``."""
        scalar = self.scalar(fields, "kind", "fact")
        if scalar is None:
            return False
        if scalar.text.strip() != "text":
            self.error(scalar, f"kind {scalar.text!r} is not known; the only kind is 'text' "
                       "(treat the answer as text: a flashcard and no numeric type-in card; a "
                       "multiple-choice card only from 3-4 authored 'choices'): write "
                       "'kind: text' or remove it")
            return False
        return True

def _choice_key(text: str) -> object:
    """What makes two options the same: their value when numeric (``54 %`` = ``54%``), else text."""
    try:
        parsed = parse_answer(text)
    except AnswerFormatError:
        parsed = None
    if parsed is not None and parsed.kind.numeric:
        return (parsed.kind, parsed.value, parsed.high, parsed.denominator,
                parsed.unit.casefold())
    return " ".join(text.split()).casefold()
