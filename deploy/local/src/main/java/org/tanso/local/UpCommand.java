package org.tanso.local;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevSigningKey;
import org.tanso.devtokens.DevTokens;
import org.tanso.events.Topics;
import org.tanso.kraft.BrokerProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "up", description = "Starts Kafka, PostgreSQL (if none runs) and the three services, and waits until they are ready.")
final class UpCommand implements Callable<Integer> {

  @ParentCommand TansoCommand parent;

  @Option(names = "--kafka-port", defaultValue = "${env:TANSO_KAFKA_PORT:-9092}", description = "Kafka client port (default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(names = "--kafka-controller-port", defaultValue = "${env:TANSO_KAFKA_CONTROLLER_PORT:-9093}", description = "KRaft controller port (default: ${DEFAULT-VALUE})")
  int controllerPort;

  @Option(names = "--registry-port", defaultValue = "${env:TANSO_REGISTRY_PORT:-8081}", description = "registry-service HTTP port (default: ${DEFAULT-VALUE})")
  int registryPort;

  @Option(names = "--issuance-port", defaultValue = "${env:TANSO_ISSUANCE_PORT:-8082}", description = "issuance-service HTTP port (default: ${DEFAULT-VALUE})")
  int issuancePort;

  @Option(names = "--audit-port", defaultValue = "${env:TANSO_AUDIT_PORT:-8083}", description = "audit-service HTTP port (default: ${DEFAULT-VALUE})")
  int auditPort;

  @Option(names = "--pg-url", defaultValue = "${env:TANSO_PG_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}", description = "PostgreSQL server to use if it answers (default: ${DEFAULT-VALUE})")
  String pgUrl;

  @Option(names = "--pg-user", defaultValue = "${env:TANSO_PG_USER:-postgres}", description = "PostgreSQL user, allowed to create databases (default: ${DEFAULT-VALUE})")
  String pgUser;

  @Option(names = "--pg-password", defaultValue = "${env:TANSO_PG_PASSWORD:-}", description = "PostgreSQL password (default: none)")
  String pgPassword;

  @Option(names = "--embedded-pg-port", defaultValue = "${env:TANSO_EMBEDDED_PG_PORT:-5432}", description = "Port of the embedded PostgreSQL started when no server answers (default: ${DEFAULT-VALUE})")
  int embeddedPgPort;

  @Option(names = "--db-prefix", defaultValue = "${env:TANSO_DB_PREFIX:-tanso}", description = "Databases are <prefix>_registry, <prefix>_issuance, <prefix>_audit (default: ${DEFAULT-VALUE})")
  String dbPrefix;

  @Option(names = "--registry-instances", defaultValue = "1",
      description = "registry-service instances sharing one database; extra ones listen on the registry port + 100, + 200, ... (default: ${DEFAULT-VALUE})")
  int registryInstances;

  @Option(names = "--issuance-instances", defaultValue = "1",
      description = "issuance-service instances sharing one database; extra ones listen on the issuance port + 100, + 200, ... (default: ${DEFAULT-VALUE})")
  int issuanceInstances;

  @Option(names = "--audit-instances", defaultValue = "1",
      description = "audit-service instances sharing one database; extra ones listen on the audit port + 100, + 200, ... (default: ${DEFAULT-VALUE})")
  int auditInstances;

  @Option(names = "--fresh", description = "Start from empty: drop the stack's databases and delete its Kafka data first (nothing else is touched)")
  boolean fresh;

  @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for everything to be ready (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    StackLayout layout = parent.layout();
    StackState state = StackState.load(layout.stateFile());
    List<StackState.Component> running = state.components().stream().filter(c -> StackState.live(c).isPresent()).toList();
    if (!running.isEmpty()) {
      System.out.println("Tanso is already running; nothing changed. 'tanso status' shows it, 'tanso down' stops it.");
      running.forEach(c -> System.out.printf("  %-17s pid %d, port %d%n", c.name(), c.pid(), c.port()));
      return 0;
    }
    // nothing recorded is alive: a previous stack died or was stopped; start afresh
    state = new StackState();
    Map<String, Integer> servicePorts = new LinkedHashMap<>();
    servicePorts.put("registry-service", registryPort);
    servicePorts.put("issuance-service", issuancePort);
    servicePorts.put("audit-service", auditPort);
    Map<String, Integer> instanceCounts = Map.of("registry-service", registryInstances, "issuance-service", issuanceInstances, "audit-service", auditInstances);
    // further instances of a service: same database, same broker, other ports
    Map<String, Integer> extraInstances = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> service : servicePorts.entrySet()) {
      int count = instanceCounts.get(service.getKey());
      if (count < 1 || count > 8) {
        System.err.println("--" + service.getKey().replace("-service", "") + "-instances must be between 1 and 8");
        return 2;
      }
      for (int i = 2; i <= count; i++) {
        extraInstances.put(service.getKey() + "." + i, service.getValue() + 100 * (i - 1));
      }
    }
    for (String service : servicePorts.keySet()) {
      if (!Files.exists(layout.serviceJar(service))) {
        System.err.println("missing " + layout.serviceJar(service) + ": build first with ./mvnw package -DskipTests (deploy/local/tanso does this for you)");
        return 1;
      }
    }
    List<Integer> ports = new ArrayList<>(List.of(kafkaPort, controllerPort));
    ports.addAll(servicePorts.values());
    ports.addAll(extraInstances.values());
    if (new java.util.HashSet<>(ports).size() < ports.size()) {
      // an n-th instance listens on its service's port + 100 (n - 1): it must not be another service's port
      System.err.println("two components would listen on the same port " + ports + "; choose ports further apart (see 'tanso up --help')");
      return 2;
    }
    for (int port : ports) {
      if (!portFree(port)) {
        System.err.println("port " + port + " on 127.0.0.1 is in use; choose another with the matching option (see 'tanso up --help')");
        return 1;
      }
    }

    if (!dbPrefix.matches("[a-z][a-z0-9_]{0,40}")) {
      System.err.println("--db-prefix must be lower-case letters, digits and underscores, starting with a letter");
      return 1;
    }
    Instant started = Instant.now();
    Files.createDirectories(layout.logs());
    DevKeys keys = DevKeys.loadOrCreate(layout.keys());
    DevSigningKey.ensure(layout.keys());

    String adminUrl = pgUrl;
    String user = pgUser;
    String password = pgPassword;
    if (!reachable(pgUrl, pgUser, pgPassword)) {
      int port = embeddedPgPort != 0 && portFree(embeddedPgPort) ? embeddedPgPort : freePort();
      System.out.println("No PostgreSQL answers at " + pgUrl + "; starting an embedded one on port " + port + " ...");
      StackState.Component pg = EmbeddedPostgresMain.launch(layout, port);
      state.put(pg);
      state.save(layout.stateFile());
      adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
      user = "postgres";
      password = "";
    }
    if (fresh) {
      for (Services.Service service : Services.ALL) {
        dropDatabase(adminUrl, user, password, service.database(dbPrefix));
      }
      deleteTree(layout.kafkaData());
      System.out.println("Fresh start: dropped the " + dbPrefix + "_* databases and the Kafka data");
    }
    state.setSetting("postgres.url", adminUrl);
    state.setSetting("postgres.user", user);
    state.setSetting("db.prefix", dbPrefix);
    for (Services.Service service : Services.ALL) {
      createDatabaseIfMissing(adminUrl, user, password, service.database(dbPrefix));
    }

    System.out.println("Starting Kafka (KRaft) on 127.0.0.1:" + kafkaPort + " ...");
    BrokerProcess broker =
        BrokerProcess.start(
            new BrokerProcess.Settings(
                layout.kafkaData(),
                kafkaPort,
                controllerPort,
                Map.of(Topics.ISSUANCE_EVENTS, 3, Topics.REGISTRY_EVENTS, 3),
                layout.logs().resolve("kafka.log"),
                false,
                "384m",
                Duration.ofSeconds(timeoutSeconds)));
    ProcessHandle brokerHandle = ProcessHandle.of(broker.pid()).orElseThrow();
    state.put(new StackState.Component("kafka", broker.pid(), kafkaPort, StackState.startedAt(brokerHandle)));
    state.save(layout.stateFile());

    String serverUrl = adminUrl.substring(0, adminUrl.indexOf('/', "jdbc:postgresql://".length()));
    Map<String, Integer> instances = new LinkedHashMap<>(servicePorts);
    instances.putAll(extraInstances);
    for (Map.Entry<String, Integer> instance : instances.entrySet()) {
      Services.Service service = Services.named(instance.getKey().replaceFirst("\\.\\d+$", ""));
      int port = instance.getValue();
      Map<String, String> env = new LinkedHashMap<>();
      env.put("TANSO_HTTP_PORT", Integer.toString(port));
      env.put("TANSO_HTTP_HOST", "127.0.0.1");
      env.put("TANSO_DB_URL", serverUrl + "/" + service.database(dbPrefix));
      env.put("TANSO_DB_USER", user);
      env.put("TANSO_DB_PASSWORD", password);
      env.put("TANSO_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
      env.put("TANSO_JWT_PUBLIC_KEY_LOCATION", layout.keys().resolve(DevKeys.PUBLIC_KEY_FILE).toUri().toString());
      env.put("TANSO_JWT_ISSUER", DevTokens.DEFAULT_ISSUER);
      // readable logs on one machine unless asked otherwise; tracing stays off unless TANSO_TRACING_DISABLED=false
      if (System.getenv("TANSO_LOG_JSON") == null) {
        env.put("TANSO_LOG_JSON", "false");
      }
      if (service.name().equals("audit-service")) {
        env.put("TANSO_AUDIT_SIGNING_PRIVATE_KEY", layout.keys().resolve(DevSigningKey.PRIVATE_KEY_FILE).toString());
        env.put("TANSO_AUDIT_SIGNING_PUBLIC_KEY", layout.keys().resolve(DevSigningKey.PUBLIC_KEY_FILE).toString());
        env.put("TANSO_AUDIT_REGISTRY_URL", "http://127.0.0.1:" + servicePorts.get("registry-service"));
        // reconciliation reads registry-service as a regulator; a development token, valid while the stack runs
        env.put("TANSO_AUDIT_REGISTRY_TOKEN",
            new DevTokens(keys.privateKey(), DevTokens.DEFAULT_ISSUER).mint(List.of("regulator"), null, "audit-service", Duration.ofDays(30)));
      }
      Process process = startService(layout, service.name(), instance.getKey(), env);
      state.put(new StackState.Component(instance.getKey(), process.pid(), port, StackState.startedAt(process.toHandle())));
      state.save(layout.stateFile());
    }

    System.out.println("Waiting for the services to be ready ...");
    Instant deadline = started.plusSeconds(timeoutSeconds);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (Map.Entry<String, Integer> instance : instances.entrySet()) {
      if (!awaitReady(http, instance.getKey(), instance.getValue(), deadline, state)) {
        System.err.println(instance.getKey() + " is not ready after " + timeoutSeconds + " s; see " + layout.logs().resolve(instance.getKey() + ".log"));
        System.err.println("The stack is left as it is for inspection; 'tanso down' stops it.");
        return 1;
      }
    }
    Duration took = Duration.between(started, Instant.now());
    System.out.printf("Tanso is up (ready in %.1f s).%n", took.toMillis() / 1000.0);
    for (Services.Service service : Services.ALL) {
      int port = servicePorts.get(service.name());
      System.out.printf("  %-17s http://127.0.0.1:%d   (OpenAPI /q/openapi, Swagger UI /q/swagger-ui, health /q/health/ready, metrics /q/metrics)%n", service.name(), port);
    }
    extraInstances.forEach((name, port) -> System.out.printf("  %-17s http://127.0.0.1:%d%n", name, port));
    System.out.println("  kafka             127.0.0.1:" + kafkaPort + "   topics " + Topics.ISSUANCE_EVENTS + ", " + Topics.REGISTRY_EVENTS);
    System.out.println("  postgresql        " + adminUrl.replace("/postgres", "") + "   databases " + dbPrefix + "_registry, " + dbPrefix + "_issuance, " + dbPrefix + "_audit");
    System.out.println("  logs              " + layout.logs());
    System.out.println("Get a token:  deploy/local/tanso token registry-admin   |   stop:  deploy/local/tanso down");
    return 0;
  }

  private Process startService(StackLayout layout, String service, String instance, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      command.add("/usr/bin/setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms64m");
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:+ExitOnOutOfMemoryError");
    // extra JVM options for every service, e.g. a profiler agent: TANSO_SERVICE_JAVA_OPTS="-agentpath:..."
    String extra = System.getenv("TANSO_SERVICE_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.add("-jar");
    command.add(layout.serviceJar(service).toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(layout.stateDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.logs().resolve(instance + ".log").toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    return builder.start();
  }

  private static boolean awaitReady(HttpClient http, String service, int port, Instant deadline, StackState state) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(3)).GET().build();
    StackState.Component component = state.components().stream().filter(c -> c.name().equals(service)).findFirst().orElseThrow();
    while (Instant.now().isBefore(deadline)) {
      if (StackState.live(component).isEmpty()) {
        return false;
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    return false;
  }

  static boolean portFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static boolean reachable(String url, String user, String password) {
    DriverManager.setLoginTimeout(3);
    try (Connection ignored = DriverManager.getConnection(url, user, password)) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static void dropDatabase(String adminUrl, String user, String password, String database) throws SQLException {
    try (Connection connection = DriverManager.getConnection(adminUrl, user, password)) {
      // names are this program's constants behind a prefix checked against [a-z][a-z0-9_]*
      connection.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void createDatabaseIfMissing(String adminUrl, String user, String password, String database) throws SQLException {
    try (Connection connection = DriverManager.getConnection(adminUrl, user, password)) {
      try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, database);
        try (ResultSet rs = exists.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
      // names are this program's constants behind a prefix checked against [a-z][a-z0-9_]*
      connection.createStatement().execute("CREATE DATABASE " + database);
      System.out.println("Created database " + database);
    }
  }
}
