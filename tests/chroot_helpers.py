"""A Debian 12 chroot for the package's install, upgrade and removal test (the long test mode).

The minimal system debootstrap makes is kept in .cache/chroot/bookworm-base and reused by later
runs; each run works on a fresh copy of it, with /proc and /dev mounted, a policy-rc.d that stops
services from starting (no systemd runs in a chroot, as in an image being built) and the
downloaded .debs kept in .cache/chroot/apt-archives between runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / ".cache" / "chroot"
MIRROR = "http://deb.debian.org/debian"
SUITE = "bookworm"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def say(text: str) -> None:
    print(f"[chroot] {text}", file=sys.stderr, flush=True)


def base_system() -> Path:
    """The cached minimal bookworm, made by debootstrap the first time."""
    base = CACHE / f"{SUITE}-base"
    if (base / ".complete").exists():
        return base
    partial = CACHE / f"{SUITE}-base.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    say(f"debootstrap --variant=minbase {SUITE} (once; cached in {base})")
    subprocess.run(["debootstrap", "--variant=minbase", SUITE, str(partial), MIRROR], check=True,
                   stdout=subprocess.DEVNULL)
    (partial / ".complete").touch()
    shutil.rmtree(base, ignore_errors=True)
    partial.rename(base)
    return base


class Chroot:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, inside: str) -> Path:
        return self.root / inside.lstrip("/")

    def run(self, command: str, *, check: bool = True, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        """`command` by /bin/sh as root in the chroot, with a clean environment; its output captured."""
        env = {"PATH": PATH, "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive", "HOME": "/root"}
        done = subprocess.run(["chroot", str(self.root), "/bin/sh", "-c", command], env=env, text=True,
                              capture_output=True, timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"in the chroot: {command}\nexit {done.returncode}\n"
                                 f"stdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}")
        return done

    def as_counter(self, command: str, *, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`command` as the counter user, as the service runs it (its home, the terminal's configuration)."""
        return self.run("cd / && runuser -u counter -- env HOME=/var/lib/counter-terminal "
                        f"TERMINAL_CONFIG=/etc/counter-terminal/terminal.json {command}", check=check)

    def stat(self, inside: str) -> str:
        """'mode owner group' of a path in the chroot, as the chroot's own names say them."""
        return self.run(f"stat -c '%a %U %G' {inside}").stdout.strip()


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True)


@contextmanager
def fresh_chroot(name: str = "run") -> Iterator[Chroot]:
    """A copy of the base system with /proc, /dev and the apt cache mounted; unmounted and deleted after."""
    base = base_system()
    root = CACHE / name
    archives = CACHE / "apt-archives"
    (archives / "partial").mkdir(parents=True, exist_ok=True)
    _remove(root)
    say(f"copying the base system to {root}")
    subprocess.run(["cp", "-a", str(base), str(root)], check=True)
    mounts = [root / "proc", root / "dev", root / "dev/pts", root / "var/cache/apt/archives"]
    try:
        _mount("-t", "proc", "proc", str(mounts[0]))
        _mount("--bind", "/dev", str(mounts[1]))
        _mount("--bind", "/dev/pts", str(mounts[2]))
        _mount("--bind", str(archives), str(mounts[3]))
        shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
        # Services are never started by maintainer scripts here (invoke-rc.d and deb-systemd-invoke ask this).
        policy = root / "usr/sbin/policy-rc.d"
        policy.write_text("#!/bin/sh\nexit 101\n", encoding="utf-8")
        policy.chmod(0o755)
        chroot = Chroot(root)
        chroot.run("apt-get update -qq")
        yield chroot
    finally:
        for mount in reversed(mounts):
            subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True)
        _remove(root)


def _remove(root: Path) -> None:
    """Delete a chroot copy, never through a mount that is still there (it would delete the host's /dev)."""
    if not root.exists():
        return
    with open("/proc/mounts", encoding="utf-8") as mounts:
        if any(line.split()[1].startswith(str(root) + os.sep) for line in mounts):
            raise RuntimeError(f"{root} still has mounts; unmount them before deleting it")
    shutil.rmtree(root)
