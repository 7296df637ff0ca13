package dev.acstoken.core;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * The decorator of {@link IdentityOperations#afterRevocation}: revoke and delete call through, then
 * run the invalidation, whether the call succeeded or failed (a timed-out revoke may have taken
 * effect), before returning or completing. The other operations pass through. The call's error wins
 * over an error of the invalidation. Thread-safe if the delegate and the invalidation are.
 */
final class InvalidatingOperations implements IdentityOperations {

  private final IdentityOperations delegate;
  private final Invalidation invalidation;

  InvalidatingOperations(IdentityOperations delegate, Invalidation invalidation) {
    this.delegate = delegate;
    this.invalidation = invalidation;
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
      invalidation.invalidate(identity);
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
      invalidation.invalidate(identity);
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
    CompletableFuture<Void> out = new CompletableFuture<>();
    call.whenComplete(
        (ok, error) -> {
          CompletableFuture<Void> invalidated;
          try {
            invalidated = invalidation.invalidateAsync(identity);
          } catch (RuntimeException e) {
            invalidated = CompletableFuture.failedFuture(e);
          }
          invalidated.whenComplete(
              (ignored, invalidationError) -> {
                Throwable first = error != null ? error : invalidationError;
                if (first == null) {
                  out.complete(null);
                } else {
                  out.completeExceptionally(
                      first instanceof CompletionException && first.getCause() != null
                          ? first.getCause()
                          : first);
                }
              });
        });
    return out;
  }

  @Override
  public String toString() {
    return "InvalidatingOperations[" + delegate + "]";
  }
}
