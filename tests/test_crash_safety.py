"""Crash safety in CI's short mode: the harness (tests/crash_harness.py) with a dozen SIGKILLs.

The long mode (200 kills and more) is `python tests/crash_harness.py --kills 200`.
"""

from __future__ import annotations

import os
from pathlib import Path

from crash_harness import run

KILLS = int(os.environ.get("CRASH_KILLS", "12"))


def test_killed_tills_settle_every_sale_exactly_once(tmp_path: Path) -> None:
    result = run(KILLS, seed=5, workdir=tmp_path, say=lambda text: None)
    assert result["kills"] >= KILLS // 2  # most lives end by SIGKILL, not by finishing their sales
    assert result["settled_at_service"] > 10 and result["agree"]
