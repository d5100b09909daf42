package org.tanso.issuance;

import io.quarkus.test.junit.QuarkusTest;
import org.tanso.testing.ServiceSmokeContract;

@QuarkusTest
class IssuanceSmokeTest extends ServiceSmokeContract {

  @Override
  protected String service() {
    return "issuance";
  }
}
