package dev.acstoken.cache.redis;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Identity operations that invalidate an identity across the fleet after revoking its tokens or
 * deleting it, before the call returns; the other operations are passed through. Thread-safe.
 */
final class InvalidatingIdentityOperations implements IdentityOperations {

  private final IdentityOperations operations;
  private final RedisTokenTier tier;

  InvalidatingIdentityOperations(IdentityOperations operations, RedisTokenTier tier) {
    this.operations = operations;
    this.tier = tier;
  }

  @Override
  public IdentityId createIdentity() {
    return operations.createIdentity();
  }

  @Override
  public CompletableFuture<IdentityId> createIdentityAsync() {
    return operations.createIdentityAsync();
  }

  @Override
  public IdentityWithToken createIdentityWithToken(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    return operations.createIdentityWithToken(scopes, lifetime);
  }

  @Override
  public CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    return operations.createIdentityWithTokenAsync(scopes, lifetime);
  }

  @Override
  public void revokeTokens(IdentityId identity) {
    try {
      operations.revokeTokens(identity);
    } finally {
      // after the service revoked: a refresh that starts now gets a token issued afterwards;
      // also after a failure, which may have taken effect
      tier.invalidate(identity);
    }
  }

  @Override
  public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
    return thenInvalidate(operations.revokeTokensAsync(identity), identity);
  }

  @Override
  public void deleteIdentity(IdentityId identity) {
    try {
      operations.deleteIdentity(identity);
    } finally {
      tier.invalidate(identity);
    }
  }

  @Override
  public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
    return thenInvalidate(operations.deleteIdentityAsync(identity), identity);
  }

  @Override
  public AccessToken exchangeTeamsToken(TeamsTokenRequest request) {
    return operations.exchangeTeamsToken(request);
  }

  @Override
  public CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request) {
    return operations.exchangeTeamsTokenAsync(request);
  }

  private CompletableFuture<Void> thenInvalidate(
      CompletableFuture<Void> operation, IdentityId identity) {
    CompletableFuture<Void> out = new CompletableFuture<>();
    operation.whenComplete(
        (ok, error) ->
            tier.invalidateAsync(identity)
                .whenComplete(
                    (ignored, never) -> {
                      if (error != null) {
                        out.completeExceptionally(
                            error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error);
                      } else {
                        out.complete(null);
                      }
                    }));
    return out;
  }

  @Override
  public String toString() {
    return "InvalidatingIdentityOperations[" + operations + "]";
  }
}
