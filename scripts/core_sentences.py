"""Every sentence the core can put before a cashier, found in its source, as Qt-style templates.

The core (terminal/ outside ui, sim, commands and demo) never imports Qt, so its
sentences cannot be marked with tr(); they are found here instead, by reading the
AST. A sentence is whatever reaches a *sink*:

- the `cashier_message` of TerminalError, and any parameter a subclass passes on
  to it (found by following `super().__init__(param)` until nothing changes), so
  `FieldError(message)` and `ReaderUnusable(reason)` count, `CardExpired(date)` not;
- any parameter named `reason` (a device's state reason, `_set_state`, `_trouble`);
- the message of an exception that is not a TerminalError but whose text becomes one
  (`except DecimalFieldError as exc: raise FieldError(str(exc))`: a *carrier*).

What reaches a sink is followed through literals, f-strings (each value becomes a
placeholder %1, %2... except module constants, which are inlined), `+`, `x if c
else y`, local and module names, module dicts (`_SQLITE_SENTENCES[code]`),
`.format()`, `text[0].upper() + text[1:]`, and the return values of core functions
(`_what_it_is(text)`). Nouns that are put inside sentences are *fragments*: the
`what` argument of the file and database helpers ("the {what} file {path}") and the
default `name` of each device ("The {name} stopped working"). They are translated
on their own so that cashier_text can translate a captured value.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core_ast import (
    Template,
    assigned,
    calls,
    capitalise,
    capitalised,
    defaults,
    formatted,
    is_super,
    name_of,
    params,
    product,
    render,
)

NOT_CORE = ("ui", "sim", "commands", "demo")
SINK_PARAMS = frozenset({"cashier_message", "reason"})
FRAGMENT_PARAMS = frozenset({"what"})
BASE_ERROR = "TerminalError"
DEVICE_BASE = "DeviceThread"
_BUILTIN = object()  # the __init__ of a builtin exception: its first argument is the message
# What an f-string value can be to be followed as a phrase: a local, a call, `a or b`, `a if c else b`, `a + b`.
_NEARBY = (ast.Name, ast.Call, ast.BoolOp, ast.IfExp, ast.BinOp)
_BUILTIN_EXCEPTIONS = frozenset({"Exception", "ValueError", "RuntimeError", "TypeError", "KeyError", "OSError",
                                 "LookupError", "ArithmeticError"})

# Python's json decoder writes these before " at line N column M." (files.parse_json); they come from
# the interpreter, not from our source, so they are listed by hand (CPython 3.11 _json.c and decoder.py).
JSON_MESSAGES = (
    "Expecting value", "Expecting ',' delimiter", "Expecting ':' delimiter",
    "Expecting property name enclosed in double quotes", "Unterminated string starting at",
    "Invalid control character at", "Invalid \\escape", "Invalid \\uXXXX escape", "Extra data",
)


@dataclass(frozen=True)
class Found:
    template: str  # with %1, %2...
    path: str  # relative to the repository
    line: int
    fragment: bool = False


@dataclass
class _Module:
    path: str
    tree: ast.Module
    constants: dict[str, list[ast.expr]] = field(default_factory=dict)
    imported: dict[str, str] = field(default_factory=dict)  # name -> module path it comes from


def core_files(root: Path) -> list[Path]:
    package = root / "terminal"
    return sorted(p for p in package.rglob("*.py") if p.relative_to(package).parts[0] not in NOT_CORE)


class Extractor:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.modules: dict[str, _Module] = {}
        self.classes: dict[str, list[tuple[ast.ClassDef, _Module]]] = {}
        self.functions: dict[str, list[tuple[ast.FunctionDef, _Module]]] = {}
        self.owner: dict[ast.FunctionDef, ast.ClassDef | None] = {}
        self.sinks: dict[ast.FunctionDef, set[str]] = {}
        self.carriers: set[str] = set()
        self.found: set[Found] = set()
        for path in core_files(root):
            self._index(path)

    # ----- indexing

    def _index(self, path: Path) -> None:
        rel = path.relative_to(self.root).as_posix()
        module = _Module(rel, ast.parse(path.read_text(encoding="utf-8"), rel))
        self.modules[rel] = module
        for node in module.tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        module.constants.setdefault(target.id, []).append(node.value)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("terminal"):
                source = node.module.replace(".", "/") + ".py"
                for alias in node.names:
                    module.imported[alias.asname or alias.name] = source
        for child in ast.walk(module.tree):
            if isinstance(child, ast.ClassDef):
                self.classes.setdefault(child.name, []).append((child, module))
                for item in child.body:
                    if isinstance(item, ast.FunctionDef):
                        self.owner[item] = child
            if isinstance(child, ast.FunctionDef):
                self.functions.setdefault(child.name, []).append((child, module))
                self.owner.setdefault(child, None)
                self.sinks[child] = {a.arg for a in params(child)} & SINK_PARAMS

    def _bases(self, cls: ast.ClassDef) -> list[str]:
        names = []
        for base in cls.bases:
            if isinstance(base, ast.Subscript):  # DeviceThread[Event]
                base = base.value
            if isinstance(base, ast.Name):
                names.append(base.id)
            elif isinstance(base, ast.Attribute):
                names.append(base.attr)
        return names

    def _derives(self, name: str, ancestor: str, seen: frozenset[str] = frozenset()) -> bool:
        if name == ancestor:
            return True
        return any(self._derives(base, ancestor, seen | {name})
                   for cls, _ in self.classes.get(name, []) if name not in seen for base in self._bases(cls))

    def _init_of(self, name: str, seen: frozenset[str] = frozenset()) -> ast.FunctionDef | object | None:
        """The __init__ a call of class `name` runs: its own, a base's, or a builtin exception's."""
        if name not in self.classes:
            return _BUILTIN if name in _BUILTIN_EXCEPTIONS else None
        for cls, _ in self.classes[name]:
            for item in cls.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    return item
            for base in self._bases(cls):
                if base not in seen:
                    found = self._init_of(base, seen | {name})
                    if found is not None:
                        return found
        return None

    # ----- the walk

    def run(self) -> list[Found]:
        while True:  # sinks and carriers only grow; stop when a pass adds nothing
            before = (sum(len(s) for s in self.sinks.values()), len(self.carriers))
            for module in self.modules.values():
                self._walk(module)
            if (sum(len(s) for s in self.sinks.values()), len(self.carriers)) == before:
                break
        self._device_names()
        return sorted(self.found, key=lambda f: (f.path, f.line, f.template))

    def _walk(self, module: _Module) -> None:
        for scope, node in calls(module.tree):
            for target, skip_self, carrier in self._targets(node, scope, module):
                if target is _BUILTIN:
                    if carrier and node.args:
                        self._sink(node.args[0], scope, module, fragment=False)
                    continue
                assert isinstance(target, ast.FunctionDef)
                names = [a.arg for a in params(target)][1 if skip_self else 0:]
                bound = dict(zip(names, node.args, strict=False))
                bound.update({k.arg: k.value for k in node.keywords if k.arg})
                for name, value in bound.items():
                    if name in self.sinks[target]:
                        self._sink(value, scope, module, fragment=False)
                    elif name in FRAGMENT_PARAMS:
                        self._sink(value, scope, module, fragment=True)

    def _targets(self, call: ast.Call, scope: ast.FunctionDef | None, module: _Module
                 ) -> Iterator[tuple[ast.FunctionDef | object, bool, bool]]:
        """(the function a call runs, whether its `self` is implicit, whether it builds a carrier)."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "__init__" and is_super(func.value):
            cls = self.owner.get(scope) if scope else None
            for base in self._bases(cls) if cls else []:
                init = self._init_of(base)
                if init is not None:
                    yield init, True, cls is not None and cls.name in self.carriers
                    break
            return
        names = [func.id] if isinstance(func, ast.Name) else []
        if isinstance(func, ast.Name) and scope is not None:  # bad = ConfigError if config else BadInput
            names += [n.id for value in assigned(scope, func.id) for n in ast.walk(value)
                      if isinstance(n, ast.Name) and n.id in self.classes]
        for name in names:
            if name in self.classes:
                init = self._init_of(name)
                if init is not None:
                    yield init, True, name in self.carriers
            for fn, _ in self._functions(name, module):
                yield fn, False, False
        if isinstance(func, ast.Attribute):
            for fn, _ in self.functions.get(func.attr, []):
                if self.owner.get(fn) is not None and fn.name != "__init__":
                    yield fn, True, False

    def _sink(self, value: ast.expr, scope: ast.FunctionDef | None, module: _Module, *, fragment: bool) -> None:
        if scope is not None and isinstance(value, ast.Name) and value.id in {a.arg for a in params(scope)} \
                and not assigned(scope, value.id):
            if not fragment:
                self.sinks[scope].add(value.id)  # the caller's argument is the sentence
            return
        self._note_carrier(value, scope)
        for parts in self.resolve(value, scope, module, depth=0):
            self._note(parts, module.path, value.lineno, fragment=fragment)

    def _note_carrier(self, value: ast.expr, scope: ast.FunctionDef | None) -> None:
        """`str(exc)` or `exc.reason` of an exception caught in `scope` makes its class a carrier."""
        inner = value.args[0] if isinstance(value, ast.Call) and name_of(value.func) == "str" and value.args else \
            value.value if isinstance(value, ast.Attribute) else None
        if scope is None or not isinstance(inner, ast.Name):
            return
        for handler in ast.walk(scope):
            if isinstance(handler, ast.ExceptHandler) and handler.name == inner.id and handler.type is not None:
                for caught in ast.walk(handler.type):
                    name = name_of(caught)
                    if name in self.classes and not self._derives(name, BASE_ERROR):
                        self.carriers.add(name)

    # ----- what an expression can be

    def resolve(self, node: ast.expr, scope: ast.FunctionDef | None, module: _Module, depth: int
                ) -> list[Template]:
        if depth > 8:
            return []
        deeper = depth + 1
        if isinstance(node, ast.Constant):
            return [(node.value,)] if isinstance(node.value, str) else []
        if isinstance(node, ast.JoinedStr):
            pieces: list[list[Template]] = []
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    inline = self._constant(value.value, module, deeper) \
                        if value.conversion == -1 and value.format_spec is None else []
                    pieces.append(inline or [(None,)])
                    if isinstance(value.value, ast.Subscript):  # a phrase from a table: {ACTION_WORDS[action]}
                        self._fragments(value.value.value, module, deeper)
                    elif not inline and isinstance(value.value, _NEARBY):
                        # a phrase made nearby: {tries} ("1 try"), {_minutes(s)} ("15 minutes")
                        for parts in self.resolve(value.value, scope, module, deeper):
                            self._note(parts, module.path, value.lineno, fragment=True)
                else:
                    pieces.append(self.resolve(value, scope, module, deeper))
            return product(pieces)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            capital = capitalised(node)
            if capital is not None:
                return [capitalise(t) for t in self.resolve(capital, scope, module, deeper)]
            left, right = (self.resolve(side, scope, module, deeper) for side in (node.left, node.right))
            if not left and not right:
                return []
            return product([left or [(None,)], right or [(None,)]])
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):  # `words or "supervisor"`
            return [t for v in node.values for t in self.resolve(v, scope, module, deeper)]
        if isinstance(node, ast.IfExp):
            return self.resolve(node.body, scope, module, deeper) + self.resolve(node.orelse, scope, module, deeper)
        if isinstance(node, ast.Name):
            if scope is not None and (values := assigned(scope, node.id)):
                return [t for v in values for t in self.resolve(v, scope, module, deeper)]
            if scope is not None and node.id in {a.arg for a in params(scope)}:
                return []
            return self._constant(node, module, deeper)
        if isinstance(node, ast.Subscript):  # a sentence picked from a module table
            return [t for v, home in self._table(node.value, module) for t in self.resolve(v, None, home, deeper)]
        if isinstance(node, ast.Call):
            return self._call(node, scope, module, deeper)
        return []

    def _call(self, node: ast.Call, scope: ast.FunctionDef | None, module: _Module, depth: int) -> list[Template]:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "format":
            return [formatted(t) for t in self.resolve(func.value, scope, module, depth)]
        if isinstance(func, ast.Attribute) and func.attr == "get":
            return [t for v, home in self._table(func.value, module) for t in self.resolve(v, None, home, depth)]
        if isinstance(func, ast.Name):
            results = []
            for fn, home in self._functions(func.id, module):
                for ret in ast.walk(fn):
                    if isinstance(ret, ast.Return) and ret.value is not None:
                        results += self.resolve(ret.value, fn, home, depth)
            return results
        return []

    def _functions(self, name: str, module: _Module) -> list[tuple[ast.FunctionDef, _Module]]:
        """The module-level function `name` as `module` sees it: its own, or one it imports from the core."""
        home = self.modules.get(module.imported.get(name, module.path))
        return [(fn, m) for fn, m in self.functions.get(name, []) if m is home and self.owner.get(fn) is None]

    def _constant(self, node: ast.expr, module: _Module, depth: int) -> list[Template]:
        """A module-level string constant (this module's or one imported from the core), inlined."""
        if not isinstance(node, ast.Name):
            return []
        home = module
        if node.id not in module.constants and node.id in module.imported:
            home = self.modules.get(module.imported[node.id], module)
        values = home.constants.get(node.id, [])
        return [t for v in values for t in self.resolve(v, None, home, depth) if all(p is not None for p in t)]

    def _fragments(self, table: ast.expr, module: _Module, depth: int) -> None:
        for value, home in self._table(table, module):
            for parts in self.resolve(value, None, home, depth):
                self._note(parts, home.path, value.lineno, fragment=True)

    def _note(self, parts: Template, path: str, line: int, *, fragment: bool) -> None:
        template = render(parts)
        if template is not None:
            self.found.add(Found(template, path, line, fragment))

    def _table(self, node: ast.expr, module: _Module) -> list[tuple[ast.expr, _Module]]:
        """The values of a module-level dict, list or tuple (this module's or imported from the core)."""
        if not isinstance(node, ast.Name):
            return []
        if node.id not in module.constants and node.id in module.imported:
            module = self.modules.get(module.imported[node.id], module)
        values: list[ast.expr] = []
        for table in module.constants.get(node.id, []):
            if isinstance(table, ast.Dict):
                values += [v for v in table.values if v is not None]
            elif isinstance(table, ast.List | ast.Tuple):
                values += table.elts
        return [(value, module) for value in values]

    def _device_names(self) -> None:
        """The default `name` of each device class: it fills "The {name} stopped working"."""
        for name, defs in self.classes.items():
            if name == DEVICE_BASE or not self._derives(name, DEVICE_BASE):
                continue
            for cls, module in defs:
                for item in cls.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        args = item.args
                        for arg, default in defaults(args):
                            if arg.arg == "name" and isinstance(default, ast.Constant) \
                                    and isinstance(default.value, str):
                                self.found.add(Found(default.value, module.path, default.lineno, True))


def extract(root: Path) -> list[Found]:
    """Every core sentence and fragment, each with where it is written (one entry per place)."""
    found = Extractor(root).run()
    files = (root / "terminal" / "files.py").read_text(encoding="utf-8").splitlines()
    line = next((n for n, text in enumerate(files, 1) if "{exc.msg}" in text), 1)
    return found + [Found(message, "terminal/files.py", line, True) for message in JSON_MESSAGES]
