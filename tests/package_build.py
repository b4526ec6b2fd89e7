"""Building the wheel and the Debian package from the tests, as `make wheel` and `make deb` do."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def project_version() -> str:
    with (REPO / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def runtime_debs() -> str:
    """The Makefile's RUNTIME_DEBS, the package's Depends."""
    return subprocess.run(["make", "-s", "--no-print-directory", "runtime-debs"], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout.strip()


def build_wheel(out: Path) -> Path:
    # setuptools builds in the tree's build/ and never empties it: a module deleted since would ship again.
    for stale in [REPO / "build/lib", *REPO.glob("build/bdist.*")]:
        shutil.rmtree(stale, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--wheel-dir", str(out), str(REPO)], check=True, capture_output=True)
    (wheel,) = out.glob("counter_terminal-*.whl")
    return wheel


def build_deb(wheel: Path, out: Path, *, version: str, wheelhouse: bool) -> Path:
    command = [sys.executable, str(REPO / "scripts/build_deb.py"), "--wheel", str(wheel), "--depends",
               runtime_debs(), "--version", version, "--out", str(out), "--work", str(out / f"work-{version}")]
    if not wheelhouse:
        command.append("--no-wheelhouse")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return Path(done.stdout.strip().splitlines()[-1])
