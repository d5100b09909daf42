package org.tanso.audit;

import io.quarkus.test.junit.QuarkusTest;
import org.tanso.testing.ServiceSmokeContract;

@QuarkusTest
class AuditSmokeTest extends ServiceSmokeContract {

  @Override
  protected String service() {
    return "audit";
  }
}
