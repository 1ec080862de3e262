"""Fuzz suite (hypothesis): decks, typed answers, exports and keys.yaml, mutated at random.

Only the project's own errors may come out (a diagnostic, ``UnparseableResponse``, a report
problem line, a keymap problem), never another exception; nothing hangs (judged by CPU time,
generous, so a loaded machine does not fail it); and every card of every deck that loads is
answerable by its own answer. ``IBDQUIZ_FUZZ_EXAMPLES`` scales the number of cases.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ibdquiz.core.card import CardKind
from ibdquiz.core.cards import cards_for_deck, choice_options
from ibdquiz.core.deckload import load_deck_bytes
from ibdquiz.core.grading import grade_choice, grade_numeric, is_correct
from ibdquiz.core.model import LoadResult
from ibdquiz.errors import IbdquizError, UnparseableResponse
from ibdquiz.report.reader import read_exports
from ibdquiz.tui.bindings import default_keys
from ibdquiz.tui.keymap import parse_keymap
from tests.helpers_report import make_export

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "src" / "ibdquiz" / "decks" / "tacrolimus-refractory-crohns.yaml"
DECK = BUNDLED.read_bytes()
LINES = DECK.split(b"\n")
SCALE = float(os.environ.get("IBDQUIZ_FUZZ_EXAMPLES", "1"))
CPU_LIMIT_S = 20.0
"""CPU seconds one case may use: a hang, not a slow machine (wall time is not judged)."""

COUNTS: dict[str, int] = {}


def examples(n: int) -> Any:
    """Hypothesis settings for ``n`` cases (scaled), no deadline (the CPU limit judges)."""
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck), database=None,
                    phases=[Phase.explicit, Phase.generate])  # no shrinking: bounded time


class cpu_bound:
    """Fails the case when the block uses more than ``CPU_LIMIT_S`` of CPU time."""

    def __enter__(self) -> cpu_bound:
        self.start = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        used = time.process_time() - self.start
        assert used < CPU_LIMIT_S, f"{used:.1f} s of CPU: a hang"


SPECIAL = [
    b"\x1b[2J", b"\x9b", "\u202e".encode(), "\u2066".encode(), b"\x00", b"\xff\xfe", b"\r",
    b"\t", b"NaN", b"0/0", b"15-10 mg", b"1e400", b"123456789012345678901234567890.5 mg",
    b"71.00000000000000000000000000001%", b"-0", b"{{x}}", b"&a", b"*a", b"!!python/object",
    b"'", b'"', b": ", b" #", b"---", b"[", b"{",
]


@st.composite
def mutated_deck(draw: st.DrawFn) -> bytes:
    """The bundled deck with a few random mutations of the kinds issue 14 lists."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(
            ["flip", "delete", "duplicate", "special", "answer", "big", "nest"]))
        index = draw(st.integers(0, len(lines) - 1))
        if kind == "flip" and lines[index]:
            line = bytearray(lines[index])
            at = draw(st.integers(0, len(line) - 1))
            line[at] ^= 1 << draw(st.integers(0, 7))
            lines[index] = bytes(line)
        elif kind == "delete":
            del lines[index]
        elif kind == "duplicate":  # a duplicated key, or a duplicated list item line
            lines.insert(index, lines[index])
        elif kind == "special":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.sampled_from(SPECIAL)) + line[at:]
        elif kind == "answer":
            answers = [i for i, line in enumerate(lines) if line.strip().startswith(b"answer:")]
            target = answers[draw(st.integers(0, len(answers) - 1))]
            value = draw(st.sampled_from([
                b"NaN", b"0/0", b"5/0", b"15-10 mg", b"10-10 mg", b"1e400", b"-5%",
                b"123456789012345678901234567890.5 mg", b"9" * 20 + b"%", b"0." + b"0" * 20 + b"1",
                b"8/24 (34%)", b"25/24", b"inf mg", b"", b"[1, 2]", b"{a: b}",
            ]))
            prefix = lines[target][: lines[target].index(b"answer:") + 7]
            lines[target] = prefix + b" " + value
        elif kind == "big":  # a 1 MB field
            prefix = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
            lines.insert(index, prefix + b"explain: " + b"x" * (1 << 20))
        else:  # deep nesting
            depth = draw(st.sampled_from([100, 1000, 10_000]))
            lines.insert(index, b"nest: " + b"[" * depth + b"]" * depth)
    return b"\n".join(lines)


def answerable(result: LoadResult) -> None:
    """Every card of a loaded deck is answered right by its own answer."""
    if result.deck is None:
        assert result.errors, "a deck that does not load says why"
        return
    for card in cards_for_deck(result.deck):
        if card.kind is CardKind.CHOICE:
            options = choice_options(card, seed=3)
            assert options.correct_index is not None
            assert is_correct(grade_choice(options.correct_index, options, 1000)), card.id
        elif card.kind is CardKind.NUMERIC:
            assert grade_numeric(card, card.answer.text).correct, card.id


@examples(120)
@given(mutated_deck())
def test_fuzz_mutated_decks(data: bytes) -> None:
    COUNTS["decks"] = COUNTS.get("decks", 0) + 1
    with cpu_bound():
        result = load_deck_bytes(data, Path("fuzz.yaml"))
        for diagnostic in result.diagnostics:
            assert diagnostic.path == "fuzz.yaml" and diagnostic.line >= 1 and diagnostic.col >= 1
        answerable(result)


def _numeric_cards() -> list[Any]:
    result = load_deck_bytes(DECK, BUNDLED)
    assert result.deck is not None
    return [c for c in cards_for_deck(result.deck) if c.kind is CardKind.NUMERIC]


NUMERIC = _numeric_cards()
NUMBERISH = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789.,-+/%() eE_", max_size=60),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
    st.builds(lambda a, b: f"{a}/{b}", st.integers(-10, 10**40), st.integers(-10, 10**40)),
    st.builds(lambda a, u: f"{a} {u}", st.floats().map(str),
              st.sampled_from(["%", "mg", "ng/mL", "months", "µg", "weeks"])),
    st.sampled_from(["9" * 5000, "1/" + "9" * 5000, "0." + "0" * 4000 + "1", "\x1b[2J5",
                     "5\u202e%", "NaN", "-inf", "1e999999", "٣", "５", "½", "0x10"]),
)


@examples(600)
@given(card=st.sampled_from(NUMERIC), typed=NUMBERISH)
def test_fuzz_typed_answers(card: Any, typed: str) -> None:
    COUNTS["typed"] = COUNTS.get("typed", 0) + 1
    with cpu_bound():
        try:
            result = grade_numeric(card, typed)
        except UnparseableResponse as exc:
            assert exc.hint and "\n" not in exc.hint
        else:
            assert 0 <= result.quality <= 5


def _json_mutation(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """``value`` with, now and then, a field replaced by something hostile."""
    if draw(st.integers(0, 30)) == 0 or depth > 6:
        return draw(st.one_of(
            st.none(), st.booleans(), st.integers(-10**400 if depth else -5, 10**400),
            st.floats(), st.text(max_size=30),
            st.sampled_from(["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59Z", "2025-13-40",
                             "2025-01-01T00:00:00+99:00", "=HYPERLINK(\"x\")", "\x1b]52;c;x\x07",
                             "x" * 70_000, "2025-01-01garbage"]),
            st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5),
                                                                 st.integers(), max_size=3),
        ))
    if isinstance(value, dict):
        return {k: _json_mutation(draw, v, depth + 1) for k, v in value.items()
                if draw(st.integers(0, 60)) != 0}
    if isinstance(value, list):
        return [_json_mutation(draw, v, depth + 1) for v in value]
    return value


BASE_EXPORT = make_export("learner-fuzz", "Fellow Fuzz", n_reviews=60, seed=1)


@st.composite
def mutated_export(draw: st.DrawFn) -> bytes:
    doc = _json_mutation(draw, BASE_EXPORT)
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 5)) == 0:  # and now and then, the bytes themselves
        data = bytearray(text.encode())
        for _ in range(draw(st.integers(1, 5))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        return bytes(data)
    return text.encode()


@examples(60)
@given(mutated_export())
def test_fuzz_exports(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    COUNTS["exports"] = COUNTS.get("exports", 0) + 1
    folder = tmp_path_factory.mktemp("exports")
    (folder / "a.json").write_bytes(data)
    (folder / "good.json").write_text(json.dumps(BASE_EXPORT | {"learner_id": "good"}),
                                      encoding="utf-8")
    with cpu_bound():
        try:
            outcome = read_exports([folder / "a.json", folder / "good.json"])
        except IbdquizError:
            return
    assert len(outcome.fellows) + len(outcome.problems) >= 1
    for problem in outcome.problems:
        assert "\n" not in problem and "\x1b" not in problem


KEYS_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
              st.sampled_from(["ctrl+q", "1", "2", "escape", "enter", "\x1b[2J", "\u202e"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=30,
)
DEFAULTS = default_keys()
BINDING_IDS = sorted(DEFAULTS)


@st.composite
def keys_yaml(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        doc = {draw(st.sampled_from([*BINDING_IDS, "nope"])): draw(KEYS_VALUES)
               for _ in range(draw(st.integers(0, 5)))}
        return json.dumps(doc)  # JSON is YAML
    if kind == 1:
        depth = draw(st.sampled_from([50, 500, 5000]))
        return "session.end: " + "[" * depth + "]" * depth
    if kind == 2:
        return draw(st.text(max_size=200))
    return "\n".join(f"{draw(st.sampled_from(BINDING_IDS))}: {draw(st.text(max_size=15))}"
                     for _ in range(draw(st.integers(1, 6))))


@examples(200)
@given(keys_yaml())
def test_fuzz_keys_yaml(text: str) -> None:
    COUNTS["keys"] = COUNTS.get("keys", 0) + 1
    with cpu_bound():
        loaded = parse_keymap(text, "keys.yaml", DEFAULTS)
    for problem in loaded.problems:
        assert isinstance(problem, str)
    for binding_id, keys in dict(loaded.keymap).items():
        assert binding_id in BINDING_IDS and isinstance(keys, str)


@pytest.mark.parametrize("depth", [500, 5000, 50_000])
def test_deeply_nested_keys_yaml_is_a_problem_not_a_crash(depth: int) -> None:
    with cpu_bound():
        loaded = parse_keymap("session.end: " + "[" * depth + "]" * depth, "keys.yaml", DEFAULTS)
    assert loaded.problems and not dict(loaded.keymap)


def test_fuzz_case_counts_are_reported() -> None:
    """Runs last in the file: prints how many cases each fuzz test ran (for the CI log)."""
    print("fuzz cases:", COUNTS)
    random.seed(0)
