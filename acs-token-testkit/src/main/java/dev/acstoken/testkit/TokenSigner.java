package dev.acstoken.testkit;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Signs tokens with RS256 and publishes the public key as a JWKS.
 *
 * <p>Making an RSA key takes a good part of a second, so every engine of a JVM shares {@link
 * #shared() one signer}; tokens of different engines still differ by resource and are told apart by
 * each engine's own registry. Thread-safe.
 */
final class TokenSigner {

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final String kid;
  private final String x5t;
  private final String header;

  private TokenSigner(KeyPair keys) {
    this.keys = keys;
    this.certificate = Certificates.signing(keys);
    byte[] thumbprint;
    try {
      thumbprint = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    this.kid = HexFormat.of().formatHex(thumbprint).toUpperCase(Locale.ROOT);
    this.x5t = B64URL.encodeToString(thumbprint);
    this.header =
        B64URL.encodeToString(
            ("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"x5t\":\"" + x5t + "\",\"typ\":\"JWT\"}")
                .getBytes(StandardCharsets.UTF_8));
  }

  private static final class Holder {
    static final TokenSigner SHARED = new TokenSigner(Certificates.rsaKeyPair());
  }

  /** {@return the signer every engine of this JVM uses} */
  static TokenSigner shared() {
    return Holder.SHARED;
  }

  /** {@return the key id tokens carry in their header} */
  String kid() {
    return kid;
  }

  /**
   * Returns a signed JWT of a payload.
   *
   * @param payloadJson compact JSON
   */
  String sign(String payloadJson) {
    String signingInput =
        header + "." + B64URL.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(keys.getPrivate());
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a token", e);
    }
  }

  /** {@return whether a JWT carries a valid signature of this signer} */
  boolean verify(String jwt) {
    int last = jwt.lastIndexOf('.');
    if (last < 0 || jwt.indexOf('.') == last) {
      return false;
    }
    try {
      byte[] signature = Base64.getUrlDecoder().decode(jwt.substring(last + 1));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(keys.getPublic());
      s.update(jwt.substring(0, last).getBytes(StandardCharsets.US_ASCII));
      return s.verify(signature);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  /** {@return the public key as a JSON Web Key Set} */
  String jwks() {
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    String x5c;
    try {
      x5c = Base64.getEncoder().encodeToString(certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\""
        + kid
        + "\",\"x5t\":\""
        + x5t
        + "\",\"n\":\""
        + B64URL.encodeToString(unsigned(pub.getModulus()))
        + "\",\"e\":\""
        + B64URL.encodeToString(unsigned(pub.getPublicExponent()))
        + "\",\"x5c\":[\""
        + x5c
        + "\"]}]}";
  }

  private static byte[] unsigned(BigInteger i) {
    byte[] b = i.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      byte[] t = new byte[b.length - 1];
      System.arraycopy(b, 1, t, 0, t.length);
      return t;
    }
    return b;
  }
}
