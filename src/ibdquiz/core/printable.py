"""Text from users and files made safe to print: no control characters reach a terminal.

A name or a file name may hold a newline (which would split a one-line message), an escape
sequence (which a terminal would obey: colours, its title, even the clipboard, a hidden link),
a bidi control (which reorders what follows, so one name reads as another), or, for a file
name that is not valid UTF-8, a lone surrogate (which no encoder accepts). ``printable`` is
the one neutraliser: it shows each of them as a visible escape instead (``\\x1b``, ``\\u202e``),
so what was there can still be read. Every place that prints user-supplied text goes through
it (the CLI, the study app, the text report).

``refused`` lists the characters a deck or a display name may not hold at all: C0 controls
except tab and newline, DEL, C1 controls, and the bidi controls U+202A-U+202E, U+2066-U+2069.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_UNPRINTABLE = ("Cc", "Cs")  # control characters (C0, DEL, C1); lone surrogates
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
)
"""The bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069)."""
_LINE_SEPARATORS = frozenset("\u2028\u2029")
"""Unicode's line and paragraph separators: they break a line as a newline does."""
_NAMES = {
    "\x00": "NUL", "\t": "TAB", "\n": "LINE FEED", "\x07": "BEL", "\x08": "BACKSPACE",
    "\x0b": "VT", "\x0c": "FF",
    "\r": "CR", "\x1b": "ESC", "\x7f": "DEL", "\x85": "NEL", "\x9b": "CSI", "\x9d": "OSC",
}


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Every character ``_unsafe`` is true for (Cc is exactly U+0000-U+001F and U+007F-U+009F, Cs
U+D800-U+DFFF), so long text is checked and rewritten in C; a test pins the two together."""
_UNSAFE_IN_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                              "\u202a-\u202e\u2066-\u2069]")
"""``_UNSAFE`` less tab and newline: what ``printable_block`` rewrites."""


def _visible(char: str) -> str:
    """``\\n``, ``\\x1b``, ``\\u202e``, ``\\udcff``: the character written as an escape."""
    if char in BIDI_CONTROLS or char in _LINE_SEPARATORS:
        return f"\\u{ord(char):04x}"
    return repr(char)[1:-1]


def _visible_match(match: re.Match[str]) -> str:
    return _visible(match.group())


def _unsafe(char: str) -> bool:
    """True for a character a terminal would obey rather than show."""
    return (
        unicodedata.category(char) in _UNPRINTABLE
        or char in BIDI_CONTROLS
        or char in _LINE_SEPARATORS
    )


def has_control(text: str) -> bool:
    """True when ``text`` holds a control character (tab and newline included), a bidi
    control, a line separator or a surrogate: anything ``printable`` would rewrite."""
    return _UNSAFE.search(text) is not None


def printable(text: str) -> str:
    """``text`` with every control character, bidi control or lone surrogate shown as its escape.

    >>> printable("a\\x1b]52;c;eA==\\x07b")
    'a\\\\x1b]52;c;eA==\\\\x07b'
    """
    return _UNSAFE.sub(_visible_match, text)


def printable_block(text: str) -> str:
    """Like ``printable`` but keeps newlines and tabs, for text shown over several lines."""
    return _UNSAFE_IN_BLOCK.sub(_visible_match, text)


def is_refused(char: str, *, allow_newline: bool = True) -> bool:
    """True for a character deck text or a name may not hold (tab and newline aside)."""
    if char == "\t" or (char == "\n" and allow_newline):
        return False
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in BIDI_CONTROLS


_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Every character ``is_refused`` is true for (newline allowed), found in C: a 1 MB deck holds
a million characters (a test pins the two together)."""
_REFUSED_WITH_NEWLINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def refused(text: str, *, allow_newline: bool = True) -> Iterator[tuple[int, str]]:
    """(index, character) of every refused character in ``text``."""
    pattern = _REFUSED if allow_newline else _REFUSED_WITH_NEWLINE
    for match in pattern.finditer(text):
        yield match.start(), match.group()


def describe(char: str) -> str:
    """``U+001B (ESC)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character named for a message."""
    name = _NAMES.get(char) or unicodedata.name(char, "")
    if not name and ord(char) < 0x20:
        name = f"control {_visible(char)}"
    elif not name:
        name = "C1 control" if 0x80 <= ord(char) <= 0x9F else "control"
    return f"U+{ord(char):04X} ({name})"
