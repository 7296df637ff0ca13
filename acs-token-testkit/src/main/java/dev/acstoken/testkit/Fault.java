package dev.acstoken.testkit;

import dev.acstoken.core.IdentityId;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A fault for the {@link AcsEmulator} to inject: an error answer with an ACS error body (and {@code
 * Retry-After}), an HTML outage page, added latency, a connection reset or a malformed answer;
 * aimed at one {@link Operation} and identity or at all, for the next N matching calls or with a
 * probability.
 *
 * <p>Immutable: every modifier returns a new fault. By default a fault hits every operation and
 * identity, once.
 *
 * <pre>{@code
 * emulator.inject(Fault.throttled(Duration.ofSeconds(2)).on(Operation.ISSUE_TOKEN).times(4));
 * emulator.inject(Fault.connectionReset().on(Operation.CREATE_IDENTITY));
 * emulator.inject(Fault.latency(Duration.ofMillis(300)).always());
 * }</pre>
 */
public final class Fault {

  /** What a fault does. */
  public enum Kind {
    /** Answers with a status and an ACS error body. */
    STATUS,
    /** Answers 503 with an HTML page, as the service has during outages. */
    HTML_OUTAGE,
    /** Delays the normal answer. */
    LATENCY,
    /** Resets the connection without an answer. */
    CONNECTION_RESET,
    /** Answers with a success status and a body that is not JSON. */
    MALFORMED_RESPONSE
  }

  private final Kind kind;
  private final int status;
  private final String code;
  private final String message;
  private final @Nullable Duration retryAfter;
  private final Duration delay;
  private final @Nullable Operation operation;
  private final @Nullable IdentityId identity;
  private final int times;
  private final double probability;
  private final @Nullable Long seed;

  private Fault(
      Kind kind,
      int status,
      String code,
      String message,
      @Nullable Duration retryAfter,
      Duration delay,
      @Nullable Operation operation,
      @Nullable IdentityId identity,
      int times,
      double probability,
      @Nullable Long seed) {
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.message = message;
    this.retryAfter = retryAfter;
    this.delay = delay;
    this.operation = operation;
    this.identity = identity;
    this.times = times;
    this.probability = probability;
    this.seed = seed;
  }

  private static Fault of(Kind kind, int status, String code, String message) {
    return new Fault(kind, status, code, message, null, Duration.ZERO, null, null, 1, 1.0, null);
  }

  /**
   * Returns a fault that answers with a status and the ACS error body {@code
   * {"error":{"code","message"}}}.
   *
   * @param status an HTTP status from 400 to 599
   * @param code the ACS error code
   * @param message the error message
   * @return the fault
   * @throws IllegalArgumentException if the status is not an error status or a text is blank
   */
  public static Fault status(int status, String code, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status " + status + " is not within [400, 599]");
    }
    if (code == null || code.isBlank() || message == null || message.isBlank()) {
      throw new IllegalArgumentException("error code and message must not be null or blank");
    }
    return of(Kind.STATUS, status, code, message);
  }

  /**
   * Returns a fault that answers 429 {@code TooManyRequests} with a {@code Retry-After}.
   *
   * @param retryAfter the wait to ask for, whole seconds
   * @return the fault
   */
  public static Fault throttled(Duration retryAfter) {
    return status(429, "TooManyRequests", "Too many requests. Retry after the given interval.")
        .retryAfter(retryAfter);
  }

  /** {@return a fault that answers 503 with an HTML page instead of an ACS error body} */
  public static Fault htmlOutage() {
    return of(Kind.HTML_OUTAGE, 503, "ServiceUnavailable", "Service Unavailable");
  }

  /**
   * Returns a fault that delays the normal answer.
   *
   * @param delay how long, at most a minute
   * @return the fault
   */
  public static Fault latency(Duration delay) {
    if (delay == null || delay.isNegative() || delay.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("latency " + delay + " must be within [0, 1 minute]");
    }
    return new Fault(Kind.LATENCY, 0, "", "", null, delay, null, null, 1, 1.0, null);
  }

  /** {@return a fault that resets the connection without answering} */
  public static Fault connectionReset() {
    return of(Kind.CONNECTION_RESET, 0, "", "");
  }

  /** {@return a fault that answers with the success status and a body that is not valid JSON} */
  public static Fault malformedResponse() {
    return of(Kind.MALFORMED_RESPONSE, 0, "", "");
  }

  /**
   * Returns this fault with a {@code Retry-After} header.
   *
   * @param retryAfter the wait, rounded up to whole seconds; at most a day
   * @return the new fault
   * @throws IllegalArgumentException if it is null, negative or longer than a day
   */
  public Fault retryAfter(Duration retryAfter) {
    if (retryAfter == null
        || retryAfter.isNegative()
        || retryAfter.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "retry-after " + retryAfter + " must be within [0, 1 day] (PT0S to PT24H)");
    }
    return new Fault(
        kind,
        status,
        code,
        message,
        retryAfter,
        delay,
        operation,
        identity,
        times,
        probability,
        seed);
  }

  /**
   * Returns this fault aimed at one operation.
   *
   * @param operation the operation
   * @return the new fault
   */
  public Fault on(Operation operation) {
    if (operation == null) {
      throw new IllegalArgumentException("operation must not be null");
    }
    return new Fault(
        kind,
        status,
        code,
        message,
        retryAfter,
        delay,
        operation,
        identity,
        times,
        probability,
        seed);
  }

  /**
   * Returns this fault aimed at calls about one identity.
   *
   * @param identity the identity
   * @return the new fault
   */
  public Fault forIdentity(IdentityId identity) {
    if (identity == null) {
      throw new IllegalArgumentException("identity must not be null");
    }
    return new Fault(
        kind,
        status,
        code,
        message,
        retryAfter,
        delay,
        operation,
        identity,
        times,
        probability,
        seed);
  }

  /**
   * Returns this fault for the next {@code n} matching calls.
   *
   * @param n at least 1
   * @return the new fault
   */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be at least 1; got " + n);
    }
    return new Fault(
        kind, status, code, message, retryAfter, delay, operation, identity, n, probability, seed);
  }

  /**
   * Returns this fault for every matching call until the faults are cleared.
   *
   * @return the new fault
   */
  public Fault always() {
    return new Fault(
        kind,
        status,
        code,
        message,
        retryAfter,
        delay,
        operation,
        identity,
        FaultRules.UNLIMITED,
        probability,
        seed);
  }

  /**
   * Returns this fault for every matching call with a probability, until the faults are cleared.
   *
   * @param probability from 0 to 1
   * @param seed the seed of the random choice, so that a run is repeatable
   * @return the new fault
   */
  public Fault withProbability(double probability, long seed) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability " + probability + " is outside [0, 1]");
    }
    return new Fault(
        kind,
        status,
        code,
        message,
        retryAfter,
        delay,
        operation,
        identity,
        FaultRules.UNLIMITED,
        probability,
        seed);
  }

  /** {@return what the fault does} */
  public Kind kind() {
    return kind;
  }

  /** {@return the status it answers with; 0 when it answers with none of its own} */
  public int statusCode() {
    return status;
  }

  Kind kindValue() {
    return kind;
  }

  String code() {
    return code;
  }

  String message() {
    return message;
  }

  @Nullable Duration retryAfterValue() {
    return retryAfter;
  }

  Duration delay() {
    return delay;
  }

  @Nullable Operation operation() {
    return operation;
  }

  @Nullable IdentityId identity() {
    return identity;
  }

  int timesValue() {
    return times;
  }

  double probability() {
    return probability;
  }

  @Nullable Long seed() {
    return seed;
  }

  @Override
  public String toString() {
    return "Fault["
        + kind
        + (status != 0 ? " " + status + " " + code : "")
        + (kind == Kind.LATENCY ? " " + delay : "")
        + (retryAfter != null ? " retry-after " + retryAfter : "")
        + ", on "
        + (operation == null ? "any operation" : operation)
        + (identity == null ? "" : " of " + identity)
        + ", "
        + (times == FaultRules.UNLIMITED
            ? (probability < 1 ? "with probability " + probability : "always")
            : times + " time(s)")
        + "]";
  }
}
