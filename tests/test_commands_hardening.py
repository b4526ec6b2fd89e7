"""The commands against a careless technician and a hostile file: a sentence and a documented exit code.

Exit codes: 0 done, 1 bad input, 3 the environment failed, 4 a settlement's outcome is unknown.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import requests
from service_helpers import AMOXICILLIN, PERSONS, Raw, psn

from terminal.sim.processes import REPO, ServiceProcess

BASKET = [{"med_list_codg": AMOXICILLIN, "cnt": "1"}]


def terminal(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, env=env)


def sentence(done: subprocess.CompletedProcess[str], code: int) -> str:
    """The one "error:" line, after checking the exit code, an empty stdout and no traceback."""
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    first = done.stderr.strip().splitlines()[0]
    assert first.startswith("error: ") and first.endswith("."), done.stderr
    return first


def by_card(n: int) -> list[str]:
    p = PERSONS[psn(n)]
    return ["--card-no", p["card_no"], "--card-sn", p["card_sn"]]


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ----- files that are not what they claim to be

@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo.json"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "huge-integer", "deep", "missing"])
def test_split_refuses_input_files_that_are_not_json_documents(tmp_path: Path, fifo: Path, kind: str) -> None:
    path = {"fifo": fifo, "dev-zero": Path("/dev/zero"), "folder": tmp_path, "missing": tmp_path / "nope.json",
            "huge-integer": tmp_path / "huge.json", "deep": tmp_path / "deep.json"}[kind]
    if kind == "huge-integer":
        path.write_text('{"items": [], "balc": ' + "9" * 5000 + "}")
    if kind == "deep":
        path.write_text("[" * 100_000)
    done = terminal("split", "--input", str(path), timeout=20)  # a FIFO or /dev/zero must not hang it
    line = sentence(done, 1)
    assert str(path) in line
    done = terminal("split", "--input", str(write_json(tmp_path / "ok.json", {})), "--policy", str(path),
                    timeout=20)
    assert str(path) in sentence(done, 1)


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize(("name", "make", "words"), [
    ("huge.png", lambda p: p.write_bytes(png_claiming(100_000, 100_000)), "too large"),
    ("text.png", lambda p: p.write_text("not a picture"), "not a PNG, JPEG"),
    ("empty.jpg", lambda p: p.write_bytes(b""), "not a PNG, JPEG"),
    ("cut.jpg", lambda p: p.write_bytes(cv2.imencode(".jpg", np.full((480, 640, 3), 128, np.uint8))[1]
                                        .tobytes()[:3000]), "cut off"),
    ("missing.png", lambda p: None, "does not exist"),
])
def test_decode_exits_1_for_every_unusable_image(tmp_path: Path, name: str, make: Any, words: str) -> None:
    path = tmp_path / name
    make(path)
    done = terminal("decode", str(path), timeout=30)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    line = json.loads(done.stdout)
    assert words in line["error"] and line["text"] is None


def test_decode_scales_a_large_photo_down_instead_of_spending_seconds_on_it(tmp_path: Path) -> None:
    from terminal.devices.decoding import load_image
    from terminal.devices.decoding.image import MAX_DECODE_SIDE

    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), np.full((6000, 9000, 3), 200, np.uint8))
    image = load_image(photo)
    assert max(image.shape[:2]) <= MAX_DECODE_SIDE
    assert terminal("decode", str(photo), timeout=30).returncode == 0


# ----- settle: configuration and state

def test_settle_refuses_a_service_that_is_not_an_address(tmp_path: Path) -> None:
    done = terminal("settle", "--service", "not a url", "--basket", str(write_json(tmp_path / "b.json", BASKET)),
                    *by_card(13))
    line = sentence(done, 1)
    assert "--service must be an http:// or https:// address" in line and "network cable" not in line


def test_settle_with_a_state_dir_that_is_a_file_or_a_corrupt_sequence(tmp_path: Path,
                                                                      settlement_service: ServiceProcess) -> None:
    basket = str(write_json(tmp_path / "b.json", BASKET))
    blocked = tmp_path / "state-file"
    blocked.write_text("not a folder")
    env = {**os.environ, "TERMINAL_STATE_DIR": str(blocked)}
    done = terminal("settle", "--service", settlement_service.url, "--basket", basket, *by_card(13), env=env)
    assert "state folder" in sentence(done, 1)
    state = tmp_path / "state"
    state.mkdir()
    (state / "msgid.seq").write_bytes(b"\x00\xffgarbage 99999999")
    env = {**os.environ, "TERMINAL_STATE_DIR": str(state)}
    done = terminal("settle", "--service", settlement_service.url, "--basket", basket, *by_card(13), env=env)
    assert done.returncode == 0, done.stderr


@contextmanager
def failing_catalog_service(status: int) -> Iterator[str]:
    """A service whose 1301 answers with an HTTP error: a query, so nothing can have settled."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_settle_says_try_again_when_the_catalog_download_fails(tmp_path: Path) -> None:
    with failing_catalog_service(502) as url:
        done = terminal("settle", "--service", url, "--basket", str(write_json(tmp_path / "b.json", BASKET)),
                        *by_card(13))
    line = sentence(done, 3)
    assert "try again" in line and "Do not settle" not in line and "unknown" not in line


# ----- settle: an answer lost after the service settled

@contextmanager
def answer_losing_proxy(target: str, infno: str = "2102") -> Iterator[tuple[str, list[str]]]:
    """Forwards every request to the service; for `infno` it drops the answer (after the service acted)."""
    forwarded: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k: v for k, v in self.headers.items() if k.lower().startswith(("x-tif", "content-type"))}
            answer = requests.post(target + self.path, data=body, headers=headers, timeout=10)
            envelope = json.loads(body)
            if envelope.get("infno") == infno:
                forwarded.append(envelope["msgid"])
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)  # the settlement happened; its answer is lost
                return
            self.send_response(answer.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", forwarded
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("resolution", ["--resend", "--reverse"])
def test_an_unknown_outcome_is_kept_with_its_msgid_and_resolved_by_the_printed_command(
        tmp_path: Path, settlement_service: ServiceProcess, resolution: str) -> None:
    raw = Raw(settlement_service.url)
    state = tmp_path / "state"
    env = {**os.environ, "TERMINAL_STATE_DIR": str(state)}
    try:
        before = raw.balance(13)
        with answer_losing_proxy(settlement_service.url) as (url, forwarded):
            done = terminal("settle", "--service", url, "--basket", str(write_json(tmp_path / "b.json", BASKET)),
                            *by_card(13), env=env)
        line = sentence(done, 4)
        msgid = forwarded[0]
        assert set(forwarded) == {msgid} and msgid in line and "Do not settle again" in line
        assert raw.balance(13) == before - Decimal("8.50")  # it did settle, once, however often it arrived
        commands = [row.removeprefix("resolve: ").split("   (")[0] for row in done.stderr.splitlines()
                    if row.startswith("resolve: ")]
        command = next(c for c in commands if resolution in c).split()
        kept = Path(command[-1])
        assert kept.parent == state / "unresolved" and kept.stat().st_mode & 0o077 == 0
        # The network is back: the printed command, with the service reached directly this time.
        command[command.index("--service") + 1] = settlement_service.url
        resolved = terminal(*command[3:], env=env)
        assert resolved.returncode == 0, resolved.stderr
        out = json.loads(resolved.stdout)
        if resolution == "--resend":
            assert out["setlinfo"]["psn_no"] == psn(13) and out["setlinfo"]["balc"] == str(before - Decimal("8.50"))
            assert raw.balance(13) == before - Decimal("8.50")
        else:
            assert out["reversed"] == msgid and raw.balance(13) == before
        assert not kept.exists()
    finally:
        raw.close()


# ----- settle: personal data

def test_settle_masks_the_person_unless_asked(tmp_path: Path, settlement_service: ServiceProcess) -> None:
    basket = str(write_json(tmp_path / "b.json", BASKET))
    person = PERSONS[psn(13)]
    done = terminal("settle", "--service", settlement_service.url, "--basket", basket, *by_card(13))
    assert done.returncode == 0, done.stderr
    assert person["certno"] not in done.stdout and person["psn_name"] not in done.stdout
    info = json.loads(done.stdout)["setlinfo"]
    assert info["certno"].startswith(person["certno"][:6]) and "*" in info["certno"] and "*" in info["psn_name"]
    shown = terminal("settle", "--service", settlement_service.url, "--basket", basket, *by_card(13),
                     "--show-personal-data")
    assert json.loads(shown.stdout)["setlinfo"]["certno"] == person["certno"]


def test_a_refusal_does_not_name_the_person(tmp_path: Path, settlement_service: ServiceProcess) -> None:
    suspended = PERSONS[psn(7)]
    done = terminal("settle", "--service", settlement_service.url, "--basket",
                    str(write_json(tmp_path / "b.json", BASKET)), *by_card(7))
    line = sentence(done, 1)
    assert "suspended" in line and suspended["psn_name"] not in done.stderr
