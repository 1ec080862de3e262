"""A knowledge-free cue solver (issue 9): answers a choice card from its header, stem and
options alone, with the cues a test-wise examinee uses. Self-contained (no ibdquiz imports), so
the same solver can be run against any version of ibdquiz.

Cue families: rank/position, the median option, membership of an evenly spaced grid, shared last
digits, length, absolutes and hedges, grammatical form, and an option echoed by the header or
stem. ``solve`` combines them (first cue with a unique pick wins); ``CUES`` holds each alone.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import combinations, pairwise

_NUM = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
ABSOLUTES = {"only", "always", "never", "all", "none", "isolated", "exclusively", "entirely",
             "completely", "cured", "cure", "cures", "every", "must", "solely", "avoids"}
HEDGES = {"may", "might", "could", "can", "some", "most", "mostly", "often", "usually",
          "generally", "sometimes", "partial", "partially", "partly", "likely", "possibly",
          "probably", "somewhat", "but", "too"}
VERBS = {"is", "was", "were", "are", "did", "does", "doesn't", "didn't", "helped", "looks",
         "look", "cured", "worsened", "should", "avoids", "had", "has", "have"}

Pick = int | None
Cue = Callable[[str, str, Sequence[str]], Pick]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _number(option: str) -> Decimal | None:
    m = _NUM.search(option)
    return Decimal(m.group(0)) if m else None


def _numeric(options: Sequence[str]) -> list[Decimal] | None:
    values = [_number(o) for o in options]
    if any(v is None for v in values):
        return None
    return [v for v in values if v is not None]


def _unique_max(scores: Sequence[float]) -> Pick:
    best = max(scores)
    return scores.index(best) if scores.count(best) == 1 else None


def median(header: str, stem: str, options: Sequence[str]) -> Pick:
    """The middle option (numeric options are ascending)."""
    return (len(options) - 1) // 2 if _numeric(options) is not None else None


def grid(header: str, stem: str, options: Sequence[str]) -> Pick:
    """The middle member of the largest evenly spaced run of at least 3 options."""
    values = _numeric(options)
    if values is None or len(values) < 3:
        return None
    best: list[int] = []
    for size in range(len(values), 2, -1):
        for subset in combinations(range(len(values)), size):
            gaps = {values[b] - values[a] for a, b in pairwise(subset)}
            if len(gaps) == 1:
                best = list(subset)
                break
        if best:
            break
    if not best or len(best) == len(values):
        return best[len(best) // 2] if best and len(best) % 2 else None
    return best[len(best) // 2]


def digits(header: str, stem: str, options: Sequence[str]) -> Pick:
    """The option whose last digit most other options share."""
    lasts = [(_NUM.findall(o) or [""])[0][-1:] for o in options]
    if not all(lasts):
        return None
    counts = Counter(lasts)
    return _unique_max([counts[d] - 1 for d in lasts])


def odd_digit(header: str, stem: str, options: Sequence[str]) -> Pick:
    """The only option whose last digit no other option shares, when the others all share one."""
    lasts = [(_NUM.findall(o) or [""])[0][-1:] for o in options]
    if not all(lasts):
        return None
    counts = Counter(lasts)
    alone = [i for i, d in enumerate(lasts) if counts[d] == 1]
    return alone[0] if len(alone) == 1 and len(counts) == 2 else None


def length(header: str, stem: str, options: Sequence[str]) -> Pick:
    """The longest option, when it is clearly the longest (text)."""
    if _numeric(options) is not None:
        return None
    sizes = sorted((len(o) for o in options), reverse=True)
    if len(sizes) > 1 and sizes[0] >= 1.25 * sizes[1]:
        return [len(o) for o in options].index(sizes[0])
    return None


def hedges(header: str, stem: str, options: Sequence[str]) -> Pick:
    """Prefer hedged options, avoid absolute ones."""
    scores = [sum(w in HEDGES for w in _words(o)) - sum(w in ABSOLUTES for w in _words(o))
              for o in options]
    return _unique_max(scores) if any(scores) else None


def _form(text: str) -> str:
    words = _words(text)
    if words and words[0] == "to":
        return "infinitive"
    if text.rstrip().endswith(".") or any(w in VERBS for w in words):
        return "clause"
    return "noun"


def form(header: str, stem: str, options: Sequence[str]) -> Pick:
    """The one option whose grammatical form differs from all the others."""
    forms = [_form(o) for o in options]
    counts = Counter(forms)
    alone = [i for i, f in enumerate(forms) if counts[f] == 1]
    return alone[0] if len(alone) == 1 and len(counts) == 2 else None


def echo(header: str, stem: str, options: Sequence[str]) -> Pick:
    """The option whose number or phrase appears in the header or stem."""
    shown = f"{header} {stem}".casefold()
    numbers = set(_NUM.findall(shown))
    hits = []
    for option in options:
        found = _NUM.findall(option)
        if found:
            hit = found[0] in numbers
        else:
            words = " ".join(_words(option))
            hit = bool(words) and words in " ".join(_words(shown))
        hits.append(hit)
    return hits.index(True) if hits.count(True) == 1 else None


def position(place: int) -> Cue:
    """Always the option at ``place`` (clipped to the last)."""
    def cue(header: str, stem: str, options: Sequence[str]) -> Pick:
        return min(place, len(options) - 1)
    return cue


CUES: dict[str, Cue] = {
    "echo": echo, "hedges": hedges, "length": length, "form": form, "grid": grid,
    "digits": digits, "odd-digit": odd_digit, "median": median,
    **{f"position-{p + 1}": position(p) for p in range(5)},
}
ORDER = ("echo", "hedges", "length", "form", "grid", "digits", "median")


def solve(header: str, stem: str, options: Sequence[str]) -> int:
    """The combined solver's pick: the first cue with a unique pick, else a coin."""
    for name in ORDER:
        pick = CUES[name](header, stem, options)
        if pick is not None:
            return pick
    digest = hashlib.sha256("\x1f".join([stem, *options]).encode()).digest()
    return digest[0] % len(options)


def score(items: Sequence[tuple[str, str, Sequence[str], int]], cue: Cue | None = None
          ) -> tuple[float, float]:
    """(hit rate, chance) of a cue (default: the combined solver) over (header, stem, options,
    correct index) items; a cue with no pick guesses by coin like ``solve``."""
    hits = 0.0
    chance = 0.0
    for header, stem, options, correct in items:
        chance += 1 / len(options)
        pick = solve(header, stem, options) if cue is None else cue(header, stem, options)
        if pick is None:
            hits += 1 / len(options)
        else:
            hits += pick == correct
    return hits / len(items), chance / len(items)
