"""`python -m terminal sim proxy --listen P --target URL --faults SPEC`: a network that fails on purpose.

Listens on 127.0.0.1:P (or HOST:P) and forwards to the settlement service at
URL, failing requests as SPEC says. Point the terminal's service.url (or a
command's --service) at the proxy. Change the faults live with lines on stdin
or on --control-port: "faults SPEC", "clear", "status", "quit".
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING

from terminal.commands._control import ControlLines, on_termination

if TYPE_CHECKING:
    from terminal.sim.proxy import FaultProxy


def register_sim(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from terminal.sim.proxy import FAULT_HELP

    p = sub.add_parser("proxy", help="fault-injecting proxy in front of the settlement service",
                       description=__doc__, epilog=FAULT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--listen", required=True, help="port to listen on (127.0.0.1), or HOST:PORT")
    p.add_argument("--target", required=True, help="the service's base URL, e.g. http://127.0.0.1:8080")
    p.add_argument("--faults", default="", help='fault SPEC, e.g. "timeout-after=1x@2102"')
    p.add_argument("--seed", type=int, help="seed of the fault dice, to replay a run")
    p.add_argument("--control-port", type=int, help="also accept control lines on this TCP port of 127.0.0.1")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.errors import BadInput
    from terminal.sim.proxy import FaultProxy

    host, _, port_text = args.listen.rpartition(":")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise BadInput(f"--listen must be a port from 1 to 65535 (or HOST:PORT), got {args.listen!r}.")
    proxy = FaultProxy(args.target, host=host or "127.0.0.1", port=int(port_text), faults=args.faults,
                       seed=args.seed).start()
    stop = threading.Event()
    on_termination(stop.set)
    print(f"proxy {proxy.url} -> {args.target}; {proxy.status()}", file=sys.stderr, flush=True)
    lines = ControlLines(lambda line: control(proxy, line, stop), stop.is_set, port=args.control_port, name="proxy")
    try:
        lines.start()
        stop.wait()
    finally:
        lines.close()
        proxy.stop()
    return 0


def control(proxy: FaultProxy, line: str, stop: threading.Event) -> str:
    from terminal.errors import BadInput

    words = line.strip().split(maxsplit=1)
    if not words:
        return ""
    try:
        if words[0] == "faults":
            proxy.set_faults(words[1] if len(words) > 1 else "")
        elif words[0] == "clear":
            proxy.set_faults("")
        elif words[0] == "quit":
            stop.set()
            return "bye"
        elif words[0] != "status":
            return "unknown command; use: faults SPEC | clear | status | quit"
    except BadInput as exc:
        return f"error: {exc.cashier_message}"
    return proxy.status()
