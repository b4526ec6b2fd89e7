"""`python -m terminal sim camera --source DIR|VIDEO`: serve pictures as a network camera.

Prints one JSON line once it listens: {"url", "source", "host", "port", "fps", "loop"};
set devices.camera.source to the url and the camera scanner reads the simulator.
Runs until interrupted (Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from terminal.commands import emit_json

PICTURE_FPS = 15.0


def is_video_file(source: str) -> bool:
    from pathlib import Path

    from terminal.devices.camera_sources import IMAGE_SUFFIXES

    path = Path(source)
    return path.is_file() and path.suffix.lower() not in IMAGE_SUFFIXES


def register_sim(sim_subparsers: Any) -> None:
    parser = sim_subparsers.add_parser(
        "camera", help="serve an image folder or a video as an MJPEG camera stream",
        description=__doc__.split("\n")[0])
    parser.add_argument("--source", required=True,
                        help="folder of images (played in name order), an image, or a video file")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8554, help="TCP port (0: any free port)")
    parser.add_argument("--fps", type=float, default=None,
                        help="frames per second to play (default: a video's own rate, "
                             f"{PICTURE_FPS:.0f} for pictures)")
    parser.add_argument("--loop", action="store_true",
                        help="start again after the last frame (default: hold the last frame)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.errors import BadInput
    from terminal.sim.camera import start_camera_server, stop_camera_server

    if args.fps is not None and not 0 < args.fps <= 240:
        raise BadInput("The simulated camera frame rate must be between 0 and 240 per second.")
    fps = args.fps
    if fps is None and not is_video_file(args.source):
        fps = PICTURE_FPS
    server = start_camera_server(args.source, host=args.host, port=args.port, fps=fps,
                                 loop=args.loop)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                               name="sim-camera-http", daemon=True)
    serving.start()
    host, port = server.server_address[:2]
    emit_json({"url": server.url, "source": args.source, "host": host, "port": port,
               "fps": server.player.fps, "loop": args.loop}, compact=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        stop_camera_server(server)
        serving.join(5.0)
    return 0
