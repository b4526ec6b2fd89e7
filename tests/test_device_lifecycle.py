"""One lifecycle for every device, each against its simulator.

The card reader against CardReaderSim on a pty (unplugged with its "disconnect"
control line), the serial scanner against the ScannerSim pty (closed and made
again), the camera against `python -m terminal sim camera` serving MJPEG on
127.0.0.1 (killed and started again on the same port). Each goes start -> READY,
unplugged -> LOST, back -> READY, close -> CLOSED, and the three report the same
states in the same order.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from camera_helpers import SimCamera, picture_folder, start_sim_camera, stop
from device_helpers import WAIT_S, collapsed_states, wait_state

from terminal.devices.camera import CodeRejected, CodeSeen, camera_scanner_from_settings
from terminal.devices.cardreader.driver import CardInserted, CardReader, CardRemoved
from terminal.devices.device import DeviceState, DeviceThread, EventLog, StateChanged
from terminal.devices.serial_link import serial_port_factory
from terminal.devices.serial_scanner import ScannedLine, ScanRejected, serial_scanner_from_settings
from terminal.settings import CameraSettings, DecoderSettings, SerialScannerSettings
from terminal.sim.card_reader import CardReaderSim
from terminal.sim.card_reader_cards import default_cards_path, load_cards
from terminal.sim.scanner import ScannerSim

EVERY_STATE = [DeviceState.CONNECTING, DeviceState.READY, DeviceState.LOST, DeviceState.READY,
               DeviceState.CLOSED]


class Rig(ABC):
    """A device and its simulator: make the device, make it say something, unplug it,
    plug it back."""

    own_events: tuple[type, ...]  # the device's events besides StateChanged

    @abstractmethod
    def device(self) -> DeviceThread[Any]: ...

    @abstractmethod
    def poke(self) -> type:
        """Make the simulator produce something; the event type the device reports for it."""

    @abstractmethod
    def unplug(self) -> None: ...

    @abstractmethod
    def replug(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...


class CardReaderRig(Rig):
    own_events = (CardInserted, CardRemoved)

    def __init__(self, tmp_path: Path) -> None:
        self.link = tmp_path / "card-reader"
        self.sim = CardReaderSim(self.link, load_cards(default_cards_path()), pace=False).start()

    def device(self) -> DeviceThread[Any]:
        return CardReader(serial_port_factory(str(self.link)), reconnect_interval_s=0.1)

    def poke(self) -> type:
        assert self.sim.insert(2).startswith("ok inserted")
        return CardInserted

    def unplug(self) -> None:
        # The pty goes away and is made again at the same path after the delay: long
        # enough for the driver to see it gone, whatever the machine's load.
        assert self.sim.control("disconnect 500ms") == "ok unplugged for 0.5s"

    def replug(self) -> None:
        pass  # the simulator plugs itself back in after the disconnect delay

    def close(self) -> None:
        self.sim.stop()


class SerialScannerRig(Rig):
    own_events = (ScannedLine, ScanRejected)

    def __init__(self, tmp_path: Path) -> None:
        self.link = tmp_path / "scanner"
        self.sim = ScannerSim(self.link)
        self.sim.pty.open()

    def device(self) -> DeviceThread[Any]:
        return serial_scanner_from_settings(SerialScannerSettings(port=str(self.link), reconnect_interval_s=0.1))

    def poke(self) -> type:
        assert self.sim.pty.write_all(b"6901070202353\r", threading.Event()) == 14
        return ScannedLine

    def unplug(self) -> None:
        self.sim.pty.close()

    def replug(self) -> None:
        self.sim.pty.open()

    def close(self) -> None:
        self.sim.pty.close()


class CameraRig(Rig):
    own_events = (CodeSeen, CodeRejected)

    def __init__(self, tmp_path: Path) -> None:
        self.folder = picture_folder(tmp_path, "NHSAEC1.lifecycle")
        self.sim: SimCamera | None = start_sim_camera(self.folder, "--fps", "15", "--loop")
        self.port = self.sim.port

    def device(self) -> DeviceThread[Any]:
        assert self.sim is not None
        camera = CameraSettings(source=self.sim.url, reopen_interval_s=0.2)
        return camera_scanner_from_settings(camera, DecoderSettings(order=("zxing-cpp", "pyzbar", "opencv")))

    def poke(self) -> type:
        return CodeSeen  # the pictures hold a code: the camera sees it by itself

    def unplug(self) -> None:
        self.close()

    def replug(self) -> None:
        self.sim = start_sim_camera(self.folder, "--fps", "15", "--loop", port=self.port)

    def close(self) -> None:
        if self.sim is not None:
            stop(self.sim.proc)
            self.sim = None


RIGS = {"card reader": CardReaderRig, "serial scanner": SerialScannerRig, "camera": CameraRig}


@pytest.fixture(params=list(RIGS))
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    made = RIGS[request.param](tmp_path)
    yield made
    made.close()


class Tee:
    """The one subscriber: keeps every event, and hands it to an EventLog to wait on."""

    def __init__(self) -> None:
        self.seen: list[object] = []
        self.log: EventLog[object] = EventLog()

    def __call__(self, event: object) -> None:
        self.seen.append(event)
        self.log(event)


def test_one_lifecycle_for_every_device(rig: Rig) -> None:
    device = rig.device()
    assert device.state is DeviceState.CLOSED and device.status.state is DeviceState.CLOSED
    assert not device.running
    tee = Tee()
    device.subscribe(tee)
    with pytest.raises(RuntimeError):
        device.subscribe(print)  # one subscriber per device

    device.start()
    device.start()  # idempotent
    ready = wait_state(tee.log, DeviceState.READY)
    assert (ready.device, ready.reason) == (device.name, None)
    kind = rig.poke()
    assert tee.log.next(WAIT_S, kind) is not None, f"no {kind.__name__} from the {device.name}"

    rig.unplug()
    lost = wait_state(tee.log, DeviceState.LOST)
    assert lost.reason is not None and lost.reason.endswith(".")  # a sentence for the cashier
    rig.replug()
    wait_state(tee.log, DeviceState.READY)
    assert device.state is DeviceState.READY

    device.close()
    device.close()  # idempotent
    assert device.state is DeviceState.CLOSED and not device.running
    with pytest.raises(RuntimeError):
        device.start()  # a closed device stays closed

    # The same shape for all three: these states in this order (a state repeated with
    # another reason, such as a failed reopen while LOST, counts once), CLOSED last,
    # and no event that is not StateChanged or the device's own.
    assert collapsed_states(tee.seen) == EVERY_STATE
    assert isinstance(tee.seen[-1], StateChanged) and tee.seen[-1].state is DeviceState.CLOSED
    assert all(isinstance(e, (StateChanged, *rig.own_events)) for e in tee.seen)
