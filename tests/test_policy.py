"""The benefit policy as data: the demo policy of DESIGN.md, rule selection, round trip, errors."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from terminal.errors import BadInput, ConfigError
from terminal.policy import Policy, PolicyError, PolicyRule, load_policy

# The demo policy table of DESIGN.md, written out by hand.
DEMO_JSON: dict[str, Any] = {
    "region": "120000",
    "name": "Demo policy (illustrative numbers, not any city's law)",
    "class_b_selfpay_prop": "0.10",
    "med_type_buckets": {"41": "outpatient", "11": "outpatient", "21": "inpatient"},
    "account_insutypes": ["310"],
    "rules": [
        {"insutype": "310", "psn_type": "11", "bucket": "outpatient", "deductible": "800.00",
         "ratio": "0.50", "cap": "10000.00"},
        {"insutype": "310", "psn_type": "12", "bucket": "outpatient", "deductible": "700.00",
         "ratio": "0.70", "cap": "15000.00"},
        {"insutype": "390", "psn_type": None, "bucket": "outpatient", "deductible": "200.00",
         "ratio": "0.50", "cap": "3000.00"},
        {"insutype": "310", "psn_type": None, "bucket": "inpatient", "deductible": "1200.00",
         "ratio": "0.85", "cap": "200000.00"},
        {"insutype": "390", "psn_type": None, "bucket": "inpatient", "deductible": "800.00",
         "ratio": "0.60", "cap": "150000.00"},
    ],
}


def test_demo_policy_is_the_design_table() -> None:
    policy = load_policy()
    assert policy.to_json() == DEMO_JSON
    assert policy.region == "120000"
    assert policy.class_b_selfpay_prop == Decimal("0.10")
    assert policy.has_account("310")
    assert not policy.has_account("390")


@pytest.mark.parametrize(("med_type", "bucket"), [
    ("41", "outpatient"), ("11", "outpatient"), ("21", "inpatient")])
def test_demo_buckets(med_type: str, bucket: str) -> None:
    assert load_policy().bucket_for(med_type) == bucket


@pytest.mark.parametrize(("insutype", "psn_type", "bucket", "rule"), [
    ("310", "11", "outpatient", ("310", "11", "800.00", "0.50", "10000.00")),
    ("310", "12", "outpatient", ("310", "12", "700.00", "0.70", "15000.00")),
    ("390", "11", "outpatient", ("390", None, "200.00", "0.50", "3000.00")),
    ("390", "21", "outpatient", ("390", None, "200.00", "0.50", "3000.00")),
    ("310", "11", "inpatient", ("310", None, "1200.00", "0.85", "200000.00")),
    ("310", "12", "inpatient", ("310", None, "1200.00", "0.85", "200000.00")),
    ("390", "21", "inpatient", ("390", None, "800.00", "0.60", "150000.00")),
])
def test_demo_rule_selection(insutype: str, psn_type: str, bucket: str,
                             rule: tuple[str, str | None, str, str, str]) -> None:
    found = load_policy().rule_for(insutype, psn_type, bucket)
    assert (found.insutype, found.psn_type, str(found.deductible), str(found.ratio),
            str(found.cap)) == rule
    assert found.bucket == bucket


def test_unknown_med_type_and_missing_rules_raise_policy_error() -> None:
    policy = load_policy()
    with pytest.raises(PolicyError, match="'99'"):
        policy.bucket_for("99")
    with pytest.raises(PolicyError, match="320"):
        policy.rule_for("320", "11", "outpatient")
    # 310 outpatient has exact rules for 11 and 12 and no "any" rule.
    with pytest.raises(PolicyError, match="13"):
        policy.rule_for("310", "13", "outpatient")
    with pytest.raises(PolicyError):
        policy.rule_for("310", "11", "dental")
    assert issubclass(PolicyError, BadInput)


def two_rule_policy(any_first: bool) -> Policy:
    any_rule = {"insutype": "310", "psn_type": None, "bucket": "outpatient",
                "deductible": "100.00", "ratio": "0.40", "cap": "1000.00"}
    exact = {"insutype": "310", "psn_type": "12", "bucket": "outpatient",
             "deductible": "50.00", "ratio": "0.90", "cap": "2000.00"}
    data = {**copy.deepcopy(DEMO_JSON),
            "rules": [any_rule, exact] if any_first else [exact, any_rule]}
    return Policy.from_json(data)


@pytest.mark.parametrize("any_first", [True, False])
def test_exact_psn_type_beats_any(any_first: bool) -> None:
    policy = two_rule_policy(any_first)
    exact = policy.rule_for("310", "12", "outpatient")
    assert (exact.psn_type, str(exact.ratio)) == ("12", "0.90")
    other = policy.rule_for("310", "11", "outpatient")
    assert (other.psn_type, str(other.ratio)) == (None, "0.40")


def test_round_trip_through_json() -> None:
    policy = load_policy()
    again = Policy.from_json(json.loads(json.dumps(policy.to_json())))
    assert again == policy
    assert again.to_json() == policy.to_json()


def test_round_trip_keeps_four_place_ratio(tmp_path: Path) -> None:
    data = copy.deepcopy(DEMO_JSON)
    data["rules"][0]["ratio"] = "0.8125"
    data["class_b_selfpay_prop"] = "0.1500"
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(data))
    policy = load_policy(path)
    rule = policy.rule_for("310", "11", "outpatient")
    assert rule == PolicyRule("310", "11", "outpatient", Decimal("800.00"), Decimal("0.8125"),
                              Decimal("10000.00"))
    assert policy.to_json()["rules"][0]["ratio"] == "0.8125"
    assert policy.to_json()["class_b_selfpay_prop"] == "0.1500"
    assert Policy.from_json(policy.to_json()) == policy


def test_load_policy_from_a_named_file(tmp_path: Path) -> None:
    data = copy.deepcopy(DEMO_JSON)
    data["region"] = "990000"
    data["rules"][2]["cap"] = "4000.00"
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(data))
    policy = load_policy(str(path))
    assert policy.region == "990000"
    assert str(policy.rule_for("390", "21", "outpatient").cap) == "4000.00"


def broken(mutate: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEMO_JSON)
    mutate(data)
    return data


def set_rule(field: str, value: Any) -> Any:
    return lambda d: d["rules"][0].__setitem__(field, value)


MALFORMED: list[tuple[str, Any]] = [
    ("not an object", [DEMO_JSON]),
    ("null", None),
    ("rules missing", broken(lambda d: d.pop("rules"))),
    ("rules null", broken(lambda d: d.__setitem__("rules", None))),
    ("rule missing ratio", broken(lambda d: d["rules"][0].pop("ratio"))),
    ("rule missing insutype", broken(lambda d: d["rules"][0].pop("insutype"))),
    ("ratio above 1", broken(set_rule("ratio", "1.5"))),
    ("ratio negative", broken(set_rule("ratio", "-0.5"))),
    ("ratio a float", broken(set_rule("ratio", 0.5))),
    ("ratio not a number", broken(set_rule("ratio", "half"))),
    ("deductible three places", broken(set_rule("deductible", "800.005"))),
    ("deductible negative", broken(set_rule("deductible", "-1.00"))),
    ("cap negative", broken(set_rule("cap", "-1.00"))),
    ("cap missing", broken(lambda d: d["rules"][0].pop("cap"))),
    ("psn_type a number", broken(set_rule("psn_type", 11))),
    ("buckets missing", broken(lambda d: d.pop("med_type_buckets"))),
    ("buckets a list", broken(lambda d: d.__setitem__("med_type_buckets", ["41"]))),
    ("bucket name a number", broken(lambda d: d["med_type_buckets"].__setitem__("41", 1))),
    ("class B default missing", broken(lambda d: d.pop("class_b_selfpay_prop"))),
    ("class B default above 1", broken(lambda d: d.__setitem__("class_b_selfpay_prop", "2"))),
]


@pytest.mark.parametrize("data", [d for _, d in MALFORMED], ids=[n for n, _ in MALFORMED])
def test_malformed_policy_raises_config_error(data: Any) -> None:
    with pytest.raises(ConfigError):
        Policy.from_json(data)


# Malformed shapes that once escaped as AttributeError (rules entries that are not objects) or were
# silently misread (account_insutypes "310" read as {"3", "1", "0"}).
MALFORMED_UNCAUGHT: list[tuple[str, Any]] = [
    ("rule not an object", broken(lambda d: d.__setitem__("rules", ["310"]))),
    ("rules an object", broken(lambda d: d.__setitem__("rules", {"310": "11"}))),
    ("account_insutypes a string", broken(lambda d: d.__setitem__("account_insutypes", "310"))),
]


@pytest.mark.parametrize("data", [d for _, d in MALFORMED_UNCAUGHT],
                         ids=[n for n, _ in MALFORMED_UNCAUGHT])
def test_malformed_policy_shapes_raise_config_error(data: Any) -> None:
    with pytest.raises(ConfigError):
        Policy.from_json(data)


@pytest.mark.parametrize(("content", "what"), [
    (None, "does not exist"),
    (b"{not json", "not valid JSON"),
    (b"", "is empty"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"[1, 2]", "must be a JSON object"),
    (b"[" * 100_000, "nested too deeply"),
])
def test_unusable_policy_file_raises_config_error(tmp_path: Path, content: bytes | None,
                                                  what: str) -> None:
    path = tmp_path / "policy.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_policy(path)
    assert what in caught.value.cashier_message and str(path) in caught.value.cashier_message
