-- A retirement's public id is one of its entry's subjects (Subjects.java), so that its certificate
-- (GET /public/certificates/{retirementId}) finds it through the index. Entries logged before that
-- get the subject now; rows are only added, as everywhere in the log.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT seq, payload FROM audit_entry
             WHERE payload_json AND type = 'tanso.registry.CreditsRetired.v1' ORDER BY seq LOOP
        BEGIN
            INSERT INTO audit_subject (subject, seq)
            SELECT p ->> 'retirementId', r.seq
            FROM (SELECT r.payload::jsonb AS p) x
            WHERE jsonb_typeof(p -> 'retirementId') = 'string'
              AND btrim(p ->> 'retirementId') <> ''
              AND length(p ->> 'retirementId') <= 300
            ON CONFLICT DO NOTHING;
        EXCEPTION WHEN others THEN
            -- JSON to the service's parser but not to jsonb (a \u0000 in a string): that entry is
            -- left without the subject rather than the migration failing
            RAISE NOTICE 'entry % keeps its subjects: %', r.seq, SQLERRM;
        END;
    END LOOP;
END;
$$;
