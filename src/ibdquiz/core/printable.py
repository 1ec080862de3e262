"""Text from users and files made safe to print: no control characters reach a terminal.

A name or a file name may hold a newline (which would split a one-line message), an escape
sequence (which a terminal would obey: colours, its title, even the clipboard), or, for a file
name that is not valid UTF-8, a lone surrogate (which no encoder accepts). ``printable`` shows
each of them as a visible escape instead, so what was there can still be read.
"""

from __future__ import annotations

import unicodedata

_UNPRINTABLE = ("Cc", "Cs")  # control characters (C0, DEL, C1); lone surrogates


def _visible(char: str) -> str:
    """``\\n``, ``\\x1b``, ``\\udcff``: the character written as Python would escape it."""
    return repr(char)[1:-1]


def has_control(text: str) -> bool:
    """True when ``text`` holds a control character (tab and newline included) or a surrogate."""
    return any(unicodedata.category(c) in _UNPRINTABLE for c in text)


def printable(text: str) -> str:
    """``text`` with every control character or lone surrogate shown as its escape."""
    if not has_control(text):
        return text
    return "".join(_visible(c) if unicodedata.category(c) in _UNPRINTABLE else c for c in text)
