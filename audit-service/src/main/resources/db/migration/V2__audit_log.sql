-- The append-only audit log, the Merkle tree's stored subtree hashes, signed checkpoints.

CREATE TABLE audit_entry (
    seq          bigint       PRIMARY KEY CHECK (seq >= 1),
    event_id     uuid         NOT NULL UNIQUE,
    type         varchar(200) NOT NULL,
    subject      varchar(300) NOT NULL,
    occurred_at  varchar(64)  NOT NULL,
    occurred_ts  timestamptz  NOT NULL,
    recorded_at  varchar(64)  NOT NULL,
    -- the record value exactly as received; payload_json says whether it parsed as JSON
    payload      text         NOT NULL,
    payload_json boolean      NOT NULL,
    prev_hash    char(64)     NOT NULL,
    hash         char(64)     NOT NULL
);
CREATE INDEX audit_entry_type ON audit_entry (type, seq);
CREATE INDEX audit_entry_occurred ON audit_entry (occurred_ts, seq);

-- Every account, project, request and unit identifier an entry concerns, for regulator queries.
CREATE TABLE audit_subject (
    subject varchar(300) NOT NULL,
    seq     bigint       NOT NULL REFERENCES audit_entry (seq),
    PRIMARY KEY (subject, seq)
);

-- Hash of the complete subtree over leaves [idx * 2^level, (idx + 1) * 2^level).
CREATE TABLE merkle_node (
    level smallint NOT NULL,
    idx   bigint   NOT NULL,
    hash  bytea    NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE checkpoint (
    tree_size  bigint       PRIMARY KEY,
    root_hash  char(64)     NOT NULL,
    timestamp  varchar(64)  NOT NULL,
    key_id     varchar(64)  NOT NULL,
    signature  text         NOT NULL
);

-- Nothing in the log is ever changed or removed, whoever asks: triggers refuse it even to the owner.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['audit_entry', 'audit_subject', 'merkle_node', 'checkpoint'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()', t || '_no_change', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()', t || '_no_truncate', t);
    END LOOP;
END;
$$;

-- The service works as this role (SET ROLE on every connection): it may read and append, nothing else.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tanso_audit_writer') THEN
        CREATE ROLE tanso_audit_writer NOLOGIN;
    END IF;
END;
$$;
GRANT tanso_audit_writer TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO tanso_audit_writer;
REVOKE ALL ON audit_entry, audit_subject, merkle_node, checkpoint FROM tanso_audit_writer;
GRANT SELECT, INSERT ON audit_entry, audit_subject, merkle_node, checkpoint TO tanso_audit_writer;
GRANT SELECT, INSERT ON inbox_event TO tanso_audit_writer;
GRANT SELECT ON flyway_schema_history TO tanso_audit_writer;
