package dev.acstoken.cache.redis;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenRequest;

/**
 * Hears what a {@link RedisSharedTier} meets that the cache does not see: Redis going away and
 * coming back, records that could not be decrypted, invalidations heard from other instances and
 * invalidations that could not be shared. What the cache served, and from where, is the cache's own
 * listener's business.
 *
 * <p>Every method has an empty default. Methods are called on the tier's executor or Lettuce's
 * threads, must return quickly and must not block; an exception thrown by a listener is caught and
 * ignored. No argument holds a token or a key: a {@link TokenRequest} names an identity and scopes.
 */
public interface RedisTierListener {

  /** A listener that does nothing. */
  RedisTierListener NONE = new RedisTierListener() {};

  /**
   * The connection to Redis was lost (or could not be re-established); until {@link
   * #onRedisAvailable()} every call of the tier fails at once and the cache goes to the backend.
   *
   * @param cause what failed; its message never holds a token or a key
   */
  default void onRedisUnavailable(Throwable cause) {}

  /** Redis answers (again); tokens are shared, and invalidations kept meanwhile are replayed. */
  default void onRedisAvailable() {}

  /**
   * A record in Redis could not be decrypted (unknown key id, wrong key, tampered with, or copied
   * from another key) and was treated as absent.
   *
   * @param request the request whose record it was
   */
  default void onUnreadableRecord(TokenRequest request) {}

  /**
   * Another instance invalidated every token of an identity; the tier's subscribers (the cache)
   * hear it too.
   *
   * @param identity whose tokens
   */
  default void onInvalidationReceived(IdentityId identity) {}

  /**
   * An invalidation of this instance could not be written to Redis or published: other instances
   * may serve tokens of that identity until Redis answers again, when this instance replays it (up
   * to 10,000 identities are kept for that).
   *
   * @param identity whose tokens
   * @param cause what failed
   */
  default void onInvalidationNotShared(IdentityId identity, Throwable cause) {}
}
