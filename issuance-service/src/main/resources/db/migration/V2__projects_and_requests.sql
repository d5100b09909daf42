-- Projects, their participants and allocation tables, issuance requests, idempotency records.

CREATE TABLE project (
    id                    varchar(32)  PRIMARY KEY,
    title                 varchar(300) NOT NULL,
    mechanism             varchar(8)   NOT NULL CHECK (mechanism IN ('JCM', 'A6_4')),
    host_party            char(2)      NOT NULL,
    partner_party         char(2)      NOT NULL,
    methodology           varchar(64)  NOT NULL,
    sectoral_scope        varchar(200) NOT NULL,
    authorisation_id      varchar(64),
    authorisation_date    date,
    authorisation_purpose varchar(8)   CHECK (authorisation_purpose IN ('NDC', 'OIMP')),
    authorised_quantity   bigint       CHECK (authorised_quantity > 0),
    cooperative_approach  varchar(200),
    issued_to_date        bigint       NOT NULL DEFAULT 0 CHECK (issued_to_date >= 0),
    registered_by         varchar(128) NOT NULL,
    registered_at         timestamptz  NOT NULL,
    -- never more issued than authorised
    CHECK (authorised_quantity IS NULL OR issued_to_date <= authorised_quantity)
);

CREATE TABLE project_participant (
    project_id     varchar(32) NOT NULL REFERENCES project (id),
    position       int         NOT NULL,
    participant_id varchar(64) NOT NULL,
    PRIMARY KEY (project_id, position),
    UNIQUE (project_id, participant_id)
);

CREATE TABLE project_allocation (
    project_id varchar(32)  NOT NULL REFERENCES project (id),
    position   int          NOT NULL,
    account    varchar(16)  NOT NULL,
    percent    numeric(7,4) NOT NULL CHECK (percent > 0 AND percent <= 100),
    PRIMARY KEY (project_id, position)
);

CREATE TABLE issuance_request (
    id                    varchar(64)  PRIMARY KEY,
    project_id            varchar(32)  NOT NULL REFERENCES project (id),
    status                varchar(12)  NOT NULL CHECK (status IN ('SUBMITTED', 'APPROVED', 'REJECTED', 'ISSUED', 'FAILED')),
    monitoring_start      date         NOT NULL,
    monitoring_end        date         NOT NULL,
    vintage               int          NOT NULL,
    quantity              bigint       NOT NULL CHECK (quantity > 0),
    report_reference      varchar(200) NOT NULL,
    report_sha256         char(64)     NOT NULL,
    submitted_by          varchar(128) NOT NULL,
    submitter_participant varchar(64)  NOT NULL,
    submitted_at          timestamptz  NOT NULL,
    decided_by            varchar(128),
    decided_at            timestamptz,
    rejection_reason      varchar(1000),
    unit_id               varchar(80),
    issued_blocks         text,
    failure_code          varchar(64),
    failure_detail        varchar(1000),
    completed_at          timestamptz,
    CHECK (monitoring_start <= monitoring_end),
    -- four eyes, kept by the database too
    CHECK (decided_by IS NULL OR decided_by <> submitted_by)
);
CREATE INDEX issuance_request_project ON issuance_request (project_id, status);

CREATE TABLE idempotency_record (
    caller          varchar(128) NOT NULL,
    idem_key        varchar(255) NOT NULL,
    request_hash    char(64)     NOT NULL,
    response_status int,
    response_body   text,
    created_at      timestamptz  NOT NULL,
    PRIMARY KEY (caller, idem_key)
);

-- Events go out byte for byte as the service wrote them.
ALTER TABLE outbox_event ALTER COLUMN payload TYPE json;
