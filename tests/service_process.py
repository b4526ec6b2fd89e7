"""Test-side names for the settlement-service runner in terminal.sim.processes."""

from terminal.sim.processes import REPO, ServiceProcess
from terminal.sim.processes import free_loopback_port as free_port
from terminal.sim.processes import running_settlement_service as running_service
from terminal.sim.processes import start_settlement_service as start_service

__all__ = ["REPO", "ServiceProcess", "free_port", "running_service", "start_service", "stop_service"]


def stop_service(service: ServiceProcess) -> None:
    service.stop()
