package dev.acstoken.cache.redis;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenRequest;

/**
 * Hears what a {@link RedisTokenTier} does, for metrics and logs: which tier served each token,
 * when Redis became unavailable and available again, records that could not be decrypted, and
 * invalidations.
 *
 * <p>Every method has an empty default. Methods are called on the tier's I/O and worker threads,
 * must return quickly and must not block; an exception thrown by a listener is caught and ignored.
 * No argument holds a token or a key: a {@link TokenRequest} names an identity and scopes only.
 */
public interface RedisTierListener {

  /** A listener that does nothing. */
  RedisTierListener NONE = new RedisTierListener() {};

  /**
   * A token was returned to a caller.
   *
   * @param request what was asked for
   * @param source which tier served it
   */
  default void onServed(TokenRequest request, TokenSource source) {}

  /**
   * Redis became unavailable (unreachable, timing out, or refusing commands); until {@link
   * #onRedisAvailable()} calls go straight to the delegate.
   *
   * @param cause what failed; its message never holds a token or a key
   */
  default void onRedisUnavailable(Throwable cause) {}

  /** Redis answered again after it had been unavailable; sharing resumes. */
  default void onRedisAvailable() {}

  /**
   * A record in Redis could not be decrypted (unknown key id, wrong key, or tampered with) and was
   * treated as a miss.
   *
   * @param request the request whose record it was
   */
  default void onUnreadableRecord(TokenRequest request) {}

  /**
   * Every token of an identity was invalidated, by a revocation or deletion on this instance
   * ({@code local} true) or on another instance, heard by pub/sub ({@code local} false).
   *
   * @param identity whose tokens
   * @param local whether the invalidation started on this instance
   */
  default void onInvalidation(IdentityId identity, boolean local) {}

  /**
   * An invalidation could not be written to Redis or published (Redis unavailable): other instances
   * may keep serving tokens of that identity until Redis answers again, when this instance replays
   * it (up to 10,000 identities are kept for that), or until they refresh.
   *
   * @param identity whose tokens
   * @param cause what failed
   */
  default void onInvalidationNotShared(IdentityId identity, Throwable cause) {}
}
