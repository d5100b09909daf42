package org.tanso.local;

import java.util.List;

/** The three services of Tanso and the local stack's database for each. */
final class Services {

  record Service(String name, String databaseSuffix) {

    String database(String prefix) {
      return prefix + "_" + databaseSuffix;
    }
  }

  static final List<Service> ALL =
      List.of(
          new Service("registry-service", "registry"),
          new Service("issuance-service", "issuance"),
          new Service("audit-service", "audit"));

  static Service named(String name) {
    return ALL.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service " + name));
  }

  private Services() {}
}
