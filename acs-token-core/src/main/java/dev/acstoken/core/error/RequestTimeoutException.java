package dev.acstoken.core.error;

import org.jspecify.annotations.Nullable;

/**
 * No answer within the per-call timeout, or the service answered 408. Retryable; the operation may
 * or may not have taken effect.
 */
public final class RequestTimeoutException extends AcsException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message what timed out
   * @param statusCode 408 if the service answered so, else {@link #NO_STATUS}
   * @param requestId the request's correlation id
   * @param cause the cause
   */
  public RequestTimeoutException(
      String message, int statusCode, @Nullable String requestId, @Nullable Throwable cause) {
    super(message, statusCode, null, requestId, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
