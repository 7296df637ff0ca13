package dev.acstoken.core.azure;

import com.azure.communication.identity.models.IdentityError;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpResponse;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonSerializable;
import com.azure.json.JsonToken;
import dev.acstoken.core.Futures;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.InvalidRequestException;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.core.error.RequestTimeoutException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.core.error.ThrottledException;
import dev.acstoken.core.error.TransportException;
import dev.acstoken.core.error.UnauthorizedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Maps what the Azure SDK throws to the library's {@link AcsException} hierarchy. Works for both
 * the sync client's {@code CommunicationErrorResponseException} and the async client's {@code
 * IdentityErrorResponseException}, and for bodies that are not ACS errors (an outage's HTML page).
 */
final class ErrorMapping {

  private static final int MAX_MESSAGE = 300;

  private ErrorMapping() {}

  /** The service's error triple, each part optional. */
  static final class ServiceError {
    final @Nullable String code;
    final @Nullable String message;
    final @Nullable String target;

    ServiceError(@Nullable String code, @Nullable String message, @Nullable String target) {
      this.code = code;
      this.message = message;
      this.target = target;
    }
  }

  static AcsException map(
      Throwable thrown, String operation, String requestId, String endpoint, Duration timeout) {
    return map(thrown, operation, requestId, endpoint, timeout, AcsException.NO_STATUS, null);
  }

  /**
   * Maps a failure, knowing the last answer the call got: a timeout that ran out while the SDK
   * waited to retry a 429 or a 5xx is reported as that throttling or outage (with the {@code
   * Retry-After} it carried), the timeout kept as the cause.
   */
  static AcsException map(
      Throwable thrown,
      String operation,
      String requestId,
      String endpoint,
      Duration timeout,
      int lastStatus,
      @Nullable HttpHeaders lastHeaders) {
    Throwable t = unwrap(thrown);
    if (t instanceof AcsException) {
      return (AcsException) t;
    }
    if (t instanceof TimeoutException && (lastStatus == 429 || lastStatus >= 500)) {
      HttpHeaders headers = lastHeaders == null ? new HttpHeaders() : lastHeaders;
      String text =
          operation
              + " failed: HTTP "
              + lastStatus
              + ", and the timeout of "
              + timeout
              + " ran out before the SDK's next try";
      String id = withCorrelation(requestId, headers);
      if (lastStatus == 429) {
        return new ThrottledException(text, null, retryAfter(headers), id, t);
      }
      return new ServiceUnavailableException(text, lastStatus, null, id, t);
    }
    if (t instanceof TimeoutException) {
      return new RequestTimeoutException(
          operation + " got no answer from " + endpoint + " within " + timeout,
          AcsException.NO_STATUS,
          requestId,
          t);
    }
    if (t instanceof HttpResponseException) {
      return fromResponse((HttpResponseException) t, operation, requestId);
    }
    if (isTransport(t)) {
      return new TransportException(
          operation + " could not reach " + endpoint + ": " + describe(t), requestId, t);
    }
    return new AcsException(
        operation + " failed: " + describe(t), AcsException.NO_STATUS, null, requestId, t);
  }

  static Throwable unwrap(Throwable t) {
    Throwable current = Futures.unwrap(t);
    // Reactor wraps checked exceptions it rethrows in a private ReactiveException
    if (current.getClass().getName().startsWith("reactor.core.Exceptions$")
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static boolean isTransport(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException || c instanceof UncheckedIOException) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName()
        + (msg == null || msg.isBlank() ? "" : ": " + truncate(msg));
  }

  static AcsException fromResponse(HttpResponseException e, String operation, String requestId) {
    HttpResponse response = e.getResponse();
    int status = response == null ? AcsException.NO_STATUS : response.getStatusCode();
    HttpHeaders headers = response == null ? new HttpHeaders() : response.getHeaders();
    String id = withCorrelation(requestId, headers);
    ServiceError error = serviceError(e);
    StringBuilder message = new StringBuilder(operation).append(" failed: HTTP ").append(status);
    if (error.code != null) {
      message.append(' ').append(error.code);
    }
    if (error.message != null) {
      message.append(": ").append(truncate(error.message));
    } else {
      String contentType = headers.getValue(HttpHeaderName.CONTENT_TYPE);
      message
          .append(": the answer carried no ACS error")
          .append(contentType == null ? "" : " (" + contentType + " body)");
    }
    if (error.target != null) {
      message.append(" (target ").append(error.target).append(')');
    }
    String text = message.toString();
    if (status == 400) {
      return new InvalidRequestException(text, error.code, error.target, id, e);
    }
    if (status == 401 || status == 403) {
      return new UnauthorizedException(text, status, error.code, id, e);
    }
    if (status == 404) {
      return new NotFoundException(text, error.code, id, e);
    }
    if (status == 408) {
      return new RequestTimeoutException(text, status, id, e);
    }
    if (status == 429) {
      return new ThrottledException(text, error.code, retryAfter(headers), id, e);
    }
    if (status >= 500) {
      return new ServiceUnavailableException(text, status, error.code, id, e);
    }
    return new AcsException(text, status, error.code, id, e);
  }

  /** {@return the client request id, with the service's {@code MS-CV} when it sent one} */
  private static String withCorrelation(String requestId, HttpHeaders headers) {
    String correlation = headers.getValue(HttpHeaderName.fromString("MS-CV"));
    return correlation != null ? requestId + " (MS-CV " + correlation + ")" : requestId;
  }

  static ServiceError serviceError(HttpResponseException e) {
    Object value = e.getValue();
    if (value instanceof IdentityError) {
      IdentityError ie = (IdentityError) value;
      return new ServiceError(ie.getCode(), ie.getMessage(), ie.getTarget());
    }
    if (value instanceof JsonSerializable) {
      try {
        return parse(((JsonSerializable<?>) value).toJsonString());
      } catch (IOException | RuntimeException ignored) {
        // fall through: an error we cannot read still maps by its status
      }
    }
    return new ServiceError(null, null, null);
  }

  /** Reads {@code {"error":{"code","message","target"}}} or the bare inner object. */
  static ServiceError parse(String json) throws IOException {
    try (JsonReader reader = JsonProviders.createReader(json)) {
      if (reader.nextToken() != JsonToken.START_OBJECT) {
        return new ServiceError(null, null, null);
      }
      String code = null;
      String message = null;
      String target = null;
      while (reader.nextToken() != JsonToken.END_OBJECT) {
        String name = reader.getFieldName();
        JsonToken t = reader.nextToken();
        if ("error".equals(name) && t == JsonToken.START_OBJECT) {
          while (reader.nextToken() != JsonToken.END_OBJECT) {
            String inner = reader.getFieldName();
            JsonToken it = reader.nextToken();
            String v = it == JsonToken.STRING ? reader.getString() : null;
            if (v == null) {
              reader.skipChildren();
            } else if ("code".equals(inner)) {
              code = v;
            } else if ("message".equals(inner)) {
              message = v;
            } else if ("target".equals(inner)) {
              target = v;
            }
          }
        } else if (t == JsonToken.STRING && "code".equals(name)) {
          code = reader.getString();
        } else if (t == JsonToken.STRING && "message".equals(name)) {
          message = reader.getString();
        } else if (t == JsonToken.STRING && "target".equals(name)) {
          target = reader.getString();
        } else {
          reader.skipChildren();
        }
      }
      return new ServiceError(code, message, target);
    }
  }

  static @Nullable Duration retryAfter(HttpHeaders headers) {
    for (String name : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
      String v = headers.getValue(HttpHeaderName.fromString(name));
      if (v != null) {
        try {
          long millis = Long.parseLong(v.trim());
          return millis < 0 ? Duration.ZERO : Duration.ofMillis(millis);
        } catch (NumberFormatException ignored) {
          // try the next header
        }
      }
    }
    String v = headers.getValue(HttpHeaderName.RETRY_AFTER);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      long seconds = Long.parseLong(v.trim());
      // a negative wait is a server bug; waiting zero is the closest sane reading
      return seconds < 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  private static String truncate(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }
}
