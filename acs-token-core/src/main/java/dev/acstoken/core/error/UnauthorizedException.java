package dev.acstoken.core.error;

import org.jspecify.annotations.Nullable;

/**
 * The service refused the caller (HTTP 401 or 403): a wrong access key or credential, an invalid
 * Entra token ({@code InvalidAccessToken}), or an identity of another resource ({@code
 * IdentityNotOwned}). Not retryable.
 */
public final class UnauthorizedException extends AcsException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message the service's message
   * @param statusCode 401 or 403
   * @param errorCode the service's error code
   * @param requestId the request's correlation id
   * @param cause the cause
   */
  public UnauthorizedException(
      String message,
      int statusCode,
      @Nullable String errorCode,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(message, statusCode, errorCode, requestId, cause);
  }

  /** {@return whether the service said the identity belongs to another resource} */
  public boolean isIdentityNotOwned() {
    return "IdentityNotOwned".equals(errorCode().orElse(null));
  }
}
