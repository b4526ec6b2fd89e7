"""Building the service from files and running it on uvicorn."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import uvicorn

from terminal.catalog import Catalog, load_catalog
from terminal.config import config_path
from terminal.faults import sqlite_fault
from terminal.files import read_json_file
from terminal.policy import load_policy
from terminal.settings import ServiceSettings
from terminal.sim.settlement.app import create_app
from terminal.sim.settlement.call import ServiceContext
from terminal.sim.settlement.seed import PersonSeed, load_persons, read_person_seeds
from terminal.sim.settlement.service import SettlementService
from terminal.sim.settlement.store import Store
from terminal.voucher import load_private_key, public_pem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceFiles:
    db: Path
    persons: Path | None = None
    catalog: Path | None = None
    policy: Path | None = None
    issuer_key: Path | None = None
    paasid: str | None = None
    token: str | None = None
    require_sign_in: bool = False


def service_factory(files: ServiceFiles, clock: Callable[[], float] = time.time
                    ) -> Callable[[], SettlementService]:
    """Read and check every file now (so errors surface before the port opens)."""
    policy = load_policy(files.policy)
    catalog = load_catalog(files.catalog)
    seeds = read_person_seeds(read_json_file(files.persons or config_path("persons.json"), "persons", config=True),
                              policy.account_insutypes)
    key_path = files.issuer_key or config_path("demo-issuer-key.pem")
    issuer = load_private_key(key_path, create=True)
    public_path = key_path.with_name(key_path.name.removesuffix(".pem") + ".pub.pem")
    if not public_path.exists():
        public_path.write_bytes(public_pem(issuer))
    # The simulated service trusts the demo terminal's credentials unless told otherwise.
    demo = ServiceSettings()
    _prepare_database(files.db, seeds, catalog, datetime.fromtimestamp(clock()).year)

    def build() -> SettlementService:
        return SettlementService(ServiceContext(
            store=Store(files.db), policy=policy, catalog=catalog, issuer_key=issuer.public_key(),
            paasid=files.paasid or demo.paasid, token=files.token or demo.token,
            clock=clock, region=policy.region or "120000", require_sign_in=files.require_sign_in))

    return build


def _prepare_database(db: Path, seeds: list[PersonSeed], catalog: Catalog, year: int) -> None:
    """Check, create or migrate the database and load persons and catalog, before the port opens.

    Whatever is wrong with the file is then a sentence on the command line (database.open_database
    sorts it), not a traceback from the server's startup.
    """
    store = Store(db)
    try:
        with store.transaction():
            added = load_persons(store, seeds, year)
            store.replace_catalog(catalog)
    except sqlite3.Error as exc:
        fault = sqlite_fault(exc, f"the settlement service database {db}")
        if fault is None:
            raise
        raise fault from None
    finally:
        store.close()
    log.info("settlement service: %d persons added, %d catalog entries", added, len(catalog))


def serve(files: ServiceFiles, host: str, port: int, on_ready: Callable[[], None] = lambda: None) -> None:
    """Run the service; `on_ready` runs once every file has been checked, just before the port opens."""
    app = create_app(service_factory(files))
    on_ready()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on")
