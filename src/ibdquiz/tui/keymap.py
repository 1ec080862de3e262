"""Key remaps: ``<config dir>/keys.yaml`` maps a binding id to a key (or a list of keys).

Every binding of the app has an id (``home.study``, ``session.undo``...). A remap file such as::

    session.undo: z
    session.flag: [f, ctrl+f]

is read once at start-up and applied with ``App.set_keymap``. ``check_keymap`` is the one
validator (for ``keys.yaml`` and for the keymap kept in the settings): problems never stop the
app; each comes back as a one-line message to show as a notification, and the remap it names is
left out. It reports an unknown id (with the nearest one), a value that is not a key, a file that
is not YAML or nests too deep, and a remap onto a key that another binding of the same screen
already uses (the remap would silently take that key over: Settings vanishing from home's footer,
a choice key no longer choosing). No Textual import here, so the file can be checked without
starting the app.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ibdquiz.core.regular import read_regular

KEYS_FILE = "keys.yaml"
MAX_BYTES = 64 * 1024
"""A remap file is a few lines; anything larger is refused unread."""
GLOBAL_SCOPES = frozenset({"app"})
"""Bindings of these scopes act on every screen, so they clash with every screen's keys."""

_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_KEY_NAME = re.compile(
    rf"^(?:(?:{'|'.join(_MODIFIERS)})\+)*(?:[A-Za-z0-9]|f[1-9][0-9]?|[a-z][a-z_]*[a-z0-9])$"
)
_CHARACTERS = {
    "?": "question_mark", "/": "slash", "\\": "backslash", ",": "comma", ".": "full_stop",
    ";": "semicolon", ":": "colon", "'": "apostrophe", '"': "quotation_mark", "-": "minus",
    "+": "plus", "=": "equals_sign", "*": "asterisk", "#": "number_sign", "!": "exclamation_mark",
    "@": "at", "$": "dollar_sign", "%": "percent_sign", "&": "ampersand", "(": "left_parenthesis",
    ")": "right_parenthesis", "[": "left_square_bracket", "]": "right_square_bracket",
    "{": "left_curly_bracket", "}": "right_curly_bracket", "<": "less_than_sign",
    ">": "greater_than_sign", "_": "underscore", "^": "circumflex_accent", "~": "tilde",
    "`": "grave_accent", "|": "vertical_line", " ": "space",
}
"""Characters a director may type in keys.yaml, as the key names Textual matches."""


@dataclass
class KeymapLoad:
    """A keymap read from a file, and the problems found in it (one line each)."""

    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def keys_path(config_dir: Path) -> Path:
    """Where the key remaps of a config folder live."""
    return config_dir / KEYS_FILE


def scope_of(binding_id: str) -> str:
    """The screen a binding belongs to: the part of its id before the first dot."""
    return binding_id.split(".", 1)[0]


def _key_name(raw: str) -> str | None:
    """One key as Textual names it (``?`` → ``question_mark``), or None when it is not a key."""
    key = raw.strip()
    if key in _CHARACTERS:
        return _CHARACTERS[key]
    return key if _KEY_NAME.match(key) else None


def _as_keys(value: object) -> tuple[list[str], list[str]]:
    """A YAML value as key names, and the parts that are not keys."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9:
        value = str(value)  # 'session.undo: 1' is read by YAML as a number
    if isinstance(value, list):
        value = [str(v) if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 9 else v
                 for v in value]
    if isinstance(value, str):
        parts = [value] if value.strip() == "," else [p for p in value.split(",") if p.strip()]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        parts = list(value)
    else:
        return [], [repr(value)[:40]]
    keys: list[str] = []
    bad: list[str] = []
    for part in parts:
        name = _key_name(part)
        if name is None:
            bad.append(repr(part)[:40])
        elif name not in keys:
            keys.append(name)
    if not parts:
        bad.append(repr(value)[:40])
    return keys, bad


def nearest_id(binding_id: str, known: Iterable[str]) -> str | None:
    """The known id closest to a mistyped one, if any is close."""
    known = list(known)
    found = [] if "." not in binding_id else difflib.get_close_matches(binding_id, known, n=1,
                                                                         cutoff=0.6)
    if not found:
        # a missing or wrong screen prefix: 'stats' for 'home.stats', 'sesion.undo' ...
        tail = binding_id.rsplit(".", 1)[-1]
        tails = difflib.get_close_matches(tail, [k.rsplit(".", 1)[-1] for k in known], n=1)
        if tails:
            return next(k for k in known if k.rsplit(".", 1)[-1] == tails[0])
    return found[0] if found else None


Defaults = Mapping[str, Iterable[str]] | Iterable[str]
"""Each binding id with its default keys (or only the ids, when the keys are not known)."""


def _defaults(defaults: Defaults) -> dict[str, tuple[str, ...]]:
    if isinstance(defaults, Mapping):
        return {binding_id: tuple(keys) for binding_id, keys in defaults.items()}
    return {binding_id: () for binding_id in defaults}


def check_keymap(remaps: Mapping[Any, object], defaults: Defaults, source: str) -> KeymapLoad:
    """Check remaps against every binding's default keys; keep the ones that can be applied.

    ``defaults`` maps each binding id to its keys as Textual names them. A remap whose key is
    already used by another binding of the same screen (or by a global one) is a conflict: it is
    left out and named, unless that other binding is remapped away from the key too.
    """
    result = KeymapLoad()
    known = _defaults(defaults)
    wanted: dict[str, list[str]] = {}
    for raw_id, value in remaps.items():
        binding_id = str(raw_id)
        if binding_id not in known:
            near = nearest_id(binding_id, known)
            hint = f"did you mean {near!r}? " if near else ""
            result.problems.append(f"{source}: unknown binding id {binding_id!r}; {hint}the ids "
                                   "are listed in help (?) on each screen")
            continue
        keys, bad = _as_keys(value)
        if bad or not keys:
            result.problems.append(
                f"{source}: {binding_id}: {', '.join(bad) or 'nothing'} is not a key; write a "
                "key or a list of keys, like 'z', 'ctrl+z' or [z, f2]"
            )
            continue
        wanted[binding_id] = keys
    effective = {**known, **{b: tuple(k) for b, k in wanted.items()}}
    for binding_id, keys in wanted.items():
        scope = scope_of(binding_id)
        clashes = [
            (other, key)
            for other, other_keys in effective.items()
            if other != binding_id
            and (scope_of(other) == scope or scope_of(other) in GLOBAL_SCOPES
                 or scope in GLOBAL_SCOPES)
            and not _same_family(binding_id, other)
            for key in keys
            if key in other_keys
        ]
        if clashes:
            other, key = clashes[0]
            result.problems.append(
                f"{source}: {binding_id}: {key!r} is already the key of {other}; remap ignored "
                f"(choose another key, or remap {other} too)"
            )
            continue
        result.keymap[binding_id] = ",".join(keys)
    return result


def _same_family(first: str, second: str) -> bool:
    """Two bindings that share keys by design: never both active (a choice and a grade key)."""
    families = ({"session.choose", "session.grade"},)
    a, b = first.rsplit("_", 1)[0], second.rsplit("_", 1)[0]
    return a != b and any({a, b} <= family for family in families)


def parse_keymap(text: str, source: str, defaults: Defaults) -> KeymapLoad:
    """Read remap YAML text and check it; nothing in it can stop the app."""
    import yaml  # only when there is a remap file: the parser is not on the start-up path

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        return KeymapLoad(problems=[f"{source}{where}: not valid YAML; key remaps ignored"])
    except RecursionError:
        return KeymapLoad(problems=[f"{source}: nested too deeply to be a key remap file; key "
                                    "remaps ignored (write one 'binding id: key' per line)"])
    if data is None:
        return KeymapLoad()
    if not isinstance(data, Mapping):
        return KeymapLoad(problems=[
            f"{source}: expected a mapping of binding id to key, like 'session.undo: z'"
        ])
    return check_keymap(data, defaults, source)


def load_keymap(config_dir: Path | None, defaults: Defaults) -> KeymapLoad:
    """Read ``keys.yaml`` from ``config_dir``; a missing file or folder means no remaps."""
    if config_dir is None:
        return KeymapLoad()
    path = keys_path(config_dir)
    try:
        if path.stat().st_size > MAX_BYTES:
            return KeymapLoad(problems=[f"{path}: larger than {MAX_BYTES // 1024} KB, so not a key "
                                        "remap file; key remaps ignored"])
        text = read_regular(path, MAX_BYTES).decode("utf-8")  # a FIFO is refused, not waited on
    except FileNotFoundError:
        return KeymapLoad()
    except (OSError, UnicodeDecodeError) as exc:
        return KeymapLoad(problems=[f"{path}: cannot be read ({exc}); key remaps ignored"])
    return parse_keymap(text, str(path), defaults)
