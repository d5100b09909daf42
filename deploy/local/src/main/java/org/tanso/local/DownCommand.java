package org.tanso.local;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "down",
    description = "Stops exactly the processes 'tanso up' started (by PID). Data is kept.")
final class DownCommand implements Callable<Integer> {

  @ParentCommand TansoCommand parent;

  @Override
  public Integer call() throws Exception {
    StackLayout layout = parent.layout();
    StackState state = StackState.load(layout.stateFile());
    List<StackState.Component> components = new ArrayList<>(state.components());
    if (components.isEmpty()) {
      System.out.println(
          "Tanso is not running (no processes recorded in " + layout.stateFile() + ").");
      return 0;
    }
    // services first, then Kafka, then PostgreSQL: the reverse of the start order
    Collections.reverse(components);
    boolean allStopped = true;
    for (StackState.Component component : components) {
      Optional<ProcessHandle> handle = StackState.live(component);
      if (handle.isEmpty()) {
        System.out.printf("  %-23s pid %d already gone%n", component.name(), component.pid());
      } else {
        boolean stopped = stop(handle.get());
        allStopped &= stopped;
        System.out.printf(
            "  %-23s pid %d %s%n",
            component.name(), component.pid(), stopped ? "stopped" : "DID NOT STOP");
      }
      if (StackState.live(component).isEmpty()) {
        state.remove(component.name());
        state.save(layout.stateFile());
      }
    }
    if (allStopped) {
      Files.deleteIfExists(layout.stateFile());
      System.out.println("Tanso is down. Data is kept in " + layout.stateDir() + ".");
      return 0;
    }
    return 1;
  }

  static boolean stop(ProcessHandle handle) throws InterruptedException {
    handle.destroy();
    try {
      handle.onExit().get(30, TimeUnit.SECONDS);
      return true;
    } catch (Exception timeout) {
      handle.destroyForcibly();
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return !handle.isAlive();
      }
    }
  }
}
