package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Canned identity operations: revoke and delete succeed, or fail with a set error; records them.
 */
final class StubIdentityOperations implements IdentityOperations {

  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile @Nullable RuntimeException failure;

  private void call(String what) {
    calls.add(what);
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }

  @Override
  public IdentityId createIdentity() {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<IdentityId> createIdentityAsync() {
    throw new UnsupportedOperationException();
  }

  @Override
  public IdentityWithToken createIdentityWithToken(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void revokeTokens(IdentityId identity) {
    call("revoke " + identity);
  }

  @Override
  public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
    try {
      call("revokeAsync " + identity);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void deleteIdentity(IdentityId identity) {
    call("delete " + identity);
  }

  @Override
  public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
    try {
      call("deleteAsync " + identity);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public AccessToken exchangeTeamsToken(TeamsTokenRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request) {
    throw new UnsupportedOperationException();
  }
}
