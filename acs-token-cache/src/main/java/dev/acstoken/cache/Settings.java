package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.ThrottledException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The validated options of a {@link CachingTokenProvider}, in the units the state machine uses, and
 * the arithmetic of its deadlines: where a token's refresh point and usable deadlines lie, and how
 * long to back off after a failure. Immutable.
 */
final class Settings {
  final double refreshFraction;
  final long minRefreshLeadNanos;
  final long refreshJitterNanos;
  final Duration safetyMargin;
  final long safetyMarginNanos;
  final Duration waitTimeout;
  final long waitTimeoutNanos;
  final Duration callTimeout;
  final long callTimeoutNanos;
  final long backoffInitialNanos;
  final long backoffMaxNanos;
  final double backoffMultiplier;
  final double backoffJitter;
  final long terminalErrorTtlNanos;
  final int ratePermits;
  final long rateWindowNanos;
  final int coldPermits;
  final Duration sharedTierTimeout;
  final long sharedTierTimeoutNanos;
  final long leaseTimeNanos;
  final Duration leaseTime;
  final long pollIntervalNanos;

  Settings(CachingTokenProviderBuilder b) {
    refreshFraction = b.refreshFraction;
    minRefreshLeadNanos = b.minRefreshLead.toNanos();
    refreshJitterNanos = b.refreshJitter.toNanos();
    safetyMargin = b.safetyMargin;
    safetyMarginNanos = b.safetyMargin.toNanos();
    waitTimeout = b.waitTimeout;
    waitTimeoutNanos = b.waitTimeout.toNanos();
    callTimeout = b.callTimeout;
    callTimeoutNanos = b.callTimeout.toNanos();
    backoffInitialNanos = b.backoffInitial.toNanos();
    backoffMaxNanos = b.backoffMax.toNanos();
    backoffMultiplier = b.backoffMultiplier;
    backoffJitter = b.backoffJitter;
    terminalErrorTtlNanos = b.terminalErrorTtl.toNanos();
    ratePermits = b.ratePermits;
    rateWindowNanos = b.rateWindow.toNanos();
    coldPermits = Math.max(b.coldPermits, b.ratePermits);
    sharedTierTimeout = b.sharedTierTimeout;
    sharedTierTimeoutNanos = b.sharedTierTimeout.toNanos();
    leaseTime = b.leaseTime;
    leaseTimeNanos = b.leaseTime.toNanos();
    pollIntervalNanos = b.sharedTierPollInterval.toNanos();
  }

  /**
   * Returns the deadlines of a token that arrived now, or null if it has no usable time left.
   *
   * <p>Its time left is its expiry minus the issuer's time now, estimated as the local wall clock
   * less the measured skew ({@code aheadMillis}), and never earlier than the token's own {@code
   * iat} (a local clock that runs slow cannot make a token look longer-lived than it was issued).
   * That time left then runs on both clocks: the monotonic deadlines, and the wall-clock deadline
   * in the local clock's frame.
   *
   * @param previous the key's token before this one, to recognise the same token given back
   */
  @Nullable Snapshot snapshot(
      AccessToken token,
      long nowNanos,
      long wallMillis,
      long aheadMillis,
      double jitter,
      @Nullable Snapshot previous) {
    long issuerNow = wallMillis - aheadMillis;
    Long iat = ClockSkew.issuedAtMillis(token);
    if (iat != null && iat > issuerNow) {
      issuerNow = iat;
    }
    long expMillis = saturatedMillis(token);
    long remaining = millisToNanos(expMillis - issuerNow);
    long usable = remaining - safetyMarginNanos;
    if (usable <= 0) {
      return null;
    }
    long refreshAt;
    if (previous != null && previous.token.equals(token)) {
      // the backend gave the same token back (a Teams exchange does, until the Entra token
      // changes): ask again after half its time left, so that a token costs about log2 of its
      // lifetime in seconds calls instead of one per read once it is past its refresh point
      refreshAt = Math.min(sameTokenWaitNanos(remaining), usable);
    } else {
      refreshAt = Math.min((long) (remaining * refreshFraction), remaining - minRefreshLeadNanos);
      refreshAt = Math.max(0, Math.min(refreshAt, usable));
      // at most a quarter of the time to the refresh point, so that jitter never eats it up
      refreshAt -= (long) (Math.min(refreshJitterNanos, refreshAt / 4) * jitter);
    }
    // the wall-clock deadline is the expiry less the margin in the issuer's time, moved into the
    // local frame by the measured skew: a suspend (the wall clock moved on, the monotonic clock
    // did not) ends the token; a slow local clock corrected later does not, wrongly, end it, and
    // while it is slow the monotonic deadline (from exp - iat) holds
    long wallDeadline = expMillis - safetyMarginNanos / 1_000_000 + aheadMillis;
    return new Snapshot(token, nowNanos + refreshAt, nowNanos + usable, wallDeadline);
  }

  /** The least wait before asking again a backend that gave the same token back. */
  static final long SAME_TOKEN_MIN_WAIT_NANOS = 10_000_000_000L;

  /** {@return the wait before asking again for a token that came back the same} */
  long sameTokenWaitNanos(long remainingNanos) {
    return Math.max(remainingNanos / 2, SAME_TOKEN_MIN_WAIT_NANOS);
  }

  /** {@return the time left of a token on the issuer's clock, as {@link #snapshot} computes it} */
  long remainingNanos(AccessToken token, long wallMillis, long aheadMillis) {
    long issuerNow = wallMillis - aheadMillis;
    Long iat = ClockSkew.issuedAtMillis(token);
    if (iat != null && iat > issuerNow) {
      issuerNow = iat;
    }
    return millisToNanos(saturatedMillis(token) - issuerNow);
  }

  /** {@return the wait before the next attempt after {@code attempts} failures in a row} */
  long backoffNanos(int attempts, AcsException error, @Nullable Snapshot s, long now) {
    double d = backoffInitialNanos * Math.pow(backoffMultiplier, Math.min(attempts - 1, 62));
    d = Math.min(d, backoffMaxNanos);
    if (backoffJitter > 0) {
      d *= 1 + backoffJitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    }
    long delay = (long) d;
    if (s != null && now - s.usableUntilNanos < 0) {
      // several attempts before the valid token dies: never wait more than a quarter of its rest
      delay = Math.min(delay, Math.max(backoffInitialNanos, (s.usableUntilNanos - now) / 4));
    }
    if (error instanceof ThrottledException) {
      Duration retryAfter = ((ThrottledException) error).retryAfter().orElse(null);
      if (retryAfter != null) {
        delay = Math.max(delay, saturatedNanos(retryAfter));
      }
    }
    return Math.max(delay, 0);
  }

  private static long saturatedMillis(AccessToken token) {
    try {
      return token.expiresAt().toEpochMilli();
    } catch (ArithmeticException e) {
      return token.expiresAt().isBefore(java.time.Instant.EPOCH)
          ? Long.MIN_VALUE / 4
          : Long.MAX_VALUE / 4;
    }
  }

  private static long millisToNanos(long millis) {
    if (millis > Long.MAX_VALUE / 4_000_000) {
      return Long.MAX_VALUE / 4;
    }
    if (millis < Long.MIN_VALUE / 4_000_000) {
      return Long.MIN_VALUE / 4;
    }
    return millis * 1_000_000;
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  @Override
  public String toString() {
    return "refreshFraction="
        + refreshFraction
        + ", minRefreshLead="
        + Duration.ofNanos(minRefreshLeadNanos)
        + ", refreshJitter="
        + Duration.ofNanos(refreshJitterNanos)
        + ", safetyMargin="
        + safetyMargin
        + ", waitTimeout="
        + waitTimeout
        + ", callTimeout="
        + callTimeout
        + ", refreshRateLimit="
        + ratePermits
        + "/"
        + Duration.ofNanos(rateWindowNanos)
        + ", coldRateLimit="
        + coldPermits;
  }
}
