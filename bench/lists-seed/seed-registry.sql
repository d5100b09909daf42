-- bench/lists: :rows participants, accounts (all held by BL-P0000001), statement lines of one account,
-- international transfers and retirements, in registry-service's database. Ids start with BL.
\timing off
CREATE FUNCTION pg_temp.account_number(party text, type_code int, n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT party || '-' || type_code || '-' || lpad(n::text, 6, '0') || '-' ||
         lpad((98 - ((ascii(substr(party, 1, 1)) - 55)::text || (ascii(substr(party, 2, 1)) - 55)::text
                     || type_code || lpad(n::text, 6, '0') || '00')::numeric % 97)::text, 2, '0')
$$;

BEGIN;
INSERT INTO participant (id, name, party, created_at)
SELECT 'BL-P' || lpad(i::text, 7, '0'), 'Bench participant ' || i, CASE WHEN i % 3 = 0 THEN 'JP' ELSE 'VN' END,
       timestamptz '2026-01-01' + i * interval '1 second'
  FROM generate_series(1, :rows) i;

INSERT INTO account (number, party, type, holder, status, balance, opened_at)
SELECT pg_temp.account_number('VN', 100, nextval('account_number_seq')), 'VN', 'HOLDING', 'BL-P0000001',
       CASE WHEN i % 10 = 0 THEN 'SUSPENDED' ELSE 'OPEN' END, 0, timestamptz '2026-01-01' + i * interval '1 second'
  FROM generate_series(1, :rows) i;
COMMIT;

-- the statement of the holder's first account: :rows lines, transfers in of 2 and out of 1 by turns
BEGIN;
CREATE TEMP TABLE bench_account AS
SELECT number FROM account WHERE holder = 'BL-P0000001' ORDER BY seq LIMIT 1;
INSERT INTO account_movement (account, seq, at, kind, direction, reference, counterparty_account, quantity, effect, balance_after)
SELECT a.number, i, timestamptz '2026-02-01' + i * interval '1 second', 'TRANSFER',
       CASE WHEN i % 2 = 1 THEN 'IN' ELSE 'OUT' END, gen_random_uuid()::text, 'VN-100-000001-' || lpad((i % 100)::text, 2, '0'),
       CASE WHEN i % 2 = 1 THEN 2 ELSE 1 END, CASE WHEN i % 2 = 1 THEN 2 ELSE -1 END,
       ((i + 1) / 2) * 2 - (i / 2)
  FROM bench_account a, generate_series(1, :rows) i;
UPDATE account SET balance = ((:rows + 1) / 2) * 2 - (:rows / 2), movements = :rows
 WHERE number = (SELECT number FROM bench_account);

-- international transfers from that account to JP-JCM: four in five completed, one terminated
INSERT INTO international_transfer (id, direction, status, from_registry, to_registry, from_account, to_account, quantity, units,
                                    answer, initiated_by, proposed_at, answered_at, completed_at, terminated_at, code)
SELECT gen_random_uuid(), 'OUT', CASE WHEN i % 5 = 0 THEN 'TERMINATED' ELSE 'COMPLETED' END, 'VN-JCM', 'JP-JCM',
       (SELECT number FROM bench_account), 'JP-100-000001-67', 1, '[]'::json,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 'ACCEPTED' END, 'BL-P0000001',
       timestamptz '2026-03-01' + i * interval '1 second', timestamptz '2026-03-01' + i * interval '1 second' + interval '100 ms',
       CASE WHEN i % 5 = 0 THEN NULL ELSE timestamptz '2026-03-01' + i * interval '1 second' + interval '200 ms' END,
       CASE WHEN i % 5 = 0 THEN timestamptz '2026-03-01' + i * interval '1 second' + interval '10 minutes' END,
       CASE WHEN i % 5 = 0 THEN 'TIMEOUT' END
  FROM generate_series(1, :rows) i;
COMMIT;

-- :rows retirements of one 10-unit range each, from that account, of one NDC-authorised unit id of project
-- BLPRJ; beneficiaries "Beneficiary 0" .. "Beneficiary 9"
BEGIN;
INSERT INTO unit_issuance (unit_id, request_id, project, mechanism, host_party, vintage, issuance_no, monitoring_start,
    monitoring_end, quantity, authorisation_status, authorisation_id, authorisation_purpose, corresponding_adjustment,
    cooperative_approach, originating_registry, issued_at)
VALUES ('JCM-VN-BLPRJ-2025-0001', 'BL-REQ', 'BLPRJ', 'JCM', 'VN', 2025, 1, '2025-01-01', '2025-12-31', 10 * :rows,
    'AUTHORISED', 'BL-AUTH', 'NDC', 'PENDING', 'JCM-VN-JP', 'VN-JCM', timestamptz '2026-01-01');
INSERT INTO credit_block (unit_id, serial_start, serial_end, vintage, account, state, ca_status)
SELECT 'JCM-VN-BLPRJ-2025-0001', 10 * (i - 1) + 1, 10 * i, 2025, (SELECT number FROM bench_account), 'RETIRED', 'PENDING'
  FROM generate_series(1, :rows) i;
CREATE TEMP TABLE bench_retirement AS
SELECT gen_random_uuid() AS id, i, nextval('retirement_seq') AS no FROM generate_series(1, :rows) i;
INSERT INTO registry_transaction (id, kind, from_account, quantity, initiated_by, beneficiary, purpose, using_party,
    retirement_id, created_at)
SELECT id, 'RETIREMENT', (SELECT number FROM bench_account), 10, 'BL-P0000001', 'Beneficiary ' || (i % 10), 'NDC', 'JP',
    'RET-2026-' || lpad(no::text, 8, '0'), timestamptz '2026-04-01' + i * interval '1 second'
  FROM bench_retirement;
INSERT INTO transaction_block (transaction_id, position, unit_id, serial_start, serial_end, account, state)
SELECT id, 0, 'JCM-VN-BLPRJ-2025-0001', 10 * (i - 1) + 1, 10 * i, (SELECT number FROM bench_account), 'RETIRED'
  FROM bench_retirement;
COMMIT;
ANALYZE;
