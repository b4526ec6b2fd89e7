"""Loading demo persons into the service's database (the --persons file)."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from terminal.domain import Person
from terminal.errors import ConfigError
from terminal.fields import FieldError, Fields
from terminal.logs import remember_fields
from terminal.privacy import mask_id
from terminal.sim.settlement.store import Store

log = logging.getLogger(__name__)

MAX_FAMILY_MEMBERS = 5
BUCKETS = ("outpatient", "inpatient")


@dataclass(frozen=True)
class PersonSeed:
    person: Person
    dedc_used: dict[str, Decimal]
    fund_used: dict[str, Decimal]


def _used(f: Fields, name: str) -> dict[str, Decimal]:
    if not f.has(name):
        return {}
    used = f.obj(name)
    out = {}
    for bucket in used.data:
        if bucket not in BUCKETS:
            raise FieldError(f"{used.where}: unknown bucket {bucket!r} (use outpatient or inpatient)")
        out[bucket] = used.amount(bucket)
    return out


def person_seed_from_json(f: Fields) -> PersonSeed:
    brdy_text = f.text("brdy", pattern=r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}")
    try:
        brdy = date.fromisoformat(brdy_text)  # yyyy-MM-dd or yyyyMMdd
    except ValueError:
        raise FieldError(f"{f.where}.brdy is not a real date: {brdy_text}") from None
    person = Person(
        psn_no=f.text("psn_no", max_len=30, pattern=r"[!-~]+"),
        psn_name=f.text("psn_name", max_len=50),
        certno=f.text("certno", max_len=30),
        psn_cert_type=f.text("psn_cert_type", max_len=4, default="01"),
        gend=f.text("gend", choices=("0", "1", "2", "9")),  # GB/T 2261.1: unknown, male, female, unstated
        brdy=brdy,
        insutype=f.text("insutype", max_len=6),
        psn_type=f.text("psn_type", max_len=6),
        psn_insu_stas=f.text("psn_insu_stas", max_len=2),
        insuplc_admdvs=f.text("insuplc_admdvs", max_len=12),
        balc=f.amount("balc"),
        card_no=f.opt_text("card_no", max_len=30),
        card_sn=f.opt_text("card_sn", max_len=64),
        holder=f.opt_text("holder", max_len=30),
        emp_name=f.opt_text("emp_name", max_len=100) or "",
        cvlserv_flag=f.opt_text("cvlserv_flag", max_len=2) or "0",
    )
    return PersonSeed(person, _used(f, "dedc_used"), _used(f, "fund_used"))


def read_person_seeds(data: object, account_insutypes: frozenset[str]) -> list[PersonSeed]:
    """Validate a persons file as a whole: identities unique, families well formed."""
    if not isinstance(data, list):
        raise ConfigError("The persons file must be a JSON list of persons.")
    # The simulator holds a whole population: none of it may reach its log lines unmasked.
    remember_fields(data)
    try:
        seeds = [person_seed_from_json(Fields(entry, f"persons[{i}]")) for i, entry in enumerate(data)]
    except FieldError as exc:
        raise ConfigError(f"The persons file has a bad entry: {exc.cashier_message}") from None
    by_no = {s.person.psn_no: s.person for s in seeds}
    for key in ("psn_no", "certno", "card_no"):
        counts = Counter(getattr(s.person, key) for s in seeds if getattr(s.person, key))
        dupes = [value for value, n in counts.items() if n > 1]
        if dupes:
            # By position, with the number masked: the file's positions find it, and the message may be logged.
            where = [f"persons[{i}]" for i, s in enumerate(seeds) if getattr(s.person, key) == dupes[0]]
            raise ConfigError(f"The persons file repeats {key} {mask_id(dupes[0])} in {' and '.join(where)}.")
    for s in seeds:
        p = s.person
        if p.balc and p.insutype not in account_insutypes:
            # DESIGN.md: such a person's balance is 0. Say so, but settle with the file's number.
            log.warning("person %s has insutype %s, which has no personal account, but a balance of %s",
                        p.psn_no, p.insutype, p.balc)
        if p.holder is not None:
            holder = by_no.get(p.holder)
            if holder is None:
                raise ConfigError(f"Person {p.psn_no} is bound to holder {p.holder}, who is not in the file.")
            if holder.holder is not None or holder.psn_no == p.psn_no:
                raise ConfigError(f"Person {p.psn_no} is bound to {p.holder}, who is a bound member "
                                  "and cannot be a holder.")
    members = Counter(s.person.holder for s in seeds if s.person.holder)
    for holder_no, n in members.items():
        if n > MAX_FAMILY_MEMBERS:
            raise ConfigError(f"Holder {holder_no} binds {n} members; at most {MAX_FAMILY_MEMBERS} are allowed.")
    return seeds


def load_persons(store: Store, seeds: list[PersonSeed], year: int) -> int:
    """Insert the persons the database does not know yet; returns how many were added.

    Persons already in the database keep their state: the file seeds, it never
    overwrites balances or this year's usage after a restart.
    """
    added = 0
    # Holders first, so a member's foreign key finds its holder.
    for seed in sorted(seeds, key=lambda s: s.person.holder is not None):
        if store.person(seed.person.psn_no) is not None:
            continue
        store.insert_person(seed.person)
        for bucket in BUCKETS:
            dedc, fund = seed.dedc_used.get(bucket), seed.fund_used.get(bucket)
            if dedc or fund:
                store.add_usage(seed.person.psn_no, year, bucket, dedc or Decimal(0), fund or Decimal(0))
        added += 1
    return added
