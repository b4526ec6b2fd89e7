"""The camera pipeline fed at 30 frames/s: does decoding keep up, and on which thread?

    .venv/bin/python bench/camera_pipeline.py [--seconds S] [--fps N] [--source scripted|sim]
                                              [--json]

`scripted` (default) feeds pre-rendered 1280x720 frames from a capture object paced at
--fps; `sim` writes the same frames as JPEG files, starts `python -m terminal sim
camera` on a free loopback port and points the scanner at its URL, so OpenCV's FFmpeg
decodes the MJPEG stream as from a network camera. The scene alternates: nobody at the
counter, a voucher shown, nobody, another voucher...

The main thread plays the GUI: it only takes events from the EventLog the scanner
reports to. Reported: frames captured, decoded and dropped (the decoder always takes
the newest frame, so a drop is a stale frame skipped, not a backlog), decode time,
capture-to-result latency, codes reported against codes shown, the threads that
decoded, and the main thread's CPU time.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from terminal.config import config_path  # noqa: E402
from terminal.devices.camera import (  # noqa: E402
    CameraEvent,
    CameraScanner,
    CodeSeen,
    camera_scanner_from_settings,
)
from terminal.devices.decoding import chain_from_settings  # noqa: E402
from terminal.devices.decoding.synth import camera_frame, render_qr, rotation_for  # noqa: E402
from terminal.devices.device import EventLog  # noqa: E402
from terminal.settings import load_device_settings  # noqa: E402
from terminal.voucher import issue_voucher, load_private_key  # noqa: E402

SCENE_S = 1.5  # each scene (empty counter, or one voucher held up) lasts this long


class PacedCapture:
    """A VideoCapture-like camera delivering `frames` in a loop at `fps`."""

    def __init__(self, frames: list[np.ndarray], fps: float) -> None:
        self._frames = frames
        self._interval = 1.0 / fps
        self._next = time.monotonic()
        self._index = 0

    def isOpened(self) -> bool:  # OpenCV's spelling
        return True

    def read(self) -> tuple[bool, np.ndarray]:
        now = time.monotonic()
        if self._next > now:
            time.sleep(self._next - now)
        self._next = max(self._next + self._interval, now - self._interval)
        frame = self._frames[self._index % len(self._frames)]
        self._index += 1
        return True, frame

    def release(self) -> None:
        return None


def build_scenes(fps: float, seed: int) -> tuple[list[np.ndarray], list[str]]:
    """Frames for one loop of the scenes: empty, voucher 1, empty, voucher 2 ...

    A handful of distinct renderings per scene are repeated (a camera sees nearly the
    same picture frame after frame); generating a full 30 fps loop would take longer
    than the run.
    """
    key = load_private_key(config_path("demo-issuer-key.pem"))
    rng = np.random.default_rng(seed)
    per_scene = int(SCENE_S * fps)
    frames: list[np.ndarray] = []
    texts: list[str] = []
    for scene in range(4):
        if scene % 2 == 0:
            variants = [camera_frame(None, rng) for _ in range(4)]
        else:
            text = issue_voucher(key, f"120000000000000000{scene:02d}", now=int(time.time()))
            texts.append(text)
            code = render_qr(text, module_px=4)
            variants = [camera_frame(code, rng, code_px=300, angle_deg=rotation_for(scene + i))
                        for i in range(4)]
        frames.extend(variants[i % len(variants)] for i in range(per_scene))
    return frames, texts


def start_simulator(frames: list[np.ndarray], fps: float, folder: Path) -> tuple[Any, str]:
    for i, frame in enumerate(frames):
        cv2.imwrite(str(folder / f"{i:05d}.jpg"), frame, [cv2.IMWRITE_JPEG_QUALITY, 90])
    proc = subprocess.Popen(
        [sys.executable, "-m", "terminal", "sim", "camera", "--source", str(folder),
         "--port", "0", "--fps", str(fps), "--loop"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(5)
        raise SystemExit("the simulated camera did not start")
    return proc, json.loads(line)["url"]


def run(scanner: CameraScanner, seconds: float) -> dict[str, Any]:
    main_cpu_start = time.thread_time()
    start = time.monotonic()
    codes: list[tuple[float, str | None]] = []
    callback_threads: set[str] = set()
    events: EventLog[CameraEvent] = EventLog()

    def subscriber(event: CameraEvent) -> None:
        if isinstance(event, CodeSeen):
            callback_threads.add(threading.current_thread().name)
        events(event)

    scanner.subscribe(subscriber)
    scanner.start()
    try:
        # The "GUI thread": it only takes events from the log.
        while time.monotonic() - start < seconds:
            event = events.next(0.05)
            if isinstance(event, CodeSeen):
                codes.append((time.monotonic() - start, event.result.text))
    finally:
        scanner.close()
    elapsed = time.monotonic() - start
    stats = scanner.stats()
    decode_ms = sorted(stats.decode_ms)
    found_ms = sorted(stats.decode_ms_found)
    latency_ms = sorted(stats.latency_ms)
    return {
        "seconds": round(elapsed, 2),
        "frames_captured": stats.frames_captured,
        "frames_decoded": stats.frames_decoded,
        "frames_dropped": stats.frames_dropped,
        "capture_fps": round(stats.frames_captured / elapsed, 1),
        "decode_fps": round(stats.frames_decoded / elapsed, 1),
        "decode_ms_median": round(statistics.median(decode_ms), 2) if decode_ms else None,
        "decode_ms_p95": round(decode_ms[int(len(decode_ms) * 0.95)], 2) if decode_ms else None,
        "decode_ms_with_code_median": (round(statistics.median(found_ms), 2)
                                       if found_ms else None),
        "decode_ms_with_code_p95": (round(found_ms[int(len(found_ms) * 0.95)], 2)
                                    if found_ms else None),
        "frames_with_code": len(found_ms),
        "latency_ms_median": round(statistics.median(latency_ms), 2) if latency_ms else None,
        "latency_ms_p95": (round(latency_ms[int(len(latency_ms) * 0.95)], 2)
                           if latency_ms else None),
        "codes_reported": len(codes),
        "code_times_s": [round(t, 2) for t, _ in codes],
        "decode_thread_ids": sorted(stats.decode_thread_ids),
        "main_thread_id": threading.get_ident(),
        "main_thread_decoded": threading.get_ident() in stats.decode_thread_ids,
        "callback_threads": sorted(callback_threads),
        "main_thread_cpu_ms": round((time.thread_time() - main_cpu_start) * 1000.0, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--source", choices=("scripted", "sim"), default="scripted")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    settings = load_device_settings()
    frames, texts = build_scenes(args.fps, args.seed)
    loop_s = len(frames) / args.fps
    expected = int(args.seconds // loop_s) * len(texts) + sum(
        1 for i in range(len(texts)) if (args.seconds % loop_s) > (2 * i + 1) * SCENE_S)
    proc = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.source == "sim":
            proc, url = start_simulator(frames, args.fps, Path(tmp))
            scanner = camera_scanner_from_settings(dataclasses.replace(settings.camera, source=url),
                                                   settings.decoder)
        else:
            decoder = chain_from_settings(settings.decoder, camera=True)
            scanner = CameraScanner(lambda: PacedCapture(frames, args.fps), decoder,
                                    dedup_s=min(settings.camera.dedup_s, SCENE_S))
        try:
            figures = run(scanner, args.seconds)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(10)
                if proc.stdout is not None:
                    proc.stdout.close()
    figures.update({"source": args.source, "target_fps": args.fps,
                    "codes_shown": expected, "frame_size": "1280x720"})

    print(f"camera pipeline, source {args.source}, 1280x720 at {args.fps:.0f} frames/s, "
          f"{figures['seconds']} s (scenes of {SCENE_S} s: empty / voucher / empty / voucher)")
    rows = [
        ("frames captured", f"{figures['frames_captured']} ({figures['capture_fps']}/s)"),
        ("frames decoded", f"{figures['frames_decoded']} ({figures['decode_fps']}/s)"),
        ("frames dropped (stale, skipped)", figures["frames_dropped"]),
        ("decode ms median / p95, all frames",
         f"{figures['decode_ms_median']} / {figures['decode_ms_p95']}"),
        (f"  frames with a code ({figures['frames_with_code']})",
         f"{figures['decode_ms_with_code_median']} / {figures['decode_ms_with_code_p95']}"),
        ("capture-to-result ms median / p95",
         f"{figures['latency_ms_median']} / {figures['latency_ms_p95']}"),
        ("codes reported / shown", f"{figures['codes_reported']} / {expected}"),
        ("decode thread ids", figures["decode_thread_ids"]),
        ("main (GUI) thread id", figures["main_thread_id"]),
        ("main thread decoded a frame", figures["main_thread_decoded"]),
        ("callbacks ran on", ", ".join(figures["callback_threads"])),
        ("main thread CPU ms", figures["main_thread_cpu_ms"]),
    ]
    for name, value in rows:
        print(f"  {name:<36} {value}")
    keeps_up = figures["frames_decoded"] >= 0.9 * figures["frames_captured"] \
        and figures["capture_fps"] >= 0.9 * args.fps and not figures["main_thread_decoded"]
    print(f"keeps up with {args.fps:.0f} frames/s off the main thread: "
          f"{'PASS' if keeps_up else 'FAIL'}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
