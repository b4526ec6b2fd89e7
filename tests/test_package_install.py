"""The Debian package installed, upgraded, removed, reinstalled and purged in a Debian 12 chroot (long mode).

    make test-long        # or: sudo .venv/bin/python -m pytest --long -m long tests/test_package_install.py

Needs root (debootstrap, chroot, mounts), a Debian mirror for the dependencies and PyPI or pip's
cache for the wheelhouse. Two packages are built from this tree, one with a higher version, so the
upgrade runs the new package's maintainer scripts over the old one's files and journal.
No systemd runs in the chroot: the maintainer scripts must cope, as in an image being built.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from chroot_helpers import Chroot, fresh_chroot, say
from old_journal import QUEUED
from package_build import build_deb, build_wheel, project_version

from terminal.offline.schema import SCHEMA_VERSION

pytestmark = [pytest.mark.long, pytest.mark.slow]

VENV_PY = "/opt/counter-terminal/venv/bin/python"
JOURNAL = "/var/lib/counter-terminal/journal.db"
CONFIG = "/etc/counter-terminal/terminal.json"
UNITS = ("counter-terminal", "counter-forward", "counter-settlement-sim", "counter-card-reader-sim",
         "counter-scanner-sim", "counter-camera-sim")


@pytest.fixture(scope="module")
def debs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("debs")
    wheel = build_wheel(out / "wheel")
    version = project_version()
    first = build_deb(wheel, out, version=f"{version}-1~longtest1", wheelhouse=True)
    second = build_deb(wheel, out, version=f"{version}-1~longtest2", wheelhouse=True)
    return first, second


def test_install_upgrade_remove_purge_in_a_chroot(debs: tuple[Path, Path]) -> None:
    if os.geteuid() != 0:
        pytest.fail("the long test needs root (debootstrap, chroot, mounts)")
    if shutil.which("debootstrap") is None:
        pytest.fail("the long test needs debootstrap: apt-get install debootstrap")
    first, second = debs
    started = time.monotonic()
    with fresh_chroot() as chroot:
        for deb in debs:
            shutil.copy(deb, chroot.path(f"/tmp/{deb.name}"))
        shutil.copy(Path(__file__).parent / "old_journal.py", chroot.path("/tmp/old_journal.py"))

        step(started, "install the first package (dependencies from the mirror)")
        chroot.run(f"apt-get install -y -q /tmp/{first.name}")
        installed_as_designed(chroot)
        runs_as_the_counter_user(chroot)

        step(started, "a journal at the first schema with sales queued offline; the override edited by IT")
        chroot.as_counter(f"{VENV_PY} /tmp/old_journal.py {JOURNAL}")
        edited = {"terminal": {"state_dir": "/var/lib/counter-terminal", "dev_no": "CT-0042", "msgid_block": 42},
                  "offline": {"journal": JOURNAL}}
        chroot.path(CONFIG).write_text(json.dumps(edited), encoding="utf-8")

        step(started, "upgrade to the second package")
        upgrade = chroot.run(f"apt-get install -y -q /tmp/{second.name}")
        assert version_installed(chroot) == second.name.split("_")[1]
        assert '"schema_before": 1' in upgrade.stdout and f'"pending": {len(QUEUED)}' in upgrade.stdout, upgrade.stdout
        journal_kept(chroot)
        queue = chroot.as_counter(f"counter-terminal queue --db {JOURNAL} list").stdout.splitlines()
        assert sorted(json.loads(line)["local_id"] for line in queue) == [local_id for local_id, _m, _a in QUEUED]
        assert json.loads(chroot.path(CONFIG).read_text(encoding="utf-8")) == edited
        assert chroot.stat(CONFIG) == "640 root counter"
        runs_as_the_counter_user(chroot)

        step(started, "apt remove: the environment goes, the journal and the configuration stay")
        chroot.run("apt-get remove -y -q counter-terminal")
        assert not chroot.path("/opt/counter-terminal").exists()
        assert not chroot.path("/lib/systemd/system/counter-terminal.service").exists()
        assert os.readlink(chroot.path("/etc/systemd/system/counter-terminal.service")) == "/dev/null"  # masked
        assert chroot.run("dpkg-query -W -f='${Status}' counter-terminal").stdout == "deinstall ok config-files"
        journal_kept(chroot)
        assert json.loads(chroot.path(CONFIG).read_text(encoding="utf-8")) == edited
        assert chroot.stat(CONFIG) == "640 root counter"

        step(started, "reinstall: the kept journal and configuration are used again")
        chroot.run(f"apt-get install -y -q /tmp/{second.name}")
        assert json.loads(chroot.path(CONFIG).read_text(encoding="utf-8")) == edited
        journal_kept(chroot)
        assert chroot.path("/etc/systemd/system/graphical.target.wants/counter-terminal.service").is_symlink()
        assert not os.path.lexists(chroot.path("/etc/systemd/system/counter-terminal.service"))  # unmasked

        step(started, "a configuration that does not load is reported by postinst, never a half-configured package")
        chroot.path(CONFIG).write_text(json.dumps({"terminal": {"dev_no": "CT-0042"}}), encoding="utf-8")
        again = chroot.run(f"apt-get install -y -q --reinstall /tmp/{second.name}")
        assert "WARNING: the journal was not migrated" in again.stdout + again.stderr, again.stdout[-3000:]
        assert chroot.run("dpkg-query -W -f='${Status}' counter-terminal").stdout == "install ok installed"

        step(started, "apt purge: the journal and the configuration go too")
        chroot.run("apt-get purge -y -q counter-terminal")
        for gone in ("/var/lib/counter-terminal", "/etc/counter-terminal", "/opt/counter-terminal",
                     "/etc/systemd/system/graphical.target.wants/counter-terminal.service"):
            assert not os.path.lexists(chroot.path(gone)), gone
        assert chroot.run("dpkg-query -W -f='${Status}' counter-terminal", check=False).stdout in (
            "", "unknown ok not-installed")
        step(started, "done")


def step(started: float, text: str) -> None:
    say(f"{time.monotonic() - started:6.0f} s  {text}")


def version_installed(chroot: Chroot) -> str:
    return chroot.run("dpkg-query -W -f='${Version}' counter-terminal").stdout


def installed_as_designed(chroot: Chroot) -> None:
    """The user, its groups, the folders' owners and modes, the environment, units and rules."""
    passwd = chroot.run("getent passwd counter").stdout.strip().split(":")
    assert passwd[5] == "/var/lib/counter-terminal" and passwd[6] == "/usr/sbin/nologin"
    groups = set(chroot.run("id -nG counter").stdout.split())
    assert {"counter", "dialout", "video"} <= groups, groups
    assert chroot.stat(CONFIG) == "640 root counter"
    assert chroot.stat("/var/lib/counter-terminal") == "750 counter counter"
    config = json.loads(chroot.path(CONFIG).read_text(encoding="utf-8"))
    assert config["offline"]["journal"] == JOURNAL
    # Built on Debian's own python3 from the wheels alone: no trace of the build machine's interpreter.
    assert "home = /usr/bin" in chroot.path("/opt/counter-terminal/venv/pyvenv.cfg").read_text(encoding="utf-8")
    for unit in UNITS:
        assert chroot.path(f"/lib/systemd/system/{unit}.service").is_file(), unit
    assert chroot.path("/etc/systemd/system/graphical.target.wants/counter-terminal.service").is_symlink()
    assert chroot.path("/lib/udev/rules.d/99-counter-terminal.rules").is_file()
    verified = chroot.run("systemd-analyze verify " + " ".join(f"/lib/systemd/system/{u}.service" for u in UNITS),
                          check=False)
    assert verified.returncode == 0 and not verified.stderr.strip(), verified.stderr
    # Every library Qt's platform plugins and the QR decoder load is there (the Depends and Recommends).
    plugins = "/opt/counter-terminal/venv/lib/python3.11/site-packages/PySide6/Qt/plugins/platforms"
    missing = chroot.run(f"ldd {plugins}/libqxcb.so {plugins}/libqwayland.so | grep 'not found' || true").stdout
    assert not missing.strip(), missing
    chroot.run(f"{VENV_PY} -c 'from pyzbar import pyzbar'")


def runs_as_the_counter_user(chroot: Chroot) -> None:
    checked = json.loads(chroot.as_counter(f"{VENV_PY} -m terminal config check").stdout)
    assert checked["ok"] is True and checked["file"] == CONFIG
    assert json.loads(chroot.as_counter("counter-terminal config check").stdout)["ok"] is True
    doctor = chroot.as_counter(f"{VENV_PY} -m terminal doctor --json", check=False)
    # No service, card reader or display in a chroot: those fail; what the package set up must not.
    findings = {f["check"]: f for f in json.loads(doctor.stdout)}
    for check in ("configuration", "journal.permissions", "fonts"):
        assert findings[check]["status"] == "ok", findings[check]
    assert findings["journal.integrity"]["status"] != "failed", findings["journal.integrity"]  # none yet: a warning
    demo = chroot.as_counter("env QT_QPA_PLATFORM=offscreen TERMINAL_STATE_DIR=/tmp/counter-demo "
                             f"{VENV_PY} -m terminal demo --script config/demo-script.json --screenshot /tmp/shots")
    assert "demo script done" in demo.stdout, demo.stdout[-2000:]


def journal_kept(chroot: Chroot) -> None:
    """The journal still the counter user's, at the current schema, its queued sales all there."""
    assert chroot.stat(JOURNAL) == "600 counter counter"
    # Read as the counter user, read-only: a root-owned -shm beside the journal would lock the counter out.
    script = (f"import sqlite3, json; c = sqlite3.connect('file:{JOURNAL}?mode=ro', uri=True); "
              "print(json.dumps([c.execute('PRAGMA user_version').fetchone()[0], "
              "c.execute('SELECT local_id, state, medfee_sumamt FROM txn ORDER BY local_id').fetchall()]))")
    version, rows = json.loads(chroot.as_counter(f'python3 -c "{script}"').stdout)
    assert version == SCHEMA_VERSION
    assert rows == [[local_id, "offline-queued", amount] for local_id, _msgid, amount in QUEUED]
