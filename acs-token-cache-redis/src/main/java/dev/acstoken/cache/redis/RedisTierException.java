package dev.acstoken.cache.redis;

import org.jspecify.annotations.Nullable;

/**
 * Redis could not serve a call of the {@link RedisSharedTier}: not connected, timed out, or an
 * error reply. The cache that gets it goes to the backend for that call, so callers of the cache
 * never see it; listeners and logs may. The message names what failed, never a token or a key.
 */
public final class RedisTierException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without any secret
   * @param cause the Redis client's failure, if any
   */
  RedisTierException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
