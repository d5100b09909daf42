-- What the public registry shows of each issuance: units issued under a unit identifier, and how
-- many of them have been retired or cancelled since (cancelled includes the overall mitigation
-- cancellation minted CANCELLED at issuance). Kept up to date by the consumer of
-- tanso.registry.events in the transaction that records the event in the inbox, so a public page
-- reads counters instead of events.
--
-- A row is keyed by unit id alone: CreditsRetired and CreditsCancelled are keyed by account and may
-- be consumed before the CreditsIssued (keyed by unit id) of the same units, so their counts land
-- here first and CreditsIssued fills in project, vintage and issued later. Rows whose project stays
-- NULL are units issued elsewhere (acquired from a peer registry) and are never shown.
CREATE TABLE unit_totals (
    unit_id    varchar(80) PRIMARY KEY,
    project_id varchar(32) REFERENCES project (id),
    vintage    int,
    issued     bigint      NOT NULL DEFAULT 0 CHECK (issued >= 0),
    retired    bigint      NOT NULL DEFAULT 0 CHECK (retired >= 0),
    cancelled  bigint      NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
    issued_at  timestamptz,
    CHECK ((project_id IS NULL) = (vintage IS NULL) AND (project_id IS NULL) = (issued_at IS NULL))
);
CREATE INDEX unit_totals_project ON unit_totals (project_id, vintage) WHERE project_id IS NOT NULL;

-- Issuances recorded before: issued as minted, cancelled at issuance from the minted blocks. Earlier
-- retirements and cancellations were not consumed then (the inbox never saw them): replaying
-- tanso.registry.events to the issuance-service group counts them once (README, "Public projects").
INSERT INTO unit_totals (unit_id, project_id, vintage, issued, cancelled, issued_at)
SELECT r.unit_id, r.project_id, r.vintage, r.quantity,
       coalesce((SELECT sum((b ->> 'end')::bigint - (b ->> 'start')::bigint + 1)
                 FROM json_array_elements(r.issued_blocks::json) b
                 WHERE b ->> 'state' = 'CANCELLED'), 0),
       r.completed_at
FROM issuance_request r
WHERE r.status = 'ISSUED' AND r.unit_id IS NOT NULL;
