"""Item-writing lints for authored options (issue 9, NBME rules a machine can check).

Text options: a key much longer than every distractor, absolute words only in distractors, the
only hedged option being the key, two options that are opposites, and a key whose grammatical
form differs from the distractors'. Numeric options: an authored set that puts the key at the
same rank every time. Each message says what to fix; ``authoring`` adds ``line:col``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import combinations

from ibdquiz.core.distractors import comparable, parse_choice, value_key
from ibdquiz.core.model import Fact

ABSOLUTES = frozenset({
    "only", "always", "never", "all", "none", "isolated", "exclusively", "entirely",
    "completely", "cured", "cures", "cure", "every", "must", "solely", "avoids", "eliminates",
})
HEDGES = frozenset({
    "may", "might", "could", "can", "some", "most", "mostly", "often", "usually", "generally",
    "sometimes", "partial", "partially", "partly", "likely", "possibly", "probably", "somewhat",
    "but", "too",
})
_NEGATIONS = frozenset({"not", "no", "doesn't", "don't", "didn't", "isn't", "wasn't", "does",
                        "did", "do", "is", "was", "too", "never", "n't"})
_VERBS = frozenset({
    "is", "was", "were", "are", "be", "did", "does", "do", "doesn't", "didn't", "helped",
    "helps", "looks", "look", "cured", "worsened", "should", "avoids", "had", "has", "have",
    "improved", "reduced", "increased", "caused", "led", "stopped", "responded",
})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
LONG_RATIO = 1.5
LONG_MARGIN = 10


def _words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(text.casefold())]


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def form(text: str) -> str:
    """A rough grammatical form: "clause", "infinitive" or "noun phrase"."""
    words = _words(text)
    if words and words[0] == "to":
        return "infinitive"
    if text.rstrip().endswith(".") or any(w in _VERBS for w in words) or (
            words and words[0] in {"it", "they", "he", "she", "we"}):
        return "clause"
    return "noun phrase"


def opposites(a: str, b: str) -> bool:
    """True when one option is the other negated ("looks promising" / "doesn't look ...")."""
    wa, wb = _words(a), _words(b)
    neg_a = any(w in _NEGATIONS or w.endswith("n't") for w in wa)
    neg_b = any(w in _NEGATIONS or w.endswith("n't") for w in wb)
    if neg_a == neg_b:
        return False
    core_a = {_stem(w) for w in wa if w not in _NEGATIONS and not w.endswith("n't")}
    core_b = {_stem(w) for w in wb if w not in _NEGATIONS and not w.endswith("n't")}
    return bool(core_a) and core_a == core_b


def text_option_lints(key: str, choices: Sequence[str]) -> list[str]:
    """Warnings about a text item's authored options (none without choices)."""
    if not choices:
        return []
    out: list[str] = []
    longest = max(len(c) for c in choices)
    if len(key) > LONG_RATIO * longest and len(key) - longest >= LONG_MARGIN:
        out.append(f"the answer ({len(key)} characters) is much longer than every distractor "
                   f"(at most {longest}), which gives it away; shorten the answer or write "
                   "distractors as specific and as long")
    absolutes = {w for c in choices for w in _words(c) if w in ABSOLUTES}
    if absolutes and not set(_words(key)) & ABSOLUTES:
        out.append(f"absolute words ({', '.join(sorted(absolutes))}) appear only in distractors, "
                   "so a test-wise fellow rules them out; remove them or word the answer alike")
    if set(_words(key)) & HEDGES and not any(set(_words(c)) & HEDGES for c in choices):
        out.append("the answer is the only hedged option (" + ", ".join(
            sorted(set(_words(key)) & HEDGES)) + "), which gives it away; qualify a distractor "
            "as well or state the answer plainly")
    options = [key, *choices]
    for a, b in combinations(options, 2):
        if opposites(a, b):
            out.append(f"the options {a!r} and {b!r} are opposites, so one of them is likely "
                       "right; replace one with a distinct alternative")
            break
    forms = {form(c) for c in choices}
    if len(forms) == 1 and form(key) not in forms:
        out.append(f"the answer is a {form(key)} while the distractors are each a "
                   f"{next(iter(forms))}; write all options in the same grammatical form")
    return out


def authored_rank_warning(fact: Fact) -> str:
    """A warning when a numeric fact's authored choices put the key at one rank every time."""
    values = []
    for choice in fact.choices:
        parsed = parse_choice(choice)
        if parsed is None or not comparable(fact.answer, parsed):
            return ""
        values.append(value_key(parsed))
    if len(values) < 3:
        return ""
    key = value_key(fact.answer)
    shown = [values] if len(values) == 3 else [list(c) for c in combinations(values, 3)]
    ranks = {sum(1 for v in subset if v < key) for subset in shown}
    if len(ranks) > 1:
        return ""
    rank = next(iter(ranks)) + 1
    return (f"its authored choices put the answer at the same place every time (option {rank} "
            "of 4, ascending), which a fellow learns; remove 'choices' so ibdquiz generates "
            "options with the answer at every place, or write 4 choices that vary it")
