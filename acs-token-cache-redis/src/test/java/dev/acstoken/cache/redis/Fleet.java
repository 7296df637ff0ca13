package dev.acstoken.cache.redis;

import static org.awaitility.Awaitility.await;

import dev.acstoken.core.TokenProvider;
import dev.acstoken.testkit.MutableClock;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Test fleet: several tiers, each a separate object with its own Lettuce client, as the instances
 * of a service would be, over one fake backend and one Redis.
 */
final class Fleet implements AutoCloseable {

  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  final List<RedisTokenTier> tiers = new ArrayList<>();
  final String redisUri;
  final List<RecordingListener> listeners = new ArrayList<>();

  Fleet(
      int size,
      String redisUri,
      TokenProvider backend,
      MutableClock clock,
      UnaryOperator<RedisTokenTier.Builder> config) {
    this.redisUri = redisUri;
    for (int i = 0; i < size; i++) {
      RecordingListener listener = new RecordingListener();
      listeners.add(listener);
      tiers.add(config.apply(builder(redisUri, backend, clock).listener(listener)).build());
    }
  }

  /** {@return a test clock that stands still at 2026-11-24T08:00:00Z until advanced} */
  static MutableClock clock() {
    return MutableClock.at(java.time.Instant.parse("2026-11-24T08:00:00Z"));
  }

  static RedisTokenTier.Builder builder(
      String redisUri, TokenProvider backend, MutableClock clock) {
    return RedisTokenTier.builder()
        .delegate(backend)
        .redisUri(RedisURI.create(redisUri))
        .encryptionKeys(EncryptionKeys.of("k1", KEY))
        .clock(clock)
        // generous: exact call counts must not depend on a loaded machine's Redis latency, nor
        // on how long its threads take to reach the lease (tests of expiry set shorter ones)
        .redisTimeout(Duration.ofSeconds(2))
        .leaseTime(Duration.ofSeconds(20))
        .waitTimeout(Duration.ofSeconds(30))
        .redisRecheckInterval(Duration.ofMillis(200))
        .pollInterval(Duration.ofMillis(20));
  }

  RedisTokenTier get(int i) {
    return tiers.get(i);
  }

  int size() {
    return tiers.size();
  }

  /** Waits until every tier answers a PING (connected; after a restart, reconnected). */
  void awaitConnected() {
    await("all tiers connected to Redis")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                tiers.stream()
                    .map(RedisTokenTier::checkRedis)
                    .map(CompletableFuture::join)
                    .allMatch(Boolean::booleanValue));
    try (RawRedis raw = new RawRedis(redisUri)) {
      await("all tiers subscribed")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> raw.subscribers("acs-token:events") >= tiers.size());
    }
  }

  long leaseWaits() {
    return tiers.stream().mapToLong(t -> t.stats().leaseWaits()).sum();
  }

  @Override
  public void close() {
    tiers.forEach(RedisTokenTier::close);
  }
}
