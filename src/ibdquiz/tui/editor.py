"""Opening a fact in the user's editor at its line: ``$VISUAL`` or ``$EDITOR`` (no Textual here).

Most terminal editors (vi, vim, nvim, nano, emacs, micro, kak, helix) take ``+LINE FILE``; VS
Code and its kin take ``--goto FILE:LINE``; Sublime Text and Zed take ``FILE:LINE``.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path

from ibdquiz.core.model import Deck

_GOTO = frozenset({"code", "code-insiders", "codium", "vscodium", "cursor"})
_COLON = frozenset({"subl", "zed", "mate"})
_HX = frozenset({"hx", "helix"})


def chosen_editor(environ: Mapping[str, str] | None = None) -> str | None:
    """The editor the user set (``$VISUAL``, then ``$EDITOR``), or None."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            return value
    return None


def editor_command(editor: str, path: Path, line: int) -> list[str]:
    """The command line that opens ``path`` at ``line`` in ``editor`` (which may hold options)."""
    words = shlex.split(editor)
    name = Path(words[0]).name.lower() if words else ""
    if name in _GOTO:
        return [*words, "--goto", f"{path}:{line}"]
    if name in _COLON or name in _HX:
        return [*words, f"{path}:{line}"]
    return [*words, f"+{line}", str(path)]


def fact_location(decks: Sequence[Deck], card_id: str) -> tuple[Path, int] | None:
    """Where the fact (or the source, for an appraisal card) behind ``card_id`` is written."""
    parts = card_id.split("/")
    if len(parts) < 3:
        return None
    deck_id, source_id, fact_id = parts[0], parts[1], parts[2]
    for deck in decks:
        if deck.id != deck_id or deck.path is None:
            continue
        for source in deck.sources:
            if source.id != source_id:
                continue
            for fact in source.facts:
                if fact.id == fact_id:
                    return deck.path, fact.line
            return deck.path, source.line  # _n, _design: the source's own line
    return None
