"""The simulated camera as a process (`python -m terminal sim camera`), for the camera tests."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from terminal.devices.decoding.synth import camera_frame, render_qr

REPO = Path(__file__).resolve().parent.parent
WAIT_S = 20.0


class SimCamera:
    def __init__(self, proc: subprocess.Popen[str], ready: dict[str, Any]) -> None:
        self.proc = proc
        self.ready = ready
        self.url: str = ready["url"]
        self.port: int = ready["port"]


def start_sim_camera(source: Path | None, *extra: str, port: int = 0) -> SimCamera:
    """The simulator serving `source` (None: what `extra` names, such as --box) on
    127.0.0.1:`port` (0: any free port), once it listens."""
    shown = ["--source", str(source)] if source is not None else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "terminal", "sim", "camera", *shown,
         "--host", "127.0.0.1", "--port", str(port), *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=lambda: lines.put(proc.stdout.readline() if proc.stdout
                                                           else ""), daemon=True)
        reader.start()
        try:
            first = lines.get(timeout=WAIT_S)
        except queue.Empty:
            raise AssertionError("the simulated camera did not start") from None
        reader.join(1.0)
        assert first, f"simulator exited: {proc.stderr.read() if proc.stderr else ''}"
        return SimCamera(proc, json.loads(first))
    except BaseException:
        stop(proc)
        raise


@contextmanager
def sim_camera(source: Path | None, *extra: str, port: int = 0) -> Iterator[SimCamera]:
    sim = start_sim_camera(source, *extra, port=port)
    try:
        yield sim
    finally:
        stop(sim.proc)


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def picture_folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "pictures"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(5)
    for i in range(3):
        code = render_qr(text, module_px=4) if i > 0 else None
        cv2.imwrite(str(folder / f"{i}.jpg"), camera_frame(code, rng, width=640, height=480,
                                                           code_px=220))
    return folder
