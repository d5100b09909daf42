package org.tanso.identity;

import java.util.Set;

/** Who is calling, as read from the bearer token. */
public record Caller(String subject, Set<String> roles, String participant) {

  public boolean is(String role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return is(Roles.REGISTRY_ADMIN);
  }

  public boolean isRegulator() {
    return is(Roles.REGULATOR);
  }

  /** A project developer acting for {@code holder}. */
  public boolean actsFor(String holder) {
    return is(Roles.PROJECT_DEVELOPER) && participant != null && participant.equals(holder);
  }

  /** Scope of idempotency keys: the token subject, else the participant. */
  public String idempotencyScope() {
    return subject != null ? subject : String.valueOf(participant);
  }
}
