-- Article 6 lifecycle: authorisation purposes and first transfer definition per issuance, the
-- corresponding-adjustment status per serial range, reservations and units that left for another
-- registry, units acquired from one, and the international transfers themselves.

-- Where an event goes when it is not the service's own topic (registry-to-registry messages).
ALTER TABLE outbox_event ADD COLUMN destination varchar(249);

ALTER TABLE unit_issuance
    ADD COLUMN purposes                 varchar(16),
    ADD COLUMN first_transfer_definition varchar(24)
        CHECK (first_transfer_definition IN ('AUTHORISATION', 'ISSUANCE', 'USE_OR_CANCELLATION')),
    ADD COLUMN authorisation_date       date,
    ADD COLUMN sectoral_scope           varchar(200),
    ADD COLUMN methodology              varchar(64),
    -- units of this unit id came from another registry: this registry never issued them
    ADD COLUMN acquired                 boolean NOT NULL DEFAULT false;
UPDATE unit_issuance SET purposes = authorisation_purpose WHERE authorisation_purpose IS NOT NULL;
UPDATE unit_issuance SET first_transfer_definition = 'ISSUANCE' WHERE authorisation_purpose = 'OIMP';
-- the per-serial status below replaces the issuance-wide stamp
UPDATE unit_issuance SET corresponding_adjustment = 'PENDING' WHERE corresponding_adjustment = 'REQUIRED';
ALTER TABLE unit_issuance ALTER COLUMN request_id DROP NOT NULL;
ALTER TABLE unit_issuance ADD CONSTRAINT unit_issuance_request_when_issued_here CHECK (acquired OR request_id IS NOT NULL);
-- project ids are unique within one registry: the uniqueness rules hold for units issued here
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'unit_issuance'::regclass AND contype = 'u'
             AND conkey @> ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = 'unit_issuance'::regclass AND attname = 'project')]
  LOOP
    EXECUTE format('ALTER TABLE unit_issuance DROP CONSTRAINT %I', c.conname);
  END LOOP;
END $$;
CREATE UNIQUE INDEX unit_issuance_project_issuance_no ON unit_issuance (project, issuance_no) WHERE NOT acquired;
CREATE UNIQUE INDEX unit_issuance_project_period ON unit_issuance (project, monitoring_start, monitoring_end, vintage) WHERE NOT acquired;

ALTER TABLE credit_block DROP CONSTRAINT credit_block_state_check;
ALTER TABLE credit_block ALTER COLUMN state TYPE varchar(16);
ALTER TABLE credit_block ADD CONSTRAINT credit_block_state_check
    CHECK (state IN ('ACTIVE', 'RESERVED', 'RETIRED', 'CANCELLED', 'TRANSFERRED_OUT'));
ALTER TABLE credit_block
    ADD COLUMN reservation uuid,
    ADD COLUMN ca_status varchar(16) NOT NULL DEFAULT 'NOT_APPLICABLE' CHECK (ca_status IN ('NOT_APPLICABLE', 'PENDING', 'APPLIED')),
    ADD COLUMN ca_applied_at timestamptz,
    ADD COLUMN ca_applied_by char(2),
    -- the FIRST_TRANSFER transaction that applied it
    ADD COLUMN ca_first_transfer uuid,
    ADD CONSTRAINT credit_block_reserved_for_a_transfer CHECK ((state = 'RESERVED') = (reservation IS NOT NULL)),
    ADD CONSTRAINT credit_block_applied_has_when_and_who
        CHECK ((ca_status = 'APPLIED') = (ca_applied_at IS NOT NULL AND ca_applied_by IS NOT NULL));
UPDATE credit_block b SET ca_status = 'PENDING' FROM unit_issuance u WHERE u.unit_id = b.unit_id AND u.authorisation_status = 'AUTHORISED';
CREATE INDEX credit_block_reservation ON credit_block (reservation) WHERE reservation IS NOT NULL;

-- A corresponding adjustment, once applied, is never undone (invariant 10).
CREATE FUNCTION credit_block_ca_never_reverts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.ca_status = 'APPLIED' AND (NEW.ca_status <> 'APPLIED' OR NEW.ca_applied_at <> OLD.ca_applied_at
      OR NEW.ca_applied_by <> OLD.ca_applied_by OR NEW.ca_first_transfer IS DISTINCT FROM OLD.ca_first_transfer) THEN
    RAISE EXCEPTION 'corresponding adjustment of % % applied at % cannot change', OLD.unit_id, OLD.serials, OLD.ca_applied_at
        USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER credit_block_ca_never_reverts BEFORE UPDATE ON credit_block FOR EACH ROW EXECUTE FUNCTION credit_block_ca_never_reverts();

ALTER TABLE registry_transaction DROP CONSTRAINT registry_transaction_kind_check;
ALTER TABLE registry_transaction ALTER COLUMN kind TYPE varchar(24);
ALTER TABLE registry_transaction ADD CONSTRAINT registry_transaction_kind_check
    CHECK (kind IN ('TRANSFER', 'RETIREMENT', 'CANCELLATION', 'FIRST_TRANSFER', 'INTERNATIONAL_TRANSFER', 'ACQUISITION'));
ALTER TABLE registry_transaction ALTER COLUMN from_account DROP NOT NULL;
ALTER TABLE registry_transaction
    -- the other registry of an international transfer or acquisition
    ADD COLUMN counterpart_registry varchar(32),
    ADD COLUMN counterpart_account  varchar(32),
    -- FIRST_TRANSFER: what made it one and the id of that action
    ADD COLUMN trigger              varchar(24),
    ADD COLUMN triggered_by         varchar(64);
ALTER TABLE transaction_block ADD COLUMN account varchar(16);
ALTER TABLE transaction_block ADD COLUMN state varchar(16);

CREATE TABLE international_transfer (
    id               uuid         PRIMARY KEY,
    -- OUT: this registry proposed it; IN: another registry proposed it to this one
    direction        varchar(3)   NOT NULL CHECK (direction IN ('OUT', 'IN')),
    status           varchar(12)  NOT NULL CHECK (status IN ('PROPOSED', 'ACCEPTED', 'REJECTED', 'COMPLETED', 'TERMINATED')),
    from_registry    varchar(32)  NOT NULL,
    to_registry      varchar(32)  NOT NULL,
    -- null only on the receiving side of a termination that arrived before its proposal
    from_account     varchar(32),
    to_account       varchar(32),
    quantity         bigint       CHECK (quantity > 0),
    -- the proposal's units as sent (IN: what completion may create, and nothing else)
    units            json,
    answer           varchar(8)   CHECK (answer IN ('ACCEPTED', 'REJECTED')),
    code             varchar(64),
    detail           varchar(500),
    initiated_by     varchar(128),
    proposed_at      timestamptz  NOT NULL,
    answered_at      timestamptz,
    completed_at     timestamptz,
    terminated_at    timestamptz,
    late_answer_at   timestamptz,
    CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL)),
    CHECK ((status = 'TERMINATED') = (terminated_at IS NOT NULL)),
    CHECK (status = 'TERMINATED' OR (from_account IS NOT NULL AND to_account IS NOT NULL AND quantity IS NOT NULL AND units IS NOT NULL))
);
CREATE INDEX international_transfer_status ON international_transfer (status, proposed_at);
CREATE INDEX international_transfer_from ON international_transfer (from_account);
CREATE INDEX international_transfer_to ON international_transfer (to_account);
