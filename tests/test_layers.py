"""The layers are import-linter contracts (pyproject.toml) that `make test` checks: this keeps them honest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts() -> list[dict[str, object]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["importlinter"]["contracts"])


def test_the_core_contract_names_every_module_at_the_top_level() -> None:
    # A new core module left out of the list would escape every rule.
    top_level = {f"terminal.{p.stem}" for p in (REPO / "terminal").glob("*.py")} - {"terminal.__init__"}
    top_level.discard("terminal.__main__")  # the entry point runs the commands; it is not the core
    core = next(c for c in contracts() if str(c["name"]).startswith("The core"))
    assert set(core["source_modules"]) == top_level  # type: ignore[arg-type]
    qt = next(c for c in contracts() if c["name"] == "Only the UI imports Qt")
    assert top_level <= set(qt["source_modules"])  # type: ignore[arg-type]


def run_lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(tree)})


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "terminal", tmp_path / "terminal", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract(tree_copy: Path) -> None:
    done = run_lint_imports(tree_copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("money.py", "import terminal.devices.wedge", "The core (modules at terminal/ top level) imports no layer"),
    ("devices/wedge.py", "import terminal.sim.processes", "Devices import only the core"),
    ("sim/pty_link.py", "import terminal.devices.cardreader.driver", "Simulators use the core"),
    ("receipt.py", "import PySide6.QtCore", "Only the UI imports Qt"),
])
def test_a_wrong_import_breaks_the_build(tree_copy: Path, module: str, line: str, contract: str) -> None:
    target = tree_copy / "terminal" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # deliberately wrong\n", encoding="utf-8")
    done = run_lint_imports(tree_copy)
    assert done.returncode != 0
    broken = done.stdout[done.stdout.index("Contracts"):]
    assert f"{contract}" in " ".join(broken.split()) and "BROKEN" in broken
