"""`python -m terminal demo --script FILE --screenshot DIR`: offscreen, under Xvfb, and when a step fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QFontMetrics
from pytestqt.qtbot import QtBot

from terminal.ui.style import CJK_FAMILIES, base_font, pick_family

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "config" / "demo-script.json"
SCREENS = ("sign-in", "trac-codes-prescription-asked", "voucher-sale-split", "voucher-sale-receipt",
           "card-sale-change", "family-mutual-aid", "restricted-drug-buyer-asked", "restricted-drug-receipt",
           "offline-sale-estimate", "offline-receipt-estimate", "queue-offline", "queue-forwarded",
           "reversal-with-supervisor-pin", "day-end")


def run_demo(script: Path, shots: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", "demo", "--script", str(script), "--screenshot",
                           str(shots)], cwd=REPO, capture_output=True, text=True, timeout=240, env=env, check=False)


def saved(shots: Path) -> set[str]:
    return {p.stem.split("-", 1)[1] for p in shots.glob("*.png") if p.stat().st_size > 10_000}


@pytest.mark.slow
def test_the_shipped_script_runs_offscreen_and_saves_every_screen(tmp_path: Path) -> None:
    done = run_demo(SCRIPT, tmp_path, {**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert set(SCREENS) <= saved(tmp_path), sorted(saved(tmp_path))


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A private X server on a free display number (loopback only: -nolisten tcp)."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (make test installs it)")
    for number in range(91, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("Xvfb did not start")
        time.sleep(0.05)
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
def test_the_shipped_script_runs_under_xvfb_on_the_xcb_platform(tmp_path: Path, xvfb_display: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = xvfb_display
    done = run_demo(SCRIPT, tmp_path, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(SCREENS) <= saved(tmp_path)


def test_a_step_that_fails_ends_the_run_with_the_step_and_a_non_zero_exit(tmp_path: Path) -> None:
    script = tmp_path / "broken.json"
    script.write_text(json.dumps({"steps": [
        {"sign_in": {"opter": "0001", "pin": "1111"}, "wait": {"screen": "checkout"}},
        {"key": "F9", "wait": {"phase": "quoted"}, "timeout": 2}]}))
    done = run_demo(script, tmp_path / "shots", {**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 2
    assert "failed at step 2" in done.stdout and "timed out" in done.stdout
    assert any(p.name.endswith("failed-step-2.png") for p in (tmp_path / "shots").iterdir())


def test_a_script_with_an_unknown_action_is_refused_before_anything_starts(tmp_path: Path) -> None:
    script = tmp_path / "typo.json"
    script.write_text(json.dumps({"steps": [{"sing_in": {"opter": "0001"}}]}))
    done = run_demo(script, tmp_path / "shots", {**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 1
    assert "Step 1" in done.stderr and "sing_in" in done.stderr and "Traceback" not in done.stderr


def test_the_counter_font_draws_chinese_not_boxes(qtbot: QtBot) -> None:
    family = pick_family(CJK_FAMILIES)
    assert family in QFontDatabase.families(), f"no CJK font installed (make installs fonts-noto-cjk): {family}"
    metrics = QFontMetrics(base_font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "参保人应收现金个人账户家庭共济"), family
