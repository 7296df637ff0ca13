package dev.acstoken.cache.redis;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Counts ACS calls for a fleet of service instances, each with its own local cache ({@link
 * CachingTokenProvider}), with and without the Redis tier behind the local caches, over a simulated
 * stretch of time; and, roughly, the time of a Redis hit against a local hit.
 *
 * <p>Run: {@code ./mvnw -q -pl acs-token-cache-redis test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.acstoken.cache.redis.FleetSimulation} (starts its
 * own {@code redis-server}). The counts are exact for the simulated clock; the latencies are a
 * sketch, not a benchmark.
 */
public final class FleetSimulation {

  /** The counts of one run. */
  record Result(int instances, int keys, Duration simulated, Duration lifetime, int acsCalls) {
    double callsPerKey() {
      return (double) acsCalls / keys;
    }
  }

  private FleetSimulation() {}

  /**
   * Every simulated minute, every instance reads every key through its local cache; returns how
   * many tokens ACS issued.
   */
  static Result run(
      @Nullable String redisUri,
      int instances,
      int keys,
      Duration simulated,
      Duration step,
      TokenLifetime lifetime) {
    MutableClock clock = Fleet.clock();
    List<TokenRequest> requests = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      requests.add(TokenRequest.of(GatedAcs.identity(k), Scope.VOIP).withLifetime(lifetime));
    }
    List<AutoCloseable> closeables = new ArrayList<>();
    try (GatedAcs acs = new GatedAcs(clock)) {
      String prefix = "sim-" + UUID.randomUUID();
      List<CachingTokenProvider> locals = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        TokenProvider behindLocal = acs;
        RedisTokenTier tier = null;
        if (redisUri != null) {
          tier = Fleet.builder(redisUri, acs, clock).keyPrefix(prefix).build();
          closeables.add(tier);
          behindLocal = tier;
        }
        CachingTokenProvider local =
            CachingTokenProvider.builder(behindLocal).timeSource(clock).build();
        closeables.add(local);
        if (tier != null) {
          tier.onInvalidation(local::invalidate);
          awaitConnected(tier);
        }
        locals.add(local);
      }
      for (Duration t = Duration.ZERO; t.compareTo(simulated) < 0; t = t.plus(step)) {
        for (CachingTokenProvider local : locals) {
          for (TokenRequest r : requests) {
            local.getToken(r);
          }
        }
        clock.advance(step);
      }
      return new Result(instances, keys, simulated, lifetime.toDuration(), acs.calls());
    } finally {
      for (AutoCloseable c : closeables) {
        try {
          c.close();
        } catch (Exception e) {
          // closing a simulation: nothing to do
        }
      }
    }
  }

  private static void awaitConnected(RedisTokenTier tier) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> tier.checkRedis().join());
  }

  /** Times {@code n} local hits and {@code n} Redis hits; returns medians in microseconds. */
  static double[] hitLatencyMicros(String redisUri, int n) {
    MutableClock clock = Fleet.clock();
    TokenRequest r = TokenRequest.of(GatedAcs.identity(1), Scope.CHAT);
    try (GatedAcs acs = new GatedAcs(clock);
        RedisTokenTier tier =
            Fleet.builder(redisUri, acs, clock).keyPrefix("lat-" + UUID.randomUUID()).build();
        CachingTokenProvider local = CachingTokenProvider.builder(tier).timeSource(clock).build()) {
      awaitConnected(tier);
      local.getToken(r); // fills Redis and the local cache
      long[] localNanos = new long[n];
      long[] redisNanos = new long[n];
      for (int i = 0; i < n; i++) {
        long a = System.nanoTime();
        local.getToken(r);
        long b = System.nanoTime();
        tier.getToken(r); // the tier alone: a Redis hit every time
        long c = System.nanoTime();
        localNanos[i] = b - a;
        redisNanos[i] = c - b;
      }
      return new double[] {median(localNanos) / 1000.0, median(redisNanos) / 1000.0};
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * Prints ACS calls for 4 instances x 50 keys over a simulated day of 1-hour tokens and over two
   * simulated days of 24-hour tokens, without and with Redis, and the hit latencies.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (RedisServer redis = RedisServer.start()) {
      Object[][] scenarios = {
        {Duration.ofHours(24), TokenLifetime.ofMinutes(60)},
        {Duration.ofHours(48), TokenLifetime.DEFAULT},
      };
      System.out.println(
          "instances keys simulated lifetime | ACS calls without Redis | with Redis");
      for (Object[] s : scenarios) {
        Duration simulated = (Duration) s[0];
        TokenLifetime lifetime = (TokenLifetime) s[1];
        Result without = run(null, 4, 50, simulated, Duration.ofMinutes(1), lifetime);
        Result with = run(redis.uri(), 4, 50, simulated, Duration.ofMinutes(1), lifetime);
        System.out.printf(
            "%d %d %s %s | %d (%.1f per key) | %d (%.1f per key)%n",
            with.instances(),
            with.keys(),
            simulated,
            lifetime,
            without.acsCalls(),
            without.callsPerKey(),
            with.acsCalls(),
            with.callsPerKey());
      }
      double[] latency = hitLatencyMicros(redis.uri(), 5_000);
      System.out.printf(
          "median hit latency, %d calls: local %.1f us, Redis tier %.1f us (sketch, not JMH)%n",
          5_000, latency[0], latency[1]);
    }
  }
}
