-- List order for projects and issuance requests: a unique ordinal each (registration and submission
-- order), numbering the rows there are in the order they came, then taken from a sequence; and indexes
-- of (filter, ordinal) so that every list and filter is one index range scan.

ALTER TABLE project ADD COLUMN seq bigint;
UPDATE project p SET seq = o.n FROM (SELECT id, row_number() OVER (ORDER BY registered_at, id) AS n FROM project) o WHERE o.id = p.id;
CREATE SEQUENCE project_seq OWNED BY project.seq;
SELECT setval('project_seq', coalesce((SELECT max(seq) FROM project), 0) + 1, false);
ALTER TABLE project ALTER COLUMN seq SET DEFAULT nextval('project_seq'), ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX project_seq_key ON project (seq);
-- GET /projects?mechanism=, ?hostParty=, both
CREATE INDEX project_mechanism_seq ON project (mechanism, seq);
CREATE INDEX project_host_party_seq ON project (host_party, seq);
CREATE INDEX project_mechanism_host_party_seq ON project (mechanism, host_party, seq);

-- the approval queue: oldest first, by submission
ALTER TABLE issuance_request ADD COLUMN seq bigint;
UPDATE issuance_request r SET seq = o.n FROM (SELECT id, row_number() OVER (ORDER BY submitted_at, id) AS n FROM issuance_request) o
 WHERE o.id = r.id;
CREATE SEQUENCE issuance_request_seq OWNED BY issuance_request.seq;
SELECT setval('issuance_request_seq', coalesce((SELECT max(seq) FROM issuance_request), 0) + 1, false);
ALTER TABLE issuance_request ALTER COLUMN seq SET DEFAULT nextval('issuance_request_seq'), ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX issuance_request_seq_key ON issuance_request (seq);
-- GET /issuance-requests?status=, ?project= (and each project of a developer), both
CREATE INDEX issuance_request_status_seq ON issuance_request (status, seq);
CREATE INDEX issuance_request_project_seq ON issuance_request (project_id, seq);
CREATE INDEX issuance_request_project_status_seq ON issuance_request (project_id, status, seq);

-- the projects a participant takes part in (a project developer's view of the queue)
CREATE INDEX project_participant_participant ON project_participant (participant_id, project_id);
