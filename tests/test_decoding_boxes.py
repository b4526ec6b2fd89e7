"""The decoder chain on drug boxes: the EAN-13 and the traceability code as Code 128 and Data Matrix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from terminal.devices.decoding import chain_from_settings, load_backend
from terminal.devices.decoding.synth import (
    box_frame,
    counter_background,
    ean13,
    render_box_label,
    render_code,
    render_qr,
)
from terminal.settings import DecoderSettings

REPO = Path(__file__).resolve().parent.parent
EAN = ean13("690123456789")
TRAC_CODE = "81234560000000000017"


def frame(**label: bool) -> np.ndarray:
    rng = np.random.default_rng(8)
    return box_frame(render_box_label(EAN, TRAC_CODE, **label), rng, background=counter_background(rng))


@pytest.mark.parametrize("camera", [True, False])
@pytest.mark.parametrize(("label", "trac_format"), [
    ({"code128": True, "data_matrix": False}, "code128"),
    ({"code128": False, "data_matrix": True}, "datamatrix"),
])
def test_chain_reads_the_drug_barcode_then_the_traceability_code(
        camera: bool, label: dict[str, bool], trac_format: str) -> None:
    results = chain_from_settings(DecoderSettings(), camera=camera).decode_all(frame(**label))
    assert [(r.format, r.text) for r in results] == [("ean13", EAN), (trac_format, TRAC_CODE)]
    assert all(len(r.points) == 4 for r in results)


def test_one_code_printed_twice_is_returned_once() -> None:
    results = chain_from_settings(DecoderSettings()).decode_all(frame(code128=True, data_matrix=True))
    assert [r.text for r in results].count(TRAC_CODE) == 1


def test_the_formats_setting_decides_what_is_read() -> None:
    box = frame(code128=True, data_matrix=False)
    assert chain_from_settings(DecoderSettings(formats=("qr",))).decode_all(box) == []
    only_trac = chain_from_settings(DecoderSettings(formats=("code128",))).decode_all(box)
    assert [(r.format, r.text) for r in only_trac] == [("code128", TRAC_CODE)]


def test_a_qr_code_comes_first_and_alone() -> None:
    chain = chain_from_settings(DecoderSettings())
    qr = chain.decode_all(render_qr("NHSAEC1.qr-first", module_px=4))
    assert [(r.format, r.text) for r in qr] == [("qr", "NHSAEC1.qr-first")]


@pytest.mark.parametrize(("backend", "formats"), [
    ("zxing-cpp", {"qr", "ean13", "code128", "datamatrix"}),
    ("pyzbar", {"qr", "ean13", "code128"}),  # ZBar has no Data Matrix reader
    ("opencv", {"qr"}),
])
def test_each_backend_reads_the_formats_it_claims(backend: str, formats: set[str]) -> None:
    loaded = load_backend(backend)
    assert loaded.formats == formats
    for code_format, content in (("ean13", EAN), ("code128", TRAC_CODE), ("datamatrix", TRAC_CODE)):
        if code_format in formats:
            read = loaded.decode(render_code(content, code_format, module_px=3))
            assert [(r.format, r.text) for r in read] == [(code_format, content)], backend


def test_render_code_refuses_what_the_format_cannot_hold() -> None:
    with pytest.raises(ValueError):
        render_code("6901234567890", "ean13")  # wrong check digit
    with pytest.raises(ValueError):
        ean13("69012345")


def test_decode_cli_names_the_format_and_the_other_codes_of_a_box(tmp_path: Path) -> None:
    picture = tmp_path / "box.png"
    cv2.imwrite(str(picture), frame(code128=True, data_matrix=False))
    done = subprocess.run([sys.executable, "-m", "terminal", "decode", str(picture)], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    assert (line["format"], line["text"]) == ("ean13", EAN)
    assert [(c["format"], c["text"]) for c in line["other_codes"]] == [("code128", TRAC_CODE)]
