package org.tanso.devtokens;

import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Signs bearer tokens the way Tanso's services read them: RS256, the roles in {@code groups}, the
 * caller's participant id in {@code participant}.
 */
public final class DevTokens {

  /** Issuer the services expect by default in development and tests. */
  public static final String DEFAULT_ISSUER = "https://tanso.local/dev";

  public static final List<String> ROLES =
      List.of("project-developer", "registry-admin", "regulator", "market-operator");

  private final PrivateKey signingKey;
  private final String issuer;

  public DevTokens(PrivateKey signingKey, String issuer) {
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
  }

  /**
   * A token for one role; {@code participant} may be null for roles that act for no participant.
   */
  public String mint(String role, String participant, Duration ttl) {
    return mint(List.of(role), participant, participant == null ? role : participant, ttl);
  }

  public String mint(List<String> groups, String participant, String subject, Duration ttl) {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer);
    claims.setSubject(subject);
    claims.setClaim("upn", subject);
    claims.setStringListClaim("groups", groups);
    if (participant != null) {
      claims.setClaim("participant", participant);
    }
    claims.setIssuedAtToNow();
    claims.setNotBeforeMinutesInThePast(1);
    claims.setExpirationTimeMinutesInTheFuture(Math.max(1, ttl.toSeconds()) / 60f);
    claims.setJwtId(UUID.randomUUID().toString());
    return sign(claims);
  }

  /** Signs arbitrary claims, for tests of expired or otherwise unusual tokens. */
  public String sign(JwtClaims claims) {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(signingKey);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    jws.setHeader("typ", "JWT");
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
  }
}
