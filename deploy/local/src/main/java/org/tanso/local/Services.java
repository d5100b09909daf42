package org.tanso.local;

import java.util.List;

/** The three services of Tanso and the local stack's database for each. */
final class Services {

  record Service(String name, String database) {}

  static final List<Service> ALL =
      List.of(
          new Service("registry-service", "tanso_registry"),
          new Service("issuance-service", "tanso_issuance"),
          new Service("audit-service", "tanso_audit"));

  private Services() {}
}
