"""Safe YAML reading for decks that keeps positions and keeps every scalar as the text written.

The tree is built here from the parser's *events*, never by PyYAML's constructors: nothing is
converted (``no`` stays ``"no"``, ``1.10`` stays ``"1.10"``), an anchor or alias is refused the
moment it is seen (so an alias bomb is never expanded), explicit tags are refused, and a second
document is refused. Problems come back as ``Diagnostic``s with 1-based ``line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

import yaml

from ibdquiz.core.model import Diagnostic
from ibdquiz.core.problems import MAX_DIAGNOSTICS as MAX_DIAGNOSTICS
from ibdquiz.core.problems import Problems as Problems
from ibdquiz.core.problems import one_line as one_line
from ibdquiz.core.yamltraps import BRACES_MESSAGE as BRACES_MESSAGE
from ibdquiz.core.yamltraps import QUOTE_HINT as _QUOTE_HINT
from ibdquiz.core.yamltraps import scan_traps, syntax_problem

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

    def check_event(self, *choices: type[yaml.Event]) -> bool: ...

    def get_event(self) -> yaml.Event: ...

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
        stack: list[Mapping | Sequence] = []
        pending_keys: list[Node | None] = []
        root: Node | None = None
        documents = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line, col = _mark(event.start_mark)
                    self.problems.add(line, col, "a second YAML document starts here; a deck is "
                                      "one document: remove this '---' and what follows, or move "
                                      "it to a file of its own")
                    return root
                continue
            node: Node | None = None
            if isinstance(event, yaml.AliasEvent):
                line, col = _mark(event.start_mark)
                if self._first("alias", line, col):
                    self.problems.add(line, col, f"an alias (*{event.anchor}) is not allowed in "
                                      "a deck; write the value out, or if this is text starting "
                                      f"with '*', {_QUOTE_HINT}")
                node = Scalar("", line, col, refused=True)
            elif isinstance(event, yaml.ScalarEvent):
                self._check_node_event(event)
                node = self._scalar(event)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self._check_node_event(event)
                line, col = _mark(event.start_mark)
                flow = bool(event.flow_style)
                if isinstance(event, yaml.MappingStartEvent):
                    written = self._line(line)[col - 1:] if flow else ""
                    stack.append(Mapping(line, col, flow=flow, braces=written.startswith("{{"),
                                         curly=written.startswith("{")))
                else:
                    stack.append(Sequence(line, col, flow=flow))
                pending_keys.append(None)
                continue
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                node = stack.pop()
                pending_keys.pop()
            else:
                continue
            if not stack:
                root = node
                continue
            parent = stack[-1]
            if isinstance(parent, Sequence):
                parent.items.append(node)
            elif pending_keys[-1] is None:
                pending_keys[-1] = node
            else:
                key = pending_keys[-1]
                pending_keys[-1] = None
                if key is not None:
                    parent.items.append((key, node))
        return root

    def _check_node_event(self, event: yaml.NodeEvent) -> None:
        line, col = _mark(event.start_mark)
        if event.anchor is not None and self._first("anchor", line, col):
            self.problems.add(line, col, f"an anchor (&{event.anchor}) is not allowed in a deck; "
                              "remove it and write values out in full, or if this is text starting "
                              f"with '&', {_QUOTE_HINT}")
        tag = getattr(event, "tag", None)
        if tag is not None:
            tag = "!!" + tag.removeprefix(_CORE_TAGS) if tag.startswith(_CORE_TAGS) else tag
            self.problems.add(line, col, f"an explicit tag ({tag}) is not allowed in a deck: "
                              "every value is read as the text written; remove the tag, or if "
                              f"this is text starting with '!', {_QUOTE_HINT}")

    def _scalar(self, event: yaml.ScalarEvent) -> Scalar:
        line, col = _mark(event.start_mark)
        plain = not event.style
        comment_col = 0
        if plain and event.value:
            end_line, end_col = _mark(event.end_mark)
            rest = self._line(end_line)[end_col - 1:]
            # Exactly one space then '#': the author most likely meant text, not a comment.
            if rest.startswith(" #"):
                comment_col = end_col + 1
        return Scalar(event.value, line, col, plain=plain, comment_col=comment_col)

    def _line(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


def _mark(mark: _Position | None) -> tuple[int, int]:
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1
