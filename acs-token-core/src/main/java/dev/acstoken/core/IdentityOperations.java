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

  /**
   * Returns operations that revoke and delete through the given ones and then run the invalidation
   * for the identity, before the call returns (or its future completes), also when the call failed,
   * since a failed or timed-out revoke may have taken effect. The other operations pass through. A
   * cache uses it so that no token the service has just revoked is served again.
   *
   * @param delegate the operations to decorate, e.g. the SDK-backed client
   * @param invalidation what to forget about an identity once its tokens are revoked
   * @return the decorated operations
   * @throws IllegalArgumentException if an argument is null
   */
  static IdentityOperations afterRevocation(
      IdentityOperations delegate, Invalidation invalidation) {
    if (delegate == null || invalidation == null) {
      throw new IllegalArgumentException("identity operations and invalidation must not be null");
    }
    return new InvalidatingOperations(delegate, invalidation);
  }

  /**
   * What {@link #afterRevocation} runs after an identity's tokens were revoked or the identity
   * deleted.
   */
  @FunctionalInterface
  interface Invalidation {

    /**
     * Forgets every token of the identity; runs on the thread that revoked or deleted.
     *
     * @param identity whose tokens
     */
    void invalidate(IdentityId identity);

    /**
     * Forgets every token of the identity without blocking; by default runs {@link #invalidate}.
     *
     * @param identity whose tokens
     * @return a future completed once they are forgotten
     */
    default CompletableFuture<Void> invalidateAsync(IdentityId identity) {
      invalidate(identity);
      return CompletableFuture.completedFuture(null);
    }
  }
}
