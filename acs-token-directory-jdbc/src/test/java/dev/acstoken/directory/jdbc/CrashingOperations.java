package dev.acstoken.directory.jdbc;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Operations that pass through to a delegate and, when armed, "crash" once right after a call took
 * effect at ACS and before its answer reaches the directory.
 */
class CrashingOperations implements IdentityOperations {

  private final IdentityOperations delegate;
  final AtomicBoolean crashAfterCreate = new AtomicBoolean();
  final AtomicBoolean crashAfterDelete = new AtomicBoolean();

  CrashingOperations(IdentityOperations delegate) {
    this.delegate = delegate;
  }

  @Override
  public IdentityId createIdentity() {
    IdentityId id = delegate.createIdentity();
    if (crashAfterCreate.compareAndSet(true, false)) {
      throw new SimulatedCrash("after ACS created " + id);
    }
    return id;
  }

  @Override
  public CompletableFuture<IdentityId> createIdentityAsync() {
    return CompletableFuture.completedFuture(createIdentity());
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
    delegate.revokeTokens(identity);
  }

  @Override
  public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
    return delegate.revokeTokensAsync(identity);
  }

  @Override
  public void deleteIdentity(IdentityId identity) {
    delegate.deleteIdentity(identity);
    if (crashAfterDelete.compareAndSet(true, false)) {
      throw new SimulatedCrash("after ACS deleted " + identity);
    }
  }

  @Override
  public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
    deleteIdentity(identity);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public AccessToken exchangeTeamsToken(TeamsTokenRequest request) {
    return delegate.exchangeTeamsToken(request);
  }

  @Override
  public CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request) {
    return delegate.exchangeTeamsTokenAsync(request);
  }
}
