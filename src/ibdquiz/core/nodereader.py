"""Reading values from the YAML node tree, with one clear diagnostic for every wrong shape.

``NodeReader`` holds what every level of a deck shares: keys (duplicate, unknown with "did you
mean"), required values, text with YAML's trap checks, ids and tags, and ``plain_values``, which
reads a level's plain fields off its table in ``deckformat``. ``deckload`` builds on it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from ibdquiz.core.bounds import too_precise
from ibdquiz.core.deckformat import ID_REGEX, Field, required_hint
from ibdquiz.core.printable import BIDI_CONTROLS, describe, is_refused, printable, refused
from ibdquiz.core.yamlload import Mapping, Node, Problems, Scalar, Sequence
from ibdquiz.core.yamltraps import braces_message

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
    return tuple(dict.fromkeys(tag for group in groups for tag in group))


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
        read as its ``deckformat`` table says; ``None`` for one absent or wrong (reported)."""
        values: dict[str, Any] = {}
        for f in level:
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
    line, line_start = 1, 0
    for index, char in enumerate(text):
        if char == "\n":
            line, line_start = line + 1, index + 1
        elif char in _YAML_ACCEPTS and is_refused(char):  # YAML's reader refuses the others
            problems.add(line, index - line_start + 1,
                         f"the file holds {describe(char)} here; {_CONTROL_ADVICE}")
            raw_lines.add(line)
    if root is None:
        return
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Scalar):
            bad = next(refused(node.text), None)
            if bad is not None and node.line not in raw_lines:
                escape = printable(bad[1])
                problems.add(node.line, node.col, f"this text holds {describe(bad[1])} (written "
                             f"as an escape such as '{escape}' in quotes); {_CONTROL_ADVICE}")
        elif isinstance(node, Sequence):
            stack.extend(reversed(node.items))
        else:
            for key, value in reversed(node.items):
                stack.extend((value, key))
