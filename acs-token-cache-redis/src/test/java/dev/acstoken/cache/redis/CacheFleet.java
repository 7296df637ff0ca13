package dev.acstoken.cache.redis;

import static org.awaitility.Awaitility.await;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.cache.CachingTokenProviderBuilder;
import dev.acstoken.cache.SharedTier;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Test fleet of service instances: each a real {@link CachingTokenProvider} with its own {@link
 * RedisSharedTier} (its own Lettuce client), all on the test's one clock and one manual scheduler,
 * over one backend and one Redis. Closing a cache closes its tier.
 */
final class CacheFleet implements AutoCloseable {

  final List<RedisSharedTier> tiers = new ArrayList<>();
  final List<SharedTier> shared = new ArrayList<>();
  final List<CachingTokenProvider> caches = new ArrayList<>();

  /** Tokens handed to a read of {@link #startReads} that had expired when the read began. */
  final LongAdder expiredServed = new LongAdder();

  private final MutableClock clock;

  // the nodes on which the tiers subscribe (a single server, a cluster's nodes, the primary)
  private final Supplier<List<String>> nodeUris;

  CacheFleet(int size, String redisUri, TokenProvider backend, MutableClock clock) {
    this(size, redisUri, i -> backend, clock, t -> t, UnaryOperator.identity());
  }

  /**
   * A fleet whose tiers each come from {@code tier} (instance number to a builder with the Redis
   * URI or cluster seeds set), subscribing on the nodes {@code nodeUris} names.
   */
  CacheFleet(
      int size,
      IntFunction<RedisSharedTierBuilder> tier,
      Supplier<List<String>> nodeUris,
      TokenProvider backend,
      MutableClock clock,
      UnaryOperator<CachingTokenProviderBuilder> config) {
    this.nodeUris = nodeUris;
    this.clock = clock;
    this.scheduler = ManualScheduler.on(clock);
    for (int i = 0; i < size; i++) {
      RedisSharedTier t = tier.apply(i).build();
      tiers.add(t);
      shared.add(t);
      caches.add(
          config
              .apply(
                  CachingTokenProvider.builder(backend)
                      .timeSource(clock)
                      .scheduler(scheduler)
                      .sharedTier(t)
                      .recordStats())
              .build());
    }
  }

  /** The fleet's one scheduler, on the test's clock: {@link #drive} moves both. */
  final ManualScheduler scheduler;

  CacheFleet(
      int size,
      String redisUri,
      Function<Integer, TokenProvider> backend,
      MutableClock clock,
      Function<RedisSharedTier, SharedTier> wrapTier,
      UnaryOperator<CachingTokenProviderBuilder> config) {
    this.nodeUris = () -> List.of(redisUri);
    this.clock = clock;
    this.scheduler = ManualScheduler.on(clock);
    for (int i = 0; i < size; i++) {
      RedisSharedTier tier = Fleet.builder(redisUri).build();
      tiers.add(tier);
      SharedTier wrapped = wrapTier.apply(tier);
      shared.add(wrapped);
      caches.add(
          config
              .apply(
                  CachingTokenProvider.builder(backend.apply(i))
                      .timeSource(clock)
                      .scheduler(scheduler)
                      .sharedTier(wrapped)
                      .recordStats())
              .build());
    }
  }

  CachingTokenProvider get(int i) {
    return caches.get(i);
  }

  /**
   * Runs the fleet until every future is done: the clock and the scheduler move 10 ms per poll, so
   * that the caches' time passes about as fast as Redis's (leases expire on Redis's clock).
   */
  void drive(Collection<? extends CompletableFuture<?>> futures) {
    await("the fleet's reads")
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              scheduler.advance(Duration.ofMillis(10));
              return futures.stream().allMatch(CompletableFuture::isDone);
            });
  }

  /**
   * Drives the fleet until no instance has a backend call in flight, so that a test may then jump
   * the clock: a call in flight across a jump outlives its {@code callTimeout} on the manual clock
   * and fails the readers that joined its refresh.
   */
  void driveUntilNoBackendCall() {
    await("no backend call in flight")
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              scheduler.advance(Duration.ofMillis(10));
              return caches.stream()
                  .map(CachingTokenProvider::stats)
                  .allMatch(s -> s.refreshes() == s.refreshSuccesses() + s.refreshFailures());
            });
  }

  /** Reads one key through one instance, driving the fleet until it answers. */
  AccessToken read(int instance, TokenRequest key) {
    CompletableFuture<AccessToken> read = caches.get(instance).getTokenAsync(key);
    drive(List.of(read));
    return read.join();
  }

  /** Waits until every tier is connected and subscribed. */
  void awaitConnected() {
    Fleet.awaitConnected(nodeUris.get(), "acs-token:events", tiers);
  }

  /**
   * Starts, from {@code threadCount} threads at once, a read of every key through every instance
   * (each thread from a different first key); returns the reads, not yet driven.
   */
  List<CompletableFuture<AccessToken>> startReads(
      ExecutorService threads, int threadCount, List<TokenRequest> keys) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<CompletableFuture<AccessToken>>>> asked = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      int offset = t;
      asked.add(
          threads.submit(
              () -> {
                start.await();
                List<CompletableFuture<AccessToken>> mine = new ArrayList<>();
                for (int k = 0; k < keys.size(); k++) {
                  for (CachingTokenProvider cache : caches) {
                    Instant readAt = clock.instant();
                    mine.add(
                        cache
                            .getTokenAsync(keys.get((k + offset) % keys.size()))
                            .thenApply(
                                token -> {
                                  if (!token.expiresAt().isAfter(readAt)) {
                                    expiredServed.increment();
                                  }
                                  return token;
                                }));
                  }
                }
                return mine;
              }));
    }
    start.countDown();
    List<CompletableFuture<AccessToken>> reads = new ArrayList<>();
    for (Future<List<CompletableFuture<AccessToken>>> f : asked) {
      reads.addAll(f.get(60, TimeUnit.SECONDS));
    }
    return reads;
  }

  /** {@link #startReads}, then drives the fleet until every read is done. */
  List<CompletableFuture<AccessToken>> readEverywhere(
      ExecutorService threads, int threadCount, List<TokenRequest> keys) throws Exception {
    List<CompletableFuture<AccessToken>> reads = startReads(threads, threadCount, keys);
    drive(reads);
    return reads;
  }

  /** Drives the fleet until every instance serves, for every key, a token that passes the test. */
  void awaitEverywhere(List<TokenRequest> keys, Predicate<AccessToken> test) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              List<CompletableFuture<AccessToken>> reads = new ArrayList<>();
              for (CachingTokenProvider cache : caches) {
                for (TokenRequest k : keys) {
                  reads.add(cache.getTokenAsync(k));
                }
              }
              drive(reads);
              return reads.stream().map(CompletableFuture::join).allMatch(test);
            });
  }

  /** {@return whether every instance serves the same token for each key} */
  boolean sameTokenEverywhere(List<TokenRequest> keys) {
    for (TokenRequest k : keys) {
      AccessToken first = read(0, k);
      for (int i = 1; i < caches.size(); i++) {
        if (!read(i, k).equals(first)) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public void close() {
    caches.forEach(CachingTokenProvider::close);
  }
}
