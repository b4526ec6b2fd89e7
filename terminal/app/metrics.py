"""Health for the chain's monitoring: a Prometheus endpoint on each counter (and on `forward` run as a service).

What an IT team watching 200 counters needs per counter, read when Prometheus
scrapes (so nothing is computed between scrapes, and a stopped counter simply
stops answering): the service's state and last success, the request latency per
infno (the only thing recorded as it happens, from the client's timing hook), the
queued sales (count, amount, the oldest's age), forward-declined and
needs-attention counts, each device's state and disconnections, the camera's frames
and decode time, and the journal's size on disk. No label carries personal data:
the labels are infnos, outcomes, states and device names, never a person, a
receipt or a message number. prometheus-client serves it (`/metrics`).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Histogram, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from terminal.client import SettlementClient
from terminal.devices.device import DeviceState
from terminal.offline.health import Health, ServiceState
from terminal.offline.journal import Journal

log = logging.getLogger(__name__)

# Seconds: from a loopback answer to the 8 s read timeout of a slow service.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
JOURNAL_READ_S = 5.0


class Watched(Protocol):
    """What the collector reads: a counter's station, or `forward`'s journal and client alone."""

    @property
    def journal(self) -> Journal: ...

    def health_now(self) -> Health | None: ...

    def device_states(self) -> Iterable[tuple[str, DeviceState, int]]: ...

    def camera_counts(self) -> tuple[int, int, float | None] | None: ...


class CounterCollector(Collector):
    def __init__(self, watched: Watched, journal_file: Path) -> None:
        self.watched = watched
        self.journal_file = journal_file

    def collect(self) -> Iterator[Metric]:
        yield from self._service()
        yield from self._queue()
        yield from self._devices()
        yield from self._journal_size()

    def _service(self) -> Iterator[Metric]:
        health = self.watched.health_now()
        if health is None:
            return
        state = GaugeMetricFamily("counter_service_state", "1 for the settlement service's state as this counter "
                                  "sees it (online, degraded, offline, unknown)", labels=["state"])
        for each in ServiceState:
            state.add_metric([each.value], 1.0 if health.state is each else 0.0)
        yield state
        if health.last_success_at is not None:
            yield GaugeMetricFamily("counter_service_last_success_timestamp_seconds",
                                    "when the service last answered (unix time)", value=health.last_success_at)

    def _queue(self) -> Iterator[Metric]:
        try:
            stats: dict[str, Any] = self.watched.journal.run(lambda t: t.stats(time.time()), timeout_s=JOURNAL_READ_S)
        except Exception as exc:  # a closed or busy journal: the scrape still answers, without these
            log.warning("metrics: the journal could not be read: %s", exc)
            yield GaugeMetricFamily("counter_journal_readable", "1 when the journal answered the scrape", value=0)
            return
        yield GaugeMetricFamily("counter_journal_readable", "1 when the journal answered the scrape", value=1)
        states = stats["states"]
        yield GaugeMetricFamily("counter_queue_sales", "sales queued offline, not yet settled by the service",
                                value=stats["queued"])
        yield GaugeMetricFamily("counter_queue_amount_yuan", "their medical fees, in yuan",
                                value=float(stats["queued_amount"]))
        yield GaugeMetricFamily("counter_queue_oldest_age_seconds", "age of the oldest queued sale (0 when none)",
                                value=stats["oldest_queued_age_s"] or 0.0)
        yield GaugeMetricFamily("counter_forward_declined", "sales the service declined when forwarded",
                                value=states.get("forward-declined", 0))
        yield GaugeMetricFamily("counter_needs_attention", "transactions a person must look at",
                                value=states.get("needs-attention", 0))
        yield GaugeMetricFamily("counter_in_doubt", "messages whose outcome is not known yet",
                                value=states.get("sending", 0) + states.get("reversal-pending", 0))

    def _devices(self) -> Iterator[Metric]:
        state = GaugeMetricFamily("counter_device_state", "1 for each device's state", labels=["device", "state"])
        lost = CounterMetricFamily("counter_device_disconnections", "times a device went from ready to lost or "
                                   "failed (in the kept history)", labels=["device"])
        for name, current, disconnections in self.watched.device_states():
            for each in DeviceState:
                state.add_metric([name, each.value], 1.0 if current is each else 0.0)
            lost.add_metric([name], disconnections)
        yield state
        yield lost
        camera = self.watched.camera_counts()
        if camera is not None:
            captured, decoded, decode_ms = camera
            frames = CounterMetricFamily("counter_camera_frames", "camera frames", labels=["stage"])
            frames.add_metric(["captured"], captured)
            frames.add_metric(["decoded"], decoded)
            yield frames
            if decode_ms is not None:
                yield GaugeMetricFamily("counter_camera_decode_seconds", "the last frame's decode time",
                                        value=decode_ms / 1000.0)

    def _journal_size(self) -> Iterator[Metric]:
        size = 0
        for suffix in ("", "-wal"):
            try:
                size += os.stat(f"{self.journal_file}{suffix}").st_size
            except OSError:
                continue
        yield GaugeMetricFamily("counter_journal_bytes", "the journal's size on disk (with its write-ahead log)",
                                value=size)


class Metrics:
    """The registry of one process, the clients' timing hooked to it, and its endpoint once served."""

    def __init__(self, watched: Watched, journal_file: Path, clients: Iterable[SettlementClient]) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(CounterCollector(watched, journal_file))
        self.latency = Histogram("counter_request_seconds", "settlement service calls by infno and outcome "
                                 "(answered, unknown, unreachable)", ["infno", "outcome"],
                                 buckets=LATENCY_BUCKETS, registry=self.registry)
        for client in clients:
            client.timing = self.observe
        self._server: Any = None

    def observe(self, infno: str, seconds: float, outcome: str) -> None:
        # An infno is four digits (or ec.query): anything else would be a label from the wire, refused.
        if (infno.isdigit() and len(infno) == 4) or infno == "ec.query":
            self.latency.labels(infno, outcome).observe(seconds)

    def serve(self, bind: str, port: int) -> bool:
        """The /metrics endpoint on its own thread (prometheus-client's), until close(). False, and logged, when
        the address cannot be had (the port is taken): the counter sells and `forward` forwards without it."""
        try:
            self._server, _thread = start_http_server(port, addr=bind, registry=self.registry)
        except OSError as exc:
            log.error("metrics endpoint %s:%s not served: %s", bind, port, exc)
            return False
        return True

    @property
    def port(self) -> int | None:
        return int(self._server.server_port) if self._server is not None else None

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
