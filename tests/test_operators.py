"""Operators, PINs and roles: the shipped file, the lockout that survives a restart, bad files, set-pin."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminal.commands.entry import main
from terminal.config import config_path
from terminal.errors import ConfigError, EnvironmentFault
from terminal.lockouts import FILE_NAME, Lockout, LockoutFile
from terminal.operators import (
    NoPinSet,
    NotAllowed,
    OperatorBook,
    OperatorLocked,
    UnknownOperator,
    WrongPin,
    read_operators,
)
from terminal.pins import SCRYPT_N, PinHash, WeakPin
from terminal.roles import ACTION_WORDS, PERMISSIONS, Action, Role, can, roles_for
from terminal.settings import Settings

DEMO_PINS = {"0001": ("王芳", Role.CASHIER, "1111"), "0002": ("李明", Role.SUPERVISOR, "2222"),
             "0003": ("赵强", Role.TECHNICIAN, "3333")}


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def cheap(pin: str) -> dict[str, Any]:
    """A PIN entry with a tiny n: tests check many PINs, and the file says which cost it used."""
    return PinHash.make(pin, n=16, r=1, p=1).to_json()


def write_operators(path: Path, entries: list[dict[str, Any]], **extra: Any) -> Path:
    path.write_text(json.dumps({"operators": entries, **extra}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def book_files(tmp_path: Path) -> tuple[Path, Path]:
    ops = write_operators(tmp_path / "operators.json", [
        {"opter": "0001", "name": "王芳", "role": "cashier", "pin": cheap("1111"), "note": "kept as written"},
        {"opter": "0002", "name": "李明", "role": "supervisor", "pin": cheap("2222")},
        {"opter": "0004", "name": "新人", "role": "cashier"},
    ])
    return ops, tmp_path / "state" / FILE_NAME


def make_book(files: tuple[Path, Path], clock: Clock, **options: Any) -> OperatorBook:
    return OperatorBook(files[0], LockoutFile(files[1]), max_wrong_pins=options.pop("max_wrong_pins", 5),
                        lock_s=options.pop("lock_s", 300.0), clock=clock)


# ------------------------------------------------------------------------- the shipped operators


def test_the_shipped_demo_operators_sign_in_with_their_documented_pins(tmp_path: Path) -> None:
    book = OperatorBook(config_path("operators.json"), LockoutFile(tmp_path / FILE_NAME))
    for opter, (name, role, pin) in DEMO_PINS.items():
        op = book.verify(opter, pin)
        assert (op.opter, op.name, op.role) == (opter, name, role)
    entries = json.loads(config_path("operators.json").read_text(encoding="utf-8"))["operators"]
    assert all(e["pin"]["kdf"] == "scrypt" and e["pin"]["n"] == SCRYPT_N for e in entries)
    assert len({e["pin"]["salt"] for e in entries}) == len(entries)


def test_the_settings_name_the_shipped_file_and_the_state_folder(terminal_state_dir: Path) -> None:
    book = OperatorBook.from_settings(Settings())
    assert book.path == config_path("operators.json")
    assert book.lockouts.path == terminal_state_dir / FILE_NAME
    assert (book.max_wrong_pins, book.lock_s) == (5, 300.0)
    assert Settings().operators.idle_lock_minutes == 5.0


# ----------------------------------------------------------------------------- wrong PINs, lock


def test_wrong_pins_count_down_then_lock_and_the_lock_survives_a_restart(book_files: tuple[Path, Path]) -> None:
    clock = Clock()
    book = make_book(book_files, clock)
    left = []
    for _ in range(4):
        with pytest.raises(WrongPin) as wrong:
            book.verify("0001", "9999")
        left.append(wrong.value.tries_left)
    assert left == [4, 3, 2, 1]
    assert "1 try left before number 0001 is locked for 5 minutes" in wrong.value.cashier_message
    with pytest.raises(OperatorLocked) as locked:
        book.verify("0001", "9999")
    assert "try again in 5 minutes" in locked.value.cashier_message
    clock.now += 120
    restarted = make_book(book_files, clock)
    with pytest.raises(OperatorLocked) as still:
        restarted.verify("0001", "1111")  # the right PIN does not open a locked number
    assert "try again in 3 minutes" in still.value.cashier_message
    assert restarted.verify("0002", "2222").name == "李明"  # other numbers are not affected
    clock.now += 181
    assert restarted.verify("0001", "1111").role is Role.CASHIER
    assert restarted.lockouts.read() == {}


def test_a_good_pin_clears_the_count(book_files: tuple[Path, Path]) -> None:
    book = make_book(book_files, Clock())
    for _ in range(3):
        with pytest.raises(WrongPin):
            book.verify("0001", "0000")
    book.verify("0001", "1111")
    with pytest.raises(WrongPin) as wrong:
        book.verify("0001", "0000")
    assert wrong.value.tries_left == 4


def test_the_counts_file_is_owner_only_and_left_whole(book_files: tuple[Path, Path]) -> None:
    book = make_book(book_files, Clock())
    with pytest.raises(WrongPin):
        book.verify("0002", "0000")
    path = book_files[1]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"0002": {"failures": 1, "locked_at": None}}
    assert sorted(p.name for p in path.parent.iterdir()) == [FILE_NAME, FILE_NAME + ".lock"]


def test_a_damaged_counts_file_counts_from_zero(book_files: tuple[Path, Path],
                                                caplog: pytest.LogCaptureFixture) -> None:
    book_files[1].parent.mkdir()
    book_files[1].write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING), pytest.raises(WrongPin) as wrong:
        make_book(book_files, Clock()).verify("0001", "0000")
    assert wrong.value.tries_left == 4
    assert "damaged" in caplog.text


def test_a_clock_set_back_does_not_stretch_a_lock(book_files: tuple[Path, Path]) -> None:
    clock = Clock()
    LockoutFile(book_files[1]).update("0001", lambda _old: Lockout(0, clock.now + 86_400))  # locked "tomorrow"
    book = make_book(book_files, clock)
    with pytest.raises(OperatorLocked) as locked:
        book.verify("0001", "1111")
    assert "try again in 5 minutes" in locked.value.cashier_message
    clock.now += 301
    assert book.verify("0001", "1111").opter == "0001"


def test_checks_at_once_never_lose_a_wrong_pin(book_files: tuple[Path, Path]) -> None:
    book = make_book(book_files, Clock(), max_wrong_pins=8)
    errors: list[Exception] = []

    def guess() -> None:
        try:
            book.verify("0001", "0000")
        except (WrongPin, OperatorLocked) as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(e.tries_left for e in errors if isinstance(e, WrongPin)) == list(range(1, 8))
    assert sum(isinstance(e, OperatorLocked) for e in errors) == 1


def test_unknown_numbers_no_pin_and_unlock(book_files: tuple[Path, Path]) -> None:
    book = make_book(book_files, Clock(), max_wrong_pins=1)
    with pytest.raises(UnknownOperator) as unknown:
        book.verify("0099", "1111")
    assert unknown.value.cashier_message == "There is no operator number 0099; check the number and try again."
    with pytest.raises(NoPinSet) as no_pin:
        book.verify("0004", "1111")
    assert no_pin.value.next_steps == ("python -m terminal operators set-pin --opter 0004",)
    with pytest.raises(OperatorLocked):
        book.verify("0002", "0000")
    book.unlock("0002")
    assert book.verify("0002", "2222").role is Role.SUPERVISOR


def test_a_state_folder_that_cannot_be_written_is_the_environment(book_files: tuple[Path, Path]) -> None:
    book_files[1].parent.write_text("a file where the folder should be")
    with pytest.raises(ConfigError, match="state folder"):
        make_book(book_files, Clock()).verify("0001", "0000")
    if os.geteuid() != 0:  # root writes anywhere
        folder = book_files[1].parent.with_name("readonly")
        folder.mkdir(mode=0o500)
        with pytest.raises(EnvironmentFault):
            OperatorBook(book_files[0], LockoutFile(folder / FILE_NAME)).verify("0001", "0000")


# ----------------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(("content", "words"), [
    (None, "does not exist"),
    ("[1, 2", "not valid JSON"),
    ('{"people": []}', 'an "operators" list'),
    ({"opter": "0002", "name": "李明", "role": "supervisor",
      "pin": {"kdf": "scrypt", "n": 16, "r": 1, "p": 1, "hash": "00" * 32}}, "operator 0002: pin.salt is required"),
    ({"opter": "0002", "name": "李明", "role": "supervisor", "pin": "2222"}, "operator 0002: the PIN is written in "
                                                                             "clear text"),
    ({"opter": "0002", "name": "李明", "role": "boss"}, "operator 0002: role must be one of"),
    ({"opter": "0002", "name": "李明", "role": "cashier", "pin": {**cheap("1"), "n": 1000}},
     "operator 0002: pin.n must be a power of 2"),
    ({"opter": "0002", "name": "李明", "role": "cashier", "pin": {**cheap("1"), "n": 2**20, "r": 32}},
     "operator 0002: pin: n, r and p ask for more than 256 MiB"),
    ({"opter": "0002", "name": "李明", "role": "cashier", "pin": {**cheap("1"), "salt": "zz" * 16}},
     "operator 0002: pin.salt is malformed"),
    ({"name": "无号", "role": "cashier"}, "entry 2: opter is required"),
])
def test_a_bad_operators_file_is_a_config_error_naming_file_and_operator(tmp_path: Path, content: Any,
                                                                          words: str) -> None:
    path = tmp_path / "operators.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, dict):
        write_operators(path, [{"opter": "0001", "name": "王芳", "role": "cashier", "pin": cheap("1111")}, content])
    with pytest.raises(ConfigError) as bad:
        read_operators(path)
    assert str(path) in bad.value.cashier_message and words in bad.value.cashier_message


def test_a_number_listed_twice_is_refused(tmp_path: Path) -> None:
    entry = {"opter": "0001", "name": "王芳", "role": "cashier", "pin": cheap("1111")}
    with pytest.raises(ConfigError, match="lists operator 0001 twice"):
        read_operators(write_operators(tmp_path / "operators.json", [entry, entry]))


# ------------------------------------------------------------------------------------- set-pin


def test_set_pin_keeps_every_other_entry_and_the_file_mode(book_files: tuple[Path, Path]) -> None:
    path = book_files[0]
    path.chmod(0o640)
    before = json.loads(path.read_text(encoding="utf-8"))
    book = make_book(book_files, Clock())
    with pytest.raises(WrongPin):
        book.verify("0001", "0000")
    op = book.set_pin("0004", "4321")
    assert (op.opter, op.name, op.role) == ("0004", "新人", Role.CASHIER)
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["operators"][:2] == before["operators"][:2]  # untouched, the unknown "note" key too
    assert after["operators"][2]["pin"]["n"] == SCRYPT_N  # new PINs take today's cost
    assert "4321" not in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert book.verify("0004", "4321").name == "新人"
    book.set_pin("0001", "5555")
    assert book.lockouts.read() == {}  # a new PIN clears the count
    assert book.verify("0001", "5555").opter == "0001"
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_set_pin_adds_a_number_only_with_name_and_role(book_files: tuple[Path, Path]) -> None:
    book = make_book(book_files, Clock())
    with pytest.raises(UnknownOperator):
        book.set_pin("0005", "5555")
    op = book.set_pin("0005", "5555", name="孙丽", role="supervisor")
    assert (op.name, op.role) == ("孙丽", Role.SUPERVISOR)
    assert [o.opter for o in book.operators()] == ["0001", "0002", "0004", "0005"]


@pytest.mark.parametrize("pin", ["123", "12ab", "1234567890123", ""])
def test_a_weak_pin_changes_nothing(book_files: tuple[Path, Path], pin: str) -> None:
    before = book_files[0].read_bytes()
    with pytest.raises(WeakPin):
        make_book(book_files, Clock()).set_pin("0001", pin)
    assert book_files[0].read_bytes() == before


def test_two_rewrites_at_once_keep_both(book_files: tuple[Path, Path]) -> None:
    book = make_book(book_files, Clock())
    threads = [threading.Thread(target=book.set_pin, args=(opter, pin))
               for opter, pin in (("0001", "7777"), ("0002", "8888"), ("0004", "9999"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pins = (("0001", "7777"), ("0002", "8888"), ("0004", "9999"))
    assert [book.verify(opter, pin).opter for opter, pin in pins] == ["0001", "0002", "0004"]


# --------------------------------------------------------------------------------------- roles


def test_roles_are_a_table_the_ui_asks() -> None:
    assert can("cashier", "sell") and not can(Role.CASHIER, Action.REVERSE) and not can("cashier", "unmask")
    assert can("supervisor", "reverse") and can("supervisor", "unmask") and can("supervisor", "day-end")
    assert can("technician", "devices") and not can("technician", "sell") and not can("technician", "unmask")
    assert not can("cashier", "devices") and not can("supervisor", "devices")
    assert all(roles_for(action) for action in Action)
    assert set(ACTION_WORDS) == set(Action) and set(PERMISSIONS) == set(Role)
    with pytest.raises(ValueError):
        can("cashier", "fly")


def test_a_forbidden_action_names_who_may(book_files: tuple[Path, Path]) -> None:
    cashier = make_book(book_files, Clock()).verify("0001", "1111")
    cashier.require("sell")
    with pytest.raises(NotAllowed) as refused:
        cashier.require(Action.REVERSE)
    assert refused.value.cashier_message == "王芳 (cashier) may not reverse a settlement; ask a supervisor."


# ------------------------------------------------------------------------------------- command


def run_operators(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str,
                  stdin: str = "") -> tuple[int, Any, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["operators", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_the_command_lists_without_hashes_and_sets_a_pin_from_stdin(
        book_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    file = str(book_files[0])
    code, listed, _ = run_operators(monkeypatch, capsys, "list", "--file", file)
    assert code == 0 and [row["opter"] for row in listed] == ["0001", "0002", "0004"]
    assert listed[2] == {"opter": "0004", "name": "新人", "role": "cashier", "pin_set": False, "wrong_pins": 0,
                         "locked_until": None}
    assert "hash" not in json.dumps(listed) and "salt" not in json.dumps(listed)
    code, done, _ = run_operators(monkeypatch, capsys, "set-pin", "--opter", "0004", "--pin-stdin", "--file", file,
                                  stdin="2468\n")
    assert code == 0 and done["pin_set"] is True
    assert make_book(book_files, Clock()).verify("0004", "2468").opter == "0004"
    code, _, err = run_operators(monkeypatch, capsys, "set-pin", "--opter", "0077", "--pin-stdin", "--file", file,
                                 stdin="2468\n")
    assert code == 1 and "There is no operator number 0077" in err


def test_the_command_asks_twice_without_echo(book_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    typed = iter(["1357", "1358"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    before = book_files[0].read_bytes()
    code, _, err = run_operators(monkeypatch, capsys, "set-pin", "--opter", "0001", "--file", str(book_files[0]))
    assert code == 1 and "The two PINs differ; nothing was changed" in err
    assert book_files[0].read_bytes() == before
    typed = iter(["1357", "1357"])
    code, _, _ = run_operators(monkeypatch, capsys, "set-pin", "--opter", "0001", "--file", str(book_files[0]))
    assert code == 0 and make_book(book_files, Clock()).verify("0001", "1357").opter == "0001"


odd = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=False),
                st.text(max_size=10), st.builds(list), st.builds(dict),  # fresh each draw: the test mutates them
                st.sampled_from(["0001", "scrypt", "00" * 16]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_the_operators_file_holds_list_says_a_sentence(tmp_path: Path, data: st.DataObject) -> None:
    entry: dict[str, Any] = {"opter": "0001", "name": "王芳", "role": "cashier", "pin": cheap("1111")}
    for _ in range(data.draw(st.integers(1, 3))):
        target = entry["pin"] if isinstance(entry.get("pin"), dict) and data.draw(st.booleans()) else entry
        key = data.draw(st.sampled_from([*target, "extra"]))
        target[key] = data.draw(odd)
    path = write_operators(tmp_path / "fuzzed.json", [entry])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["operators", "list", "--file", str(path)])
    assert code in (0, 1), err.getvalue()
    if code == 1:
        assert err.getvalue().startswith(f"error: The operators file {path}") and out.getvalue() == ""
    else:
        assert "hash" not in out.getvalue() and json.loads(out.getvalue())[0]["opter"] == entry["opter"]
