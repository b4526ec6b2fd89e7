"""The wheel and the Debian package, checked without installing the package (the chroot test does that, --long).

The package here is built with --no-wheelhouse (the application's wheel alone), so the check needs
no download beyond building the wheel; everything else it ships is the same as `make deb`'s.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from package_build import REPO, build_deb, build_wheel, project_version, runtime_debs

UNITS = ("counter-terminal", "counter-forward", "counter-settlement-sim", "counter-card-reader-sim",
         "counter-scanner-sim", "counter-camera-sim")
SCRIPTS = ("postinst", "prerm", "postrm")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def deb(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_deb(wheel, tmp_path_factory.mktemp("deb"), version=f"{project_version()}-1", wheelhouse=False)


def dpkg_field(deb: Path, field: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), field], check=True, capture_output=True,
                          text=True).stdout.strip()


def alternatives(depends: str) -> list[set[str]]:
    """Each Depends entry as the set of package names it accepts (versions dropped)."""
    return [{re.sub(r"\s*\(.*\)", "", name).strip() for name in entry.split("|")} for entry in depends.split(",")]


def test_the_wheel_holds_the_shipped_data_and_translations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in sorted((REPO / "config").iterdir()):
        assert f"terminal/shipped/{data.name}" in names, data.name
    assert "terminal/ui/i18n/counter_zh_CN.qm" in names
    assert "terminal/ui/i18n/core_templates.json" in names
    assert wheel.name == f"counter_terminal-{project_version()}-py3-none-any.whl"


@pytest.mark.slow
def test_the_wheel_runs_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    """Installed away from the tree (its dependencies from this environment), the commands find their data."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--target", str(site), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen",
           "TERMINAL_STATE_DIR": str(tmp_path / "state")}
    env.pop("TERMINAL_CONFIG_DIR", None)

    def terminal(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "terminal", *args], cwd=elsewhere, env=env, text=True,
                              capture_output=True, timeout=300, check=False)

    where = subprocess.run([sys.executable, "-c", "import terminal.config as c; print(c.__file__, c.CONFIG_DIR)"],
                           cwd=elsewhere, env=env, text=True, capture_output=True, check=True).stdout.split()
    assert where == [str(site / "terminal/config.py"), str(site / "terminal/shipped")]
    assert json.loads(terminal("config", "check").stdout)["ok"] is True
    bill = elsewhere / "bill.json"
    bill.write_text(json.dumps({"med_type": "41", "acct_used_flag": "1", "insutype": "310", "psn_type": "11",
                                "balc": "1500.00", "holder_balc": None, "dedc_used": "0.00", "fund_used": "0.00",
                                "items": [{"med_list_codg": "X", "pric": "10.00", "cnt": "2", "chrgitm_lv": "01",
                                           "selfpay_prop": None, "pric_uplmt_amt": None}]}), encoding="utf-8")
    split = terminal("split", "--input", str(bill))
    assert split.returncode == 0, split.stderr
    assert json.loads(split.stdout)["setlinfo"]["medfee_sumamt"] == "20.00"
    doctor = terminal("doctor", "--json")
    assert {f["check"]: f["status"] for f in json.loads(doctor.stdout)}["configuration"] == "ok"
    demo = terminal("demo", "--script", "config/demo-script.json", "--screenshot", str(tmp_path / "shots"))
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert len(list((tmp_path / "shots").glob("*.png"))) > 10


def test_the_package_declares_what_qt_and_the_scanners_need(deb: Path) -> None:
    assert dpkg_field(deb, "Package") == "counter-terminal"
    assert dpkg_field(deb, "Version") == f"{project_version()}-1"
    depends = alternatives(dpkg_field(deb, "Depends"))
    accepted = set().union(*depends)
    for name in runtime_debs().split():
        assert name in accepted, name
    assert {"libzbar0", "libxcb-cursor0", "libxkbcommon-x11-0", "python3-venv", "adduser"} <= accepted
    assert any("fonts-noto-cjk" in entry for entry in depends)  # a CJK font, alternatives allowed
    assert not {"socat", "xvfb", "xauth"} & accepted  # the test machine's tools are no runtime need
    assert "python3 (>= 3.11)" in dpkg_field(deb, "Depends")
    assert "cage" in dpkg_field(deb, "Recommends")


def test_the_package_ships_units_rules_wheels_and_scripts(deb: Path, tmp_path: Path) -> None:
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], check=True, capture_output=True,
                             text=True).stdout
    files = {line.split()[-1].removeprefix(".") for line in listing.splitlines()}
    owners = {line.split()[-1].removeprefix("."): line.split()[1] for line in listing.splitlines()}
    for unit in UNITS:
        assert f"/lib/systemd/system/{unit}.service" in files, unit
    assert "/lib/udev/rules.d/99-counter-terminal.rules" in files
    assert any(re.fullmatch(r"/opt/counter-terminal/wheels/counter_terminal-.*\.whl", f) for f in files)
    assert {"/usr/bin/counter-terminal", "/usr/lib/counter-terminal/kiosk-session",
            "/usr/share/counter-terminal/terminal.json", "/usr/share/counter-terminal/terminal-bench.json",
            "/etc/pam.d/counter-terminal"} <= files
    # terminal.json is postinst's to create once, never a file dpkg would install or replace in /etc.
    assert not any(f.startswith("/etc/counter-terminal") for f in files)
    assert set(owners.values()) == {"root/root"}
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "--control", str(deb), str(control)], check=True)
    assert (control / "conffiles").read_text(encoding="utf-8").split() == ["/etc/pam.d/counter-terminal"]
    for script in SCRIPTS:
        assert os.access(control / script, os.X_OK), script
        subprocess.run(["sh", "-n", str(control / script)], check=True)


def test_the_maintainer_scripts_keep_the_journal_until_purge() -> None:
    postrm = (REPO / "packaging/deb/postrm").read_text(encoding="utf-8")
    remove, purge = postrm.split("    remove)")[1].split("    purge)")
    assert "/var/lib/counter-terminal" not in remove and "/etc/counter-terminal" not in remove
    assert "rm -rf /opt/counter-terminal/venv" in remove
    assert "rm -rf /var/lib/counter-terminal /etc/counter-terminal" in purge
    postinst = (REPO / "packaging/deb/postinst").read_text(encoding="utf-8")
    assert "install -m 0640 -o root -g \"$USER_NAME\"" in postinst and 'if [ ! -e "$CONFIG" ]' in postinst
    assert "--no-index" in postinst and "/usr/bin/python3 -m venv" in postinst
    assert "terminal journal migrate" in postinst
    for name in ("postinst", "prerm", "postrm", "kiosk-session", "counter-terminal"):
        subprocess.run(["sh", "-n", str(REPO / "packaging/deb" / name)], check=True)


def unit(name: str) -> dict[str, list[str]]:
    """The unit's settings, each key with every value it is given."""
    settings: dict[str, list[str]] = {}
    for line in (REPO / "packaging/systemd" / f"{name}.service").read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def test_the_kiosk_unit_runs_the_counter_full_screen_as_the_counter_user_and_restarts_it() -> None:
    kiosk = unit("counter-terminal")
    assert kiosk["User"] == ["counter"] and kiosk["Restart"] == ["always"]
    assert "TERMINAL_CONFIG=/etc/counter-terminal/terminal.json" in kiosk["Environment"]
    assert kiosk["ExecStart"][0].startswith("/usr/bin/cage ") and " -s " not in kiosk["ExecStart"][0]
    assert "kill -HUP" in kiosk["ExecReload"][0]
    session = (REPO / "packaging/deb/kiosk-session").read_text(encoding="utf-8")
    assert "exec /opt/counter-terminal/venv/bin/python -m terminal run --kiosk" in session
    for name in UNITS:
        settings = unit(name)
        assert all(command.startswith(("/opt/counter-terminal/venv/bin/python -m terminal", "/usr/bin/cage"))
                   for command in settings["ExecStart"]), name
    assert unit("counter-forward")["ExecReload"] == ["/bin/kill -HUP $MAINPID"]


def test_the_shipped_override_is_a_valid_configuration_for_the_state_folder() -> None:
    from terminal.settings import journal_path, load_settings

    settings = load_settings(REPO / "packaging/deb/terminal.json", strict=True)
    assert settings.terminal.state_dir == "/var/lib/counter-terminal"
    assert journal_path(settings) == Path("/var/lib/counter-terminal/journal.db")
