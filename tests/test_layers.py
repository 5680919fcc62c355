"""Layers import one way only: model <- analysis <- simulation, uncertainty; io -> model;
report, cli and web may use everything, and nothing imports them back (cli loads web lazily).
``distributed`` (running work on a Dask cluster) is a leaf like ``errors``: any layer may use it,
and it uses no layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "accord"

# What the top layers use: everything below them (cli also loads web, lazily).
_EVERYTHING = {
    "model",
    "analysis",
    "io",
    "simulation",
    "uncertainty",
    "report",
    "_load",
    "forecast",
    "division",
}

# What each layer may import from the rest of accord (besides itself and errors).
ALLOWED = {
    "model": set(),
    "distributed": set(),
    "io": {"model"},
    "analysis": {"model"},
    "simulation": {"model", "analysis", "io"},
    "uncertainty": {"model", "analysis"},
    "forecast": {"model", "io"},
    "division": {"io"},
    "report": {"model", "analysis", "uncertainty", "forecast"},
    "cli": _EVERYTHING | {"web"},
    "web": _EVERYTHING,
}


def _layer_imports(path: Path) -> set[str]:
    """The accord layers a module imports (relative imports resolved against its package)."""
    module = path.relative_to(PACKAGE).with_suffix("").parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(module[: len(module) - node.level])
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.startswith("accord."):
                target = node.module.split(".")[1:]
            else:
                continue
            if target:
                out.add(target[0])
            else:  # `from .. import x`: x names the layer
                out.update(alias.name for alias in node.names)
    return out


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_lies_below_it(layer: str) -> None:
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        used = _layer_imports(path) - {layer, "errors", "_version", "distributed"}
        assert used <= ALLOWED[layer], f"{path.relative_to(PACKAGE)} imports {used - ALLOWED[layer]}"
