package dev.acstoken.core.error;

import org.jspecify.annotations.Nullable;

/**
 * The service failed (HTTP 5xx), for example during an outage, when it has answered 503 with an
 * HTML page. Retryable, except for 501 and 505 which will not change.
 */
public final class ServiceUnavailableException extends AcsException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message what the service said, or a summary of a body that was not an ACS error
   * @param statusCode the 5xx status
   * @param errorCode the service's error code, if its body had one
   * @param requestId the request's correlation id
   * @param cause the cause
   */
  public ServiceUnavailableException(
      String message,
      int statusCode,
      @Nullable String errorCode,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(message, statusCode, errorCode, requestId, cause);
  }

  @Override
  public boolean isRetryable() {
    return statusCode() != 501 && statusCode() != 505;
  }
}
