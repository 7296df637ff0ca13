package dev.acstoken.cache;

import dev.acstoken.core.error.AcsException;
import org.jspecify.annotations.Nullable;

/**
 * An error of the cache itself rather than of the service: a backend that threw something other
 * than an {@link AcsException}, returned no token, or returned one too close to its expiry. Its
 * message never holds a secret.
 */
public final class CacheException extends AcsException {

  private static final long serialVersionUID = 1L;

  /** Whether a later attempt may succeed: true for a backend that misbehaved. */
  private final boolean retryable;

  /**
   * Creates an error of the cache.
   *
   * @param message what went wrong; must not contain a secret
   * @param retryable whether a later attempt may succeed
   * @param cause the cause, kept for diagnosis
   */
  public CacheException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, NO_STATUS, null, null, cause);
    this.retryable = retryable;
  }

  /** {@return whether a later attempt may succeed: true for a backend that misbehaved} */
  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
