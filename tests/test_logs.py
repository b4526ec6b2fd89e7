"""Structured logs: JSON lines, one masking function on every call site, rotation, levels switched live."""

from __future__ import annotations

import ast
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from log_scan import PrivacyScan

from terminal import logs
from terminal.commands.entry import build_parser
from terminal.errors import BadInput, ConfigError
from terminal.settings import parse_settings
from terminal.sim.processes import free_loopback_port

REPO = Path(__file__).resolve().parent.parent
LOG_CALL = {"debug", "info", "warning", "error", "exception", "critical"}
# Values a call site could be handed: a remembered person, an ID number nobody told the logger of, a card.
NAME, CERTNO, CARD_NO = "欧阳明珠", "11010519491231002X", "T99887766"


def call_sites() -> Iterator[tuple[str, int, ast.Call]]:
    for path in sorted((REPO / "terminal").rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in LOG_CALL
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "log"):
                yield module, node.lineno, node


def test_every_module_logs_through_its_own_named_logger() -> None:
    """`log` is logging.getLogger(__name__) everywhere, so every line reaches the root's masking handler."""
    for path in sorted((REPO / "terminal").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for found in re.findall(r"^log = (.*)$", text, flags=re.M):
            assert found == "logging.getLogger(__name__)", path
        assert "logging.getLogger(" not in text.replace("logging.getLogger(__name__)", "").replace(
            "logging.getLogger()", "").replace("logging.getLogger(name)", "").replace(
            "logging.getLogger(self.path", "") or path.name == "logs.py", path


def test_every_log_call_site_masks_what_it_is_given() -> None:
    """Each call site's own format, filled with a person's name, ID and card number, as the product logs it."""
    logs.remember(names=[NAME], ids=[CARD_NO])
    formatter = logs.JsonFormatter()
    scan = PrivacyScan(secrets=[NAME, CERTNO, CARD_NO])
    sites = list(call_sites())
    assert len(sites) > 50  # the walk found the code base's log calls
    for module, line, call in sites:
        fmt = call.args[0] if call.args else None
        assert isinstance(fmt, ast.Constant) and isinstance(fmt.value, str), f"{module}:{line}: not a literal format"
        count = len(re.findall(r"%(?!%)[-#0 +]*\d*(?:\.\d+)?[sdrfxX]", fmt.value))
        values = [f"{NAME} {CERTNO} {CARD_NO}", {"psn_name": NAME, "certno": CERTNO}, CERTNO][:1] * count
        record = logging.LogRecord(module, logging.INFO, module, line, re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[dfxX]",
                                                                             "%s", fmt.value), tuple(values), None)
        text = formatter.format(record)
        assert json.loads(text)["logger"] == module
        scan.check(text, f"{module}:{line}")
    assert scan.leaks == []
    assert scan.lines == len(sites)


def test_a_line_is_one_json_object_with_masked_fields_and_traceback() -> None:
    logs.remember(names=["司马相如"])
    record = logging.LogRecord("terminal.x", logging.ERROR, "x.py", 1, "refused for %s", ("司马相如",), None)
    record.person = {"psn_name": "司马相如", "certno": CERTNO}
    try:
        raise ValueError(f"certno {CERTNO} of 司马相如")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = json.loads(logs.JsonFormatter().format(record))
    assert {"ts", "level", "logger", "msg", "thread", "pid", "exc", "person"} <= set(line)
    assert line["level"] == "error" and line["msg"] == "refused for 司**如"
    assert line["person"] == {"psn_name": "司**如", "certno": "110105********002X"}
    assert "Traceback" in line["exc"] and CERTNO not in line["exc"] and "司马相如" not in line["exc"]


def test_the_scan_finds_what_is_not_masked() -> None:
    """The session's scan is not vacuous: a raw name, a known ID and any valid resident ID are found."""
    scan = PrivacyScan(secrets=["张伟", "T10234560"])
    texts = ("paid by 张伟", "card T10234560", f"id {CERTNO}", f"id {logs.mask_log(CERTNO)}", "0.11010519491231002X")
    for text in texts:
        scan.check(text, "test")
    assert len(scan.leaks) == 3 and scan.lines == 5


def test_the_log_file_rotates_by_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TERMINAL_LOG_FILE")  # the session's, for the processes tests start
    settings = parse_settings({"logging": {"file": str(tmp_path / "counter.jsonl"), "max_bytes": 65536,
                                           "backups": 2, "levels_file": str(tmp_path / "levels.json")}})
    logs.configure(settings, level="info")
    try:
        for i in range(2000):
            logging.getLogger("terminal.test").info("line %d of a long day at the counter, padded %s", i, "x" * 40)
    finally:
        logs.uninstall()
    files = sorted(p.name for p in tmp_path.glob("counter.jsonl*"))
    assert files == ["counter.jsonl", "counter.jsonl.1", "counter.jsonl.2"]
    for name in files:
        assert (tmp_path / name).stat().st_size <= 65536
        assert all(json.loads(line)["ts"] for line in (tmp_path / name).read_text().splitlines())
    assert '"line 1999 of a long day' in (tmp_path / "counter.jsonl").read_text()


def test_levels_from_the_configuration_the_command_line_and_the_switch(tmp_path: Path) -> None:
    levels = tmp_path / "levels.json"
    settings = parse_settings({"logging": {"level": "warning", "modules": ["terminal.devices=debug"],
                                           "levels_file": str(levels)}})
    logs.write_levels(levels, {"terminal.offline": "error"})
    logs.configure(settings, modules=["terminal.sim=info"])
    try:
        assert logging.getLogger().level == logging.WARNING
        assert logging.getLogger("terminal.devices.camera").getEffectiveLevel() == logging.DEBUG
        assert logging.getLogger("terminal.sim.proxy").getEffectiveLevel() == logging.INFO
        assert logging.getLogger("terminal.offline.forwarder").getEffectiveLevel() == logging.ERROR
    finally:
        logs.uninstall()
    with pytest.raises(BadInput, match="MODULE=LEVEL"):
        logs.parse_switch("terminal.devices")
    with pytest.raises(BadInput, match="not one of"):
        logs.parse_switch("terminal.devices=loud")
    # The configuration's check refuses every switch a process would refuse at start.
    for refused in ("terminal.devices", "terminal devices=debug", "=debug", "terminal.devices=loud"):
        with pytest.raises(BadInput):
            logs.parse_switch(refused)
        with pytest.raises(ConfigError, match="MODULE=LEVEL"):
            parse_settings({"logging": {"modules": [refused]}})


def test_the_options_go_before_or_after_the_command() -> None:
    parser = build_parser()
    before = parser.parse_args(["--log-level", "DEBUG", "config", "check"])
    after = parser.parse_args(["config", "check", "--log-level", "error", "--log-module", "terminal.sim=debug"])
    neither = parser.parse_args(["config", "check"])
    assert (before.log_level, after.log_level, neither.log_level) == ("debug", "error", None)
    assert after.log_module == ["terminal.sim=debug"] and neither.log_module == []


def run_terminal(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def lines_of(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def wait_for_line(path: Path, says: str) -> None:
    deadline = time.monotonic() + 30
    while not any(says in str(line["msg"]) for line in lines_of(path)):
        assert time.monotonic() < deadline, f"no log line saying {says!r} in {lines_of(path)}"
        time.sleep(0.1)


def test_a_module_switched_to_debug_in_a_running_process_without_restarting_it(tmp_path: Path) -> None:
    """`log-level` writes the switch; a running simulator picks it up and logs accordingly, and drops it again."""
    log_file = tmp_path / "proxy.jsonl"
    env = {**os.environ, "TERMINAL_STATE_DIR": str(tmp_path / "state"), "TERMINAL_LOG_FILE": str(log_file)}
    port = free_loopback_port()
    proxy = subprocess.Popen([sys.executable, "-m", "terminal", "--log-level", "warning", "sim", "proxy",
                              "--listen", str(port), "--target", f"http://127.0.0.1:{free_loopback_port()}"],
                             cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30

        def post() -> None:
            while True:
                try:
                    requests.post(f"http://127.0.0.1:{port}/", data=b'{"infno": "1101"}', timeout=10)
                    return
                except requests.ConnectionError:
                    assert time.monotonic() < deadline and proxy.poll() is None, "the proxy did not start"
                    time.sleep(0.1)

        post()
        assert not [line for line in lines_of(log_file) if "proxy:" in str(line["msg"])]
        done = run_terminal("log-level", "terminal.sim.proxy=info", env=env)
        assert done.returncode == 0 and "terminal.sim.proxy=info" in done.stdout, done.stderr
        wait_for_line(log_file, "log levels now")
        post()
        wait_for_line(log_file, "proxy: 1101 -> forwarded")
        assert proxy.poll() is None  # the same process: nothing was restarted

        assert run_terminal("log-level", "--reset", env=env).returncode == 0
        before = len(lines_of(log_file))
        wait_for_line(log_file, "as configured")
        post()
        assert [line for line in lines_of(log_file)[before:] if "proxy:" in str(line["msg"])] == []
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)


def test_sighup_rereads_the_switch_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`systemctl reload` of the counter or forward: the levels file is read now, not at the next poll."""
    monkeypatch.setattr(logs, "POLL_S", 3600.0)  # so only the signal can make it re-read
    monkeypatch.delenv("TERMINAL_LOG_FILE")
    levels = tmp_path / "levels.json"
    settings = parse_settings({"logging": {"levels_file": str(levels), "file": str(tmp_path / "log.jsonl")}})
    logs.configure(settings)
    try:
        logs.write_levels(levels, {"terminal.devices": "debug"})
        os.kill(os.getpid(), signal.SIGHUP)
        wait_for_line(tmp_path / "log.jsonl", "terminal.devices")
        assert logging.getLogger("terminal.devices.camera").getEffectiveLevel() == logging.DEBUG
    finally:
        logs.uninstall()
    assert logging.getLogger("terminal.devices").level == logging.NOTSET


def test_the_command_refuses_a_bad_switch_with_a_sentence(tmp_path: Path) -> None:
    env = {**os.environ, "TERMINAL_STATE_DIR": str(tmp_path)}
    done = run_terminal("log-level", "terminal.devices", env=env)
    assert done.returncode == 1 and "MODULE=LEVEL" in done.stderr and "Traceback" not in done.stderr
    done = run_terminal("log-level", "--unset", "terminal.nothing", env=env)
    assert done.returncode == 1 and "nothing was changed" in done.stderr
    assert not (tmp_path / "log-levels.json").exists()


def test_qt_messages_become_log_records(caplog: pytest.LogCaptureFixture) -> None:
    from types import SimpleNamespace

    from PySide6.QtCore import QtMsgType

    from terminal.ui.qt_log import qt_message

    logs.remember(names=["张伟"])
    with caplog.at_level(logging.DEBUG, logger="qt"):
        qt_message(QtMsgType.QtWarningMsg, SimpleNamespace(category="qt.qpa.fonts"), "no font for 张伟")  # type: ignore[arg-type]
        qt_message(QtMsgType.QtDebugMsg, SimpleNamespace(category=None), "a debug line")  # type: ignore[arg-type]
    assert [(r.name, r.levelno) for r in caplog.records] == [("qt.qpa.fonts", logging.WARNING),
                                                            ("qt.default", logging.DEBUG)]
    assert "张伟" not in logs.JsonFormatter().format(caplog.records[0])


@pytest.mark.parametrize(("argv", "level"), [
    (["forward", "--db", "j.db", "--service", "http://127.0.0.1:9"], logging.INFO),
    (["sim", "card-reader", "--link", "x"], logging.INFO),
    (["doctor"], logging.WARNING),
    (["sim", "box", "--med-list-codg", "X"], logging.WARNING),
    (["--log-level", "debug", "doctor"], logging.DEBUG),
    (["forward", "--db", "j.db", "--service", "http://127.0.0.1:9", "--log-level", "error"], logging.ERROR),
])
def test_services_log_info_and_commands_a_person_reads_warnings(argv: list[str], level: int, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from terminal.commands.entry import configure_logging

    monkeypatch.setenv("TERMINAL_STATE_DIR", str(tmp_path))
    configure_logging(build_parser().parse_args(argv))
    try:
        assert logging.getLogger().level == level
    finally:
        logs.uninstall()
