"""The hospital desks' messages as the terminal sends them: outpatient visits (2201-2208), inpatient stays
(2401-2405, 2301-2305). Inputs only; the journal and the sending are terminal.offline.visit_journal's.

Field names are the platform's (DESIGN.md); the simulated service reads the ones it
needs (terminal/sim/settlement/handlers_visits.py) and ignores the rest, as the
platform's own optional fields. The form's text is checked here, so a bad entry is a
sentence before anything is journaled or sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from terminal.domain import MedType
from terminal.errors import BadInput
from terminal.money import fmt_amount

ALL_FEES = "0000"  # 2205 / 2302: every unsettled fee of the visit
# ICD-10 as the platform codes diagnoses: a letter, two digits, optionally a dot and up to 4 more.
DIAGNOSIS = re.compile(r"[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?")
# Discharge ways (dscg_way): 1 on medical advice, 2 transferred, 3 to a community facility, 4 against
# advice, 5 died, 9 other.
DISCHARGE_WAYS = ("1", "2", "3", "4", "5", "9")
SETTLING_ITEMS = {"2207": "feedetail", "2304": "feedetail"}


class BadEntry(BadInput):
    """A field of a desk's form the clerk must correct (named)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", detail=field)
        self.field = field


def _text(field: str, value: str, *, max_len: int = 30, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise BadEntry(field, "fill it in.")
    if len(value) > max_len:
        raise BadEntry(field, f"at most {max_len} characters.")
    if any(ord(ch) < 32 for ch in value):
        raise BadEntry(field, "no control characters.")
    return value


def code_and_name(field: str, value: str) -> tuple[str, str]:
    """"A03 内科" -> ("A03", "内科"); a lone word is both the code and the name."""
    text = _text(field, value, max_len=60)
    code, _, name = text.partition(" ")
    return _text(field, code, max_len=20), (name.strip() or code)


@dataclass(frozen=True)
class Registration:
    """The outpatient registration form (2201)."""

    department: str  # "code name"
    doctor: str  # "code name"
    ipt_otp_no: str  # the hospital's outpatient number


@dataclass(frozen=True)
class Admission:
    """The admission form (2401)."""

    department: str
    ward: str
    bed: str
    diagnosis: str  # ICD-10 code, optionally followed by its name
    ipt_no: str  # the hospital's inpatient number
    deposit: Decimal  # taken at the admission desk; offset at the discharge settlement


def check_diagnosis(value: str) -> tuple[str, str]:
    code, name = code_and_name("Diagnosis", value)
    code = code.upper()
    if not DIAGNOSIS.fullmatch(code):
        raise BadEntry("Diagnosis", f"{code} is not an ICD-10 code such as J18.900.")
    return code, name


def _person(cert: dict[str, str], psn_no: str, insutype: str) -> dict[str, str]:
    return {**cert, "psn_no": psn_no, "insutype": insutype}


def register_input(cert: dict[str, str], psn_no: str, insutype: str, form: Registration,
                   begntime: str) -> dict[str, Any]:
    dept_code, dept_name = code_and_name("Department", form.department)
    doctor_code, doctor_name = code_and_name("Doctor", form.doctor)
    return {"data": {**_person(cert, psn_no, insutype), "med_type": MedType.OUTPATIENT.value, "begntime": begntime,
                     "ipt_otp_no": _text("Outpatient number", form.ipt_otp_no), "dept_code": dept_code,
                     "dept_name": dept_name, "caty": dept_code, "atddr_no": doctor_code, "dr_name": doctor_name}}


def admit_input(cert: dict[str, str], psn_no: str, insutype: str, form: Admission, begntime: str) -> dict[str, Any]:
    dept_code, dept_name = code_and_name("Department", form.department)
    diag_code, diag_name = check_diagnosis(form.diagnosis)
    ward = _text("Ward", form.ward)
    bed = _text("Bed", form.bed, max_len=20)
    if form.deposit < 0:
        raise BadEntry("Deposit", "cannot be below 0.")
    return {"data": {**_person(cert, psn_no, insutype), "med_type": MedType.INPATIENT.value, "begntime": begntime,
                     "ipt_no": _text("Inpatient number", form.ipt_no), "adm_dept_codg": dept_code,
                     "adm_dept_name": dept_name, "wardarea_name": ward, "adm_bed": bed,
                     "adm_diag_dscr": diag_name, "dscg_maindiag_code": diag_code},
            "diseinfo": [{"diag_type": "1", "diag_srt_no": "1", "diag_code": diag_code, "diag_name": diag_name,
                          "vali_flag": "1"}]}


def visit_key(mdtrt_id: str, psn_no: str, **more: str) -> dict[str, Any]:
    """2202, 2205, 2208, 2302, 2305, 2402, 2404, 2405: the visit, the person and what the message names."""
    return {"data": {"mdtrt_id": mdtrt_id, "psn_no": psn_no, **more}}


def fees_input(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """2204 / 2301: the feedetail entries (each names its visit and person)."""
    return {"feedetail": entries}


def settle_input(cert: dict[str, str], psn_no: str, insutype: str, mdtrt_id: str, med_type: MedType,
                 medfee: Decimal, *, acct_used: bool) -> dict[str, Any]:
    """2206/2207 and 2303/2304: medfee_sumamt is the sum of the visit's unsettled fees, as the service checks."""
    data: dict[str, Any] = {**_person(cert, psn_no, insutype), "mdtrt_id": mdtrt_id, "med_type": med_type.value,
                            "medfee_sumamt": fmt_amount(medfee), "acct_used_flag": "1" if acct_used else "0",
                            "psn_setlway": "01"}
    if med_type is MedType.INPATIENT:
        data["mid_setl_flag"] = "0"  # settled at discharge, not during the stay
    return {"data": data}


def discharge_input(mdtrt_id: str, psn_no: str, endtime: str, dscg_way: str) -> dict[str, Any]:
    if dscg_way not in DISCHARGE_WAYS:
        raise BadEntry("Discharge way", f"{dscg_way!r} is not one of {', '.join(DISCHARGE_WAYS)}.")
    return visit_key(mdtrt_id, psn_no, endtime=endtime, dscg_way=dscg_way)
