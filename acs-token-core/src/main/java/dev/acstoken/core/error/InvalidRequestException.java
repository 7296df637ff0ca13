package dev.acstoken.core.error;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The service rejected the request as invalid (HTTP 400), e.g. {@code ValidationError} for a
 * lifetime outside [60, 1440] minutes. Fix the request; retrying it unchanged fails again.
 */
public final class InvalidRequestException extends AcsException {

  private static final long serialVersionUID = 1L;

  /** The field the service named as invalid, if it named one. */
  private final @Nullable String target;

  /**
   * Creates the error.
   *
   * @param message the service's message
   * @param errorCode the service's error code
   * @param target the field the service named, e.g. {@code ExpiresInMinutes}
   * @param requestId the request's correlation id
   * @param cause the cause
   */
  public InvalidRequestException(
      String message,
      @Nullable String errorCode,
      @Nullable String target,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(message, 400, errorCode, requestId, cause);
    this.target = target;
  }

  /** {@return the request field the service named as wrong, if it named one} */
  public Optional<String> target() {
    return Optional.ofNullable(target);
  }
}
