package dev.acstoken.testkit;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request the {@link AcsEmulator} received, as its journal keeps it: when, what, about which
 * identity, and how it was answered. Holds no header values and no body, so no secret; long fields
 * are cut short (the path and query of a request that was not authenticated most of all), so that
 * the journal's memory stays bounded. Immutable.
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

  /**
   * Returns the path and query exactly as received (percent-encoding kept), cut after 2,048
   * characters (256 when the request was not authenticated) and then marked {@code ...(truncated)}.
   *
   * @return the path and query
   */
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

  /** {@return roughly how many bytes of heap this entry holds, for the journal's bound} */
  long estimatedBytes() {
    long chars = method.length() + pathAndQuery.length();
    for (String s : new String[] {identity, apiVersion, clientRequestId, errorCode, fault}) {
      chars += s == null ? 0 : s.length();
    }
    // object headers and fields, plus two bytes a char at worst
    return 160 + 2 * chars;
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
