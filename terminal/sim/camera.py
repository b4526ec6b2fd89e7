"""The simulated camera: a folder of images or a video served as an MJPEG stream.

OpenCV's VideoCapture opens `http://127.0.0.1:PORT/stream.mjpg` through its bundled
FFmpeg exactly as it opens a network camera, so the camera scanner consumes the
simulator when `devices.camera.source` is set to that URL: nothing else changes.

One player thread reads the source at the configured frame rate and encodes each frame
once; every connected client gets the newest frame (a camera does not wait for slow
viewers). Without looping, the last frame stays on after the source ends, as a camera
goes on showing a still scene. `/snapshot.jpg` returns one JPEG.
"""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import cv2

from terminal.devices.camera_sources import CaptureLike, open_source
from terminal.errors import BadInput, EnvironmentFault
from terminal.faults import socket_fault

log = logging.getLogger(__name__)

BOUNDARY = "frame"
JPEG_QUALITY = 90
# A client waiting for a frame rechecks this often whether the server is stopping.
WAIT_SLICE_S = 0.5
HELD_FRAME_INTERVAL_S = 0.2


class FramePlayer:
    """Plays the source on its own thread and keeps the newest JPEG-encoded frame."""

    def __init__(self, capture: CaptureLike, *, fps: float,
                 jpeg_quality: int = JPEG_QUALITY) -> None:
        self._capture = capture
        self.fps = fps
        self._quality = jpeg_quality
        self._changed = threading.Condition()
        self._jpeg: bytes | None = None
        self._sequence = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sim-camera-player", daemon=True)
        self.ended = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        self._thread.join(5.0)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                ok, frame = self._capture.read()
                if not ok or frame is None:
                    # End of a file source: hold the last frame (see module docstring).
                    self.ended.set()
                    log.info("camera source ended; holding the last frame")
                    break
                encoded, buffer = cv2.imencode(".jpg", frame,
                                               [cv2.IMWRITE_JPEG_QUALITY, self._quality])
                if not encoded:
                    continue
                with self._changed:
                    self._jpeg = buffer.tobytes()
                    self._sequence += 1
                    self._changed.notify_all()
        finally:
            self._capture.release()

    def next_frame(self, after: int) -> tuple[int, bytes] | None:
        """The first frame newer than sequence `after`, waiting for it; None if stopping.

        Once the source has ended, the held frame is sent again a few times a second, so
        a viewer keeps receiving pictures rather than a silent socket.
        """
        with self._changed:
            while not self._stop.is_set():
                if self._jpeg is not None and self._sequence > after:
                    return self._sequence, self._jpeg
                if self._jpeg is not None and self.ended.is_set():
                    self._changed.wait(HELD_FRAME_INTERVAL_S)
                    return None if self._stop.is_set() else (self._sequence, self._jpeg)
                self._changed.wait(WAIT_SLICE_S)
            return None

    def latest(self, timeout_s: float = 5.0) -> bytes | None:
        with self._changed:
            self._changed.wait_for(lambda: self._jpeg is not None or self._stop.is_set(),
                                   timeout_s)
            return self._jpeg


class _Handler(BaseHTTPRequestHandler):
    server: CameraServer

    def do_GET(self) -> None:
        player = self.server.player
        if self.path.split("?")[0] == "/snapshot.jpg":
            jpeg = player.latest()
            if jpeg is None:
                self.send_error(503, "no frame yet")
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(jpeg)))
            self.end_headers()
            self.wfile.write(jpeg)
            return
        self.send_response(200)
        self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        sequence = 0
        try:
            while True:
                frame = player.next_frame(sequence)
                if frame is None:
                    return
                sequence, jpeg = frame
                self.wfile.write(
                    f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
                    f"Content-Length: {len(jpeg)}\r\n\r\n".encode("ascii") + jpeg + b"\r\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return  # the viewer went away

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sim camera: %s", format % args)


class CameraServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], player: FramePlayer) -> None:
        self.player = player
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/stream.mjpg"


def start_camera_server(source: str, *, host: str = "127.0.0.1", port: int = 0,
                        fps: float | None = 15.0, loop: bool = False,
                        capture: CaptureLike | None = None) -> CameraServer:
    """Open the source (or play `capture`, such as drug boxes, with `source` naming it),
    start the player and bind the server (serve_forever is the caller's)."""
    if capture is None:
        try:
            capture = open_source(source, fps=fps, loop=loop)
        except EnvironmentFault as exc:
            raise BadInput(f"The simulated camera source {source} cannot be played.",
                           detail=exc.detail or exc.cashier_message) from None
    player = FramePlayer(capture, fps=float(getattr(capture, "fps", None) or fps or 0.0))
    try:
        server = CameraServer((host, port), player)
    except OSError as exc:
        capture.release()
        raise socket_fault(exc, f"{host}:{port}") from None
    player.start()
    return server


def stop_camera_server(server: CameraServer) -> None:
    server.player.stop()
    server.shutdown()
    server.server_close()
