"""Small readings of Python's AST that the core sentence extractor is built from.

A sentence is held as parts while it is being followed through the code: literal text,
and None where a value is filled in at run time; `render` makes the Qt-style template.
"""

from __future__ import annotations

import ast
import itertools
import string
from collections.abc import Iterator

Part = str | None  # None: a value filled in at run time
Template = tuple[Part, ...]


def render(parts: Template) -> str | None:
    """The Qt-style template of `parts`, or None when it holds no words to translate."""
    merged: list[Part] = []
    for part in parts:
        if part is None and merged and merged[-1] is None:
            continue  # two values side by side are one value to the reader
        if part is not None and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    words = "".join(p for p in merged if p is not None)
    if sum(c.isalpha() for c in words) < 2:
        return None
    out, number = [], 0
    for part in merged:
        if part is None:
            number += 1
            out.append(f"%{number}")
        else:
            if "%" in part:
                raise ValueError(f"a literal % in a core sentence would read as a placeholder: {words!r}")
            out.append(part)
    return "".join(out)


def params(fn: ast.FunctionDef) -> list[ast.arg]:
    return [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]


def defaults(args: ast.arguments) -> Iterator[tuple[ast.arg, ast.expr]]:
    positional = [*args.posonlyargs, *args.args]
    yield from zip(positional[len(positional) - len(args.defaults):], args.defaults, strict=True)
    yield from ((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None)


def name_of(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def is_super(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and name_of(node.func) == "super"


def calls(tree: ast.Module) -> Iterator[tuple[ast.FunctionDef | None, ast.Call]]:
    """Every call with the function it is written in (None at module or class level)."""
    def visit(node: ast.AST, scope: ast.FunctionDef | None) -> Iterator[tuple[ast.FunctionDef | None, ast.Call]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef) else scope
            if isinstance(child, ast.Call):
                yield scope, child
            yield from visit(child, inner)
    return visit(tree, None)


def assigned(scope: ast.FunctionDef, name: str) -> list[ast.expr]:
    """The values assigned to a local `name` in `scope` (not in functions nested in it)."""
    values: list[ast.expr] = []
    stack: list[ast.AST] = list(scope.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    values.append(node.value)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    values += [v for t, v in zip(target.elts, node.value.elts, strict=False)
                               if isinstance(t, ast.Name) and t.id == name]
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and isinstance(node.target, ast.Name) \
                and node.target.id == name and node.value is not None:
            values.append(node.value)
        stack.extend(ast.iter_child_nodes(node))
    return values


def product(pieces: list[list[Template]]) -> list[Template]:
    if any(not p for p in pieces):
        return []
    return [tuple(itertools.chain.from_iterable(combo)) for combo in itertools.product(*pieces)]


def capitalised(node: ast.BinOp) -> ast.expr | None:
    """X for `X[0].upper() + X[1:]`."""
    left, right = node.left, node.right
    if isinstance(left, ast.Call) and name_of(left.func) == "upper" and isinstance(left.func, ast.Attribute) \
            and isinstance(left.func.value, ast.Subscript) and isinstance(right, ast.Subscript) \
            and ast.dump(left.func.value.value) == ast.dump(right.value):
        return right.value
    return None


def capitalise(parts: Template) -> Template:
    if parts and isinstance(parts[0], str) and parts[0]:
        return (parts[0][0].upper() + parts[0][1:], *parts[1:])
    return parts


def formatted(parts: Template) -> Template:
    """A str.format template: each replacement field becomes a value."""
    out: list[Part] = []
    for part in parts:
        if part is None:
            out.append(None)
            continue
        for literal, field_name, _, _ in string.Formatter().parse(part):
            out.append(literal)
            if field_name is not None:
                out.append(None)
    return tuple(out)
