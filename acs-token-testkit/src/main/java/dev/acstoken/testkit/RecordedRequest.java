package dev.acstoken.testkit;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request the {@link AcsEmulator} received, as its journal keeps it: when, what, about which
 * identity, and how it was answered. Holds no header values and no body, so no secret. Immutable.
 */
public final class RecordedRequest {

  private final Instant receivedAt;
  private final String method;
  private final String pathAndQuery;
  private final @Nullable Operation operation;
  private final @Nullable String identity;
  private final @Nullable String apiVersion;
  private final @Nullable String clientRequestId;
  private final int status;
  private final @Nullable String errorCode;
  private final @Nullable String fault;

  RecordedRequest(
      Instant receivedAt,
      String method,
      String pathAndQuery,
      @Nullable Operation operation,
      @Nullable String identity,
      @Nullable String apiVersion,
      @Nullable String clientRequestId,
      int status,
      @Nullable String errorCode,
      @Nullable String fault) {
    this.receivedAt = receivedAt;
    this.method = method;
    this.pathAndQuery = pathAndQuery;
    this.operation = operation;
    this.identity = identity;
    this.apiVersion = apiVersion;
    this.clientRequestId = clientRequestId;
    this.status = status;
    this.errorCode = errorCode;
    this.fault = fault;
  }

  /** {@return when the request arrived, by the wall clock} */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** {@return the HTTP method} */
  public String method() {
    return method;
  }

  /** {@return the path and query exactly as received (percent-encoding kept)} */
  public String pathAndQuery() {
    return pathAndQuery;
  }

  /** {@return the operation the route names, if it names one} */
  public Optional<Operation> operation() {
    return Optional.ofNullable(operation);
  }

  /** {@return the identity id the path names (decoded), if any} */
  public Optional<String> identity() {
    return Optional.ofNullable(identity);
  }

  /** {@return the {@code api-version} query parameter, if given} */
  public Optional<String> apiVersion() {
    return Optional.ofNullable(apiVersion);
  }

  /** {@return the {@code x-ms-client-request-id} header, if given} */
  public Optional<String> clientRequestId() {
    return Optional.ofNullable(clientRequestId);
  }

  /** {@return the status of the answer; 0 when the connection was reset instead} */
  public int status() {
    return status;
  }

  /** {@return the ACS error code of the answer, if it was an error} */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** {@return the injected fault that shaped the answer, if one did} */
  public Optional<String> fault() {
    return Optional.ofNullable(fault);
  }

  @Override
  public String toString() {
    return method
        + " "
        + pathAndQuery
        + " -> "
        + status
        + (errorCode == null ? "" : " " + errorCode)
        + (fault == null ? "" : " (fault " + fault + ")");
  }
}
