package dev.acstoken.cache.micrometer;

import dev.acstoken.cache.CacheListener;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * A {@link CacheListener} that records the cache's events as Micrometer meters. Meters are
 * registered once, when bound; recording does not allocate. Thread-safe.
 *
 * <p>Meters (with the tags given to {@link #bind(MeterRegistry, Iterable)}):
 *
 * <ul>
 *   <li>{@code acs.token.cache.gets}, counter, tag {@code result}: {@code hit} or {@code miss};
 *   <li>{@code acs.token.cache.waits}, timer: callers that waited for a refresh, and how long;
 *   <li>{@code acs.token.cache.refreshes}, timer, tag {@code outcome=success}: backend calls that
 *       returned a token, and their latency;
 *   <li>{@code acs.token.cache.refreshes.failed}, counter, tag {@code terminal}: {@code false}
 *       (retried with backoff) or {@code true} (entry dropped);
 *   <li>{@code acs.token.cache.refreshes.started}, counter: backend calls started;
 *   <li>{@code acs.token.cache.refreshes.rate.limited}, counter: refreshes that waited for the
 *       per-resource rate limit;
 *   <li>{@code acs.token.cache.evictions}, counter: entries evicted for size or idleness;
 *   <li>{@code acs.token.cache.invalidations}, counter: entries invalidated.
 * </ul>
 *
 * Tags never carry an identity or a scope: the number of time series stays small.
 */
// "exports": MeterRegistry comes from an optional module that users of this class read themselves
@SuppressWarnings("exports")
public final class MicrometerCacheListener implements CacheListener {

  private final Counter hits;
  private final Counter misses;
  private final Timer waits;
  private final Timer successes;
  private final Counter failures;
  private final Counter terminalFailures;
  private final Counter started;
  private final Counter rateLimited;
  private final Counter evictions;
  private final Counter invalidations;

  private MicrometerCacheListener(MeterRegistry registry, Tags tags) {
    hits = counter(registry, "acs.token.cache.gets", tags.and("result", "hit"), "Token requests");
    misses =
        counter(registry, "acs.token.cache.gets", tags.and("result", "miss"), "Token requests");
    waits =
        Timer.builder("acs.token.cache.waits")
            .description("Callers that waited for a token refresh")
            .tags(tags)
            .register(registry);
    successes =
        Timer.builder("acs.token.cache.refreshes")
            .description("Backend calls for a new token, by outcome")
            .tags(tags.and("outcome", "success"))
            .register(registry);
    failures =
        counter(
            registry,
            "acs.token.cache.refreshes.failed",
            tags.and("terminal", "false"),
            "Failed backend calls");
    terminalFailures =
        counter(
            registry,
            "acs.token.cache.refreshes.failed",
            tags.and("terminal", "true"),
            "Failed backend calls");
    started = counter(registry, "acs.token.cache.refreshes.started", tags, "Backend calls started");
    rateLimited =
        counter(
            registry,
            "acs.token.cache.refreshes.rate.limited",
            tags,
            "Refreshes held back by the per-resource rate limit");
    evictions =
        counter(
            registry, "acs.token.cache.evictions", tags, "Entries evicted for size or idleness");
    invalidations = counter(registry, "acs.token.cache.invalidations", tags, "Entries invalidated");
  }

  /**
   * Registers the cache's meters in a registry and returns the listener that records them; pass it
   * to {@link dev.acstoken.cache.CachingTokenProviderBuilder#listener}.
   *
   * @param registry where to register the meters
   * @return the listener
   * @throws IllegalArgumentException if the registry is null
   */
  public static MicrometerCacheListener bind(MeterRegistry registry) {
    return bind(registry, Tags.empty());
  }

  /**
   * Registers the cache's meters with extra tags, e.g. {@code cache=chat} when a service runs more
   * than one cache.
   *
   * @param registry where to register the meters
   * @param tags tags added to every meter
   * @return the listener
   * @throws IllegalArgumentException if an argument is null
   */
  public static MicrometerCacheListener bind(MeterRegistry registry, Iterable<Tag> tags) {
    if (registry == null) {
      throw new IllegalArgumentException("meter registry must not be null");
    }
    if (tags == null) {
      throw new IllegalArgumentException("tags must not be null");
    }
    return new MicrometerCacheListener(registry, Tags.of(tags));
  }

  private static Counter counter(MeterRegistry registry, String name, Tags tags, String what) {
    return Counter.builder(name).description(what).tags(tags).register(registry);
  }

  @Override
  public void onHit(TokenRequest request) {
    hits.increment();
  }

  @Override
  public void onMiss(TokenRequest request) {
    misses.increment();
  }

  @Override
  public void onWait(TokenRequest request, Duration waited) {
    waits.record(waited);
  }

  @Override
  public void onRefreshStarted(TokenRequest request) {
    started.increment();
  }

  @Override
  public void onRefreshSucceeded(TokenRequest request, Duration latency) {
    successes.record(latency);
  }

  @Override
  public void onRefreshFailed(TokenRequest request, AcsException error, boolean terminal) {
    (terminal ? terminalFailures : failures).increment();
  }

  @Override
  public void onRateLimited(TokenRequest request) {
    rateLimited.increment();
  }

  @Override
  public void onEviction(TokenRequest request) {
    evictions.increment();
  }

  @Override
  public void onInvalidation(TokenRequest request) {
    invalidations.increment();
  }

  @Override
  public String toString() {
    return "MicrometerCacheListener";
  }
}
