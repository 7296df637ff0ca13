package dev.acstoken.core;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The identity operations of an ACS resource: create and delete identities, revoke their tokens,
 * and exchange a Teams user's Entra token for an ACS token.
 *
 * <p>Every operation has a blocking form and an async twin that returns a {@link CompletableFuture}
 * and never blocks the caller. Errors are {@link dev.acstoken.core.error.AcsException}s.
 * Implementations are thread-safe.
 */
public interface IdentityOperations {

  /**
   * Creates a new identity.
   *
   * @return its id
   */
  IdentityId createIdentity();

  /**
   * Creates a new identity.
   *
   * @return a future of its id
   */
  CompletableFuture<IdentityId> createIdentityAsync();

  /**
   * Creates a new identity and issues it a token in one call.
   *
   * @param scopes at least one scope, see {@link TokenRequest#of(IdentityId, java.util.Collection)}
   * @param lifetime the token's lifetime; null for the service's default (24 hours)
   * @return the identity and its token
   */
  IdentityWithToken createIdentityWithToken(
      java.util.Set<Scope> scopes, @Nullable TokenLifetime lifetime);

  /**
   * Creates a new identity and issues it a token in one call.
   *
   * @param scopes at least one scope
   * @param lifetime the token's lifetime; null for the service's default (24 hours)
   * @return a future of the identity and its token
   */
  CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
      java.util.Set<Scope> scopes, @Nullable TokenLifetime lifetime);

  /**
   * Revokes every token issued to an identity so far; tokens issued afterwards are valid.
   *
   * @param identity whose tokens
   */
  void revokeTokens(IdentityId identity);

  /**
   * Revokes every token issued to an identity so far.
   *
   * @param identity whose tokens
   * @return a future completed when the service has revoked them
   */
  CompletableFuture<Void> revokeTokensAsync(IdentityId identity);

  /**
   * Deletes an identity, revokes its tokens and removes its data.
   *
   * @param identity which identity
   */
  void deleteIdentity(IdentityId identity);

  /**
   * Deletes an identity, revokes its tokens and removes its data.
   *
   * @param identity which identity
   * @return a future completed when the service has deleted it
   */
  CompletableFuture<Void> deleteIdentityAsync(IdentityId identity);

  /**
   * Exchanges a Teams user's Microsoft Entra token for an ACS access token; the ACS token expires
   * with the Entra token.
   *
   * @param request the Entra token, the Entra application id and the Teams user's object id
   * @return the ACS token
   */
  AccessToken exchangeTeamsToken(TeamsTokenRequest request);

  /**
   * Exchanges a Teams user's Microsoft Entra token for an ACS access token.
   *
   * @param request the Entra token, the Entra application id and the Teams user's object id
   * @return a future of the ACS token
   */
  CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request);
}
