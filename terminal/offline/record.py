"""One journaled transaction as the rest of the terminal sees it, and as commands print it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from terminal.money import ZERO, fmt_amount
from terminal.offline.states import Kind, State
from terminal.privacy import mask_fields, mask_id, redact


@dataclass(frozen=True)
class Txn:
    local_id: str
    kind: Kind
    state: State
    msgid: str | None
    infno: str | None
    psn_no: str | None
    insutype: str | None
    sale_time: str
    operator: str
    request: dict[str, Any]
    estimate: dict[str, Any] | None  # setlinfo of the pre-settlement or of the offline estimate
    answer: dict[str, Any] | None  # the service's output: setlinfo, setldetail and the item answers
    medfee_sumamt: Decimal
    cash_collected: Decimal | None
    attempts: int
    last_error: str | None
    refers_to: str | None
    next_attempt_at: float
    receipt_no: str | None
    person_key: str | None
    setl_time: str | None
    created_at: float
    updated_at: float
    lease_owner: str | None = None
    lease_until: float = 0.0
    buyer_id: str | None = None  # the ID of the buyer of a restricted drug, recorded as the rules ask
    approved_by: str | None = None  # the supervisor who approved it (a reversal)

    @classmethod
    def from_row(cls, row: Any) -> Txn:
        def loads(text: str | None) -> Any:
            return None if text is None else json.loads(text)

        cash = row["cash_collected"]
        return cls(
            local_id=row["local_id"], kind=Kind(row["kind"]), state=State(row["state"]), msgid=row["msgid"],
            infno=row["infno"], psn_no=row["psn_no"], insutype=row["insutype"], sale_time=row["sale_time"],
            operator=row["operator"], request=json.loads(row["request"]), estimate=loads(row["estimate"]),
            answer=loads(row["answer"]), medfee_sumamt=Decimal(row["medfee_sumamt"]),
            cash_collected=None if cash is None else Decimal(cash), attempts=row["attempts"],
            last_error=row["last_error"], refers_to=row["refers_to"], next_attempt_at=row["next_attempt_at"],
            receipt_no=row["receipt_no"], person_key=row["person_key"], setl_time=row["setl_time"],
            created_at=row["created_at"], updated_at=row["updated_at"], lease_owner=row["lease_owner"],
            lease_until=row["lease_until"], buyer_id=row["buyer_id"], approved_by=row["approved_by"])

    @property
    def actual(self) -> dict[str, Any] | None:
        """The service's setlinfo once it settled (or reversed) this transaction."""
        if self.answer is None:
            return None
        info = self.answer.get("setlinfo")
        return info if isinstance(info, dict) else None

    @property
    def amount_due(self) -> Decimal:
        """What the patient still owes (positive) or is owed back (negative) for a sale made offline.

        Forwarded and settled: the cash part the service settled minus the cash collected at the
        counter. Declined: everything the insurance did not pay, i.e. the bill minus the cash collected.
        """
        collected = self.cash_collected if self.cash_collected is not None else ZERO
        if self.state is State.FORWARDED_SETTLED and self.actual is not None:
            return Decimal(str(self.actual.get("psn_cash_pay", "0.00"))) - collected
        if self.state is State.FORWARD_DECLINED:
            return self.medfee_sumamt - collected
        return ZERO

    def to_json(self, *, masked: bool = False, personal_data: bool = False) -> dict[str, Any]:
        """The row as `sale`, `queue list` and exports print it.

        Names and ID numbers inside the estimate and the answer are masked unless `personal_data`;
        `masked` (exports, logs) masks the person number too.
        """
        due = self.amount_due
        out: dict[str, Any] = {
            "local_id": self.local_id,
            "kind": self.kind.value,
            "msgid": self.msgid,
            "state": self.state.value,
            "psn_no": mask_id(self.psn_no) if masked and self.psn_no else self.psn_no,
            "insutype": self.insutype,
            "sale_time": self.sale_time,
            "medfee_sumamt": fmt_amount(self.medfee_sumamt),
            "estimate": self.estimate,
            "actual": self.actual,
            "cash_collected": None if self.cash_collected is None else fmt_amount(self.cash_collected),
            "refund_due": fmt_amount(-due) if due < 0 else "0.00",
            "amount_owed": fmt_amount(due) if due > 0 else "0.00",
            "receipt_no": self.receipt_no,
            "operator": self.operator,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "refers_to": self.refers_to,
            "setl_time": self.setl_time,
            "buyer_id": self.buyer_id,
            "approved_by": self.approved_by,
        }
        if personal_data and not masked:
            return out
        if masked and self.last_error:
            # A refusal may name the person: mask every name and number this row knows of.
            out["last_error"] = redact(self.last_error, *self._personal_values())
        return mask_fields(out)

    def _personal_values(self) -> tuple[list[str], list[str]]:
        names, ids = [], [self.psn_no or ""]
        for info in (self.estimate, self.actual):
            if info:
                names.append(str(info.get("psn_name") or ""))
                ids.append(str(info.get("certno") or ""))
        data = self.request.get("data")
        if isinstance(data, dict):
            ids += [str(data.get(k) or "") for k in ("mdtrt_cert_no", "certno", "card_sn")]
        return names, ids
