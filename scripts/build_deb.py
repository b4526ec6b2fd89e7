"""Build the counter-terminal Debian package from the wheel: a staged tree packed by dpkg-deb.

    .venv/bin/python scripts/build_deb.py --wheel dist/counter_terminal-0.1.0-py3-none-any.whl \
        --depends "libzbar0 fonts-noto-cjk ..." [--version 0.1.0-1] [--out dist] [--no-wheelhouse]

`make deb` runs it (the Makefile's RUNTIME_DEBS are the --depends). The package holds the
application's wheel and a wheelhouse of every runtime dependency (pip wheel, for this
interpreter: Debian 12's python3 is 3.11, and binary wheels are for this machine's
architecture) under /opt/counter-terminal/wheels; its postinst builds the private
environment /opt/counter-terminal/venv from them with no network. --no-wheelhouse ships
the application's wheel alone (a package that only installs where PyPI answers: for the
fast tests, which look at the package and never install it). packaging/deb holds the
maintainer scripts and the files installed beside the units and rules; docs/install.md
says what each does.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
NAME = "counter-terminal"
APP = Path("opt/counter-terminal")
WHEELS = APP / "wheels"
# The interpreter the wheelhouse's binary wheels are for: Debian 12's python3.
TARGET_PYTHON = (3, 11)
# procps: /bin/kill, which the units reload with.
BASE_DEPENDS = ("python3 (>= 3.11)", "python3 (<< 3.12)", "python3-venv", "adduser", "init-system-helpers", "procps")
# A CJK font: the Makefile names fonts-noto-cjk; a counter PC that has another Chinese font may keep it.
CJK_ALTERNATIVES = {"fonts-noto-cjk": "fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei"}
# What the kiosk session needs (counter-terminal.service): the cage compositor, a logind session through PAM,
# and the Wayland client libraries Qt's wayland platform plugin loads. Recommended rather than required, so a
# technician's bench without a display can hold the package for its simulators and commands.
RECOMMENDS = ("cage", "libpam-systemd", "libwayland-client0", "libwayland-cursor0", "libwayland-egl1")
UNITS = ("counter-terminal.service", "counter-forward.service", "counter-settlement-sim.service",
         "counter-card-reader-sim.service", "counter-scanner-sim.service", "counter-camera-sim.service")
MAINTAINER_SCRIPTS = ("postinst", "prerm", "postrm")
DESCRIPTION = """\
Description: checkout terminal for counters that settle China's basic medical insurance
 The counter application (pharmacy tills, hospital registration, admission and
 discharge desks) in a private Python environment under /opt/counter-terminal,
 built at install time from the wheels in the package, without network.
 .
 Ships the kiosk service (counter-terminal.service: the application full screen
 on the local display as the counter user, restarted when it stops), the
 forwarder as a service, simulator services for technicians, udev rules giving
 the card reader, scanner and camera stable names, and a per-terminal
 configuration in /etc/counter-terminal/terminal.json (kept on upgrade and
 removal, deleted on purge, as is the journal in /var/lib/counter-terminal).
"""


def project_version() -> str:
    with (REPO / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True,
                          text=True).stdout.strip()


def depends(runtime_debs: list[str]) -> str:
    names = list(BASE_DEPENDS) + [CJK_ALTERNATIVES.get(name, name) for name in runtime_debs]
    return ", ".join(dict.fromkeys(names))


def build_wheelhouse(wheel: Path, into: Path) -> None:
    """The wheel and every runtime dependency as wheels (from the pip cache or PyPI), built for this interpreter."""
    if sys.version_info[:2] != TARGET_PYTHON:
        raise SystemExit(f"the wheelhouse is for Python {TARGET_PYTHON[0]}.{TARGET_PYTHON[1]} (Debian 12's python3); "
                         f"this is {sys.version_info[0]}.{sys.version_info[1]}: run with a 3.11 interpreter")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
                    "--wheel-dir", str(into), str(wheel)], check=True)


def install(source: Path, target: Path, mode: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(mode)


def stage(root: Path, wheel: Path, *, wheelhouse: bool, version: str) -> None:
    """The package's files under `root` (DEBIAN/ apart): what dpkg installs."""
    wheels = root / WHEELS
    wheels.mkdir(parents=True)
    if wheelhouse:
        build_wheelhouse(wheel, wheels)
    else:
        shutil.copy(wheel, wheels / wheel.name)
    for made in wheels.iterdir():
        made.chmod(0o644)
    deb = PACKAGING / "deb"
    install(deb / "counter-terminal", root / "usr/bin/counter-terminal", 0o755)
    install(deb / "kiosk-session", root / "usr/lib/counter-terminal/kiosk-session", 0o755)
    # The first terminal.json: postinst copies it to /etc once, so it is no conffile dpkg would replace.
    install(deb / "terminal.json", root / "usr/share/counter-terminal/terminal.json", 0o644)
    install(deb / "scanner-codes.txt", root / "usr/share/counter-terminal/sim/scanner-codes.txt", 0o644)
    # A technician's bench: the terminal on the four simulator units (docs/install.md).
    install(deb / "terminal-bench.json", root / "usr/share/counter-terminal/terminal-bench.json", 0o644)
    install(deb / "pam-counter-terminal", root / "etc/pam.d/counter-terminal", 0o644)
    for unit in UNITS:
        install(PACKAGING / "systemd" / unit, root / "lib/systemd/system" / unit, 0o644)
    install(PACKAGING / "udev/99-counter-terminal.rules", root / "lib/udev/rules.d/99-counter-terminal.rules", 0o644)
    docs = root / "usr/share/doc/counter-terminal"
    install(REPO / "docs/install.md", docs / "install.md", 0o644)
    (docs / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: counter-terminal\n\nFiles: *\nLicense: Apache-2.0\n"
        " On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.\n", encoding="utf-8")
    (docs / "copyright").chmod(0o644)
    changelog = docs / "changelog.Debian.gz"
    changelog.write_bytes(gzip.compress(
        f"{NAME} ({version}) stable; urgency=medium\n\n  * Built from the counter-terminal tree.\n\n"
        " -- Counter terminal maintainers <counter-terminal@localhost>  Thu, 01 Jan 1970 00:00:00 +0000\n"
        .encode(), mtime=0))
    changelog.chmod(0o644)


def control(root: Path, *, version: str, arch: str, runtime_debs: list[str]) -> str:
    size_kib = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024 + 1
    return (f"Package: {NAME}\nVersion: {version}\nArchitecture: {arch}\n"
            "Maintainer: Counter terminal maintainers <counter-terminal@localhost>\n"
            f"Installed-Size: {size_kib}\nSection: misc\nPriority: optional\n"
            f"Depends: {depends(runtime_debs)}\nRecommends: {', '.join(RECOMMENDS)}\n"
            "Homepage: https://localhost/counter-terminal\n" + DESCRIPTION)


def write_debian_dir(root: Path, control_text: str) -> None:
    debian = root / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control_text, encoding="utf-8")
    # /etc/pam.d/counter-terminal is the one conffile; terminal.json is postinst's, on purpose (see stage).
    (debian / "conffiles").write_text("/etc/pam.d/counter-terminal\n", encoding="utf-8")
    for script in MAINTAINER_SCRIPTS:
        install(PACKAGING / "deb" / script, debian / script, 0o755)


def build(wheel: Path, out: Path, *, version: str, runtime_debs: list[str], wheelhouse: bool,
          work: Path) -> Path:
    if not re.fullmatch(r"[0-9][A-Za-z0-9.+~-]*", version):
        raise SystemExit(f"not a Debian version: {version!r}")
    arch = architecture()
    os.umask(0o022)  # the folders dpkg creates get 0755 whatever the builder's umask
    shutil.rmtree(work, ignore_errors=True)
    root = work / "root"
    root.mkdir(parents=True)
    stage(root, wheel, wheelhouse=wheelhouse, version=version)
    write_debian_dir(root, control(root, version=version, arch=arch, runtime_debs=runtime_debs))
    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"{NAME}_{version}_{arch}.deb"
    # Owned by root whoever builds; gzip because the wheels inside are zip files already.
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", "-Zgzip", str(root), str(deb)], check=True,
                   stdout=subprocess.DEVNULL)
    return deb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, required=True, help="the application's wheel (make wheel)")
    parser.add_argument("--depends", required=True, help="the Debian libraries the terminal needs, space-separated")
    parser.add_argument("--version", help="the Debian version (default: pyproject's version, revision 1)")
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="folder for the .deb (default dist/)")
    parser.add_argument("--work", type=Path, default=REPO / "build/deb", help="staging folder (emptied first)")
    parser.add_argument("--no-wheelhouse", action="store_true",
                        help="ship only the application's wheel (never installed offline; for quick checks)")
    args = parser.parse_args()
    deb = build(args.wheel, args.out, version=args.version or f"{project_version()}-1",
                runtime_debs=args.depends.split(), wheelhouse=not args.no_wheelhouse, work=args.work)
    print(deb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
