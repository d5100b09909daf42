#!/usr/bin/env bash
# Times audit-service on a large log: seeds a fresh database with N real entries (default
# 1,000,000), starts the packaged service on it, then measures GET /audit/verification, inclusion
# proofs and a filtered page of entries. Needs: ./mvnw package done, PostgreSQL on 127.0.0.1:5432,
# the local stack's keys (deploy/local/tanso token ... creates them) and a free port 18083.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
DB=tanso_audit_bench
PG_USER=${TANSO_PG_USER:-postgres}
PORT=18083
KEYS=deploy/local/.run/keys
deploy/local/tanso token regulator >/dev/null   # makes sure the development keys exist
[ -f $KEYS/audit-signing-private.pem ] || { echo "run deploy/local/tanso up once to create $KEYS/audit-signing-*.pem" >&2; exit 1; }

psql -h 127.0.0.1 -U "$PG_USER" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
./mvnw -q -B -o -pl audit-service dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
CP=audit-service/target/test-classes:audit-service/target/classes:$(cat audit-service/target/bench.classpath)
echo "seeding $N entries ..."
/usr/bin/time -f "seeded in %e s" java -Xmx1g -cp "$CP" org.tanso.audit.log.LogSeeder "jdbc:postgresql://127.0.0.1:5432/$DB" "$PG_USER" "${TANSO_PG_PASSWORD:-}" "$N" | tail -1

TANSO_HTTP_PORT=$PORT TANSO_HTTP_HOST=127.0.0.1 TANSO_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB TANSO_DB_USER=$PG_USER \
TANSO_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 TANSO_JWT_PUBLIC_KEY_LOCATION=file:$PWD/$KEYS/jwt-public.pem \
TANSO_AUDIT_SIGNING_PRIVATE_KEY=$KEYS/audit-signing-private.pem TANSO_AUDIT_SIGNING_PUBLIC_KEY=$KEYS/audit-signing-public.pem \
  java -Xmx512m -jar audit-service/target/quarkus-app/quarkus-run.jar > audit-service/target/bench-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:$PORT/q/health/live && break; sleep 1; done
REG=$(deploy/local/tanso token regulator)
H="Authorization: Bearer $REG"
A=http://127.0.0.1:$PORT/audit

echo "verification of the whole log (first call, cold JIT):"
curl -s -H "$H" -w '\n%{time_total} s\n' $A/verification
echo "verification of the whole log (second call):"
curl -s -H "$H" -w '\n%{time_total} s\n' $A/verification
echo "warming up with 300 inclusion proofs ..."
for i in $(seq 1 300); do curl -s -o /dev/null -H "$H" "$A/proofs/inclusion?seq=$(( (RANDOM * 32768 + RANDOM) % N + 1 ))&treeSize=$N"; done
echo "inclusion proofs (200 random entries, tree size $N):"
for i in $(seq 1 200); do curl -s -o /dev/null -H "$H" -w '%{time_total}\n' "$A/proofs/inclusion?seq=$(( (RANDOM * 32768 + RANDOM) % N + 1 ))&treeSize=$N"; done \
  | sort -n | awk '{t[NR]=$1} END {printf "  p50 %.1f ms, p95 %.1f ms, max %.1f ms\n", t[int(NR*0.5)]*1000, t[int(NR*0.95)]*1000, t[NR]*1000}'
echo "a filtered page (subject + type, 100 entries), 50 times:"
for i in $(seq 1 50); do curl -s -o /dev/null -H "$H" -w '%{time_total}\n' "$A/entries?subject=JP-100-$(printf %06d $((RANDOM % 10000)))-00&type=tanso.registry.CreditsTransferred.v1&limit=100"; done \
  | sort -n | awk '{t[NR]=$1} END {printf "  p50 %.1f ms, p95 %.1f ms, max %.1f ms\n", t[int(NR*0.5)]*1000, t[int(NR*0.95)]*1000, t[NR]*1000}'
echo "a time-range page (100 entries), 50 times:"
for i in $(seq 1 50); do curl -s -o /dev/null -H "$H" -w '%{time_total}\n' "$A/entries?from=2025-03-0$((RANDOM % 9 + 1))T00:00:00Z&to=2026-01-01T00:00:00Z&limit=100"; done \
  | sort -n | awk '{t[NR]=$1} END {printf "  p50 %.1f ms, p95 %.1f ms, max %.1f ms\n", t[int(NR*0.5)]*1000, t[int(NR*0.95)]*1000, t[NR]*1000}'
