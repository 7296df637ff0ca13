package dev.acstoken.core.error;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The resource is over its request limit (HTTP 429; the service allows 1,000 token issues per 30
 * seconds). Retryable, after {@link #retryAfter()} when the service said.
 */
public final class ThrottledException extends AcsException {

  private static final long serialVersionUID = 1L;

  /** How long the service asked the client to wait, if it said. */
  private final @Nullable Duration retryAfter;

  /**
   * Creates the error.
   *
   * @param message the service's message
   * @param errorCode the service's error code
   * @param retryAfter the wait the service asked for in {@code Retry-After}, if any
   * @param requestId the request's correlation id
   * @param cause the cause
   */
  public ThrottledException(
      String message,
      @Nullable String errorCode,
      @Nullable Duration retryAfter,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(message, 429, errorCode, requestId, cause);
    this.retryAfter = retryAfter;
  }

  /** {@return how long the service asked the caller to wait, from its {@code Retry-After}} */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
