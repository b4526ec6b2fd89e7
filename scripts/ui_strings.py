"""The UI's tr() and translate() calls as Qt looks them up at run time, and the ones lupdate cannot see.

lupdate's Python parser reads tokens, not the AST: `self.tr("x")` in class C is
("C", "x") to it, as Qt's tr() looks it up; but it files `tr = QCoreApplication.translate;
tr("Ctx", "x")` as the text "Ctx" with the comment "x", `widget.tr("x")` under a context
named "widget" (Qt looks under the widget's class), and it does not look inside f-strings.
This scan finds every call the way Qt will look it up, so the check can say which strings
have no translation however lupdate filed them, and why.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_APPS = frozenset({"QCoreApplication", "QApplication", "QGuiApplication"})


@dataclass(frozen=True)
class UiString:
    context: str
    source: str
    comment: str
    numerus: bool
    path: str
    line: int
    blind: str | None = None  # why lupdate does not file it where Qt looks, if it does not


def ui_files(root: Path) -> list[Path]:
    return sorted((root / "terminal" / "ui").rglob("*.py"))


def scan(root: Path) -> tuple[list[UiString], list[str]]:
    """Every UI string, and the calls whose text is not a literal (they cannot be checked)."""
    strings: list[UiString] = []
    unreadable: list[str] = []
    for path in ui_files(root):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), rel)
        aliases = _aliases(tree)
        for call, cls, in_fstring in _calls(tree):
            found = _read(call, cls, aliases)
            if found is None:
                continue
            context, args, blind = found
            texts = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in args]
            if not texts or texts[0] is None or (len(texts) > 1 and texts[1] is None):
                unreadable.append(f"{rel}:{call.lineno}: {ast.unparse(call)[:80]}")
                continue
            if in_fstring:
                blind = "lupdate does not look inside f-strings"
            strings.append(UiString(context, texts[0], (texts[1] or "") if len(texts) > 1 else "",
                                    len(args) > 2, rel, call.lineno, blind))
    return strings, unreadable


def _aliases(tree: ast.Module) -> set[str]:
    """Names bound to QCoreApplication.translate anywhere in the module (`tr = QCoreApplication.translate`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_translate(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _is_translate(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "translate" \
        and isinstance(node.value, ast.Name) and node.value.id in _APPS


def _read(call: ast.Call, cls: str | None, aliases: set[str]) -> tuple[str, list[ast.expr], str | None] | None:
    """(context, [text, comment?, n?], why lupdate misfiles it) for a translation call, else None."""
    func = call.func
    if _is_translate(func) or (isinstance(func, ast.Name) and func.id in aliases):
        first = call.args[0] if call.args else None
        if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            return None
        blind = None
        if isinstance(func, ast.Name) and func.id != "translate":
            blind = (f"lupdate reads {func.id}(context, text) as tr(text, comment); call "
                     "QCoreApplication.translate(...) or name the alias `translate`")
        return first.value, call.args[1:], blind
    if isinstance(func, ast.Attribute) and func.attr == "tr":
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id == "self" and cls is not None:
            return cls, call.args, None
        if isinstance(owner, ast.Name) and owner.id == cls:
            return cls, call.args, None
        # Qt looks the text up under the class of `owner` at run time, which no scan can know.
        where = ast.unparse(owner)
        return f"<class of {where}>", call.args, (f"lupdate files {where}.tr() under the context '{where}', "
                                                  "Qt under the object's class: call self.tr() in that class")
    return None


def _calls(tree: ast.Module) -> Iterator[tuple[ast.Call, str | None, bool]]:
    """Every call with its enclosing class and whether it sits inside an f-string."""
    def visit(node: ast.AST, cls: str | None, in_fstring: bool) -> Iterator[tuple[ast.Call, str | None, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call):
                yield child, cls, in_fstring
            yield from visit(child, child.name if isinstance(child, ast.ClassDef) else cls,
                             in_fstring or isinstance(child, ast.JoinedStr))
    return visit(tree, None, False)
