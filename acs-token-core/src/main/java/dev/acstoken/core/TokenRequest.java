package dev.acstoken.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What token to issue: an identity, a non-empty set of scopes and, optionally, a lifetime.
 *
 * <p>The scope set is canonical (order and duplicates do not matter), so two requests for the same
 * token are {@link #equals equal}: a request is a good cache key. Immutable and thread-safe.
 */
public final class TokenRequest {

  private final IdentityId identity;
  private final Set<Scope> scopes;
  private final @Nullable TokenLifetime lifetime;
  private final int hash;

  private TokenRequest(IdentityId identity, Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    this.identity = identity;
    this.scopes = scopes;
    this.lifetime = lifetime;
    this.hash = Objects.hash(identity, scopes, lifetime);
  }

  /**
   * Returns a request for a token with the given scopes and the service's default lifetime.
   *
   * @param identity whose token
   * @param first a scope
   * @param more further scopes
   * @return the request
   * @throws IllegalArgumentException if an argument is null
   */
  public static TokenRequest of(IdentityId identity, Scope first, Scope... more) {
    if (first == null || more == null) {
      throw new IllegalArgumentException("scopes must not be null; allowed: " + Scope.allowed());
    }
    List<Scope> all = new ArrayList<>(more.length + 1);
    all.add(first);
    all.addAll(Arrays.asList(more));
    return create(identity, Scope.canonical(all), null);
  }

  /**
   * Returns a request for a token with the given scopes and the service's default lifetime.
   *
   * @param identity whose token
   * @param scopes at least one scope; duplicates are ignored
   * @return the request
   * @throws IllegalArgumentException if the identity is null, or the scopes are null, empty or
   *     contain null
   */
  public static TokenRequest of(IdentityId identity, Collection<Scope> scopes) {
    return create(identity, Scope.canonical(scopes), null);
  }

  private static TokenRequest create(
      IdentityId identity, Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    if (identity == null) {
      throw new IllegalArgumentException("identity must not be null");
    }
    return new TokenRequest(identity, scopes, lifetime);
  }

  /**
   * Returns a copy of this request that asks for the given lifetime.
   *
   * @param lifetime the lifetime; null asks for the service's default (24 hours)
   * @return the new request
   */
  public TokenRequest withLifetime(@Nullable TokenLifetime lifetime) {
    return new TokenRequest(identity, scopes, lifetime);
  }

  /** {@return whose token this is} */
  public IdentityId identity() {
    return identity;
  }

  /** {@return the scopes, in the order of {@link Scope}; never empty, not modifiable} */
  public Set<Scope> scopes() {
    return scopes;
  }

  /** {@return the requested lifetime, or empty when the service's default applies} */
  public Optional<TokenLifetime> lifetime() {
    return Optional.ofNullable(lifetime);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TokenRequest)) {
      return false;
    }
    TokenRequest r = (TokenRequest) o;
    return hash == r.hash
        && identity.equals(r.identity)
        && scopes.equals(r.scopes)
        && Objects.equals(lifetime, r.lifetime);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "TokenRequest[identity="
        + identity
        + ", scopes="
        + Arrays.toString(scopes.stream().map(Scope::wireName).toArray())
        + ", lifetime="
        + (lifetime == null ? "default" : lifetime)
        + "]";
  }
}
