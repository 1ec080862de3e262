"""The loader's shortcuts give what the long way gives (issue 13: validate near a bare compose).

- ``compose`` builds its nodes from the parser's events in one tight loop: the tree (shape, text,
  positions) is the one libyaml's own composer builds, on any document without anchors or tags;
- ``refuse_controls`` skips walking the tree when the file holds no refused character and no
  backslash: then no scalar can hold one (only a double-quoted escape makes a character);
- the author warnings read each fact's authored pool only (``test_distractors_authored``), and
  whether a question gives its own answer off the leak index they build anyway;
- the leak scan skips its share and number-word passes when a cheap check says no match.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ibdquiz.core import leaks
from ibdquiz.core.authoring import author_warnings
from ibdquiz.core.deckload import load_deck_text
from ibdquiz.core.distractors import is_text_only
from ibdquiz.core.printable import refused
from ibdquiz.core.yamlnodes import Mapping, Node, Scalar, Sequence, compose, refused_scalars
from tests.helpers_cards import deck, fact, source

PIECES = [
    "a", "b: ", "- ", "  ", "\n", "\t", "x y", ": ", " #", "#", "'", '"', "[", "]", "{", "}", "{{",
    "}}", ", ", "|", ">", "-", "?", "54%", "é", "\u2028", "\ufeff", "---", "...", "\\", "\\e",
    "\\u202e", "\\x9b", "\r", "\r\n", "\x85", "\u202e", "\x1b", "ask: ", "answer: ", "id: f",
]
BUNDLED = Path(__file__).resolve().parents[1] / "decks" / "tacrolimus-refractory-crohns.yaml"
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def ours(node: Node) -> Any:
    """A node as nested tuples: kind, position, and text or children."""
    if isinstance(node, Scalar):
        return ("scalar", node.line, node.col, node.text, node.plain)
    if isinstance(node, Sequence):
        return ("seq", node.line, node.col, node.flow, [ours(i) for i in node.items])
    assert isinstance(node, Mapping)
    return ("map", node.line, node.col, node.flow, [(ours(k), ours(v)) for k, v in node.items])


def libyaml(node: yaml.Node) -> Any:
    """libyaml's composed node in the same form."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", line, col, node.value, not node.style)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", line, col, bool(node.flow_style), [libyaml(i) for i in node.value])
    assert isinstance(node, yaml.MappingNode)
    return ("map", line, col, bool(node.flow_style),
            [(libyaml(k), libyaml(v)) for k, v in node.value])


@settings(deadline=None, max_examples=400)
@given(texts)
def test_the_event_loop_builds_the_tree_libyaml_composes(text: str) -> None:
    try:
        theirs = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return  # not one plain document: the loader's own messages are pinned elsewhere
    composed = compose(text, "t.yaml")
    if composed.diagnostics:  # a trap the loader names, or an error it refuses
        return
    if theirs is None:
        assert composed.root is None
        return
    assert composed.root is not None
    assert ours(composed.root) == libyaml(theirs)


@settings(deadline=None, max_examples=400)
@given(texts)
def test_without_a_refused_character_or_a_backslash_no_scalar_holds_one(text: str) -> None:
    composed = compose(text, "t.yaml")
    if composed.root is None:
        return
    if next(refused(text), None) is None and "\\" not in text:
        assert list(refused_scalars(composed.root)) == []


def test_an_escape_still_makes_a_refused_scalar() -> None:
    composed = compose('a: "x\\e[2J"\nb: plain\n', "t.yaml")
    assert composed.root is not None
    assert [(s.line, s.col) for s in refused_scalars(composed.root)] == [(1, 4)]


def test_the_bundled_deck_reads_as_libyaml_composes_it() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    composed = compose(text, str(BUNDLED))
    assert composed.diagnostics == [] and composed.root is not None
    assert ours(composed.root) == libyaml(yaml.compose(text, Loader=yaml.CSafeLoader))


SHARE_PIECES = ["half", "HALF", "Half", "a third", "one THIRD", "two thirds", "a quarter",
                "three QUARTERS", "th", "rd", "ı", "İ", "ſ", "i", " ", "x", "one", "FIVE",
                "twenty", "ten", "'s", "’s", "-", "5", "54%", "é", "\u0307"]
share_texts = st.lists(st.sampled_from(SHARE_PIECES), max_size=12).map("".join)


@settings(deadline=None, max_examples=400)
@given(share_texts)
def test_the_leak_scan_prefilters_never_hide_a_match(text: str) -> None:
    """``_text_keys`` skips the share and number-word scans when their cheap checks say no."""
    if leaks._SHARE.search(text):
        assert leaks._may_share(text.lower())
    if any(word in leaks._WORDS for word in leaks._WORD.findall(text.casefold())):
        assert leaks._NUMBER_WORD.search(text.casefold())


def test_the_leak_scan_still_reads_shares_and_number_words() -> None:
    assert ("%", 33) in leaks.text_keys("About a THIRD of them")
    assert ("n", 5, "") in leaks.text_keys("five patients")
    assert ("%", 50) in leaks.text_keys("Half responded")


def test_a_dotted_or_dotless_i_in_a_share_is_read_not_a_crash() -> None:
    # IGNORECASE matches 'İ' and 'ı' for 'i': 'a THİRD' once raised a KeyError in validate
    assert ("%", 33) in leaks.text_keys("About a THİRD of them")
    assert ("%", 67) in leaks.text_keys("two thırds")
    text = BUNDLED.read_text(encoding="utf-8").replace(
        "ask: How many adult patients", "ask: Did a THİRD of the adult patients", 1)
    assert load_deck_text(text, "x.yaml").deck is not None


ASK_PIECES = ["What share", " reached", " 54%", " 54 percent", " 8/24", " 8 of 24", " 33%",
              " half", " five", " 4 months", " 10 to 15", " 10-15 ng/mL", " ileal", " The ileal",
              " upper tract", " colonic", " 17", " 2.5 years", "?", " ’", " it"]
ANSWERS = ["54%", "8/24 (33%)", "4 months", "10-15 ng/mL", "5", "50%", "ileal", "upper tract",
           "the colonic", "2.5 years", "17 patients", "33%", "It"]


@settings(deadline=None, max_examples=150)
@given(st.lists(st.tuples(st.sampled_from(ANSWERS), st.booleans(),
                          st.lists(st.sampled_from(ASK_PIECES), max_size=8).map("".join)),
                min_size=1, max_size=12))
def test_the_leak_index_finds_a_question_giving_its_own_answer_as_gives_answer_does(
    rows: list[tuple[str, bool, str]],
) -> None:
    """author_warnings reads 'the question contains its own answer' off the index it builds
    for the other facts' answers: the same verdict as ``gives_answer``, fact by fact."""
    facts = [fact(f"f{i}", answer, ask=ask, force_text=as_text)
             for i, (answer, as_text, ask) in enumerate(rows)]
    index: leaks.LeakIndex[str] = leaks.LeakIndex()
    for f in facts:
        index.add(f.id, f.answer, text=is_text_only(f))
    for f in facts:
        assert (f.id in index.found_in(f.ask)) == leaks.gives_answer(
            f.answer, f.ask, as_text=is_text_only(f)), (f.answer.text, f.ask)


def test_warnings_of_a_deck_whose_facts_share_a_key_still_name_a_question_that_leaks() -> None:
    # built in code: two facts 's/f'; the own-answer check then asks gives_answer directly
    d = deck(source("s", fact("f", "54%", ask="Was it 54%?", explain="e"),
                    fact("f", "20%", ask="Was it 54%?", explain="e")))
    leaked = [w for w in author_warnings(d, "t.yaml") if "contains its own answer" in w.message]
    assert [w.line for w in leaked] == [d.sources[0].facts[0].line]


def test_loading_leaves_the_cycle_collector_as_it_found_it() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    assert gc.isenabled()
    assert load_deck_text(text, "x.yaml").deck is not None
    assert gc.isenabled()
    assert load_deck_text("deck: [", "x.yaml").deck is None  # an error path too
    assert gc.isenabled()
    gc.disable()
    try:
        load_deck_text(text, "x.yaml")
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()


NUMBER_PIECES = ["1", "2.5", "12", ".", "..", "-", "–", " to ", " of ", " out of the ", "/", "%",
                 " percent", " (33%)", " (", ")", " mg", " months", "-month", " patients", "x",
                 "٣", "²", " ", "a1", "54%", "8/24", "10-15 ng/mL", "zero", "nineteen", "tenth"]
number_texts = st.lists(st.sampled_from(NUMBER_PIECES), max_size=14).map("".join)


@settings(deadline=None, max_examples=400)
@given(number_texts)
def test_the_leak_scan_finds_the_numbers_finditer_finds(text: str) -> None:
    """``_numbers`` tries ``_NUMBER`` only at digits: the same matches, groups and all."""
    def read(matches: Iterable[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, Any]]]:
        return [(m.span(), m.groupdict()) for m in matches]

    assert read(leaks._numbers(text)) == read(leaks._NUMBER.finditer(text))
    words = [word for word in leaks._WORDS if word in text]
    assert bool(leaks._NUMBER_WORD.search(text)) is bool(words)


def test_a_plain_scalar_cut_by_one_space_and_a_hash_is_marked_and_no_other() -> None:
    composed = compose("a: x #y\nb: z  #w\nc: plain\nd: 'q' #r\n", "t.yaml")
    assert isinstance(composed.root, Mapping)
    cut = {key.text: value.comment_col for key, value in composed.root.items
           if isinstance(key, Scalar) and isinstance(value, Scalar)}
    assert cut == {"a": 6, "b": 0, "c": 0, "d": 0}
    assert compose("a: x\n", "t.yaml").diagnostics == []
