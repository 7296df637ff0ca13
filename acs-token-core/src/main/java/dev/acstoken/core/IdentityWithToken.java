package dev.acstoken.core;

import org.jspecify.annotations.Nullable;

/**
 * A newly created identity and the token issued to it in the same call. Immutable; its {@code
 * toString} shows the token redacted.
 */
public final class IdentityWithToken {

  private final IdentityId identity;
  private final AccessToken token;

  private IdentityWithToken(IdentityId identity, AccessToken token) {
    this.identity = identity;
    this.token = token;
  }

  /**
   * Returns the pair of an identity and its token.
   *
   * @param identity the identity
   * @param token its token
   * @return the pair
   * @throws IllegalArgumentException if an argument is null
   */
  public static IdentityWithToken of(IdentityId identity, AccessToken token) {
    if (identity == null || token == null) {
      throw new IllegalArgumentException("identity and token must not be null");
    }
    return new IdentityWithToken(identity, token);
  }

  /** {@return the new identity} */
  public IdentityId identity() {
    return identity;
  }

  /** {@return its token} */
  public AccessToken token() {
    return token;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof IdentityWithToken
        && ((IdentityWithToken) o).identity.equals(identity)
        && ((IdentityWithToken) o).token.equals(token);
  }

  @Override
  public int hashCode() {
    return identity.hashCode() * 31 + token.hashCode();
  }

  @Override
  public String toString() {
    return "IdentityWithToken[identity=" + identity + ", token=" + token + "]";
  }
}
