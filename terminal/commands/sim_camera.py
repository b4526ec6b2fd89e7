"""`python -m terminal sim camera --source DIR|VIDEO | --box EAN13:TRACCODE...`: serve pictures as a network camera.

With --box (repeatable) the pictures are drug boxes held up in turn, each for 2 s after 1 s of
empty counter: the EAN-13 with the traceability code as a Code 128 beside it (and as a Data
Matrix too with --box-data-matrix), at 1280x720.

Prints one JSON line once it listens: {"url", "source", "host", "port", "fps", "loop"}, and
"boxes" ([{"barcode", "trac_code"}]) with --box;
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
    shown = parser.add_mutually_exclusive_group(required=True)
    shown.add_argument("--source",
                       help="folder of images (played in name order), an image, or a video file")
    shown.add_argument("--box", action="append", metavar="EAN13:TRACCODE",
                       help="show a drug box: its EAN-13 and its traceability code (20 digits beginning "
                            "with 8) as a Code 128 beside it; repeat for several boxes, shown in turn")
    parser.add_argument("--box-data-matrix", action="store_true",
                        help="print each box's traceability code as a Data Matrix too")
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
    if fps is None and (args.box or not is_video_file(args.source)):
        fps = PICTURE_FPS
    capture = None
    boxes: list[tuple[str, str]] = []
    if args.box:
        from terminal.sim.camera_boxes import box_capture, parse_box

        boxes = [parse_box(spec) for spec in args.box]
        capture = box_capture(boxes, fps=fps, loop=args.loop, data_matrix=args.box_data_matrix)
    source = args.source or "boxes"
    server = start_camera_server(source, host=args.host, port=args.port, fps=fps,
                                 loop=args.loop, capture=capture)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                               name="sim-camera-http", daemon=True)
    serving.start()
    host, port = server.server_address[:2]
    ready: dict[str, object] = {"url": server.url, "source": source, "host": host, "port": port,
                                "fps": server.player.fps, "loop": args.loop}
    if boxes:
        ready["boxes"] = [{"barcode": barcode, "trac_code": trac_code} for barcode, trac_code in boxes]
    emit_json(ready, compact=True)
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
