-- idempotency_record as every service's migrations create it (registry-service V2), and the table
-- the test application's POST changes.

CREATE TABLE idempotency_record (
    caller          varchar(128) NOT NULL,
    idem_key        varchar(255) NOT NULL,
    request_hash    char(64)     NOT NULL,
    response_status int,
    response_body   text,
    created_at      timestamptz  NOT NULL,
    PRIMARY KEY (caller, idem_key)
);

CREATE TABLE thing (
    id        bigserial     PRIMARY KEY,
    caller    varchar(128)  NOT NULL,
    name      varchar(2000) NOT NULL,
    quantity  bigint        NOT NULL
);
