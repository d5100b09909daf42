package org.tanso.registry;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.tanso.testing.openapi.OpenApiDocumentContract;

/** docs/openapi/registry-service.yaml is what the service serves and exactly what it routes. */
@QuarkusTest
class OpenApiDocumentTest extends OpenApiDocumentContract {

  @Override
  protected String documentName() {
    return "registry-service";
  }

  @Override
  protected List<String> resourcePackages() {
    return List.of("org.tanso.registry", "org.tanso.identity");
  }
}
