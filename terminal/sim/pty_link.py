"""A pseudo-terminal whose device end is reachable at a stable path.

Simulated serial devices own the master side; the host (driver under test, a
technician's terminal program) opens PATH, a symlink to the slave /dev/pts/N, as
if it were /dev/ttyUSB0:

    with PtyLink("/tmp/card-reader") as link:
        link.write(b"...")
        data = link.read(timeout_s=0.1)

`close()` removes the symlink and closes the pty, which the host sees as an
unplugged port; `open()` again recreates it at the same PATH (a replug).
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import time
import tty
from pathlib import Path

from terminal.faults import file_fault


class PtyLink:
    """keep_slave_open=True (a card reader): bytes written before the host opens wait in the
    pty and the master never sees EIO. False (a scanner): the simulator can tell from a
    hang-up on the master whether a host has the port open (`host_connected`)."""

    def __init__(self, path: str | os.PathLike[str], *, keep_slave_open: bool = True) -> None:
        self.path = Path(path)
        self.keep_slave_open = keep_slave_open
        self.master_fd = -1
        self._slave_fd = -1
        self.slave_name = ""

    @property
    def is_open(self) -> bool:
        return self.master_fd >= 0

    def open(self) -> None:
        """Create the pty (raw, no echo) and point PATH at its slave; typed errors for a bad PATH."""
        if self.is_open:
            return
        if self.path.exists() and not self.path.is_symlink():
            # Never replace a real file or device: the path named is wrong.
            raise file_fault(FileExistsError(errno.EEXIST, "exists and is not a symlink", str(self.path)),
                             self.path, "simulator link", creating=True)
        master, slave = os.openpty()
        # Raw mode is a property of the terminal, not of this fd: the host sees a
        # binary-clean line without echo or CR/LF translation even before it opens.
        tty.setraw(slave)
        os.set_blocking(master, False)
        self.slave_name = os.ttyname(slave)
        if not self.keep_slave_open:
            os.close(slave)  # raw mode stays with the pty
            slave = -1
        self.master_fd, self._slave_fd = master, slave
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            os.symlink(self.slave_name, tmp)
            os.replace(tmp, self.path)  # atomic: a host never sees a half-made link
        except OSError as exc:
            self.close()
            raise file_fault(exc, self.path, "simulator link", creating=True) from None

    def close(self) -> None:
        """Remove the symlink (if still ours) and close the pty."""
        with contextlib.suppress(OSError):
            if self.path.is_symlink() and os.readlink(self.path) == self.slave_name:
                self.path.unlink()
        for fd in (self.master_fd, self._slave_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.master_fd = self._slave_fd = -1

    def fileno(self) -> int:
        return self.master_fd

    def host_connected(self) -> bool:
        """A host has the slave open (no hang-up on the master); only with keep_slave_open=False."""
        if not self.is_open:
            return False
        poller = select.poll()
        poller.register(self.master_fd, select.POLLIN | select.POLLHUP)
        return all(not mask & select.POLLHUP for _, mask in poller.poll(0))

    def read(self, max_bytes: int = 4096, timeout_s: float | None = 0.0) -> bytes:
        """What the host wrote; b"" if nothing arrived within timeout_s."""
        if not self.is_open:
            return b""
        ready, _, _ = select.select([self.master_fd], [], [], timeout_s)
        if not ready:
            return b""
        try:
            return os.read(self.master_fd, max_bytes)
        except BlockingIOError:
            return b""
        except OSError as exc:
            if exc.errno == errno.EIO:  # no slave open: nobody is listening
                return b""
            raise

    def write(self, data: bytes, timeout_s: float = 1.0) -> int:
        """Write to the host; returns bytes written (fewer if the pty stayed full)."""
        if not self.is_open:
            return 0
        deadline = time.monotonic() + timeout_s
        view = memoryview(data)
        sent = 0
        while sent < len(view):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            _, ready, _ = select.select([], [self.master_fd], [], left)
            if not ready:
                break
            try:
                sent += os.write(self.master_fd, view[sent:])
            except BlockingIOError:
                continue
        return sent

    def __enter__(self) -> PtyLink:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def wait_for_path(path: str | os.PathLike[str], timeout_s: float) -> bool:
    """True once PATH exists (a simulator started elsewhere has made its link)."""
    deadline = time.monotonic() + timeout_s
    target = Path(path)
    while not target.exists():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True
