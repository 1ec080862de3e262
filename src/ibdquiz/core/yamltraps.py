"""YAML's classic traps: naming the likely mistake behind a syntax error, and how to fix it.

PyYAML reports *where* it gave up ("mapping values are not allowed here"); a director needs to
know *why*: an unquoted ': ' in text, a value starting with '{{', a key indented too far, a key
without a space after its colon, a quote that ends before the text does, a tab.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ibdquiz.core.problems import Problems

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
_QUOTE_HINT = QUOTE_HINT


def _mark(mark: yaml.Mark | None) -> tuple[int, int]:
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


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
                         f"key; {_QUOTE_HINT}, e.g. {_colon_example(lines, line, col)}")
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


BRACES_MESSAGE = braces_message("cloze", "{{57%}} of patients ...")
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
