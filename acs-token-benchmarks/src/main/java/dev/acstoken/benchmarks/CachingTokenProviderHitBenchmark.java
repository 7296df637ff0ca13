package dev.acstoken.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path of {@link CachingTokenProvider}: a hit on a FRESH key, one key or a random key among
 * 10,000, sync {@code getToken}. Run with 1 and 2 threads and {@code -prof gc}:
 *
 * <pre>
 * java -jar acs-token-benchmarks/target/benchmarks.jar CachingTokenProviderHitBenchmark -t 1 -prof gc
 * java -jar acs-token-benchmarks/target/benchmarks.jar CachingTokenProviderHitBenchmark -t 2 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CachingTokenProviderHitBenchmark {

  private static final String RESOURCE = "2dee53b4-368b-45b4-ab52-8493fb117652";
  private static final int ORDER = 1 << 16;

  /** How many keys the cache holds; each read picks one at random. */
  @Param({"1", "10000"})
  public int keys;

  private CachingTokenProvider cache;
  private Cache<TokenRequest, AccessToken> caffeine;
  private TokenRequest[] requests;
  private int[] order;

  /** Per-thread position in a precomputed random order, so the choice costs no random call. */
  @State(Scope.Thread)
  public static class Cursor {
    int position;

    /** Starts each thread at its own place in the order. */
    @Setup(Level.Trial)
    public void start() {
      position = (int) (Thread.currentThread().getId() * 7919);
    }
  }

  /** A backend that issues a 24-hour token per call at once. */
  static final class InstantBackend implements TokenProvider {
    @Override
    public AccessToken getToken(TokenRequest request) {
      return AccessToken.of(
          "eyJhbGciOiJub25lIn0.eyJleHAiOjB9.c2ln" + request.identity().value().hashCode(),
          Instant.now().plus(Duration.ofHours(24)));
    }

    @Override
    public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
      return CompletableFuture.completedFuture(getToken(request));
    }
  }

  /** Builds the cache with default options and fills every key. */
  @Setup(Level.Trial)
  public void setUp() {
    cache =
        CachingTokenProvider.builder(new InstantBackend())
            .maximumSize(2L * keys + 10)
            .refreshRateLimit(keys + 1, Duration.ofSeconds(30))
            .build();
    requests = new TokenRequest[keys];
    for (int i = 0; i < keys; i++) {
      IdentityId id =
          IdentityId.of(String.format("8:acs:%s_00000000-0000-0000-0000-%012d", RESOURCE, i));
      requests[i] =
          TokenRequest.of(id, dev.acstoken.core.Scope.VOIP)
              .withLifetime(TokenLifetime.ofMinutes(1440));
      cache.getToken(requests[i]);
    }
    // the storage alone, configured as the cache configures it: the cost of the state machine is
    // the difference
    caffeine =
        Caffeine.newBuilder()
            .maximumSize(2L * keys + 10)
            .expireAfterAccess(Duration.ofHours(1))
            .executor(Runnable::run)
            .build();
    for (TokenRequest r : requests) {
      caffeine.put(r, cache.getToken(r));
    }
    SplittableRandom random = new SplittableRandom(42);
    order = new int[ORDER];
    for (int i = 0; i < ORDER; i++) {
      order[i] = random.nextInt(keys);
    }
  }

  /** Releases the cache's thread. */
  @TearDown(Level.Trial)
  public void tearDown() {
    cache.close();
  }

  /**
   * One cache hit.
   *
   * @param cursor the thread's place in the random order
   * @return the token, consumed by JMH
   */
  @Benchmark
  public AccessToken hit(Cursor cursor) {
    int i = order[cursor.position++ & (ORDER - 1)];
    return cache.getToken(requests[i]);
  }

  /**
   * Baseline: a Caffeine lookup with the same size bound and idle expiry, no refresh logic.
   *
   * @param cursor the thread's place in the random order
   * @return the token, consumed by JMH
   */
  @Benchmark
  public AccessToken caffeineBaseline(Cursor cursor) {
    int i = order[cursor.position++ & (ORDER - 1)];
    return caffeine.getIfPresent(requests[i]);
  }
}
