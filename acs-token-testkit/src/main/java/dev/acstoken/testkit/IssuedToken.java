package dev.acstoken.testkit;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import java.time.Instant;
import java.util.List;

/**
 * A token the fake or the emulator issued, as inspection sees it: whose, which scopes, when issued
 * and when it expires. Immutable; {@code toString} shows the token redacted.
 */
public final class IssuedToken {

  private final String value;
  private final IdentityId identity;
  private final List<String> scopes;
  private final Instant issuedAt;
  private final Instant expiresAt;

  IssuedToken(
      String value, IdentityId identity, List<String> scopes, Instant issuedAt, Instant expiresAt) {
    this.value = value;
    this.identity = identity;
    this.scopes = List.copyOf(scopes);
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
  }

  /** {@return the token (a JWT); a secret in real life, a test value here} */
  public String value() {
    return value;
  }

  /** {@return the identity the token was issued to ({@code 8:orgid:...} for a Teams exchange)} */
  public IdentityId identity() {
    return identity;
  }

  /** {@return the scopes as the service spells them, in the order of the request} */
  public List<String> scopes() {
    return scopes;
  }

  /** {@return when the token was issued, by the engine's clock} */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** {@return when the token expires} */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** {@return the token as core's value type} */
  public AccessToken toAccessToken() {
    return AccessToken.of(value, expiresAt);
  }

  @Override
  public String toString() {
    return "IssuedToken["
        + AccessToken.redact(value)
        + ", identity="
        + identity
        + ", scopes="
        + scopes
        + ", issuedAt="
        + issuedAt
        + ", expiresAt="
        + expiresAt
        + "]";
  }
}
