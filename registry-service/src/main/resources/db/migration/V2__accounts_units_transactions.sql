-- Accounts, serial-numbered credit blocks, issuances, transactions, idempotency records.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SEQUENCE account_number_seq START 1 MAXVALUE 999999;

CREATE TABLE account (
    number      varchar(16)  PRIMARY KEY,
    party       char(2)      NOT NULL CHECK (party ~ '^[A-Z]{2}$'),
    type        varchar(24)  NOT NULL CHECK (type IN ('HOLDING', 'GOVERNMENT_HOLDING', 'PENDING', 'RETIREMENT', 'CANCELLATION', 'SHARE_OF_PROCEEDS')),
    holder      varchar(64)  NOT NULL REFERENCES participant (id),
    status      varchar(12)  NOT NULL CHECK (status IN ('OPEN', 'SUSPENDED', 'CLOSED')),
    -- ACTIVE units held; kept in step with credit_block under the account's row lock
    balance     bigint       NOT NULL DEFAULT 0 CHECK (balance >= 0),
    opened_at   timestamptz  NOT NULL
);
CREATE INDEX account_holder ON account (holder);

-- One approved issuance request minted into one unit identifier.
CREATE TABLE unit_issuance (
    unit_id              varchar(80)  PRIMARY KEY,
    request_id           varchar(64)  NOT NULL UNIQUE,
    project              varchar(32)  NOT NULL,
    mechanism            varchar(8)   NOT NULL,
    host_party           char(2)      NOT NULL,
    vintage              int          NOT NULL,
    issuance_no          int          NOT NULL,
    monitoring_start     date         NOT NULL,
    monitoring_end       date         NOT NULL,
    quantity             bigint       NOT NULL CHECK (quantity > 0),
    authorisation_status varchar(32)  NOT NULL,
    authorisation_id     varchar(64),
    authorisation_purpose varchar(8),
    authorised_quantity  bigint,
    corresponding_adjustment varchar(16) NOT NULL,
    cooperative_approach varchar(128),
    originating_registry varchar(64),
    first_transferring_party char(2),
    issued_at            timestamptz  NOT NULL,
    UNIQUE (project, issuance_no),
    -- the same project, monitoring period and vintage is never issued twice
    UNIQUE (project, monitoring_start, monitoring_end, vintage),
    CHECK (monitoring_start <= monitoring_end)
);

CREATE TABLE credit_block (
    id            bigserial    PRIMARY KEY,
    unit_id       varchar(80)  NOT NULL REFERENCES unit_issuance (unit_id),
    serial_start  bigint       NOT NULL CHECK (serial_start >= 1),
    serial_end    bigint       NOT NULL,
    serials       int8range    GENERATED ALWAYS AS (int8range(serial_start, serial_end, '[]')) STORED,
    vintage       int          NOT NULL,
    account       varchar(16)  NOT NULL REFERENCES account (number),
    state         varchar(10)  NOT NULL CHECK (state IN ('ACTIVE', 'RETIRED', 'CANCELLED')),
    CHECK (serial_start <= serial_end),
    -- a serial number exists once: ranges of one unit identifier never overlap
    EXCLUDE USING gist (unit_id WITH =, serials WITH &&)
);
CREATE INDEX credit_block_account_active ON credit_block (account, vintage, unit_id, serial_start) WHERE state = 'ACTIVE';
CREATE INDEX credit_block_account ON credit_block (account, id);

CREATE TABLE registry_transaction (
    id             uuid         PRIMARY KEY,
    kind           varchar(16)  NOT NULL CHECK (kind IN ('TRANSFER', 'RETIREMENT', 'CANCELLATION')),
    from_account   varchar(16)  NOT NULL REFERENCES account (number),
    to_account     varchar(16)  REFERENCES account (number),
    quantity       bigint       NOT NULL CHECK (quantity > 0),
    initiated_by   varchar(128) NOT NULL,
    beneficiary    varchar(200),
    purpose        varchar(8),
    using_party    char(2),
    retirement_id  varchar(32)  UNIQUE,
    reason         varchar(500),
    created_at     timestamptz  NOT NULL
);
CREATE INDEX registry_transaction_from ON registry_transaction (from_account, created_at);
CREATE INDEX registry_transaction_to ON registry_transaction (to_account, created_at);
CREATE SEQUENCE retirement_seq;

CREATE TABLE transaction_block (
    transaction_id uuid         NOT NULL REFERENCES registry_transaction (id),
    position       int          NOT NULL,
    unit_id        varchar(80)  NOT NULL,
    serial_start   bigint       NOT NULL,
    serial_end     bigint       NOT NULL,
    PRIMARY KEY (transaction_id, position)
);

CREATE TABLE idempotency_record (
    caller          varchar(128) NOT NULL,
    idem_key        varchar(255) NOT NULL,
    request_hash    char(64)     NOT NULL,
    response_status int,
    response_body   text,
    created_at      timestamptz  NOT NULL,
    PRIMARY KEY (caller, idem_key)
);

-- Events go out byte for byte as the service wrote them: json keeps the text, jsonb would not.
ALTER TABLE outbox_event ALTER COLUMN payload TYPE json;
