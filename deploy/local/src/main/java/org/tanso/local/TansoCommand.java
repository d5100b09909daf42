package org.tanso.local;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tanso} command: runs the whole system on one machine with only a JDK. */
@Command(
    name = "tanso",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    version = "tanso local stack 0.1.0",
    description =
        "Runs Tanso (Kafka, PostgreSQL, registry-, issuance- and audit-service) on this machine.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      TokenCommand.class,
      DemoCommand.class
    })
public final class TansoCommand {

  @Option(
      names = "--home",
      description = "Root of the Tanso checkout (default: ${DEFAULT-VALUE})",
      defaultValue = "${env:TANSO_HOME:-.}",
      scope = CommandLine.ScopeType.INHERIT)
  Path home;

  @Option(
      names = "--state-dir",
      description =
          "Where the stack keeps its PIDs, logs, keys and data (default: <home>/deploy/local/.run)",
      defaultValue = "${env:TANSO_STATE_DIR}",
      scope = CommandLine.ScopeType.INHERIT)
  Path stateDir;

  StackLayout layout() {
    Path root = home.toAbsolutePath().normalize();
    return new StackLayout(
        root, stateDir == null ? root.resolve("deploy/local/.run") : stateDir.toAbsolutePath());
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TansoCommand()).execute(args));
  }
}
