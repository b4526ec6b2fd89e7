"""The journal's schema, as the list of forward migrations that built it.

`PRAGMA user_version` says how many of MIGRATIONS a journal has had; opening it
applies the rest, in one transaction each, so a journal made by any earlier
version of the terminal opens (its queued sales kept) and a newer one is refused
rather than misread. Amounts are text with two decimals, times unix seconds
(REAL) plus the sale time as the platform writes it.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: transactions and their history.
    """
    CREATE TABLE txn (
        local_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        msgid TEXT UNIQUE,
        infno TEXT,
        psn_no TEXT,
        insutype TEXT,
        sale_time TEXT NOT NULL,
        operator TEXT NOT NULL,
        request TEXT NOT NULL,
        estimate TEXT,
        answer TEXT,
        medfee_sumamt TEXT NOT NULL DEFAULT '0.00',
        cash_collected TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        refers_to TEXT REFERENCES txn(local_id),
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX txn_state ON txn(state);
    CREATE INDEX txn_psn ON txn(psn_no, sale_time);
    CREATE TABLE txn_event (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        local_id TEXT NOT NULL REFERENCES txn(local_id),
        at REAL NOT NULL,
        old_state TEXT,
        new_state TEXT NOT NULL,
        msgid TEXT,
        note TEXT
    );
    CREATE INDEX txn_event_txn ON txn_event(local_id, seq);
    CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    """,
    # 2: forwarding (when to try again, who holds a transaction in flight), receipts, the
    # certificate's key for the person cache, and when personal data was masked.
    """
    ALTER TABLE txn ADD COLUMN next_attempt_at REAL NOT NULL DEFAULT 0;
    ALTER TABLE txn ADD COLUMN lease_owner TEXT;
    ALTER TABLE txn ADD COLUMN lease_until REAL NOT NULL DEFAULT 0;
    ALTER TABLE txn ADD COLUMN receipt_no TEXT;
    CREATE UNIQUE INDEX txn_receipt ON txn(receipt_no) WHERE receipt_no IS NOT NULL;
    ALTER TABLE txn ADD COLUMN person_key TEXT;
    ALTER TABLE txn ADD COLUMN personal_masked_at REAL;
    CREATE TABLE lease (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until REAL NOT NULL);
    """,
    # 3: the offline copies: catalog and policy from 1301, what 1101 said about a person.
    """
    CREATE TABLE catalog_copy (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        ver TEXT NOT NULL,
        catalog TEXT NOT NULL,
        policy TEXT NOT NULL,
        fetched_at REAL NOT NULL
    );
    CREATE TABLE person_copy (
        person_key TEXT PRIMARY KEY,
        psn_no TEXT NOT NULL,
        insutype TEXT NOT NULL,
        psn_type TEXT NOT NULL,
        psn_insu_stas TEXT NOT NULL,
        insuplc_admdvs TEXT NOT NULL,
        fetched_at REAL NOT NULL
    );
    """,
    # 4: what the queue and the limits ask on every sale, without reading finished rows; the
    # service's settlement time, by which day-end reconciles.
    """
    CREATE INDEX txn_pending ON txn(state, sale_time)
        WHERE state IN ('sending', 'offline-queued', 'forwarding', 'forward-declined', 'needs-attention',
                        'reversal-pending');
    ALTER TABLE txn ADD COLUMN setl_time TEXT;
    CREATE INDEX txn_setl_time ON txn(setl_time);
    """,
    # 5: the pharmacy rules. Each sale's traceability codes, indexed so a box already sold at this
    # counter is refused at once; the ID of the buyer of a restricted drug, which the rules say to record.
    """
    CREATE TABLE txn_code (
        code TEXT NOT NULL,
        local_id TEXT NOT NULL REFERENCES txn(local_id),
        PRIMARY KEY (code, local_id)
    );
    CREATE INDEX txn_code_txn ON txn_code(local_id);
    ALTER TABLE txn ADD COLUMN buyer_id TEXT;
    """,
    # 6: the audit trail (every sign-in, sign-out, supervisor approval, reversal, day-end and configuration
    # change: who, when, what; personal data masked before it is written), the supervisor who approved a
    # reversal, and the days closed.
    """
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        operator TEXT NOT NULL,
        event TEXT NOT NULL,
        subject TEXT,
        approved_by TEXT,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_at ON audit(at);
    ALTER TABLE txn ADD COLUMN approved_by TEXT;
    CREATE TABLE day_close (
        day TEXT PRIMARY KEY,
        closed_at REAL NOT NULL,
        operator TEXT NOT NULL,
        approved_by TEXT,
        override_reason TEXT,
        report TEXT NOT NULL
    );
    """,
    # 7: the hospital desks. A visit is its registration or admission row and the rows that refer to it
    # (terminal/offline/visits.py), read back at every step of the desk: found by an index, not a scan.
    """
    CREATE INDEX txn_refers_to ON txn(refers_to, created_at) WHERE refers_to IS NOT NULL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
