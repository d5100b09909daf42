package org.tanso.testing.openapi;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * Before every {@code @QuarkusTest} method (registered in META-INF/services), puts the {@link
 * ContractFilter} of the service's OpenAPI document among RestAssured's default filters, so every
 * component test is a contract test without saying so. Services without a document are left alone.
 */
public class InstallContractFilter implements QuarkusTestBeforeEachCallback {

  @Override
  public void beforeEach(QuarkusTestMethodContext context) {
    OpenApiContract.ofClassPath()
        .ifPresent(
            contract -> {
              boolean installed =
                  RestAssured.filters().stream().anyMatch(f -> f instanceof ContractFilter);
              if (!installed) {
                RestAssured.filters(new ContractFilter(contract));
              }
            });
  }
}
