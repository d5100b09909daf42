package org.tanso.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user + system, from /proc) used by each part of the stack between two snapshots: the
 * stack's processes, every PostgreSQL server process, and this JVM (the load generator). Divided by
 * the work done, it says where the machine's cores went.
 */
final class CpuMeter {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private final LocalStack stack;

  CpuMeter(LocalStack stack) {
    this.stack = stack;
  }

  /** CPU seconds used so far, per part. */
  Map<String, Double> snapshot() {
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (LocalStack.Component c : stack.components()) {
      cpu.put(c.name(), seconds(c.pid()));
    }
    double postgres = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        if (comm(p).equals("postgres")) {
          postgres += seconds(Long.parseLong(p.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      // /proc unreadable: report no PostgreSQL figure
    }
    cpu.put("postgresql (all server processes)", postgres);
    cpu.put("load generator (this JVM)", seconds(ProcessHandle.current().pid()));
    return cpu;
  }

  /** CPU seconds per part between {@code before} and {@code after}. */
  static Map<String, Double> used(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> used = new LinkedHashMap<>();
    after.forEach(
        (k, v) -> used.put(k, Math.round((v - before.getOrDefault(k, 0.0)) * 100) / 100.0));
    return used;
  }

  private static String comm(Path proc) {
    try {
      return Files.readString(proc.resolve("comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the command name, which is in parentheses and may contain spaces
      List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
      return (Long.parseLong(f.get(11)) + Long.parseLong(f.get(12))) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
