package org.tanso.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "token",
    description = "Prints a bearer token the local stack accepts, signed with its development key.")
final class TokenCommand implements Callable<Integer> {

  @ParentCommand TansoCommand parent;

  @Parameters(
      index = "0",
      description = "Role: project-developer, registry-admin, regulator or market-operator")
  String role;

  @Parameters(
      index = "1",
      arity = "0..1",
      description = "Participant id the caller acts for (project developers need one)")
  String participant;

  @Option(
      names = "--subject",
      description = "Token subject (default: the participant, else the role)")
  String subject;

  @Option(
      names = "--ttl-minutes",
      defaultValue = "60",
      description = "Lifetime in minutes (default: ${DEFAULT-VALUE})")
  long ttlMinutes;

  @Override
  public Integer call() {
    if (!DevTokens.ROLES.contains(role)) {
      System.err.println(
          "unknown role '" + role + "'; one of " + String.join(", ", DevTokens.ROLES));
      return 2;
    }
    if (ttlMinutes < 1 || ttlMinutes > 24 * 60) {
      System.err.println("--ttl-minutes must be between 1 and 1440");
      return 2;
    }
    DevKeys keys = DevKeys.loadOrCreate(parent.layout().keys());
    String sub = subject != null ? subject : participant != null ? participant : role;
    System.out.println(
        new DevTokens(keys.privateKey(), DevTokens.DEFAULT_ISSUER)
            .mint(List.of(role), participant, sub, Duration.ofMinutes(ttlMinutes)));
    return 0;
  }
}
