package dev.acstoken.core.error;

import org.jspecify.annotations.Nullable;

/**
 * The request did not get an answer: connection refused or reset, DNS failure, TLS failure, or a
 * response that could not be read. Retryable.
 */
public final class TransportException extends AcsException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message what failed; must not contain a secret
   * @param cause the cause
   */
  public TransportException(String message, @Nullable Throwable cause) {
    this(message, null, cause);
  }

  /**
   * Creates the error with the correlation id of the request that got no answer.
   *
   * @param message what failed; must not contain a secret
   * @param requestId the request's client request id, if known
   * @param cause the cause
   */
  public TransportException(String message, @Nullable String requestId, @Nullable Throwable cause) {
    super(message, NO_STATUS, null, requestId, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
