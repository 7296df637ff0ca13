package dev.acstoken.spring.autoconfigure;

import dev.acstoken.cache.CacheStats;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.InvalidRequestException;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.core.error.ThrottledException;
import dev.acstoken.core.error.UnauthorizedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The check behind the {@code acs} health indicator, free of Spring Boot's health types so that one
 * check serves Boot 3 and Boot 4.
 *
 * <p>The probe is a signed call that spends no token quota: revoking the tokens of an identity of
 * another resource ({@link #PROBE_IDENTITY}, the all-zero GUIDs, which no resource has). The
 * service verifies the signature (or Entra token) first, then refuses the identity with 401 {@code
 * IdentityNotOwned}: that answer, like any 4xx but a refused key, shows that ACS is reachable and
 * accepts the credential. A 401/403 of another code (the key or credential refused), a 5xx, a
 * transport error or no answer within the timeout is DOWN. Nothing is revoked, no token is issued.
 *
 * <p>The probe's result is reused for the cache time, so that health checks at any rate cost at
 * most one call per cache time; the cache's state is read afresh each time. Thread-safe: concurrent
 * checks share one probe.
 */
final class AcsHealthProbe {

  /** An identity of no resource: the probe's revoke reaches authentication and stops there. */
  static final IdentityId PROBE_IDENTITY =
      IdentityId.of(
          "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000");

  /** The outcome of a check: UP or DOWN, and details for the health endpoint. */
  record Result(boolean up, Map<String, Object> details) {
    /** {@return the Actuator status code, the same on Spring Boot 3 and 4: UP or DOWN} */
    String status() {
      return up ? "UP" : "DOWN";
    }
  }

  private final IdentityOperations client;
  private final String endpoint;
  private final @Nullable CachingTokenProvider cache;
  private final @Nullable SharedTier sharedTier;
  private final long cacheNanos;
  private final Duration timeout;
  private final TimeSource time;

  private @Nullable Probe last;

  /** The longest {@code acs.health.cache-time} and {@code acs.health.timeout}. */
  static final Duration MAX_DURATION = Duration.ofDays(1);

  AcsHealthProbe(
      IdentityOperations client,
      String endpoint,
      @Nullable CachingTokenProvider cache,
      @Nullable SharedTier sharedTier,
      Duration cacheTime,
      Duration timeout,
      TimeSource time) {
    // at most a day: a longer probe cache hides an outage for longer than any health check is
    // for, and centuries would overflow the nanoseconds the probe counts in
    if (cacheTime.isNegative() || cacheTime.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "invalid acs.health.cache-time: must be from 0 to 1 day (PT24H), was " + cacheTime);
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "invalid acs.health.timeout: must be positive and at most 1 day (PT24H), was " + timeout);
    }
    this.client = client;
    this.endpoint = endpoint;
    this.cache = cache;
    this.sharedTier = sharedTier;
    this.cacheNanos = cacheTime.toNanos();
    this.timeout = timeout;
    this.time = time;
  }

  /** {@return UP or DOWN, from the last probe if it is recent enough, with the cache's state} */
  synchronized Result check() {
    long now = time.nanoTime();
    Probe p = last;
    if (p == null || now - p.atNanos >= cacheNanos) {
      p = probe();
      last = p;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("endpoint", endpoint);
    details.putAll(p.details);
    details.put("cache", cacheDetails());
    if (sharedTier != null) {
      details.put("sharedTier", Map.of("redisAvailable", sharedTier.redisAvailable()));
    }
    return new Result(p.up, details);
  }

  private Map<String, Object> cacheDetails() {
    Map<String, Object> d = new LinkedHashMap<>();
    if (cache == null) {
      d.put("enabled", false);
      return d;
    }
    d.put("enabled", true);
    d.put("entries", cache.estimatedSize());
    CacheStats s = cache.stats();
    if (!s.equals(CacheStats.empty())) {
      d.put("hits", s.hits());
      d.put("misses", s.misses());
      d.put("refreshFailures", s.refreshFailures());
    }
    return d;
  }

  private Probe probe() {
    long start = time.nanoTime();
    CompletableFuture<Void> call = client.revokeTokensAsync(PROBE_IDENTITY);
    try {
      call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return up(start, "answered");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      return down(start, "interrupted", null);
    } catch (TimeoutException e) {
      call.cancel(true);
      return down(start, "no answer within " + timeout, null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (!(cause instanceof AcsException error)) {
        return down(
            start, "failed: " + (cause == null ? "unknown" : cause.getClass().getName()), null);
      }
      if (error instanceof UnauthorizedException unauthorized) {
        if (unauthorized.isIdentityNotOwned()) {
          return up(start, "authenticated");
        }
        return down(start, "ACS refused the access key or credential", error);
      }
      if (error instanceof NotFoundException || error instanceof InvalidRequestException) {
        return up(start, "authenticated");
      }
      if (error instanceof ThrottledException) {
        return up(start, "throttled");
      }
      return down(start, error.isRetryable() ? "unreachable" : "failed", error);
    }
  }

  private Probe up(long start, String answer) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("probe", answer);
    d.put("probeMillis", (time.nanoTime() - start) / 1_000_000);
    return new Probe(true, start, d);
  }

  private Probe down(long start, String reason, @Nullable AcsException error) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("probe", reason);
    d.put("probeMillis", (time.nanoTime() - start) / 1_000_000);
    if (error != null) {
      // the class, status and service code; messages are free of secrets but long
      d.put("error", error.getClass().getSimpleName());
      if (error.statusCode() != AcsException.NO_STATUS) {
        d.put("status", error.statusCode());
      }
      error.errorCode().ifPresent(code -> d.put("errorCode", code));
    }
    return new Probe(false, start, d);
  }

  private record Probe(boolean up, long atNanos, Map<String, Object> details) {}
}
