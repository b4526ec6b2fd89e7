"""A journal as the first version of the terminal wrote it (schema 1), with sales queued offline.

Used by the journal migrate test and, copied into the chroot, by the package's upgrade test:
`python old_journal.py FILE` writes one there (run it as the user who owns the journal).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from terminal.offline.schema import MIGRATIONS

QUEUED = (("OLD-1", "M-OLD-1", "12.00"), ("OLD-2", "M-OLD-2", "30.50"))
REQUEST = {"data": {"psn_no": "P9", "mdtrt_cert_type": "03", "mdtrt_cert_no": "T10234560", "card_sn": "SN"},
           "drugdetail": []}


def write_old_journal(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(MIGRATIONS[0])
        conn.execute("PRAGMA user_version = 1")
        for local_id, msgid, amount in QUEUED:
            conn.execute("INSERT INTO txn(local_id, kind, state, msgid, sale_time, operator, request, medfee_sumamt, "
                         "created_at, updated_at, psn_no) VALUES (?, 'pharmacy-sale', 'offline-queued', ?, "
                         "'2026-11-01 09:00:00', '0001', ?, ?, 1, 1, 'P9')",
                         (local_id, msgid, json.dumps(REQUEST), amount))
        conn.commit()
    finally:
        conn.close()
    path.chmod(0o600)


if __name__ == "__main__":
    write_old_journal(Path(sys.argv[1]))
