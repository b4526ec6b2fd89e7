"""Fuzzing the settlement service: envelopes, headers, bodies and every message input (service_fuzz.py).

Every generated request gets a well-formed answer that is never "internal error", no traceback is
logged, and a refusal changes nothing. CI runs a short sample (FUZZ_EXAMPLES raises it; the long
run is `bench/fuzz_service.py --examples 5000`): in process against SettlementService for speed,
and a tenth as many over HTTP against the real service process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from service_fuzz import examples, request
from service_fuzz_targets import ErrorLog, Local, Remote, check
from service_helpers import in_process, module_service

FUZZ = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.data_too_large])
CI_EXAMPLES = 2000


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Local]:
    errors = ErrorLog()
    logging.getLogger("terminal").addHandler(errors)
    try:
        with in_process(tmp_path_factory.mktemp("fuzz") / "service.db") as service:
            yield Local(service)
    finally:
        logging.getLogger("terminal").removeHandler(errors)
    assert not errors.records, errors.messages()


@settings(FUZZ, max_examples=examples(CI_EXAMPLES))
@given(data=st.data())
def test_fuzzed_requests_in_process(local: Local, data: st.DataObject) -> None:
    event(check(local, data.draw(request(local.world), label="request")))


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    with module_service(tmp_path_factory, "fuzz-http") as service:
        target = Remote(service)
        try:
            yield target
        finally:
            target.close()
        assert not target.log_problems(), target.log_problems()


@settings(FUZZ, max_examples=max(1, examples(CI_EXAMPLES) // 10))
@given(data=st.data())
def test_fuzzed_requests_over_http(remote: Remote, data: st.DataObject) -> None:
    event(check(remote, data.draw(request(remote.world, http=True), label="request")))
    assert not remote.log_problems()
