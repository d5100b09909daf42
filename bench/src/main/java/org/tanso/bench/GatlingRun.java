package org.tanso.bench;

import io.gatling.app.Gatling$;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Runs one Gatling simulation in this JVM and finds the report it wrote. */
final class GatlingRun {

  private GatlingRun() {}

  static Path run(
      Class<?> simulation, String description, Path resultsDir, Map<String, String> properties)
      throws IOException {
    System.setProperty("gatling.data.enableAnalytics", "false");
    System.setProperty("gatling.http.warmUpUrl", "");
    properties.forEach(System::setProperty);
    Files.createDirectories(resultsDir);
    long before = System.currentTimeMillis();
    int status =
        Gatling$.MODULE$.fromArgs(
            new String[] {
              "-s", simulation.getName(), "-rf", resultsDir.toString(), "-rd", description
            });
    properties.keySet().forEach(System::clearProperty);
    Path report =
        newestReport(resultsDir, simulation.getSimpleName().toLowerCase(), before)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Gatling wrote no report for "
                            + simulation.getSimpleName()
                            + " (status "
                            + status
                            + ")"));
    if (status != 0 && status != 2) {
      throw new IllegalStateException(
          "Gatling ended with status " + status + " for " + simulation.getSimpleName());
    }
    return report;
  }

  private static Optional<Path> newestReport(Path resultsDir, String prefix, long after)
      throws IOException {
    try (Stream<Path> dirs = Files.list(resultsDir)) {
      return dirs.filter(Files::isDirectory)
          .filter(d -> d.getFileName().toString().toLowerCase().startsWith(prefix))
          .filter(d -> d.toFile().lastModified() >= after - 1000)
          .filter(d -> Files.exists(d.resolve("index.html")))
          .max(Comparator.comparingLong(d -> d.toFile().lastModified()));
    }
  }
}
