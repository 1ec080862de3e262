"""Key remaps: ``<config dir>/keys.yaml`` maps a binding id to a key (or a list of keys).

Every binding of the app has an id (``home.study``, ``session.undo``...). A remap file such as::

    session.undo: z
    session.flag: [f, ctrl+f]

is read once at start-up and applied with ``App.set_keymap``. Problems (bad YAML, unknown ids,
values that are not keys) never stop the app: they come back as messages to show as
notifications. No Textual import here, so the file can be checked without starting the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

KEYS_FILE = "keys.yaml"


@dataclass
class KeymapLoad:
    """A keymap read from a file, and the problems found in it (one line each)."""

    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def keys_path(config_dir: Path) -> Path:
    """Where the key remaps of a config folder live."""
    return config_dir / KEYS_FILE


def _as_keys(value: object) -> str | None:
    """A YAML value as Textual's comma-separated key list, or None when it is not keys."""
    if isinstance(value, str) and value.strip():
        return ",".join(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return ",".join(v.strip() for v in value)
    return None


def parse_keymap(text: str, source: str, known_ids: Iterable[str]) -> KeymapLoad:
    """Read remap YAML text; unknown ids and bad values are reported and skipped."""
    result = KeymapLoad()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        result.problems.append(f"{source}{where}: not valid YAML; key remaps ignored")
        return result
    if data is None:
        return result
    if not isinstance(data, Mapping):
        result.problems.append(
            f"{source}: expected a mapping of binding id to key, like 'session.undo: z'"
        )
        return result
    known = set(known_ids)
    for raw_id, value in data.items():
        binding_id = str(raw_id)
        if binding_id not in known:
            result.problems.append(
                f"{source}: unknown binding id {binding_id!r}; the ids are listed in help (?)"
            )
            continue
        keys = _as_keys(value)
        if keys is None:
            result.problems.append(
                f"{source}: {binding_id} needs a key or a list of keys, like 'z' or [z, ctrl+z]"
            )
            continue
        result.keymap[binding_id] = keys
    return result


def load_keymap(config_dir: Path | None, known_ids: Iterable[str]) -> KeymapLoad:
    """Read ``keys.yaml`` from ``config_dir``; a missing file or folder means no remaps."""
    if config_dir is None:
        return KeymapLoad()
    path = keys_path(config_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return KeymapLoad()
    except (OSError, UnicodeDecodeError) as exc:
        return KeymapLoad(problems=[f"{path}: cannot be read ({exc}); key remaps ignored"])
    return parse_keymap(text, str(path), known_ids)
