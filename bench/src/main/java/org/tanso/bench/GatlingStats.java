package org.tanso.bench;

import java.nio.file.Path;

/** Throughput, latency percentiles and errors of one Gatling run, per request name and overall. */
record GatlingStats(Path report) {
  static GatlingStats read(Path reportDir) {
    return new GatlingStats(reportDir);
  }
}
