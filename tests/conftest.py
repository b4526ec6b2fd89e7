"""Shared pytest options and fixtures.

Hardware-in-the-loop tests against real devices run only when a port is named:
    pytest --card-reader-port /dev/ttyUSB0 --scanner-port /dev/ttyACM0 --camera 0
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from log_scan import SCAN, ScanHandler
from serial_helpers import ScriptedPort, ScriptItem

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_LOG_FOLDER = pytest.StashKey[Path]()
_ROOT_LEVEL = pytest.StashKey[int]()
_SCAN_HANDLER = ScanHandler(SCAN)
# The session's temporary folder, where tests keep their processes' logs (terminal_state_dir finds it).
_BASETEMP: list[Path] = []

# The counter application's fixtures (a demo world per module, a counter per test).
pytest_plugins = ["counter_rig"]


@pytest.fixture(autouse=True, scope="session")
def terminal_state_dir(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Keep the terminal's own state (msgid sequence) out of the user's home during tests."""
    path = tmp_path_factory.mktemp("terminal-state")
    _BASETEMP.append(tmp_path_factory.getbasetemp())
    old = os.environ.get("TERMINAL_STATE_DIR")
    os.environ["TERMINAL_STATE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("TERMINAL_STATE_DIR", None)
    else:
        os.environ["TERMINAL_STATE_DIR"] = old


def pytest_sessionstart(session: pytest.Session) -> None:
    """Watch every log line of the session for personal data (tests/log_scan.py)."""
    folder = Path(tempfile.mkdtemp(prefix="terminal-logs-"))
    session.config.stash[_LOG_FOLDER] = folder
    # Each `python -m terminal` process the tests start logs its JSON lines here, one file a process.
    os.environ["TERMINAL_LOG_FILE"] = str(folder / "{pid}.jsonl")
    root = logging.getLogger()
    session.config.stash[_ROOT_LEVEL] = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(_SCAN_HANDLER)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    logging.getLogger().removeHandler(_SCAN_HANDLER)
    logging.getLogger().setLevel(session.config.stash.get(_ROOT_LEVEL, logging.WARNING))
    folder = session.config.stash.get(_LOG_FOLDER, None)
    if folder is None:
        return
    SCAN.check_folder(folder)
    shutil.rmtree(folder, ignore_errors=True)
    # And the logs tests kept of their own processes (a simulated service's log beside its database).
    for basetemp in _BASETEMP:
        for log in sorted(basetemp.rglob("*.log")):
            SCAN.check_file(log)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if SCAN.leaks:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        for leak in SCAN.leaks:
            reporter.write_line(f"PERSONAL DATA UNMASKED: {leak}", red=True)
    elif reporter is not None:
        reporter.write_line(f"log and metric lines scanned for personal data: {SCAN.lines}, none unmasked")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hardware", "real devices for hardware tests")
    group.addoption("--card-reader-port", default=None, help="serial URL of a real card reader")
    group.addoption("--scanner-port", default=None, help="serial URL of a real serial barcode scanner")
    group.addoption("--camera", default=None, help="index or URL of a real camera")
    long = parser.getgroup("long", "the long test mode (make test-long)")
    long.addoption("--long", action="store_true", default=False,
                   help="also run the tests marked long: the Debian package in a chroot (root, network, minutes)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked long run only with --long: CI's `make test` stays fast and needs neither root nor a mirror."""
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="a long test: run with --long (make test-long)")
    for item in items:
        if item.get_closest_marker("long") is not None:
            item.add_marker(skip)


@pytest.fixture
def card_reader_port(request: pytest.FixtureRequest) -> str:
    port = request.config.getoption("--card-reader-port")
    if not port:
        pytest.skip("no real card reader named (--card-reader-port)")
    return str(port)


@pytest.fixture
def scanner_port(request: pytest.FixtureRequest) -> str:
    port = request.config.getoption("--scanner-port")
    if not port:
        pytest.skip("no real serial scanner named (--scanner-port)")
    return str(port)


@pytest.fixture
def camera_source(request: pytest.FixtureRequest) -> str:
    source = request.config.getoption("--camera")
    if not source:
        pytest.skip("no real camera named (--camera)")
    return str(source)


@pytest.fixture
def settlement_service(tmp_path):  # type: ignore[no-untyped-def]
    """The real simulated settlement service on a free loopback port, with a fresh database.

    Its catalog is the demo catalog without the pharmacy rules (plain_catalog_file): the tests that use it
    are about other things, and their sales carry no traceability codes or prescription numbers.
    """
    from terminal.sim.processes import running_settlement_service

    with running_settlement_service(tmp_path / "service.db", plain_catalog=True) as service:
        yield service


@pytest.fixture
def settlement_client(settlement_service):  # type: ignore[no-untyped-def]
    """A SettlementClient configured like the demo terminal, pointed at the test service."""
    from terminal.client import client_from_settings
    from terminal.settings import Settings

    client = client_from_settings(Settings(), url=settlement_service.url)
    yield client
    client.close()


@pytest.fixture
def scripted_port() -> Iterator[Callable[..., ScriptedPort]]:
    """Makes ScriptedPorts: `scripted_port(*steps, partial=False, **options)`.

    At teardown, every port made must have had its whole script played and every
    write must have matched (tests/serial_helpers.py).
    """
    made: list[ScriptedPort] = []

    def make(*steps: ScriptItem, **options: object) -> ScriptedPort:
        port = ScriptedPort(list(steps), **options)  # type: ignore[arg-type]
        made.append(port)
        return port

    yield make
    problems = [problem for port in made for problem in port.problems()]
    for port in made:
        port.stop_timers()
    if problems:
        pytest.fail("the serial exchange went against its script:\n" + "\n".join(problems))
