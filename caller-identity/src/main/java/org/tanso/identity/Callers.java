package org.tanso.identity;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The {@link Caller} of the current request. */
@ApplicationScoped
public class Callers {

  private final JsonWebToken token;

  Callers(JsonWebToken token) {
    this.token = token;
  }

  public Caller current() {
    Set<String> groups = token.getGroups() == null ? Set.of() : Set.copyOf(token.getGroups());
    Object participant = token.getClaim(Roles.PARTICIPANT_CLAIM);
    return new Caller(
        token.getSubject(), groups, participant == null ? null : participant.toString());
  }
}
