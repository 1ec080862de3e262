"""YAML for decks as positioned nodes: the node tree, YAML's traps, and typed values.

One module for one idea, in three parts:

1. **The node tree** (``decode``, ``compose``): the tree is built from the parser's *events*,
   never by PyYAML's constructors: nothing is converted (``no`` stays ``"no"``, ``1.10`` stays
   ``"1.10"``), an anchor or alias is refused the moment it is seen (so an alias bomb is never
   expanded), explicit tags are refused, and a second document is refused. Problems come back as
   ``Diagnostic``s with 1-based ``line:col``.
2. **YAML's traps** (``syntax_problem``, ``scan_traps``, ``braces_message``): PyYAML reports
   *where* it gave up ("mapping values are not allowed here"); a director needs to know *why*: an
   unquoted ': ' in text, a value starting with '{{', a key indented too far, a key without a
   space after its colon, a quote that ends before the text does, a tab.
3. **Typed values** (``NodeReader``): what every level of a deck shares: keys (duplicate, unknown
   with "did you mean"), required values, text with YAML's trap checks, ids and tags, and
   ``plain_values``, which reads a level's plain fields off its table in ``deckformat``.
   ``factload`` and ``deckload`` build on it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Protocol, TypeAlias, TypeVar

import yaml

from ibdquiz.core.bounds import too_precise
from ibdquiz.core.deckformat import ID_REGEX, Field, required_hint
from ibdquiz.core.model import Diagnostic
from ibdquiz.core.printable import BIDI_CONTROLS, describe, printable, refused
from ibdquiz.core.problems import Problems

MAX_BYTES = 5 * 1024 * 1024
"""Deck files larger than this are refused before parsing."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_CORE_TAGS = "tag:yaml.org,2002:"


class _Position(Protocol):
    """A parser mark (pure-Python or libyaml): 0-based line and column."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


class _EventSource(Protocol):
    """The part of a PyYAML loader used here: its event stream."""

    def get_event(self) -> yaml.Event | None: ...

    def dispose(self) -> None: ...


@dataclass(slots=True)
class Scalar:
    """A scalar exactly as written; ``plain`` is False when quoted or a block (``|``, ``>``)."""

    text: str
    line: int
    col: int
    plain: bool = True
    comment_col: int = 0
    """Column of a ``#`` that cut this plain scalar (one space before it); 0 when none."""
    refused: bool = False
    """An alias stood here; it was reported already."""

    @property
    def is_null(self) -> bool:
        """True for an unquoted empty value, ``~`` or ``null``."""
        return self.plain and self.text in _NULLS


@dataclass(slots=True)
class Mapping:
    """A mapping; ``items`` keeps every pair in file order, duplicates included."""

    line: int
    col: int
    flow: bool = False
    braces: bool = False
    """Written as ``{{...`` (the cloze trap)."""
    curly: bool = False
    """Written with ``{``; a flow mapping without it came from ``a: b`` inside ``[...]``."""
    items: list[tuple[Node, Node]] = field(default_factory=list)


@dataclass(slots=True)
class Sequence:
    """A list."""

    line: int
    col: int
    flow: bool = False
    items: list[Node] = field(default_factory=list)


Node: TypeAlias = "Scalar | Mapping | Sequence"


@dataclass
class Composed:
    """What reading one YAML text gives: the root node (None when unusable) and the problems."""

    root: Node | None
    diagnostics: list[Diagnostic]


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Check size, binary content and UTF-8; return the text (without a BOM) or the problems."""
    problems = Problems(path)
    if len(data) > MAX_BYTES:
        problems.add(1, 1, f"the file is {len(data)} bytes; decks over {MAX_BYTES} bytes (5 MB) "
                     "are refused; split it into several decks")
        return None, problems.finish()
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line, col = _byte_position(data, offset)
        problems.add(line, col, "the file contains NUL bytes, so it is binary (or UTF-16), not a "
                     "YAML deck; save it as UTF-8 text")
        return None, problems.finish()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        byte = data[exc.start:exc.start + 1]
        guess = byte.decode("cp1252", errors="ignore")
        seen = f", which is {guess!r} in Windows-1252" if guess.isprintable() and guess else ""
        problems.add(line, col, f"the file is not UTF-8 (byte 0x{byte[0]:02x} here{seen}); "
                     "save it as UTF-8 text (in your editor: Save As, encoding UTF-8)")
        return None, problems.finish()
    return text.removeprefix("\ufeff"), []


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def compose(text: str, path: str) -> Composed:
    """Read one YAML document into ``Scalar``/``Mapping``/``Sequence`` nodes with positions."""
    problems = Problems(path)
    if len(text.encode("utf-8")) > MAX_BYTES:
        problems.add(1, 1, f"decks over {MAX_BYTES} bytes (5 MB) are refused; split it into "
                     "several decks")
        return Composed(None, problems.finish())
    lines = text.splitlines()
    root: Node | None = None
    first = Problems(path)
    try:
        root = _Builder(text, lines, first).run()
        problems.extend(first.items)
    except yaml.MarkedYAMLError as exc:
        root = _after_syntax_error(exc, lines, first, problems)
    except yaml.reader.ReaderError as exc:
        line, col = _char_position(text, exc.position)
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        problems.add(line, col, f"{exc.reason} (U+{code:04X}); remove the character or save the "
                     "file as plain UTF-8 text")
        root = None
    except yaml.YAMLError as exc:
        problems.add(1, 1, f"the YAML cannot be read: {exc}")
        root = None
    return Composed(root, problems.finish())


def _after_syntax_error(
    exc: yaml.MarkedYAMLError, lines: list[str], first: Problems, problems: Problems
) -> Node | None:
    """Report every line-level trap at once, then read the file with those texts quoted.

    Without a trap the one syntax error is all there is to say. With traps, the repaired copy
    (the same lines, each trap's text in quotes) usually reads, so the rest of the deck is checked
    in the same run; a syntax error that is still there is reported unless a trap explains it.
    """
    traps, repaired = scan_traps(lines)
    if not traps:
        problems.extend(first.items)
        syntax_problem(exc, lines, problems)
        return None
    for trap in traps:
        problems.add(trap.line, trap.col, trap.message)
    trap_lines = {trap.line for trap in traps}
    try:
        return _Builder("\n".join(repaired) + "\n", repaired, problems).run()
    except yaml.MarkedYAMLError as again:
        mark = again.problem_mark or again.context_mark
        if mark is None or mark.line + 1 not in trap_lines:
            syntax_problem(again, repaired, problems)
        return None


def _char_position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


class _Builder:
    """Turns parser events into nodes, refusing anchors, aliases, tags and extra documents."""

    def __init__(self, text: str, lines: list[str], problems: Problems) -> None:
        self.text = text
        self.lines = lines
        self.problems = problems
        self.refused: dict[str, tuple[int, int, int]] = {}
        """'anchor'/'alias' → (line, col) of the first one reported, and how many followed."""

    def run(self) -> Node | None:
        loader: _EventSource = _Loader(self.text)
        try:
            return self._events(loader)
        finally:
            loader.dispose()
            for what, (line, col, more) in self.refused.items():
                plural = "aliases" if what == "alias" else "anchors"
                if more:
                    self.problems.add(line, col, f"{more} more {plural} follow this one (not "
                                      "listed one by one); a deck uses none: write every value "
                                      "out in full")

    def _first(self, what: str, line: int, col: int) -> bool:
        """True for the first anchor (or alias) of the file; later ones are only counted."""
        if what in self.refused:
            first_line, first_col, more = self.refused[what]
            self.refused[what] = (first_line, first_col, more + 1)
            return False
        self.refused[what] = (line, col, 0)
        return True

    def _events(self, loader: _EventSource) -> Node | None:
        # One pass over ~10 events a fact: event classes are compared by identity (the parser
        # makes exactly these), marks read inline, and the rare checks only run when needed.
        stack: list[Mapping | Sequence] = []
        pending_keys: list[Node | None] = []
        root: Node | None = None
        documents = 0
        lines = self.lines
        count = len(lines)
        # the lines a ' #' is on: only there can one cut a plain scalar
        commented = ({number for number, text in enumerate(lines, 1) if " #" in text}
                     if " #" in self.text else set())
        get_event = loader.get_event
        scalar_event, mapping_end, sequence_end = (
            yaml.ScalarEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent)
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        node: Node
        while True:
            event: Any = get_event()  # None after the stream's end; its class is checked below
            if event is None:
                break
            kind = event.__class__
            if kind is scalar_event:
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if event.anchor is not None or event.tag is not None:
                    self._check_node_event(event, line, col)
                value = event.value
                if event.style:
                    node = Scalar(value, line, col, False)
                elif value and (end := event.end_mark).line + 1 in commented:
                    # Exactly one space then '#': the author most likely meant text, not a comment.
                    end_line, end_col = end.line + 1, end.column + 1
                    text = lines[end_line - 1] if end_line <= count else ""
                    node = Scalar(value, line, col, True,
                                  end_col + 1 if text.startswith(" #", end_col - 1) else 0)
                else:
                    node = Scalar(value, line, col)
            elif kind is mapping_end or kind is sequence_end:
                node = stack.pop()
                pending_keys.pop()
            elif kind is mapping_start or kind is sequence_start:
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if event.anchor is not None or event.tag is not None:
                    self._check_node_event(event, line, col)
                flow = bool(event.flow_style)
                if kind is mapping_start:
                    written = self._line(line)[col - 1:] if flow else ""
                    stack.append(Mapping(line, col, flow=flow, braces=written.startswith("{{"),
                                         curly=written.startswith("{")))
                else:
                    stack.append(Sequence(line, col, flow=flow))
                pending_keys.append(None)
                continue
            elif kind is yaml.AliasEvent:
                line, col = _mark(event.start_mark)
                if self._first("alias", line, col):
                    self.problems.add(line, col, f"an alias (*{event.anchor}) is not allowed in "
                                      "a deck; write the value out, or if this is text starting "
                                      f"with '*', {QUOTE_HINT}")
                node = Scalar("", line, col, refused=True)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    line, col = _mark(event.start_mark)
                    self.problems.add(line, col, "a second YAML document starts here; a deck is "
                                      "one document: remove this '---' and what follows, or move "
                                      "it to a file of its own")
                    return root
                continue
            else:
                continue
            if not stack:
                root = node
                continue
            parent = stack[-1]
            if isinstance(parent, Sequence):
                parent.items.append(node)
            else:
                key = pending_keys[-1]
                if key is None:
                    pending_keys[-1] = node
                else:
                    pending_keys[-1] = None
                    parent.items.append((key, node))
        return root

    def _check_node_event(self, event: yaml.NodeEvent, line: int, col: int) -> None:
        if event.anchor is not None and self._first("anchor", line, col):
            self.problems.add(line, col, f"an anchor (&{event.anchor}) is not allowed in a deck; "
                              "remove it and write values out in full, or if this is text starting "
                              f"with '&', {QUOTE_HINT}")
        tag = getattr(event, "tag", None)
        if tag is not None:
            tag = "!!" + tag.removeprefix(_CORE_TAGS) if tag.startswith(_CORE_TAGS) else tag
            self.problems.add(line, col, f"an explicit tag ({tag}) is not allowed in a deck: "
                              "every value is read as the text written; remove the tag, or if "
                              f"this is text starting with '!', {QUOTE_HINT}")

    def _line(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


def _mark(mark: _Position | None) -> tuple[int, int]:
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


QUOTE_HINT = "put the whole text in quotes"
EXAMPLE_CHARS = 40
"""How much of the real text a fix example quotes before it writes ' ...'."""


def braces_message(key: str | None = None, text: str = "{{...}}") -> str:
    """The '{{' trap, with an example that quotes ``text`` after ``key:`` (a list item if None)."""
    return (
        "a value that starts with '{{' is read by YAML as a mapping, not text; put the whole text "
        f"in quotes, e.g. {_written(key, _double_quoted(text))}"
    )


# A value that starts with ``{{`` after a key or a list dash: YAML reads it as a flow mapping.
_BRACES_VALUE = re.compile(r"(?:^|:\s|^\s*-\s)\s*(\{\{)")
_KEY_START = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[A-Za-z_][\w-]*):")
_KEY_NO_SPACE = re.compile(r"^\s*(?:-\s+)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/].*)$")
_QUOTED_VALUE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:\s+(?P<q>[\"'])")
_INDENT_HINT = (
    "check the indentation: the keys of one fact (or source) line up under each other, and each "
    "list item starts with '- ' at the same column"
)


def syntax_problem(exc: yaml.MarkedYAMLError, lines: list[str], problems: Problems) -> None:
    """Name the YAML trap behind a syntax error where one is recognised; say how to fix it."""
    line, col = _mark(exc.problem_mark or exc.context_mark)
    problem = exc.problem or "the YAML is malformed"
    context = exc.context or ""
    # The trap is on the error's line or just above it (YAML notices a few tokens later).
    nearby = [(n, _line_text(lines, n)) for n in range(line, max(line - 3, 0), -1)]
    for number, text in nearby:
        found = _BRACES_VALUE.search(text)
        if found:
            keyed = _KEY_START.match(text)
            value = _shorten(text[found.start(1):].strip())
            problems.add(number, found.start(1) + 1,
                         braces_message(keyed["key"] if keyed else None, value))
            return
    if "quoted scalar" in context and "end of stream" in problem and exc.context_mark:
        start_line, start_col = _mark(exc.context_mark)
        problems.add(start_line, start_col, "this quoted text is never closed; add the closing "
                     "quote at its end (a quote inside double-quoted text is written \\\", inside "
                     "single-quoted text '')")
        return
    if ("flow sequence" in context or "flow mapping" in context) and exc.context_mark:
        start_line, start_col = _mark(exc.context_mark)
        opener, closer = ("[", "]") if "sequence" in context else ("{", "}")
        problems.add(start_line, start_col, f"YAML reads the '{opener}' here as the start of a "
                     f"{'list' if opener == '[' else 'mapping'} that is never closed with "
                     f"'{closer}'; if this is text starting with '{opener}', {QUOTE_HINT}, "
                     f"else add the '{closer}'")
        return
    if "tab" in problem or _char_at(lines, line, col) == "\t":
        problems.add(line, col, "a tab is not allowed here; indent with spaces only (set your "
                     "editor to insert spaces for the Tab key)")
        return
    for number, text in nearby:
        found = _KEY_NO_SPACE.match(text)
        if found:
            key, value = found["key"], found["value"]
            problems.add(number, found.end("key") + 1, f"'{key}:' needs a space after the colon; "
                         f"write '{key}: {value}'")
            return
    current = _line_text(lines, line)
    if "mapping values are not allowed" in problem:
        key = _KEY_START.match(current)
        if key and key.end() == col:
            problems.add(line, col, f"YAML reads '{key['key']}:' as part of the text on the line "
                         f"above; {_INDENT_HINT} (if it is text containing ': ', {QUOTE_HINT})")
        else:
            problems.add(line, col, "a ': ' (colon and space) inside unquoted text starts a new "
                         f"key; {QUOTE_HINT}, e.g. {_colon_example(lines, line, col)}")
        return
    opened = _unclosed_quote(lines, line, col) if "expected" in problem else None
    if opened is not None:
        problems.add(opened[0], opened[1], f"this quoted text is not closed on its line, so YAML "
                     f"reads on to line {line} looking for the closing quote; add the closing "
                     "quote at the end of the text")
        return
    quoted = _QUOTED_VALUE.match(current)
    if quoted and col > quoted.end() and "expected" in problem:
        q = quoted["q"]
        other = "'" if q == '"' else '"'
        keyed = _KEY_START.match(current)
        value = _shorten(current[quoted.start("q"):].strip())
        example = _single_quoted(value) if other == "'" else _double_quoted(value)
        problems.add(line, col, f"text that starts with a quote ({q}) ends at the next {q}, so "
                     f"YAML cannot read what follows; put the whole text in {other} quotes, "
                     f"e.g. {_written(keyed['key'] if keyed else None, example)}")
        return
    char = _char_at(lines, line, col)
    if "cannot start any token" in problem:
        problems.add(line, col, f"a value cannot start with {char!r} unless it is quoted; "
                     f"{QUOTE_HINT}")
        return
    if "expected" in problem:
        problems.add(line, col, f"YAML cannot read this line ({problem}); {_INDENT_HINT}; "
                     "text containing ': ' or ' #' goes in quotes")
        return
    context = f" {exc.context}" if exc.context else ""
    problems.add(line, col, f"YAML syntax error: {problem}{context}; {_INDENT_HINT}; put text "
                 "containing ': ' or ' #', or starting with one of { [ * & ! | > ' \" % @ `, in "
                 "quotes")


def _colon_example(lines: list[str], line: int, col: int) -> str:
    """The line's key with its text quoted: ``title: "Tacrolimus in refractory Crohn's: ..."``."""
    current = _line_text(lines, line)
    key = _KEY_START.match(current)
    if key is not None and key.end() < col:
        whole = current[key.end():].split(" #", 1)[0].strip()
        if len(whole) <= EXAMPLE_CHARS:  # short (a citation): the whole value, quoted
            return _written(key["key"], _double_quoted(whole))
        return _written(key["key"], _double_quoted(_up_to_colon(current[key.end():col - 1])))
    # a continuation line: the key is on a line above, less indented
    indent = len(current) - len(current.lstrip())
    for number in range(line - 1, 0, -1):
        text = _line_text(lines, number)
        above = _KEY_START.match(text)
        if above is not None and len(above["indent"]) < indent:
            return _written(above["key"], _double_quoted(_shorten(text[above.end():] + " ...")))
    return _written(None, _double_quoted(_up_to_colon(current[:col - 1].lstrip(" -"))))


def _up_to_colon(head: str) -> str:
    """The text before the stray ': ', then ': ...' (or ' ...' where it had to be cut)."""
    head = head.strip()
    return head + ": ..." if len(head) <= EXAMPLE_CHARS else _shorten(head)


def _shorten(text: str) -> str:
    """``text``, or its start cut at a word and ending ' ...' when it is long."""
    text = text.strip()
    if len(text) <= EXAMPLE_CHARS:
        return text
    cut = text[:EXAMPLE_CHARS].rsplit(" ", 1)[0] or text[:EXAMPLE_CHARS]
    return cut.rstrip() + " ..."


def _written(key: str | None, quoted: str) -> str:
    """A key (or a list dash) and its quoted value, as the director would type it."""
    return f"{key}: {quoted}" if key else f"- {quoted}"


def _double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _unclosed_quote(lines: list[str], line: int, col: int) -> tuple[int, int] | None:
    """Where a quoted value opened on an earlier line, when YAML stopped just after its end."""
    before = _line_text(lines, line)[: col - 1].rstrip()
    if not before.endswith(('"', "'")):
        return None
    here = _QUOTED_VALUE.match(_line_text(lines, line))
    if here and len(before) > here.end():
        return None  # opened and closed on this line: the quote trap of one line
    quote = before[-1]
    for number in range(line - 1, 0, -1):
        text = _line_text(lines, number)
        opened = _QUOTED_VALUE.match(text)
        if opened and opened["q"] == quote and quote not in text[opened.end():]:
            return number, opened.end()
    return None


def _line_text(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _char_at(lines: list[str], line: int, col: int) -> str:
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


"""The '{{' trap when the key is not known (kept for callers that have no key at hand)."""


# ---- every line-level trap of a file, in one pass ------------------------------------------------
#
# PyYAML stops at the first syntax error. A director who wrote three unquoted ': ' (a title, a
# citation such as "IBD 1999; 5: 239", an explanation "Take-home: ...") should hear of all three
# at once, so the lines are scanned for the traps that are visible on their own line: an unquoted
# ': ' in text, text starting with '{{', a quoted text that goes on after its closing quote, and a
# character that cannot start a value. The scan also writes a repaired copy of the file (each trap's
# text put in quotes, on the same lines), so the rest of the file can still be read and checked.

_KEY_LINE = re.compile(
    r"^(?P<lead>[ ]*(?:-[ \t]+)*)(?P<key>[^\s#'\"\[\]{},&*!|>%@`?:-][^:#]*?|-[^\s:#][^:#]*?)"
    r"[ \t]*:(?:[ \t]+|$)(?P<value>.*)$"
)
_ITEM_LINE = re.compile(r"^(?P<lead>[ ]*(?:-[ \t]+)*-[ \t]+)(?P<value>\S.*)$")
_COLON = re.compile(r":(?=[ \t]|$)")
_COMMENT = re.compile(r"[ \t]#")
_BAD_START = "@`%"
_WORD_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:(?:[ \t]|$)")


@dataclass(frozen=True)
class LineTrap:
    """A trap found on one line: where (1-based), and the message saying how to fix it."""

    line: int
    col: int
    message: str


def scan_traps(lines: list[str]) -> tuple[list[LineTrap], list[str]]:
    """Every line-level trap of a file, and the lines with each trap's text put in quotes."""
    scanner = _Scanner(lines)
    scanner.run()
    return scanner.traps, scanner.repaired


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _cut_comment(text: str) -> str:
    """``text`` up to a comment (``#`` after a space or tab), without trailing blanks."""
    found = _COMMENT.search(text)
    return (text[: found.start()] if found else text).rstrip()


def _closing_quote(text: str, start: int) -> int:
    """The index of the quote that closes the one at ``text[start]``, or -1 if not on this line."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        char = text[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if char == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


class _Scanner:
    """Walks the lines once, skipping block scalars, flow collections and quoted text."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.repaired = list(lines)
        self.traps: list[LineTrap] = []

    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            text = self.lines[i]
            stripped = text.strip()
            if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
                i += 1
                continue
            keyed = _KEY_LINE.match(text)
            if keyed is not None:
                i = self._value(i, len(keyed["lead"]), keyed.start("value"), keyed["value"])
                continue
            item = _ITEM_LINE.match(text)
            if item is not None:
                dash = len(item["lead"].rstrip(" \t")) - 1
                i = self._value(i, dash, item.start("value"), item["value"], item=True)
                continue
            i += 1

    def _value(self, i: int, parent: int, start: int, value: str, *, item: bool = False) -> int:
        """Check the value that starts at ``lines[i][start:]``; the index of the next line."""
        head = value.lstrip()
        start += len(value) - len(head)
        if not head or head.startswith("#"):
            return i + 1
        first = head[0]
        if first in "|>":
            return self._skip_deeper(i + 1, parent)
        if head.startswith("{{"):
            keyed = None if item else _KEY_START.match(self.lines[i])
            self._add(i, start, braces_message(keyed["key"] if keyed else None,
                                               _shorten(_cut_comment(head))))
            self._quote_plain(i, start, parent)
            return self._after_plain(i, parent)
        if first in "[{":
            return self._skip_flow(i, start)
        if first in "\"'":
            return self._quoted(i, start)
        if first in "&*!":
            return i + 1  # anchors, aliases and tags are refused by the reader, with their own line
        if first in _BAD_START:
            self._add(i, start, f"a value cannot start with {first!r} unless it is quoted; "
                      f"{QUOTE_HINT}")
            self._quote_plain(i, start, parent)
            return self._after_plain(i, parent)
        if item:
            return self._after_plain(i, parent)  # '- a: b' is a mapping, matched as a key line
        last = self._after_plain(i, parent)
        for number in range(i, last):
            segment = self.lines[number]
            begin = start if number == i else _indent(segment)
            found = _COLON.search(_cut_comment(segment), begin)
            if found is not None:
                col = found.start() + 1
                if found.end() >= len(_cut_comment(segment)):
                    what = "a ':' ending unquoted text"
                else:
                    what = "a ': ' (colon and space) inside unquoted text"
                self._add(number, found.start(), f"{what} starts a new key; {QUOTE_HINT}, e.g. "
                          f"{_colon_example(self.lines, number + 1, col)}")
                self._quote_plain(i, start, parent)
                break
        return last

    def _after_plain(self, i: int, parent: int) -> int:
        """The line after the plain text that starts on line ``i`` (continuations included)."""
        if _COMMENT.search(self.lines[i]):
            return i + 1  # a comment ends the text
        j = i + 1
        last = i
        while j < len(self.lines):
            text = self.lines[j]
            stripped = text.strip()
            if stripped and (_indent(text) <= parent or stripped.startswith("#")):
                break
            if _WORD_KEY.match(text):
                break  # 'key: ...' indented too far: the parser names the indentation
            if stripped:
                last = j
                if _COMMENT.search(text):
                    break
            j += 1
        return last + 1

    def _quote_plain(self, i: int, start: int, parent: int) -> None:
        """Put the plain text starting at ``lines[i][start]`` (and its continuations) in quotes."""
        end = self._after_plain(i, parent)
        for number in range(i, end):
            text = self.repaired[number]
            begin = start if number == i else _indent(text)
            body = _cut_comment(text)
            rest = text[len(body):]
            escaped = body[begin:].replace("\\", "\\\\").replace('"', '\\"')
            opening = '"' if number == i else ""
            closing = '"' if number == end - 1 else ""
            self.repaired[number] = text[:begin] + opening + escaped + closing + rest

    def _quoted(self, i: int, start: int) -> int:
        """A quoted value: the quote trap when text follows its closing quote on its line."""
        text = self.lines[i]
        quote = text[start]
        close = _closing_quote(text, start)
        if close < 0:
            # a quoted text may go on over several lines: skip to the line that closes it
            for j in range(i + 1, len(self.lines)):
                if _closing_quote(quote + self.lines[j], 0) >= 0:
                    return j + 1
            return len(self.lines)  # never closed: the parser says where it opened
        rest = text[close + 1:]
        after = rest.lstrip(" \t")
        if after and not after.startswith("#"):
            col0 = close + 1 + (len(rest) - len(after))
            other = "'" if quote == '"' else '"'
            body = _cut_comment(text[start:])
            keyed = _KEY_START.match(text)
            shown = _shorten(body)
            example = _single_quoted(shown) if other == "'" else _double_quoted(shown)
            self._add(i, col0, f"text that starts with a quote ({quote}) ends at the next "
                      f"{quote}, so YAML cannot read what follows; put the whole text in {other} "
                      f"quotes, e.g. {_written(keyed['key'] if keyed else None, example)}")
            fixed = _single_quoted(body) if other == "'" else _double_quoted(body)
            self.repaired[i] = text[:start] + fixed + text[start + len(body):]
        return i + 1

    def _skip_deeper(self, j: int, parent: int) -> int:
        """Skip a block scalar's lines: blank, or indented deeper than its key."""
        while j < len(self.lines):
            text = self.lines[j]
            if text.strip() and _indent(text) <= parent:
                break
            j += 1
        return j

    def _skip_flow(self, i: int, start: int) -> int:
        """Skip a ``[...]`` or ``{...}`` value, which may go on over several lines."""
        depth = 0
        quote = ""
        j = i
        begin = start
        while j < len(self.lines):
            text = self.lines[j]
            k = begin
            while k < len(text):
                char = text[k]
                if quote:
                    if char == quote:
                        quote = ""
                elif char in "\"'":
                    quote = char
                elif char == "#" and k > 0 and text[k - 1] in " \t":
                    break
                elif char in "[{":
                    depth += 1
                elif char in "]}":
                    depth -= 1
                    if depth <= 0:
                        return j + 1
                k += 1
            j += 1
            begin = 0
        return j

    def _add(self, index: int, col0: int, message: str) -> None:
        self.traps.append(LineTrap(index + 1, col0 + 1, message))


ID_PATTERN = re.compile(ID_REGEX)
Fields = dict[str, tuple[Scalar, Node]]
"""A mapping's keys by name: (the key scalar, the value node)."""


class Identified(Protocol):
    """An item read from a deck with an id and the position it was read at (a source, a fact)."""

    @property
    def id(self) -> str:
        """The item's id."""
        ...

    @property
    def line(self) -> int:
        """The line the item starts at."""
        ...

    @property
    def col(self) -> int:
        """The column the item starts at."""
        ...


ItemT = TypeVar("ItemT", bound=Identified)

def merge_tags(*groups: Iterable[str]) -> tuple[str, ...]:
    """Tags of several levels, merged: de-duplicated, first occurrence order kept."""
    return tuple(dict.fromkeys(chain.from_iterable(groups)))


def suggest_id(text: str) -> str:
    """A valid id made from any text (``Mayo 2013`` → ``mayo-2013``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "my-deck"


def what_is(node: Node) -> str:
    """How a node's shape is named in messages."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "text"


_NOT_PLAIN = frozenset({"special", "list"})
"""The ``deckformat`` kinds ``plain_values`` leaves to their level's own reader."""


class NodeReader:
    """Reads typed values out of nodes, recording a diagnostic for each problem."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self._misspelt: set[tuple[int, str]] = set()
        """(id of a mapping, key) pairs that a "did you mean" already pointed at."""

    def misspelt(self, parent: Mapping, name: str) -> bool:
        """True when an unknown key of ``parent`` was already reported as a misspelt ``name``."""
        return (id(parent), name) in self._misspelt

    def error(self, node: Node | Scalar, message: str) -> None:
        """Record an error at a node's position."""
        self.problems.add(node.line, node.col, message)

    def fields(self, node: Mapping, allowed: tuple[str, ...], what: str) -> Fields:
        """The keys of a mapping, checking for non-text, duplicate and unknown keys."""
        found: Fields = {}
        for key, value in node.items:
            if not isinstance(key, Scalar):
                self.error(key, f"a key of this {what} is {what_is(key)}; keys are plain words "
                           f"such as {allowed[0]}:")
                continue
            if key.refused:
                continue
            name = key.text
            if name in found:
                self.error(key, f"duplicate key '{name}' in this {what} (first at line "
                           f"{found[name][0].line}); YAML would silently keep only the last one: "
                           "remove one of them")
                continue
            if name not in allowed:
                close = _closest(name, allowed)
                if close is not None:
                    self._misspelt.add((id(node), close))
                    hint = f"did you mean '{close}'?"
                else:
                    hint = "the keys allowed here are: " + ", ".join(allowed)
                self.error(key, f"unknown key '{name}' in a {what}; {hint}")
                continue
            found[name] = (key, value)
        return found

    def scalar(self, fields: Fields, name: str, what: str, parent: Mapping | None = None,
               *, required: bool = False) -> Scalar | None:
        """The scalar value of a key (None when absent, null, or of the wrong type)."""
        if name not in fields:
            if required and parent is not None and not self.misspelt(parent, name):
                hint = required_hint(what, name)
                self.error(parent, f"this {what} has no '{name}'; add '{name}:'{hint}")
            return None
        node = fields[name][1]
        if not isinstance(node, Scalar):
            self.type_error(node, name, "text")
            return None
        if node.refused:
            return None
        if node.is_null:
            if required:
                self.error(node, f"'{name}' is empty; write its value after '{name}:'")
            return None
        return node

    def text(self, fields: Fields, name: str, what: str, parent: Mapping, *,
             required: bool = False, prose: bool = True) -> str | None:
        """The text of a key, with the trap checks for prose."""
        scalar = self.scalar(fields, name, what, parent, required=required)
        if scalar is None:
            return None
        return self.check_scalar_text(scalar, name, required=required, prose=prose)

    def check_scalar_text(self, scalar: Scalar, name: str, *, required: bool,
                          prose: bool = True) -> str | None:
        """The stripped text of a scalar, or None after an empty or comment-cut value."""
        text = scalar.text.strip()
        if required and not text:
            self.error(scalar, f"'{name}' is empty; write its value")
            return None
        if prose and scalar.comment_col:
            self.problems.add(scalar.line, scalar.comment_col, f"' #' starts a YAML comment, so "
                              f"'{name}' was cut to {text!r}; put the whole text in quotes (or put "
                              "two spaces before '#' if it is meant as a comment)")
            return None
        return text

    def ident(self, fields: Fields, name: str, what: str, parent: Mapping) -> str | None:
        """A required id that matches ``ID_PATTERN``."""
        scalar = self.scalar(fields, name, what, parent, required=True)
        if scalar is None:
            return None
        text = scalar.text.strip()
        if not ID_PATTERN.fullmatch(text):
            self.error(scalar, f"the {what} id {text!r} is not valid: use lowercase letters, "
                       f"digits and '-', starting with a letter or digit (e.g. "
                       f"{suggest_id(text)!r})")
            return None
        return text

    def plain_values(self, fields: Fields, level: tuple[Field, ...], what: str,
                     parent: Mapping) -> dict[str, Any]:
        """The values of a level's plain fields (ids, text, counts, patterns, tags) by key,
        read as its ``deckformat`` table says; ``None`` for one absent or wrong (reported), and
        no tags ``()``."""
        values: dict[str, Any] = {}
        for f in level:
            if f.kind in _NOT_PLAIN:
                continue
            if f.key not in fields and not f.required and f.kind != "id":
                values[f.key] = () if f.kind == "tags" else None  # nothing to read or report
                continue
            if f.kind == "id":
                values[f.key] = self.ident(fields, f.key, what, parent)
            elif f.kind in ("text", "optional"):
                values[f.key] = self.text(fields, f.key, what, parent, required=f.required)
            elif f.kind == "count":
                values[f.key] = self.count(fields, f.key, what)
            elif f.kind == "pattern":
                values[f.key] = self.checked(fields, f, what, parent)
            elif f.kind == "tags":
                values[f.key] = self.tags(fields)
        return values

    def count(self, fields: Fields, name: str, what: str) -> int | None:
        """A whole number of at least 1, such as a source's ``n``."""
        scalar = self.scalar(fields, name, what)
        if scalar is None:
            return None
        text = scalar.text.strip()
        if not text.isascii() or not text.isdigit() or too_precise(text) or int(text) < 1:
            self.error(scalar, f"{name} is the number of patients, a whole number such as 24; "
                       f"{text!r} is not one (leave {name} out if the source does not give it)")
            return None
        return int(text)

    def checked(self, fields: Fields, f: Field, what: str, parent: Mapping) -> str | None:
        """Text that must match the field's pattern (a pmid, a doi, a url)."""
        text = self.text(fields, f.key, what, parent, prose=False)
        if text is not None and not re.fullmatch(f.pattern, text):
            self.error(fields[f.key][1], f"{f.key} {text!r} is not valid: {f.hint}")
            return None
        return text

    def tags(self, fields: Fields) -> tuple[str, ...]:
        """The ``tags`` of a level: a list (or one tag), de-duplicated."""
        if "tags" not in fields:
            return ()
        node = fields["tags"][1]
        items: list[Node]
        if isinstance(node, Scalar):
            if node.is_null or node.refused:
                return ()
            # Forgiving: "tags: crohns, outcomes" means the list [crohns, outcomes].
            items = [
                Scalar(part, node.line, node.col, plain=node.plain, comment_col=node.comment_col)
                for part in node.text.split(",")
            ]
        elif isinstance(node, Sequence):
            items = node.items
        else:
            self.type_error(node, "tags", "a list such as tags: [crohns, outcomes]")
            return ()
        tags: list[str] = []
        for item in items:
            if not isinstance(item, Scalar):
                self.type_error(item, "each tag", "text")
            elif not item.refused:
                text = item.text.strip()
                if text and not item.is_null:
                    tags.append(text)
                else:
                    self.error(item, "a tag is empty; remove it or write the tag")
        return merge_tags(tags)

    def unique_items(self, node: Node, name: str, expected: str,
                     read: Callable[[Node], ItemT | None], scope: str) -> list[ItemT] | None:
        """The items of the list ``name`` read by ``read``; a repeated id is reported, dropped.

        ``scope`` says where the ids must be unique ("in the deck"); a null list is empty and
        anything but a list is a type error (``None``).
        """
        if isinstance(node, Scalar) and node.is_null:
            return []
        if not isinstance(node, Sequence):
            self.type_error(node, name, expected)
            return None
        what = name.removesuffix("s")
        items: list[ItemT] = []
        first_line: dict[str, int] = {}
        for child in node.items:
            item = read(child)
            if item is None:
                continue
            if item.id in first_line:
                self.problems.add(item.line, item.col, f"duplicate {what} id '{item.id}' (first at "
                                  f"line {first_line[item.id]}); {what} ids must be unique "
                                  f"{scope}: rename one")
                continue
            first_line[item.id] = item.line
            items.append(item)
        return items

    def type_error(self, node: Node, name: str, expected: str) -> None:
        """Say a value has the wrong shape, naming the YAML trap behind it when there is one."""
        if isinstance(node, Scalar) and node.refused:
            return
        if isinstance(node, Mapping) and node.braces:
            key = None if name.startswith("each ") else name  # a list item has no key
            self.error(node, braces_message(key, _braces_text(node)))
            return
        if isinstance(node, Scalar) and node.is_null and expected.startswith("a mapping"):
            self.error(node, f"{name} should be {expected}, but this one is empty; remove the "
                       "lone '-' or write the item after it")
            return
        found = what_is(node)
        hint = ""
        if expected == "text" and isinstance(node, Mapping):
            trap = "starts with '{'" if node.curly else "contains ': '"
            hint = f"; if the text {trap}, put the whole text in quotes"
        elif expected == "text" and isinstance(node, Sequence):
            hint = "; if the text starts with '[' or '- ', put the whole text in quotes"
        elif expected.startswith("a list") and isinstance(node, Mapping) and not node.flow:
            hint = "; start each item with '- ' (a dash and a space) before its first key"
        elif expected.startswith("a mapping") and isinstance(node, Scalar):
            shown = node.text if len(node.text) <= 40 else node.text[:37] + "..."
            hint = (f" ({shown!r}); write it as keys with values, one per line, starting with "
                    "'- id: ...'")
        self.error(node, f"{name} should be {expected}, but YAML read {found} here{hint}")


def _closest(name: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed key ``name`` most likely misspells (case-insensitive), if any."""
    lowered = {key.lower(): key for key in allowed}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def _braces_text(node: Mapping) -> str:
    """What a ``{{...}}`` value read as a mapping was written as, when it is one blank."""
    if len(node.items) == 1 and _is_null(node.items[0][1]):
        inner = node.items[0][0]
        if isinstance(inner, Mapping) and len(inner.items) == 1 and _is_null(inner.items[0][1]):
            blank = inner.items[0][0]
            if isinstance(blank, Scalar) and blank.plain:
                return "{{" + blank.text + "}}"
    return "{{...}}"


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.is_null


_YAML_ACCEPTS = BIDI_CONTROLS | {"\x85"}
"""The refused characters YAML's own reader lets through when written as such (not escaped)."""
_CONTROL_ADVICE = ("deck text may not hold control characters (other than tab and newline) or "
                   "bidi controls: a terminal would obey them; remove it")


def refuse_controls(text: str, root: Node | None, problems: Problems) -> None:
    """Report every refused character (C0 but tab/newline, DEL, C1, bidi) with its position.

    Characters written as such (a bidi control pasted in, even in a comment) are found in the
    text at their exact ``line:col``; those made by a double-quoted escape (``"\\e[2J"``,
    ``"\\u202e"``) are found in the scalar they end up in, at the scalar's position.
    """
    raw_lines: set[int] = set()
    line, line_start, counted = 1, 0, 0  # lines counted up to text[counted] (matches in order)
    raw = False
    for index, char in refused(text):
        raw = True
        if char in _YAML_ACCEPTS:  # YAML's reader refuses the others
            newlines = text.count("\n", counted, index)
            if newlines:
                line += newlines
                line_start = text.rfind("\n", counted, index) + 1
            counted = index
            problems.add(line, index - line_start + 1,
                         f"the file holds {describe(char)} here; {_CONTROL_ADVICE}")
            raw_lines.add(line)
    if root is None or not (raw or "\\" in text):
        return  # a scalar holds only the file's characters, or those of an escape (a backslash)
    for node in refused_scalars(root):
        if node.line not in raw_lines:
            bad = next(refused(node.text))[1]
            escape = printable(bad)
            problems.add(node.line, node.col, f"this text holds {describe(bad)} (written "
                         f"as an escape such as '{escape}' in quotes); {_CONTROL_ADVICE}")


def refused_scalars(root: Node) -> Iterator[Scalar]:
    """The scalars of a tree that hold a refused character, in file order."""
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Scalar):
            if next(refused(node.text), None) is not None:
                yield node
        elif isinstance(node, Sequence):
            stack.extend(reversed(node.items))
        else:
            for key, value in reversed(node.items):
                stack.extend((value, key))
