package dev.acstoken.cli;

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
 * Identity operations that refuse every call: for commands that read the directory only and must
 * not need (nor use) an ACS connection.
 */
enum NoOperations implements IdentityOperations {
  INSTANCE;

  private static IllegalStateException refused() {
    return new IllegalStateException("this command does not call ACS");
  }

  @Override
  public IdentityId createIdentity() {
    throw refused();
  }

  @Override
  public CompletableFuture<IdentityId> createIdentityAsync() {
    return CompletableFuture.failedFuture(refused());
  }

  @Override
  public IdentityWithToken createIdentityWithToken(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    throw refused();
  }

  @Override
  public CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    return CompletableFuture.failedFuture(refused());
  }

  @Override
  public void revokeTokens(IdentityId identity) {
    throw refused();
  }

  @Override
  public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
    return CompletableFuture.failedFuture(refused());
  }

  @Override
  public void deleteIdentity(IdentityId identity) {
    throw refused();
  }

  @Override
  public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
    return CompletableFuture.failedFuture(refused());
  }

  @Override
  public AccessToken exchangeTeamsToken(TeamsTokenRequest request) {
    throw refused();
  }

  @Override
  public CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request) {
    return CompletableFuture.failedFuture(refused());
  }
}
