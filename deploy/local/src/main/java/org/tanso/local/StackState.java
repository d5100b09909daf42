package org.tanso.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code up} started, recorded as it goes: one entry per component with its PID, port and the
 * start time of its process, so that {@code down} stops exactly those processes and never a
 * stranger that reused a PID.
 */
final class StackState {

  /** One started process. */
  record Component(String name, long pid, int port, String startedAt) {}

  private final Properties props = new Properties();

  static StackState load(Path file) throws IOException {
    StackState state = new StackState();
    if (Files.exists(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        state.props.load(in);
      }
    }
    return state;
  }

  void save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      props.store(out, "processes started by 'tanso up'; 'tanso down' stops them");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  void put(Component component) {
    String order = props.getProperty("components", "");
    if (!List.of(order.split(",")).contains(component.name())) {
      props.setProperty(
          "components", order.isEmpty() ? component.name() : order + "," + component.name());
    }
    props.setProperty(component.name() + ".pid", Long.toString(component.pid()));
    props.setProperty(component.name() + ".port", Integer.toString(component.port()));
    props.setProperty(component.name() + ".started", component.startedAt());
  }

  void remove(String name) {
    List<String> names = new ArrayList<>(List.of(props.getProperty("components", "").split(",")));
    names.remove(name);
    names.removeIf(String::isEmpty);
    props.setProperty("components", String.join(",", names));
    props.remove(name + ".pid");
    props.remove(name + ".port");
    props.remove(name + ".started");
  }

  /** Components in start order. */
  List<Component> components() {
    List<Component> result = new ArrayList<>();
    for (String name : props.getProperty("components", "").split(",")) {
      if (name.isEmpty() || props.getProperty(name + ".pid") == null) {
        continue;
      }
      result.add(
          new Component(
              name,
              Long.parseLong(props.getProperty(name + ".pid")),
              Integer.parseInt(props.getProperty(name + ".port", "0")),
              props.getProperty(name + ".started", "")));
    }
    return result;
  }

  void setSetting(String key, String value) {
    props.setProperty("setting." + key, value);
  }

  Optional<String> setting(String key) {
    return Optional.ofNullable(props.getProperty("setting." + key));
  }

  /** The live process of a recorded component, if it is still the one {@code up} started. */
  static Optional<ProcessHandle> live(Component component) {
    return ProcessHandle.of(component.pid())
        .filter(ProcessHandle::isAlive)
        .filter(
            handle ->
                component.startedAt().isEmpty()
                    || handle
                        .info()
                        .startInstant()
                        .map(Object::toString)
                        .map(component.startedAt()::equals)
                        .orElse(true));
  }

  static String startedAt(ProcessHandle handle) {
    return handle.info().startInstant().map(Object::toString).orElse("");
  }
}
