"""The service's SQLite schema. Amounts are integer fen so SQL sums are exact.

SCHEMA creates the current version in an empty database; MIGRATIONS[n] takes a database at
version n to n + 1 (PRAGMA user_version), so a database an earlier service made keeps its rows.
"""

SCHEMA_VERSION = 3

# An e-voucher (its nonce) funds at most one settlement that stands; a reversal frees it. The
# service refuses a second use with a sentence first; this index is the backstop.
_SINGLE_USE_VOUCHERS = """
CREATE UNIQUE INDEX IF NOT EXISTS settlement_voucher ON settlement(voucher_nonce)
    WHERE voucher_nonce IS NOT NULL AND status = 'settled';
"""

# The traceability codes of the boxes each pharmacy settlement sold (DESIGN.md: one box, one code).
# A code stands in at most one settlement: the service refuses a second sale with a sentence naming
# the line and the code, and this index is the backstop (two tills selling one box at once). A
# reversal marks the codes reversed, which frees them and keeps who sold them for an audit.
_SOLD_CODES = """
CREATE TABLE IF NOT EXISTS sold_code (
    code TEXT NOT NULL,
    setl_id TEXT NOT NULL REFERENCES settlement(setl_id),
    feedetl_sn TEXT NOT NULL,
    med_list_codg TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('settled', 'reversed')),
    PRIMARY KEY (setl_id, code)
);
CREATE UNIQUE INDEX IF NOT EXISTS sold_code_standing ON sold_code(code) WHERE status = 'settled';
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS person (
    psn_no TEXT PRIMARY KEY,
    psn_name TEXT NOT NULL,
    certno TEXT NOT NULL,
    psn_cert_type TEXT NOT NULL,
    gend TEXT NOT NULL,
    brdy TEXT NOT NULL,
    insutype TEXT NOT NULL,
    psn_type TEXT NOT NULL,
    psn_insu_stas TEXT NOT NULL,
    insuplc_admdvs TEXT NOT NULL,
    balc_fen INTEGER NOT NULL CHECK (balc_fen >= 0),
    card_no TEXT,
    card_sn TEXT,
    holder TEXT REFERENCES person(psn_no),
    emp_name TEXT NOT NULL DEFAULT '',
    cvlserv_flag TEXT NOT NULL DEFAULT '0'
);
CREATE INDEX IF NOT EXISTS person_certno ON person(certno);
CREATE INDEX IF NOT EXISTS person_card ON person(card_no);

-- Deductible met and pooled-fund payments, per person, calendar year and bucket.
CREATE TABLE IF NOT EXISTS usage (
    psn_no TEXT NOT NULL REFERENCES person(psn_no),
    year INTEGER NOT NULL,
    bucket TEXT NOT NULL,
    dedc_fen INTEGER NOT NULL DEFAULT 0 CHECK (dedc_fen >= 0),
    fund_fen INTEGER NOT NULL DEFAULT 0 CHECK (fund_fen >= 0),
    PRIMARY KEY (psn_no, year, bucket)
);

CREATE TABLE IF NOT EXISTS catalog (
    med_list_codg TEXT PRIMARY KEY,
    entry TEXT NOT NULL
);

-- Every answered message, keyed by msgid: a repeated msgid gets the first answer, if it
-- carries the same request (request_digest, see digest.py). dev_no and request_digest are NULL
-- for messages answered before version 2.
CREATE TABLE IF NOT EXISTS message (
    msgid TEXT PRIMARY KEY,
    infno TEXT NOT NULL,
    fixmedins_code TEXT NOT NULL,
    answer TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    dev_no TEXT,
    request_digest TEXT
);

-- Which till (dev_no) owns each block of an institution's msgid sequence: the first message
-- from a block claims it.
CREATE TABLE IF NOT EXISTS msgid_block (
    fixmedins_code TEXT NOT NULL,
    block INTEGER NOT NULL,
    dev_no TEXT NOT NULL,
    claimed_by_msgid TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (fixmedins_code, block)
);

-- Messages reversed (2601) before they ever arrived: if they arrive late they are refused.
CREATE TABLE IF NOT EXISTS reversed_message (
    omsgid TEXT PRIMARY KEY,
    oinfno TEXT NOT NULL,
    by_msgid TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS nonce (
    nonce TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
);
-- Pruned on every request: without this index each prune scans every remembered nonce.
CREATE INDEX IF NOT EXISTS nonce_seen ON nonce(seen_at);

CREATE TABLE IF NOT EXISTS signin (
    sign_no TEXT PRIMARY KEY,
    opter_no TEXT NOT NULL,
    fixmedins_code TEXT NOT NULL,
    sign_time TEXT NOT NULL,
    signed_out INTEGER NOT NULL DEFAULT 0
);

-- voucher_nonce: the e-voucher the token was issued for (NULL for tokens issued before version 2).
CREATE TABLE IF NOT EXISTS ec_token (
    token TEXT PRIMARY KEY,
    psn_no TEXT NOT NULL REFERENCES person(psn_no),
    holder TEXT,
    expires_at INTEGER NOT NULL,
    voucher_nonce TEXT
);

CREATE TABLE IF NOT EXISTS counter (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

-- A visit ties messages together: a pharmacy sale, an outpatient visit or a stay.
CREATE TABLE IF NOT EXISTS visit (
    mdtrt_id TEXT PRIMARY KEY,
    psn_no TEXT NOT NULL REFERENCES person(psn_no),
    kind TEXT NOT NULL CHECK (kind IN ('pharmacy', 'outpatient', 'inpatient')),
    med_type TEXT NOT NULL,
    insutype TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'discharged', 'cancelled', 'settled')),
    begntime TEXT NOT NULL,
    endtime TEXT,
    fixmedins_code TEXT NOT NULL,
    mdtrt_cert_type TEXT NOT NULL,
    mdtrt_cert_no TEXT NOT NULL,
    card_sn TEXT NOT NULL DEFAULT '',
    created_msgid TEXT NOT NULL,
    discharge_msgid TEXT
);

CREATE TABLE IF NOT EXISTS fee (
    mdtrt_id TEXT NOT NULL REFERENCES visit(mdtrt_id),
    feedetl_sn TEXT NOT NULL,
    chrg_bchno TEXT NOT NULL DEFAULT '',
    msgid TEXT NOT NULL,
    seq INTEGER NOT NULL,
    line TEXT NOT NULL,
    det_fen INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'cancelled', 'settled')),
    setl_id TEXT,
    PRIMARY KEY (mdtrt_id, feedetl_sn)
);

CREATE TABLE IF NOT EXISTS settlement (
    setl_id TEXT PRIMARY KEY,
    mdtrt_id TEXT NOT NULL REFERENCES visit(mdtrt_id),
    psn_no TEXT NOT NULL REFERENCES person(psn_no),
    infno TEXT NOT NULL,
    msgid TEXT NOT NULL,
    fixmedins_code TEXT NOT NULL,
    setl_time TEXT NOT NULL,
    insutype TEXT NOT NULL,
    clr_type TEXT NOT NULL,
    setl_optins TEXT NOT NULL,
    year INTEGER NOT NULL,
    bucket TEXT NOT NULL,
    medfee_fen INTEGER NOT NULL,
    fund_fen INTEGER NOT NULL,
    acct_fen INTEGER NOT NULL,
    mulaid_fen INTEGER NOT NULL,
    cash_fen INTEGER NOT NULL,
    dedc_fen INTEGER NOT NULL,
    hifp_fen INTEGER NOT NULL,
    holder TEXT,
    output TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('settled', 'reversed')),
    reversal_time TEXT,
    reversal_msgid TEXT,
    voucher_nonce TEXT
);
CREATE INDEX IF NOT EXISTS settlement_day ON settlement(fixmedins_code, setl_time);
""" + _SINGLE_USE_VOUCHERS + _SOLD_CODES


# Tables every version of the schema has: a database with user_version set but without them was
# made by another application.
OUR_TABLES = frozenset({"person", "usage", "catalog", "message", "settlement", "visit", "fee"})

MIGRATIONS: dict[int, str] = {
    # 1 -> 2: msgid blocks, request digests, single-use e-vouchers. Blocks of messages answered
    # before are not guessed (the first message after the upgrade claims its block), their answers
    # keep replaying without a digest to compare, and settlements and ecTokens made before do not
    # know their voucher.
    1: """
ALTER TABLE ec_token ADD COLUMN voucher_nonce TEXT;
ALTER TABLE settlement ADD COLUMN voucher_nonce TEXT;
ALTER TABLE message ADD COLUMN dev_no TEXT;
ALTER TABLE message ADD COLUMN request_digest TEXT;
CREATE TABLE msgid_block (
    fixmedins_code TEXT NOT NULL,
    block INTEGER NOT NULL,
    dev_no TEXT NOT NULL,
    claimed_by_msgid TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (fixmedins_code, block)
);
""" + _SINGLE_USE_VOUCHERS,
    # 2 -> 3: the traceability codes sold. Settlements made before sold no recorded codes, so none of
    # their boxes is known; they settle and reverse as before.
    2: _SOLD_CODES,
}
