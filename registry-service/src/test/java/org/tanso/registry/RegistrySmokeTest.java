package org.tanso.registry;

import io.quarkus.test.junit.QuarkusTest;
import org.tanso.testing.ServiceSmokeContract;

@QuarkusTest
class RegistrySmokeTest extends ServiceSmokeContract {

  @Override
  protected String service() {
    return "registry";
  }
}
