package dev.acstoken.core;

import java.util.concurrent.CompletableFuture;

/**
 * Issues Azure Communication Services user access tokens.
 *
 * <p>This is the small role every part of acs-token builds on: the SDK-backed client implements it,
 * the cache decorates it, the testkit fakes it. Implementations are thread-safe.
 *
 * <p>Errors are {@link dev.acstoken.core.error.AcsException}s: thrown by {@link #getToken}, and
 * completing the future of {@link #getTokenAsync} exceptionally.
 */
public interface TokenProvider {

  /**
   * Returns a token for the identity, scopes and lifetime of the request, blocking until it is
   * available.
   *
   * @param request what token to issue
   * @return a token that is valid when returned
   * @throws dev.acstoken.core.error.AcsException when no token can be had; see its subclasses
   */
  AccessToken getToken(TokenRequest request);

  /**
   * Returns a future of a token for the identity, scopes and lifetime of the request; never blocks
   * the calling thread.
   *
   * @param request what token to issue
   * @return a future completed with the token, or exceptionally with an {@link
   *     dev.acstoken.core.error.AcsException}
   */
  CompletableFuture<AccessToken> getTokenAsync(TokenRequest request);
}
