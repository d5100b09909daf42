package org.tanso.identity;

/** The roles a bearer token may carry in its {@code groups} claim. */
public final class Roles {

  public static final String PROJECT_DEVELOPER = "project-developer";
  public static final String REGISTRY_ADMIN = "registry-admin";
  public static final String REGULATOR = "regulator";
  public static final String MARKET_OPERATOR = "market-operator";

  /** The token claim naming the participant a caller acts for. */
  public static final String PARTICIPANT_CLAIM = "participant";

  private Roles() {}
}
