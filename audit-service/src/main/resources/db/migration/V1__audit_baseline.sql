-- Baseline of audit-service's own database: the inbox of consumed event ids.
-- The append-only audit log itself arrives in a later migration.

CREATE TABLE inbox_event (
    event_id     uuid         NOT NULL,
    consumer     varchar(64)  NOT NULL,
    type         varchar(128) NOT NULL,
    received_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);
