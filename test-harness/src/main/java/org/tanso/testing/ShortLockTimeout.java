package org.tanso.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A service whose database gives up on a row lock after 1 s (10 s in the services' configuration),
 * so a test of the lock timeout's answer stays short; the statement timeout is the services' own.
 */
public class ShortLockTimeout implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.datasource.jdbc.additional-jdbc-properties.options",
        "-c statement_timeout=30s -c lock_timeout=1s");
  }
}
