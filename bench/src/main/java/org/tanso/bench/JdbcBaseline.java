package org.tanso.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The physical limit of the transfer path: the statements registry-service runs for one transfer
 * (idempotency record, both account rows locked in number order, the sender's active blocks, block
 * split, balances, transaction and its blocks, outbox event, stored response), in one READ
 * COMMITTED transaction, from plain JDBC as fast as it goes. It runs on the stack's own PostgreSQL
 * server (so the same fsync and commit settings) in a scratch database built from
 * registry-service's own migrations, at several client counts.
 */
final class JdbcBaseline {

  record Point(int clients, double transfersPerSecond, long transfers) {}

  private static final int ACCOUNTS = 200;
  private static final long UNITS_PER_ACCOUNT = 1_000_000;

  private final LocalStack stack;
  private final Path migrations;
  private final String database;

  JdbcBaseline(LocalStack stack, Path home) {
    this.stack = stack;
    this.migrations = home.resolve("registry-service/src/main/resources/db/migration");
    this.database = stack.database("bench_baseline");
  }

  List<Point> run(List<Integer> clientCounts, int seconds) throws Exception {
    List<Point> points = new ArrayList<>();
    for (int clients : clientCounts) {
      List<String> accounts = prepare();
      points.add(measure(accounts, clients, seconds));
    }
    return points;
  }

  /** A fresh database with the registry schema and {@value #ACCOUNTS} funded accounts. */
  private List<String> prepare() throws SQLException, IOException {
    try (Connection admin = stack.connect("postgres");
        Statement s = admin.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + database);
    }
    List<String> accounts = new ArrayList<>();
    try (Connection c = stack.connect(database);
        Statement s = c.createStatement()) {
      List<Path> files;
      try (Stream<Path> listed = Files.list(migrations)) {
        files =
            listed
                .filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
                .sorted(
                    Comparator.comparingInt(
                        p ->
                            Integer.parseInt(
                                p.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                .toList();
      }
      for (Path file : files) {
        s.execute(Files.readString(file, StandardCharsets.UTF_8));
      }
      s.execute(
          "INSERT INTO participant (id, name, party) VALUES ('BASE', 'Baseline holder', 'JP')");
      s.execute(
          "INSERT INTO unit_issuance (unit_id, request_id, project, mechanism, host_party, vintage, issuance_no, monitoring_start, monitoring_end,"
              + " quantity, authorisation_status, corresponding_adjustment, issued_at) VALUES ('JCM-VN-BASE-2024-0001', 'base', 'BASE', 'JCM', 'VN',"
              + " 2024, 1, '2024-01-01', '2024-12-31', "
              + ACCOUNTS * UNITS_PER_ACCOUNT
              + ", 'MITIGATION_CONTRIBUTION', 'NONE', now())");
      try (PreparedStatement account =
              c.prepareStatement(
                  "INSERT INTO account (number, party, type, holder, status, balance, opened_at, movements) VALUES (?, 'JP', 'HOLDING', 'BASE', 'OPEN', ?, now(), 1)");
          PreparedStatement opening =
              c.prepareStatement(
                  "INSERT INTO account_movement (account, seq, at, kind, direction, reference, quantity, effect, balance_after)"
                      + " VALUES (?, 1, now(), 'OPENING_BALANCE', 'IN', 'baseline', ?, ?, ?)");
          PreparedStatement block =
              c.prepareStatement(
                  "INSERT INTO credit_block (unit_id, serial_start, serial_end, vintage, account, state) VALUES ('JCM-VN-BASE-2024-0001', ?, ?, 2024, ?, 'ACTIVE')")) {
        for (int i = 0; i < ACCOUNTS; i++) {
          String number = String.format(Locale.ROOT, "JP-100-%06d-00", i + 1);
          accounts.add(number);
          account.setString(1, number);
          account.setLong(2, UNITS_PER_ACCOUNT);
          account.executeUpdate();
          opening.setString(1, number);
          opening.setLong(2, UNITS_PER_ACCOUNT);
          opening.setLong(3, UNITS_PER_ACCOUNT);
          opening.setLong(4, UNITS_PER_ACCOUNT);
          opening.executeUpdate();
          block.setLong(1, i * UNITS_PER_ACCOUNT + 1);
          block.setLong(2, (i + 1) * UNITS_PER_ACCOUNT);
          block.setString(3, number);
          block.executeUpdate();
        }
      }
      s.execute("VACUUM ANALYZE");
    }
    return accounts;
  }

  private Point measure(List<String> accounts, int clients, int seconds)
      throws InterruptedException {
    LongAdder done = new LongAdder();
    AtomicBoolean counting = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      Thread thread =
          new Thread(
              () -> {
                try (Connection c = stack.connect(database)) {
                  c.setAutoCommit(false);
                  Statements st = new Statements(c);
                  while (!stop.get()) {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    String from = accounts.get(r.nextInt(accounts.size()));
                    String to;
                    do {
                      to = accounts.get(r.nextInt(accounts.size()));
                    } while (to.equals(from));
                    st.transfer(from, to, 1);
                    if (counting.get()) {
                      done.increment();
                    }
                  }
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              },
              "baseline-" + t);
      threads.add(thread);
      thread.start();
    }
    Thread.sleep(3_000); // warm-up: connections, plans, caches
    counting.set(true);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    counting.set(false);
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "baseline transfer failed: " + failures.get(0), failures.get(0));
    }
    long n = done.sum();
    return new Point(clients, n / (elapsed / 1e9), n);
  }

  /** One transfer as registry-service runs it, statement for statement. */
  private static final class Statements {
    private final Connection c;
    private final PreparedStatement idempotency;
    private final PreparedStatement lock;
    private final PreparedStatement blocks;
    private final PreparedStatement shrink;
    private final PreparedStatement insertBlock;
    private final PreparedStatement balance;
    private final PreparedStatement transaction;
    private final PreparedStatement transactionBlock;
    private final PreparedStatement outbox;
    private final PreparedStatement response;

    Statements(Connection c) throws SQLException {
      this.c = c;
      idempotency =
          c.prepareStatement(
              "INSERT INTO idempotency_record (caller, idem_key, request_hash, created_at) VALUES (?, ?, ?, now()) ON CONFLICT DO NOTHING");
      lock =
          c.prepareStatement(
              "SELECT number, party, type, holder, status, balance FROM account WHERE number IN (?, ?) ORDER BY number FOR UPDATE");
      blocks =
          c.prepareStatement(
              "SELECT id, unit_id, vintage, serial_start, serial_end FROM credit_block WHERE account = ? AND state = 'ACTIVE' ORDER BY vintage, unit_id, serial_start");
      shrink =
          c.prepareStatement(
              "UPDATE credit_block SET serial_start = ?, serial_end = ?, account = ?, state = ? WHERE id = ?");
      insertBlock =
          c.prepareStatement(
              "INSERT INTO credit_block (unit_id, serial_start, serial_end, vintage, account, state) VALUES (?, ?, ?, ?, ?, ?)");
      // both balances and their statement lines, as LockedAccounts.change does
      balance =
          c.prepareStatement(
              "WITH d AS (SELECT * FROM unnest(CAST(? AS varchar[]), CAST(? AS bigint[]), CAST(? AS varchar[]), CAST(? AS varchar[]))"
                  + " AS d (account, effect, direction, counterparty)),"
                  + " changed AS (UPDATE account a SET balance = a.balance + d.effect, movements = a.movements + 1 FROM d"
                  + " WHERE a.number = d.account RETURNING a.number, a.balance, a.movements)"
                  + " INSERT INTO account_movement (account, seq, at, kind, direction, reference, counterparty_account, quantity, effect, balance_after)"
                  + " SELECT c.number, c.movements, now(), 'TRANSFER', d.direction, ?, d.counterparty, abs(d.effect), d.effect, c.balance"
                  + " FROM changed c JOIN d ON d.account = c.number");
      transaction =
          c.prepareStatement(
              "INSERT INTO registry_transaction (id, kind, from_account, to_account, quantity, initiated_by, created_at) VALUES (?, 'TRANSFER', ?, ?, ?, 'baseline', ?)");
      transactionBlock =
          c.prepareStatement(
              "INSERT INTO transaction_block (transaction_id, position, unit_id, serial_start, serial_end) VALUES (?, 0, ?, ?, ?)");
      outbox =
          c.prepareStatement(
              "INSERT INTO outbox_event (event_id, aggregatetype, aggregateid, type, subject, payload, occurred_at) VALUES (?, 'account', ?, 'tanso.registry.CreditsTransferred.v1', ?, CAST(? AS json), ?)");
      response =
          c.prepareStatement(
              "UPDATE idempotency_record SET response_status = 201, response_body = ? WHERE caller = ? AND idem_key = ?");
    }

    void transfer(String from, String to, long quantity) throws SQLException {
      String caller = "baseline-" + from;
      String key = UUID.randomUUID().toString();
      idempotency.setString(1, caller);
      idempotency.setString(2, key);
      idempotency.setString(3, "0".repeat(64));
      idempotency.executeUpdate();
      lock.setString(1, from);
      lock.setString(2, to);
      Map<String, Long> balances = new LinkedHashMap<>();
      try (ResultSet rs = lock.executeQuery()) {
        while (rs.next()) {
          balances.put(rs.getString(1), rs.getLong(6));
        }
      }
      blocks.setString(1, from);
      long id;
      String unitId;
      int vintage;
      long start;
      long end;
      try (ResultSet rs = blocks.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no units left in " + from);
        }
        id = rs.getLong(1);
        unitId = rs.getString(2);
        vintage = rs.getInt(3);
        start = rs.getLong(4);
        end = rs.getLong(5);
        while (rs.next()) {
          // the service reads every active block of the sender, so does the baseline
        }
      }
      // the sender keeps the low end: the top `quantity` serials of the first block move
      long moveStart = Math.max(start, end - quantity + 1);
      shrink.setLong(1, moveStart);
      shrink.setLong(2, end);
      shrink.setString(3, to);
      shrink.setString(4, "ACTIVE");
      shrink.setLong(5, id);
      shrink.executeUpdate();
      if (moveStart > start) {
        insertBlock.setString(1, unitId);
        insertBlock.setLong(2, start);
        insertBlock.setLong(3, moveStart - 1);
        insertBlock.setInt(4, vintage);
        insertBlock.setString(5, from);
        insertBlock.setString(6, "ACTIVE");
        insertBlock.executeUpdate();
      }
      long moved = end - moveStart + 1;
      UUID tx = UUID.randomUUID();
      balance.setArray(1, c.createArrayOf("varchar", new String[] {from, to}));
      balance.setArray(2, c.createArrayOf("bigint", new Long[] {-moved, moved}));
      balance.setArray(3, c.createArrayOf("varchar", new String[] {"OUT", "IN"}));
      balance.setArray(4, c.createArrayOf("varchar", new String[] {to, from}));
      balance.setString(5, tx.toString());
      balance.executeUpdate();
      Timestamp now = Timestamp.from(Instant.now());
      transaction.setObject(1, tx);
      transaction.setString(2, from);
      transaction.setString(3, to);
      transaction.setLong(4, moved);
      transaction.setTimestamp(5, now);
      transaction.executeUpdate();
      transactionBlock.setObject(1, tx);
      transactionBlock.setString(2, unitId);
      transactionBlock.setLong(3, moveStart);
      transactionBlock.setLong(4, end);
      transactionBlock.executeUpdate();
      String payload =
          "{\"transactionId\":\""
              + tx
              + "\",\"from\":\""
              + from
              + "\",\"to\":\""
              + to
              + "\",\"quantity\":"
              + moved
              + ",\"blocks\":[{\"unitId\":\""
              + unitId
              + "\",\"start\":"
              + moveStart
              + ",\"end\":"
              + end
              + "}],\"at\":\""
              + now.toInstant()
              + "\"}";
      outbox.setObject(1, UUID.randomUUID());
      outbox.setString(2, from);
      outbox.setString(3, from);
      outbox.setString(4, payload);
      outbox.setTimestamp(5, now);
      outbox.executeUpdate();
      response.setString(1, payload);
      response.setString(2, caller);
      response.setString(3, key);
      response.executeUpdate();
      c.commit();
    }
  }
}
