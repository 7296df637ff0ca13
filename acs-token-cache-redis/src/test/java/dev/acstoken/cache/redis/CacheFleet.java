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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
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
  final String redisUri;

  CacheFleet(int size, String redisUri, TokenProvider backend, MutableClock clock) {
    this(size, redisUri, i -> backend, clock, t -> t, UnaryOperator.identity());
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
    this.redisUri = redisUri;
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

  /** Reads one key through one instance, driving the fleet until it answers. */
  AccessToken read(int instance, TokenRequest key) {
    CompletableFuture<AccessToken> read = caches.get(instance).getTokenAsync(key);
    drive(List.of(read));
    return read.join();
  }

  /** Waits until every tier is connected and subscribed. */
  void awaitConnected() {
    Fleet.awaitConnected(redisUri, "acs-token:events", tiers);
  }

  @Override
  public void close() {
    caches.forEach(CachingTokenProvider::close);
  }
}
