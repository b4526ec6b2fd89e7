"""The benefit policy as data: buckets, deductibles, ratios and caps.

The demo policy of DESIGN.md ships as config/policy.json; a region's real
numbers are another file, never code. The service serves the same structure
under `policy` in its 1301 catalog download so terminals can estimate offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from terminal.config import config_path
from terminal.errors import BadInput, ConfigError
from terminal.files import read_json_file
from terminal.money import DecimalFieldError, fmt_amount, fmt_decimal, parse_decimal


class PolicyError(BadInput):
    """The policy has no rule for what was asked (unknown med_type, insutype...)."""


@dataclass(frozen=True, slots=True)
class PolicyRule:
    insutype: str
    psn_type: str | None  # None: any person type
    bucket: str
    deductible: Decimal
    ratio: Decimal
    cap: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "insutype": self.insutype,
            "psn_type": self.psn_type,
            "bucket": self.bucket,
            "deductible": fmt_amount(self.deductible),
            "ratio": fmt_decimal(self.ratio),
            "cap": fmt_amount(self.cap),
        }


@dataclass(frozen=True)
class Policy:
    region: str
    name: str
    class_b_selfpay_prop: Decimal
    med_type_buckets: Mapping[str, str]
    account_insutypes: frozenset[str]
    rules: tuple[PolicyRule, ...]

    def bucket_for(self, med_type: str) -> str:
        try:
            return self.med_type_buckets[med_type]
        except KeyError:
            raise PolicyError(
                f"Medical type {med_type!r} is not covered by the policy; choose pharmacy (41), "
                "outpatient (11) or inpatient (21).") from None

    def rule_for(self, insutype: str, psn_type: str, bucket: str) -> PolicyRule:
        # An exact person-type rule wins over an "any person type" rule.
        fallback = None
        for rule in self.rules:
            if rule.insutype != insutype or rule.bucket != bucket:
                continue
            if rule.psn_type == psn_type:
                return rule
            if rule.psn_type is None and fallback is None:
                fallback = rule
        if fallback is None:
            raise PolicyError(
                f"The policy has no {bucket} benefit for insurance type {insutype} and person type "
                f"{psn_type}; settle this sale as cash.")
        return fallback

    def has_account(self, insutype: str) -> bool:
        return insutype in self.account_insutypes

    def to_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "name": self.name,
            "class_b_selfpay_prop": fmt_decimal(self.class_b_selfpay_prop),
            "med_type_buckets": dict(self.med_type_buckets),
            "account_insutypes": sorted(self.account_insutypes),
            "rules": [rule.to_json() for rule in self.rules],
        }

    @classmethod
    def from_json(cls, data: object, *, source: str = "") -> Policy:
        try:
            return _policy_from_json(data)
        except (KeyError, TypeError, AttributeError, DecimalFieldError) as exc:
            what = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            where = f" {source}" if source else ""
            raise ConfigError(f"The benefit policy{where} is malformed: {what}.",
                              detail=type(exc).__name__) from None


def _policy_from_json(data: object) -> Policy:
    if not isinstance(data, dict):
        raise TypeError("it must be a JSON object")
    one = Decimal(1)
    if not isinstance(data["rules"], list) or not all(isinstance(r, dict) for r in data["rules"]):
        raise TypeError("rules must be a list of objects")
    rules = []
    for raw in data["rules"]:
        psn_type = raw.get("psn_type")
        if psn_type is not None and not isinstance(psn_type, str):
            raise TypeError("psn_type must be a string or null")
        rules.append(PolicyRule(
            insutype=str(raw["insutype"]),
            psn_type=psn_type,
            bucket=str(raw["bucket"]),
            deductible=parse_decimal(raw["deductible"], "deductible", max_places=2, minimum=Decimal(0)),
            ratio=parse_decimal(raw["ratio"], "ratio", max_places=4, minimum=Decimal(0), maximum=one),
            cap=parse_decimal(raw["cap"], "cap", max_places=2, minimum=Decimal(0)),
        ))
    account_insutypes = data.get("account_insutypes", ["310"])
    if not isinstance(account_insutypes, list) or not all(isinstance(x, str) for x in account_insutypes):
        raise TypeError("account_insutypes must be a list of insutype strings")
    buckets = data["med_type_buckets"]
    if not isinstance(buckets, dict) or not all(isinstance(v, str) for v in buckets.values()):
        raise TypeError("med_type_buckets must map med_type to a bucket name")
    return Policy(
        region=str(data.get("region", "")),
        name=str(data.get("name", "")),
        class_b_selfpay_prop=parse_decimal(
            data["class_b_selfpay_prop"], "class_b_selfpay_prop", minimum=Decimal(0), maximum=one),
        med_type_buckets={str(k): v for k, v in buckets.items()},
        account_insutypes=frozenset(account_insutypes),
        rules=tuple(rules),
    )


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy file named, or the demo policy shipped in config/."""
    source = Path(path) if path else config_path("policy.json")
    return Policy.from_json(read_json_file(source, "policy", config=True), source=str(source))
