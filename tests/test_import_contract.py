"""The import contract: the package's layers only import downward, and no modules form a cycle.

Every ``import`` of ``src/ibdquiz`` is read from the source (an AST walk, so an import inside a
function counts: a lazy import for speed must still point downward). Imports under
``if TYPE_CHECKING:`` are left out: they never run. The layers, lowest first:

    errors, paths, ibdquiz (the version)  <  core  <  storage  <  session
        <  report, tui  <  commands  <  cli  <  __main__

``report`` sits above ``storage`` (its exporter reads the record through a ``Store``) and
beside ``tui``: neither imports the other. ``commands`` sits above both because ``study``
opens the app and ``export`` / ``report`` run the report. A module may import its own layer
(``storage.store`` imports ``storage.db``), as long as that makes no cycle.

Run as a script (``python tests/test_import_contract.py [SRC]``) it prints the violations of
any source tree, e.g. an older checkout.
"""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

LAYERS: list[set[str]] = [
    {"ibdquiz", "ibdquiz.errors", "ibdquiz.paths"},
    {"ibdquiz.core"},
    {"ibdquiz.storage"},
    {"ibdquiz.session"},
    {"ibdquiz.report", "ibdquiz.tui"},
    {"ibdquiz.commands"},
    {"ibdquiz.cli"},
    {"ibdquiz.__main__"},
]
"""Each layer's components (a package, or a top-level module); lowest first."""


def module_name(path: Path, src: Path) -> str:
    """``src/ibdquiz/core/sm2.py`` → ``ibdquiz.core.sm2``; a package's ``__init__`` is itself."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def component(module: str) -> str:
    """The layer component a module belongs to: its package under ``ibdquiz``, or itself."""
    parts = module.split(".")
    return ".".join(parts[:2])


def rank(module: str) -> int:
    """The layer of a module (an unknown component is an error: give it a layer above)."""
    name = component(module)
    for level, members in enumerate(LAYERS):
        if name in members:
            return level
    raise AssertionError(f"{module} belongs to no layer: add {name} to LAYERS")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree`` except the bodies of ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imports(path: Path, src: Path, known: set[str]) -> Iterator[tuple[int, str]]:
    """(line, module) for each ``ibdquiz`` module that ``path`` imports at run time."""
    here = module_name(path, src)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "ibdquiz":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "ibdquiz":
                continue
            for alias in node.names:
                # ``from ibdquiz.tui import bindings`` imports the module ``ibdquiz.tui.bindings``
                sub = f"{target}.{alias.name}"
                yield node.lineno, sub if sub in known else target


@functools.cache
def import_graph(src: Path) -> dict[str, dict[str, int]]:
    """module → {imported module: line of the first such import}."""
    files = {module_name(p, src): p for p in sorted((src / "ibdquiz").rglob("*.py"))}
    graph: dict[str, dict[str, int]] = {}
    for name, path in files.items():
        edges: dict[str, int] = {}
        for line, target in imports(path, src, set(files)):
            if target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def upward_imports(graph: dict[str, dict[str, int]]) -> list[str]:
    """Each import from a lower layer to a higher one, or between two components of one layer."""
    found = []
    for module, edges in sorted(graph.items()):
        for target, line in sorted(edges.items()):
            if component(module) == component(target):
                continue
            low, high = rank(module), rank(target)
            if high > low or (high == low and component(target) != "ibdquiz"):
                found.append(f"{module}:{line} imports {target} (layer {high} > {low})"
                             if high > low else
                             f"{module}:{line} imports {target} (same layer, other component)")
    return found


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The import cycles: within each strongly connected group (Tarjan), the shortest loop
    through each of its modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    loops: list[list[str]] = []
    for group in groups:
        for start in group:  # the shortest loop through each member, each loop named once
            loop = _loop_from(start, set(group), graph)
            turn = loop.index(min(loop[:-1]))
            rotated = [*loop[turn:-1], *loop[:turn], loop[turn]]
            if rotated not in loops:
                loops.append(rotated)
    return sorted(loops)


def _loop_from(start: str, members: set[str], graph: dict[str, dict[str, int]]) -> list[str]:
    """The shortest loop from ``start`` back to it within a cyclic group: ``a → b → ... → a``."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in graph[node]:
            if target == start:
                return [*paths[node], start]
            if target in members and target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no loop through {start}")  # pragma: no cover - cannot happen


def test_every_module_has_a_layer() -> None:
    graph = import_graph(SRC)
    assert len(graph) > 50
    for module in graph:
        rank(module)


def test_no_import_points_upward() -> None:
    upward = upward_imports(import_graph(SRC))
    assert not upward, "imports against the layers:\n" + "\n".join(upward)


def test_no_import_cycle() -> None:
    loops = cycles(import_graph(SRC))
    assert not loops, "import cycles:\n" + "\n".join(" → ".join(loop) for loop in loops)


def test_the_walk_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    # The checker itself: a function-level upward import and a two-module cycle are both found.
    package = tmp_path / "ibdquiz"
    (package / "core").mkdir(parents=True)
    (package / "tui").mkdir()
    (package / "__init__.py").write_text("")
    (package / "errors.py").write_text("")
    (package / "core" / "__init__.py").write_text("")
    (package / "core" / "a.py").write_text("def f():\n    from ibdquiz.tui import app\n")
    (package / "core" / "b.py").write_text("from . import c\n")
    (package / "core" / "c.py").write_text("from ibdquiz.core.b import x\n")
    (package / "tui" / "__init__.py").write_text("")
    (package / "tui" / "app.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ibdquiz.cli import x\n"
    )
    graph = import_graph(tmp_path)
    assert upward_imports(graph) == ["ibdquiz.core.a:2 imports ibdquiz.tui.app (layer 4 > 1)"]
    assert cycles(graph) == [["ibdquiz.core.b", "ibdquiz.core.c", "ibdquiz.core.b"]]


if __name__ == "__main__":
    tree = Path(sys.argv[1]) if len(sys.argv) > 1 else SRC
    graph = import_graph(tree)
    problems = upward_imports(graph) + [" → ".join(loop) for loop in cycles(graph)]
    print("\n".join(problems) or "import contract holds")
    raise SystemExit(1 if problems else 0)
