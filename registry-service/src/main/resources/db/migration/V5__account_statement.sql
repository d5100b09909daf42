-- Lists and the account statement.
--
-- 1. account_movement: an append-only ledger of every change of an account's balance. It is written
--    by the statement that changes the balance (LockedAccounts.change: one UPDATE ... RETURNING and
--    its INSERT), under the account's row lock, so balance_after is the balance the change left and
--    seq numbers an account's changes 1, 2, 3, ... (account.movements is the last one). A statement
--    is read as an index range scan; nothing is summed over the history at read time.
-- 2. A list order for participants, accounts and international transfers: a unique ordinal each
--    (registration, opening, recording order), and indexes of (filter, ordinal) for every filter.

ALTER TABLE account ADD COLUMN movements bigint NOT NULL DEFAULT 0 CHECK (movements >= 0);

CREATE TABLE account_movement (
    account               varchar(16)  NOT NULL REFERENCES account (number),
    seq                   bigint       NOT NULL CHECK (seq >= 1),
    at                    timestamptz  NOT NULL,
    kind                  varchar(24)  NOT NULL CHECK (kind IN ('ISSUANCE', 'TRANSFER', 'RETIREMENT', 'CANCELLATION', 'RESERVATION',
                                                               'RESERVATION_RELEASE', 'INTERNATIONAL_TRANSFER', 'ACQUISITION', 'OPENING_BALANCE')),
    direction             varchar(3)   NOT NULL CHECK (direction IN ('IN', 'OUT')),
    -- the transaction id (GET /transactions/{id}), the international transfer id, or the unit id of an issuance
    reference             varchar(80)  NOT NULL,
    counterparty_registry varchar(32),
    counterparty_account  varchar(32),
    quantity              bigint       NOT NULL CHECK (quantity >= 0),
    -- signed change of the balance: + units in, - units out, 0 for units that leave after their reservation
    effect                bigint       NOT NULL,
    balance_after         bigint       NOT NULL,
    PRIMARY KEY (account, seq),
    CHECK ((direction = 'IN' AND effect >= 0) OR (direction = 'OUT' AND effect <= 0)),
    CHECK (abs(effect) IN (0, quantity))
);
-- the statement's order and its from/to filter: (account, at, seq) range scans
CREATE INDEX account_movement_at ON account_movement (account, at, seq);

-- The history so far, rebuilt from what the registry recorded: issuances from their CreditsIssued events
-- (the ACTIVE blocks each account received), transfers, retirements, cancellations, acquisitions and
-- completed international transfers from registry_transaction, reservations and their release from
-- international_transfer. Whatever these do not explain (an outbox emptied by an operator) becomes one
-- OPENING_BALANCE row at the account's opening, so the last balance_after is the balance in any case.
WITH history (account, at, source, tiebreak, kind, direction, reference, counterparty_registry, counterparty_account, quantity, effect) AS (
    SELECT b ->> 'account', o.occurred_at, 1, o.id::text, 'ISSUANCE', 'IN', o.payload ->> 'unitId', NULL, NULL,
           sum((b ->> 'quantity')::bigint), sum((b ->> 'quantity')::bigint)
      FROM outbox_event o CROSS JOIN LATERAL json_array_elements(o.payload -> 'blocks') b
     WHERE o.type = 'tanso.registry.CreditsIssued.v1' AND b ->> 'state' = 'ACTIVE'
     GROUP BY b ->> 'account', o.occurred_at, o.id, o.payload ->> 'unitId'
    UNION ALL
    SELECT from_account, created_at, 2, id::text, 'TRANSFER', 'OUT', id::text, NULL, to_account, quantity, -quantity
      FROM registry_transaction WHERE kind = 'TRANSFER'
    UNION ALL
    SELECT to_account, created_at, 2, id::text, 'TRANSFER', 'IN', id::text, NULL, from_account, quantity, quantity
      FROM registry_transaction WHERE kind = 'TRANSFER'
    UNION ALL
    SELECT from_account, created_at, 2, id::text, 'RETIREMENT', 'OUT', id::text, NULL, NULL, quantity, -quantity
      FROM registry_transaction WHERE kind = 'RETIREMENT'
    UNION ALL
    SELECT from_account, created_at, 2, id::text, 'CANCELLATION', 'OUT', id::text, NULL, to_account, quantity, -quantity
      FROM registry_transaction WHERE kind = 'CANCELLATION'
    UNION ALL
    SELECT to_account, created_at, 2, id::text, 'ACQUISITION', 'IN', id::text, counterpart_registry, counterpart_account, quantity, quantity
      FROM registry_transaction WHERE kind = 'ACQUISITION'
    UNION ALL
    SELECT from_account, created_at, 3, id::text, 'INTERNATIONAL_TRANSFER', 'OUT', id::text, counterpart_registry, counterpart_account, quantity, 0
      FROM registry_transaction WHERE kind = 'INTERNATIONAL_TRANSFER'
    UNION ALL
    SELECT from_account, proposed_at, 2, id::text, 'RESERVATION', 'OUT', id::text, to_registry, to_account, quantity, -quantity
      FROM international_transfer WHERE direction = 'OUT'
    UNION ALL
    SELECT from_account, terminated_at, 3, id::text, 'RESERVATION_RELEASE', 'IN', id::text, to_registry, to_account, quantity, quantity
      FROM international_transfer WHERE direction = 'OUT' AND status = 'TERMINATED'
),
explained AS (
    SELECT account, sum(effect) AS total FROM history GROUP BY account
),
everything AS (
    SELECT * FROM history
    UNION ALL
    SELECT a.number, a.opened_at, 0, '', 'OPENING_BALANCE', CASE WHEN a.balance >= coalesce(e.total, 0) THEN 'IN' ELSE 'OUT' END,
           'opening balance', NULL, NULL, abs(a.balance - coalesce(e.total, 0)), a.balance - coalesce(e.total, 0)
      FROM account a LEFT JOIN explained e ON e.account = a.number
     WHERE a.balance <> coalesce(e.total, 0)
)
INSERT INTO account_movement (account, seq, at, kind, direction, reference, counterparty_registry, counterparty_account, quantity, effect, balance_after)
SELECT account, row_number() OVER w, at, kind, direction, reference, counterparty_registry, counterparty_account, quantity, effect,
       sum(effect) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  FROM everything
WINDOW w AS (PARTITION BY account ORDER BY at, source, tiebreak);

UPDATE account a SET movements = m.latest_seq FROM (SELECT account, max(seq) AS latest_seq FROM account_movement GROUP BY account) m
 WHERE a.number = m.account;

-- The ledger is append-only.
CREATE FUNCTION account_movement_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'account_movement is append-only (% refused)', TG_OP USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER account_movement_append_only BEFORE UPDATE OR DELETE ON account_movement
    FOR EACH ROW EXECUTE FUNCTION account_movement_append_only();
CREATE TRIGGER account_movement_no_truncate BEFORE TRUNCATE ON account_movement
    FOR EACH STATEMENT EXECUTE FUNCTION account_movement_append_only();

-- No balance changes without its statement row: at commit, every account whose balance changed ends its
-- statement with that balance, and its movement count is its last seq.
CREATE FUNCTION account_balance_matches_statement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  acct account%ROWTYPE;
  latest account_movement%ROWTYPE;
BEGIN
  SELECT * INTO acct FROM account WHERE number = NEW.number;
  SELECT * INTO latest FROM account_movement WHERE account = NEW.number ORDER BY seq DESC LIMIT 1;
  IF acct.balance <> coalesce(latest.balance_after, 0) OR acct.movements <> coalesce(latest.seq, 0) THEN
    RAISE EXCEPTION 'account % has balance % after % movements, but its statement ends with balance % at movement %',
        NEW.number, acct.balance, acct.movements, coalesce(latest.balance_after, 0), coalesce(latest.seq, 0)
        USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER account_balance_matches_statement AFTER UPDATE OF balance, movements ON account
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.balance IS DISTINCT FROM NEW.balance OR OLD.movements IS DISTINCT FROM NEW.movements)
    EXECUTE FUNCTION account_balance_matches_statement();

-- List order: a unique ordinal per participant, account and international transfer, numbering the rows
-- there are in the order they came, then taken from a sequence.
ALTER TABLE participant ADD COLUMN seq bigint;
UPDATE participant p SET seq = o.n FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM participant) o WHERE o.id = p.id;
CREATE SEQUENCE participant_seq OWNED BY participant.seq;
SELECT setval('participant_seq', coalesce((SELECT max(seq) FROM participant), 0) + 1, false);
ALTER TABLE participant ALTER COLUMN seq SET DEFAULT nextval('participant_seq'), ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX participant_seq_key ON participant (seq);

ALTER TABLE account ADD COLUMN seq bigint;
UPDATE account a SET seq = o.n FROM (SELECT number, row_number() OVER (ORDER BY opened_at, number) AS n FROM account) o WHERE o.number = a.number;
CREATE SEQUENCE account_seq OWNED BY account.seq;
SELECT setval('account_seq', coalesce((SELECT max(seq) FROM account), 0) + 1, false);
ALTER TABLE account ALTER COLUMN seq SET DEFAULT nextval('account_seq'), ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX account_seq_key ON account (seq);
-- GET /accounts?holder= (and a project developer's own accounts), ?party=, ?type=, ?status=; the holder index
-- replaces account_holder
CREATE INDEX account_holder_seq ON account (holder, seq);
DROP INDEX account_holder;
CREATE INDEX account_party_seq ON account (party, seq);
CREATE INDEX account_type_seq ON account (type, seq);
CREATE INDEX account_status_seq ON account (status, seq);

ALTER TABLE international_transfer ADD COLUMN seq bigint;
UPDATE international_transfer t SET seq = o.n FROM (SELECT id, row_number() OVER (ORDER BY proposed_at, id) AS n FROM international_transfer) o
 WHERE o.id = t.id;
CREATE SEQUENCE international_transfer_seq OWNED BY international_transfer.seq;
SELECT setval('international_transfer_seq', coalesce((SELECT max(seq) FROM international_transfer), 0) + 1, false);
ALTER TABLE international_transfer ALTER COLUMN seq SET DEFAULT nextval('international_transfer_seq'), ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX international_transfer_seq_key ON international_transfer (seq);
-- this registry's account in the transfer: the sender's for OUT, the receiver's for IN (whose holder sees it)
ALTER TABLE international_transfer
    ADD COLUMN local_account varchar(32) GENERATED ALWAYS AS (CASE direction WHEN 'OUT' THEN from_account ELSE to_account END) STORED;
CREATE INDEX international_transfer_status_seq ON international_transfer (status, seq);
CREATE INDEX international_transfer_local_seq ON international_transfer (local_account, seq);
CREATE INDEX international_transfer_local_status_seq ON international_transfer (local_account, status, seq);

-- the units an account has reserved (GET /accounts/{number} and every item of GET /accounts): few rows
CREATE INDEX credit_block_account_reserved ON credit_block (account) WHERE state = 'RESERVED';
