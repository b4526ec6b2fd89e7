"""`python -m terminal split --input FILE [--policy FILE]`: an offline split."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.basket import read_priced_line
from terminal.commands import emit_json
from terminal.domain import SplitResult
from terminal.fields import Fields
from terminal.files import read_json_file
from terminal.policy import Policy, load_policy
from terminal.split import SplitContext, split

SPLIT_SETLINFO_NULLS = (
    "mdtrt_id", "setl_id", "psn_no", "psn_name", "psn_cert_type", "certno", "gend", "brdy", "age",
    "setl_time", "mdtrt_cert_type", "medins_setl_id", "clr_way", "clr_type", "clr_optins",
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("split", help="compute a split offline with the engine",
                            description=__doc__)
    parser.add_argument("--input", required=True, help="JSON file with the bill and the person's state")
    parser.add_argument("--policy", help="policy JSON (default: the demo policy in config/)")
    parser.set_defaults(run=run)


def read_split_request(data: object) -> tuple[list[Any], SplitContext]:
    f = Fields(data, "input")
    lines = [read_priced_line(item) for item in f.items("items")]
    ctx = SplitContext(
        med_type=f.text("med_type", max_len=4),
        insutype=f.text("insutype", max_len=6),
        psn_type=f.text("psn_type", max_len=6),
        acct_used=f.text("acct_used_flag", choices=("0", "1")) == "1",
        balc=f.amount("balc"),
        holder_balc=f.amount("holder_balc") if f.has("holder_balc") else None,
        dedc_used=f.amount("dedc_used"),
        fund_used=f.amount("fund_used"),
    )
    return lines, ctx


def split_json(result: SplitResult, ctx: SplitContext) -> dict[str, Any]:
    setlinfo: dict[str, Any] = dict.fromkeys(SPLIT_SETLINFO_NULLS)
    setlinfo.update(med_type=ctx.med_type, insutype=ctx.insutype, psn_type=ctx.psn_type)
    setlinfo.update(result.totals.to_json())
    return {
        "setlinfo": setlinfo,
        "setldetail": [row.to_json() for row in result.setldetail],
        "items": [item.to_json() for item in result.items],
    }


def run(args: argparse.Namespace) -> int:
    policy: Policy = load_policy(args.policy)
    lines, ctx = read_split_request(read_json_file(args.input, "split input"))
    result = split(lines, ctx, policy)
    emit_json(split_json(result, ctx))
    return 0
