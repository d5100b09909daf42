-- bench/lists: :rows projects (BL_PRJ_...), each with participant BL-P0000001 and one allocation, and :rows
-- issuance requests of the first project, in issuance-service's database.
BEGIN;
INSERT INTO project (id, title, mechanism, host_party, partner_party, methodology, sectoral_scope, authorisation_id,
    authorisation_date, authorisation_purpose, authorisation_purposes, authorised_quantity, cooperative_approach,
    registered_by, registered_at)
SELECT 'BL_PRJ_' || lpad(i::text, 7, '0'), 'Bench project ' || i, CASE WHEN i % 2 = 0 THEN 'A6_4' ELSE 'JCM' END,
       CASE WHEN i % 3 = 0 THEN 'MN' ELSE 'VN' END, 'JP', 'JCM_VN_AM001', 'Energy industries',
       CASE WHEN i % 4 = 0 THEN 'BL-AUTH-' || i END, CASE WHEN i % 4 = 0 THEN date '2025-06-01' END,
       CASE WHEN i % 4 = 0 THEN 'NDC' END, CASE WHEN i % 4 = 0 THEN ARRAY['NDC']::varchar(8)[] END,
       CASE WHEN i % 4 = 0 THEN 1000000 END, CASE WHEN i % 4 = 0 THEN 'JCM-VN-JP' END,
       'bench-admin', timestamptz '2026-01-01' + i * interval '1 second'
  FROM generate_series(1, :rows) i;
INSERT INTO project_participant (project_id, position, participant_id)
SELECT 'BL_PRJ_' || lpad(i::text, 7, '0'), 0, 'BL-P0000001' FROM generate_series(1, :rows) i;
INSERT INTO project_allocation (project_id, position, account, percent)
SELECT 'BL_PRJ_' || lpad(i::text, 7, '0'), 0, 'VN-100-000001-67', 100 FROM generate_series(1, :rows) i;
INSERT INTO issuance_request (id, project_id, status, monitoring_start, monitoring_end, vintage, quantity, report_reference,
    report_sha256, submitted_by, submitter_participant, submitted_at)
SELECT 'BL-REQ-' || lpad(i::text, 7, '0'), 'BL_PRJ_0000001', 'SUBMITTED', date '2020-01-01' + i, date '2020-01-01' + i, 2025, 100,
       'VR-' || i, repeat('ab', 32), 'BL-P0000001', 'BL-P0000001', timestamptz '2026-02-01' + i * interval '1 second'
  FROM generate_series(1, :rows) i;
COMMIT;
ANALYZE;
