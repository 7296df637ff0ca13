package dev.acstoken.testkit;

import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.InvalidRequestException;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.core.error.RequestTimeoutException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.core.error.ThrottledException;
import dev.acstoken.core.error.UnauthorizedException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An error answer of the service: status, ACS error code, message and target. The engine throws it;
 * the emulator writes it as {@code {"error":{...}}}, the fake turns it into the {@link
 * AcsException} that core's SDK-backed client would throw for the same answer.
 */
final class ServiceError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  final String errorMessage;
  final @Nullable String target;
  final @Nullable Duration retryAfter;

  ServiceError(
      int status,
      String code,
      String message,
      @Nullable String target,
      @Nullable Duration retryAfter) {
    super(status + " " + code + ": " + message, null, false, false);
    this.status = status;
    this.code = code;
    this.errorMessage = message;
    this.target = target;
    this.retryAfter = retryAfter;
  }

  static ServiceError validation(String message, @Nullable String target) {
    return new ServiceError(400, "ValidationError", message, target, null);
  }

  static ServiceError identityNotOwned() {
    return new ServiceError(
        401, "IdentityNotOwned", "Provided identity doesn't belong to the resource.", null, null);
  }

  static ServiceError identityNotFound() {
    return new ServiceError(404, "IdentityNotFound", "Identity not found.", null, null);
  }

  static ServiceError invalidAccessToken() {
    return new ServiceError(
        401, "InvalidAccessToken", "Provided access token is not valid.", null, null);
  }

  /** {@return the JSON body of the answer, {@code {"error":{"code","message"[,"target"]}}}} */
  String toJson() {
    StringBuilder b =
        new StringBuilder("{\"error\":{\"code\":")
            .append(Json.quote(code))
            .append(",\"message\":")
            .append(Json.quote(errorMessage));
    if (target != null) {
      b.append(",\"target\":").append(Json.quote(target));
    }
    return b.append("}}").toString();
  }

  /**
   * Returns the exception core's {@code AcsIdentityClient} throws for this answer, with the same
   * type, status, code, target and message shape.
   */
  AcsException toAcsException(String operation, String requestId) {
    StringBuilder m =
        new StringBuilder(operation)
            .append(" failed: HTTP ")
            .append(status)
            .append(' ')
            .append(code)
            .append(": ")
            .append(errorMessage);
    if (target != null) {
      m.append(" (target ").append(target).append(')');
    }
    String text = m.toString();
    if (status == 400) {
      return new InvalidRequestException(text, code, target, requestId, null);
    }
    if (status == 401 || status == 403) {
      return new UnauthorizedException(text, status, code, requestId, null);
    }
    if (status == 404) {
      return new NotFoundException(text, code, requestId, null);
    }
    if (status == 408) {
      return new RequestTimeoutException(text, status, requestId, null);
    }
    if (status == 429) {
      return new ThrottledException(text, code, retryAfter, requestId, null);
    }
    if (status >= 500) {
      return new ServiceUnavailableException(text, status, code, requestId, null);
    }
    return new AcsException(text, status, code, requestId, null);
  }
}
