package org.tanso.local;

import java.nio.file.Path;

/** Where the local stack finds its programs and keeps its state. */
record StackLayout(Path home, Path stateDir) {

  Path stateFile() {
    return stateDir.resolve("stack.properties");
  }

  Path logs() {
    return stateDir.resolve("logs");
  }

  Path keys() {
    return stateDir.resolve("keys");
  }

  Path kafkaData() {
    return stateDir.resolve("kafka");
  }

  Path postgresData() {
    return stateDir.resolve("postgres");
  }

  Path serviceJar(String service) {
    return home.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
  }
}
