"""The camera pipeline at 30 frames/s: what an empty counter costs, and how soon a code that appears is read.

    .venv/bin/python bench/camera_pipeline.py [--idle-seconds S] [--appearances N] [--fps N]
                                              [--source scripted|sim] [--no-compare] [--json]

One run of one scanner configured as the counter's (devices.camera and devices.decoder; the
idle gate as configured, on by default), fed 1280x720 frames by a capture paced at --fps:

1. idle: the empty counter (one scene, fresh sensor noise and JPEG in every frame) for
   --idle-seconds after a warm-up. The process's CPU time over the wall time is what the
   camera costs with nothing in view (the capture and decode threads; the main thread only
   waits for events), as a share of one core.
2. appearances: the empty counter for EMPTY_S (longer than change_window_s, so the gate has
   gone quiet), then a code held up for SHOWN_S, in turn an e-voucher's QR code on a phone
   and a drug box (its traceability code as a Code 128 beside its EAN-13), each code a fresh
   one. Latency is from the capture handing over the first frame that shows the code to
   the scanner's CodeSeen event for it: for the QR code, and for the box's Code 128 (its
   EAN-13 too).
3. unless --no-compare, the same idle scene through a scanner without the gate: the cost
   before the gate, in the same sitting.

`--source sim` plays the idle scene through `python -m terminal sim camera` instead (OpenCV's
FFmpeg then decodes the MJPEG stream as from a network camera, and that cost counts too); it
reports the idle cost only, the simulator's own timing hiding when a code appears.
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
from dataclasses import dataclass
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
from terminal.devices.camera_gate import FrameGate  # noqa: E402
from terminal.devices.decoding import chain_from_settings  # noqa: E402
from terminal.devices.decoding.synth import (  # noqa: E402
    box_frame,
    camera_frame,
    counter_background,
    ean13,
    render_box_label,
    render_qr,
    rotation_for,
    still_frame,
)
from terminal.settings import DeviceSettings, load_device_settings  # noqa: E402
from terminal.voucher import issue_voucher, load_private_key  # noqa: E402

WARM_UP_S = 2.0  # the first frame and the gate's first change window, not counted as idle
EMPTY_S = 1.5    # the empty counter before each appearance
SHOWN_S = 1.0    # how long each code is held up
VARIANTS = 4     # renderings per scene, repeated (a camera sees nearly the same picture)
LABELS = {"qr": "e-voucher QR", "code128": "box Code 128", "ean13": "box EAN-13"}


@dataclass
class Scene:
    name: str  # "warm-up", "idle", "empty", "qr", "box"
    frames: list[np.ndarray]
    seconds: float
    # The codes (text, format) whose CodeSeen events are timed from the scene's first frame.
    expect: tuple[tuple[str, str], ...] = ()


class ScheduledCapture:
    """A VideoCapture-like camera playing `scenes` at `fps`, noting when each scene's first
    frame was handed over (wall and process CPU time); then it ends."""

    def __init__(self, scenes: list[Scene], fps: float) -> None:
        self._scenes = scenes
        self._interval = 1.0 / fps
        self._counts = [max(1, round(s.seconds * fps)) for s in scenes]
        self._scene = 0
        self._in_scene = 0
        self._next = time.monotonic()
        self.started: list[tuple[float, float]] = []
        self.finished = threading.Event()
        self.ended = False

    def isOpened(self) -> bool:  # OpenCV's spelling
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        now = time.monotonic()
        if self._next > now:
            time.sleep(self._next - now)
        self._next = max(self._next + self._interval, now - self._interval)
        if self._in_scene == self._counts[self._scene]:
            self._scene += 1
            self._in_scene = 0
        if self._scene == len(self._scenes):
            if not self.ended:
                self.started.append((time.monotonic(), time.process_time()))
                self.ended = True
                self.finished.set()
            return False, None
        if self._in_scene == 0:
            self.started.append((time.monotonic(), time.process_time()))
        frames = self._scenes[self._scene].frames
        frame = frames[self._in_scene % len(frames)]
        self._in_scene += 1
        return True, frame

    def release(self) -> None:
        return None


def build_scenes(idle_s: float, appearances: int, fps: float, seed: int) -> tuple[list[Scene], np.ndarray]:
    rng = np.random.default_rng(seed)
    background = counter_background(rng)
    empty = [still_frame(background, rng) for _ in range(VARIANTS)]
    scenes = [Scene("warm-up", empty, WARM_UP_S), Scene("idle", empty, idle_s)]
    key = load_private_key(config_path("demo-issuer-key.pem"))
    for k in range(appearances):
        scenes.append(Scene("empty", empty, EMPTY_S))
        text = issue_voucher(key, f"1200000000000000{k:04d}", now=int(time.time()))
        code = render_qr(text, module_px=4)
        frames = [camera_frame(code, rng, code_px=300, angle_deg=rotation_for(k + i), background=background)
                  for i in range(VARIANTS)]
        scenes.append(Scene("qr", frames, SHOWN_S, ((text, "qr"),)))
        scenes.append(Scene("empty", empty, EMPTY_S))
        barcode, trac_code = ean13(f"6901234{k:05d}"), f"81234560{k:012d}"
        label = render_box_label(barcode, trac_code, data_matrix=False)
        frames = [box_frame(label, rng, angle_deg=rotation_for(k + i) / 3, perspective=0.05 * (i % 3),
                            background=background) for i in range(VARIANTS)]
        scenes.append(Scene("box", frames, SHOWN_S, ((trac_code, "code128"), (barcode, "ean13"))))
    return scenes, background


def play(scanner_for: Any, scenes: list[Scene], fps: float) -> dict[str, Any]:
    """Run one scanner over the scenes; latencies per scene kind and format, idle CPU share."""
    capture = ScheduledCapture(scenes, fps)
    seen_at: dict[tuple[str, str], float] = {}

    def subscriber(event: CameraEvent) -> None:
        if isinstance(event, CodeSeen) and event.result.text is not None:
            seen_at.setdefault((event.result.text, event.result.format), time.monotonic())

    scanner: CameraScanner = scanner_for(capture)
    scanner.subscribe(subscriber)
    scanner.start()
    try:
        capture.finished.wait(sum(s.seconds for s in scenes) * 3 + 30)
        time.sleep(0.3)  # the last frame's decode
    finally:
        scanner.close()
    starts = capture.started
    latency: dict[str, list[float]] = {}
    missed: dict[str, int] = {}
    idle_share = None
    for i, scene in enumerate(scenes):
        if i + 1 >= len(starts):
            break
        (wall0, cpu0), (wall1, cpu1) = starts[i], starts[i + 1]
        if scene.name == "idle":
            idle_share = (cpu1 - cpu0) / (wall1 - wall0)
        for text, code_format in scene.expect:
            hit = seen_at.get((text, code_format))
            label = LABELS[code_format]
            if hit is None or not wall0 <= hit <= wall1 + 0.5:
                missed[label] = missed.get(label, 0) + 1
            else:
                latency.setdefault(label, []).append((hit - wall0) * 1000.0)
    stats = scanner.stats()
    return {"idle_cpu_share": idle_share, "latency_ms": latency, "missed": missed,
            "frames_captured": stats.frames_captured, "frames_decoded": stats.frames_decoded,
            "frames_gated": stats.frames_gated, "frames_dropped": stats.frames_dropped,
            "decode_ms_median": statistics.median(stats.decode_ms) if stats.decode_ms else None,
            "gate_ms_median": statistics.median(stats.gate_ms) if stats.gate_ms else None,
            "decode_thread_is_main": threading.get_ident() in stats.decode_thread_ids}


def scripted_scanner(settings: DeviceSettings, *, gated: bool) -> Any:
    camera = settings.camera
    decoder = chain_from_settings(settings.decoder, camera=True)
    gate = FrameGate(change_window_s=camera.change_window_s,
                     idle_decode_interval_s=camera.idle_decode_interval_s) if gated else None
    return lambda capture: CameraScanner(lambda: capture, decoder, dedup_s=camera.dedup_s, gate=gate)


def sim_idle(settings: DeviceSettings, background: np.ndarray, idle_s: float, fps: float,
             gated: bool) -> float:
    """The idle CPU share with the empty counter served by the camera simulator."""
    rng = np.random.default_rng(3)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(int(fps)):
            cv2.imwrite(str(Path(tmp) / f"{i:05d}.jpg"), still_frame(background, rng),
                        [cv2.IMWRITE_JPEG_QUALITY, 90])
        proc = subprocess.Popen(
            [sys.executable, "-m", "terminal", "sim", "camera", "--source", tmp, "--port", "0",
             "--fps", str(fps), "--loop"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert proc.stdout is not None
            url = json.loads(proc.stdout.readline())["url"]
            camera = dataclasses.replace(settings.camera, source=url, idle_gate=gated)
            with camera_scanner_from_settings(camera, settings.decoder):
                time.sleep(WARM_UP_S)
                wall0, cpu0 = time.monotonic(), time.process_time()
                time.sleep(idle_s)
                return (time.process_time() - cpu0) / (time.monotonic() - wall0)
        finally:
            proc.terminate()
            proc.wait(10)
            if proc.stdout is not None:
                proc.stdout.close()


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered):6.1f} / {p95:6.1f} / {ordered[-1]:6.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--appearances", type=int, default=8, help="QR codes and boxes shown, each")
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--source", choices=("scripted", "sim"), default="scripted")
    parser.add_argument("--no-compare", action="store_true", help="skip the run without the gate")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    settings = load_device_settings()
    gated = settings.camera.idle_gate
    scenes, background = build_scenes(args.idle_seconds, args.appearances if args.source == "scripted" else 0,
                                      args.fps, args.seed)
    figures: dict[str, Any] = {"source": args.source, "fps": args.fps, "frame_size": "1280x720",
                               "idle_gate": gated, "idle_seconds": args.idle_seconds}
    if args.source == "sim":
        figures["idle_cpu_share"] = sim_idle(settings, background, args.idle_seconds, args.fps, gated)
        if not args.no_compare:
            figures["idle_cpu_share_ungated"] = sim_idle(settings, background, args.idle_seconds / 2,
                                                         args.fps, False)
    else:
        figures.update(play(scripted_scanner(settings, gated=gated), scenes, args.fps))
        if not args.no_compare:
            ungated = play(scripted_scanner(settings, gated=False), scenes[:2], args.fps)
            figures["idle_cpu_share_ungated"] = ungated["idle_cpu_share"]
            figures["decode_ms_median_ungated"] = ungated["decode_ms_median"]

    print(f"camera pipeline, source {args.source}, 1280x720 at {args.fps:.0f} frames/s, idle gate "
          f"{'on' if gated else 'off'} (devices.camera.idle_gate)")
    share = figures.get("idle_cpu_share")
    print(f"  idle CPU, share of one core ({args.idle_seconds:.0f} s of an empty counter): "
          f"{share * 100:.1f}%" if share is not None else "  idle CPU: not measured")
    if "idle_cpu_share_ungated" in figures:
        print(f"  idle CPU without the gate, same sitting:          "
              f"{figures['idle_cpu_share_ungated'] * 100:.1f}%")
    if args.source == "scripted":
        print(f"  frames captured {figures['frames_captured']}, decoded {figures['frames_decoded']}, "
              f"passed over by the gate {figures['frames_gated']}, dropped {figures['frames_dropped']}; "
              f"median ms: decode {figures['decode_ms_median']:.1f}, gate "
              f"{figures['gate_ms_median'] or 0:.2f}")
        print(f"  appearance to CodeSeen, ms (after {EMPTY_S} s of empty counter; {args.appearances} each)")
        print(f"    {'code':<16} {'n':>3} {'missed':>6}   median /    p95 /    max")
        for label in sorted(set(figures["latency_ms"]) | set(figures["missed"])):
            values = figures["latency_ms"].get(label, [])
            print(f"    {label:<16} {len(values):>3} {figures['missed'].get(label, 0):>6}   {spread(values)}")
        worst = max((max(v) for v in figures["latency_ms"].values() if v), default=float("inf"))
        ok = (share or 1.0) < 0.10 and worst < 100.0 and not figures["missed"] \
            and not figures["decode_thread_is_main"]
        print(f"idle under 10% of a core and every code read within 100 ms: {'PASS' if ok else 'FAIL'}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
