package dev.acstoken.cache.redis;

import org.jspecify.annotations.Nullable;

/** Redis could not be used for a call; never reaches a caller of the tier. */
final class RedisUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  RedisUnavailableException(String message) {
    this(message, null);
  }

  RedisUnavailableException(String message, @Nullable Throwable cause) {
    super("Redis " + message, cause, false, false);
  }
}
