"""No import cycle among accord's modules, lazy (function-level) imports included.

A cycle hidden by importing inside a function works until someone moves the import; then the
package fails to import. The graph is read from the source with :mod:`ast`, so every import
counts wherever it is written, except those under ``if TYPE_CHECKING:`` (never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import accord

SOURCE = Path(accord.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SOURCE.rglob("*.py"))}


class _Imports(ast.NodeVisitor):
    """The accord modules one module imports, at any depth but not under TYPE_CHECKING."""

    def __init__(self, name: str, is_package: bool, known: set[str]) -> None:
        self.package = name if is_package else name.rpartition(".")[0]
        self.known = known
        self.found: set[str] = set()

    def _target(self, module: str) -> None:
        # The most specific accord module the name refers to (a name inside a module refers to it).
        while module and module not in self.known:
            module = module.rpartition(".")[0]
        if module:
            self.found.add(module)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
        if name == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._target(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        for alias in node.names:
            self._target(f"{module}.{alias.name}")


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph = {}
    for name, path in modules.items():
        visitor = _Imports(name, path.name == "__init__.py", known)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        graph[name] = visitor.found - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that starts and ends at the same module, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def test_the_finder_finds_a_cycle_and_a_lazy_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    lazy = ast.parse("def f():\n    from .pareto import pareto_frontier\n")
    visitor = _Imports("accord.analysis.space", False, {"accord.analysis.pareto"})
    visitor.visit(lazy)
    assert visitor.found == {"accord.analysis.pareto"}
    typing_only = ast.parse("if TYPE_CHECKING:\n    from .pareto import Frontier\n")
    visitor = _Imports("accord.analysis.space", False, {"accord.analysis.pareto"})
    visitor.visit(typing_only)
    assert visitor.found == set()


def test_the_graph_sees_known_imports() -> None:
    graph = import_graph()
    assert "accord.analysis.nondominated" in graph["accord.analysis.space"]
    assert "accord.uncertainty._solve" in graph["accord.uncertainty.sensitivity"]
    assert "accord.analysis" in graph["accord.uncertainty.study"]  # from ..analysis import analyze


def test_no_import_cycle_among_accords_modules() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())
