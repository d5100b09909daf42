package org.tanso.audit;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.tanso.testing.openapi.OpenApiDocumentContract;

/** docs/openapi/audit-service.yaml is what the service serves and exactly what it routes. */
@QuarkusTest
class OpenApiDocumentTest extends OpenApiDocumentContract {

  @Override
  protected String documentName() {
    return "audit-service";
  }

  @Override
  protected List<String> resourcePackages() {
    return List.of("org.tanso.audit", "org.tanso.identity");
  }
}
