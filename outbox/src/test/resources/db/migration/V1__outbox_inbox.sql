-- The outbox and inbox tables as every service's migrations leave them (registry-service V1-V4),
-- plus the one table the test application changes.

CREATE TABLE outbox_event (
    id             bigserial    PRIMARY KEY,
    event_id       uuid         NOT NULL UNIQUE,
    aggregatetype  varchar(64)  NOT NULL,
    aggregateid    varchar(128) NOT NULL,
    type           varchar(128) NOT NULL,
    subject        varchar(256) NOT NULL,
    payload        json         NOT NULL,
    occurred_at    timestamptz  NOT NULL,
    published_at   timestamptz,
    traceparent    varchar(64),
    destination    varchar(249)
);
CREATE INDEX outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL;

CREATE TABLE inbox_event (
    event_id     uuid         NOT NULL,
    consumer     varchar(64)  NOT NULL,
    type         varchar(128) NOT NULL,
    received_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);

-- what the test consumer does with an event; deliberately not unique per event, so that an event
-- applied twice shows as two rows
CREATE TABLE test_effect (
    id        bigserial PRIMARY KEY,
    event_id  uuid      NOT NULL,
    payload   text      NOT NULL
);
