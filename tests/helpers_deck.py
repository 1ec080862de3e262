"""Checks the bundled deck against the seed article: every number it shows is the article's.

Used by tests/test_bundled_deck.py. The deck's numbers are taken from the part of the article that
speaks of their source: the Mayo Clinic series and the commentary from the body, each additional
reference from its own line, so a number moved to the wrong study is caught too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ibdquiz.core.answers import parse_answer
from ibdquiz.errors import AnswerFormatError

REPO = Path(__file__).resolve().parents[1]
DECK_PATH = REPO / "src" / "ibdquiz" / "decks" / "tacrolimus-refractory-crohns.yaml"
ARTICLE_PATH = REPO / "tests" / "data" / "seed_article.txt"

# Sources whose facts come from the article's body (before "Additional references:").
BODY_SOURCES = {"mayo-2013", "gutsandgrowth-commentary"}

# Where the article's wording differs from the deck's, the article phrases that back a deck
# token (all must appear in the source's passage). Kept short and explicit on purpose.
ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    # "Of the patients who achieved remission (n=5), 2 were transitioned ..."
    ("mayo-2013", "2/5"): ("(n=5), 2 were transitioned",),
    # "1 patient did well after stopping all therapy during a 6 month followup"
    ("mayo-2013", "6 months"): ("6 month followup",),
    # A plain-number answer must say which of the article's numbers it is (see check_tokens).
    ("mayo-2013", "24"): ("experience with 24 adult patients",),
    ("mayo-2013", "5"): ("achieved remission (n=5)",),
}

# How the article states a source's size, when it is not written "n=<n>".
N_PHRASES: dict[str, str] = {"mayo-2013": "{n} adult patients"}

# The commentary is the article itself: its citation is its title plus where it was published.
CITATION_PARTS: dict[str, tuple[str, ...]] = {
    "gutsandgrowth-commentary": (
        "Tacrolimus for Refractory Crohn's Disease",
        "gutsandgrowth",
        "blog",
    ),
}

_UNITS = r"(?:ng/mL|mg|mL|months?|years?|weeks?)"
_NUM = r"\d+(?:\.\d+)?"
_LEFT = r"(?<![\d./])"  # a token must not be the tail of a longer number (4% inside 54%)

# Tokens in the order they are looked for; each match is blanked before the next pattern runs.
FRACTION_PERCENT = re.compile(rf"{_LEFT}(\d+)/(\d+) \(({_NUM})%\)")
_FRACTION = re.compile(rf"{_LEFT}\d+/\d+(?![\d/])")
_RANGE = re.compile(rf"{_LEFT}{_NUM}-{_NUM}(?:{_UNITS}\b)?")
_WITH_UNIT = re.compile(rf"{_LEFT}{_NUM}{_UNITS}\b")
_PERCENT = re.compile(rf"{_LEFT}{_NUM}%")
_BARE = re.compile(rf"{_LEFT}{_NUM}(?![\d.])")


def normalize(text: str) -> str:
    """One spelling for what may be written two ways: quotes, dashes, spaces, "10 to 15", "2 mg"."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub("[\u2010-\u2015]", "-", text)
    text = " ".join(text.split())  # also folds the article's no-break spaces
    text = re.sub(rf"({_NUM})\s*(?:-|\bto\b)\s*({_NUM})", r"\1-\2", text)
    text = re.sub(rf"(\d)\s+({_UNITS})\b", r"\1\2", text)
    return text


def contains(passage: str, phrase: str) -> bool:
    """True when ``phrase`` occurs in ``passage`` and is not the tail of a longer number."""
    return re.search(_LEFT + re.escape(phrase), passage) is not None


@dataclass(frozen=True)
class Problem:
    """One number of the deck that the article does not back."""

    where: str
    token: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.token!r} {self.why}"


@dataclass(frozen=True)
class Article:
    """The seed article split into its body and one line per additional reference."""

    text: str
    body: str
    references: tuple[str, ...]

    @classmethod
    def read(cls, path: Path = ARTICLE_PATH) -> Article:
        """Read and split the article."""
        text = path.read_text(encoding="utf-8")
        body, _, rest = text.partition("Additional references:")
        lines = [line for line in rest.splitlines() if line.strip().startswith("\u2022")]
        return cls(normalize(text), normalize(body), tuple(normalize(line) for line in lines))

    def passage(self, source: dict[str, Any]) -> str:
        """The part of the article that speaks of ``source``."""
        if source["id"] in BODY_SOURCES:
            return self.body
        citation = normalize(str(source["citation"]))
        found = [line for line in self.references if citation in line]
        if len(found) != 1:
            raise LookupError(f"{source['id']}: citation {citation!r} is on {len(found)} lines")
        return found[0]


def check_tokens(
    text: str, passage: str, source: dict[str, Any], where: str, *, answer: bool = False
) -> list[Problem]:
    """Every number of ``text`` must be backed by ``passage`` (the source's part of the article).

    A bare number in an ``answer`` must be backed by its alias phrase: "5" occurs all over the
    article, so only the phrase tells that it is the number of patients in remission.
    """
    problems: list[Problem] = []
    remaining = normalize(text)

    def take(pattern: re.Pattern[str]) -> list[re.Match[str]]:
        nonlocal remaining
        matches = list(pattern.finditer(remaining))
        for m in matches:
            remaining = remaining[: m.start()] + " " * len(m[0]) + remaining[m.end() :]
        return matches

    for m in take(FRACTION_PERCENT):
        count, total, percent = m.groups()
        if not contains(passage, f"{count} ({percent}%)"):
            problems.append(Problem(where, m[0], f"needs '{count} ({percent}%)' in the article"))
        if str(source.get("n")) != total:
            problems.append(
                Problem(where, m[0], f"has denominator {total}, not the n of its source")
            )
    for pattern in (_FRACTION, _RANGE, _WITH_UNIT, _PERCENT):
        for m in take(pattern):
            token = m[0]
            alias = ALIASES.get((source["id"], _spaced(token)))
            if contains(passage, token):
                continue
            if alias and all(contains(passage, normalize(phrase)) for phrase in alias):
                continue
            problems.append(Problem(where, token, "is not in the article's text for this source"))
    numbers = set(re.findall(_NUM, passage))
    for m in take(_BARE):
        alias = ALIASES.get((source["id"], m[0]))
        if answer:
            if not (alias and all(contains(passage, normalize(phrase)) for phrase in alias)):
                problems.append(Problem(where, m[0], "needs an alias phrase of the article"))
        elif m[0] not in numbers:
            problems.append(
                Problem(where, m[0], "is not a number of the article's text for this source")
            )
    return problems


def _spaced(token: str) -> str:
    """Undo the unit gluing of ``normalize`` so alias keys read like the deck ("6 months")."""
    return re.sub(rf"(\d)({_UNITS})\b", r"\1 \2", token)


def _is_numeric(answer: str) -> bool:
    try:
        return parse_answer(answer).kind.numeric
    except AnswerFormatError:  # an inconsistent fraction is still a numeric answer
        return True


def deck_problems(deck: dict[str, Any], article: Article) -> list[Problem]:
    """Every number in the deck that the article does not back, and every bad source size."""
    problems: list[Problem] = []
    for key in ("title", "description"):
        problems += check_tokens(str(deck.get(key, "")), article.text, {"id": "deck"}, key)
    for source in deck["sources"]:
        sid = source["id"]
        passage = article.passage(source)
        n = source.get("n")
        if n is not None:
            phrase = N_PHRASES.get(sid, "n={n}").format(n=n)
            if not contains(passage, phrase):
                problems.append(Problem(f"{sid}/n", str(n), f"needs {phrase!r} in the article"))
        citation_numbers = normalize(str(source["citation"]))
        problems += check_tokens(
            str(source.get("label", "")), citation_numbers, source, f"{sid}/label"
        )
        problems += check_tokens(
            str(source.get("population", "")), passage, source, f"{sid}/population"
        )
        for fact in source.get("facts") or []:
            where = f"{sid}/{fact['id']}"
            for key in ("ask", "answer", "cloze", "explain"):
                if key in fact:
                    problems += check_tokens(
                        str(fact[key]), passage, source, f"{where}/{key}", answer=key == "answer"
                    )
            answer = fact.get("answer") or cloze_span(str(fact.get("cloze", "")))
            if not _is_numeric(answer):
                # Distractors of a numeric answer are meant to be wrong numbers; a text answer's
                # distractors must not slip in a number the article does not give.
                for choice in fact.get("choices") or []:
                    problems += check_tokens(str(choice), passage, source, f"{where}/choices")
    return problems


def cloze_span(cloze: str) -> str:
    spans = re.findall(r"\{\{(.+?)\}\}", cloze)
    return spans[0] if len(spans) == 1 else ""


def all_texts(deck: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (place, text) of the deck a fellow may read."""
    texts = [("description", str(deck.get("description", "")))]
    for source in deck["sources"]:
        for key in ("citation", "label", "population"):
            texts.append((f"{source['id']}/{key}", str(source.get(key, ""))))
        for fact in source.get("facts") or []:
            for key in ("ask", "answer", "cloze", "explain"):
                if key in fact:
                    texts.append((f"{source['id']}/{fact['id']}/{key}", str(fact[key])))
            texts += [
                (f"{source['id']}/{fact['id']}/choices", str(c)) for c in fact.get("choices") or []
            ]
    return texts
