"""`python -m terminal sim box`: fresh traceability codes for boxes of a catalog entry, one per line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from terminal.catalog import load_catalog
from terminal.sim.boxes import fresh_codes, product_prefix
from terminal.sim.processes import REPO, plain_catalog_file
from terminal.traceability import is_trac_code

AMOXICILLIN = "XJ01CAA040E001010101000"
IBUPROFEN = "XM01AEB051E002010101037"
CONSULT = "001102000010000"  # a fee item: no boxes


def sim_box(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", "sim", "box", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=False)


def test_prints_n_fresh_valid_codes_one_per_line() -> None:
    done = sim_box("--med-list-codg", AMOXICILLIN, "--count", "5")
    assert done.returncode == 0 and done.stderr == ""
    codes = done.stdout.splitlines()
    assert done.stdout.endswith("\n") and len(codes) == len(set(codes)) == 5
    assert all(is_trac_code(c) and c.startswith(product_prefix(AMOXICILLIN)) for c in codes)
    # One code by default; a second run prints none printed before.
    again = sim_box("--med-list-codg", AMOXICILLIN).stdout.splitlines()
    assert len(again) == 1 and not set(again) & set(codes)


def test_each_drug_has_its_own_product_prefix_and_the_serials_are_random() -> None:
    assert product_prefix(AMOXICILLIN) != product_prefix(IBUPROFEN)
    assert len(product_prefix(AMOXICILLIN)) == 7 and product_prefix(AMOXICILLIN)[0] == "8"
    codes = fresh_codes(load_catalog()[IBUPROFEN], 2000)
    assert len(set(codes)) == 2000
    # 13 random serial digits: each position takes every digit about equally often.
    for position in range(7, 20):
        counts = [sum(c[position] == d for c in codes) for d in "0123456789"]
        assert min(counts) > 120, (position, counts)


@pytest.mark.parametrize(("args", "words"), [
    (["--med-list-codg", "XNOPE"], ["XNOPE is not in the catalog"]),
    (["--med-list-codg", CONSULT], [CONSULT, "普通门诊诊查费", "no traceability codes"]),
    (["--med-list-codg", AMOXICILLIN, "--count", "0"], ["--count must be 1 to"]),
    (["--med-list-codg", AMOXICILLIN, "--catalog", "/nonexistent/catalog.json"], ["does not exist"]),
])
def test_refusals_are_one_sentence_and_exit_1(args: list[str], words: list[str]) -> None:
    done = sim_box(*args)
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith("error: ") and all(w in first for w in words), done.stderr


def test_the_catalog_option_is_read_like_the_services(tmp_path: Path) -> None:
    # The plain catalog marks nothing trac_required: no boxes with codes to print.
    done = sim_box("--med-list-codg", AMOXICILLIN, "--catalog", str(plain_catalog_file(tmp_path)))
    assert done.returncode == 1 and "no traceability codes" in done.stderr


def test_help_shows_the_pipeline_with_the_scanner_simulator() -> None:
    text = sim_box("--help").stdout
    assert "sim box --med-list-codg" in text and "> codes.txt" in text and "sim scanner --link" in text
