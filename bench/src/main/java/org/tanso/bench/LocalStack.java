package org.tanso.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevTokens;

/**
 * The running local stack as {@code tanso up} recorded it: process ids and ports of every
 * component, the PostgreSQL server, the database prefix and the development signing key.
 */
final class LocalStack {

  record Component(String name, long pid, int port) {}

  private final Properties props;
  private final Path stateDir;
  private final DevTokens tokens;

  private LocalStack(Properties props, Path stateDir) {
    this.props = props;
    this.stateDir = stateDir;
    this.tokens =
        new DevTokens(
            DevKeys.loadOrCreate(stateDir.resolve("keys")).privateKey(), DevTokens.DEFAULT_ISSUER);
  }

  static LocalStack load(Path stateDir) throws IOException {
    Path file = stateDir.resolve("stack.properties");
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          "no local stack recorded in " + file + "; start it with deploy/local/tanso up");
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    }
    LocalStack stack = new LocalStack(props, stateDir);
    for (Component c : stack.components()) {
      if (ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
        throw new IllegalStateException(
            c.name()
                + " (pid "
                + c.pid()
                + ") is not running; restart the stack with deploy/local/tanso up");
      }
    }
    return stack;
  }

  List<Component> components() {
    List<Component> result = new ArrayList<>();
    for (String name : props.getProperty("components", "").split(",")) {
      if (!name.isEmpty() && props.getProperty(name + ".pid") != null) {
        result.add(
            new Component(
                name,
                Long.parseLong(props.getProperty(name + ".pid")),
                Integer.parseInt(props.getProperty(name + ".port", "0"))));
      }
    }
    return result;
  }

  Optional<Component> component(String name) {
    return components().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** Base URLs of every registry-service instance, the first one first. */
  List<String> registryUrls() {
    return components().stream()
        .filter(c -> c.name().startsWith("registry-service"))
        .map(c -> "http://127.0.0.1:" + c.port())
        .toList();
  }

  String issuanceUrl() {
    return "http://127.0.0.1:" + component("issuance-service").orElseThrow().port();
  }

  String auditUrl() {
    return "http://127.0.0.1:" + component("audit-service").orElseThrow().port();
  }

  int kafkaPort() {
    return component("kafka").orElseThrow().port();
  }

  String serverUrl() {
    String admin =
        props.getProperty("setting.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    return admin.substring(0, admin.indexOf('/', "jdbc:postgresql://".length()));
  }

  String dbUser() {
    return props.getProperty("setting.postgres.user", "postgres");
  }

  String database(String suffix) {
    return props.getProperty("setting.db.prefix", "tanso") + "_" + suffix;
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        serverUrl() + "/" + database,
        dbUser(),
        System.getenv().getOrDefault("TANSO_PG_PASSWORD", ""));
  }

  String token(String role, String participant, String subject) {
    return tokens.mint(List.of(role), participant, subject, Duration.ofHours(6));
  }

  Path stateDir() {
    return stateDir;
  }

  /** A setting {@code tanso up} recorded, e.g. {@code peer.registry.id}; null when absent. */
  String setting(String key) {
    return props.getProperty("setting." + key);
  }
}
