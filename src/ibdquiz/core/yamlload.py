"""Safe YAML reading for decks that keeps positions and keeps every scalar as the text written.

The tree is built here from the parser's *events*, never by PyYAML's constructors: nothing is
converted (``no`` stays ``"no"``, ``1.10`` stays ``"1.10"``), an anchor or alias is refused the
moment it is seen (so an alias bomb is never expanded), explicit tags are refused, and a second
document is refused. Problems come back as ``Diagnostic``s with 1-based ``line:col``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

import yaml

from ibdquiz.core.model import Diagnostic, Severity

MAX_BYTES = 5 * 1024 * 1024
"""Deck files larger than this are refused before parsing."""

MAX_DIAGNOSTICS = 200
"""At most this many problems are reported for one file (a broken file could yield thousands)."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# A value that starts with ``{{`` after a key or a list dash: YAML reads it as a flow mapping.
_BRACES_VALUE = re.compile(r"(?:^|:\s|^\s*-\s)\s*(\{\{)")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_QUOTE_HINT = "put the whole text in quotes"
_CORE_TAGS = "tag:yaml.org,2002:"
_KEY_START = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[A-Za-z_][\w-]*):")
_KEY_NO_SPACE = re.compile(r"^\s*(?:-\s+)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/].*)$")
_QUOTED_VALUE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:\s+(?P<q>[\"'])")
_INDENT_HINT = (
    "check the indentation: the keys of one fact (or source) line up under each other, and each "
    "list item starts with '- ' at the same column"
)
BRACES_MESSAGE = (
    "a value that starts with '{{' is read by YAML as a mapping, not text; put the whole text in "
    'quotes, e.g. cloze: "{{57%}} of patients ..."'
)


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


class Problems:
    """Collects diagnostics for one file, capped at ``MAX_DIAGNOSTICS``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Diagnostic] = []
        self.dropped = 0

    def add(self, line: int, col: int, message: str, severity: Severity = Severity.ERROR) -> None:
        """Record one problem at a 1-based position (on one line, even if it quotes the file)."""
        if len(self.items) >= MAX_DIAGNOSTICS:
            self.dropped += 1
            return
        message = one_line(message)
        self.items.append(Diagnostic(self.path, max(line, 1), max(col, 1), severity, message))

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        """Record problems found elsewhere (they keep their own path and position)."""
        for d in diagnostics:
            if len(self.items) >= MAX_DIAGNOSTICS:
                self.dropped += 1
            else:
                self.items.append(d)

    @property
    def has_errors(self) -> bool:
        """True once any error was recorded."""
        return self.dropped > 0 or any(d.severity is Severity.ERROR for d in self.items)

    def finish(self) -> list[Diagnostic]:
        """The diagnostics in file order, with a last line saying how many were left out."""
        result = sorted(self.items, key=lambda d: (d.line, d.col))
        if self.dropped:
            last = result[-1]
            result.append(
                Diagnostic(
                    self.path, last.line, last.col, Severity.ERROR,
                    f"{self.dropped} more problems not shown; fix the ones above and run again",
                )
            )
        return result


def one_line(text: str) -> str:
    """``text`` with its line breaks written as ``\\n`` so that it prints as one line."""
    return _LINE_BREAKS.sub(r"\\n", text)


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
    try:
        root = _Builder(text, lines, problems).run()
    except yaml.MarkedYAMLError as exc:
        _syntax_problem(exc, lines, problems)
        root = None
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


def _char_position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


class _Builder:
    """Turns parser events into nodes, refusing anchors, aliases, tags and extra documents."""

    def __init__(self, text: str, lines: list[str], problems: Problems) -> None:
        self.text = text
        self.lines = lines
        self.problems = problems

    def run(self) -> Node | None:
        loader: _EventSource = _Loader(self.text)
        try:
            return self._events(loader)
        finally:
            loader.dispose()

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
                self.problems.add(line, col, f"an alias (*{event.anchor}) is not allowed in a "
                                  "deck; write the value out, or if this is text starting with "
                                  f"'*', {_QUOTE_HINT}")
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
        if event.anchor is not None:
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


def _syntax_problem(exc: yaml.MarkedYAMLError, lines: list[str], problems: Problems) -> None:
    """Name the YAML trap behind a syntax error where one is recognised; say how to fix it."""
    line, col = _mark(exc.problem_mark or exc.context_mark)
    problem = exc.problem or "the YAML is malformed"
    context = exc.context or ""
    # The trap is on the error's line or just above it (YAML notices a few tokens later).
    nearby = [(n, _line_text(lines, n)) for n in range(line, max(line - 3, 0), -1)]
    for number, text in nearby:
        found = _BRACES_VALUE.search(text)
        if found:
            problems.add(number, found.start(1) + 1, BRACES_MESSAGE)
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
                     f"'{closer}'; if this is text starting with '{opener}', {_QUOTE_HINT}, "
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
                         f"above; {_INDENT_HINT} (if it is text containing ': ', {_QUOTE_HINT})")
        else:
            problems.add(line, col, "a ': ' (colon and space) inside unquoted text starts a new "
                         f"key; {_QUOTE_HINT}, e.g. ask: \"Note: ...\"")
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
        problems.add(line, col, f"text that starts with a quote ({q}) ends at the next {q}, so "
                     f"YAML cannot read what follows; put the whole text in {other} quotes, "
                     f"e.g. ask: {other}{q}Which{q} one?{other}")
        return
    char = _char_at(lines, line, col)
    if "cannot start any token" in problem:
        problems.add(line, col, f"a value cannot start with {char!r} unless it is quoted; "
                     f"{_QUOTE_HINT}")
        return
    if "expected" in problem:
        problems.add(line, col, f"YAML cannot read this line ({problem}); {_INDENT_HINT}; "
                     "text containing ': ' or ' #' goes in quotes")
        return
    context = f" {exc.context}" if exc.context else ""
    problems.add(line, col, f"YAML syntax error: {problem}{context}; {_INDENT_HINT}; put text "
                 "containing ': ' or ' #', or starting with one of { [ * & ! | > ' \" % @ `, in "
                 "quotes")


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
