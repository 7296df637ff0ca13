package dev.acstoken.core.error;

import org.jspecify.annotations.Nullable;

/** The identity or route does not exist (HTTP 404), e.g. a deleted identity. Not retryable. */
public final class NotFoundException extends AcsException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message the service's message
   * @param errorCode the service's error code
   * @param requestId the request's correlation id
   * @param cause the cause
   */
  public NotFoundException(
      String message,
      @Nullable String errorCode,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(message, 404, errorCode, requestId, cause);
  }
}
