package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Identity operations that invalidate the cache's tokens of an identity once it is revoked or
 * deleted. The invalidation runs after the service call, whether it succeeded or failed (a timed
 * out revoke may have taken effect): a refresh in flight during the call is discarded, and the next
 * caller gets a token issued after the revocation.
 */
final class InvalidatingIdentityOperations implements IdentityOperations {

  private final IdentityOperations delegate;
  private final CachingTokenProvider cache;

  InvalidatingIdentityOperations(IdentityOperations delegate, CachingTokenProvider cache) {
    this.delegate = delegate;
    this.cache = cache;
  }

  @Override
  public IdentityId createIdentity() {
    return delegate.createIdentity();
  }

  @Override
  public CompletableFuture<IdentityId> createIdentityAsync() {
    return delegate.createIdentityAsync();
  }

  @Override
  public IdentityWithToken createIdentityWithToken(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    return delegate.createIdentityWithToken(scopes, lifetime);
  }

  @Override
  public CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    return delegate.createIdentityWithTokenAsync(scopes, lifetime);
  }

  @Override
  public void revokeTokens(IdentityId identity) {
    try {
      delegate.revokeTokens(identity);
    } finally {
      cache.invalidate(identity);
    }
  }

  @Override
  public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
    return invalidateAfter(identity, delegate.revokeTokensAsync(identity));
  }

  @Override
  public void deleteIdentity(IdentityId identity) {
    try {
      delegate.deleteIdentity(identity);
    } finally {
      cache.invalidate(identity);
    }
  }

  @Override
  public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
    return invalidateAfter(identity, delegate.deleteIdentityAsync(identity));
  }

  @Override
  public AccessToken exchangeTeamsToken(TeamsTokenRequest request) {
    return delegate.exchangeTeamsToken(request);
  }

  @Override
  public CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request) {
    return delegate.exchangeTeamsTokenAsync(request);
  }

  private CompletableFuture<Void> invalidateAfter(
      IdentityId identity, CompletableFuture<Void> call) {
    // the caller's future completes only after the invalidation, so that a token read right after
    // it is never one the service has just revoked
    return call.whenComplete((ok, error) -> cache.invalidate(identity));
  }

  @Override
  public String toString() {
    return "InvalidatingIdentityOperations[" + delegate + "]";
  }
}
