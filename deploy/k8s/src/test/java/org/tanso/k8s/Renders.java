package org.tanso.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The kustomize renders of deploy/k8s: made fresh with {@code kustomize build} or {@code kubectl
 * kustomize} where one of them is on the PATH, and checked in under deploy/k8s/rendered, which is
 * what machines without either are left with.
 */
final class Renders {

  /** deploy/k8s; the tests run in the module's directory. */
  static final Path K8S = Path.of("").toAbsolutePath();

  static final Path ROOT = K8S.resolve("../..").normalize();
  static final Path RENDERED = K8S.resolve("rendered");

  static final String WRITE_PROPERTY = "tanso.k8s.write";

  /** What is rendered: a kustomization directory and the checked-in file of its render. */
  enum Target {
    BASE("base", "base.yaml"),
    PRODUCTION("overlays/production", "production.yaml");

    final String directory;
    final String file;

    Target(String directory, String file) {
      this.directory = directory;
      this.file = file;
    }

    Path checkedIn() {
      return RENDERED.resolve(file);
    }

    String header() {
      return "# The render of deploy/k8s/"
          + directory
          + ", checked in for machines without kustomize or kubectl; do not edit.\n"
          + "# Regenerate: ./mvnw -pl deploy/k8s test -Dtanso.k8s.write=true (ManifestsTest compares it with a fresh render).\n";
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Renders() {}

  /** The command that renders a kustomization directory, if this machine has one. */
  static Optional<List<String>> renderer() {
    Optional<Path> kustomize = onPath("kustomize");
    if (kustomize.isPresent()) {
      return Optional.of(List.of(kustomize.get().toString(), "build"));
    }
    return onPath("kubectl").map(kubectl -> List.of(kubectl.toString(), "kustomize"));
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir).resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Renders {@code target} with {@code command}; fails on a non-zero exit, with kustomize's
   * message.
   */
  static String render(List<String> command, Target target)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(command);
    full.add(K8S.resolve(target.directory).toString());
    Path stderr = Files.createTempFile("kustomize", ".err");
    try {
      Process process = new ProcessBuilder(full).redirectError(stderr.toFile()).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", full) + " did not finish in 120 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", full)
                + " failed ("
                + process.exitValue()
                + "): "
                + Files.readString(stderr));
      }
      return out;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  /** The YAML documents of a render, as JSON trees; empty documents are skipped. */
  static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (values.hasNext()) {
        JsonNode doc = values.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }
}
