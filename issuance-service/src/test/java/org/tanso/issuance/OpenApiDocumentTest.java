package org.tanso.issuance;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.tanso.testing.openapi.OpenApiDocumentContract;

/** docs/openapi/issuance-service.yaml is what the service serves and exactly what it routes. */
@QuarkusTest
class OpenApiDocumentTest extends OpenApiDocumentContract {

  @Override
  protected String documentName() {
    return "issuance-service";
  }

  @Override
  protected List<String> resourcePackages() {
    return List.of("org.tanso.issuance", "org.tanso.identity");
  }
}
