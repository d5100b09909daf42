package org.tanso.devtokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

/**
 * An Ed25519 key pair for signing audit checkpoints in development and tests, kept as PEM files
 * beside the token keys. Never committed; production keys come from the operator's key store.
 */
public final class DevSigningKey {

  public static final String PRIVATE_KEY_FILE = "audit-signing-private.pem";
  public static final String PUBLIC_KEY_FILE = "audit-signing-public.pem";

  private DevSigningKey() {}

  /** Creates the key pair in {@code dir} unless it is there already. */
  public static void ensure(Path dir) {
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
    if (Files.exists(privateFile) && Files.exists(publicFile)) {
      return;
    }
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      DevKeys.writePair(dir, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, pair);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
