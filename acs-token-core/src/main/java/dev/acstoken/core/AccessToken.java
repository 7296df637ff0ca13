package dev.acstoken.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An ACS user access token: its value (a JWT) and when it expires.
 *
 * <p>The value is a secret. {@link #toString()} never shows it; {@link #redacted()} shows a short
 * prefix and the length, enough to tell two tokens apart in a log. Equality compares value and
 * expiry in constant time. Immutable and thread-safe.
 *
 * <p>Not azure-core's {@code com.azure.core.credential.AccessToken}, which a {@code
 * TokenCredential} returns (an Entra ID token); the two share a simple name. Code that handles both
 * imports this one and writes azure-core's qualified.
 */
public final class AccessToken {

  private static final int REDACTED_PREFIX = 8;

  private final String value;
  private final Instant expiresAt;

  private AccessToken(String value, Instant expiresAt) {
    this.value = value;
    this.expiresAt = expiresAt;
  }

  /**
   * Returns a token of a value and its expiry.
   *
   * @param value the token as the service issued it
   * @param expiresAt when the service says it expires
   * @return the token
   * @throws IllegalArgumentException if the value is null or blank, or the expiry is null
   */
  public static AccessToken of(String value, Instant expiresAt) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("token value must not be null or blank");
    }
    if (expiresAt == null) {
      throw new IllegalArgumentException("token expiry must not be null");
    }
    return new AccessToken(value, expiresAt);
  }

  /** {@return the token itself, to hand to an ACS client; never log it} */
  public String value() {
    return value;
  }

  /** {@return when the token expires} */
  public Instant expiresAt() {
    return expiresAt;
  }

  /**
   * Returns whether the token has expired at the given instant.
   *
   * @param now the instant to judge by
   * @return true if {@code now} is at or after the expiry
   */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /**
   * Returns how long the token stays valid after the given instant; zero or negative once expired.
   *
   * @param now the instant to measure from
   * @return the time left
   */
  public Duration timeLeft(Instant now) {
    return Duration.between(now, expiresAt);
  }

  /**
   * Decodes the claims of the token without a network call and without checking its signature.
   *
   * @return the claims
   * @throws IllegalArgumentException if the value is not a JWT with ACS claims
   */
  public TokenClaims claims() {
    return TokenClaims.decode(value);
  }

  /**
   * Returns a form of the token that is safe to show: its first 8 characters (the start of the JWT
   * header, which holds no secret), an ellipsis and its length, e.g. {@code eyJhbGci…(1034 chars)}.
   *
   * @return the redacted form
   */
  public String redacted() {
    return redact(value);
  }

  /**
   * Returns the redacted form of any token-like secret: a short prefix and its length.
   *
   * @param secret the secret
   * @return e.g. {@code eyJhbGci…(1034 chars)}
   */
  public static String redact(String secret) {
    int shown = Math.min(REDACTED_PREFIX, secret.length() / 4);
    return secret.substring(0, shown) + "…(" + secret.length() + " chars)";
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AccessToken)) {
      return false;
    }
    AccessToken t = (AccessToken) o;
    // constant time: equality must not leak how much of a token an attacker guessed right
    return MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), t.value.getBytes(StandardCharsets.UTF_8))
        && expiresAt.equals(t.expiresAt);
  }

  @Override
  public int hashCode() {
    return value.hashCode() * 31 + expiresAt.hashCode();
  }

  /** {@return the redacted token and its expiry; never the value} */
  @Override
  public String toString() {
    return "AccessToken[" + redacted() + ", expiresAt=" + expiresAt + "]";
  }
}
