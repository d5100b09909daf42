package org.tanso.testing;

import java.time.Duration;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevTokens;

/** Bearer tokens signed with the key the services under test trust. */
public final class TestTokens {

  private TestTokens() {}

  public static String projectDeveloper(String participant) {
    return forRole("project-developer", participant);
  }

  public static String registryAdmin(String subject) {
    return tokens().mint(List.of("registry-admin"), null, subject, Duration.ofMinutes(30));
  }

  public static String regulator() {
    return forRole("regulator", null);
  }

  public static String marketOperator() {
    return forRole("market-operator", null);
  }

  public static String forRole(String role, String participant) {
    return tokens().mint(role, participant, Duration.ofMinutes(30));
  }

  public static String withGroups(List<String> groups, String participant, String subject) {
    return tokens().mint(groups, participant, subject, Duration.ofMinutes(30));
  }

  /** Signs arbitrary claims with the trusted key: expired tokens, wrong issuers and the like. */
  public static String signed(JwtClaims claims) {
    return tokens().sign(claims);
  }

  /** A well-formed token for {@code role} signed by a key the services do not trust. */
  public static String signedByStranger(String role, String participant) {
    return new DevTokens(DevKeys.generate().privateKey(), DevTokens.DEFAULT_ISSUER)
        .mint(role, participant, Duration.ofMinutes(30));
  }

  private static DevTokens tokens() {
    return new DevTokens(
        DevKeys.loadOrCreate(TestInfrastructure.keyDir()).privateKey(), DevTokens.DEFAULT_ISSUER);
  }
}
