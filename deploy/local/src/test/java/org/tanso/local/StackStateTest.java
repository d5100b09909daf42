package org.tanso.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStateTest {

  @TempDir Path dir;

  @Test
  void recordsComponentsInStartOrderAndSurvivesARoundTrip() throws Exception {
    StackState state = new StackState();
    state.put(new StackState.Component("kafka", 10, 9092, "t1"));
    state.put(new StackState.Component("registry-service", 11, 8081, "t2"));
    state.put(new StackState.Component("kafka", 12, 9092, "t3"));
    state.setSetting("postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    state.save(dir.resolve("stack.properties"));

    StackState loaded = StackState.load(dir.resolve("stack.properties"));
    assertEquals(
        List.of(
            new StackState.Component("kafka", 12, 9092, "t3"),
            new StackState.Component("registry-service", 11, 8081, "t2")),
        loaded.components());
    assertEquals(
        "jdbc:postgresql://127.0.0.1:5432/postgres", loaded.setting("postgres.url").orElseThrow());

    loaded.remove("kafka");
    assertEquals(
        List.of("registry-service"),
        loaded.components().stream().map(StackState.Component::name).toList());
  }

  @Test
  void aReusedPidIsNotTheProcessWeStarted() {
    ProcessHandle self = ProcessHandle.current();
    StackState.Component ours =
        new StackState.Component("x", self.pid(), 1, StackState.startedAt(self));
    StackState.Component stranger =
        new StackState.Component("x", self.pid(), 1, "2000-01-01T00:00:00Z");
    assertTrue(StackState.live(ours).isPresent());
    assertFalse(StackState.live(stranger).isPresent());
  }
}
