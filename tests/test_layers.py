"""The package's three layers: the library, the engine (``experiments``) and the book's
layer (``thesis``). Imports point down only, and no module imports itself in a circle."""
import ast
import subprocess
import sys
from pathlib import Path

import dimclust

PACKAGE = Path(dimclust.__file__).parent
LAYERS = {"experiments": 1, "thesis": 2, "__main__": 3}      # every other module: 0


def _name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module):
    return LAYERS.get(module.split(".")[1] if "." in module else "", 0)


def _imports(path):
    """The dimclust modules ``path`` imports, at its top or inside a function."""
    me = _name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            # ``from . import beyond`` imports the module beyond, not its package's face
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in GRAPH_NODES else mod
                       for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        out |= {t for t in targets if t.startswith("dimclust") and t in GRAPH_NODES}
    return out - {me}


GRAPH_NODES = {_name(p) for p in PACKAGE.rglob("*.py")}


def _graph():
    return {_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _upward(graph):
    """The imports from a lower layer to a higher one; the face's lazy attributes aside."""
    return sorted((m, t) for m, ts in graph.items() for t in ts
                  if _layer(t) > _layer(m) and m != "dimclust")


def _circles(graph):
    """Every circle of imports found by a depth-first walk, as a list of modules."""
    seen, stack, circles = set(), [], []

    def visit(m):
        if m in stack:
            circles.append(stack[stack.index(m):] + [m])
        elif m not in seen:
            seen.add(m)
            stack.append(m)
            for t in sorted(graph.get(m, ())):
                visit(t)
            stack.pop()
    for m in sorted(graph):
        visit(m)
    return circles


def test_imports_point_down_the_layers():
    assert _upward(_graph()) == []


def test_no_module_imports_itself_in_a_circle():
    graph = _graph()
    graph["dimclust"] = set()      # the face imports every layer lazily; nothing imports it
    assert _circles(graph) == []


def test_the_checks_catch_an_upward_import_and_a_circle():
    graph = _graph()
    assert {"dimclust.thesis.values", "dimclust.experiments.runner"} <= graph["dimclust.thesis.rows"]
    assert "dimclust.dcec" in graph["dimclust.grammar"]              # a lazy import counts
    graph["dimclust.metrics"] = graph["dimclust.metrics"] | {"dimclust.thesis.rows"}
    assert ("dimclust.metrics", "dimclust.thesis.rows") in _upward(graph)
    graph["dimclust.n2d"] = graph["dimclust.n2d"] | {"dimclust.pipelines"}
    graph["dimclust"] = set()
    assert any({"dimclust.n2d", "dimclust.pipelines"} <= set(c) for c in _circles(graph))


def test_import_dimclust_loads_the_library_only():
    code = ("import sys, dimclust; print(sorted(m for m in sys.modules "
            "if m.startswith(('dimclust.thesis', 'dimclust.experiments'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
