package org.tanso.audit.log;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs checkpoints with the Ed25519 key pair named in configuration. The signed message is the
 * UTF-8 text {@code tanso-audit\n{treeSize}\n{rootHash}\n{timestamp}\n}.
 */
@ApplicationScoped
public class CheckpointSigner {

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String publicKeyPem;
  private final String keyId;

  CheckpointSigner(
      @ConfigProperty(name = "tanso.audit.signing.private-key-location") String privateLocation,
      @ConfigProperty(name = "tanso.audit.signing.public-key-location") String publicLocation)
      throws IOException, GeneralSecurityException {
    KeyFactory ed25519 = KeyFactory.getInstance("Ed25519");
    this.privateKey =
        ed25519.generatePrivate(
            new PKCS8EncodedKeySpec(der(Files.readString(Path.of(privateLocation)))));
    this.publicKeyPem = Files.readString(Path.of(publicLocation));
    this.publicKey = ed25519.generatePublic(new X509EncodedKeySpec(der(publicKeyPem)));
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    this.keyId = HexFormat.of().formatHex(sha.digest(publicKey.getEncoded())).substring(0, 16);
    // a key pair that does not match would publish checkpoints nobody can verify
    if (!verify(sign("tanso-audit-self-check"), "tanso-audit-self-check")) {
      throw new IllegalStateException("the configured audit signing keys are not a pair");
    }
  }

  public static String message(long treeSize, String rootHash, String timestamp) {
    return "tanso-audit\n" + treeSize + "\n" + rootHash + "\n" + timestamp + "\n";
  }

  public String sign(String message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(privateKey);
      signature.update(message.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean verify(String signatureBase64, String message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(publicKey);
      signature.update(message.getBytes(StandardCharsets.UTF_8));
      return signature.verify(Base64.getDecoder().decode(signatureBase64));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  public String keyId() {
    return keyId;
  }

  public String publicKeyPem() {
    return publicKeyPem;
  }

  /**
   * The 32 bytes of the Ed25519 public key itself (RFC 8032), as a JWK's {@code x} carries them:
   * the X.509 encoding is a fixed 12-byte header followed by these.
   */
  public byte[] publicKeyRaw() {
    byte[] der = publicKey.getEncoded();
    return java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
  }

  private static byte[] der(String pem) {
    return Base64.getDecoder()
        .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
  }
}
