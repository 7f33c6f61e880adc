"""Digests of dimclust's own code: a stored result is keyed by the code that computed it.

The package's version number does not change between commits, so a result store keyed by
versions alone would hand back, after a one-line change to (say) the accuracy function,
the number the old code computed. :func:`code_digest` folds the code itself into every
key (:meth:`dimclust.store.Store.key`). It digests each module's syntax tree without its
docstrings, so comments and documentation can change without discarding hours of
training; any change to what the code does discards what it computed.

A kind of result listed in :data:`CODE` depends on those modules only (a pretrained
autoencoder does not go stale when a metric changes); any other kind on the library and
the engine: every module but the book's layer (:data:`BOOK`), which computes nothing that
is stored.
"""
from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path

__all__ = ["BOOK", "CODE", "code_digest", "module_digest"]

PACKAGE = Path(__file__).resolve().parent

#: The book's layer (:mod:`dimclust.thesis`): tables, claims and readings, read from results.
BOOK = "thesis"

_NETWORK = ("autoencoder", "_training", "architectures", "dcec_keras", "_validation")
_CONTRASTIVE = ("contrastive", "_contrastive_net", "contrastive_loss", "augment", "_validation")

#: The modules each kind of stored result is computed by.
CODE = {
    "cae": _NETWORK,
    "dcec": ("dcec", "_dcec_pretraining", "_dcec_clustering", "dcec_equations", "cluster",
             "n2d", "reduce", *_NETWORK),
    "contrastive": _CONTRASTIVE,
    "reduced": ("pipelines", "grammar", "reduce", *_NETWORK, *_CONTRASTIVE[:-1]),
}


def _without_docstrings(tree):
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return tree


def module_digest(path):
    """SHA-256 (hex) of the Python file ``path``'s syntax tree, docstrings and comments left
    out.

    A file of the package this process imported (below :data:`PACKAGE`) is digested once,
    at first use: the process runs the code it imported, and a result it computes must be
    keyed by that code, not by an edit made to the file since (a campaign runs for hours
    while its checkout is worked on). Any other file is read again whenever it changes.
    """
    path = Path(path).resolve()
    if path.is_relative_to(PACKAGE):
        return _running_digest(str(path))
    st = path.stat()
    return _tree_digest(str(path), st.st_mtime_ns, st.st_size)


@cache
def _running_digest(path):                  # once a process: the code it runs
    return _tree_digest(path, None, None)


@cache
def _tree_digest(path, mtime_ns, size):     # read again whenever the file changes
    tree = _without_docstrings(ast.parse(Path(path).read_text(encoding="utf-8")))
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


def code_digest(kind, root=PACKAGE):
    """Digest of the modules that compute results of ``kind`` (:data:`CODE`; for a kind not
    listed, every module below ``root`` but those of the book's layer, :data:`BOOK`)."""
    root = Path(root)
    files = ([root / f"{m}.py" for m in CODE[kind]] if kind in CODE
             else sorted(f for f in root.rglob("*.py")
                         if f.relative_to(root).parts[0] != BOOK))
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(module_digest(f).encode())
    return h.hexdigest()
