package org.tanso.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevSigningKey;
import org.tanso.devtokens.DevTokens;

/**
 * Gives a Quarkus application under test a real Kafka broker (shared by the whole test JVM), a
 * fresh real PostgreSQL database of its own, and the public key its test tokens are signed with.
 *
 * <p>Register it once per service test source set with {@code @QuarkusTestResource(value =
 * TansoTestResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))}.
 */
public class TansoTestResource implements QuarkusTestResourceLifecycleManager {

  private String service = "service";
  private String database;

  @Override
  public void init(Map<String, String> initArgs) {
    service = initArgs.getOrDefault("service", service);
  }

  @Override
  public Map<String, String> start() {
    PostgresAdmin postgres = TestInfrastructure.postgres();
    database = postgres.createFreshDatabase("tanso_test_" + service.replace('-', '_'));
    Map<String, String> config = new HashMap<>();
    config.put("kafka.bootstrap.servers", TestInfrastructure.kafkaBootstrapServers());
    config.put("quarkus.datasource.jdbc.url", postgres.urlOf(database));
    config.put("quarkus.datasource.username", postgres.user());
    config.put("quarkus.datasource.password", postgres.password());
    // the key itself, not its location: in test mode Quarkus generates a key pair of its own when
    // it finds no inline key, and an inline key wins over any location
    config.put(
        "mp.jwt.verify.publickey",
        DevKeys.loadOrCreate(TestInfrastructure.keyDir()).publicKeyPem());
    config.put(
        "mp.jwt.verify.publickey.location",
        TestInfrastructure.keyDir().resolve(DevKeys.PUBLIC_KEY_FILE).toUri().toString());
    config.put("mp.jwt.verify.issuer", DevTokens.DEFAULT_ISSUER);
    // audit-service signs checkpoints with an Ed25519 key; the other services ignore these
    DevSigningKey.ensure(TestInfrastructure.keyDir());
    config.put(
        "tanso.audit.signing.private-key-location",
        TestInfrastructure.keyDir().resolve(DevSigningKey.PRIVATE_KEY_FILE).toString());
    config.put(
        "tanso.audit.signing.public-key-location",
        TestInfrastructure.keyDir().resolve(DevSigningKey.PUBLIC_KEY_FILE).toString());
    return config;
  }

  @Override
  public void stop() {
    if (database != null) {
      TestInfrastructure.postgres().dropDatabase(database);
      database = null;
    }
  }
}
