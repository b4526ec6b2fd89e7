"""QR decoding: each backend and the chain on generated codes, and untrusted input."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path

import cv2
import numpy as np
import pytest

from terminal.commands.decode import BACKEND_CHOICES
from terminal.devices.decoding import (
    BACKEND_NAMES,
    BackendUnavailable,
    BinaryPayload,
    DecoderChain,
    DecodeResult,
    NoBackend,
    PayloadTooLarge,
    UnreadableImage,
    chain_from_settings,
    load_backend,
    load_backends,
    load_image,
    text_from_bytes,
)
from terminal.devices.decoding.synth import camera_frame, render_qr
from terminal.errors import BadInput, ConfigError, EnvironmentFault
from terminal.settings import DecoderSettings, parse_settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "data" / "zxing-qrcode"
DEFAULT_ORDER = ("zxing-cpp", "pyzbar", "opencv")
VOUCHER_LIKE = "NHSAEC1.eyJ2IjoxLCJwc25fbm8iOiIxMjAwMDAwMDAwMDAwMDAwMDAwMSJ9.c2lnbmF0dXJl"


def padded(code: np.ndarray, border: int = 40) -> np.ndarray:
    return cv2.copyMakeBorder(code, border, border, border, border, cv2.BORDER_CONSTANT,
                              value=255)


@pytest.fixture(scope="module")
def voucher_code() -> np.ndarray:
    return padded(render_qr(VOUCHER_LIKE, module_px=4))


@pytest.mark.parametrize("name", BACKEND_NAMES)
def test_each_backend_reads_a_generated_code(name: str, voucher_code: np.ndarray) -> None:
    results = load_backend(name).decode(voucher_code)
    assert [r.text for r in results] == [VOUCHER_LIKE]
    result = results[0]
    assert result.raw == VOUCHER_LIKE.encode("ascii")
    assert result.backend == name
    assert len(result.points) == 4
    xs = [x for x, _ in result.points]
    # The code (without its padding) spans most of the image.
    assert min(xs) < voucher_code.shape[1] * 0.25 < voucher_code.shape[1] * 0.75 < max(xs)


def test_chain_reads_a_camera_frame_and_reports_corners() -> None:
    rng = np.random.default_rng(3)
    frame = camera_frame(render_qr(VOUCHER_LIKE, module_px=4), rng, code_px=300,
                         angle_deg=8.0, center=(500.0, 300.0))
    every_backend = DecoderSettings(order=DEFAULT_ORDER, camera_fallbacks_per_frame=None)
    chain = chain_from_settings(every_backend, camera=True)
    result = chain.decode(frame)
    assert result is not None
    assert result.text == VOUCHER_LIKE
    assert result.ms > 0
    cx = sum(x for x, _ in result.points) / 4
    cy = sum(y for _, y in result.points) / 4
    assert abs(cx - 500) < 30 and abs(cy - 300) < 30
    as_json = result.to_json()
    assert as_json["text"] == VOUCHER_LIKE and as_json["raw_hex"] == VOUCHER_LIKE.encode().hex()


def test_chain_follows_the_configured_order(voucher_code: np.ndarray) -> None:
    for order in (("opencv", "zxing-cpp"), ("pyzbar", "opencv")):
        result = chain_from_settings(DecoderSettings(order=order)).decode(voucher_code)
        assert result is not None and result.backend == order[0]


def test_not_a_qr_image_gives_none() -> None:
    blank = camera_frame(None, np.random.default_rng(1), width=640, height=480)
    assert chain_from_settings(DecoderSettings(order=DEFAULT_ORDER)).decode(blank) is None


def test_non_utf8_payloads_are_decoded_by_their_charset() -> None:
    chain = chain_from_settings(DecoderSettings(order=DEFAULT_ORDER))
    for text, encoding in (("テスト", "shift_jis"), ("医保电子凭证", "gbk"),
                           ("Müller", "iso-8859-1"), ("医保电子凭证", "utf-8")):
        payload = text.encode(encoding)
        for name in BACKEND_NAMES:
            results = load_backend(name).decode(padded(render_qr(payload)))
            assert [(r.text, r.raw) for r in results] == [(text, payload)], (name, text)
        result = chain.decode(padded(render_qr(payload)))
        assert result is not None and result.text == text and result.raw == payload


def test_binary_payload_gives_raw_bytes_and_no_text() -> None:
    payload = bytes(range(256))
    chain = chain_from_settings(DecoderSettings(order=DEFAULT_ORDER))
    result = chain.decode(padded(render_qr(payload, module_px=3)))
    assert result is not None
    assert result.text is None and result.raw == payload
    with pytest.raises(BinaryPayload) as caught:
        result.require_text()
    assert isinstance(caught.value, BadInput) and caught.value.cashier_message.endswith(".")


def test_text_from_bytes_never_trusts_its_input() -> None:
    assert text_from_bytes(b"") == (None, None)
    assert text_from_bytes(b"abc\x00def") == (None, None)
    assert text_from_bytes(bytes(range(128, 256))) == (None, None)
    assert text_from_bytes(b"caf\xe9") == ("café", "iso-8859-1")
    assert text_from_bytes("阿".encode("gbk"), "not-a-codec") == ("阿", "gb18030")
    assert text_from_bytes(b"\x82\xa0", "shift_jis") == ("あ", "shift_jis")


def test_a_3kb_code_is_a_typed_bad_input() -> None:
    payload = b"A" * 2900  # about the most a QR code holds
    image = padded(render_qr(payload, module_px=3, ec_level="L"))
    chain = chain_from_settings(DecoderSettings(order=DEFAULT_ORDER, max_payload_bytes=2048))
    with pytest.raises(PayloadTooLarge) as caught:
        chain.decode(image)
    assert isinstance(caught.value, BadInput)
    assert "cannot be used" in caught.value.cashier_message
    assert "2900 bytes" in str(caught.value.detail)


def test_not_an_image_is_a_typed_bad_input() -> None:
    chain = chain_from_settings(DecoderSettings(order=DEFAULT_ORDER))
    for junk in (None, "text", np.zeros((0, 0), np.uint8), np.zeros((4, 4, 7), np.uint8)):
        with pytest.raises(UnreadableImage):
            chain.decode(junk)


def test_corrupt_and_missing_image_files(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50)
    with pytest.raises(UnreadableImage):
        load_image(corrupt)
    # A wrong name is the input's fault, as for every file a person names (terminal.files).
    with pytest.raises(BadInput, match="does not exist"):
        load_image(tmp_path / "missing.png")
    with pytest.raises(BadInput, match="is a folder"):
        load_image(tmp_path)


class RaisingBackend:
    name = "raising"
    formats = frozenset({"qr"})

    def __init__(self) -> None:
        self.calls = 0

    def decode(self, gray: np.ndarray, formats: Collection[str] | None = None) -> list[DecodeResult]:
        self.calls += 1
        raise cv2.error("mode 13 is not supported")


class EmptyBackend:
    name = "empty"
    formats = frozenset({"qr"})

    def decode(self, gray: np.ndarray, formats: Collection[str] | None = None) -> list[DecodeResult]:
        return [DecodeResult(text="", raw=b"", backend=self.name)]


def test_a_raising_backend_is_contained_and_the_next_one_reads(
        voucher_code: np.ndarray, caplog: pytest.LogCaptureFixture) -> None:
    raising = RaisingBackend()
    chain = DecoderChain([raising, EmptyBackend(), load_backend("zxing-cpp")], steps=["gray"])
    with caplog.at_level(logging.INFO, logger="terminal.devices.decoding.chain"):
        for _ in range(3):
            result = chain.decode(voucher_code)
            assert result is not None and result.text == VOUCHER_LIKE
    assert raising.calls == 3
    # One log line per kind of failure, not one per frame.
    assert sum("raising failed" in r.getMessage() for r in caplog.records) == 1


def test_only_raising_backends_give_none(voucher_code: np.ndarray) -> None:
    assert DecoderChain([RaisingBackend()], steps=["gray", "double"]).decode(voucher_code) is None


def test_missing_backend_is_skipped_with_one_log_line(
        voucher_code: np.ndarray, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        chain = chain_from_settings(DecoderSettings(order=("no-such-decoder", "zxing-cpp")))
        result = chain.decode(voucher_code)
        chain.decode(voucher_code)
    assert result is not None and result.backend == "zxing-cpp"
    assert [b.name for b in chain.backends] == ["zxing-cpp"]
    lines = [r.getMessage() for r in caplog.records if "no-such-decoder" in r.getMessage()]
    assert len(lines) == 1 and "skipped" in lines[0]


def test_unimportable_backend_library_is_unavailable(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    # What a terminal without libzbar sees: importing pyzbar raises ImportError.
    import terminal.devices.decoding.backend as backend_module

    monkeypatch.setitem(backend_module._BACKENDS, "pyzbar",
                        ("terminal.devices.decoding.not_installed", "ZbarBackend"))
    with pytest.raises(BackendUnavailable) as caught:
        load_backend("pyzbar")
    assert isinstance(caught.value, EnvironmentFault)
    with caplog.at_level(logging.WARNING):
        assert [b.name for b in load_backends(["pyzbar", "opencv"])] == ["opencv"]
    assert sum("pyzbar" in r.getMessage() for r in caplog.records) == 1


def test_no_usable_backend_is_an_environment_fault() -> None:
    with pytest.raises(NoBackend):
        chain_from_settings(DecoderSettings(order=("nothing", "nope")))


def test_bad_decoder_configuration_is_a_config_error() -> None:
    # The settings refuse what they can check alone; the chain refuses unknown steps.
    for bad in ({"order": "zxing-cpp"}, {"max_payload_bytes": -1}, {"still_steps": ["magic"]},
                {"camera_fallbacks_per_frame": "x"}, {"camera_steps": ["gray", "sharpen-ish"]}):
        with pytest.raises(ConfigError):
            decoder = parse_settings({"devices": {"decoder": bad}}).devices.decoder
            chain_from_settings(decoder, camera="camera_steps" in bad)


def test_camera_chain_takes_turns_with_fallbacks(voucher_code: np.ndarray) -> None:
    chain = chain_from_settings(DecoderSettings(order=("no-such-decoder", "pyzbar", "opencv"),
                                                camera_fallbacks_per_frame=0), camera=True)
    result = chain.decode(voucher_code)
    assert result is not None and result.backend == "pyzbar"  # the first always runs
    first = RaisingBackend()
    second, third = RaisingBackend(), RaisingBackend()
    turns = DecoderChain([first, second, third], steps=["gray"], fallbacks_per_call=1)
    for _ in range(4):
        turns.decode(voucher_code)
    assert (first.calls, second.calls, third.calls) == (4, 2, 2)


def test_cli_backend_choices_match_the_package() -> None:
    assert set(BACKEND_CHOICES) == {"chain", *BACKEND_NAMES}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", "decode", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)


def test_decode_cli_prints_one_json_line_per_image(tmp_path: Path) -> None:
    good = tmp_path / "voucher.png"
    cv2.imwrite(str(good), padded(render_qr(VOUCHER_LIKE, module_px=4)))
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 200), 255, np.uint8))
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff garbage")
    big = tmp_path / "big.png"
    cv2.imwrite(str(big), padded(render_qr(b"B" * 2900, module_px=2, ec_level="L")))
    sjis = tmp_path / "sjis.png"
    cv2.imwrite(str(sjis), padded(render_qr("テスト".encode("shift_jis"))))

    done = run_cli(str(good), str(blank), str(corrupt), str(big), str(sjis))
    assert done.returncode == 1, done.stderr  # the corrupt image and the oversized code cannot be used
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(p) for p in (good, blank, corrupt, big, sjis)]
    for line in lines:
        assert {"path", "backend", "text", "ms"} <= set(line)
        assert isinstance(line["ms"], float)
    assert lines[0]["text"] == VOUCHER_LIKE and lines[0]["backend"] == "zxing-cpp"
    assert lines[1]["text"] is None and "error" not in lines[1]
    assert lines[2]["text"] is None and lines[2]["error"]
    assert lines[3]["text"] is None and "error" in lines[3]
    assert lines[4]["text"] == "テスト"

    for backend in ("opencv", "pyzbar", "zxing-cpp"):
        done = run_cli("--backend", backend, str(good))
        line = json.loads(done.stdout)
        assert (done.returncode, line["backend"], line["text"]) == (0, backend, VOUCHER_LIKE)


def test_decode_cli_unusable_arguments_exit_non_zero(tmp_path: Path) -> None:
    missing = tmp_path / "missing.png"
    done = run_cli(str(missing))
    assert done.returncode == 1
    line = json.loads(done.stdout)
    assert line["text"] is None and line["error"] == f"The image file {missing} does not exist."
    assert done.stderr == ""  # the sentence is in the image's line; nothing crashed
    wrong_backend = run_cli("--backend", "no-such", "x.png")
    assert wrong_backend.returncode == 2
    assert "error: argument --backend: invalid choice: 'no-such'" in wrong_backend.stderr
    nothing = run_cli()
    assert nothing.returncode == 2
    assert "error: the following arguments are required: IMAGE" in nothing.stderr
    for done in (wrong_backend, nothing):
        assert "Traceback" not in done.stderr and done.stdout == ""


def test_decode_cli_names_a_bad_decoder_configuration(tmp_path: Path) -> None:
    override = tmp_path / "terminal.json"
    override.write_text('{"devices": {"decoder": {"order": "zxing-cpp"}}}', encoding="utf-8")
    done = run_cli("--config", str(override), str(tmp_path / "any.png"))
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: The configuration key devices.decoder.order in {override} must be a "
                                  "non-empty list of names.")
    assert "Traceback" not in done.stderr and done.stdout == ""


def corpus_sample() -> list[tuple[Path, bytes]]:
    picks = [CORPUS / "qrcode-1" / "1.png", CORPUS / "qrcode-2" / "10.png",
             CORPUS / "qrcode-3" / "01.png", CORPUS / "qrcode-5" / "01.png"]
    return [(p, p.with_suffix(".txt").read_bytes()) for p in picks
            if p.is_file() and p.with_suffix(".txt").is_file()]


@pytest.mark.skipif(not corpus_sample(), reason="photo corpus ../shared/data/zxing-qrcode absent")
def test_corpus_smoke() -> None:
    chain = chain_from_settings(DecoderSettings(order=DEFAULT_ORDER, max_payload_bytes=1 << 20))
    for path, expected in corpus_sample():
        result = chain.decode(load_image(path))
        assert result is not None, path
        assert result.raw == expected or (result.text or "").encode("utf-8") == expected, path
