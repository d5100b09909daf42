-- An Article 6 authorisation names its purposes as the AEF does (NDC, OIMP, or both, in the host
-- party's order) and, for OIMP, the host party's first transfer definition (decision 2/CMA.3,
-- annex para 2(b)). authorisation_purpose stays, always the first of the purposes, so that readers
-- of the single-purpose schema keep working.
ALTER TABLE project
    ADD COLUMN authorisation_purposes    varchar(8)[],
    ADD COLUMN first_transfer_definition varchar(24);

-- Until now one purpose each, and OIMP units were stamped when issued (docs/adr/0003).
UPDATE project SET authorisation_purposes = ARRAY[authorisation_purpose]::varchar(8)[] WHERE authorisation_purpose IS NOT NULL;
UPDATE project SET first_transfer_definition = 'ISSUANCE' WHERE authorisation_purpose = 'OIMP';

ALTER TABLE project
    -- one or both of NDC and OIMP, none twice
    ADD CONSTRAINT project_authorisation_purposes_valid CHECK (
        authorisation_purposes IS NULL
        OR (cardinality(authorisation_purposes) BETWEEN 1 AND 2
            AND authorisation_purposes <@ ARRAY['NDC', 'OIMP']::varchar(8)[]
            AND (cardinality(authorisation_purposes) = 1 OR authorisation_purposes[1] <> authorisation_purposes[2]))),
    -- the single purpose is the first of the purposes, and both are there or neither
    ADD CONSTRAINT project_authorisation_purpose_first CHECK (
        (authorisation_purpose IS NULL) = (authorisation_purposes IS NULL)
        AND (authorisation_purpose IS NULL OR authorisation_purpose = authorisation_purposes[1])),
    ADD CONSTRAINT project_first_transfer_definition_valid CHECK (
        first_transfer_definition IN ('AUTHORISATION', 'ISSUANCE', 'USE_OR_CANCELLATION')),
    -- a first transfer definition exactly for OIMP authorisations
    ADD CONSTRAINT project_first_transfer_definition_for_oimp CHECK (
        coalesce('OIMP' = ANY (authorisation_purposes), false) = (first_transfer_definition IS NOT NULL));
