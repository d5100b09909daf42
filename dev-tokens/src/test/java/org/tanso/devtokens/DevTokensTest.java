package org.tanso.devtokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevTokensTest {

  @TempDir Path dir;

  @Test
  void keysAreCreatedOnceAndReloaded() throws Exception {
    DevKeys first = DevKeys.loadOrCreate(dir);
    DevKeys second = DevKeys.loadOrCreate(dir);
    assertEquals(first.publicKeyPem(), second.publicKeyPem());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(DevKeys.PRIVATE_KEY_FILE))));
    assertTrue(
        Files.readString(dir.resolve(DevKeys.PUBLIC_KEY_FILE))
            .startsWith("-----BEGIN PUBLIC KEY-----"));
  }

  @Test
  void mintedTokenVerifiesWithThePublicKeyAndCarriesRoleAndParticipant() throws Exception {
    DevKeys keys = DevKeys.generate();
    String token =
        new DevTokens(keys.privateKey(), DevTokens.DEFAULT_ISSUER)
            .mint("project-developer", "P-ACME", Duration.ofMinutes(5));
    JwtClaims claims = consumer(keys).processToClaims(token);
    assertEquals(List.of("project-developer"), claims.getStringListClaimValue("groups"));
    assertEquals("P-ACME", claims.getStringClaimValue("participant"));
    assertEquals(DevTokens.DEFAULT_ISSUER, claims.getIssuer());
  }

  @Test
  void tokenSignedByAnotherKeyIsRejected() {
    String token =
        new DevTokens(DevKeys.generate().privateKey(), DevTokens.DEFAULT_ISSUER)
            .mint("regulator", null, Duration.ofMinutes(5));
    assertThrows(
        InvalidJwtException.class, () -> consumer(DevKeys.generate()).processToClaims(token));
  }

  private static JwtConsumer consumer(DevKeys keys) {
    return new JwtConsumerBuilder()
        .setVerificationKey(keys.publicKey())
        .setExpectedIssuer(DevTokens.DEFAULT_ISSUER)
        .setRequireExpirationTime()
        .build();
  }
}
