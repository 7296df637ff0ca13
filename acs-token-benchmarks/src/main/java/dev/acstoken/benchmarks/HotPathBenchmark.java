package dev.acstoken.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 7, item 1: a cache hit, as a user reads it, for this library (one key; a random key among
 * 10,000) and for each anchor, with a volatile read as the floor. Every benchmark returns the
 * token's string value. Run with {@code -t 1} and {@code -t 2} and {@code -prof gc}.
 *
 * <p>Every token lives 24 hours, so no read in the run reaches a refresh point; the backend is
 * never called after the fill ({@link #tearDown} checks and reports it if it was).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djmh.shutdownTimeout=1"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class HotPathBenchmark {

  static final int KEYS = 10_000;
  static final int ORDER = 1 << 14;

  Backend backend;
  Subject acsToken;
  Subject aws;
  Subject azure;
  Subject acsCredential;
  Subject google;
  Subject caffeineOne;
  CachingTokenProvider acsTokenKeyed;
  LoadingCache<TokenRequest, Backend.Token> caffeineKeyed;
  com.github.benmanes.caffeine.cache.Cache<TokenRequest, Backend.Token> caffeineAsStorage;
  TokenRequest[] keyOrder;
  volatile String floor;

  /** Where a thread is in the random key order. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class Cursor {
    int next;

    @Setup
    public void setUp() {
      next = (int) (Thread.currentThread().getId() * 7919) & (ORDER - 1);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    Options.parse(new String[0]);
    backend = new Backend();
    acsToken = Subject.create(Subject.Kind.ACS_TOKEN, backend, false);
    aws = Subject.create(Subject.Kind.AWS_ONE_CALLER_BLOCKS, backend, false);
    azure = Subject.create(Subject.Kind.AZURE_SIMPLE_TOKEN_CACHE, backend, false);
    acsCredential = Subject.create(Subject.Kind.ACS_CREDENTIAL, backend, false);
    google = Subject.create(Subject.Kind.GOOGLE_OAUTH2, backend, false);
    caffeineOne = Subject.create(Subject.Kind.CAFFEINE, backend, false);

    TokenRequest[] keys = new TokenRequest[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] =
          TokenRequest.of(
              IdentityId.of(
                  String.format(
                      "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000000-0000-0000-0000-%012d",
                      i)),
              Scope.VOIP);
    }
    // the fill of 10,000 keys must not wait for the refresh rate limit (300 per 30 s by
    // default); the limit plays no part in a hit
    acsTokenKeyed =
        CachingTokenProvider.builder(Subject.provider(backend))
            .refreshRateLimit(2 * KEYS, Duration.ofSeconds(1))
            .build();
    caffeineKeyed =
        Caffeine.newBuilder()
            .refreshAfterWrite(Duration.ofHours(12))
            .expireAfterWrite(Duration.ofHours(23))
            .maximumSize(KEYS)
            .build(k -> backend.issue());
    for (TokenRequest k : keys) {
      acsTokenKeyed.getToken(k);
      caffeineKeyed.get(k);
    }
    // a diagnostic: Caffeine configured as acs-token configured its storage until commit 25cb1fe
    // (size bound, expireAfterAccess, ticker, maintenance on the caller), read with getIfPresent
    // as acs-token reads it; it showed that expireAfterAccess made a hit slow at 2 threads
    dev.acstoken.core.TimeSource system = dev.acstoken.core.TimeSource.system();
    caffeineAsStorage =
        Caffeine.newBuilder()
            .maximumSize(KEYS)
            .expireAfterAccess(Duration.ofHours(1))
            .ticker(system::nanoTime)
            .executor(Runnable::run)
            .build();
    caffeineAsStorage.put(Subject.REQUEST, backend.issue());
    Random random = new Random(20261124);
    keyOrder = new TokenRequest[ORDER];
    for (int i = 0; i < ORDER; i++) {
      keyOrder[i] = keys[random.nextInt(KEYS)];
    }
    floor = backend.issue().value();
    backend.resetCounts();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (backend.calls() != 0) {
      System.err.println(
          "WARNING: the backend was called "
              + backend.calls()
              + " times during the measurement: some reads were misses");
    }
    acsToken.close();
    aws.close();
    azure.close();
    acsCredential.close();
    google.close();
    caffeineOne.close();
    acsTokenKeyed.close();
  }

  @Benchmark
  public String floor_volatileRead() {
    return floor;
  }

  /** The monotonic clock alone: what acs-token's hit reads first. */
  @Benchmark
  public long floor_nanoTime() {
    return System.nanoTime();
  }

  /** The wall clock alone: what Google's hit reads, and acs-token's second read. */
  @Benchmark
  public long floor_currentTimeMillis() {
    return System.currentTimeMillis();
  }

  /**
   * Both clocks, as acs-token's hit reads them (a token is served only while both its monotonic and
   * its wall-clock deadline hold): the floor of its hit, before any lookup.
   */
  @Benchmark
  public long floor_bothClocks() {
    return System.nanoTime() + System.currentTimeMillis();
  }

  @Benchmark
  public String acsToken_oneKey() throws Exception {
    return acsToken.get();
  }

  @Benchmark
  public String acsToken_randomKeyOf10k(Cursor c) {
    TokenRequest k = keyOrder[c.next++ & (ORDER - 1)];
    return acsTokenKeyed.getToken(k).value();
  }

  @Benchmark
  public String caffeine_oneKey() throws Exception {
    return caffeineOne.get();
  }

  @Benchmark
  public String caffeine_randomKeyOf10k(Cursor c) {
    TokenRequest k = keyOrder[c.next++ & (ORDER - 1)];
    return caffeineKeyed.get(k).value();
  }

  @Benchmark
  public String diagnostic_caffeineAsAcsTokenStorage_oneKey() {
    return caffeineAsStorage.getIfPresent(Subject.REQUEST).value();
  }

  @Benchmark
  public String aws_cachedSupplier() throws Exception {
    return aws.get();
  }

  @Benchmark
  public String azure_simpleTokenCache_block() throws Exception {
    return azure.get();
  }

  @Benchmark
  public String acs_communicationTokenCredential_block() throws Exception {
    return acsCredential.get();
  }

  @Benchmark
  public String google_refreshIfExpired_getAccessToken() throws IOException, Exception {
    return google.get();
  }
}
