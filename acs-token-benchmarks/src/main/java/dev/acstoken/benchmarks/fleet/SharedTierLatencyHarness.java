package dev.acstoken.benchmarks.fleet;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.cache.SharedTier;
import dev.acstoken.cache.redis.EncryptionKeys;
import dev.acstoken.cache.redis.RedisSharedTier;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.Operation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * What the shared tier costs per call, against the floor of a plain Lettuce {@code GET} on the same
 * local {@code redis-server}: a tier hit ({@code claim} finds a newer token: one round trip, one
 * Lua script, one AES-GCM decryption), a local miss served by the tier through a {@code
 * CachingTokenProvider}, and a cold miss through the tier (claim, lease, the backend, a fenced
 * store) next to a cold miss without it. One thread, each call timed with {@code System.nanoTime};
 * the backend is the testkit's {@code FakeAcs} (an RS256 signature per token).
 *
 * <p>Run: {@code java -cp acs-token-benchmarks/target/benchmarks.jar
 * dev.acstoken.benchmarks.fleet.SharedTierLatencyHarness} (needs {@code redis-server}).
 */
public final class SharedTierLatencyHarness {

  /**
   * Keys per measurement: more than the cold rate limit lets reach ACS in one window (900 per 30 s
   * per resource), as an instance that restarts into a fleet finds them; a miss the tier answers
   * does not wait for that limit.
   */
  private static final int KEYS = 2_000;

  private static final int COLD = 50;

  private SharedTierLatencyHarness() {}

  public static void main(String[] args) throws Exception {
    MultiProcessFleetHarness.RedisProcess redis = MultiProcessFleetHarness.startRedis(List.of());
    String uri = "redis://127.0.0.1:" + redis.port();
    String restart = "";
    try {
      FakeAcs acs = FakeAcs.create();
      List<TokenRequest> keys = new ArrayList<>();
      for (int i = 0; i < KEYS + 2 * COLD; i++) {
        IdentityId id = acs.createIdentity();
        keys.add(TokenRequest.of(id, Scope.VOIP));
      }
      List<TokenRequest> shared = keys.subList(0, KEYS);
      List<TokenRequest> coldTier = keys.subList(KEYS, KEYS + COLD);
      List<TokenRequest> coldLocal = keys.subList(KEYS + COLD, KEYS + 2 * COLD);

      System.out.printf(
          Locale.ROOT,
          "## The shared tier's cost per call, one thread, local redis-server%n%n"
              + "| call | calls | p50 | p90 | p99 |%n|---|---:|---:|---:|---:|%n");

      // the floor: a plain GET of a value the size of a record
      RedisClient client = RedisClient.create(uri);
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        RedisCommands<String, String> r = c.sync();
        String value = "x".repeat(1200);
        for (int i = 0; i < KEYS; i++) {
          r.set("floor:" + i, value);
        }
        measure("plain Lettuce GET (the floor)", KEYS, i -> r.get("floor:" + (i % KEYS)));
      } finally {
        client.shutdown();
      }

      // instance A fills the tier (its cold limit raised only to make the setup quick)
      try (CachingTokenProvider a =
          CachingTokenProvider.builder(acs).sharedTier(tier(uri)).coldRateLimit(KEYS).build()) {
        a.prefetch(shared).get(5, TimeUnit.MINUTES);
      }

      // a tier hit: claim finds the token
      try (SharedTier b = tier(uri)) {
        Instant now = Instant.now();
        measure(
            "tier hit: claim finds a newer token (1 round trip, Lua, AES-GCM)",
            KEYS,
            i -> b.claim(shared.get(i % KEYS), now, Duration.ofSeconds(15)).join());
      }

      // a local miss served by the tier, through a cache (instance C never saw these keys)
      try (CachingTokenProvider c =
          CachingTokenProvider.builder(acs).sharedTier(tier(uri)).build()) {
        long started = System.nanoTime();
        long callsBefore = acs.callCount(Operation.ISSUE_TOKEN);
        measure(
            "cache: local miss, tier hit (getToken of a key this instance never had)",
            KEYS,
            i -> c.getToken(shared.get(i)));
        restart =
            String.format(
                Locale.ROOT,
                "%nAn instance that never had these keys, default rate limits (900 cold calls per"
                    + " 30 s): the %,d local misses took %.2f s in all and made %d ACS calls.%n",
                KEYS,
                (System.nanoTime() - started) / 1e9,
                acs.callCount(Operation.ISSUE_TOKEN) - callsBefore);
        measure("cache: local hit (the same keys again)", KEYS, i -> c.getToken(shared.get(i)));
      }

      // cold misses: through the tier (claim, lease, backend, store) and without a tier
      try (CachingTokenProvider d =
          CachingTokenProvider.builder(acs).sharedTier(tier(uri)).build()) {
        measure(
            "cache: cold miss through the tier (claim, FakeAcs, fenced store)",
            COLD,
            i -> d.getToken(coldTier.get(i)));
      }
      try (CachingTokenProvider e = CachingTokenProvider.builder(acs).build()) {
        measure(
            "cache: cold miss without a tier (FakeAcs)", COLD, i -> e.getToken(coldLocal.get(i)));
      }
      System.out.print(restart);
    } finally {
      redis.process().destroy();
      redis.process().waitFor(10, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  /**
   * A tier on the harness's Redis, once it is connected: {@code build()} connects in the
   * background, and until then every call fails at once (and a cache goes to the backend), which is
   * not what these rows measure.
   */
  private static SharedTier tier(String uri) throws InterruptedException {
    RedisSharedTier tier =
        RedisSharedTier.builder()
            .redisUri(uri)
            .encryptionKeys(EncryptionKeys.of("k", MultiProcessFleetHarness.KEY))
            .build();
    for (int i = 0; i < 100 && !tier.checkRedis().join(); i++) {
      Thread.sleep(100);
    }
    if (!tier.checkRedis().join()) {
      throw new IllegalStateException("the tier did not connect to " + uri + " within 10 s");
    }
    return tier;
  }

  private static void measure(String name, int calls, IntConsumer call) {
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      call.accept(i);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %s | %s | %s |%n",
        name,
        calls,
        micros(nanos[calls / 2]),
        micros(nanos[calls * 9 / 10]),
        micros(nanos[Math.min(calls - 1, calls * 99 / 100)]));
  }

  private static String micros(long nanos) {
    return nanos >= 1_000_000
        ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
        : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
  }
}
