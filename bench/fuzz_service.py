"""Long fuzz run of the settlement service (the property of tests/test_service_fuzz.py, more examples).

    .venv/bin/python bench/fuzz_service.py [--examples 5000] [--http-examples 500]

Generated envelopes, headers, bodies and message inputs for every infno and ec.query
(tests/service_fuzz.py) go to SettlementService in this process, then a smaller sample to the
real service process over HTTP. Every answer must be well formed, never "internal error", with
no traceback logged, and a refusal must change nothing. Prints how many examples ran, how fast,
what the service answered, and any failure (exit 1).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from service_fuzz import request  # noqa: E402
from service_fuzz_targets import ErrorLog, Local, Remote, check  # noqa: E402
from service_helpers import in_process  # noqa: E402

from terminal.sim.processes import start_settlement_service  # noqa: E402


def run(target: Local | Remote, examples: int, http: bool, counts: Counter[str],
        after_each: Callable[[], None] = lambda: None) -> tuple[float, str | None]:
    """(seconds, the failure or None); `counts` tallies the outcome of every request sent."""

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        check(target, data.draw(request(target.world, http=http), label="request"), counts)
        after_each()

    start = time.perf_counter()
    try:
        fuzz()
        failure = None
    except Exception as exc:  # the falsifying example, reported below
        failure = f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - start, failure


def report(where: str, seconds: float, failure: str | None, counts: Counter[str]) -> None:
    sent = sum(counts.values())
    accepted = sum(n for outcome, n in counts.items() if outcome.endswith("accepted"))
    print(f"{where}: {sent} examples in {seconds:.1f} s ({sent / seconds:.0f}/s); "
          f"{accepted} accepted, {sent - accepted} refused; "
          f"{'FAILED' if failure else 'no failure'}")
    kinds = sorted({outcome.split(":")[0] for outcome in counts})
    print("  accepted/sent by message: " + ", ".join(
        f"{kind} {counts[kind + ': accepted']}/{counts[kind + ': accepted'] + counts[kind + ': refused']}"
        for kind in kinds))
    if failure:
        print(failure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=5000, help="requests to the service in process")
    parser.add_argument("--http-examples", type=int, default=500, help="requests over HTTP (0: none)")
    args = parser.parse_args()
    failed = False
    errors = ErrorLog()
    logging.getLogger("terminal").addHandler(errors)
    with tempfile.TemporaryDirectory() as tmp:
        counts: Counter[str] = Counter()
        with in_process(Path(tmp) / "fuzz.db") as service:
            seconds, failure = run(Local(service), args.examples, False, counts)
        if errors.records and not failure:
            failure = "the service logged errors: " + "; ".join(errors.messages()[:5])
        report("in process", seconds, failure, counts)
        failed |= failure is not None
        if args.http_examples > 0:
            counts = Counter()
            service_process = start_settlement_service(Path(tmp) / "fuzz-http.db", plain_catalog=True)
            remote = Remote(service_process)

            def log_is_clean() -> None:
                assert not remote.log_problems(), remote.log_problems()

            try:
                seconds, failure = run(remote, args.http_examples, True, counts, log_is_clean)
            finally:
                remote.close()
                service_process.stop()
            report("over HTTP", seconds, failure, counts)
            failed |= failure is not None
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
