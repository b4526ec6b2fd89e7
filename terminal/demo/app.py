"""`python -m terminal demo`: the counter application on the demo world (terminal.demo.environment).

Opens the app with the simulated service, card reader and scanner, and the demo
panel to play the patient and the network; with `--script FILE --screenshot DIR`
it runs a scripted session unattended (terminal.ui.demo_script) and saves a PNG
of each screen. Where there is no display it runs offscreen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from terminal.app.station import Station
from terminal.demo.environment import DemoEnvironment
from terminal.settings import load_settings

if TYPE_CHECKING:
    from terminal.ui.counter_app import CounterApp


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
        or os.environ.get("QT_QPA_PLATFORM", "") not in ("", "offscreen", "minimal")


def run_demo_app(*, config: str | None = None, script: Path | None = None, screenshots: Path | None = None,
                 say: object = print) -> int:
    if not has_display() and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from terminal.ui.app import run_counter
    from terminal.ui.demo_panel import DemoPanel
    from terminal.ui.demo_script import DemoScript, load_script

    steps = load_script(script) if script is not None else None
    env = DemoEnvironment().start()
    try:
        settings = env.settings(load_settings(config))
        from terminal.ui import language
        from terminal.ui.app import qt_application

        language.install(qt_application(), settings.counter.language)
        panel = DemoPanel(env)
        runner: list[DemoScript] = []

        def begin(counter: CounterApp) -> None:
            if steps is not None:
                runner.append(DemoScript(counter, env, steps, screenshots or Path("demo-screenshots"), say=say))
                runner[0].start()

        station = Station.from_settings(settings, printer_link=env.printer_link)
        code = run_counter(settings, station=station, demo_panel=panel, then=begin,
                           config_file=Path(config) if config else None)
        panel.close_worker()
        if runner:
            return runner[0].exit_code
        return code
    finally:
        env.stop()
