"""The fault proxy's SPEC and its control lines (the faults themselves: test_offline_network.py)."""

from __future__ import annotations

import random
import threading

import pytest

from terminal.commands.sim_proxy import control
from terminal.errors import BadInput
from terminal.sim.proxy import FaultProxy, Faults


def test_the_spec_grammar() -> None:
    faults = Faults.parse("timeout-after=2x@2102, slow=0.5:300ms, 502=0.1, refuse, cut@ec.query")
    assert [(f.kind, f.probability, f.remaining, f.infno) for f in faults.items] == [
        ("timeout-after", 1.0, 2, "2102"), ("slow", 0.5, None, None), ("http-502", 0.1, None, None),
        ("refuse", 1.0, None, None), ("cut", 1.0, None, "ec.query")]
    assert faults.items[1].delay_s == pytest.approx(0.3) and faults.refusing
    assert faults.describe() == "timeout-after=2x@2102,slow=0.5:0.3s,http-502=0.1,refuse=1,cut=1@ec.query"


def test_nx_fires_exactly_n_times_for_its_infno_only() -> None:
    faults = Faults.parse("timeout-after=2x@2102")
    rng = random.Random(1)
    fired = [faults.pick(infno, rng) is not None for infno in ("1101", "2102", "2101", "2102", "2102")]
    assert fired == [False, True, False, True, False]


@pytest.mark.parametrize("spec", ["explode", "slow=2:fast", "cut=1.5", "http-502=often"])
def test_a_bad_spec_is_a_sentence(spec: str) -> None:
    with pytest.raises(BadInput) as caught:
        Faults.parse(spec)
    assert caught.value.cashier_message.endswith(".")


def test_control_lines() -> None:
    proxy = FaultProxy("http://127.0.0.1:9", faults="")
    stop = threading.Event()
    try:
        assert "faults cut=1" in control(proxy, "faults cut", stop)
        assert control(proxy, "faults nonsense", stop).startswith("error: ")
        assert "faults none" in control(proxy, "clear", stop)
        assert control(proxy, "dance", stop).startswith("unknown command")
        assert control(proxy, "   ", stop) == ""
        assert control(proxy, "quit", stop) == "bye" and stop.is_set()
    finally:
        proxy.stop()
