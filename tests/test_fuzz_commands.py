"""Fuzzing the commands' input files: whatever a file holds, a sentence and exit 0, 1 or 3, never a traceback.

The commands run in process (commands.entry.main) so hypothesis can try many files quickly; an
exception escaping main is exactly the traceback a technician would have seen. CI runs a short
mode; FUZZ_EXAMPLES sets how many files each test tries (bench/fuzz_commands.py runs a long one).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_helpers import AMOXICILLIN, PERSONS, psn

from terminal.commands.entry import main
from terminal.sim.processes import ServiceProcess, start_settlement_service

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values a careless or hostile file might hold where a number or a code belongs.
odd_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "-0.00", "1E+1", "NaN", "Infinity", "8.500000", "１２.５", "١٢", "0x10", " 12.00 ",
                     "\ud800", "12.345", "-5", "99999999999.99", "6901070202353", "\x00", "中文"]),
)
odd_number = st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=False),
                       st.decimals(allow_nan=False, allow_infinity=False, places=6).map(str))
# Fresh [] and {} each draw: mutate() may write into a drawn one.
odd_value = st.one_of(st.none(), st.booleans(), odd_text, odd_number, st.builds(list), st.builds(dict))
json_values = st.recursive(odd_value, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)


def run(*args: str) -> tuple[int, str, str]:
    # Streams that encode as the real ones do: stdout strictly as UTF-8 (a lone surrogate in the
    # output would crash the command), stderr with backslash escapes.
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    out.flush()
    err.flush()
    return code, out.buffer.getvalue().decode(), err.buffer.getvalue().decode()  # type: ignore[attr-defined]


def check(code: int, out: str, err: str) -> None:
    assert code in (0, 1, 3), (code, err)
    if code == 0:
        json.loads(out)
    else:
        assert out == "" and err.startswith("error: ") and len(err.splitlines()[0]) > 20, err


def mutate(base: dict[str, Any], data: st.DataObject) -> Any:
    """The base document with some keys replaced, removed or added, at the top or in the items."""
    doc = json.loads(json.dumps(base))
    for _ in range(data.draw(st.integers(1, 4))):
        target = doc
        if "items" in doc and isinstance(doc["items"], list) and doc["items"] and data.draw(st.booleans()):
            target = doc["items"][0]
        if not isinstance(target, dict):
            break
        key = data.draw(st.sampled_from([*target.keys(), "extra"]))
        if data.draw(st.integers(0, 4)) == 0:
            target.pop(key, None)
        else:
            target[key] = data.draw(json_values)
    return doc


SPLIT_INPUT: dict[str, Any] = {
    "med_type": "41", "acct_used_flag": "1", "insutype": "310", "psn_type": "11", "balc": "1500.00",
    "holder_balc": None, "dedc_used": "0.00", "fund_used": "0.00",
    "items": [{"med_list_codg": "X1", "pric": "12.3400", "cnt": "2", "chrgitm_lv": "02", "selfpay_prop": None,
               "pric_uplmt_amt": None}],
}


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-commands-") as tmp:
        yield Path(tmp)


@FUZZ
@given(data=st.data())
def test_split_input_files(folder: Path, data: st.DataObject) -> None:
    path = folder / "input.json"
    path.write_text(json.dumps(mutate(SPLIT_INPUT, data)), encoding="utf-8")
    check(*run("split", "--input", str(path)))


@FUZZ
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_split_input_bytes(folder: Path, raw: bytes) -> None:
    path = folder / "bytes.json"
    path.write_bytes(raw)
    check(*run("split", "--input", str(path)))


@FUZZ
@given(data=st.data())
def test_policy_files(folder: Path, data: st.DataObject) -> None:
    policy = json.loads(Path(__file__).resolve().parent.parent.joinpath("config", "policy.json").read_text())
    doc = json.loads(json.dumps(policy))
    rule = doc["rules"][data.draw(st.integers(0, len(doc["rules"]) - 1))]
    rule[data.draw(st.sampled_from(sorted(rule)))] = data.draw(json_values)
    if data.draw(st.booleans()):
        doc[data.draw(st.sampled_from(sorted(doc)))] = data.draw(json_values)
    (folder / "policy.json").write_text(json.dumps(doc), encoding="utf-8")
    (folder / "ok-input.json").write_text(json.dumps(SPLIT_INPUT), encoding="utf-8")
    check(*run("split", "--input", str(folder / "ok-input.json"), "--policy", str(folder / "policy.json")))


@pytest.fixture(scope="module")
def service(folder: Path) -> Iterator[ServiceProcess]:
    process = start_settlement_service(folder / "service.db", plain_catalog=True)
    yield process
    process.stop()


BASKET: dict[str, Any] = {"items": [{"med_list_codg": AMOXICILLIN, "cnt": "1", "pric": "8.50"}]}


@settings(max_examples=max(10, EXAMPLES // 3), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_settle_basket_files(folder: Path, service: ServiceProcess, data: st.DataObject) -> None:
    path = folder / "basket.json"
    path.write_text(json.dumps(mutate(BASKET, data)), encoding="utf-8")
    person = PERSONS[psn(13)]
    code, out, err = run("settle", "--service", service.url, "--basket", str(path),
                         "--card-no", person["card_no"], "--card-sn", person["card_sn"])
    check(code, out, err)
