package org.tanso.devtokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * An RSA key pair for signing development and test tokens, kept as PEM files. The private key never
 * leaves the machine that generated it and is never committed.
 */
public final class DevKeys {

  public static final String PRIVATE_KEY_FILE = "jwt-private.pem";
  public static final String PUBLIC_KEY_FILE = "jwt-public.pem";

  private final KeyPair keyPair;

  private DevKeys(KeyPair keyPair) {
    this.keyPair = keyPair;
  }

  /** A fresh 2048-bit RSA key pair held in memory. */
  public static DevKeys generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new DevKeys(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  /** Loads the key pair from {@code dir}, generating and storing one on first use. */
  public static DevKeys loadOrCreate(Path dir) {
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
    try {
      if (Files.exists(privateFile) && Files.exists(publicFile)) {
        return load(privateFile, publicFile);
      }
      DevKeys keys = generate();
      keys.writeTo(dir);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes both keys as PEM into {@code dir}; the private key readable by its owner only. */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    writePair(dir, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, keyPair);
  }

  public PrivateKey privateKey() {
    return keyPair.getPrivate();
  }

  public PublicKey publicKey() {
    return keyPair.getPublic();
  }

  public String publicKeyPem() {
    return pem("PUBLIC KEY", keyPair.getPublic().getEncoded());
  }

  /** Writes a key pair as PEM (PKCS#8, X.509), the private key readable by its owner only. */
  static void writePair(Path dir, String privateName, String publicName, KeyPair pair)
      throws IOException {
    Files.createDirectories(dir);
    Path privateFile = dir.resolve(privateName);
    Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    try {
      Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system: the directory's own permissions apply
    }
    Files.writeString(dir.resolve(publicName), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  private static DevKeys load(Path privateFile, Path publicFile) throws IOException {
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      PrivateKey privateKey =
          rsa.generatePrivate(new PKCS8EncodedKeySpec(unpem(Files.readString(privateFile))));
      PublicKey publicKey =
          rsa.generatePublic(new X509EncodedKeySpec(unpem(Files.readString(publicFile))));
      return new DevKeys(new KeyPair(publicKey, privateKey));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("unreadable development key pair in " + privateFile.getParent(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] unpem(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(base64);
  }
}
