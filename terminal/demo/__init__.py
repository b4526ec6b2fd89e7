"""The demo launcher: the terminal on simulated devices and a simulated service.

Besides the commands, the only place that starts simulators. `walkthrough` rings
up demo sales headless, end to end.
"""
