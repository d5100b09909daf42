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
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevSigningKey;
import org.tanso.devtokens.DevTokens;
import org.tanso.events.Topics;
import org.tanso.kraft.BrokerProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "up",
    description =
        "Starts Kafka, PostgreSQL (if none runs) and the three services, and waits until they are ready. On a partly running stack it starts only what is stopped.")
final class UpCommand implements Callable<Integer> {

  @ParentCommand TansoCommand parent;

  @Option(
      names = "--kafka-port",
      defaultValue = "${env:TANSO_KAFKA_PORT:-9092}",
      description = "Kafka client port (default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(
      names = "--kafka-controller-port",
      defaultValue = "${env:TANSO_KAFKA_CONTROLLER_PORT:-9093}",
      description = "KRaft controller port (default: ${DEFAULT-VALUE})")
  int controllerPort;

  @Option(
      names = "--registry-port",
      defaultValue = "${env:TANSO_REGISTRY_PORT:-8081}",
      description = "registry-service HTTP port (default: ${DEFAULT-VALUE})")
  int registryPort;

  @Option(
      names = "--issuance-port",
      defaultValue = "${env:TANSO_ISSUANCE_PORT:-8082}",
      description = "issuance-service HTTP port (default: ${DEFAULT-VALUE})")
  int issuancePort;

  @Option(
      names = "--audit-port",
      defaultValue = "${env:TANSO_AUDIT_PORT:-8083}",
      description = "audit-service HTTP port (default: ${DEFAULT-VALUE})")
  int auditPort;

  @Option(
      names = "--pg-url",
      defaultValue = "${env:TANSO_PG_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}",
      description = "PostgreSQL server to use if it answers (default: ${DEFAULT-VALUE})")
  String pgUrl;

  @Option(
      names = "--pg-user",
      defaultValue = "${env:TANSO_PG_USER:-postgres}",
      description = "PostgreSQL user, allowed to create databases (default: ${DEFAULT-VALUE})")
  String pgUser;

  @Option(
      names = "--pg-password",
      defaultValue = "${env:TANSO_PG_PASSWORD:-}",
      description = "PostgreSQL password (default: none)")
  String pgPassword;

  @Option(
      names = "--embedded-pg-port",
      defaultValue = "${env:TANSO_EMBEDDED_PG_PORT:-5432}",
      description =
          "Port of the embedded PostgreSQL started when no server answers (default: ${DEFAULT-VALUE})")
  int embeddedPgPort;

  @Option(
      names = "--db-prefix",
      defaultValue = "${env:TANSO_DB_PREFIX:-tanso}",
      description =
          "Databases are <prefix>_registry, <prefix>_issuance, <prefix>_audit (default: ${DEFAULT-VALUE})")
  String dbPrefix;

  @Option(
      names = "--registry-instances",
      defaultValue = "1",
      description =
          "registry-service instances sharing one database; extra ones listen on the registry port + 100, + 200, ... (default: ${DEFAULT-VALUE})")
  int registryInstances;

  @Option(
      names = "--issuance-instances",
      defaultValue = "1",
      description =
          "issuance-service instances sharing one database; extra ones listen on the issuance port + 100, + 200, ... (default: ${DEFAULT-VALUE})")
  int issuanceInstances;

  @Option(
      names = "--audit-instances",
      defaultValue = "1",
      description =
          "audit-service instances sharing one database; extra ones listen on the audit port + 100, + 200, ... (default: ${DEFAULT-VALUE})")
  int auditInstances;

  @Option(
      names = "--peer-registry",
      paramLabel = "PARTY",
      description =
          "Also run a second registry for this party (two capital letters; JP is the one set up): id <PARTY>-JCM, its own registry-service and audit-service and databases, on the same broker and with the same development key")
  String peerParty;

  @Option(
      names = "--peer-registry-port",
      defaultValue = "${env:TANSO_PEER_REGISTRY_PORT:-8091}",
      description = "The peer registry's registry-service HTTP port (default: ${DEFAULT-VALUE})")
  int peerRegistryPort;

  @Option(
      names = "--peer-audit-port",
      defaultValue = "${env:TANSO_PEER_AUDIT_PORT:-8093}",
      description = "The peer registry's audit-service HTTP port (default: ${DEFAULT-VALUE})")
  int peerAuditPort;

  @Option(
      names = "--fresh",
      description =
          "Start from empty: drop the stack's databases and delete its Kafka data first (nothing else is touched)")
  boolean fresh;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "Seconds to wait for everything to be ready (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  /** One service process of the stack: which service, for which registry, on which port. */
  record Instance(String name, Services.Service service, Registries.Registry registry, int port) {}

  /** How long a live service that does not answer HTTP yet is given before it is taken for hung. */
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(15);

  @Override
  public Integer call() throws Exception {
    StackLayout layout = parent.layout();
    Instant started = Instant.now();
    StackState recorded = StackState.load(layout.stateFile());
    // some recorded process still runs: complete that stack (start what is stopped, keep what
    // runs);
    // none does: a previous stack died or was stopped, start afresh with this command's options
    boolean resuming = recorded.components().stream().anyMatch(c -> StackState.live(c).isPresent());
    StackState state = resuming ? recorded : new StackState();

    Optional<Registries.Registry> peer;
    try {
      String recordedPeer = resuming ? recorded.setting("peer.party").orElse(null) : null;
      if (recordedPeer != null && peerParty != null && !recordedPeer.equals(peerParty)) {
        System.err.println(
            "the running stack's peer registry is "
                + Registries.peer(recordedPeer).id()
                + "; 'tanso down' first to run another");
        return 2;
      }
      String party = peerParty != null ? peerParty : recordedPeer;
      peer = party == null ? Optional.empty() : Optional.of(Registries.peer(party));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    if (resuming && fresh) {
      System.err.println(
          "--fresh starts from empty databases: stop the running stack first with 'tanso down'");
      return 2;
    }
    String prefix = resuming ? recorded.setting("db.prefix").orElse(dbPrefix) : dbPrefix;
    if (!prefix.matches("[a-z][a-z0-9_]{0,40}")) {
      System.err.println(
          "--db-prefix must be lower-case letters, digits and underscores, starting with a letter");
      return 1;
    }

    Map<String, Integer> servicePorts = new LinkedHashMap<>();
    servicePorts.put("registry-service", registryPort);
    servicePorts.put("issuance-service", issuancePort);
    servicePorts.put("audit-service", auditPort);
    Map<String, Integer> instanceCounts =
        Map.of(
            "registry-service",
            registryInstances,
            "issuance-service",
            issuanceInstances,
            "audit-service",
            auditInstances);
    List<Instance> instances = new ArrayList<>();
    for (Map.Entry<String, Integer> service : servicePorts.entrySet()) {
      instances.add(
          new Instance(
              service.getKey(),
              Services.named(service.getKey()),
              Registries.MAIN,
              service.getValue()));
    }
    // further instances of a service: same database, same broker, other ports
    for (Map.Entry<String, Integer> service : servicePorts.entrySet()) {
      int count = instanceCounts.get(service.getKey());
      if (count < 1 || count > 8) {
        System.err.println(
            "--" + service.getKey().replace("-service", "") + "-instances must be between 1 and 8");
        return 2;
      }
      for (int i = 2; i <= count; i++) {
        instances.add(
            new Instance(
                service.getKey() + "." + i,
                Services.named(service.getKey()),
                Registries.MAIN,
                service.getValue() + 100 * (i - 1)));
      }
    }
    if (peer.isPresent()) {
      Map<String, Integer> peerPorts =
          Map.of("registry-service", peerRegistryPort, "audit-service", peerAuditPort);
      for (String service : Registries.PEER_SERVICES) {
        instances.add(
            new Instance(
                peer.get().component(service),
                Services.named(service),
                peer.get(),
                peerPorts.get(service)));
      }
    }
    // a component the stack already has keeps its port: the others were configured with it
    Map<String, StackState.Component> known = new LinkedHashMap<>();
    state.components().forEach(c -> known.put(c.name(), c));
    instances.replaceAll(
        i ->
            known.containsKey(i.name())
                ? new Instance(i.name(), i.service(), i.registry(), known.get(i.name()).port())
                : i);
    int brokerPort = known.containsKey("kafka") ? known.get("kafka").port() : kafkaPort;
    int brokerControllerPort =
        state.setting("kafka.controller.port").map(Integer::parseInt).orElse(controllerPort);

    for (Instance instance : instances) {
      if (!Files.exists(layout.serviceJar(instance.service().name()))) {
        System.err.println(
            "missing "
                + layout.serviceJar(instance.service().name())
                + ": build first with ./mvnw package -DskipTests (deploy/local/tanso does this for you)");
        return 1;
      }
    }
    List<Integer> ports = new ArrayList<>(List.of(brokerPort, brokerControllerPort));
    instances.forEach(i -> ports.add(i.port()));
    if (new java.util.HashSet<>(ports).size() < ports.size()) {
      // an n-th instance listens on its service's port + 100 (n - 1): it must not be another
      // service's port
      System.err.println(
          "two components would listen on the same port "
              + ports
              + "; choose ports further apart (see 'tanso up --help')");
      return 2;
    }

    // what runs and answers is kept; what is recorded but dead or hung is started again
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<String> kept = new ArrayList<>();
    List<String> toStart = new ArrayList<>();
    Optional<StackState.Component> recordedBroker = Optional.ofNullable(known.get("kafka"));
    boolean brokerRuns =
        recordedBroker.flatMap(StackState::live).isPresent() && !portFree(brokerPort);
    (brokerRuns ? kept : toStart).add("kafka");
    List<Instance> instancesToStart = new ArrayList<>();
    for (Instance instance : instances) {
      StackState.Component component = known.get(instance.name());
      if (component != null && StackState.live(component).isPresent()) {
        if (answers(http, component)) {
          kept.add(instance.name());
          continue;
        }
        System.out.println(
            instance.name()
                + " (pid "
                + component.pid()
                + ") runs but does not answer on port "
                + component.port()
                + "; stopping it");
        DownCommand.stop(StackState.live(component).get());
      }
      toStart.add(instance.name());
      instancesToStart.add(instance);
    }
    Optional<ProcessHandle> hungBroker =
        brokerRuns ? Optional.empty() : recordedBroker.flatMap(StackState::live);
    if (hungBroker.isPresent()) {
      System.out.println(
          "kafka (pid "
              + hungBroker.get().pid()
              + ") runs but does not listen on port "
              + brokerPort
              + "; stopping it");
      DownCommand.stop(hungBroker.get());
    }
    List<Integer> portsToFree = new ArrayList<>();
    if (!brokerRuns) {
      portsToFree.addAll(List.of(brokerPort, brokerControllerPort));
    }
    instancesToStart.forEach(i -> portsToFree.add(i.port()));
    for (int port : portsToFree) {
      if (!portFree(port)) {
        System.err.println(
            "port "
                + port
                + " on 127.0.0.1 is in use; choose another with the matching option (see 'tanso up --help')");
        return 1;
      }
    }

    Files.createDirectories(layout.logs());
    DevKeys keys = DevKeys.loadOrCreate(layout.keys());
    DevSigningKey.ensure(layout.keys());

    String adminUrl;
    String user;
    String password;
    Optional<StackState.Component> recordedPg = Optional.ofNullable(known.get("postgres"));
    if (resuming && recordedPg.isPresent()) {
      // the stack's own embedded server: start it again on its port if it is gone
      adminUrl =
          recorded
              .setting("postgres.url")
              .orElse("jdbc:postgresql://127.0.0.1:" + recordedPg.get().port() + "/postgres");
      user = "postgres";
      password = "";
      if (recordedPg.flatMap(StackState::live).isPresent() && reachable(adminUrl, user, password)) {
        kept.add(0, "postgres");
      } else {
        Optional<ProcessHandle> hungPg = recordedPg.flatMap(StackState::live);
        if (hungPg.isPresent()) {
          DownCommand.stop(hungPg.get());
        }
        System.out.println(
            "Starting the embedded PostgreSQL again on port " + recordedPg.get().port() + " ...");
        state.put(EmbeddedPostgresMain.launch(layout, recordedPg.get().port()));
        state.save(layout.stateFile());
        toStart.add(0, "postgres");
      }
    } else if (resuming) {
      adminUrl = recorded.setting("postgres.url").orElse(pgUrl);
      user = recorded.setting("postgres.user").orElse(pgUser);
      password = pgPassword;
      if (!reachable(adminUrl, user, password)) {
        System.err.println(
            "PostgreSQL at "
                + adminUrl
                + ", which this stack uses, does not answer: start it, or 'tanso down' and 'tanso up' again");
        return 1;
      }
    } else {
      adminUrl = pgUrl;
      user = pgUser;
      password = pgPassword;
      if (!reachable(pgUrl, pgUser, pgPassword)) {
        int port = embeddedPgPort != 0 && portFree(embeddedPgPort) ? embeddedPgPort : freePort();
        System.out.println(
            "No PostgreSQL answers at "
                + pgUrl
                + "; starting an embedded one on port "
                + port
                + " ...");
        StackState.Component pg = EmbeddedPostgresMain.launch(layout, port);
        state.put(pg);
        state.save(layout.stateFile());
        adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        user = "postgres";
        password = "";
      }
    }
    List<String> databases = new ArrayList<>();
    for (Services.Service service : Services.ALL) {
      databases.add(Registries.MAIN.database(prefix, service));
    }
    peer.ifPresent(
        p ->
            Registries.PEER_SERVICES.forEach(
                s -> databases.add(p.database(prefix, Services.named(s)))));
    if (fresh) {
      for (String database : databases) {
        dropDatabase(adminUrl, user, password, database);
      }
      deleteTree(layout.kafkaData());
      System.out.println("Fresh start: dropped the " + prefix + "_* databases and the Kafka data");
    }
    state.setSetting("postgres.url", adminUrl);
    state.setSetting("postgres.user", user);
    state.setSetting("db.prefix", prefix);
    state.setSetting("kafka.controller.port", Integer.toString(brokerControllerPort));
    peer.ifPresent(
        p -> {
          state.setSetting("peer.party", p.party());
          state.setSetting("peer.registry.id", p.id());
        });
    for (String database : databases) {
      createDatabaseIfMissing(adminUrl, user, password, database);
    }

    Map<String, Integer> topics = topics(peer);
    if (brokerRuns) {
      // e.g. a peer registry joining a running stack: its topics are new to the broker
      ensureTopics("127.0.0.1:" + brokerPort, topics);
    } else {
      System.out.println("Starting Kafka (KRaft) on 127.0.0.1:" + brokerPort + " ...");
      BrokerProcess broker =
          BrokerProcess.start(
              new BrokerProcess.Settings(
                  layout.kafkaData(),
                  brokerPort,
                  brokerControllerPort,
                  topics,
                  layout.logs().resolve("kafka.log"),
                  false,
                  "384m",
                  Duration.ofSeconds(timeoutSeconds)));
      ProcessHandle brokerHandle = ProcessHandle.of(broker.pid()).orElseThrow();
      state.put(
          new StackState.Component(
              "kafka", broker.pid(), brokerPort, StackState.startedAt(brokerHandle)));
    }
    state.save(layout.stateFile());

    if (resuming && toStart.isEmpty()) {
      System.out.println(
          "Tanso is already running; nothing changed. 'tanso status' shows it, 'tanso down' stops it.");
      state
          .components()
          .forEach(
              c -> System.out.printf("  %-23s pid %d, port %d%n", c.name(), c.pid(), c.port()));
      return 0;
    }
    if (resuming) {
      System.out.println(
          "Tanso was partly running: starting "
              + String.join(", ", toStart)
              + "; left running: "
              + (kept.isEmpty() ? "nothing" : String.join(", ", kept)));
    }

    String serverUrl = adminUrl.substring(0, adminUrl.indexOf('/', "jdbc:postgresql://".length()));
    Map<String, Integer> portOf = new LinkedHashMap<>();
    instances.forEach(i -> portOf.put(i.name(), i.port()));
    for (Instance instance : instancesToStart) {
      Map<String, String> env =
          environment(
              instance,
              peer,
              portOf,
              layout,
              keys,
              serverUrl + "/" + instance.registry().database(prefix, instance.service()),
              user,
              password,
              brokerPort);
      Process process = startService(layout, instance.service().name(), instance.name(), env);
      state.put(
          new StackState.Component(
              instance.name(),
              process.pid(),
              instance.port(),
              StackState.startedAt(process.toHandle())));
      state.save(layout.stateFile());
    }

    System.out.println("Waiting for the services to be ready ...");
    Instant deadline = started.plusSeconds(timeoutSeconds);
    for (Instance instance : instances) {
      if (!awaitReady(http, instance.name(), instance.port(), deadline, state)) {
        System.err.println(
            instance.name()
                + " is not ready after "
                + timeoutSeconds
                + " s; see "
                + layout.logs().resolve(instance.name() + ".log"));
        System.err.println("The stack is left as it is for inspection; 'tanso down' stops it.");
        return 1;
      }
    }
    Duration took = Duration.between(started, Instant.now());
    System.out.printf("Tanso is up (ready in %.1f s).%n", took.toMillis() / 1000.0);
    for (Instance instance : instances) {
      if (instance.name().equals(instance.service().name())) {
        System.out.printf(
            "  %-23s http://127.0.0.1:%d   (OpenAPI /q/openapi, Swagger UI /q/swagger-ui, health /q/health/ready, metrics /q/metrics)%n",
            instance.name(), instance.port());
      } else if (instance.registry().peer()) {
        System.out.printf(
            "  %-23s http://127.0.0.1:%d   (%s, %s)%n",
            instance.name(), instance.port(), instance.registry().id(), instance.registry().name());
      } else {
        System.out.printf("  %-23s http://127.0.0.1:%d%n", instance.name(), instance.port());
      }
    }
    System.out.printf(
        "  %-23s 127.0.0.1:%d   topics %s%n",
        "kafka", brokerPort, String.join(", ", topics.keySet()));
    System.out.printf(
        "  %-23s %s   databases %s%n",
        "postgresql", adminUrl.replace("/postgres", ""), String.join(", ", databases));
    System.out.printf("  %-23s %s%n", "logs", layout.logs());
    System.out.println(
        "Get a token:  deploy/local/tanso token registry-admin   |   stop:  deploy/local/tanso down");
    return 0;
  }

  /**
   * The topics the stack creates up front: each registry's two event topics and one
   * registry-to-registry topic per registry, which that registry reads (the main registry reads its
   * own even without a peer).
   */
  static Map<String, Integer> topics(Optional<Registries.Registry> peer) {
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(Topics.ISSUANCE_EVENTS, 3);
    topics.put(Topics.REGISTRY_EVENTS, 3);
    topics.put(Registries.MAIN.interregistryTopic(), 3);
    peer.ifPresent(
        p -> {
          topics.put(p.interregistryTopic(), 3);
          topics.put(p.issuanceEventsTopic(), 3);
          topics.put(p.registryEventsTopic(), 3);
        });
    return topics;
  }

  /**
   * The environment of one service instance: where its database and broker are, and which registry
   * it is.
   */
  static Map<String, String> environment(
      Instance instance,
      Optional<Registries.Registry> peer,
      Map<String, Integer> portOf,
      StackLayout layout,
      DevKeys keys,
      String databaseUrl,
      String user,
      String password,
      int brokerPort) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TANSO_HTTP_PORT", Integer.toString(instance.port()));
    env.put("TANSO_HTTP_HOST", "127.0.0.1");
    env.put("TANSO_DB_URL", databaseUrl);
    env.put("TANSO_DB_USER", user);
    env.put("TANSO_DB_PASSWORD", password);
    env.put("TANSO_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + brokerPort);
    env.put(
        "TANSO_JWT_PUBLIC_KEY_LOCATION",
        layout.keys().resolve(DevKeys.PUBLIC_KEY_FILE).toUri().toString());
    env.put("TANSO_JWT_ISSUER", DevTokens.DEFAULT_ISSUER);
    // readable logs on one machine unless asked otherwise; tracing stays off unless
    // TANSO_TRACING_DISABLED=false
    if (System.getenv("TANSO_LOG_JSON") == null) {
      env.put("TANSO_LOG_JSON", "false");
    }
    Registries.Registry registry = instance.registry();
    String service = instance.service().name();
    if (service.equals("registry-service")) {
      if (registry.peer()) {
        env.put("TANSO_REGISTRY_ID", registry.id());
        env.put("TANSO_REGISTRY_PARTY", registry.party());
        env.put("TANSO_REGISTRY_NAME", registry.name());
        env.put("TANSO_REGISTRY_PEERS", Registries.MAIN.asPeerEntry());
        env.put("TANSO_REGISTRY_EVENTS_TOPIC", registry.registryEventsTopic());
        env.put("TANSO_ISSUANCE_EVENTS_TOPIC", registry.issuanceEventsTopic());
        env.put("TANSO_KAFKA_GROUP", registry.group(service));
      } else {
        peer.ifPresent(p -> env.put("TANSO_REGISTRY_PEERS", p.asPeerEntry()));
      }
    }
    if (service.equals("audit-service")) {
      env.put(
          "TANSO_AUDIT_SIGNING_PRIVATE_KEY",
          layout.keys().resolve(DevSigningKey.PRIVATE_KEY_FILE).toString());
      env.put(
          "TANSO_AUDIT_SIGNING_PUBLIC_KEY",
          layout.keys().resolve(DevSigningKey.PUBLIC_KEY_FILE).toString());
      env.put(
          "TANSO_AUDIT_REGISTRY_URL",
          "http://127.0.0.1:" + portOf.get(registry.component("registry-service")));
      // reconciliation reads registry-service as a regulator; a development token, valid while the
      // stack runs
      env.put(
          "TANSO_AUDIT_REGISTRY_TOKEN",
          new DevTokens(keys.privateKey(), DevTokens.DEFAULT_ISSUER)
              .mint(List.of("regulator"), null, "audit-service", Duration.ofDays(30)));
      if (registry.peer()) {
        env.put("TANSO_AUDIT_TOPICS", registry.auditTopicPattern());
        env.put("TANSO_KAFKA_GROUP", registry.group(service));
      }
    }
    return env;
  }

  /**
   * Whether a running service answers at all. Liveness, not readiness: readiness waits on the
   * broker and the database, so a healthy service whose broker is the dead component would look
   * hung and be restarted for nothing.
   */
  private static boolean answers(HttpClient http, StackState.Component component)
      throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + component.port() + "/q/health/live"))
            .timeout(Duration.ofSeconds(3))
            .GET()
            .build();
    Instant deadline = Instant.now().plus(ANSWER_GRACE);
    do {
      if (StackState.live(component).isEmpty()) {
        return false;
      }
      try {
        http.send(request, HttpResponse.BodyHandlers.discarding());
        return true;
      } catch (IOException notYet) {
        // still starting, or hung: ask again until the grace period ends
      }
      Thread.sleep(500);
    } while (Instant.now().isBefore(deadline));
    return false;
  }

  private static void ensureTopics(String bootstrap, Map<String, Integer> topics) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      for (Map.Entry<String, Integer> topic : topics.entrySet()) {
        try {
          admin
              .createTopics(List.of(new NewTopic(topic.getKey(), topic.getValue(), (short) 1)))
              .all()
              .get(30, java.util.concurrent.TimeUnit.SECONDS);
          System.out.println("Created topic " + topic.getKey());
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }

  private Process startService(
      StackLayout layout, String service, String instance, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      command.add("/usr/bin/setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms64m");
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:+ExitOnOutOfMemoryError");
    // extra JVM options for every service, e.g. a profiler agent:
    // TANSO_SERVICE_JAVA_OPTS="-agentpath:..."
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
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(layout.logs().resolve(instance + ".log").toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    return builder.start();
  }

  private static boolean awaitReady(
      HttpClient http, String service, int port, Instant deadline, StackState state)
      throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
            .timeout(Duration.ofSeconds(3))
            .GET()
            .build();
    StackState.Component component =
        state.components().stream().filter(c -> c.name().equals(service)).findFirst().orElseThrow();
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

  private static void dropDatabase(String adminUrl, String user, String password, String database)
      throws SQLException {
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

  private static void createDatabaseIfMissing(
      String adminUrl, String user, String password, String database) throws SQLException {
    try (Connection connection = DriverManager.getConnection(adminUrl, user, password)) {
      try (PreparedStatement exists =
          connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
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
