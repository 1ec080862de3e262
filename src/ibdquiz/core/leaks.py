"""Does a text give an answer away? (issue 9): any written form of a value, or a text's phrase.

"Gives the answer" means any written form of the value — ``54%``, ``54 percent``, ``8/24``,
``8 of 24``, ``33%`` for 8/24, ``10 to 15`` for ``10-15 ng/mL``, ``4 months`` or ``4-month`` for
``4 months``, ``five`` or ``5 patients`` for a count of 5 — or, for a text answer, its normalised
phrase (case-folded, punctuation and a leading article dropped) as whole words.

Cross-fact checks are near-linear: ``LeakIndex`` holds every answer under the keys of its forms,
and a text is scanned once for the keys it contains (numbers with what follows them, and words
that start an indexed phrase).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Generic, TypeVar

from ibdquiz.core.judge import COUNT_NOUNS, unit_key
from ibdquiz.core.model import Answer, AnswerKind

K = TypeVar("K", bound=Hashable)
Key = tuple[object, ...]

_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20,
}
_SHARES = {"half": 50, "a third": 33, "one third": 33, "two thirds": 67, "a quarter": 25,
           "one quarter": 25, "three quarters": 75}
_NUMBER = re.compile(
    r"(?<![\d.])(?P<a>\d+(?:\.\d+)?)"
    r"(?:\s*(?:-|–|—|\bto\b)\s*(?P<b>\d+(?:\.\d+)?))?"
    r"(?:\s*(?P<pct>%|\bpercent\b|\bper cent\b))?"
    r"(?:\s*(?:/|\bof\b|\bout of\b)\s*(?:the\s+)?(?P<d>\d+)(?![\d.]))?"
    r"(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?"
    r"(?:[\s-]*(?P<u>[^\W\d_][\w/µα]*))?",
    re.IGNORECASE,
)
_SHARE = re.compile(r"\b(?:" + "|".join(sorted(_SHARES, key=len, reverse=True)) + r")\b",
                    re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_LEADING = {"the", "a", "an", "to", "it"}
_NOT_UNITS = COUNT_NOUNS | {
    "adult", "had", "were", "was", "of", "and", "or", "in", "with", "required", "patients",
    "responded", "achieved", "who", "the", "at", "after", "reached", "stopped", "led",
}


def _d(text: str) -> Decimal:
    return Decimal(text).normalize()


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP).normalize()


def phrase(text: str) -> tuple[str, ...]:
    """A text reduced to its words for matching: case-folded, no leading article."""
    words = [w.replace("’", "'") for w in _WORD.findall(text.casefold())]
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return tuple(words)


def answer_keys(answer: Answer) -> frozenset[Key]:
    """The keys of every written form of ``answer``'s value (empty for text: see ``phrase``)."""
    value = answer.value
    if value is None or not answer.kind.numeric:
        return frozenset()
    keys: set[Key] = set()
    if answer.kind is AnswerKind.PERCENT:
        keys.add(("%", _d(str(value))))
    elif answer.kind is AnswerKind.FRACTION and answer.denominator:
        n = answer.denominator
        keys.add(("/", _d(str(value)), n))
        exact = value * 100 / n
        keys.add(("%", _round(exact)))
        keys.add(("%", exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()))
        if answer.stated_percent is not None:
            keys.add(("%", _d(str(answer.stated_percent))))
    elif answer.kind is AnswerKind.RANGE and answer.high is not None:
        keys.add(("-", _d(str(value)), _d(str(answer.high))))
    else:
        unit = unit_key(answer.unit) if answer.unit else ""
        keys.add(("n", _d(str(value)), "" if unit in COUNT_NOUNS else unit))
    return frozenset(keys)


@lru_cache(maxsize=4096)
def text_keys(text: str) -> frozenset[Key]:
    """The value keys written in ``text`` (see ``answer_keys``)."""
    return frozenset(_text_keys(text))


def _text_keys(text: str) -> set[Key]:
    keys: set[Key] = set()
    for m in _numbers(text):
        a = _d(m["a"])
        if m["b"]:
            keys.add(("-", a, _d(m["b"])))
        if m["pct"]:
            keys.add(("%", _d(m["b"]) if m["b"] else a))
            if m["b"]:
                keys.add(("%", a))
            continue
        if m["d"]:
            keys.add(("/", a, int(m["d"])))
            keys.add(("n", _d(m["d"]), ""))
            if m["p"]:
                keys.add(("%", _d(m["p"])))
        if m["p"] and not m["d"]:
            keys.add(("%", _d(m["p"])))
        unit = m["u"] or ""
        key = unit_key(unit) if unit else ""
        keys.add(("n", a, key))
        bare = not unit or key in _NOT_UNITS or unit.casefold() in _NOT_UNITS or m["d"]
        if bare and not m["b"]:
            keys.add(("n", a, ""))
        if m["b"] and unit:
            keys.add(("n", _d(m["b"]), key))
    if _may_share(text.lower()):
        for m in _SHARE.finditer(text):
            keys.add(("%", Decimal(_SHARES[_share_key(m.group(0))])))
    folded = text.casefold()
    if _NUMBER_WORD.search(folded):  # a word is a piece of the text: most texts have none
        for word in _WORD.findall(folded):
            if word in _WORDS:
                keys.add(("n", Decimal(_WORDS[word]), ""))
    return keys


def _numbers(text: str) -> Iterator[re.Match[str]]:
    """``_NUMBER.finditer(text)``, trying only where a digit is: each match starts with one."""
    pos = 0
    while (digit := _DIGIT.search(text, pos)) is not None:
        found = _NUMBER.match(text, digit.start())  # its look-behind still sees text before pos
        if found is None:
            pos = digit.start() + 1
        else:
            yield found
            pos = found.end()


_DIGIT = re.compile(r"\d")


def _by_first_letter(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern that finds any of ``words``, grouped by first letter (so it is found fast)."""
    rests: dict[str, list[str]] = {}
    for word in sorted(words):
        rests.setdefault(word[0], []).append(re.escape(word[1:]))
    return re.compile("|".join(f"{re.escape(first)}(?:{'|'.join(rest)})"
                               for first, rest in rests.items()))


_NUMBER_WORD = _by_first_letter(_WORDS)


def _share_key(matched: str) -> str:
    """The ``_SHARES`` key of a share ``_SHARE`` matched: IGNORECASE also matches 'İ' and 'ı'
    for 'i' (which casefold to 'i' + U+0307 and 'ı'), so those are read as 'i'."""
    return matched.casefold().replace("i\u0307", "i").replace("ı", "i")


def _may_share(lowered: str) -> bool:
    """False when ``_SHARE`` cannot match: each share has 'half', 'quarter' or 'th' + 'rd' in
    it (lowered; the 'i' of 'third' may be 'İ' or 'ı', which IGNORECASE matches too)."""
    return "half" in lowered or "quarter" in lowered or ("th" in lowered and "rd" in lowered)


class LeakIndex(Generic[K]):
    """Answers indexed by their forms: which of them does a text give away?"""

    def __init__(self) -> None:
        self._values: dict[Key, set[K]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], K]]] = {}

    def add(self, key: K, answer: Answer, *, text: bool = False) -> None:
        """Index ``answer`` under ``key`` (``text``: match its phrase, not its value)."""
        if text or not answer.kind.numeric:
            words = phrase(answer.text)
            if words:
                self._phrases.setdefault(words[0], []).append((words, key))
            return
        values = self._values
        for form in answer_keys(answer):
            if form in values:
                values[form].add(key)
            else:
                values[form] = {key}

    def found_in(self, text: str) -> set[K]:
        """The keys of the answers that ``text`` gives away (a new set, the caller's to change)."""
        found: set[K] = set()
        if not text:
            return found
        if self._values:
            values = self._values
            for form in text_keys(text):
                hit = values.get(form)
                if hit:
                    found |= hit
        if self._phrases:
            words = tuple(w.replace("’", "'") for w in _WORD.findall(text.casefold()))
            for index, word in enumerate(words):
                for candidate, key in self._phrases.get(word, ()):
                    if words[index: index + len(candidate)] == candidate:
                        found.add(key)
        return found


def gives_answer(answer: Answer, text: str, *, as_text: bool = False) -> bool:
    """True when ``text`` contains any written form of ``answer``."""
    if not text:
        return False
    if not as_text and answer.kind.numeric:
        return bool(answer_keys(answer) & text_keys(text))
    wanted = phrase(answer.text)
    words = tuple(w.replace("’", "'") for w in _WORD.findall(text.casefold()))
    size = len(wanted)
    return bool(wanted) and any(words[i: i + size] == wanted for i in range(len(words)))


def leak_graph(items: Iterable[tuple[K, Answer, bool, Iterable[str]]]) -> dict[K, set[K]]:
    """Which facts give which away, both ways: ``(key, answer, as_text, texts shown)`` each.

    Two facts are linked when a text shown with one (stem, explanation, teaching feedback) holds
    the other's answer; a fact is never linked to itself.
    """
    listed = list(items)
    index: LeakIndex[K] = LeakIndex()
    for key, answer, as_text, _texts in listed:
        index.add(key, answer, text=as_text)
    graph: dict[K, set[K]] = {}
    for key, _answer, _as_text, texts in listed:
        for text in texts:
            for other in index.found_in(text):
                if other != key:
                    graph.setdefault(key, set()).add(other)
                    graph.setdefault(other, set()).add(key)
    return graph


def leaks_from(items: Iterable[tuple[K, Answer, bool, Iterable[str]]]
               ) -> list[tuple[K, K, str]]:
    """Each (fact, other fact, text) where a text of the first gives the other's answer."""
    listed = list(items)
    index: LeakIndex[K] = LeakIndex()
    for key, answer, as_text, _texts in listed:
        index.add(key, answer, text=as_text)
    out: list[tuple[K, K, str]] = []
    for key, _answer, _as_text, texts in listed:
        for text in texts:
            for other in sorted(index.found_in(text) - {key}, key=str):
                out.append((key, other, text))
    return out
