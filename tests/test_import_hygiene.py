"""Layers (docs/architecture.md): core, storage and the non-TUI commands never import Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ibdquiz"
BUNDLED = SRC / "decks" / "tacrolimus-refractory-crohns.yaml"

PROBE = """\
import runpy, sys
sys.argv = {argv!r}
try:
    runpy.run_module("ibdquiz", run_name="__main__")
except SystemExit:
    pass
loaded = any(m == "textual" or m.startswith("textual.") for m in sys.modules)
print("TEXTUAL" if loaded else "CLEAN", file=sys.stderr)
"""


def probe(code: str) -> str:
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=False)
    assert "Traceback" not in run.stderr, run.stderr
    return run.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("module", ["ibdquiz.core", "ibdquiz.storage", "ibdquiz.session"])
def test_importing_a_layer_does_not_import_textual(module: str) -> None:
    code = (f"import sys, pkgutil, importlib, {module}\n"
            f"for info in pkgutil.walk_packages({module}.__path__, '{module}.'):\n"
            "    importlib.import_module(info.name)\n"
            "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)")
    assert probe(code) == "CLEAN"


@pytest.mark.parametrize("argv", [["ibdquiz", "--help"], ["ibdquiz", "validate", str(BUNDLED)]])
def test_cli_commands_do_not_import_textual(argv: list[str]) -> None:
    assert probe(PROBE.format(argv=argv)) == "CLEAN"


def test_core_imports_only_stdlib_and_yaml() -> None:
    # The standard library and PyYAML only; never SQLite (that is storage's job) nor other layers.
    allowed = (set(sys.stdlib_module_names) - {"sqlite3"}) | {"yaml", "ibdquiz", "__future__"}
    offenders = []
    for path in sorted((SRC / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in allowed or name.startswith(("ibdquiz.storage", "ibdquiz.tui",
                                                          "ibdquiz.report", "ibdquiz.commands",
                                                          "ibdquiz.cli")):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []


def imports_of(folder: Path) -> list[tuple[str, str]]:
    """(file, module) for every absolute import of the Python files under ``folder``."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [(path.name, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((path.name, node.module))
    return found


def test_storage_never_imports_a_ui_or_the_cli() -> None:
    # Even lazily, inside a function: the runtime probe above only sees module-level imports.
    banned = ("textual", "rich", "click", "textual_plotext", "ibdquiz.tui", "ibdquiz.report",
              "ibdquiz.commands", "ibdquiz.cli")
    offenders = [f"{file}: {module}" for file, module in imports_of(SRC / "storage")
                 if module.split(".")[0] in banned or module.startswith(banned)]
    assert offenders == []


_SQL = ("SELECT", "INSERT", "UPDATE", "DELETE", "PRAGMA", "CREATE", "BEGIN")


def test_tui_runs_no_sql() -> None:
    # The TUI asks the Store; it never opens SQLite, reaches the connection or runs a statement.
    offenders = [f"{file}: {module}" for file, module in imports_of(SRC / "tui")
                 if module.split(".")[0] in ("sqlite3", "sqlite_utils")
                 or module == "ibdquiz.storage.db"]
    for path in sorted((SRC / "tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("db", "conn", "execute",
                                                                  "executemany", "executescript"):
                offenders.append(f"{path.name}:{node.lineno}: .{node.attr}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "query" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and str(node.args[0].value).lstrip().upper().startswith(_SQL)):
                offenders.append(f"{path.name}:{node.lineno}: SQL in .query()")
    assert offenders == []


def test_session_layer_imports_neither_textual_nor_sqlite() -> None:
    # The session package owns the study session; SQLite is storage's, the screen is the TUI's.
    banned = ("textual", "rich", "click", "sqlite3", "sqlite_utils", "ibdquiz.tui",
              "ibdquiz.report", "ibdquiz.commands", "ibdquiz.cli", "ibdquiz.storage.db")
    offenders = [f"{file}: {module}" for file, module in imports_of(SRC / "session")
                 if module.split(".")[0] in banned or module.startswith(banned)]
    assert offenders == []
    # ...and it never reaches around the Store to its connection.
    for path in sorted((SRC / "session").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("db", "conn", "execute"):
                offenders.append(f"{path.name}:{node.lineno}: .{node.attr}")
    assert offenders == []
