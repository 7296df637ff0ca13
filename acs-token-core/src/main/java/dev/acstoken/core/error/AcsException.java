package dev.acstoken.core.error;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The root of every error acs-token throws: an unchecked exception that keeps the HTTP status, the
 * service's error code and message, and the cause.
 *
 * <p>Thrown as is for a service answer that none of the subclasses describes (for example 409). Its
 * message never holds a secret.
 */
public class AcsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The status of an error that did not come from an HTTP answer. */
  public static final int NO_STATUS = 0;

  /** The HTTP status of the service's answer, or {@link #NO_STATUS}. */
  private final int statusCode;

  /** The service's error code, if it sent one. */
  private final @Nullable String errorCode;

  /** The correlation id of the failed request, if known. */
  private final @Nullable String requestId;

  /**
   * Creates an error.
   *
   * @param message what went wrong; must not contain a secret
   * @param statusCode the HTTP status, or {@link #NO_STATUS}
   * @param errorCode the service's error code (e.g. {@code ValidationError}), if it sent one
   * @param requestId the request's correlation id ({@code MS-CV} or the client request id), if
   *     known
   * @param cause the cause, kept for diagnosis
   */
  public AcsException(
      String message,
      int statusCode,
      @Nullable String errorCode,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.requestId = requestId;
  }

  /** {@return the HTTP status of the service's answer, or {@link #NO_STATUS} if there was none} */
  public int statusCode() {
    return statusCode;
  }

  /**
   * Returns the service's error code, e.g. {@code ValidationError} or {@code IdentityNotOwned}.
   *
   * @return the code, empty if the service sent none
   */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** {@return the correlation id of the failed request, to quote to Azure support} */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /**
   * Returns whether the same request may succeed if tried again later, unchanged: true for
   * throttling, server errors, timeouts and transport failures.
   *
   * @return whether retrying may help
   */
  public boolean isRetryable() {
    return false;
  }
}
