"""End to end: `python -m terminal sim camera` as a process, the camera scanner reading it
through OpenCV's FFmpeg as a network camera, configured by the source URL only."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import cv2
import numpy as np
import pytest
from camera_helpers import REPO, WAIT_S, picture_folder, sim_camera, stop
from device_helpers import collapsed_states, wait_state

from terminal.devices.camera import CameraEvent, CameraScanner, CodeSeen, camera_scanner_from_settings
from terminal.devices.decoding.synth import camera_frame, render_qr
from terminal.devices.device import DeviceState, EventLog
from terminal.devices.scan_codes import DrugBarcodeScan, TraceabilityScan, route_scan
from terminal.settings import CameraSettings, DecoderSettings


def scanner_for(url: str, events: EventLog[CameraEvent]) -> CameraScanner:
    """A scanner configured as a terminal would be: only the source URL says "simulator"."""
    camera = CameraSettings(source=url, dedup_s=2.0, reopen_interval_s=0.2)
    decoder = DecoderSettings(order=("zxing-cpp", "pyzbar", "opencv"), camera_fallbacks_per_frame=None)
    return camera_scanner_from_settings(camera, decoder, on_event=events)


def next_code(events: EventLog[CameraEvent]) -> CodeSeen:
    code = events.next(WAIT_S, CodeSeen)
    assert code is not None, "no code was seen"
    return code


def test_scanner_reads_the_simulated_camera(tmp_path: Path) -> None:
    text = "NHSAEC1.sim-camera-end-to-end"
    with sim_camera(picture_folder(tmp_path, text), "--fps", "15", "--loop") as sim:
        assert sim.url == f"http://127.0.0.1:{sim.port}/stream.mjpg"
        with urllib.request.urlopen(f"http://127.0.0.1:{sim.port}/snapshot.jpg",
                                    timeout=10) as reply:
            assert reply.headers["Content-Type"] == "image/jpeg"
            snapshot = cv2.imdecode(np.frombuffer(reply.read(), np.uint8), cv2.IMREAD_COLOR)
        assert snapshot is not None
        assert snapshot.shape == (480, 640, 3)
        events: EventLog[CameraEvent] = EventLog()
        with scanner_for(sim.url, events) as scanner:
            code = next_code(events)
            preview = scanner.preview()
        assert code.result.text == text
        assert preview is not None and preview.frame.shape == (480, 640, 3)
        assert scanner.stats().frames_captured > 0


def test_without_loop_the_last_picture_stays_on(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    cv2.imwrite(str(folder / "only.png"), camera_frame(render_qr("HELD-FRAME", module_px=4),
                                                       np.random.default_rng(2), width=640,
                                                       height=480, code_px=220))
    with sim_camera(folder, "--fps", "30") as sim:
        time.sleep(0.5)  # the one-frame source has ended before the scanner connects
        events: EventLog[CameraEvent] = EventLog()
        with scanner_for(sim.url, events):
            code = next_code(events)
        assert sim.proc.poll() is None
    assert code.result.text == "HELD-FRAME"


def test_simulator_unplugged_and_back_is_lost_then_recovered(tmp_path: Path) -> None:
    folder = picture_folder(tmp_path / "before", "BEFORE-UNPLUG")
    # The replugged camera shows another code: a code seen again within dedup_s of its
    # last sighting is (rightly) not reported twice, and the restart can be that quick.
    folder_after = picture_folder(tmp_path / "after", "BACK-AGAIN")
    events: EventLog[CameraEvent] = EventLog()
    seen: list[CameraEvent] = []

    def subscriber(event: CameraEvent) -> None:
        seen.append(event)
        events(event)

    with sim_camera(folder, "--fps", "15", "--loop") as sim:
        port = sim.port
        scanner = camera_scanner_from_settings(
            CameraSettings(source=sim.url, dedup_s=2.0, reopen_interval_s=0.2),
            DecoderSettings(order=("zxing-cpp", "pyzbar", "opencv"), camera_fallbacks_per_frame=None),
            on_event=subscriber)
        scanner.start()
        try:
            assert next_code(events).result.text == "BEFORE-UNPLUG"
            stop(sim.proc)  # unplugged
            lost = wait_state(events, DeviceState.LOST)
            assert lost.reason is not None and lost.reason.startswith("The camera stopped sending pictures")
            with sim_camera(folder_after, "--fps", "15", "--loop", port=port):
                wait_state(events, DeviceState.READY)
                assert next_code(events).result.text == "BACK-AGAIN"
                scanner.close()  # before this simulator goes too
        finally:
            scanner.close()
    assert collapsed_states(seen) == [DeviceState.CONNECTING, DeviceState.READY, DeviceState.LOST,
                                      DeviceState.READY, DeviceState.CLOSED]


def test_simulator_refuses_a_missing_source(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "terminal", "sim", "camera", "--source",
         str(tmp_path / "nothing"), "--port", "0"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert done.stderr.startswith("error: ")
    assert done.stdout == ""


def test_a_simulated_box_is_read_as_its_drug_barcode_and_its_traceability_code() -> None:
    barcode, trac_code = "6901234567892", "81234560000000000017"
    with sim_camera(None, "--box", f"{barcode}:{trac_code}", "--fps", "15") as sim:
        assert sim.ready["boxes"] == [{"barcode": barcode, "trac_code": trac_code}]
        events: EventLog[CameraEvent] = EventLog()
        # The camera device as the counter builds it (the idle gate on), on the simulator's URL.
        with scanner_for(sim.url, events):
            first, second = next_code(events), next_code(events)
    # Both come from one frame, the drug first; a frame blurred enough to lose one of them
    # could change the order, which the counter does not mind.
    read = {c.result.format: c.result.text for c in (first, second)}
    assert read == {"ean13": barcode, "code128": trac_code}
    # What the counter does with them: a drug barcode scan and the box's traceability code.
    drug, trac = route_scan(read["ean13"]), route_scan(read["code128"])
    assert isinstance(drug, DrugBarcodeScan) and drug.code == barcode
    assert trac == TraceabilityScan(trac_code)


@pytest.mark.parametrize(("box", "says"), [
    ("6901234567892", "EAN13:TRACCODE"),
    ("6901234567890:81234560000000000017", "not an EAN-13"),
    ("6901234567892:91234560000000000017", "not 20 digits beginning with 8"),
])
def test_simulator_refuses_a_malformed_box(box: str, says: str) -> None:
    done = subprocess.run([sys.executable, "-m", "terminal", "sim", "camera", "--box", box, "--port", "0"],
                          cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert says in done.stderr
    assert done.stdout == ""
