-- Lists of retirements (GET /retirements, GET /public/retirements): a stable order and filters by
-- year, beneficiary, project and (for a project developer) the retiring account, each an index
-- range scan in that order.

-- The retirement's number (RET-{year}-{number}: the number from retirement_seq, the year the UTC
-- year it was retired in) as columns: the order of every retirement list and its year filter.
ALTER TABLE registry_transaction
    ADD COLUMN retirement_no   bigint GENERATED ALWAYS AS (CAST(split_part(retirement_id, '-', 3) AS bigint)) STORED,
    ADD COLUMN retirement_year int    GENERATED ALWAYS AS (CAST(split_part(retirement_id, '-', 2) AS int)) STORED;
CREATE UNIQUE INDEX registry_transaction_retirement_no ON registry_transaction (retirement_no)
    WHERE retirement_no IS NOT NULL;
CREATE INDEX registry_transaction_retirement_year ON registry_transaction (retirement_year, retirement_no)
    WHERE retirement_no IS NOT NULL;
CREATE INDEX registry_transaction_retirement_beneficiary ON registry_transaction (beneficiary, retirement_no)
    WHERE retirement_no IS NOT NULL;
CREATE INDEX registry_transaction_retirement_account ON registry_transaction (from_account, retirement_no)
    WHERE retirement_no IS NOT NULL;

-- The projects whose units a retirement retired (one retirement may take units of several), kept
-- by the database as the retirement's blocks are recorded, so that the project filter is a range
-- scan of (project, retirement_no) rather than a search through every retired block.
CREATE TABLE retirement_project (
    project       varchar(32) NOT NULL,
    retirement_no bigint      NOT NULL,
    PRIMARY KEY (project, retirement_no)
);

CREATE FUNCTION retirement_project_of_block() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO retirement_project (project, retirement_no)
  SELECT u.project, t.retirement_no
    FROM registry_transaction t JOIN unit_issuance u ON u.unit_id = NEW.unit_id
   WHERE t.id = NEW.transaction_id AND t.retirement_no IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER retirement_project_of_block AFTER INSERT ON transaction_block
    FOR EACH ROW EXECUTE FUNCTION retirement_project_of_block();

INSERT INTO retirement_project (project, retirement_no)
SELECT DISTINCT u.project, t.retirement_no
  FROM registry_transaction t
  JOIN transaction_block tb ON tb.transaction_id = t.id
  JOIN unit_issuance u ON u.unit_id = tb.unit_id
 WHERE t.retirement_no IS NOT NULL;

-- The latest corresponding adjustment anywhere: part of the fingerprint (ETag) of a CSV export, which
-- shows each retired range's adjustment status.
CREATE INDEX credit_block_ca_applied_at ON credit_block (ca_applied_at) WHERE ca_applied_at IS NOT NULL;
