-- Baseline of issuance-service's own database: the event outbox and inbox.

-- Transactional outbox; column names follow the Debezium outbox convention.
CREATE TABLE outbox_event (
    id             bigserial    PRIMARY KEY,
    event_id       uuid         NOT NULL UNIQUE,
    aggregatetype  varchar(64)  NOT NULL,
    aggregateid    varchar(128) NOT NULL,
    type           varchar(128) NOT NULL,
    subject        varchar(256) NOT NULL,
    payload        jsonb        NOT NULL,
    occurred_at    timestamptz  NOT NULL,
    published_at   timestamptz
);
CREATE INDEX outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL;

-- Inbox: one row per consumed event id makes at-least-once delivery take effect once.
CREATE TABLE inbox_event (
    event_id     uuid         NOT NULL,
    consumer     varchar(64)  NOT NULL,
    type         varchar(128) NOT NULL,
    received_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);
