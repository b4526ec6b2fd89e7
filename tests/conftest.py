"""Shared pytest options and fixtures.

Hardware-in-the-loop tests against real devices run only when a port is named:
    pytest --card-reader-port /dev/ttyUSB0 --scanner-port /dev/ttyACM0 --camera 0
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from serial_helpers import ScriptedPort, ScriptItem

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The counter application's fixtures (a demo world per module, a counter per test).
pytest_plugins = ["counter_rig"]


@pytest.fixture(autouse=True, scope="session")
def terminal_state_dir(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Keep the terminal's own state (msgid sequence) out of the user's home during tests."""
    path = tmp_path_factory.mktemp("terminal-state")
    old = os.environ.get("TERMINAL_STATE_DIR")
    os.environ["TERMINAL_STATE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("TERMINAL_STATE_DIR", None)
    else:
        os.environ["TERMINAL_STATE_DIR"] = old


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
