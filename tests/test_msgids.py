"""msgids: unique per institution by construction (a block per till), never handed out twice by a till."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.errors import ConfigError
from terminal.protocol import (
    MSGID_BLOCK_SIZE,
    FileSequence,
    MemorySequence,
    MsgIdFactory,
    msgid_block,
    msgid_is_wellformed,
    next_slot,
)

CODE = "P12010100001"
NOW = datetime(2026, 11, 30, 14, 5, 0)


def test_a_tills_msgids_stay_in_its_block_and_move_to_the_next_second_rather_than_wrap() -> None:
    factory = MsgIdFactory(CODE, 7, clock=lambda: NOW)
    msgids = [factory() for _ in range(250)]
    assert len(set(msgids)) == 250 and all(msgid_is_wellformed(m, CODE) for m in msgids)
    assert {msgid_block(m) for m in msgids} == {7}
    assert [m[26:] for m in msgids[:2]] == ["0700", "0701"] and msgids[99][26:] == "0799"
    assert msgids[100][12:26] == (NOW + timedelta(seconds=1)).strftime("%Y%m%d%H%M%S")
    assert msgids[100][26:] == "0700"


@given(blocks=st.lists(st.integers(0, 99), min_size=2, max_size=6, unique=True), count=st.integers(1, 300))
def test_tills_with_their_own_blocks_never_make_the_same_msgid(blocks: list[int], count: int) -> None:
    seen: set[str] = set()
    for block in blocks:
        factory = MsgIdFactory(CODE, block, clock=lambda: NOW, sequence=MemorySequence())
        made = {factory() for _ in range(count)}
        assert not made & seen
        seen |= made


def test_a_block_outside_0_to_99_is_a_bug() -> None:
    with pytest.raises(ValueError):
        MsgIdFactory(CODE, MSGID_BLOCK_SIZE)


def _take(path: str, count: int, out: multiprocessing.Queue[list[tuple[str, int]]]) -> None:
    sequence = FileSequence(Path(path))
    out.put([sequence.take(NOW.strftime("%Y%m%d%H%M%S")) for _ in range(count)])


def test_processes_of_one_till_never_share_a_slot(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[list[tuple[str, int]]] = context.Queue()
    workers = [context.Process(target=_take, args=(str(tmp_path / "msgid.seq"), 120, out)) for _ in range(3)]
    for w in workers:
        w.start()
    slots = out.get(timeout=60) + out.get(timeout=60) + out.get(timeout=60)
    for w in workers:
        w.join(30)
    assert len(slots) == 360 and len(set(slots)) == 360
    assert all(0 <= counter < MSGID_BLOCK_SIZE for _stamp, counter in slots)


def test_the_record_is_fixed_length_and_an_unreadable_one_skips_well_ahead(tmp_path: Path) -> None:
    path = tmp_path / "msgid.seq"
    sequence = FileSequence(path)
    stamp = NOW.strftime("%Y%m%d%H%M%S")
    assert sequence.take(stamp) == (stamp, 0)
    assert path.read_text() == f"{stamp} 0000"
    path.write_bytes(b"\x00\xff garbage")
    later_stamp, counter = sequence.take(stamp)
    assert later_stamp > (datetime.now() + timedelta(seconds=60)).strftime("%Y%m%d%H%M%S") and counter == 0


def test_a_state_folder_that_is_a_file_is_a_config_error(tmp_path: Path) -> None:
    blocked = tmp_path / "state"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(ConfigError, match="state folder"):
        FileSequence(blocked / "msgid.seq").take(NOW.strftime("%Y%m%d%H%M%S"))


def test_next_slot_within_a_second_and_when_the_clock_goes_back() -> None:
    assert next_slot("", -1, "20261130140500") == ("20261130140500", 0)
    assert next_slot("20261130140500", 5, "20261130140500") == ("20261130140500", 6)
    assert next_slot("20261130140500", 5, "20261130140459") == ("20261130140500", 6)  # clock went back
    assert next_slot("20261130140500", 99, "20261130140500") == ("20261130140501", 0)
