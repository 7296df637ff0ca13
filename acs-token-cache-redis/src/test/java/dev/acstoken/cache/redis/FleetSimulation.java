package dev.acstoken.cache.redis;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.cache.CachingTokenProviderBuilder;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import dev.acstoken.testkit.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Counts ACS calls for a fleet of service instances, each a {@link CachingTokenProvider}, with and
 * without a {@link RedisSharedTier} each, over a simulated stretch of time; and, roughly, the time
 * of a Redis round trip of the tier against a local hit.
 *
 * <p>Run: {@code ./mvnw -q -pl acs-token-cache-redis -am test-compile} then {@code ./mvnw -q -pl
 * acs-token-cache-redis exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.acstoken.cache.redis.FleetSimulation} (starts its own {@code redis-server}).
 * The caches run on one simulated clock and one manual scheduler, which the simulation moves 10 ms
 * at a time while Redis answers, so that leases (on Redis's clock) and the caches' waits keep pace.
 * The counts are exact for the simulated clock; the latencies are a sketch, not a benchmark.
 */
public final class FleetSimulation {

  /** The counts of one run. */
  record Result(int instances, int keys, long acsCalls) {
    double callsPerKey() {
      return (double) acsCalls / keys;
    }
  }

  private FleetSimulation() {}

  /**
   * Every simulated step, every instance reads every key; returns how many tokens ACS issued.
   *
   * @param redisUri Redis, or null for instances without a shared tier
   */
  static Result run(
      @Nullable String redisUri,
      int instances,
      int keys,
      Duration simulated,
      Duration step,
      TokenLifetime lifetime) {
    MutableClock clock = Fleet.clock();
    ManualScheduler scheduler = ManualScheduler.on(clock);
    FakeAcs acs = FakeAcs.builder().clock(clock).build();
    List<TokenRequest> requests = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      requests.add(TokenRequest.of(acs.createIdentity(), Scope.VOIP).withLifetime(lifetime));
    }
    String prefix = "sim-" + UUID.randomUUID();
    List<CachingTokenProvider> caches = new ArrayList<>();
    try {
      List<RedisSharedTier> tiers = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        CachingTokenProviderBuilder b =
            CachingTokenProvider.builder(acs).timeSource(clock).scheduler(scheduler);
        if (redisUri != null) {
          RedisSharedTier tier = Fleet.builder(redisUri).keyPrefix(prefix).build();
          tiers.add(tier);
          b.sharedTier(tier);
        }
        caches.add(b.build());
      }
      if (redisUri != null) {
        Fleet.awaitConnected(redisUri, prefix + ":events", tiers);
      }
      for (Duration t = Duration.ZERO; t.compareTo(simulated) < 0; t = t.plus(step)) {
        List<CompletableFuture<AccessToken>> reads = new ArrayList<>();
        for (CachingTokenProvider cache : caches) {
          for (TokenRequest r : requests) {
            reads.add(cache.getTokenAsync(r));
          }
        }
        // time moves 10 ms at a time, and only once Redis has answered what the last tick sent:
        // leases, polls and timeouts then see Redis as fast as it is, whatever the machine's load
        for (Duration d = Duration.ZERO; d.compareTo(step) < 0; d = d.plus(TICK)) {
          quiesce(tiers);
          scheduler.advance(TICK);
        }
        quiesce(tiers);
        if (!reads.stream().allMatch(CompletableFuture::isDone)) {
          throw new IllegalStateException("reads still waiting after a whole step");
        }
      }
      return new Result(instances, keys, acs.callCount(Operation.ISSUE_TOKEN));
    } finally {
      caches.forEach(CachingTokenProvider::close);
    }
  }

  private static final Duration TICK = Duration.ofMillis(10);

  /** Waits until no tier has a Redis command in flight. */
  private static void quiesce(List<RedisSharedTier> tiers) {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (tiers.stream().anyMatch(t -> t.callsInFlight() > 0)) {
      if (System.nanoTime() - giveUp > 0) {
        throw new IllegalStateException("Redis did not answer within 60 s");
      }
      Thread.onSpinWait();
    }
  }

  /** Times {@code n} local hits and {@code n} claims of the tier; returns medians in µs. */
  static double[] hitLatencyMicros(String redisUri, int n) {
    MutableClock clock = Fleet.clock();
    FakeAcs acs = FakeAcs.builder().clock(clock).build();
    TokenRequest r = TokenRequest.of(acs.createIdentity(), Scope.CHAT);
    String prefix = "lat-" + UUID.randomUUID();
    RedisSharedTier tier = Fleet.builder(redisUri).keyPrefix(prefix).build();
    try (CachingTokenProvider local =
        CachingTokenProvider.builder(acs).timeSource(clock).sharedTier(tier).build()) {
      Fleet.awaitConnected(redisUri, prefix + ":events", List.of(tier));
      local.getToken(r); // fills Redis and the local cache
      Instant now = clock.instant();
      long[] localNanos = new long[n];
      long[] redisNanos = new long[n];
      for (int i = 0; i < n; i++) {
        long a = System.nanoTime();
        local.getToken(r);
        long b = System.nanoTime();
        tier.claim(r, now, Duration.ofSeconds(5)).join(); // a Redis hit every time
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
          "median hit latency, %d calls: local %.1f us, Redis claim %.1f us (sketch, not JMH)%n",
          5_000, latency[0], latency[1]);
    }
  }
}
